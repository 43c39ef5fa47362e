//! JWT-ZGW: HS256 bearer tokens with `client_id` and `iat` claims.
//!
//! Encoding (for `loket token` and tests) and verification against a client's
//! shared secret. Claim checks use an injected "now" so they are testable.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The claims Loket reads from a token.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub user_representation: String,
}

impl Claims {
    /// The client the token speaks for: `client_id`, or `iss` for older clients.
    pub fn client(&self) -> Option<&str> {
        self.client_id.as_deref().or(self.iss.as_deref()).filter(|c| !c.is_empty())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JwtError {
    #[error("het token is geen geldige JWT")]
    Malformed,
    #[error("alleen HS256-tokens worden geaccepteerd")]
    Algorithm,
    #[error("het token bevat geen client_id")]
    NoClient,
    #[error("de handtekening van het token klopt niet")]
    Signature,
    #[error("het token bevat geen iat-claim")]
    NoIssuedAt,
    #[error("het token is uitgegeven in de toekomst")]
    NotYetValid,
    #[error("het token is verlopen")]
    Expired,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

/// A decoded but not yet verified token.
pub struct Unverified<'a> {
    signed: &'a str,
    signature: Vec<u8>,
    pub claims: Claims,
}

/// Splits and decodes a token, checking only its shape and algorithm.
pub fn decode(token: &str) -> Result<Unverified<'_>, JwtError> {
    let mut parts = token.rsplitn(2, '.');
    let sig = parts.next().ok_or(JwtError::Malformed)?;
    let signed = parts.next().ok_or(JwtError::Malformed)?;
    let (h, p) = signed.split_once('.').ok_or(JwtError::Malformed)?;
    let header: Header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).map_err(|_| JwtError::Malformed)?)
        .map_err(|_| JwtError::Malformed)?;
    if header.alg != "HS256" {
        return Err(JwtError::Algorithm);
    }
    let claims: Claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).map_err(|_| JwtError::Malformed)?)
        .map_err(|_| JwtError::Malformed)?;
    let signature = URL_SAFE_NO_PAD.decode(sig.trim_end_matches('=')).map_err(|_| JwtError::Malformed)?;
    if claims.client().is_none() {
        return Err(JwtError::NoClient);
    }
    Ok(Unverified { signed, signature, claims })
}

/// Time rules for tokens: `iat` is required; `leeway` allows clock skew;
/// `max_age` rejects tokens issued too long ago (0 = no limit).
#[derive(Debug, Clone, Copy)]
pub struct TimeRules {
    pub leeway_secs: i64,
    pub max_age_secs: i64,
}

impl Unverified<'_> {
    pub fn verify(self, secret: &str, now_secs: i64, rules: TimeRules) -> Result<Claims, JwtError> {
        let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).map_err(|_| JwtError::Signature)?;
        mac.update(self.signed.as_bytes());
        mac.verify_slice(&self.signature).map_err(|_| JwtError::Signature)?;
        let iat = self.claims.iat.ok_or(JwtError::NoIssuedAt)?;
        if iat > now_secs + rules.leeway_secs {
            return Err(JwtError::NotYetValid);
        }
        if rules.max_age_secs > 0 && now_secs - iat > rules.max_age_secs + rules.leeway_secs {
            return Err(JwtError::Expired);
        }
        if let Some(exp) = self.claims.exp {
            if now_secs > exp + rules.leeway_secs {
                return Err(JwtError::Expired);
            }
        }
        Ok(self.claims)
    }
}

/// Signs claims with HS256, the way ZGW clients do.
pub fn encode(claims: &Claims, secret: &str) -> String {
    let client = claims.client().unwrap_or_default();
    let header = serde_json::json!({"alg": "HS256", "typ": "JWT", "client_identifier": client});
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    let p = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signed = format!("{h}.{p}");
    let sig = match HmacSha256::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(signed.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    };
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// Claims for a client acting now.
pub fn claims_for(client_id: &str, now_secs: i64) -> Claims {
    Claims {
        iss: Some(client_id.to_owned()),
        iat: Some(now_secs),
        exp: None,
        client_id: Some(client_id.to_owned()),
        user_id: client_id.to_owned(),
        user_representation: client_id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: TimeRules = TimeRules { leeway_secs: 5, max_age_secs: 3600 };

    #[test]
    fn round_trip_and_wrong_secret() {
        let t = encode(&claims_for("app", 1000), "s3cret");
        let c = decode(&t).and_then(|u| u.verify("s3cret", 1000, RULES));
        assert_eq!(c.map(|c| c.client_id), Ok(Some("app".to_owned())));
        let bad = decode(&t).and_then(|u| u.verify("other", 1000, RULES));
        assert_eq!(bad.err(), Some(JwtError::Signature));
    }

    #[test]
    fn time_rules() {
        let t = encode(&claims_for("app", 1000), "s");
        assert_eq!(decode(&t).and_then(|u| u.verify("s", 990, RULES)).err(), Some(JwtError::NotYetValid));
        assert!(decode(&t).and_then(|u| u.verify("s", 996, RULES)).is_ok());
        assert_eq!(decode(&t).and_then(|u| u.verify("s", 5000, RULES)).err(), Some(JwtError::Expired));
    }

    #[test]
    fn rejects_other_algorithms_and_garbage() {
        assert_eq!(decode("abc").err(), Some(JwtError::Malformed));
        let h = URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#);
        let p = URL_SAFE_NO_PAD.encode(r#"{"client_id":"x","iat":1}"#);
        assert_eq!(decode(&format!("{h}.{p}.")).err(), Some(JwtError::Algorithm));
    }
}

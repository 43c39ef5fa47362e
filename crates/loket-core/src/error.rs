//! The one error type of every API, mapped to the ZGW `Fout` / `ValidatieFout` body.
//!
//! Handlers and domain services return [`ApiError`]; `loket-http` renders it once.
//! Internal causes are logged by the renderer and never sent to the client.

use serde::Serialize;

/// One entry of `invalidParams`: the field, a machine code and a Dutch reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidParam {
    pub name: String,
    pub code: String,
    pub reason: String,
}

impl InvalidParam {
    pub fn new(name: impl Into<String>, code: &str, reason: impl Into<String>) -> Self {
        Self { name: name.into(), code: code.to_owned(), reason: reason.into() }
    }
}

/// Name used for errors that concern the object as a whole.
pub const NON_FIELD: &str = "nonFieldErrors";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400 with `invalidParams`.
    #[error("validation failed: {0:?}")]
    Validation(Vec<InvalidParam>),
    /// 400 for a body that is no JSON at all.
    #[error("parse error: {0}")]
    Parse(String),
    #[error("not authenticated: {0}")]
    NotAuthenticated(String),
    #[error("permission denied: {0}")]
    PermissionDenied(String),
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("not acceptable")]
    NotAcceptable,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("request timeout")]
    Timeout,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// 500; the cause is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn field(name: impl Into<String>, code: &str, reason: impl Into<String>) -> Self {
        ApiError::Validation(vec![InvalidParam::new(name, code, reason)])
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }

    pub fn status(&self) -> u16 {
        match self {
            ApiError::Validation(_) | ApiError::Parse(_) => 400,
            ApiError::NotAuthenticated(_) => 401,
            ApiError::PermissionDenied(_) => 403,
            ApiError::NotFound => 404,
            ApiError::MethodNotAllowed => 405,
            ApiError::NotAcceptable => 406,
            ApiError::Timeout => 408,
            ApiError::Conflict(_) => 409,
            ApiError::PreconditionFailed => 412,
            ApiError::PayloadTooLarge => 413,
            ApiError::UnsupportedMediaType => 415,
            ApiError::Internal(_) => 500,
            ApiError::Unavailable(_) => 503,
        }
    }

    /// The public body. `instance` identifies this occurrence (the request id).
    pub fn to_fout(&self, instance: &str) -> Fout {
        let (code, title, detail): (&str, &str, String) = match self {
            ApiError::Validation(_) => {
                ("invalid", "Ongeldige invoer.", "De invoer bevat fouten; zie invalidParams.".into())
            }
            ApiError::Parse(d) => ("parse_error", "Ongeldige JSON.", format!("De inhoud is geen geldige JSON: {d}")),
            ApiError::NotAuthenticated(d) => ("not_authenticated", "Niet geauthenticeerd.", d.clone()),
            ApiError::PermissionDenied(d) => ("permission_denied", "Geen toegang.", d.clone()),
            ApiError::NotFound => ("not_found", "Niet gevonden.", "Dit object of deze URL bestaat niet.".into()),
            ApiError::MethodNotAllowed => (
                "method_not_allowed",
                "Methode niet toegestaan.",
                "Deze HTTP-methode is niet toegestaan voor deze URL.".into(),
            ),
            ApiError::NotAcceptable => (
                "not_acceptable",
                "Niet acceptabel.",
                "De gevraagde Accept-header kan niet worden geleverd; gebruik application/json.".into(),
            ),
            ApiError::Timeout => {
                ("timeout", "Verzoek duurde te lang.", "De server heeft het verzoek afgebroken.".into())
            }
            ApiError::Conflict(d) => ("conflict", "Conflict.", d.clone()),
            ApiError::PreconditionFailed => (
                "precondition_failed",
                "Voorwaarde niet voldaan.",
                "De If-Match-header komt niet overeen met de huidige versie.".into(),
            ),
            ApiError::PayloadTooLarge => {
                ("request_too_large", "Verzoek te groot.", "De inhoud van het verzoek is te groot.".into())
            }
            ApiError::UnsupportedMediaType => (
                "unsupported_media_type",
                "Mediatype niet ondersteund.",
                "Gebruik Content-Type: application/json.".into(),
            ),
            ApiError::Unavailable(d) => ("unavailable", "Dienst niet beschikbaar.", d.clone()),
            ApiError::Internal(_) => (
                "error",
                "Er ging iets mis op de server.",
                "Er is een interne fout opgetreden. Vermeld de instance bij contact met de beheerder.".into(),
            ),
        };
        Fout {
            type_: format!("https://loket.local/ref/fouten/{code}/"),
            code: code.to_owned(),
            title: title.to_owned(),
            status: self.status(),
            detail,
            instance: instance.to_owned(),
            invalid_params: match self {
                ApiError::Validation(p) => Some(p.clone()),
                _ => None,
            },
        }
    }
}

/// The ZGW error body; with `invalidParams` it is a `ValidatieFout`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fout {
    #[serde(rename = "type")]
    pub type_: String,
    pub code: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub instance: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid_params: Option<Vec<InvalidParam>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_error_carries_params() {
        let e = ApiError::field("label", "required", "Dit veld is vereist.");
        let f = e.to_fout("urn:uuid:1");
        assert_eq!(f.status, 400);
        assert_eq!(f.code, "invalid");
        assert_eq!(f.invalid_params.as_ref().map(|p| p[0].name.as_str()), Some("label"));
    }
}

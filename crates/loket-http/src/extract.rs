//! Extractors that answer malformed input with ZGW errors: a JSON body
//! (415 for another content type, 400 for broken JSON, 413 when too large),
//! query parameters (400 for unknown ones, as the standard asks) and UUIDs
//! in paths (404 when the segment is no UUID).

use crate::error::HttpError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use loket_core::error::NON_FIELD;
use loket_core::ApiError;
use serde_json::Value;
use uuid::Uuid;

/// A request body that must be JSON.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ct = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if mime != "application/json" && !(mime.starts_with("application/") && mime.ends_with("+json")) {
            return Err(ApiError::UnsupportedMediaType.into());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status().as_u16() == 413 {
                ApiError::PayloadTooLarge
            } else {
                ApiError::Parse(r.body_text())
            }
        })?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| ApiError::Parse(e.to_string()).into())
    }
}

/// The query string as ordered pairs.
pub struct ApiQuery(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for ApiQuery {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or("");
        Ok(ApiQuery(url::form_urlencoded::parse(raw.as_bytes()).into_owned().collect()))
    }
}

impl ApiQuery {
    /// Rejects parameters the endpoint does not know.
    pub fn allow(&self, known: &[&str]) -> Result<(), ApiError> {
        let unknown: Vec<&str> = self.0.iter().map(|(k, _)| k.as_str()).filter(|k| !known.contains(k)).collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(ApiError::field(
                NON_FIELD,
                "unknown-parameters",
                format!("Onbekende query-parameter(s): {}.", unknown.join(", ")),
            ))
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// `page`, default 1; anything but a positive integer is a field error.
    pub fn page(&self) -> Result<i64, ApiError> {
        match self.get("page") {
            None => Ok(1),
            Some(p) => p
                .parse::<i64>()
                .ok()
                .filter(|p| *p >= 1)
                .ok_or_else(|| ApiError::field("page", "invalid", "Geef een paginanummer van 1 of hoger.")),
        }
    }

    /// The other parameters, encoded again, for `next`/`previous` links.
    pub fn without_page(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.0.iter().filter(|(k, _)| k != "page") {
            s.append_pair(k, v);
        }
        s.finish()
    }
}

/// A UUID from a path segment; anything else is not found.
pub fn parse_uuid(s: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s).map_err(|_| ApiError::NotFound)
}

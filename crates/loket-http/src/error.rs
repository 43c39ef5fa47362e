//! Errors leave handlers as [`HttpError`]; the problem middleware renders them
//! once into `application/problem+json` with the request id as `instance`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use loket_core::ApiError;
use loket_store::StoreError;
use std::sync::Arc;

#[derive(Debug)]
pub struct HttpError(pub ApiError);

impl From<ApiError> for HttpError {
    fn from(e: ApiError) -> Self {
        HttpError(e)
    }
}

impl From<StoreError> for HttpError {
    fn from(e: StoreError) -> Self {
        HttpError(e.into())
    }
}

/// Carried in response extensions until the problem middleware renders it.
#[derive(Clone)]
pub struct PendingProblem(pub Arc<ApiError>);

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut r = status.into_response();
        r.extensions_mut().insert(PendingProblem(Arc::new(self.0)));
        r
    }
}

/// The error for a bare status (from the router or a tower layer).
pub fn for_status(status: StatusCode) -> ApiError {
    match status.as_u16() {
        401 => ApiError::NotAuthenticated("Authenticatiegegevens ontbreken of zijn ongeldig.".into()),
        403 => ApiError::PermissionDenied("U heeft geen toegang tot deze actie.".into()),
        404 => ApiError::NotFound,
        405 => ApiError::MethodNotAllowed,
        406 => ApiError::NotAcceptable,
        408 => ApiError::Timeout,
        409 => ApiError::Conflict("Het verzoek botst met de huidige toestand.".into()),
        412 => ApiError::PreconditionFailed,
        413 => ApiError::PayloadTooLarge,
        415 => ApiError::UnsupportedMediaType,
        503 => ApiError::Unavailable("De dienst is tijdelijk niet beschikbaar.".into()),
        s if (400..500).contains(&s) => ApiError::field(loket_core::error::NON_FIELD, "invalid", "Ongeldig verzoek."),
        _ => ApiError::Internal(format!("status {status} without body")),
    }
}

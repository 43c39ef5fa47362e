//! Who is calling: the JWT-ZGW bearer token is verified against the client's
//! secret and the client's rights are loaded from the Autorisaties store.
//! [`Caller::require`] is the one authorisation check every component calls.

use crate::error::HttpError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use loket_core::authz::{Component, Rights, Target};
use loket_core::jwt::{self, Claims, JwtError};
use loket_core::ApiError;
use std::future::Future;
use std::pin::Pin;

/// A registered client: its shared secret and its rights.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    pub secret: String,
    pub rights: Rights,
}

pub type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Looks up clients; implemented by the Autorisaties component.
pub trait Authenticator: Send + Sync + 'static {
    /// `fresh` bypasses any cache (used when a cached secret did not verify).
    fn lookup<'a>(&'a self, client_id: &'a str, fresh: bool)
        -> BoxFut<'a, Result<Option<ClientCredentials>, ApiError>>;
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub client_id: String,
    pub claims: Claims,
    pub rights: Rights,
}

impl Caller {
    /// 403 unless one of `scopes` is granted on `component` for `target`.
    pub fn require(&self, component: Component, scopes: &[&str], target: Target<'_>) -> Result<(), ApiError> {
        if self.rights.allows(component, scopes, target) {
            Ok(())
        } else {
            Err(ApiError::PermissionDenied(format!(
                "Deze applicatie heeft niet de benodigde scope ({}) voor component {}.",
                scopes.join(" of "),
                component.as_str()
            )))
        }
    }
}

fn unauthenticated(e: JwtError) -> HttpError {
    ApiError::NotAuthenticated(e.to_string()).into()
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(AUTHORIZATION).and_then(|h| h.to_str().ok()).ok_or_else(|| {
            HttpError(ApiError::NotAuthenticated(
                "Er is geen Authorization-header met een bearer-token meegestuurd.".into(),
            ))
        })?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .ok_or_else(|| HttpError(ApiError::NotAuthenticated("Gebruik het schema 'Bearer <JWT>'.".into())))?;
        let unverified = jwt::decode(token).map_err(unauthenticated)?;
        let client_id = unverified.claims.client().unwrap_or_default().to_owned();
        let now = state.ctx.clock.now().timestamp();
        let unknown = || HttpError(ApiError::NotAuthenticated(format!("Client '{client_id}' is niet bekend.")));
        let creds = state.auth.lookup(&client_id, false).await?.ok_or_else(unknown)?;
        let (claims, rights) = match jwt::decode(token).and_then(|u| u.verify(&creds.secret, now, state.settings.jwt)) {
            Ok(c) => (c, creds.rights),
            Err(JwtError::Signature) => {
                // The secret may have changed since it was cached.
                let fresh = state.auth.lookup(&client_id, true).await?.ok_or_else(unknown)?;
                let c = unverified.verify(&fresh.secret, now, state.settings.jwt).map_err(unauthenticated)?;
                (c, fresh.rights)
            }
            Err(e) => return Err(unauthenticated(e)),
        };
        Ok(Caller { client_id, claims, rights })
    }
}

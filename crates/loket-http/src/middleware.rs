//! The middleware stack around all components, outermost first:
//! request id + log line + metrics → compression → problem rendering →
//! Accept check → timeout → panic catcher → body limit → routes.

use crate::error::{for_status, HttpError, PendingProblem};
use crate::metrics::Metrics;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use loket_core::ApiError;
use std::any::Any;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tracing::Instrument;

pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request, in request extensions.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub body_bytes: usize,
    pub request_timeout: Duration,
}

/// Wraps the merged component routers in the shared stack.
pub fn wrap(router: Router, metrics: Arc<Metrics>, limits: Limits) -> Router {
    router
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(CatchPanicLayer::custom(on_panic))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limits.request_timeout))
        .layer(middleware::from_fn(check_accept))
        .layer(middleware::from_fn(render_problems))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(move |req, next| request_context(metrics.clone(), req, next)))
}

async fn request_context(metrics: Arc<Metrics>, mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| uuid::Uuid::parse_str(v).ok())
        .map(|u| u.to_string())
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);
    let started = Instant::now();
    let mut resp = next.run(req).instrument(span.clone()).await;
    let took = started.elapsed();
    let status = resp.status().as_u16();
    span.in_scope(|| {
        tracing::info!(status, ms = took.as_secs_f64() * 1000.0, "request done");
    });
    metrics.record(method.as_str(), route.as_deref().unwrap_or("unmatched"), status, took);
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert(X_REQUEST_ID.clone(), v);
    }
    resp
}

/// Renders every error response as a ZGW problem body, exactly once.
async fn render_problems(req: Request, next: Next) -> Response {
    let id = req.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
    let resp = next.run(req).await;
    let status = resp.status();
    let pending = resp.extensions().get::<PendingProblem>().cloned();
    let error: Arc<ApiError> = match pending {
        Some(p) => p.0,
        None if status.as_u16() >= 400 && !is_problem(&resp) => Arc::new(for_status(status)),
        None => return resp,
    };
    if error.status() >= 500 {
        tracing::error!(request_id = %id, cause = %error, "request failed");
    } else {
        tracing::debug!(request_id = %id, error = %error, "request refused");
    }
    let fout = error.to_fout(&format!("urn:uuid:{id}"));
    let body = serde_json::to_vec(&fout).unwrap_or_default();
    let (mut parts, _) = resp.into_parts();
    parts.status = StatusCode::from_u16(fout.status).unwrap_or(status);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    parts.extensions.remove::<PendingProblem>();
    Response::from_parts(parts, axum::body::Body::from(body))
}

fn is_problem(resp: &Response) -> bool {
    resp.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
}

/// 406 when an API client accepts nothing we can send.
async fn check_accept(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.contains("/api/v1/") && !path.contains("/schema/") {
        if let Some(accept) = req.headers().get(ACCEPT).and_then(|v| v.to_str().ok()) {
            let ok = accept.split(',').any(|part| {
                let m = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                m.is_empty()
                    || m == "*/*"
                    || m == "application/*"
                    || m == "application/json"
                    || m == "application/problem+json"
                    || m == "application/hal+json"
            });
            if !ok {
                return HttpError(ApiError::NotAcceptable).into_response();
            }
        }
    }
    next.run(req).await
}

fn on_panic(err: Box<dyn Any + Send + 'static>) -> Response {
    let msg = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".into());
    HttpError(ApiError::Internal(format!("panic in handler: {msg}"))).into_response()
}

/// Adds the `API-version` header of a component to its responses.
pub fn api_version(router: Router<crate::AppState>, version: &'static str) -> Router<crate::AppState> {
    router.layer(middleware::map_response(move |mut r: Response| async move {
        r.headers_mut().insert(HeaderName::from_static("api-version"), HeaderValue::from_static(version));
        r
    }))
}

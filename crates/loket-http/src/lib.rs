//! HTTP glue shared by every component: application state, the extractors that
//! turn malformed input into ZGW errors, the caller's identity and rights,
//! and the middleware stack (request ids, logs, metrics, problem bodies,
//! panics, timeouts, compression, body limits).
//!
//! Only this crate and the components' `api` modules know HTTP.

pub mod auth;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod middleware;
pub mod state;

pub use auth::{Authenticator, Caller, ClientCredentials};
pub use error::HttpError;
pub use extract::{parse_uuid, ApiQuery, JsonBody};
pub use state::{AppState, Settings};

/// Result type of handlers.
pub type HttpResult<T> = Result<T, HttpError>;

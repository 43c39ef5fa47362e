//! Notificaties API 1.0 (`/notificaties/api/v1`): kanalen, abonnementen and
//! notificaties, and the worker that delivers what the outbox holds.
//!
//! `model` holds the types and their validation, `store` the queries,
//! `service` the use cases, `worker` fan-out and delivery (at least once,
//! exponential back-off, a log row per attempt), `api` the handlers.

pub mod api;
pub mod model;
pub mod service;
mod store;
pub mod worker;

pub use api::router;
pub use worker::{DeliveryPolicy, Worker};

pub const BASE: &str = "/notificaties/api/v1";

//! Autorisaties API 1.0 (`/autorisaties/api/v1`): applicaties with their
//! client ids and autorisaties, the client secrets behind JWT-ZGW, and the
//! [`CredentialStore`] through which every request is authenticated.
//!
//! `model` holds the rules (ac-001…ac-003), `store` the queries, `service` the
//! use cases (one transaction each, publishing on the `autorisaties` kanaal),
//! `api` the HTTP handlers, `clients` the CLI's client management.

pub mod api;
pub mod clients;
pub mod credentials;
pub mod model;
pub mod service;
mod store;

pub use api::router;
pub use credentials::CredentialStore;

/// The kanaal this component publishes on.
pub const KANAAL: &str = "autorisaties";
/// Base path of the API.
pub const BASE: &str = "/autorisaties/api/v1";

//! Application state handed to every handler: the service context, the
//! authenticator, token rules and metrics. Travels with the request.

use crate::auth::Authenticator;
use crate::metrics::Metrics;
use loket_core::jwt::TimeRules;
use loket_store::Ctx;
use std::sync::Arc;

/// Validated run-time settings that handlers need.
#[derive(Debug, Clone)]
pub struct Settings {
    pub jwt: TimeRules,
}

#[derive(Clone)]
pub struct AppState {
    pub ctx: Ctx,
    pub auth: Arc<dyn Authenticator>,
    pub settings: Arc<Settings>,
    pub metrics: Arc<Metrics>,
}

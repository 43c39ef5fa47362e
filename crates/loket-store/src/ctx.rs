//! The context a domain service works in: store, clock, outbox, the public
//! base URL for resource URLs and the fetcher for external references. Passed explicitly; nothing is global, so one
//! process can later serve several municipalities with a context each.

use crate::outbox::Outbox;
use crate::Db;
use loket_core::clock::Clock;
use loket_core::external::Fetcher;
use std::sync::Arc;

#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub outbox: Outbox,
    /// Base URL under which resources are addressed, without trailing slash.
    pub public_url: Arc<str>,
    /// Fetches resources of configured external services.
    pub fetch: Arc<dyn Fetcher>,
}

impl Ctx {
    /// Absolute URL for a path such as `/autorisaties/api/v1/applicaties/…`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.public_url, path)
    }

    pub fn now_millis(&self) -> i64 {
        self.clock.now_millis()
    }

    /// RFC 3339 "now", for `aanmaakdatum` and similar fields.
    pub fn now_rfc3339(&self) -> String {
        self.clock.now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    }
}

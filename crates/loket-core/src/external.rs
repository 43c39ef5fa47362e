//! Fetching resources of other services to validate a reference, behind a
//! trait so that domain services stay free of HTTP. Only configured services
//! may be fetched; anything else is refused before any request is made.

use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The URL is not under a configured service.
    #[error("de URL hoort niet bij een geconfigureerde dienst")]
    NotAllowed,
    /// The service answered 404.
    #[error("de URL bestaat niet")]
    NotFound,
    /// No usable answer (network error, timeout, other status, no JSON).
    #[error("de URL kon niet worden opgehaald: {0}")]
    Unreachable(String),
}

pub trait Fetcher: Send + Sync + 'static {
    /// GETs `url` as JSON, when it is under a configured service.
    fn fetch<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<Value, FetchError>>;

    /// Base URL of the Selectielijst / referentielijsten API in use.
    fn referentielijsten(&self) -> String;
}

/// A fetcher that may fetch nothing (command-line contexts).
pub struct NoFetch;

impl Fetcher for NoFetch {
    fn fetch<'a>(&'a self, _url: &'a str) -> BoxFuture<'a, Result<Value, FetchError>> {
        Box::pin(async { Err(FetchError::NotAllowed) })
    }

    fn referentielijsten(&self) -> String {
        String::new()
    }
}

//! The fetcher for external references: only the configured referentielijsten
//! API and the configured external services may be fetched (no request can
//! make Loket call an arbitrary address). Answers are cached. Without an
//! external referentielijsten API, Loket's own Selectielijst data is used
//! directly, without a request.

use crate::referentielijsten;
use loket_core::external::{BoxFuture, FetchError, Fetcher};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const CACHE_TTL: Duration = Duration::from_secs(600);

pub struct HttpFetcher {
    http: reqwest::Client,
    /// External referentielijsten API, or `None` for the built-in one.
    referentielijsten: Option<String>,
    /// Base URL of the built-in referentielijsten API.
    builtin: String,
    allowed: Vec<String>,
    cache: Mutex<HashMap<String, (Instant, Value)>>,
}

/// `base` with exactly one trailing slash, for prefix checks.
fn dir(base: &str) -> String {
    format!("{}/", base.trim_end_matches('/'))
}

impl HttpFetcher {
    /// `public_url` is Loket's own base URL; `referentielijsten` and
    /// `allowed` come from the configuration.
    pub fn new(
        http: reqwest::Client,
        public_url: &str,
        referentielijsten: Option<String>,
        allowed: Vec<String>,
    ) -> Self {
        Self {
            http,
            referentielijsten: referentielijsten.filter(|r| !r.is_empty()).map(|r| r.trim_end_matches('/').to_owned()),
            builtin: format!("{}{}", public_url.trim_end_matches('/'), referentielijsten::BASE),
            allowed: allowed.iter().filter(|a| !a.is_empty()).map(|a| dir(a)).collect(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn permitted(&self, url: &str) -> bool {
        let in_refl = self.referentielijsten.as_deref().is_some_and(|r| url.starts_with(&dir(r)));
        in_refl || self.allowed.iter().any(|a| url.starts_with(a.as_str()))
    }

    async fn get(&self, url: &str) -> Result<Value, FetchError> {
        if let Some(path) = url.strip_prefix(&dir(&self.builtin)) {
            if self.referentielijsten.is_none() {
                return referentielijsten::lookup(&self.builtin, path).ok_or(FetchError::NotFound);
            }
        }
        if !self.permitted(url) {
            return Err(FetchError::NotAllowed);
        }
        if let Some(v) = self
            .cache
            .lock()
            .ok()
            .and_then(|c| c.get(url).filter(|(t, _)| t.elapsed() < CACHE_TTL).map(|(_, v)| v.clone()))
        {
            return Ok(v);
        }
        let resp = self
            .http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| FetchError::Unreachable(e.to_string()))?;
        if resp.status().as_u16() == 404 {
            return Err(FetchError::NotFound);
        }
        if !resp.status().is_success() {
            return Err(FetchError::Unreachable(format!("status {}", resp.status().as_u16())));
        }
        // An answer that is no JSON is still an answer: the caller's kind check rejects it.
        let text = resp.text().await.map_err(|e| FetchError::Unreachable(e.to_string()))?;
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        if let Ok(mut c) = self.cache.lock() {
            c.insert(url.to_owned(), (Instant::now(), v.clone()));
        }
        Ok(v)
    }
}

impl Fetcher for HttpFetcher {
    fn fetch<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<Value, FetchError>> {
        Box::pin(self.get(url))
    }

    fn referentielijsten(&self) -> String {
        self.referentielijsten.clone().unwrap_or_else(|| self.builtin.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_configured_services_are_fetched() {
        let f = HttpFetcher::new(reqwest::Client::new(), "http://loket", None, vec!["http://ok.example/api".into()]);
        assert_eq!(f.fetch("http://169.254.169.254/latest").await, Err(FetchError::NotAllowed));
        assert_eq!(f.fetch("http://ok.example/apix/1").await, Err(FetchError::NotAllowed));
        let builtin =
            f.fetch("http://loket/referentielijsten/api/v1/procestypen/b594c8d1-ea6a-4bcd-a6aa-2c7a8ad3fe5b").await;
        assert_eq!(builtin.map(|v| v["nummer"].clone()), Ok(Value::from(1)));
        assert_eq!(f.fetch("http://loket/referentielijsten/api/v1/procestypen/nope").await, Err(FetchError::NotFound));
        assert_eq!(f.referentielijsten(), "http://loket/referentielijsten/api/v1");
    }
}

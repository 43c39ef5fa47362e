//! The authenticator behind every request: client secrets and rights from
//! the database, cached briefly. A client added by `loket client add` in
//! another process is found at once (a cache miss or a failed signature
//! reads the database again); changed rights are seen within the TTL.

use crate::store;
use loket_core::ApiError;
use loket_http::auth::BoxFut;
use loket_http::{Authenticator, ClientCredentials};
use loket_store::Db;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(2);

pub struct CredentialStore {
    db: Db,
    cache: Mutex<HashMap<String, (Instant, ClientCredentials)>>,
}

impl CredentialStore {
    pub fn new(db: Db) -> Self {
        Self { db, cache: Mutex::new(HashMap::new()) }
    }

    async fn load(&self, client_id: &str) -> Result<Option<ClientCredentials>, ApiError> {
        let found = store::credentials(&self.db, client_id).await?;
        let creds = found.map(|(secret, rights)| ClientCredentials { secret, rights });
        if let Ok(mut c) = self.cache.lock() {
            match &creds {
                Some(cr) => {
                    c.insert(client_id.to_owned(), (Instant::now(), cr.clone()));
                }
                None => {
                    c.remove(client_id);
                }
            }
        }
        Ok(creds)
    }
}

impl Authenticator for CredentialStore {
    fn lookup<'a>(
        &'a self,
        client_id: &'a str,
        fresh: bool,
    ) -> BoxFut<'a, Result<Option<ClientCredentials>, ApiError>> {
        Box::pin(async move {
            if !fresh {
                let hit = self
                    .cache
                    .lock()
                    .ok()
                    .and_then(|c| c.get(client_id).filter(|(at, _)| at.elapsed() < TTL).map(|(_, cr)| cr.clone()));
                if let Some(cr) = hit {
                    return Ok(Some(cr));
                }
            }
            self.load(client_id).await
        })
    }
}

//! Configuration in two stages: raw flags and `LOKET_*` variables (clap),
//! validated into a [`Config`] that is passed explicitly.

use clap::{Args, ValueEnum};
use loket_notificaties::DeliveryPolicy;
use loket_store::{Db, DbOptions, StoreError};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Where Loket keeps its data.
#[derive(Args, Clone)]
pub struct StorageArgs {
    /// Data directory for the SQLite database and document files.
    #[arg(long, env = "LOKET_DATA_DIR", default_value = "./loket-data")]
    pub data_dir: PathBuf,
    /// Use PostgreSQL instead of SQLite (postgres://user@host/db).
    #[arg(long, env = "LOKET_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Database connections (SQLite: read connections; writes use one).
    #[arg(long, env = "LOKET_DB_POOL_SIZE", default_value_t = 8)]
    pub db_pool_size: u32,
    /// Seconds to wait for a database connection or lock.
    #[arg(long, env = "LOKET_DB_TIMEOUT", default_value_t = 5)]
    pub db_timeout: u64,
}

impl std::fmt::Debug for StorageArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The database URL may hold a password.
        f.debug_struct("StorageArgs")
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_ref().map(|_| "<redacted>"))
            .field("db_pool_size", &self.db_pool_size)
            .finish()
    }
}

impl StorageArgs {
    /// Opens the database and applies migrations.
    pub async fn open(&self) -> Result<Db, StoreError> {
        let opts = DbOptions { pool_size: self.db_pool_size, timeout: Duration::from_secs(self.db_timeout) };
        let db = match &self.database_url {
            Some(url) if !url.is_empty() => Db::postgres(url, &opts).await?,
            _ => {
                std::fs::create_dir_all(&self.data_dir).map_err(|e| {
                    StoreError::Unavailable(format!("cannot create data directory {}: {e}", self.data_dir.display()))
                })?;
                Db::sqlite(self.data_dir.join("loket.db"), &opts).await?
            }
        };
        db.migrate().await?;
        Ok(db)
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Flags of `loket serve`.
#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// Address to listen on.
    #[arg(long, env = "LOKET_LISTEN", default_value = "127.0.0.1:8000")]
    pub listen: SocketAddr,
    /// Base URL in resource URLs (default: http://<listen address>).
    #[arg(long, env = "LOKET_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Log format.
    #[arg(long, env = "LOKET_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// Allowed clock skew for token `iat`/`exp`, in seconds.
    #[arg(long, env = "LOKET_JWT_LEEWAY", default_value_t = 60)]
    pub jwt_leeway: i64,
    /// Maximum token age in seconds (0: no limit).
    #[arg(long, env = "LOKET_JWT_MAX_AGE", default_value_t = 0)]
    pub jwt_max_age: i64,
    /// Seconds before a request is aborted.
    #[arg(long, env = "LOKET_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "LOKET_BODY_LIMIT", default_value_t = 10 * 1024 * 1024)]
    pub body_limit: usize,
    /// Delivery attempts per notification and abonnement, the first included.
    #[arg(long, env = "LOKET_NOTIFY_MAX_ATTEMPTS", default_value_t = 8)]
    pub notify_max_attempts: i64,
    /// Milliseconds before the first retry; doubles after each failure.
    #[arg(long, env = "LOKET_NOTIFY_BACKOFF_MS", default_value_t = 2000)]
    pub notify_backoff_ms: u64,
    /// Longest wait between retries, in seconds.
    #[arg(long, env = "LOKET_NOTIFY_BACKOFF_MAX", default_value_t = 3600)]
    pub notify_backoff_max: u64,
    /// Selectielijst / referentielijsten API to validate against (default: Loket's own copy).
    #[arg(long, env = "LOKET_REFERENTIELIJSTEN_URL")]
    pub referentielijsten_url: Option<String>,
    /// Base URL of another API that Loket may fetch to validate a reference (repeatable).
    #[arg(long = "external-service", env = "LOKET_EXTERNAL_SERVICES", value_delimiter = ',')]
    pub external_services: Vec<String>,
    /// Start without the demo client and the starter catalogue on an empty database.
    #[arg(long, env = "LOKET_NO_DEMO")]
    pub no_demo: bool,
}

impl ServeArgs {
    pub fn delivery(&self) -> DeliveryPolicy {
        DeliveryPolicy {
            max_attempts: self.notify_max_attempts.max(1),
            backoff: Duration::from_millis(self.notify_backoff_ms),
            backoff_max: Duration::from_secs(self.notify_backoff_max),
            timeout: Duration::from_secs(10),
        }
    }

    /// Checks what clap cannot.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(u) = &self.public_url {
            if !loket_core::fields::valid_url(u) {
                return Err(format!("--public-url '{u}' is not an absolute http(s) URL"));
            }
        }
        for u in self.referentielijsten_url.iter().chain(&self.external_services) {
            if !u.is_empty() && !loket_core::fields::valid_url(u) {
                return Err(format!("'{u}' is not an absolute http(s) URL"));
            }
        }
        if self.body_limit < 1024 {
            return Err("--body-limit must be at least 1024 bytes".into());
        }
        Ok(())
    }
}

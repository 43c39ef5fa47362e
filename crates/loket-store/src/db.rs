//! The database handle: one enum over the two engines, dispatching each query.
//!
//! SQLite has one writer at a time, so writes and transactions go through a
//! single writer connection while reads use a pool of read connections; both
//! run in WAL mode with `synchronous=FULL`, so a commit that returned is on disk.

use crate::error::StoreError;
use crate::query::{Query, Row};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// How to connect.
#[derive(Debug, Clone)]
pub struct DbOptions {
    /// Read connections (SQLite) or all connections (PostgreSQL).
    pub pool_size: u32,
    /// How long a request waits for a connection or a lock.
    pub timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self { pool_size: 8, timeout: Duration::from_secs(5) }
    }
}

#[derive(Clone)]
pub enum Db {
    Sqlite { writer: SqlitePool, reader: SqlitePool },
    Postgres(PgPool),
}

pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Connection counts, for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
}

impl Db {
    /// Opens (creating if needed) the SQLite database at `path`.
    pub async fn sqlite(path: PathBuf, opts: &DbOptions) -> Result<Db, StoreError> {
        let base = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(opts.timeout)
            .pragma("cache_size", "-8000")
            .pragma("temp_store", "memory");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(opts.timeout)
            .connect_with(base.clone())
            .await
            .map_err(StoreError::from_sqlx)?;
        let reader = SqlitePoolOptions::new()
            .max_connections(opts.pool_size.max(1))
            .min_connections(0)
            .acquire_timeout(opts.timeout)
            .connect_with(base.read_only(true))
            .await
            .map_err(StoreError::from_sqlx)?;
        Ok(Db::Sqlite { writer, reader })
    }

    /// Connects to PostgreSQL.
    pub async fn postgres(url: &str, opts: &DbOptions) -> Result<Db, StoreError> {
        let conn = PgConnectOptions::from_str(url).map_err(StoreError::from_sqlx)?;
        let pool = PgPoolOptions::new()
            .max_connections(opts.pool_size.max(2))
            .acquire_timeout(opts.timeout)
            .connect_with(conn)
            .await
            .map_err(StoreError::from_sqlx)?;
        Ok(Db::Postgres(pool))
    }

    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite { .. } => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite { writer, .. } => Tx::Sqlite(writer.begin().await.map_err(StoreError::from_sqlx)?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await.map_err(StoreError::from_sqlx)?),
        })
    }

    pub async fn fetch_all<T: Row>(&self, q: Query) -> Result<Vec<T>, StoreError> {
        match self {
            Db::Sqlite { reader, .. } => sqlx::query_as_with(&q.sql, q.sqlite_args()?).fetch_all(reader).await,
            Db::Postgres(p) => sqlx::query_as_with(&q.sql, q.pg_args()?).fetch_all(p).await,
        }
        .map_err(StoreError::from_sqlx)
    }

    pub async fn fetch_optional<T: Row>(&self, q: Query) -> Result<Option<T>, StoreError> {
        match self {
            Db::Sqlite { reader, .. } => sqlx::query_as_with(&q.sql, q.sqlite_args()?).fetch_optional(reader).await,
            Db::Postgres(p) => sqlx::query_as_with(&q.sql, q.pg_args()?).fetch_optional(p).await,
        }
        .map_err(StoreError::from_sqlx)
    }

    pub async fn fetch_one<T: Row>(&self, q: Query) -> Result<T, StoreError> {
        self.fetch_optional(q).await?.ok_or_else(|| StoreError::Corrupt("expected one row".into()))
    }

    /// A single write outside an explicit transaction.
    pub async fn execute(&self, q: Query) -> Result<u64, StoreError> {
        match self {
            Db::Sqlite { writer, .. } => {
                sqlx::query_with(&q.sql, q.sqlite_args()?).execute(writer).await.map(|r| r.rows_affected())
            }
            Db::Postgres(p) => sqlx::query_with(&q.sql, q.pg_args()?).execute(p).await.map(|r| r.rows_affected()),
        }
        .map_err(StoreError::from_sqlx)
    }

    /// A write that returns rows (`UPDATE … RETURNING`).
    pub async fn write_fetch_all<T: Row>(&self, q: Query) -> Result<Vec<T>, StoreError> {
        match self {
            Db::Sqlite { writer, .. } => sqlx::query_as_with(&q.sql, q.sqlite_args()?).fetch_all(writer).await,
            Db::Postgres(p) => sqlx::query_as_with(&q.sql, q.pg_args()?).fetch_all(p).await,
        }
        .map_err(StoreError::from_sqlx)
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        self.fetch_optional::<(i64,)>(crate::q("SELECT CAST(1 AS BIGINT)")).await.is_ok()
    }

    pub fn stats(&self) -> PoolStats {
        match self {
            Db::Sqlite { writer, reader } => {
                PoolStats { size: writer.size() + reader.size(), idle: (writer.num_idle() + reader.num_idle()) as u32 }
            }
            Db::Postgres(p) => PoolStats { size: p.size(), idle: p.num_idle() as u32 },
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { writer, reader } => {
                reader.close().await;
                writer.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }

    /// Runs raw DDL (several statements) in a transaction.
    pub(crate) async fn raw_ddl(&self, tx: &mut Tx, sql: &str) -> Result<(), StoreError> {
        let _ = self;
        match tx {
            Tx::Sqlite(t) => sqlx::raw_sql(sql).execute(&mut **t).await.map(|_| ()),
            Tx::Postgres(t) => sqlx::raw_sql(sql).execute(&mut **t).await.map(|_| ()),
        }
        .map_err(StoreError::from_sqlx)
    }
}

impl Tx {
    pub async fn fetch_all<T: Row>(&mut self, q: Query) -> Result<Vec<T>, StoreError> {
        match self {
            Tx::Sqlite(t) => sqlx::query_as_with(&q.sql, q.sqlite_args()?).fetch_all(&mut **t).await,
            Tx::Postgres(t) => sqlx::query_as_with(&q.sql, q.pg_args()?).fetch_all(&mut **t).await,
        }
        .map_err(StoreError::from_sqlx)
    }

    pub async fn fetch_optional<T: Row>(&mut self, q: Query) -> Result<Option<T>, StoreError> {
        match self {
            Tx::Sqlite(t) => sqlx::query_as_with(&q.sql, q.sqlite_args()?).fetch_optional(&mut **t).await,
            Tx::Postgres(t) => sqlx::query_as_with(&q.sql, q.pg_args()?).fetch_optional(&mut **t).await,
        }
        .map_err(StoreError::from_sqlx)
    }

    pub async fn fetch_one<T: Row>(&mut self, q: Query) -> Result<T, StoreError> {
        self.fetch_optional(q).await?.ok_or_else(|| StoreError::Corrupt("expected one row".into()))
    }

    pub async fn execute(&mut self, q: Query) -> Result<u64, StoreError> {
        match self {
            Tx::Sqlite(t) => {
                sqlx::query_with(&q.sql, q.sqlite_args()?).execute(&mut **t).await.map(|r| r.rows_affected())
            }
            Tx::Postgres(t) => {
                sqlx::query_with(&q.sql, q.pg_args()?).execute(&mut **t).await.map(|r| r.rows_affected())
            }
        }
        .map_err(StoreError::from_sqlx)
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
        .map_err(StoreError::from_sqlx)
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.rollback().await,
            Tx::Postgres(t) => t.rollback().await,
        }
        .map_err(StoreError::from_sqlx)
    }
}

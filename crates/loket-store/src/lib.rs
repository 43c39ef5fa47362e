//! Storage for both engines: SQLite (embedded, WAL, durable commits, one writer
//! connection) and PostgreSQL, behind one concrete [`Db`] type.
//!
//! Every query is written once, with `$1`-style placeholders that both engines
//! understand, and executed through [`Db`] or [`Tx`], which dispatch to the
//! engine. Only DDL differs per engine (see `migrations/`). The outbox that
//! carries notifications lives here too, so any component can publish in the
//! transaction of its change.

mod ctx;
mod db;
mod error;
mod migrate;
pub mod outbox;
mod query;

pub use ctx::Ctx;
pub use db::{Db, DbOptions, Engine, PoolStats, Tx};
pub use error::StoreError;
pub use migrate::MIGRATIONS;
pub use query::{q, Arg, Query, Row};

//! Integration tests: the real router over real HTTP on a real database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Every storage-touching test runs twice, on SQLite and on PostgreSQL
//! (`both!`); the PostgreSQL half needs `LOKET_TEST_POSTGRES_URL`.

mod helpers;

mod autorisaties;
mod catalogi;
mod catalogi_zaaktype;
mod errors;
mod notificaties;
mod schema;

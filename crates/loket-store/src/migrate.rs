//! Schema migrations: numbered, one SQL file per engine, applied once each in
//! a transaction and recorded in `loket_migrations`.

use crate::{q, Db, Engine, StoreError};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "catalogi",
        sqlite: include_str!("../migrations/sqlite/0002_catalogi.sql"),
        postgres: include_str!("../migrations/postgres/0002_catalogi.sql"),
    },
    Migration {
        version: 3,
        name: "zaaktype_children",
        sqlite: include_str!("../migrations/sqlite/0003_zaaktype_children.sql"),
        postgres: include_str!("../migrations/postgres/0003_zaaktype_children.sql"),
    },
    Migration {
        version: 4,
        name: "catalogus_type_values",
        sqlite: include_str!("../migrations/sqlite/0004_catalogus_type_values.sql"),
        postgres: include_str!("../migrations/postgres/0004_catalogus_type_values.sql"),
    },
];

impl Db {
    /// Applies the migrations that have not run yet; returns how many ran.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        if self.engine() == Engine::Postgres {
            // Serialise concurrent start-ups of several instances.
            let mut tx = self.begin().await?;
            tx.execute(q("SELECT pg_advisory_xact_lock(7432001)")).await?;
            let n = self.migrate_in(&mut tx).await?;
            tx.commit().await?;
            return Ok(n);
        }
        let mut tx = self.begin().await?;
        let n = self.migrate_in(&mut tx).await?;
        tx.commit().await?;
        Ok(n)
    }

    async fn migrate_in(&self, tx: &mut crate::Tx) -> Result<usize, StoreError> {
        tx.execute(q("CREATE TABLE IF NOT EXISTS loket_migrations (
                version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"))
            .await?;
        let done: Vec<(i64,)> = tx.fetch_all(q("SELECT version FROM loket_migrations")).await?;
        let mut ran = 0;
        for m in MIGRATIONS {
            if done.iter().any(|(v,)| *v == m.version) {
                continue;
            }
            let sql = match self.engine() {
                Engine::Sqlite => m.sqlite,
                Engine::Postgres => m.postgres,
            };
            self.raw_ddl(tx, sql).await?;
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or_default();
            tx.execute(
                q("INSERT INTO loket_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                    .bind(m.version)
                    .bind(m.name)
                    .bind(now),
            )
            .await?;
            ran += 1;
        }
        Ok(ran)
    }
}

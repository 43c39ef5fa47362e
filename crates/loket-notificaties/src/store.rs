//! Queries of the Notificaties component and of the delivery worker.

use crate::model::{Abonnement, FilterGroup, Kanaal};
use loket_store::{q, Db, Query, StoreError, Tx};
use uuid::Uuid;

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

#[derive(sqlx::FromRow)]
struct KanaalRow {
    uuid: String,
    naam: String,
    documentatie_link: String,
    filters: String,
}

impl KanaalRow {
    fn into_kanaal(self) -> Result<Kanaal, StoreError> {
        Ok(Kanaal {
            uuid: Uuid::parse_str(&self.uuid).map_err(corrupt)?,
            naam: self.naam,
            documentatie_link: self.documentatie_link,
            filters: serde_json::from_str(&self.filters).map_err(corrupt)?,
        })
    }
}

pub async fn kanalen(db: &Db, naam: Option<&str>) -> Result<Vec<Kanaal>, StoreError> {
    let mut query = q("SELECT uuid, naam, documentatie_link, filters FROM kanaal");
    if let Some(n) = naam {
        query = query.push_bound(" WHERE naam = {}", n);
    }
    let rows: Vec<KanaalRow> = db.fetch_all(query.push(" ORDER BY id")).await?;
    rows.into_iter().map(KanaalRow::into_kanaal).collect()
}

pub async fn kanaal(db: &Db, uuid: Uuid) -> Result<Option<Kanaal>, StoreError> {
    let row: Option<KanaalRow> = db
        .fetch_optional(q("SELECT uuid, naam, documentatie_link, filters FROM kanaal WHERE uuid = $1").bind(uuid))
        .await?;
    row.map(KanaalRow::into_kanaal).transpose()
}

pub async fn insert_kanaal(tx: &mut Tx, k: &Kanaal) -> Result<(), StoreError> {
    tx.execute(
        q("INSERT INTO kanaal (uuid, naam, documentatie_link, filters) VALUES ($1, $2, $3, $4)")
            .bind(k.uuid)
            .bind(&k.naam)
            .bind(&k.documentatie_link)
            .bind(serde_json::to_string(&k.filters).map_err(corrupt)?),
    )
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AbonnementRow {
    id: i64,
    uuid: String,
    callback_url: String,
    auth: String,
    kanalen: String,
}

impl AbonnementRow {
    fn into_abonnement(self) -> Result<(i64, Abonnement), StoreError> {
        let kanalen: Vec<FilterGroup> = serde_json::from_str(&self.kanalen).map_err(corrupt)?;
        Ok((
            self.id,
            Abonnement {
                uuid: Uuid::parse_str(&self.uuid).map_err(corrupt)?,
                callback_url: self.callback_url,
                auth: self.auth,
                kanalen,
            },
        ))
    }
}

const ABONNEMENT_COLUMNS: &str = "id, uuid, callback_url, auth, kanalen";

/// All abonnementen with their row ids.
pub async fn abonnementen(db: &Db) -> Result<Vec<(i64, Abonnement)>, StoreError> {
    let rows: Vec<AbonnementRow> =
        db.fetch_all(q(format!("SELECT {ABONNEMENT_COLUMNS} FROM abonnement ORDER BY id"))).await?;
    rows.into_iter().map(AbonnementRow::into_abonnement).collect()
}

async fn abonnementen_in(tx: &mut Tx) -> Result<Vec<(i64, Abonnement)>, StoreError> {
    let rows: Vec<AbonnementRow> =
        tx.fetch_all(q(format!("SELECT {ABONNEMENT_COLUMNS} FROM abonnement ORDER BY id"))).await?;
    rows.into_iter().map(AbonnementRow::into_abonnement).collect()
}

pub async fn abonnement(db: &Db, uuid: Uuid) -> Result<Option<Abonnement>, StoreError> {
    let row: Option<AbonnementRow> =
        db.fetch_optional(q(format!("SELECT {ABONNEMENT_COLUMNS} FROM abonnement WHERE uuid = $1")).bind(uuid)).await?;
    Ok(row.map(AbonnementRow::into_abonnement).transpose()?.map(|(_, a)| a))
}

pub async fn insert_abonnement(tx: &mut Tx, a: &Abonnement, client_id: &str, now: i64) -> Result<(), StoreError> {
    tx.execute(
        q("INSERT INTO abonnement (uuid, callback_url, auth, kanalen, client_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(a.uuid)
            .bind(&a.callback_url)
            .bind(&a.auth)
            .bind(serde_json::to_string(&a.kanalen).map_err(corrupt)?)
            .bind(client_id)
            .bind(now),
    )
    .await?;
    Ok(())
}

pub async fn update_abonnement(tx: &mut Tx, a: &Abonnement) -> Result<bool, StoreError> {
    let n = tx
        .execute(
            q("UPDATE abonnement SET callback_url = $1, auth = $2, kanalen = $3 WHERE uuid = $4")
                .bind(&a.callback_url)
                .bind(&a.auth)
                .bind(serde_json::to_string(&a.kanalen).map_err(corrupt)?)
                .bind(a.uuid),
        )
        .await?;
    Ok(n > 0)
}

pub async fn delete_abonnement(tx: &mut Tx, uuid: Uuid) -> Result<bool, StoreError> {
    Ok(tx.execute(q("DELETE FROM abonnement WHERE uuid = $1").bind(uuid)).await? > 0)
}

// ---- worker ----

#[derive(sqlx::FromRow)]
struct PendingRow {
    id: i64,
    message: String,
}

/// Fans out up to `limit` notifications to matching abonnementen in one
/// transaction; returns how many notifications were handled.
pub async fn fan_out(db: &Db, limit: i64, now: i64) -> Result<usize, StoreError> {
    let mut tx = db.begin().await?;
    let pending: Vec<PendingRow> = tx
        .fetch_all(q("SELECT id, message FROM notificatie WHERE NOT fanned_out ORDER BY id LIMIT $1").bind(limit))
        .await?;
    if pending.is_empty() {
        return Ok(0);
    }
    let abonnementen = abonnementen_in(&mut tx).await?;
    for p in &pending {
        let n: loket_core::notification::Notification = serde_json::from_str(&p.message).map_err(corrupt)?;
        for (abo_id, _) in abonnementen.iter().filter(|(_, a)| a.wants(&n)) {
            tx.execute(
                q("INSERT INTO delivery (notificatie_id, abonnement_id, state, attempts, next_attempt_at, created_at)
                   VALUES ($1, $2, 'pending', 0, $3, $3)")
                .bind(p.id)
                .bind(*abo_id)
                .bind(now),
            )
            .await?;
        }
    }
    let mark =
        q("UPDATE notificatie SET fanned_out = $1 WHERE id IN ").bind(true).push_list(pending.iter().map(|p| p.id));
    tx.execute(mark).await?;
    tx.commit().await?;
    Ok(pending.len())
}

/// A delivery claimed by the worker.
#[derive(sqlx::FromRow, Debug)]
pub struct Due {
    pub id: i64,
    pub attempts: i64,
    pub message: String,
    pub callback_url: String,
    pub auth: String,
}

/// Claims due deliveries with a lease, so no other worker takes them meanwhile.
pub async fn claim_due(db: &Db, limit: i64, now: i64, lease_until: i64) -> Result<Vec<Due>, StoreError> {
    let ids: Vec<(i64,)> = db
        .write_fetch_all(
            q("UPDATE delivery SET lease_until = $1 WHERE id IN (
                 SELECT id FROM delivery WHERE state = 'pending' AND next_attempt_at <= $2
                 AND (lease_until IS NULL OR lease_until < $2) ORDER BY next_attempt_at LIMIT $3)
               RETURNING id")
            .bind(lease_until)
            .bind(now)
            .bind(limit),
        )
        .await?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let query = q("SELECT d.id, d.attempts, n.message, a.callback_url, a.auth
        FROM delivery d JOIN notificatie n ON n.id = d.notificatie_id JOIN abonnement a ON a.id = d.abonnement_id
        WHERE d.id IN ")
    .push_list(ids.iter().map(|(id,)| *id));
    db.write_fetch_all(query.push(" ORDER BY d.id")).await
}

/// What one attempt gave.
pub struct Outcome {
    pub delivered: bool,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
    /// Next state when not delivered: `Some(at)` retries at `at`, `None` gives up.
    pub retry_at: Option<i64>,
}

pub async fn record(db: &Db, due: &Due, o: &Outcome, now: i64) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let attempt = due.attempts + 1;
    tx.execute(
        q("INSERT INTO delivery_attempt (delivery_id, attempt, at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(due.id)
            .bind(attempt)
            .bind(now)
            .bind(o.status_code)
            .bind(o.error.clone())
            .bind(o.duration_ms),
    )
    .await?;
    let update: Query = if o.delivered {
        q("UPDATE delivery SET state = 'delivered', attempts = $1, delivered_at = $2, lease_until = NULL, last_error = NULL WHERE id = $3")
            .bind(attempt)
            .bind(now)
            .bind(due.id)
    } else {
        match o.retry_at {
            Some(at) => q("UPDATE delivery SET attempts = $1, next_attempt_at = $2, lease_until = NULL, last_error = $3 WHERE id = $4")
                .bind(attempt)
                .bind(at)
                .bind(o.error.clone())
                .bind(due.id),
            None => q("UPDATE delivery SET state = 'failed', attempts = $1, lease_until = NULL, last_error = $2 WHERE id = $3")
                .bind(attempt)
                .bind(o.error.clone())
                .bind(due.id),
        }
    };
    tx.execute(update).await?;
    tx.commit().await
}

/// Frees leases left by a process that stopped (at least once, never lost).
pub async fn release_leases(db: &Db) -> Result<u64, StoreError> {
    db.execute(q("UPDATE delivery SET lease_until = NULL WHERE state = 'pending' AND lease_until IS NOT NULL")).await
}

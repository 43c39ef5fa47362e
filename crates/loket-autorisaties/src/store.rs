//! Queries of the Autorisaties component, written once for both engines.

use crate::model::Applicatie;
use loket_core::authz::{Autorisatie, Rights};
use loket_core::page::{offset, PAGE_SIZE};
use loket_store::{q, Db, Query, StoreError, Tx};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct ApplicatieRow {
    id: i64,
    uuid: String,
    label: String,
    heeft_alle_autorisaties: bool,
    autorisaties: String,
}

#[derive(sqlx::FromRow)]
struct ClientRow {
    applicatie_id: i64,
    client_id: String,
}

const COLUMNS: &str = "id, uuid, label, heeft_alle_autorisaties, autorisaties";

fn decode_autorisaties(json: &str) -> Result<Vec<Autorisatie>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("autorisaties: {e}")))
}

fn encode_autorisaties(a: &[Autorisatie]) -> Result<String, StoreError> {
    serde_json::to_string(a).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn assemble(rows: Vec<ApplicatieRow>, clients: Vec<ClientRow>) -> Result<Vec<(i64, Applicatie)>, StoreError> {
    rows.into_iter()
        .map(|r| {
            Ok((
                r.id,
                Applicatie {
                    uuid: Uuid::parse_str(&r.uuid).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    client_ids: clients
                        .iter()
                        .filter(|c| c.applicatie_id == r.id)
                        .map(|c| c.client_id.clone())
                        .collect(),
                    label: r.label,
                    rights: Rights {
                        heeft_alle_autorisaties: r.heeft_alle_autorisaties,
                        autorisaties: decode_autorisaties(&r.autorisaties)?,
                    },
                },
            ))
        })
        .collect()
}

fn clients_of(ids: &[i64]) -> Query {
    q("SELECT applicatie_id, client_id FROM applicatie_client WHERE applicatie_id IN ")
        .push_list(ids.iter().copied())
        .push(" ORDER BY applicatie_id, position")
}

/// One page of applicaties, optionally only those with one of `client_ids`.
pub async fn list(db: &Db, client_ids: &[String], page: i64) -> Result<(Vec<Applicatie>, i64), StoreError> {
    let mut filter = q("");
    if !client_ids.is_empty() {
        filter = filter
            .push(" WHERE id IN (SELECT applicatie_id FROM applicatie_client WHERE client_id IN ")
            .push_list(client_ids)
            .push(")");
    }
    let (count,): (i64,) = db
        .fetch_one(Query { sql: format!("SELECT COUNT(*) FROM applicatie{}", filter.sql), args: filter.args.clone() })
        .await?;
    let list = Query { sql: format!("SELECT {COLUMNS} FROM applicatie{} ORDER BY id", filter.sql), args: filter.args }
        .push_bound(" LIMIT {}", PAGE_SIZE)
        .push_bound(" OFFSET {}", offset(page));
    let rows: Vec<ApplicatieRow> = db.fetch_all(list).await?;
    if rows.is_empty() {
        return Ok((vec![], count));
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let clients: Vec<ClientRow> = db.fetch_all(clients_of(&ids)).await?;
    Ok((assemble(rows, clients)?.into_iter().map(|(_, a)| a).collect(), count))
}

pub async fn get(db: &Db, uuid: Uuid) -> Result<Option<Applicatie>, StoreError> {
    let row: Option<ApplicatieRow> =
        db.fetch_optional(q(format!("SELECT {COLUMNS} FROM applicatie WHERE uuid = $1")).bind(uuid)).await?;
    let Some(row) = row else { return Ok(None) };
    let clients: Vec<ClientRow> = db.fetch_all(clients_of(&[row.id])).await?;
    Ok(assemble(vec![row], clients)?.pop().map(|(_, a)| a))
}

pub async fn by_client_id(db: &Db, client_id: &str) -> Result<Option<Applicatie>, StoreError> {
    let uuid: Option<(String,)> = db
        .fetch_optional(
            q("SELECT a.uuid FROM applicatie a JOIN applicatie_client c ON c.applicatie_id = a.id WHERE c.client_id = $1")
                .bind(client_id),
        )
        .await?;
    match uuid.and_then(|(u,)| Uuid::parse_str(&u).ok()) {
        Some(u) => get(db, u).await,
        None => Ok(None),
    }
}

/// Client ids among `ids` that belong to an applicatie other than `except`.
pub async fn taken_client_ids(tx: &mut Tx, ids: &[String], except: Option<Uuid>) -> Result<Vec<String>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(
        "SELECT c.client_id FROM applicatie_client c JOIN applicatie a ON a.id = c.applicatie_id WHERE c.client_id IN ",
    )
    .push_list(ids);
    if let Some(u) = except {
        query = query.push_bound(" AND a.uuid <> {}", u);
    }
    let rows: Vec<(String,)> = tx.fetch_all(query).await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

pub async fn insert(tx: &mut Tx, app: &Applicatie, now: i64) -> Result<(), StoreError> {
    let (id,): (i64,) = tx
        .fetch_one(
            q("INSERT INTO applicatie (uuid, label, heeft_alle_autorisaties, autorisaties, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
            .bind(app.uuid)
            .bind(&app.label)
            .bind(app.rights.heeft_alle_autorisaties)
            .bind(encode_autorisaties(&app.rights.autorisaties)?)
            .bind(now),
        )
        .await?;
    set_client_ids(tx, id, &app.client_ids).await
}

/// Replaces an applicatie's fields; false when it does not exist.
pub async fn update(tx: &mut Tx, app: &Applicatie, now: i64) -> Result<bool, StoreError> {
    let row: Option<(i64,)> = tx
        .fetch_optional(
            q("UPDATE applicatie SET label = $1, heeft_alle_autorisaties = $2, autorisaties = $3, updated_at = $4
               WHERE uuid = $5 RETURNING id")
            .bind(&app.label)
            .bind(app.rights.heeft_alle_autorisaties)
            .bind(encode_autorisaties(&app.rights.autorisaties)?)
            .bind(now)
            .bind(app.uuid),
        )
        .await?;
    let Some((id,)) = row else { return Ok(false) };
    // Client ids that leave the applicatie lose their secret.
    let mut gone = q("DELETE FROM client_secret WHERE client_id IN (SELECT client_id FROM applicatie_client WHERE applicatie_id = $1").bind(id);
    for c in &app.client_ids {
        gone = gone.push_bound(" AND client_id <> {}", c);
    }
    tx.execute(gone.push(")")).await?;
    tx.execute(q("DELETE FROM applicatie_client WHERE applicatie_id = $1").bind(id)).await?;
    set_client_ids(tx, id, &app.client_ids).await?;
    Ok(true)
}

async fn set_client_ids(tx: &mut Tx, id: i64, client_ids: &[String]) -> Result<(), StoreError> {
    for (pos, c) in client_ids.iter().enumerate() {
        tx.execute(
            q("INSERT INTO applicatie_client (client_id, applicatie_id, position) VALUES ($1, $2, $3)")
                .bind(c)
                .bind(id)
                .bind(pos as i64),
        )
        .await?;
    }
    Ok(())
}

pub async fn delete(tx: &mut Tx, uuid: Uuid) -> Result<bool, StoreError> {
    tx.execute(
        q("DELETE FROM client_secret WHERE client_id IN (SELECT c.client_id FROM applicatie_client c
                   JOIN applicatie a ON a.id = c.applicatie_id WHERE a.uuid = $1)")
        .bind(uuid),
    )
    .await?;
    Ok(tx.execute(q("DELETE FROM applicatie WHERE uuid = $1").bind(uuid)).await? > 0)
}

#[derive(sqlx::FromRow)]
pub struct CredentialRow {
    pub secret: String,
    pub heeft_alle_autorisaties: bool,
    pub autorisaties: String,
}

/// The secret and rights of a client; both must exist.
pub async fn credentials(db: &Db, client_id: &str) -> Result<Option<(String, Rights)>, StoreError> {
    let row: Option<CredentialRow> = db
        .fetch_optional(
            q("SELECT s.secret, a.heeft_alle_autorisaties, a.autorisaties
               FROM client_secret s
               JOIN applicatie_client c ON c.client_id = s.client_id
               JOIN applicatie a ON a.id = c.applicatie_id
               WHERE s.client_id = $1")
            .bind(client_id),
        )
        .await?;
    row.map(|r| {
        Ok((
            r.secret,
            Rights {
                heeft_alle_autorisaties: r.heeft_alle_autorisaties,
                autorisaties: decode_autorisaties(&r.autorisaties)?,
            },
        ))
    })
    .transpose()
}

pub async fn set_secret(tx: &mut Tx, client_id: &str, secret: &str, now: i64) -> Result<(), StoreError> {
    tx.execute(q("DELETE FROM client_secret WHERE client_id = $1").bind(client_id)).await?;
    tx.execute(
        q("INSERT INTO client_secret (client_id, secret, created_at) VALUES ($1, $2, $3)")
            .bind(client_id)
            .bind(secret)
            .bind(now),
    )
    .await?;
    Ok(())
}

pub async fn delete_secret(tx: &mut Tx, client_id: &str) -> Result<bool, StoreError> {
    Ok(tx.execute(q("DELETE FROM client_secret WHERE client_id = $1").bind(client_id)).await? > 0)
}

/// All client ids with whether they have a secret, for `loket client list`.
pub async fn all_clients(db: &Db) -> Result<Vec<(String, String, bool, bool)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct ClientListRow {
        client_id: String,
        label: String,
        heeft_alle_autorisaties: bool,
        has_secret: i64,
    }
    let rows: Vec<ClientListRow> = db
        .fetch_all(q("SELECT c.client_id, a.label, a.heeft_alle_autorisaties,
                  (SELECT COUNT(*) FROM client_secret s WHERE s.client_id = c.client_id) AS has_secret
                  FROM applicatie_client c JOIN applicatie a ON a.id = c.applicatie_id ORDER BY c.client_id"))
        .await?;
    Ok(rows.into_iter().map(|r| (r.client_id, r.label, r.heeft_alle_autorisaties, r.has_secret > 0)).collect())
}

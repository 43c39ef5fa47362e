//! The catalogus resource: create, read and list with its filters.

use crate::spec::{self, CATALOGUS};
use crate::BASE;
use loket_core::page::{offset, PAGE_SIZE};
use loket_core::ApiError;
use loket_store::{q, Ctx, Db, Query, StoreError};
use serde_json::{Map, Value};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Catalogus {
    pub id: i64,
    pub uuid: Uuid,
    pub data: Map<String, Value>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    uuid: String,
    data: String,
}

impl Row {
    fn into_catalogus(self) -> Result<Catalogus, StoreError> {
        Ok(Catalogus {
            id: self.id,
            uuid: Uuid::parse_str(&self.uuid).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            data: serde_json::from_str(&self.data).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        })
    }
}

pub fn url_of(ctx: &Ctx, uuid: Uuid) -> String {
    ctx.url(&format!("{BASE}/catalogussen/{uuid}"))
}

/// The catalogus a URL of ours points at.
pub async fn resolve(ctx: &Ctx, url: &str) -> Result<Option<Catalogus>, ApiError> {
    let prefix = ctx.url(&format!("{BASE}/catalogussen/"));
    let Some(uuid) = url.strip_prefix(&prefix).and_then(|u| Uuid::parse_str(u.trim_end_matches('/')).ok()) else {
        return Ok(None);
    };
    get(&ctx.db, uuid).await
}

pub async fn get(db: &Db, uuid: Uuid) -> Result<Option<Catalogus>, ApiError> {
    let row: Option<Row> =
        db.fetch_optional(q("SELECT id, uuid, data FROM catalogus WHERE uuid = $1").bind(uuid)).await?;
    Ok(row.map(Row::into_catalogus).transpose()?)
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Catalogus>, ApiError> {
    let row: Option<Row> = db.fetch_optional(q("SELECT id, uuid, data FROM catalogus WHERE id = $1").bind(id)).await?;
    Ok(row.map(Row::into_catalogus).transpose()?)
}

/// The 11-proef of RSIN and BSN.
pub fn elfproef(s: &str) -> bool {
    if s.len() != 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: i64 =
        s.bytes().enumerate().map(|(i, b)| i64::from(b - b'0') * if i == 8 { -1 } else { 9 - i as i64 }).sum();
    sum % 11 == 0
}

pub async fn create(ctx: &Ctx, body: &Value) -> Result<Catalogus, ApiError> {
    let data = spec::read(CATALOGUS, body, None)?;
    let rsin = data.get("rsin").and_then(Value::as_str).unwrap_or_default().to_owned();
    if !elfproef(&rsin) {
        return Err(ApiError::field("rsin", "invalid", "Een RSIN bestaat uit 9 cijfers en voldoet aan de elfproef."));
    }
    let domein = data.get("domein").and_then(Value::as_str).unwrap_or_default().to_owned();
    let uuid = Uuid::new_v4();
    let text = serde_json::to_string(&data).map_err(ApiError::internal)?;
    let mut tx = ctx.db.begin().await?;
    let (id,): (i64,) = tx
        .fetch_one(
            q("INSERT INTO catalogus (uuid, domein, rsin, data, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(uuid)
                .bind(domein)
                .bind(rsin)
                .bind(text)
                .bind(ctx.now_millis()),
        )
        .await?;
    tx.commit().await?;
    Ok(Catalogus { id, uuid, data })
}

/// Filters of the catalogus list.
#[derive(Default)]
pub struct Filter {
    pub domein: Vec<String>,
    pub rsin: Vec<String>,
}

impl Filter {
    fn condition(&self) -> Query {
        let mut c = q(" WHERE 1 = 1");
        for (col, values) in [("domein", &self.domein), ("rsin", &self.rsin)] {
            if values.is_empty() {
                continue;
            }
            c = c.push(&format!(" AND {col} IN ")).push_list(values);
        }
        c
    }
}

pub async fn list(db: &Db, filter: &Filter, page: i64) -> Result<(Vec<Catalogus>, i64), ApiError> {
    let cond = filter.condition();
    let (count,): (i64,) = db
        .fetch_one(Query { sql: format!("SELECT COUNT(*) FROM catalogus{}", cond.sql), args: cond.args.clone() })
        .await?;
    let rows: Vec<Row> = db
        .fetch_all(
            Query { sql: format!("SELECT id, uuid, data FROM catalogus{} ORDER BY id", cond.sql), args: cond.args }
                .push_bound(" LIMIT {}", PAGE_SIZE)
                .push_bound(" OFFSET {}", offset(page)),
        )
        .await?;
    Ok((rows.into_iter().map(Row::into_catalogus).collect::<Result<_, _>>()?, count))
}

#[cfg(test)]
mod tests {
    #[test]
    fn elfproef() {
        assert!(super::elfproef("000000000"));
        assert!(super::elfproef("002564440"));
        assert!(!super::elfproef("123456789"));
        assert!(!super::elfproef("12345678"));
    }
}

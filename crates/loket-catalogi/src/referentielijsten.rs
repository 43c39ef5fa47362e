//! The Selectielijst 2020 served by Loket itself at `/referentielijsten/api/v1`
//! (procestypen, resultaten, resultaattypeomschrijvingen), for installations
//! without an external referentielijsten API. The data ships with Loket.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use loket_core::page::{envelope, offset, PAGE_SIZE};
use loket_core::ApiError;
use loket_http::{ApiQuery, AppState, HttpResult};
use serde_json::Value;
use std::sync::OnceLock;

pub const BASE: &str = "/referentielijsten/api/v1";
const LISTS: [&str; 3] = ["procestypen", "resultaten", "resultaattypeomschrijvingen"];

fn data(list: &str) -> &'static [Value] {
    static PROCESTYPEN: OnceLock<Vec<Value>> = OnceLock::new();
    static RESULTATEN: OnceLock<Vec<Value>> = OnceLock::new();
    static OMSCHRIJVINGEN: OnceLock<Vec<Value>> = OnceLock::new();
    let parse = |s: &str| serde_json::from_str::<Vec<Value>>(s).unwrap_or_default();
    match list {
        "procestypen" => PROCESTYPEN.get_or_init(|| parse(include_str!("../data/procestypen.json"))),
        "resultaten" => RESULTATEN.get_or_init(|| parse(include_str!("../data/resultaten.json"))),
        "resultaattypeomschrijvingen" => {
            OMSCHRIJVINGEN.get_or_init(|| parse(include_str!("../data/resultaattypeomschrijvingen.json")))
        }
        _ => &[],
    }
}

/// One item with its references made absolute under `base`.
fn expand(base: &str, list: &str, item: &Value) -> Value {
    let mut out = item.clone();
    if let Some(id) = item["url"].as_str() {
        out["url"] = format!("{base}/{list}/{id}").into();
    }
    if let Some(p) = item.get("procesType").and_then(Value::as_str) {
        out["procesType"] = format!("{base}/procestypen/{p}").into();
    }
    out
}

/// Looks up `path` (below the API root, e.g. `/resultaten/<uuid>`).
pub fn lookup(base: &str, path: &str) -> Option<Value> {
    let mut parts = path.trim_matches('/').split('/');
    let (list, id) = (parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    data(list).iter().find(|i| i["url"].as_str() == Some(id)).map(|i| expand(base, list, i))
}

pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{BASE}/{{list}}"), get(list)).route(&format!("{BASE}/{{list}}/{{id}}"), get(item))
}

async fn list(State(s): State<AppState>, Path(name): Path<String>, query: ApiQuery) -> HttpResult<Json<Value>> {
    if !LISTS.contains(&name.as_str()) {
        return Err(ApiError::NotFound.into());
    }
    let base = s.ctx.url(BASE);
    let items = data(&name);
    if name != "resultaten" {
        query.allow(&["jaar"])?;
        let jaar = query.get("jaar");
        let out: Vec<Value> = items
            .iter()
            .filter(|i| jaar.is_none_or(|j| i["jaar"].as_i64().is_some_and(|y| y.to_string() == j)))
            .map(|i| expand(&base, &name, i))
            .collect();
        return Ok(Json(Value::Array(out)));
    }
    query.allow(&["procesType", "page"])?;
    let page = query.page()?;
    let proces = query.get("procesType").map(|p| p.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_owned());
    let matching: Vec<&Value> =
        items.iter().filter(|i| proces.as_deref().is_none_or(|p| i["procesType"].as_str() == Some(p))).collect();
    let start = offset(page) as usize;
    if start > 0 && start >= matching.len() {
        return Err(ApiError::NotFound.into());
    }
    let results: Vec<Value> =
        matching.iter().skip(start).take(PAGE_SIZE as usize).map(|i| expand(&base, "resultaten", i)).collect();
    let rest = query.without_page();
    let list_url = if rest.is_empty() { format!("{base}/resultaten") } else { format!("{base}/resultaten?{rest}") };
    let page = envelope(results, matching.len() as i64, page, &list_url);
    Ok(Json(serde_json::to_value(page).map_err(ApiError::internal)?))
}

async fn item(State(s): State<AppState>, Path((name, id)): Path<(String, String)>) -> HttpResult<Json<Value>> {
    lookup(&s.ctx.url(BASE), &format!("{name}/{id}")).map(Json).ok_or_else(|| ApiError::NotFound.into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_loads_and_expands() {
        assert_eq!(super::data("procestypen").len(), 29);
        assert_eq!(super::data("resultaten").len(), 346);
        let r = super::lookup("http://x/r", "resultaten/6711baff-798b-4c7f-9133-8ad02c8b7c6f").unwrap_or_default();
        assert_eq!(r["procesType"], "http://x/r/procestypen/b594c8d1-ea6a-4bcd-a6aa-2c7a8ad3fe5b");
        assert_eq!(r["procestermijn"], "nihil");
    }
}

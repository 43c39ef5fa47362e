//! HTTP handlers of the Catalogi API: catalogussen and the type resources,
//! one set of handlers shared by all [`TypeSpec`]s.

use crate::catalogus::{self, Catalogus};
use crate::spec::{self, TypeSpec, CATALOGUS, SPECS};
use crate::types::{self, Filter, Status, TypeObject};
use crate::BASE;
use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use loket_core::authz::{Component, Target};
use loket_core::page::envelope;
use loket_core::ApiError;
use loket_http::middleware::api_version;
use loket_http::{parse_uuid, ApiQuery, AppState, Caller, HttpResult, JsonBody};
use loket_store::Ctx;
use serde_json::{Map, Value};
use std::collections::HashMap;

const READ: &[&str] = &["catalogi.lezen", "catalogi.schrijven", "catalogi.geforceerd-schrijven"];
const WRITE: &[&str] = &["catalogi.schrijven", "catalogi.geforceerd-schrijven"];

pub fn router() -> Router<AppState> {
    let mut r = Router::new()
        .route(&format!("{BASE}/catalogussen"), get(list_catalogussen).post(create_catalogus))
        .route(&format!("{BASE}/catalogussen/{{uuid}}"), get(read_catalogus));
    for spec in SPECS {
        let spec: &'static TypeSpec = spec;
        r = r
            .route(
                &format!("{BASE}/{}", spec.plural),
                get(move |s, c, q| list(spec, s, c, q)).post(move |s, c, b| create(spec, s, c, b)),
            )
            .route(
                &format!("{BASE}/{}/{{uuid}}", spec.plural),
                get(move |s, c, p, q| read(spec, s, c, p, q))
                    .put(move |s, c, p, b| change(spec, s, c, p, b, false))
                    .patch(move |s, c, p, b| change(spec, s, c, p, b, true))
                    .delete(move |s, c, p| destroy(spec, s, c, p)),
            )
            .route(&format!("{BASE}/{}/{{uuid}}/publish", spec.plural), post(move |s, c, p| publish(spec, s, c, p)));
    }
    api_version(r, "1.3.1")
}

fn created(v: Value) -> Response {
    let loc = v["url"].as_str().unwrap_or_default().to_owned();
    (StatusCode::CREATED, [(LOCATION, loc)], Json(v)).into_response()
}

fn list_url(ctx: &Ctx, path: &str, query: &ApiQuery) -> String {
    let rest = query.without_page();
    let base = ctx.url(path);
    if rest.is_empty() {
        base
    } else {
        format!("{base}?{rest}")
    }
}

// ---- catalogussen ----

async fn render_catalogus(ctx: &Ctx, c: Catalogus) -> Result<Value, ApiError> {
    let mut m = Map::new();
    m.insert("url".into(), catalogus::url_of(ctx, c.uuid).into());
    for field in CATALOGUS {
        m.insert(field.name.into(), c.data.get(field.name).cloned().unwrap_or_else(|| spec::empty(field)));
    }
    for s in SPECS {
        let urls: Vec<Value> = types::in_catalogus(ctx, s, c.id)
            .await?
            .into_iter()
            .map(|o| types::url_of(ctx, s, o.uuid).into())
            .collect();
        m.insert(s.plural.into(), Value::Array(urls));
    }
    Ok(Value::Object(m))
}

async fn list_catalogussen(State(s): State<AppState>, caller: Caller, query: ApiQuery) -> HttpResult<Json<Value>> {
    caller.require(Component::Ztc, READ, Target::default())?;
    query.allow(&["domein", "domein__in", "rsin", "rsin__in", "page"])?;
    let page = query.page()?;
    let many = |one: &str, list: &str| -> Vec<String> {
        let mut v: Vec<String> = query.get(one).map(|x| vec![x.to_owned()]).unwrap_or_default();
        if let Some(l) = query.get(list) {
            v.extend(l.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned));
        }
        v
    };
    let filter = catalogus::Filter { domein: many("domein", "domein__in"), rsin: many("rsin", "rsin__in") };
    let (items, count) = catalogus::list(&s.ctx.db, &filter, page).await?;
    if items.is_empty() && page > 1 {
        return Err(ApiError::NotFound.into());
    }
    let mut results = Vec::with_capacity(items.len());
    for c in items {
        results.push(render_catalogus(&s.ctx, c).await?);
    }
    let url = list_url(&s.ctx, &format!("{BASE}/catalogussen"), &query);
    Ok(Json(serde_json::to_value(envelope(results, count, page, &url)).map_err(ApiError::internal)?))
}

async fn read_catalogus(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> HttpResult<Json<Value>> {
    caller.require(Component::Ztc, READ, Target::default())?;
    let c = catalogus::get(&s.ctx.db, parse_uuid(&id)?).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(render_catalogus(&s.ctx, c).await?))
}

async fn create_catalogus(State(s): State<AppState>, caller: Caller, JsonBody(body): JsonBody) -> HttpResult<Response> {
    caller.require(Component::Ztc, WRITE, Target::default())?;
    let c = catalogus::create(&s.ctx, &body).await?;
    Ok(created(render_catalogus(&s.ctx, c).await?))
}

// ---- type resources ----

/// Read-only relations computed from the other types of the same catalogus.
async fn derived(
    ctx: &Ctx,
    spec: &TypeSpec,
    objects: &[TypeObject],
) -> Result<HashMap<i64, Vec<TypeObject>>, ApiError> {
    let source = match spec.kind {
        "besluittype" => &spec::ZAAKTYPE,
        "informatieobjecttype" => &spec::BESLUITTYPE,
        _ => return Ok(HashMap::new()),
    };
    let mut by_catalogus = HashMap::new();
    for o in objects {
        if let std::collections::hash_map::Entry::Vacant(e) = by_catalogus.entry(o.catalogus_id) {
            e.insert(types::in_catalogus(ctx, source, o.catalogus_id).await?);
        }
    }
    Ok(by_catalogus)
}

fn render(
    ctx: &Ctx,
    spec: &TypeSpec,
    o: &TypeObject,
    catalogus_url: &str,
    sources: &HashMap<i64, Vec<TypeObject>>,
) -> Value {
    let url = types::url_of(ctx, spec, o.uuid);
    let mut m = Map::new();
    m.insert("url".into(), url.clone().into());
    m.insert("catalogus".into(), catalogus_url.into());
    for field in spec.fields {
        m.insert(field.name.into(), o.data.get(field.name).cloned().unwrap_or_else(|| spec::empty(field)));
    }
    for d in spec.derived {
        m.insert((*d).into(), Value::Array(vec![]));
    }
    let (field, source, via) = match spec.kind {
        "besluittype" => ("zaaktypen", &spec::ZAAKTYPE, "besluittypen"),
        "informatieobjecttype" => ("besluittypen", &spec::BESLUITTYPE, "informatieobjecttypen"),
        _ => ("", &spec::ZAAKTYPE, ""),
    };
    if !field.is_empty() {
        let refs: Vec<Value> = sources
            .get(&o.catalogus_id)
            .map(|list| {
                list.iter()
                    .filter(|s| s.urls(via).contains(&url.as_str()))
                    .map(|s| types::url_of(ctx, source, s.uuid).into())
                    .collect()
            })
            .unwrap_or_default();
        m.insert(field.into(), Value::Array(refs));
    }
    m.insert("concept".into(), o.concept.into());
    Value::Object(m)
}

async fn render_all(ctx: &Ctx, spec: &TypeSpec, objects: Vec<TypeObject>) -> Result<Vec<Value>, ApiError> {
    let sources = derived(ctx, spec, &objects).await?;
    let mut catalogus_urls: HashMap<i64, String> = HashMap::new();
    let mut out = Vec::with_capacity(objects.len());
    for o in &objects {
        if let std::collections::hash_map::Entry::Vacant(e) = catalogus_urls.entry(o.catalogus_id) {
            let c = catalogus::by_id(&ctx.db, o.catalogus_id)
                .await?
                .ok_or_else(|| ApiError::internal("missing catalogus"))?;
            e.insert(catalogus::url_of(ctx, c.uuid));
        }
        out.push(render(ctx, spec, o, &catalogus_urls[&o.catalogus_id], &sources));
    }
    Ok(out)
}

async fn render_one(ctx: &Ctx, spec: &TypeSpec, o: TypeObject) -> Result<Value, ApiError> {
    Ok(render_all(ctx, spec, vec![o]).await?.pop().unwrap_or(Value::Null))
}

async fn list(
    spec: &'static TypeSpec,
    State(s): State<AppState>,
    caller: Caller,
    query: ApiQuery,
) -> HttpResult<Json<Value>> {
    caller.require(Component::Ztc, READ, Target::default())?;
    let mut known = vec!["catalogus", "status", "datumGeldigheid", "page"];
    known.extend_from_slice(spec.filters);
    query.allow(&known)?;
    let page = query.page()?;
    let status = match query.get("status") {
        None | Some("definitief") => Status::Definitief,
        Some("concept") => Status::Concept,
        Some("alles") => Status::Alles,
        Some(other) => {
            return Err(ApiError::field(
                "status",
                "invalid_choice",
                format!("\"{other}\" is geen geldige keuze: alles, concept of definitief."),
            )
            .into())
        }
    };
    let datum = query.get("datumGeldigheid").map(str::to_owned);
    if datum.as_deref().is_some_and(|d| !spec::valid_date(d)) {
        return Err(ApiError::field("datumGeldigheid", "invalid", "Gebruik een datum als JJJJ-MM-DD.").into());
    }
    let (catalogus_id, no_match) = match query.get("catalogus") {
        None => (None, false),
        Some(url) if !loket_core::fields::valid_url(url) => {
            return Err(ApiError::field("catalogus", "invalid", "Voer een geldige URL in.").into())
        }
        Some(url) => match catalogus::resolve(&s.ctx, url).await? {
            Some(c) => (Some(c.id), false),
            None => (None, true),
        },
    };
    let key = spec.filters.first().and_then(|k| query.get(k)).map(str::to_owned);
    let filter = Filter { catalogus_id, no_match, status, datum_geldigheid: datum, key };
    let (items, count) = types::list(&s.ctx, spec, &filter, page).await?;
    if items.is_empty() && page > 1 {
        return Err(ApiError::NotFound.into());
    }
    let results = render_all(&s.ctx, spec, items).await?;
    let url = list_url(&s.ctx, &format!("{BASE}/{}", spec.plural), &query);
    Ok(Json(serde_json::to_value(envelope(results, count, page, &url)).map_err(ApiError::internal)?))
}

async fn read(
    spec: &'static TypeSpec,
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: ApiQuery,
) -> HttpResult<Json<Value>> {
    caller.require(Component::Ztc, READ, Target::default())?;
    query.allow(if spec.kind == "zaaktype" { &["datumGeldigheid"] } else { &[] })?;
    let o = types::get(&s.ctx, spec, parse_uuid(&id)?).await?;
    Ok(Json(render_one(&s.ctx, spec, o).await?))
}

async fn create(
    spec: &'static TypeSpec,
    State(s): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> HttpResult<Response> {
    caller.require(Component::Ztc, WRITE, Target::default())?;
    let o = types::create(&s.ctx, spec, &body).await?;
    Ok(created(render_one(&s.ctx, spec, o).await?))
}

async fn change(
    spec: &'static TypeSpec,
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
    partial: bool,
) -> HttpResult<Json<Value>> {
    caller.require(Component::Ztc, WRITE, Target::default())?;
    let o = types::update(&s.ctx, spec, parse_uuid(&id)?, &body, partial).await?;
    Ok(Json(render_one(&s.ctx, spec, o).await?))
}

async fn destroy(
    spec: &'static TypeSpec,
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> HttpResult<StatusCode> {
    caller.require(Component::Ztc, WRITE, Target::default())?;
    types::delete(&s.ctx, spec, parse_uuid(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn publish(
    spec: &'static TypeSpec,
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> HttpResult<Json<Value>> {
    caller.require(Component::Ztc, WRITE, Target::default())?;
    let o = types::publish(&s.ctx, spec, parse_uuid(&id)?).await?;
    Ok(Json(render_one(&s.ctx, spec, o).await?))
}

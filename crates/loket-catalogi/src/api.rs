//! HTTP handlers of the Catalogi API: catalogussen and the type resources,
//! one set of handlers shared by all [`TypeSpec`]s.

use crate::catalogus::{self, Catalogus};
use crate::children::{self, ChildSpec, CHILDREN};
use crate::spec::{self, TypeSpec, CATALOGUS, SPECS};
use crate::types::{self, Filter, Status, TypeObject};
use crate::BASE;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH, LOCATION};
use axum::http::HeaderMap;
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
                get(move |s, c, h, p, q| read(spec, s, c, h, p, q))
                    .put(move |s, c, p, b| change(spec, s, c, p, b, false))
                    .patch(move |s, c, p, b| change(spec, s, c, p, b, true))
                    .delete(move |s, c, p| destroy(spec, s, c, p)),
            )
            .route(&format!("{BASE}/{}/{{uuid}}/publish", spec.plural), post(move |s, c, p| publish(spec, s, c, p)));
    }
    for child in CHILDREN {
        let child: &'static ChildSpec = child;
        r = r
            .route(
                &format!("{BASE}/{}", child.plural),
                get(move |s, c, q| list_children(child, s, c, q)).post(move |s, c, b| create_child(child, s, c, b)),
            )
            .route(
                &format!("{BASE}/{}/{{uuid}}", child.plural),
                get(move |s, c, h, p| read_child(child, s, c, h, p))
                    .put(move |s, c, p, b| change_child(child, s, c, p, b, false))
                    .patch(move |s, c, p, b| change_child(child, s, c, p, b, true))
                    .delete(move |s, c, p| destroy_child(child, s, c, p)),
            );
    }
    let r = api_version(r, "1.3.1");
    // Loket's own management endpoints: moving a catalogue between environments.
    r.route("/beheer/api/v1/catalogussen/{uuid}/export", get(export))
        .route("/beheer/api/v1/catalogussen/import", post(import))
}

/// A resource with its `ETag`, or 304 when the client has it already
/// (HTTP caching, required by the Catalogi API; HEAD gets the same headers).
fn with_etag(headers: &HeaderMap, v: Value) -> Response {
    use std::hash::{Hash, Hasher};
    let body = v.to_string();
    let mut h = std::hash::DefaultHasher::new();
    body.hash(&mut h);
    let etag = format!("\"{:016x}\"", h.finish());
    let cached =
        headers.get_all(IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == etag
        });
    if cached {
        return (StatusCode::NOT_MODIFIED, [(ETAG, etag)]).into_response();
    }
    (StatusCode::OK, [(ETAG, etag), (CONTENT_TYPE, "application/json".to_owned())], body).into_response()
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

async fn read_catalogus(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> HttpResult<Response> {
    caller.require(Component::Ztc, READ, Target::default())?;
    let c = catalogus::get(&s.ctx.db, parse_uuid(&id)?).await?.ok_or(ApiError::NotFound)?;
    Ok(with_etag(&headers, render_catalogus(&s.ctx, c).await?))
}

async fn create_catalogus(State(s): State<AppState>, caller: Caller, JsonBody(body): JsonBody) -> HttpResult<Response> {
    caller.require(Component::Ztc, WRITE, Target::default())?;
    let c = catalogus::create(&s.ctx, &body).await?;
    Ok(created(render_catalogus(&s.ctx, c).await?))
}

// ---- type resources ----

/// Read-only relation lists of each object, by object id: the derived
/// fields of its spec, computed from the other resources of its catalogus.
async fn derived(
    ctx: &Ctx,
    spec: &TypeSpec,
    objects: &[TypeObject],
) -> Result<HashMap<i64, Map<String, Value>>, ApiError> {
    let mut out: HashMap<i64, Map<String, Value>> = HashMap::new();
    for o in objects {
        let m = out.entry(o.id).or_default();
        for d in spec.derived {
            m.insert((*d).into(), Value::Array(vec![]));
        }
    }
    let mut catalogi: Vec<i64> = objects.iter().map(|o| o.catalogus_id).collect();
    catalogi.sort_unstable();
    catalogi.dedup();
    match spec.kind {
        "zaaktype" => {
            let ids: Vec<i64> = objects.iter().map(|o| o.id).collect();
            // Each resource list of the zaaktype (its informatieobjecttypen follow below).
            for child in CHILDREN.iter().filter(|c| c.kind != "zaaktypeinformatieobjecttype") {
                for c in children::of_zaaktypen(ctx, child, &ids).await? {
                    if let Some(Value::Array(a)) = out.get_mut(&c.zaaktype_id).and_then(|m| m.get_mut(child.plural)) {
                        a.push(children::url_of(ctx, child, c.uuid).into());
                    }
                }
            }
            // informatieobjecttypen through the zaaktype-informatieobjecttypen.
            let ziots = children::of_zaaktypen(ctx, &children::ZAAKTYPE_INFORMATIEOBJECTTYPE, &ids).await?;
            for cat in catalogi {
                let iots = types::in_catalogus(ctx, &spec::INFORMATIEOBJECTTYPE, cat).await?;
                for z in &ziots {
                    for iot in &iots {
                        let url = types::url_of(ctx, &spec::INFORMATIEOBJECTTYPE, iot.uuid);
                        if children::names_iot(z, &url, iot) {
                            if let Some(Value::Array(a)) =
                                out.get_mut(&z.zaaktype_id).and_then(|m| m.get_mut("informatieobjecttypen"))
                            {
                                if !a.contains(&Value::from(url.clone())) {
                                    a.push(url.into());
                                }
                            }
                        }
                    }
                }
            }
        }
        "besluittype" | "informatieobjecttype" => {
            for cat in catalogi {
                let zaaktypen = types::in_catalogus(ctx, &spec::ZAAKTYPE, cat).await?;
                let besluittypen = types::in_catalogus(ctx, &spec::BESLUITTYPE, cat).await?;
                let ziots = children::in_catalogus(ctx, &children::ZAAKTYPE_INFORMATIEOBJECTTYPE, cat).await?;
                for o in objects.iter().filter(|o| o.catalogus_id == cat) {
                    let url = types::url_of(ctx, spec, o.uuid);
                    let m = out.entry(o.id).or_default();
                    if spec.kind == "besluittype" {
                        let refs: Vec<Value> = zaaktypen
                            .iter()
                            .filter(|z| z.urls("besluittypen").contains(&url.as_str()))
                            .map(|z| types::url_of(ctx, &spec::ZAAKTYPE, z.uuid).into())
                            .collect();
                        m.insert("zaaktypen".into(), Value::Array(refs));
                    } else {
                        let refs: Vec<Value> = besluittypen
                            .iter()
                            .filter(|b| b.urls("informatieobjecttypen").contains(&url.as_str()))
                            .map(|b| types::url_of(ctx, &spec::BESLUITTYPE, b.uuid).into())
                            .collect();
                        m.insert("besluittypen".into(), Value::Array(refs));
                        let mut zt: Vec<Value> = Vec::new();
                        for z in ziots.iter().filter(|z| children::names_iot(z, &url, o)) {
                            if let Some(parent) = zaaktypen.iter().find(|p| p.id == z.zaaktype_id) {
                                let u = Value::from(types::url_of(ctx, &spec::ZAAKTYPE, parent.uuid));
                                if !zt.contains(&u) {
                                    zt.push(u);
                                }
                            }
                        }
                        m.insert("zaaktypen".into(), Value::Array(zt));
                    }
                }
            }
        }
        _ => {}
    }
    Ok(out)
}

fn render(
    ctx: &Ctx,
    spec: &TypeSpec,
    o: &TypeObject,
    catalogus_url: &str,
    derived: &HashMap<i64, Map<String, Value>>,
) -> Value {
    let mut m = Map::new();
    m.insert("url".into(), types::url_of(ctx, spec, o.uuid).into());
    m.insert("catalogus".into(), catalogus_url.into());
    for field in spec.fields {
        m.insert(field.name.into(), o.data.get(field.name).cloned().unwrap_or_else(|| spec::empty(field)));
    }
    if let Some(d) = derived.get(&o.id) {
        m.extend(d.clone());
    }
    m.insert("concept".into(), o.concept.into());
    Value::Object(m)
}

async fn render_all(ctx: &Ctx, spec: &TypeSpec, objects: Vec<TypeObject>) -> Result<Vec<Value>, ApiError> {
    let derived = derived(ctx, spec, &objects).await?;
    let mut catalogus_urls: HashMap<i64, String> = HashMap::new();
    let mut out = Vec::with_capacity(objects.len());
    for o in &objects {
        if let std::collections::hash_map::Entry::Vacant(e) = catalogus_urls.entry(o.catalogus_id) {
            let c = catalogus::by_id(&ctx.db, o.catalogus_id)
                .await?
                .ok_or_else(|| ApiError::internal("missing catalogus"))?;
            e.insert(catalogus::url_of(ctx, c.uuid));
        }
        out.push(render(ctx, spec, o, &catalogus_urls[&o.catalogus_id], &derived));
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
    let status = parse_status(&query)?;
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
    let mut values: Vec<(&'static str, String)> = Vec::new();
    if let Some(t) = query.get("trefwoorden") {
        values.extend(t.split(',').map(str::trim).filter(|t| !t.is_empty()).map(|t| ("trefwoorden", t.to_owned())));
    }
    if let Some(u) = query.get("informatieobjecttypen") {
        values.push(("informatieobjecttypen", u.to_owned()));
    }
    // besluittypen?zaaktypen=URL: the besluittypen that zaaktype names.
    let uuids = match query.get("zaaktypen") {
        None => None,
        Some(url) => Some(match types::resolve(&s.ctx, &spec::ZAAKTYPE, url).await? {
            None => vec![],
            Some(z) => {
                let mut list = Vec::new();
                for b in z.urls("besluittypen") {
                    if let Some(o) = types::resolve(&s.ctx, &spec::BESLUITTYPE, b).await? {
                        list.push(o.uuid);
                    }
                }
                list
            }
        }),
    };
    let filter = Filter { uuids, values, catalogus_id, no_match, status, datum_geldigheid: datum, key };
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
    headers: HeaderMap,
    Path(id): Path<String>,
    query: ApiQuery,
) -> HttpResult<Response> {
    caller.require(Component::Ztc, READ, Target::default())?;
    query.allow(if spec.kind == "zaaktype" { &["datumGeldigheid"] } else { &[] })?;
    let o = types::get(&s.ctx, spec, parse_uuid(&id)?).await?;
    Ok(with_etag(&headers, render_one(&s.ctx, spec, o).await?))
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

// ---- resources of a zaaktype ----

fn parse_status(query: &ApiQuery) -> Result<Status, ApiError> {
    match query.get("status") {
        None | Some("definitief") => Ok(Status::Definitief),
        Some("concept") => Ok(Status::Concept),
        Some("alles") => Ok(Status::Alles),
        Some(other) => Err(ApiError::field(
            "status",
            "invalid_choice",
            format!("\"{other}\" is geen geldige keuze: alles, concept of definitief."),
        )),
    }
}

async fn render_children(ctx: &Ctx, spec: &ChildSpec, items: Vec<children::Child>) -> Result<Vec<Value>, ApiError> {
    let mut zaaktypen: HashMap<i64, (TypeObject, String, String)> = HashMap::new();
    for c in &items {
        if let std::collections::hash_map::Entry::Vacant(e) = zaaktypen.entry(c.zaaktype_id) {
            let z = types::by_id(ctx, c.zaaktype_id).await?.ok_or_else(|| ApiError::internal("missing zaaktype"))?;
            let cat = catalogus::by_id(&ctx.db, z.catalogus_id)
                .await?
                .ok_or_else(|| ApiError::internal("missing catalogus"))?;
            let zurl = types::url_of(ctx, &spec::ZAAKTYPE, z.uuid);
            e.insert((z, zurl, catalogus::url_of(ctx, cat.uuid)));
        }
    }
    // The eindstatus is the statustype with the highest volgnummer.
    let mut last_volgnummer: HashMap<i64, i64> = HashMap::new();
    if spec.kind == "statustype" {
        let ids: Vec<i64> = zaaktypen.keys().copied().collect();
        for st in children::of_zaaktypen(ctx, &children::STATUSTYPE, &ids).await? {
            let v = st.data.get("volgnummer").and_then(Value::as_i64).unwrap_or(0);
            let e = last_volgnummer.entry(st.zaaktype_id).or_insert(v);
            *e = (*e).max(v);
        }
    }
    let mut out = Vec::with_capacity(items.len());
    for c in items {
        let (z, zurl, curl) = &zaaktypen[&c.zaaktype_id];
        let mut m = Map::new();
        m.insert("url".into(), children::url_of(ctx, spec, c.uuid).into());
        m.insert("zaaktype".into(), zurl.clone().into());
        m.insert("zaaktypeIdentificatie".into(), z.str("identificatie").unwrap_or_default().into());
        m.insert("catalogus".into(), curl.clone().into());
        for field in spec.fields {
            m.insert(field.name.into(), c.data.get(field.name).cloned().unwrap_or_else(|| spec::empty(field)));
        }
        match spec.kind {
            "statustype" => {
                let v = c.data.get("volgnummer").and_then(Value::as_i64).unwrap_or(0);
                m.insert("isEindstatus".into(), (last_volgnummer.get(&c.zaaktype_id) == Some(&v)).into());
            }
            "resultaattype" => {
                m.insert(
                    "omschrijvingGeneriek".into(),
                    c.data.get("omschrijvingGeneriek").cloned().unwrap_or(Value::from("")),
                );
                for (field, target, out_field) in [
                    ("besluittypen", &spec::BESLUITTYPE, "besluittypeOmschrijving"),
                    ("informatieobjecttypen", &spec::INFORMATIEOBJECTTYPE, "informatieobjecttypeOmschrijving"),
                ] {
                    let mut names = Vec::new();
                    for url in
                        c.data.get(field).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
                    {
                        if let Some(o) = types::resolve(ctx, target, url).await? {
                            names.push(Value::from(o.str("omschrijving").unwrap_or_default()));
                        }
                    }
                    m.insert(out_field.into(), Value::Array(names));
                }
            }
            "zaakobjecttype" => {
                m.insert("resultaattypen".into(), Value::Array(vec![]));
                m.insert("statustypen".into(), Value::Array(vec![]));
            }
            _ => {}
        }
        out.push(Value::Object(m));
    }
    Ok(out)
}

async fn list_children(
    spec: &'static ChildSpec,
    State(s): State<AppState>,
    caller: Caller,
    query: ApiQuery,
) -> HttpResult<Json<Value>> {
    caller.require(Component::Ztc, READ, Target::default())?;
    let (ident, datum) = if spec.snake_filters {
        ("zaaktype_identificatie", "datum_geldigheid")
    } else {
        ("zaaktypeIdentificatie", "datumGeldigheid")
    };
    let mut known = vec!["zaaktype", ident, "status", datum, "page"];
    if !spec.status_filter {
        known.retain(|k| *k != "status");
    }
    if spec.kind == "zaaktypeinformatieobjecttype" {
        known.retain(|k| *k != ident && *k != datum);
    }
    known.extend(spec.indexed.iter().map(|(_, param)| *param));
    if spec.catalogus_filter {
        known.push("catalogus");
    }
    query.allow(&known)?;
    let page = query.page()?;
    let status = if spec.status_filter { parse_status(&query)? } else { Status::Alles };
    let datum_geldigheid = query.get(datum).map(str::to_owned);
    if datum_geldigheid.as_deref().is_some_and(|d| !spec::valid_date(d)) {
        return Err(ApiError::field(datum, "invalid", "Gebruik een datum als JJJJ-MM-DD.").into());
    }
    let (zaaktype_id, no_match) = match query.get("zaaktype") {
        None => (None, false),
        Some(url) if !loket_core::fields::valid_url(url) => {
            return Err(ApiError::field("zaaktype", "invalid", "Voer een geldige URL in.").into())
        }
        Some(url) => match types::resolve(&s.ctx, &spec::ZAAKTYPE, url).await? {
            Some(z) => (Some(z.id), false),
            None => (None, true),
        },
    };
    let values: Vec<(&'static str, String)> =
        spec.indexed.iter().filter_map(|(field, param)| query.get(param).map(|v| (*field, v.to_owned()))).collect();
    let (catalogus_id, no_catalogus) = match query.get("catalogus") {
        Some(url) if spec.catalogus_filter => match catalogus::resolve(&s.ctx, url).await? {
            Some(c) => (Some(c.id), false),
            None => (None, true),
        },
        _ => (None, false),
    };
    let filter = children::Filter {
        zaaktype_id,
        no_match: no_match || no_catalogus,
        zaaktype_identificatie: query.get(ident).map(str::to_owned),
        status,
        datum_geldigheid,
        catalogus_id,
        values,
    };
    let (items, count) = children::list(&s.ctx, spec, &filter, page).await?;
    if items.is_empty() && page > 1 {
        return Err(ApiError::NotFound.into());
    }
    let results = render_children(&s.ctx, spec, items).await?;
    let url = list_url(&s.ctx, &format!("{BASE}/{}", spec.plural), &query);
    Ok(Json(serde_json::to_value(envelope(results, count, page, &url)).map_err(ApiError::internal)?))
}

async fn render_child(ctx: &Ctx, spec: &ChildSpec, c: children::Child) -> Result<Value, ApiError> {
    Ok(render_children(ctx, spec, vec![c]).await?.pop().unwrap_or(Value::Null))
}

async fn read_child(
    spec: &'static ChildSpec,
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> HttpResult<Response> {
    caller.require(Component::Ztc, READ, Target::default())?;
    let c = children::get(&s.ctx, spec, parse_uuid(&id)?).await?;
    Ok(with_etag(&headers, render_child(&s.ctx, spec, c).await?))
}

async fn create_child(
    spec: &'static ChildSpec,
    State(s): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> HttpResult<Response> {
    caller.require(Component::Ztc, WRITE, Target::default())?;
    let c = children::create(&s.ctx, spec, &body).await?;
    Ok(created(render_child(&s.ctx, spec, c).await?))
}

async fn change_child(
    spec: &'static ChildSpec,
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
    partial: bool,
) -> HttpResult<Json<Value>> {
    caller.require(Component::Ztc, WRITE, Target::default())?;
    let c = children::update(&s.ctx, spec, parse_uuid(&id)?, &body, partial).await?;
    Ok(Json(render_child(&s.ctx, spec, c).await?))
}

async fn destroy_child(
    spec: &'static ChildSpec,
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> HttpResult<StatusCode> {
    caller.require(Component::Ztc, WRITE, Target::default())?;
    children::delete(&s.ctx, spec, parse_uuid(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- export and import ----

async fn export(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> HttpResult<Json<Value>> {
    caller.require(Component::Ztc, READ, Target::default())?;
    let doc = crate::transfer::export(&s.ctx, parse_uuid(&id)?).await?;
    Ok(Json(serde_json::to_value(doc).map_err(ApiError::internal)?))
}

async fn import(
    State(s): State<AppState>,
    caller: Caller,
    query: ApiQuery,
    JsonBody(body): JsonBody,
) -> HttpResult<Response> {
    caller.require(Component::Ztc, WRITE, Target::default())?;
    query.allow(&["uuids"])?;
    let new_uuids = match query.get("uuids") {
        None | Some("behouden") => false,
        Some("nieuw") => true,
        Some(_) => return Err(ApiError::field("uuids", "invalid_choice", "Kies 'behouden' of 'nieuw'.").into()),
    };
    let doc: crate::transfer::Export = serde_json::from_value(body).map_err(|e| {
        ApiError::field(loket_core::error::NON_FIELD, "invalid", format!("Geen geldige catalogus-export: {e}"))
    })?;
    let uuid = crate::transfer::import(&s.ctx, &doc, new_uuids).await?;
    let url = catalogus::url_of(&s.ctx, uuid);
    Ok((StatusCode::CREATED, [(LOCATION, url.clone())], Json(serde_json::json!({"catalogus": url}))).into_response())
}

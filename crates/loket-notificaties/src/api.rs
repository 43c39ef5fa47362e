//! HTTP handlers of the Notificaties API.

use crate::model::{Abonnement, Kanaal};
use crate::{service, BASE};
use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use loket_core::authz::{Component, Target};
use loket_http::middleware::api_version;
use loket_http::{parse_uuid, ApiQuery, AppState, Caller, HttpResult, JsonBody};
use loket_store::Ctx;
use serde_json::{json, Value};

const PUBLISH: &[&str] = &["notificaties.publiceren"];
const CONSUME: &[&str] = &["notificaties.consumeren"];
const EITHER: &[&str] = &["notificaties.publiceren", "notificaties.consumeren"];

/// The HTTP client is used for the callback check of new abonnementen.
pub fn router(http: reqwest::Client) -> Router<AppState> {
    let r = Router::new()
        .route(&format!("{BASE}/kanaal"), get(list_kanalen).post(create_kanaal))
        .route(&format!("{BASE}/kanaal/{{uuid}}"), get(read_kanaal))
        .route(&format!("{BASE}/abonnement"), get(list_abonnementen).post(create_abonnement))
        .route(
            &format!("{BASE}/abonnement/{{uuid}}"),
            get(read_abonnement).put(update_abonnement).patch(patch_abonnement).delete(delete_abonnement),
        )
        .route(&format!("{BASE}/notificaties"), post(publish))
        .layer(Extension(http));
    api_version(r, "1.0.0")
}

fn kanaal_json(ctx: &Ctx, k: Kanaal) -> Value {
    json!({
        "url": ctx.url(&format!("{BASE}/kanaal/{}", k.uuid)),
        "naam": k.naam,
        "documentatieLink": k.documentatie_link,
        "filters": k.filters,
    })
}

fn abonnement_json(ctx: &Ctx, a: Abonnement) -> Value {
    json!({
        "url": ctx.url(&format!("{BASE}/abonnement/{}", a.uuid)),
        "callbackUrl": a.callback_url,
        "auth": a.auth,
        "kanalen": a.kanalen.into_iter().map(|g| json!({"naam": g.naam, "filters": g.filters})).collect::<Vec<_>>(),
    })
}

fn created(v: Value) -> Response {
    let loc = v["url"].as_str().unwrap_or_default().to_owned();
    (StatusCode::CREATED, [(LOCATION, loc)], Json(v)).into_response()
}

async fn list_kanalen(State(s): State<AppState>, caller: Caller, query: ApiQuery) -> HttpResult<Json<Vec<Value>>> {
    caller.require(Component::Nrc, EITHER, Target::default())?;
    query.allow(&["naam"])?;
    let ks = service::kanalen(&s.ctx, query.get("naam")).await?;
    Ok(Json(ks.into_iter().map(|k| kanaal_json(&s.ctx, k)).collect()))
}

async fn read_kanaal(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> HttpResult<Json<Value>> {
    caller.require(Component::Nrc, EITHER, Target::default())?;
    Ok(Json(kanaal_json(&s.ctx, service::kanaal(&s.ctx, parse_uuid(&id)?).await?)))
}

async fn create_kanaal(State(s): State<AppState>, caller: Caller, JsonBody(body): JsonBody) -> HttpResult<Response> {
    caller.require(Component::Nrc, PUBLISH, Target::default())?;
    Ok(created(kanaal_json(&s.ctx, service::create_kanaal(&s.ctx, &body).await?)))
}

async fn list_abonnementen(State(s): State<AppState>, caller: Caller, query: ApiQuery) -> HttpResult<Json<Vec<Value>>> {
    caller.require(Component::Nrc, EITHER, Target::default())?;
    query.allow(&[])?;
    let list = service::abonnementen(&s.ctx).await?;
    Ok(Json(list.into_iter().map(|a| abonnement_json(&s.ctx, a)).collect()))
}

async fn read_abonnement(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> HttpResult<Json<Value>> {
    caller.require(Component::Nrc, EITHER, Target::default())?;
    Ok(Json(abonnement_json(&s.ctx, service::abonnement(&s.ctx, parse_uuid(&id)?).await?)))
}

async fn create_abonnement(
    State(s): State<AppState>,
    Extension(http): Extension<reqwest::Client>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> HttpResult<Response> {
    caller.require(Component::Nrc, CONSUME, Target::default())?;
    let a = service::create_abonnement(&s.ctx, &http, &caller.client_id, &body).await?;
    Ok(created(abonnement_json(&s.ctx, a)))
}

async fn update_abonnement(
    s: State<AppState>,
    http: Extension<reqwest::Client>,
    caller: Caller,
    id: Path<String>,
    body: JsonBody,
) -> HttpResult<Json<Value>> {
    change(s, http, caller, id, body, false).await
}

async fn patch_abonnement(
    s: State<AppState>,
    http: Extension<reqwest::Client>,
    caller: Caller,
    id: Path<String>,
    body: JsonBody,
) -> HttpResult<Json<Value>> {
    change(s, http, caller, id, body, true).await
}

async fn change(
    State(s): State<AppState>,
    Extension(http): Extension<reqwest::Client>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
    partial: bool,
) -> HttpResult<Json<Value>> {
    caller.require(Component::Nrc, CONSUME, Target::default())?;
    let a = service::update_abonnement(&s.ctx, &http, parse_uuid(&id)?, &body, partial).await?;
    Ok(Json(abonnement_json(&s.ctx, a)))
}

async fn delete_abonnement(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> HttpResult<StatusCode> {
    caller.require(Component::Nrc, CONSUME, Target::default())?;
    service::delete_abonnement(&s.ctx, parse_uuid(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn publish(State(s): State<AppState>, caller: Caller, JsonBody(body): JsonBody) -> HttpResult<Json<Value>> {
    caller.require(Component::Nrc, PUBLISH, Target::default())?;
    let n = service::publish(&s.ctx, &body).await?;
    Ok(Json(serde_json::to_value(n).map_err(loket_core::ApiError::internal)?))
}

//! HTTP handlers of the Autorisaties API: parse, authorise, call the service,
//! render. Field names are those of the standard.

use crate::model::Applicatie;
use crate::{service, BASE};
use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use loket_core::authz::{Component, Target};
use loket_core::page::envelope;
use loket_core::ApiError;
use loket_http::middleware::api_version;
use loket_http::{parse_uuid, ApiQuery, AppState, Caller, HttpResult, JsonBody};
use loket_store::Ctx;
use serde::Serialize;

const READ: &[&str] = &["autorisaties.lezen", "autorisaties.bijwerken"];
const WRITE: &[&str] = &["autorisaties.bijwerken"];

pub fn router() -> Router<AppState> {
    let r = Router::new()
        .route(&format!("{BASE}/applicaties"), get(list).post(create))
        .route(&format!("{BASE}/applicaties/consumer"), get(consumer))
        .route(&format!("{BASE}/applicaties/{{uuid}}"), get(read).put(update).patch(partial_update).delete(destroy));
    api_version(r, "1.0.0")
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApplicatieDto {
    url: String,
    client_ids: Vec<String>,
    label: String,
    heeft_alle_autorisaties: bool,
    autorisaties: Vec<serde_json::Value>,
}

fn dto(ctx: &Ctx, a: Applicatie) -> ApplicatieDto {
    let autorisaties = a
        .rights
        .autorisaties
        .iter()
        .map(|x| {
            let mut o = serde_json::json!({
                "component": x.component.as_str(),
                "componentWeergave": x.component.weergave(),
                "scopes": x.scopes,
            });
            let type_field = match x.component {
                Component::Zrc => Some("zaaktype"),
                Component::Drc => Some("informatieobjecttype"),
                Component::Brc => Some("besluittype"),
                _ => None,
            };
            if let Some(k) = type_field {
                o[k] = x.type_url.clone().unwrap_or_default().into();
            }
            if matches!(x.component, Component::Zrc | Component::Drc) {
                o["maxVertrouwelijkheidaanduiding"] =
                    x.max_vertrouwelijkheid.map(|v| v.as_str()).unwrap_or_default().into();
            }
            o
        })
        .collect();
    ApplicatieDto {
        url: service::url_of(ctx, a.uuid),
        client_ids: a.client_ids,
        label: a.label,
        heeft_alle_autorisaties: a.rights.heeft_alle_autorisaties,
        autorisaties,
    }
}

async fn list(State(s): State<AppState>, caller: Caller, query: ApiQuery) -> HttpResult<Response> {
    caller.require(Component::Ac, READ, Target::default())?;
    query.allow(&["clientIds", "page"])?;
    let page = query.page()?;
    let ids: Vec<String> = query
        .get("clientIds")
        .map(|v| v.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    let (apps, count) = service::list(&s.ctx, &ids, page).await?;
    if apps.is_empty() && page > 1 {
        return Err(ApiError::NotFound.into());
    }
    let rest = query.without_page();
    let base = s.ctx.url(&format!("{BASE}/applicaties"));
    let list_url = if rest.is_empty() { base } else { format!("{base}?{rest}") };
    let results = apps.into_iter().map(|a| dto(&s.ctx, a)).collect();
    Ok(Json(envelope(results, count, page, &list_url)).into_response())
}

async fn consumer(State(s): State<AppState>, caller: Caller, query: ApiQuery) -> HttpResult<Json<ApplicatieDto>> {
    caller.require(Component::Ac, READ, Target::default())?;
    query.allow(&["clientId"])?;
    let client_id = query
        .get("clientId")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| ApiError::field("clientId", "required", "Geef de query-parameter clientId op."))?;
    Ok(Json(dto(&s.ctx, service::consumer(&s.ctx, client_id).await?)))
}

async fn read(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> HttpResult<Json<ApplicatieDto>> {
    caller.require(Component::Ac, READ, Target::default())?;
    let uuid = parse_uuid(&id)?;
    Ok(Json(dto(&s.ctx, service::get(&s.ctx, uuid).await?)))
}

async fn create(State(s): State<AppState>, caller: Caller, JsonBody(body): JsonBody) -> HttpResult<Response> {
    caller.require(Component::Ac, WRITE, Target::default())?;
    let app = service::create(&s.ctx, &body).await?;
    let d = dto(&s.ctx, app);
    Ok((StatusCode::CREATED, [(LOCATION, d.url.clone())], Json(d)).into_response())
}

async fn update(
    s: State<AppState>,
    caller: Caller,
    id: Path<String>,
    body: JsonBody,
) -> HttpResult<Json<ApplicatieDto>> {
    change(s, caller, id, body, false).await
}

async fn partial_update(
    s: State<AppState>,
    caller: Caller,
    id: Path<String>,
    body: JsonBody,
) -> HttpResult<Json<ApplicatieDto>> {
    change(s, caller, id, body, true).await
}

async fn change(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
    partial: bool,
) -> HttpResult<Json<ApplicatieDto>> {
    caller.require(Component::Ac, WRITE, Target::default())?;
    let uuid = parse_uuid(&id)?;
    Ok(Json(dto(&s.ctx, service::update(&s.ctx, uuid, &body, partial).await?)))
}

async fn destroy(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> HttpResult<StatusCode> {
    caller.require(Component::Ac, WRITE, Target::default())?;
    service::delete(&s.ctx, parse_uuid(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

//! Operational endpoints and the documentation page: `/healthz`, `/readyz`,
//! `/metrics`, each component's OpenAPI document, and a Dutch index page.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use loket_http::AppState;

/// (component path, title, yaml, json)
const SPECS: &[(&str, &str, &str, &str)] = &[
    (
        "autorisaties",
        "Autorisaties API 1.0",
        include_str!("../openapi/autorisaties.yaml"),
        include_str!("../openapi/autorisaties.json"),
    ),
    (
        "catalogi",
        "Catalogi API 1.3",
        include_str!("../openapi/catalogi.yaml"),
        include_str!("../openapi/catalogi.json"),
    ),
    (
        "notificaties",
        "Notificaties API 1.0",
        include_str!("../openapi/notificaties.yaml"),
        include_str!("../openapi/notificaties.json"),
    ),
];

pub fn router() -> Router<AppState> {
    let mut r = Router::new()
        .route("/", get(index))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics));
    for (name, _, yaml, json) in SPECS {
        let (yaml, json) = (*yaml, *json);
        r = r
            .route(
                &format!("/{name}/api/v1/schema/openapi.yaml"),
                get(move || async move { ([(CONTENT_TYPE, "application/yaml")], yaml) }),
            )
            .route(
                &format!("/{name}/api/v1/schema/openapi.json"),
                get(move || async move { ([(CONTENT_TYPE, "application/json")], json) }),
            );
    }
    r
}

async fn readyz(State(s): State<AppState>) -> Response {
    if s.ctx.db.ping().await {
        "ready".into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, [(CONTENT_TYPE, "text/plain")], "database unreachable").into_response()
    }
}

async fn metrics(State(s): State<AppState>) -> Response {
    let pool = s.ctx.db.stats();
    let (notificaties, deliveries) = loket_store::outbox::backlog(&s.ctx.db).await.unwrap_or((-1, -1));
    let body = s.metrics.render(&[
        ("loket_db_connections", "Open database connections.", pool.size.into()),
        ("loket_db_connections_idle", "Idle database connections.", pool.idle.into()),
        ("loket_outbox_pending_notifications", "Notifications not yet fanned out.", notificaties),
        ("loket_outbox_pending_deliveries", "Deliveries waiting for (another) attempt.", deliveries),
    ]);
    ([(CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

async fn index(State(s): State<AppState>) -> Html<String> {
    let items: String = SPECS
        .iter()
        .map(|(name, title, _, _)| {
            let base = s.ctx.url(&format!("/{name}/api/v1"));
            format!(
                "<li><strong>{title}</strong>: <code>{base}/</code><br>Specificatie: \
                 <a href=\"{base}/schema/openapi.yaml\">YAML</a> · <a href=\"{base}/schema/openapi.json\">JSON</a></li>"
            )
        })
        .collect();
    Html(format!(
        "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Loket – API-documentatie</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}}\
         a{{color:#0b57d0}} a:focus{{outline:3px solid #f9a825}} code{{background:#f3f3f3;padding:0 .2rem}}</style></head>\
         <body><main><h1>Loket</h1>\
         <p>Loket is het zaaksysteem van de gemeente. Andere software praat met Loket via de standaard ZGW-API's hieronder.</p>\
         <h2>API's</h2><ul>{items}</ul>\
         <h2>Toegang</h2><p>Elke API-aanroep heeft een JWT-token nodig (JWT-ZGW). \
         Maak een client aan met <code>loket client add --id mijn-app</code> en vraag een token op met \
         <code>loket token --client-id mijn-app</code>.</p>\
         <h2>Beheer</h2><ul><li><a href=\"/healthz\">/healthz</a> – draait Loket?</li>\
         <li><a href=\"/readyz\">/readyz</a> – is de database bereikbaar?</li>\
         <li><a href=\"/metrics\">/metrics</a> – meetgegevens (Prometheus)</li></ul></main></body></html>"
    ))
}

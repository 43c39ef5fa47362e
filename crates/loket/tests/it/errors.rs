//! Every error class answers with the exact ZGW problem+json body.

use crate::both;
use crate::helpers::{token, Engine, TestApp};
use axum::routing::get;
use axum::Router;
use loket_core::ApiError;
use loket_http::metrics::Metrics;
use loket_http::middleware::{wrap, Limits};
use loket_http::HttpError;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// Checks status, content type, that `instance` is the request id, and the body.
async fn problem(r: reqwest::Response, status: u16, expected: Value) {
    assert_eq!(r.status().as_u16(), status);
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert_eq!(ct, "application/problem+json");
    let rid = r.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let mut body: Value = r.json().await.expect("json body");
    assert_eq!(body["instance"], json!(format!("urn:uuid:{rid}")));
    body.as_object_mut().expect("object").remove("instance");
    assert_eq!(body, expected);
}

fn fout(code: &str, title: &str, status: u16, detail: &str) -> Value {
    json!({"type": format!("https://loket.local/ref/fouten/{code}/"), "code": code, "title": title, "status": status, "detail": detail})
}

const APPS: &str = "/autorisaties/api/v1/applicaties";

async fn error_classes(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let http = &app.http;

    // 400: a field of the wrong type, and a missing field, each named.
    let r = http
        .post(app.url(APPS))
        .bearer_auth(&app.token)
        .json(&json!({"clientIds": "nope", "heeftAlleAutorisaties": true}))
        .send()
        .await
        .unwrap();
    let mut expected = fout("invalid", "Ongeldige invoer.", 400, "De invoer bevat fouten; zie invalidParams.");
    expected["invalidParams"] = json!([
        {"name": "clientIds", "code": "not_a_list", "reason": "Verwacht een lijst (array)."},
        {"name": "label", "code": "required", "reason": "Dit veld is vereist."}
    ]);
    problem(r, 400, expected).await;

    // 400: malformed JSON.
    let r = http
        .post(app.url(APPS))
        .bearer_auth(&app.token)
        .header("content-type", "application/json")
        .body("{\"label\": ")
        .send()
        .await
        .unwrap();
    problem(
        r,
        400,
        fout(
            "parse_error",
            "Ongeldige JSON.",
            400,
            "De inhoud is geen geldige JSON: EOF while parsing a value at line 1 column 10",
        ),
    )
    .await;

    // 400: unknown query parameter.
    let r = http.get(app.url(&format!("{APPS}?foo=1"))).bearer_auth(&app.token).send().await.unwrap();
    let mut expected = fout("invalid", "Ongeldige invoer.", 400, "De invoer bevat fouten; zie invalidParams.");
    expected["invalidParams"] = json!([{"name": "nonFieldErrors", "code": "unknown-parameters", "reason": "Onbekende query-parameter(s): foo."}]);
    problem(r, 400, expected).await;

    // 401: no token, and a token signed with the wrong secret.
    let r = http.get(app.url(APPS)).send().await.unwrap();
    problem(
        r,
        401,
        fout(
            "not_authenticated",
            "Niet geauthenticeerd.",
            401,
            "Er is geen Authorization-header met een bearer-token meegestuurd.",
        ),
    )
    .await;
    let r = http.get(app.url(APPS)).bearer_auth(token(crate::helpers::SUPERUSER, "wrong")).send().await.unwrap();
    problem(
        r,
        401,
        fout("not_authenticated", "Niet geauthenticeerd.", 401, "de handtekening van het token klopt niet"),
    )
    .await;

    // 403: a client without the scope.
    let limited = json!({"clientIds": ["limited"], "label": "beperkt", "autorisaties": [
        {"component": "nrc", "scopes": ["notificaties.consumeren"]}]});
    let (st, _) = app.post(APPS, &limited).await;
    assert_eq!(st, 201);
    loket_autorisaties::clients::add(&app.ctx(), "limited", "limited-secret", false).await.unwrap();
    let r = http.get(app.url(APPS)).bearer_auth(token("limited", "limited-secret")).send().await.unwrap();
    problem(
        r,
        403,
        fout(
            "permission_denied",
            "Geen toegang.",
            403,
            "Deze applicatie heeft niet de benodigde scope (autorisaties.lezen of autorisaties.bijwerken) voor component ac.",
        ),
    )
    .await;

    // 404: a non-UUID id, an unknown UUID, an unknown path.
    let not_found = fout("not_found", "Niet gevonden.", 404, "Dit object of deze URL bestaat niet.");
    for path in [format!("{APPS}/not-a-uuid"), format!("{APPS}/{}", uuid::Uuid::new_v4()), "/nope".to_string()] {
        let r = http.get(app.url(&path)).bearer_auth(&app.token).send().await.unwrap();
        problem(r, 404, not_found.clone()).await;
    }

    // 405
    let r = http.delete(app.url(APPS)).bearer_auth(&app.token).send().await.unwrap();
    problem(
        r,
        405,
        fout(
            "method_not_allowed",
            "Methode niet toegestaan.",
            405,
            "Deze HTTP-methode is niet toegestaan voor deze URL.",
        ),
    )
    .await;

    // 406
    let r = http.get(app.url(APPS)).bearer_auth(&app.token).header("accept", "text/csv").send().await.unwrap();
    problem(
        r,
        406,
        fout(
            "not_acceptable",
            "Niet acceptabel.",
            406,
            "De gevraagde Accept-header kan niet worden geleverd; gebruik application/json.",
        ),
    )
    .await;

    // 415
    let r = http
        .post(app.url(APPS))
        .bearer_auth(&app.token)
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    problem(
        r,
        415,
        fout("unsupported_media_type", "Mediatype niet ondersteund.", 415, "Gebruik Content-Type: application/json."),
    )
    .await;

    app.stop().await;
}
both!(error_classes);

/// 409, 412 and 500 (a panic) through the real middleware stack; the server
/// keeps serving after the panic.
#[tokio::test]
async fn conflict_precondition_and_panic() {
    async fn conflict() -> Result<(), HttpError> {
        Err(ApiError::Conflict("Het object is intussen gewijzigd.".into()).into())
    }
    async fn precondition() -> Result<(), HttpError> {
        Err(ApiError::PreconditionFailed.into())
    }
    #[allow(clippy::unused_async)]
    async fn boom() -> &'static str {
        let v: Vec<u8> = Vec::new();
        if v.is_empty() {
            panic!("kapot");
        }
        "unreachable"
    }
    let router = Router::new()
        .route("/c", get(conflict))
        .route("/p", get(precondition))
        .route("/boom", get(boom))
        .route("/ok", get(|| async { "ok" }));
    let app = wrap(
        router,
        Arc::new(Metrics::default()),
        Limits { body_bytes: 1024, request_timeout: Duration::from_secs(5) },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    let http = reqwest::Client::new();

    let r = http.get(format!("{base}/c")).send().await.unwrap();
    problem(r, 409, fout("conflict", "Conflict.", 409, "Het object is intussen gewijzigd.")).await;
    let r = http.get(format!("{base}/p")).send().await.unwrap();
    problem(
        r,
        412,
        fout(
            "precondition_failed",
            "Voorwaarde niet voldaan.",
            412,
            "De If-Match-header komt niet overeen met de huidige versie.",
        ),
    )
    .await;
    let r = http.get(format!("{base}/boom")).send().await.unwrap();
    problem(
        r,
        500,
        fout(
            "error",
            "Er ging iets mis op de server.",
            500,
            "Er is een interne fout opgetreden. Vermeld de instance bij contact met de beheerder.",
        ),
    )
    .await;
    let r = http.get(format!("{base}/ok")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

/// 413: a body over the limit.
async fn body_limit(engine: Engine) {
    let app = TestApp::spawn_with(engine, &["--body-limit", "2048"]).await;
    let big = json!({"clientIds": ["x"], "label": "y".repeat(5000)});
    let r = app.http.post(app.url(APPS)).bearer_auth(&app.token).json(&big).send().await.unwrap();
    problem(r, 413, fout("request_too_large", "Verzoek te groot.", 413, "De inhoud van het verzoek is te groot."))
        .await;
    app.stop().await;
}
both!(body_limit);

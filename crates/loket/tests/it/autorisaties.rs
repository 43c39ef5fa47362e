//! The Autorisaties API: CRUD, the rules ac-001…ac-003, clients added while
//! the server runs, and notifications on the `autorisaties` kanaal.

use crate::both;
use crate::helpers::{subscribe, token, Engine, Receiver, TestApp};
use serde_json::json;
use std::time::Duration;

const APPS: &str = "/autorisaties/api/v1/applicaties";

async fn crud_and_rules(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let body = json!({"clientIds": ["app-1", "app-2"], "label": "Zaakapp", "autorisaties": [
        {"component": "zrc", "scopes": ["zaken.lezen"], "zaaktype": "https://example.org/zaaktypen/1", "maxVertrouwelijkheidaanduiding": "openbaar"}]});
    let (st, created) = app.post(APPS, &body).await;
    assert_eq!(st, 201, "{created}");
    assert_eq!(created["clientIds"], json!(["app-1", "app-2"]));
    assert_eq!(created["heeftAlleAutorisaties"], json!(false));
    assert_eq!(
        created["autorisaties"],
        json!([{"component": "zrc", "componentWeergave": "Zaakregistratiecomponent", "scopes": ["zaken.lezen"],
                "zaaktype": "https://example.org/zaaktypen/1", "maxVertrouwelijkheidaanduiding": "openbaar"}])
    );
    let url = created["url"].as_str().unwrap().to_owned();
    let path = url.strip_prefix(&app.server.url).unwrap().to_owned();

    // ac-001: a client id belongs to one applicatie.
    let (st, err) = app.post(APPS, &json!({"clientIds": ["app-2"], "label": "x", "heeftAlleAutorisaties": true})).await;
    assert_eq!(st, 400);
    assert_eq!(err["invalidParams"][0]["name"], "clientIds");
    assert_eq!(err["invalidParams"][0]["code"], "clientId-exists");

    // Read, filter, consumer.
    let (st, got) = app.get(&path).await;
    assert_eq!((st, &got), (200, &created));
    let (_, list) = app.get(&format!("{APPS}?clientIds=app-2,other")).await;
    assert_eq!(list["count"], 1);
    assert_eq!(list["results"][0]["url"], json!(url));
    let (_, none) = app.get(&format!("{APPS}?clientIds=nobody")).await;
    assert_eq!(none["count"], 0);
    let (st, consumer) = app.get("/autorisaties/api/v1/applicaties/consumer?clientId=app-1").await;
    assert_eq!((st, consumer["url"].as_str()), (200, Some(url.as_str())));
    let (st, _) = app.get("/autorisaties/api/v1/applicaties/consumer?clientId=nobody").await;
    assert_eq!(st, 404);

    // PATCH keeps what it does not name; PUT replaces.
    let (st, patched) = app.send(reqwest::Method::PATCH, &path, &json!({"label": "Nieuw"})).await;
    assert_eq!(st, 200);
    assert_eq!(patched["label"], "Nieuw");
    assert_eq!(patched["clientIds"], json!(["app-1", "app-2"]));
    let (st, put) = app
        .send(
            reqwest::Method::PUT,
            &path,
            &json!({"clientIds": ["app-3"], "label": "Alles", "heeftAlleAutorisaties": true, "autorisaties": []}),
        )
        .await;
    assert_eq!(st, 200, "{put}");
    assert_eq!(put["clientIds"], json!(["app-3"]));
    let (_, list) = app.get(&format!("{APPS}?clientIds=app-1")).await;
    assert_eq!(list["count"], 0, "old client ids are gone");

    // ac-002 and ac-003.
    let (st, err) = app
        .post(APPS, &json!({"clientIds": ["z"], "label": "x", "heeftAlleAutorisaties": false, "autorisaties": []}))
        .await;
    assert_eq!((st, err["invalidParams"][0]["code"].as_str()), (400, Some("missing-authorizations")));
    let (st, err) = app
        .post(APPS, &json!({"clientIds": ["z"], "label": "x", "autorisaties": [
            {"component": "drc", "scopes": ["documenten.lezen"], "informatieobjecttype": "", "maxVertrouwelijkheidaanduiding": ""}]}))
        .await;
    assert_eq!(st, 400);
    let names: Vec<&str> =
        err["invalidParams"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["autorisaties.0.maxVertrouwelijkheidaanduiding", "autorisaties.0.informatieobjecttype"]);
    let (st, _) = app
        .post(
            APPS,
            &json!({"clientIds": ["z"], "label": "x", "autorisaties": [
            {"component": "brc", "scopes": ["notificaties.publiceren"], "besluittype": ""}]}),
        )
        .await;
    assert_eq!(st, 201);

    // DELETE, then it is gone, and so is the secret of its client id.
    loket_autorisaties::clients::add(&app.ctx(), "app-3", "secret-3", false).await.unwrap();
    let t3 = token("app-3", "secret-3");
    let r = app.http.get(app.url(APPS)).bearer_auth(&t3).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let r = app.http.delete(app.url(&path)).bearer_auth(&app.token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let (st, _) = app.get(&path).await;
    assert_eq!(st, 404);
    tokio::time::sleep(Duration::from_millis(2100)).await; // credential cache TTL
    let r = app.http.get(app.url(APPS)).bearer_auth(&t3).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    app.stop().await;
}
both!(crud_and_rules);

/// `loket client add` on the same database while the server runs gives an
/// applicatie created through the API a secret that works at once.
async fn client_added_while_running(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let body = json!({"clientIds": ["runtime-app"], "label": "Later", "autorisaties": [
        {"component": "nrc", "scopes": ["notificaties.consumeren"]}]});
    assert_eq!(app.post(APPS, &body).await.0, 201);
    let kanalen = app.url("/notificaties/api/v1/kanaal");
    let t = token("runtime-app", "runtime-secret");
    let r = app.http.get(&kanalen).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401, "no secret yet");

    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_loket"));
    cmd.args(["client", "add", "--id", "runtime-app", "--secret", "runtime-secret", "--data-dir"]);
    cmd.arg(&app.storage.args.data_dir);
    if let Some(url) = &app.storage.args.database_url {
        cmd.args(["--database-url", url]);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "secret of client 'runtime-app' set");

    let r = app.http.get(&kanalen).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // Its rights are those of the applicatie: no Autorisaties API access.
    let r = app.http.get(app.url(APPS)).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    app.stop().await;
}
both!(client_added_while_running);

async fn changes_are_published(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let receiver = Receiver::start().await;
    subscribe(&app, "autorisaties", &[], &receiver, json!({})).await;
    let (st, created) =
        app.post(APPS, &json!({"clientIds": ["pub-1"], "label": "x", "heeftAlleAutorisaties": true})).await;
    assert_eq!(st, 201);
    let url = created["url"].as_str().unwrap().to_owned();
    let path = url.strip_prefix(&app.server.url).unwrap().to_owned();
    let r = app.http.delete(app.url(&path)).bearer_auth(&app.token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 204);
    receiver.wait_for("create and destroy", Duration::from_secs(10), |r| r.len() >= 2).await;
    let got = receiver.received();
    let acties: Vec<&str> = got.iter().map(|(_, n)| n["actie"].as_str().unwrap()).collect();
    assert_eq!(acties, vec!["create", "destroy"]);
    for (auth, n) in &got {
        assert_eq!(auth, "Bearer abc");
        assert_eq!(n["kanaal"], "autorisaties");
        assert_eq!(n["resource"], "applicatie");
        assert_eq!(n["resourceUrl"], json!(url));
        assert_eq!(n["hoofdObject"], json!(url));
    }
    app.stop().await;
}
both!(changes_are_published);

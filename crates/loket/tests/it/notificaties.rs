//! The Notificaties API and delivery: kanalen, abonnementen with their
//! callback check, filters, retries with back-off and an attempt log,
//! nothing sent for a rolled-back change, nothing lost across SIGKILL.

use crate::both;
use crate::helpers::{ctx, read, subscribe, Engine, Receiver, Storage, TestApp, SUPERSECRET, SUPERUSER};
use loket_core::notification::Notification;
use loket_store::q;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;

const NRC: &str = "/notificaties/api/v1";

fn message(kanaal: &str, n: usize, kenmerken: Value) -> Value {
    json!({"kanaal": kanaal, "hoofdObject": format!("https://example.org/zaken/{n}"), "resource": "zaak",
           "resourceUrl": format!("https://example.org/zaken/{n}"), "actie": "create",
           "aanmaakdatum": "2026-11-23T10:00:00Z", "kenmerken": kenmerken})
}

async fn kanalen_and_abonnementen(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let receiver = Receiver::start().await;
    let (st, k) = app.post(&format!("{NRC}/kanaal"), &json!({"naam": "zaken", "filters": ["bronorganisatie"]})).await;
    assert_eq!(st, 201, "{k}");
    assert_eq!(k["filters"], json!(["bronorganisatie"]));
    let (st, err) = app.post(&format!("{NRC}/kanaal"), &json!({"naam": "zaken"})).await;
    assert_eq!((st, err["invalidParams"][0]["code"].as_str()), (400, Some("unique")));
    let (_, list) = app.get(&format!("{NRC}/kanaal?naam=zaken")).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let own = app.get(&format!("{NRC}/kanaal?naam=autorisaties")).await.1;
    assert_eq!(own.as_array().map(Vec::len), Some(1), "Loket registers its own kanalen");
    let kpath = k["url"].as_str().unwrap().strip_prefix(&app.server.url).unwrap().to_owned();
    assert_eq!(app.get(&kpath).await, (200, k.clone()));

    let abo = |kanaal: &str, filters: Value| json!({"callbackUrl": receiver.url, "auth": "Bearer abc", "kanalen": [{"naam": kanaal, "filters": filters}]});
    let (st, err) = app.post(&format!("{NRC}/abonnement"), &abo("bestaat-niet", json!({}))).await;
    assert_eq!(st, 400);
    assert_eq!(
        err["invalidParams"][0],
        json!({"name": "kanalen.0.naam", "code": "does_not_exist", "reason": "Kanaal 'bestaat-niet' bestaat niet."})
    );
    let (st, err) = app.post(&format!("{NRC}/abonnement"), &abo("zaken", json!({"zaaktype": "x"}))).await;
    assert_eq!((st, err["invalidParams"][0]["code"].as_str()), (400, Some("kenmerken_inconsistent")));

    // The callback is tested on creation.
    receiver.set_status(500);
    let (st, err) = app.post(&format!("{NRC}/abonnement"), &abo("zaken", json!({}))).await;
    assert_eq!(st, 400);
    assert_eq!(err["invalidParams"][0]["name"], "callbackUrl");
    assert_eq!(err["invalidParams"][0]["code"], "invalid-callback-url");
    receiver.set_status(204);
    let (st, a) = app.post(&format!("{NRC}/abonnement"), &abo("zaken", json!({"bronorganisatie": "123"}))).await;
    assert_eq!(st, 201, "{a}");
    assert_eq!(a["kanalen"], json!([{"naam": "zaken", "filters": {"bronorganisatie": "123"}}]));
    let apath = a["url"].as_str().unwrap().strip_prefix(&app.server.url).unwrap().to_owned();
    assert_eq!(app.get(&apath).await, (200, a.clone()));
    let (_, all) = app.get(&format!("{NRC}/abonnement")).await;
    assert_eq!(all, json!([a.clone()]));
    let (st, patched) = app.send(reqwest::Method::PATCH, &apath, &json!({"auth": "Bearer def"})).await;
    assert_eq!((st, patched["auth"].as_str()), (200, Some("Bearer def")));
    assert_eq!(patched["kanalen"], a["kanalen"]);
    let r = app.http.delete(app.url(&apath)).bearer_auth(&app.token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(app.get(&apath).await.0, 404);
    app.stop().await;
}
both!(kanalen_and_abonnementen);

async fn publish_with_filters(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let receiver = Receiver::start().await;
    subscribe(&app, "zaken", &["bronorganisatie"], &receiver, json!({"bronorganisatie": "123"})).await;
    let (st, echo) =
        app.post(&format!("{NRC}/notificaties"), &message("zaken", 1, json!({"bronorganisatie": "999"}))).await;
    assert_eq!(st, 200, "{echo}");
    let (st, _) =
        app.post(&format!("{NRC}/notificaties"), &message("zaken", 2, json!({"bronorganisatie": "123"}))).await;
    assert_eq!(st, 200);
    let (st, err) = app.post(&format!("{NRC}/notificaties"), &message("zaken", 3, json!({"onbekend": "1"}))).await;
    assert_eq!((st, err["invalidParams"][0]["code"].as_str()), (400, Some("kenmerken_inconsistent")));
    let (st, err) = app.post(&format!("{NRC}/notificaties"), &message("nergens", 4, json!({}))).await;
    assert_eq!((st, err["invalidParams"][0]["name"].as_str()), (400, Some("kanaal")));
    let mut bad = message("zaken", 5, json!({}));
    bad["aanmaakdatum"] = json!("gisteren");
    let (st, err) = app.post(&format!("{NRC}/notificaties"), &bad).await;
    assert_eq!((st, err["invalidParams"][0]["name"].as_str()), (400, Some("aanmaakdatum")));

    receiver.wait_for("the matching notification", Duration::from_secs(10), |r| !r.is_empty()).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let got = receiver.received();
    assert_eq!(got.len(), 1, "only the notification that matches the filter: {got:?}");
    assert_eq!(got[0].1, message("zaken", 2, json!({"bronorganisatie": "123"})));
    app.stop().await;
}
both!(publish_with_filters);

#[derive(sqlx::FromRow, Debug)]
struct Attempt {
    attempt: i64,
    at: i64,
    status_code: Option<i64>,
}

async fn failing_subscriber_is_retried(engine: Engine) {
    let app = TestApp::spawn(engine).await; // back-off 50 ms, doubling
    let receiver = Receiver::start().await;
    subscribe(&app, "zaken", &[], &receiver, json!({})).await;
    receiver.fail_first(2);
    let (st, _) = app.post(&format!("{NRC}/notificaties"), &message("zaken", 7, json!({}))).await;
    assert_eq!(st, 200);
    receiver.wait_for("delivery after two failures", Duration::from_secs(10), |r| r.len() == 1).await;
    // The attempt row is written right after the response; give it a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let attempts: Vec<Attempt> = app
        .server
        .db
        .fetch_all(q("SELECT attempt, at, status_code FROM delivery_attempt ORDER BY attempt"))
        .await
        .unwrap();
    let codes: Vec<(i64, Option<i64>)> = attempts.iter().map(|a| (a.attempt, a.status_code)).collect();
    assert_eq!(codes, vec![(1, Some(503)), (2, Some(503)), (3, Some(204))]);
    assert!(attempts[1].at - attempts[0].at >= 50, "first retry waits the back-off: {attempts:?}");
    assert!(attempts[2].at - attempts[1].at >= 100, "second retry waits twice as long: {attempts:?}");
    let (state, n): (String, i64) = app.server.db.fetch_one(q("SELECT state, attempts FROM delivery")).await.unwrap();
    assert_eq!((state.as_str(), n), ("delivered", 3));
    app.stop().await;
}
both!(failing_subscriber_is_retried);

async fn rolled_back_change_sends_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let receiver = Receiver::start().await;
    subscribe(&app, "autorisaties", &[], &receiver, json!({})).await;
    let note = |n: &str| Notification {
        kanaal: "autorisaties".into(),
        hoofd_object: format!("https://example.org/{n}"),
        resource: "applicatie".into(),
        resource_url: format!("https://example.org/{n}"),
        actie: "create".into(),
        aanmaakdatum: "2026-11-23T10:00:00Z".into(),
        kenmerken: Default::default(),
    };
    let ctx = app.ctx();
    // A change whose transaction is rolled back, with its notification.
    let mut tx = ctx.db.begin().await.unwrap();
    ctx.outbox.publish(&mut tx, &note("rolled-back"), 0).await.unwrap();
    tx.rollback().await.unwrap();
    // A refused API change (ac-001) publishes nothing either.
    assert_eq!(
        app.post(
            "/autorisaties/api/v1/applicaties",
            &json!({"clientIds": [SUPERUSER], "label": "x", "heeftAlleAutorisaties": true})
        )
        .await
        .0,
        400
    );
    // A committed one does.
    let mut tx = ctx.db.begin().await.unwrap();
    ctx.outbox.publish(&mut tx, &note("committed"), 0).await.unwrap();
    tx.commit().await.unwrap();
    receiver.wait_for("the committed notification", Duration::from_secs(10), |r| !r.is_empty()).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let urls: Vec<String> =
        receiver.received().iter().map(|(_, n)| n["resourceUrl"].as_str().unwrap().to_owned()).collect();
    assert_eq!(urls, vec!["https://example.org/committed".to_string()]);
    app.stop().await;
}
both!(rolled_back_change_sends_nothing);

/// Runs the real binary; returns the child and its base URL.
async fn spawn_loket(storage: &loket::config::StorageArgs) -> (tokio::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_loket"));
    cmd.args(["serve", "--no-demo", "--notify-backoff-ms", "50", "--notify-max-attempts", "100", "--listen"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("--data-dir")
        .arg(&storage.data_dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true);
    if let Some(url) = &storage.database_url {
        cmd.args(["--database-url", url]);
    }
    let child = cmd.spawn().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if http.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return (child, base);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("loket did not become ready");
}

async fn nothing_lost_across_sigkill(engine: Engine) {
    let storage = Storage::new(engine).await;
    let db = storage.args.open().await.unwrap();
    loket_autorisaties::clients::add(&ctx(&db), SUPERUSER, SUPERSECRET, true).await.unwrap();
    db.close().await;
    let token = crate::helpers::token(SUPERUSER, SUPERSECRET);
    let http = reqwest::Client::new();
    let receiver = Receiver::start().await;

    let (mut child, base) = spawn_loket(&storage.args).await;
    let post = |path: &str, body: Value| {
        let req = http.post(format!("{base}{path}")).bearer_auth(&token).json(&body);
        async move { read(req.send().await.unwrap()).await }
    };
    assert_eq!(post("/notificaties/api/v1/kanaal", json!({"naam": "zaken"})).await.0, 201);
    let abo = json!({"callbackUrl": receiver.url, "auth": "Bearer abc", "kanalen": [{"naam": "zaken"}]});
    assert_eq!(post("/notificaties/api/v1/abonnement", abo).await.0, 201);

    receiver.set_status(503); // the subscriber is down while notifications pile up
    let mut sent = BTreeSet::new();
    for n in 0..20 {
        let (st, _) = post("/notificaties/api/v1/notificaties", message("zaken", n, json!({}))).await;
        assert_eq!(st, 200);
        sent.insert(format!("https://example.org/zaken/{n}"));
    }
    child.kill().await.unwrap(); // SIGKILL
    receiver.set_status(204);

    let (mut child, _) = spawn_loket(&storage.args).await;
    receiver
        .wait_for("all 20 notifications after the restart", Duration::from_secs(30), |r| {
            r.iter().map(|(_, n)| n["resourceUrl"].as_str().unwrap_or("").to_owned()).collect::<BTreeSet<_>>() == sent
        })
        .await;
    child.kill().await.unwrap();
    storage.cleanup().await;
}
both!(nothing_lost_across_sigkill);

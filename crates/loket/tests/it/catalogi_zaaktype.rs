//! Catalogi: the resources of a zaaktype, the Selectielijst rules for
//! resultaattypen, and references that Loket may or may not follow.

use crate::both;
use crate::helpers::{Engine, TestApp};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const ZTC: &str = "/catalogi/api/v1";
const REFL: &str = "/referentielijsten/api/v1";
/// Selectielijst 2020 procestype 1 and two of its resultaten.
const PROCESTYPE_1: &str = "b594c8d1-ea6a-4bcd-a6aa-2c7a8ad3fe5b";
const RESULTAAT_NIHIL: &str = "6711baff-798b-4c7f-9133-8ad02c8b7c6f";
/// "Afgehandeld" in the generic resultaattypeomschrijvingen.
const OMSCHRIJVING: &str = "cad65ef5-6db5-404f-8c6b-8b76d7af40f5";

fn path_of(app: &TestApp, v: &Value) -> String {
    v["url"].as_str().unwrap().strip_prefix(&app.server.url).unwrap().to_owned()
}

async fn catalogus(app: &TestApp) -> String {
    let (st, cat) = app
        .post(
            &format!("{ZTC}/catalogussen"),
            &json!({"domein": "GEM", "rsin": "002564440", "contactpersoonBeheerNaam": "A"}),
        )
        .await;
    assert_eq!(st, 201);
    cat["url"].as_str().unwrap().to_owned()
}

fn zaaktype_body(catalogus: &str, procestype: &str) -> Value {
    json!({
        "identificatie": "KLACHT", "omschrijving": "Klacht", "vertrouwelijkheidaanduiding": "intern",
        "doel": "Klachten behandelen", "aanleiding": "Een klacht", "indicatieInternOfExtern": "extern",
        "handelingInitiator": "indienen", "onderwerp": "klacht", "handelingBehandelaar": "behandelen",
        "doorlooptijd": "P6W", "verlengingMogelijk": true, "verlengingstermijn": "P4W", "opschortingEnAanhoudingMogelijk": false,
        "publicatieIndicatie": false, "productenOfDiensten": [], "selectielijstProcestype": procestype,
        "referentieproces": {"naam": "klacht"}, "verantwoordelijke": "Klachtencoördinator",
        "catalogus": catalogus, "besluittypen": [], "gerelateerdeZaaktypen": [],
        "beginGeldigheid": "2024-01-01", "versiedatum": "2024-01-01"
    })
}

async fn zaaktype_resources(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let cat = catalogus(&app).await;
    let procestype = app.url(&format!("{REFL}/procestypen/{PROCESTYPE_1}"));
    let (st, zt) = app.post(&format!("{ZTC}/zaaktypen"), &zaaktype_body(&cat, &procestype)).await;
    assert_eq!(st, 201, "{zt}");
    let zt_url = zt["url"].as_str().unwrap().to_owned();

    // Statustypen: the one with the highest volgnummer is the eindstatus.
    for (n, omschrijving) in [(1, "Ontvangen"), (2, "In behandeling"), (3, "Afgehandeld")] {
        let (st, b) = app
            .post(
                &format!("{ZTC}/statustypen"),
                &json!({"zaaktype": zt_url, "omschrijving": omschrijving, "volgnummer": n}),
            )
            .await;
        assert_eq!(st, 201, "{b}");
    }
    let (_, list) = app.get(&format!("{ZTC}/statustypen?zaaktype={zt_url}&status=alles")).await;
    let eind: Vec<(i64, bool)> = list["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["volgnummer"].as_i64().unwrap(), s["isEindstatus"].as_bool().unwrap()))
        .collect();
    assert_eq!(eind, vec![(1, false), (2, false), (3, true)]);
    assert_eq!(list["results"][0]["zaaktypeIdentificatie"], "KLACHT");
    assert_eq!(app.get(&format!("{ZTC}/statustypen?zaaktype={zt_url}")).await.1["count"], 0, "default: published only");

    let (st, rol) = app
        .post(
            &format!("{ZTC}/roltypen"),
            &json!({"zaaktype": zt_url, "omschrijving": "Indiener", "omschrijvingGeneriek": "initiator"}),
        )
        .await;
    assert_eq!(st, 201, "{rol}");
    let (st, err) = app
        .post(
            &format!("{ZTC}/roltypen"),
            &json!({"zaaktype": zt_url, "omschrijving": "X", "omschrijvingGeneriek": "koning"}),
        )
        .await;
    assert_eq!((st, err["invalidParams"][0]["code"].as_str()), (400, Some("invalid_choice")));
    let (st, eig) = app
        .post(
            &format!("{ZTC}/eigenschappen"),
            &json!({"zaaktype": zt_url, "naam": "onderwerp", "definitie": "Waar gaat de klacht over",
                    "specificatie": {"formaat": "tekst", "lengte": "200", "kardinaliteit": "1"}}),
        )
        .await;
    assert_eq!(st, 201, "{eig}");

    // Resultaattype: archiefnominatie and archiefactietermijn come from the selectielijstklasse.
    let klasse = app.url(&format!("{REFL}/resultaten/{RESULTAAT_NIHIL}"));
    let omschrijving = app.url(&format!("{REFL}/resultaattypeomschrijvingen/{OMSCHRIJVING}"));
    let resultaat = |wijze: &str| {
        json!({"zaaktype": zt_url, "omschrijving": "Afgehandeld", "resultaattypeomschrijving": omschrijving,
               "selectielijstklasse": klasse, "brondatumArchiefprocedure": {"afleidingswijze": wijze}})
    };
    let (st, err) = app.post(&format!("{ZTC}/resultaattypen"), &resultaat("hoofdzaak")).await;
    assert_eq!(
        (st, err["invalidParams"][0]["code"].as_str()),
        (400, Some("invalid-afleidingswijze-for-procestermijn"))
    );
    let (st, rt) = app.post(&format!("{ZTC}/resultaattypen"), &resultaat("afgehandeld")).await;
    assert_eq!(st, 201, "{rt}");
    assert_eq!(
        (rt["archiefnominatie"].as_str(), rt["archiefactietermijn"].as_str()),
        (Some("vernietigen"), Some("P10Y"))
    );
    assert_eq!(rt["omschrijvingGeneriek"], "Afgehandeld");

    // Zaaktype-informatieobjecttype: the relation shows on both types; ztc-012 holds.
    let (_, iot) = app
        .post(&format!("{ZTC}/informatieobjecttypen"), &json!({"catalogus": cat, "omschrijving": "Klachtbrief",
            "vertrouwelijkheidaanduiding": "intern", "beginGeldigheid": "2024-01-01", "informatieobjectcategorie": "brief"}))
        .await;
    let (st, ziot) = app
        .post(
            &format!("{ZTC}/zaaktype-informatieobjecttypen"),
            &json!({"zaaktype": zt_url, "informatieobjecttype": "Klachtbrief",
            "volgnummer": 1, "richting": "inkomend"}),
        )
        .await;
    assert_eq!(st, 201, "{ziot}");
    let (st, zot) = app
        .post(
            &format!("{ZTC}/zaakobjecttypen"),
            &json!({"zaaktype": zt_url, "anderObjecttype": false, "beginGeldigheid": "2024-01-01",
            "objecttype": "https://example.org/objecttypen/1", "relatieOmschrijving": "Locatie"}),
        )
        .await;
    assert_eq!(st, 201, "{zot}");
    let count = |q: String| {
        let app = &app;
        async move { app.get(&format!("{ZTC}/{q}")).await.1["count"].clone() }
    };
    assert_eq!(count("zaakobjecttypen?anderObjecttype=false".into()).await, 1);
    assert_eq!(count("zaakobjecttypen?anderObjecttype=true".into()).await, 0);
    assert_eq!(count(format!("zaakobjecttypen?catalogus={cat}")).await, 1);
    assert_eq!(count("zaakobjecttypen?datumBeginGeldigheid=2024-01-01&relatieOmschrijving=Locatie".into()).await, 1);
    assert_eq!(count("zaakobjecttypen?relatieOmschrijving=Anders".into()).await, 0);
    assert_eq!(
        app.get(&format!("{ZTC}/zaakobjecttypen?status=alles")).await.0,
        400,
        "zaakobjecttypen have no status filter"
    );
    assert_eq!(count("zaaktype-informatieobjecttypen?status=alles&richting=inkomend".into()).await, 1);
    assert_eq!(count("zaaktype-informatieobjecttypen?status=alles&richting=uitgaand".into()).await, 0);
    let (_, zt_now) = app.get(&path_of(&app, &zt)).await;
    assert_eq!(zt_now["informatieobjecttypen"], json!([iot["url"]]));
    assert_eq!(zt_now["statustypen"].as_array().map(Vec::len), Some(3));
    assert_eq!(zt_now["roltypen"], json!([rol["url"]]));
    assert_eq!(zt_now["resultaattypen"], json!([rt["url"]]));
    assert_eq!(zt_now["eigenschappen"], json!([eig["url"]]));
    assert_eq!(app.get(&path_of(&app, &iot)).await.1["zaaktypen"], json!([zt_url]));
    let (st, err) = app.post(&format!("{}/publish", path_of(&app, &zt)), &json!({})).await;
    assert_eq!((st, err["invalidParams"][0]["code"].as_str()), (400, Some("concept-relation")));
    assert_eq!(app.post(&format!("{}/publish", path_of(&app, &iot)), &json!({})).await.0, 200);
    assert_eq!(app.post(&format!("{}/publish", path_of(&app, &zt)), &json!({})).await.0, 200);

    // ztc-010: the resources of a published zaaktype are frozen.
    let (st, err) = app.send(reqwest::Method::PATCH, &path_of(&app, &rol), &json!({"omschrijving": "Klager"})).await;
    assert_eq!((st, err["invalidParams"][0]["code"].as_str()), (400, Some("non-concept-zaaktype")));
    let (st, _) = app
        .post(
            &format!("{ZTC}/roltypen"),
            &json!({"zaaktype": zt_url, "omschrijving": "Later", "omschrijvingGeneriek": "adviseur"}),
        )
        .await;
    assert_eq!(st, 400);
    let r = app.http.delete(app.url(&path_of(&app, &eig))).bearer_auth(&app.token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(app.get(&format!("{ZTC}/roltypen?omschrijvingGeneriek=initiator")).await.1["count"], 1);
    app.stop().await;
}
both!(zaaktype_resources);

/// A local stand-in for another organisation's API, counting its calls.
async fn remote(calls: Arc<AtomicUsize>) -> String {
    let c = calls.clone();
    let app = Router::new().route(
        "/refl/procestypen/{id}",
        get(move || {
            let c = c.clone();
            async move {
                c.fetch_add(1, Ordering::SeqCst);
                Json(json!({"url": "x", "nummer": 7, "jaar": 2020, "naam": "Op afstand"}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    base
}

async fn only_configured_urls_are_followed(engine: Engine) {
    let calls = Arc::new(AtomicUsize::new(0));
    let base = remote(calls.clone()).await;
    // Not configured: refused without a request.
    let app = TestApp::spawn(engine).await;
    let cat = catalogus(&app).await;
    let (st, err) =
        app.post(&format!("{ZTC}/zaaktypen"), &zaaktype_body(&cat, &format!("{base}/refl/procestypen/1"))).await;
    assert_eq!(st, 400);
    assert_eq!(err["invalidParams"][0]["name"], "selectielijstProcestype");
    assert_eq!(err["invalidParams"][0]["code"], "bad-url");
    let (st, _) =
        app.post(&format!("{ZTC}/zaaktypen"), &zaaktype_body(&cat, "http://169.254.169.254/latest/meta-data")).await;
    assert_eq!(st, 400);
    assert_eq!(calls.load(Ordering::SeqCst), 0, "no request to an unconfigured service");
    // A wrong kind of resource of the built-in Selectielijst.
    let wrong = app.url(&format!("{REFL}/resultaten/{RESULTAAT_NIHIL}"));
    let (st, err) = app.post(&format!("{ZTC}/zaaktypen"), &zaaktype_body(&cat, &wrong)).await;
    assert_eq!((st, err["invalidParams"][0]["code"].as_str()), (400, Some("invalid-resource")));
    app.stop().await;

    // Configured as the referentielijsten API: fetched once, then cached.
    let app = TestApp::spawn_with(engine, &["--referentielijsten-url", &format!("{base}/refl")]).await;
    let cat = catalogus(&app).await;
    let mut body = zaaktype_body(&cat, &format!("{base}/refl/procestypen/1"));
    assert_eq!(app.post(&format!("{ZTC}/zaaktypen"), &body).await.0, 201);
    body["identificatie"] = json!("ANDER");
    assert_eq!(app.post(&format!("{ZTC}/zaaktypen"), &body).await.0, 201);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    app.stop().await;
}
both!(only_configured_urls_are_followed);

/// The built-in Selectielijst 2020 API.
async fn builtin_selectielijst(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let (st, procestypen) = app.get(&format!("{REFL}/procestypen")).await;
    assert_eq!(st, 200);
    assert_eq!(procestypen.as_array().map(Vec::len), Some(29));
    let (_, page) = app
        .get(&format!("{REFL}/resultaten?procesType={}", app.url(&format!("{REFL}/procestypen/{PROCESTYPE_1}"))))
        .await;
    assert!(page["count"].as_i64().unwrap() > 0);
    assert!(page["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["procesType"].as_str().unwrap().ends_with(PROCESTYPE_1)));
    assert_eq!(app.get(&format!("{REFL}/resultaten/nope")).await.0, 404);
    app.stop().await;
}
both!(builtin_selectielijst);

/// On an empty database `loket serve` loads the starter catalogue: published
/// zaaktypen with real Selectielijst archive rules.
async fn starter_catalogue(engine: Engine) {
    let app = TestApp::spawn_with(engine, &["--demo"]).await;
    let mut count = json!(0);
    for _ in 0..200 {
        count = app.get(&format!("{ZTC}/zaaktypen")).await.1["count"].clone();
        if count == json!(12) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(count, json!(12));
    let (_, klacht) = app.get(&format!("{ZTC}/zaaktypen?identificatie=KLACHT")).await;
    let k = &klacht["results"][0];
    assert_eq!((k["doorlooptijd"].as_str(), k["verlengingstermijn"].as_str()), (Some("P6W"), Some("P4W")));
    assert_eq!(k["concept"], false);
    assert_eq!(k["statustypen"].as_array().map(Vec::len), Some(3));
    let (_, rt) = app.get(&format!("{ZTC}/resultaattypen?zaaktype={}", k["url"].as_str().unwrap())).await;
    let first = &rt["results"][0];
    assert_eq!(
        (first["archiefnominatie"].as_str(), first["archiefactietermijn"].as_str()),
        (Some("vernietigen"), Some("P5Y"))
    );
    assert_eq!(first["brondatumArchiefprocedure"]["afleidingswijze"], "afgehandeld");
    assert_eq!(app.get(&format!("{ZTC}/zaaktypen?trefwoorden=klacht")).await.1["count"], 1);
    assert_eq!(app.get(&format!("{ZTC}/zaaktypen?trefwoorden=klacht,Awb")).await.1["count"], 1);
    assert_eq!(app.get(&format!("{ZTC}/zaaktypen?trefwoorden=Awb")).await.1["count"], 2);
    assert_eq!(app.get(&format!("{ZTC}/zaaktypen?trefwoorden=klacht,BRP")).await.1["count"], 0);
    let (_, bezwaar) = app.get(&format!("{ZTC}/zaaktypen?identificatie=BEZWAAR")).await;
    assert_eq!(bezwaar["results"][0]["verlengingstermijn"], "P6W");
    app.stop().await;
}
both!(starter_catalogue);

/// Export from one Loket and import into an empty one reproduces the
/// catalogue exactly; importing again needs new UUIDs.
async fn export_import_round_trip(engine: Engine) {
    let a = TestApp::spawn_with(engine, &["--demo"]).await;
    for _ in 0..200 {
        if a.get(&format!("{ZTC}/zaaktypen")).await.1["count"] == json!(12) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let (_, cats) = a.get(&format!("{ZTC}/catalogussen")).await;
    let cat_uuid = cats["results"][0]["url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let (st, doc) = a.get(&format!("/beheer/api/v1/catalogussen/{cat_uuid}/export")).await;
    assert_eq!(st, 200);

    let b = TestApp::spawn(engine).await;
    let (st, imported) = b.post("/beheer/api/v1/catalogussen/import", &doc).await;
    assert_eq!(st, 201, "{imported}");
    let lists = [
        "catalogussen",
        "zaaktypen?status=alles",
        "informatieobjecttypen?status=alles",
        "besluittypen?status=alles",
        "statustypen?status=alles",
        "roltypen?status=alles",
        "eigenschappen?status=alles",
        "resultaattypen?status=alles",
        "zaaktype-informatieobjecttypen?status=alles",
        "zaakobjecttypen",
    ];
    for list in lists {
        let (_, from_a) = a.get(&format!("{ZTC}/{list}")).await;
        let (_, from_b) = b.get(&format!("{ZTC}/{list}")).await;
        let from_a: Value = serde_json::from_str(&from_a.to_string().replace(&a.server.url, &b.server.url)).unwrap();
        // Compare without printing whole catalogues on failure.
        assert!(from_a == from_b, "{list} differs after import");
        assert!(
            from_b["count"].as_i64().unwrap() > 0
                || list.starts_with("zaakobjecttypen")
                || list.starts_with("besluittypen")
        );
    }
    let (st, _) = b.post("/beheer/api/v1/catalogussen/import", &doc).await;
    assert_eq!(st, 409, "the same UUIDs cannot be imported twice");
    let (st, again) = b.post("/beheer/api/v1/catalogussen/import?uuids=nieuw", &doc).await;
    assert_eq!(st, 201);
    assert_ne!(again["catalogus"], imported["catalogus"]);
    assert_eq!(b.get(&format!("{ZTC}/zaaktypen")).await.1["count"], 24);
    a.stop().await;
    b.stop().await;
}
both!(export_import_round_trip);

/// The command line: `catalogus seed`, `export` and `import` on real databases.
async fn catalogue_commands(engine: Engine) {
    let run = |args: Vec<String>| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_loket")).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let flags = |s: &crate::helpers::Storage| {
        let mut f = vec!["--data-dir".to_string(), s.args.data_dir.display().to_string()];
        if let Some(url) = &s.args.database_url {
            f.extend(["--database-url".to_string(), url.clone()]);
        }
        f
    };
    let from = crate::helpers::Storage::new(engine).await;
    let to = crate::helpers::Storage::new(engine).await;
    let seeded = run([vec!["catalogus".into(), "seed".into()], flags(&from)].concat());
    let uuid = seeded.rsplit('/').next().unwrap().to_owned();
    let file = std::env::temp_dir().join(format!("loket-export-{uuid}.json"));
    let exported =
        run([vec!["catalogus".into(), "export".into(), uuid.clone(), file.display().to_string()], flags(&from)]
            .concat());
    // 12 zaaktypen and 10 informatieobjecttypen; their statustypen, roltypen, eigenschappen,
    // resultaattypen and zaaktype-informatieobjecttypen.
    assert!(exported.starts_with(&format!("exported catalogus {uuid}: 22 types, 141 type resources")), "{exported}");
    let imported = run([vec!["catalogus".into(), "import".into(), file.display().to_string()], flags(&to)].concat());
    assert_eq!(imported, format!("imported catalogus {uuid}"));
    let _ = std::fs::remove_file(&file);
    from.cleanup().await;
    to.cleanup().await;
}
both!(catalogue_commands);

//! Catalogi: catalogussen and the versioned types, with the concept and
//! publish rules and validity-period look-ups.

use crate::both;
use crate::helpers::{Engine, TestApp};
use serde_json::{json, Value};

const ZTC: &str = "/catalogi/api/v1";

fn path_of(app: &TestApp, v: &Value) -> String {
    v["url"].as_str().unwrap().strip_prefix(&app.server.url).unwrap().to_owned()
}

fn zaaktype(catalogus: &str, identificatie: &str, begin: &str, besluittypen: &[&str]) -> Value {
    json!({
        "identificatie": identificatie, "omschrijving": "Melding openbare ruimte", "vertrouwelijkheidaanduiding": "openbaar",
        "doel": "Meldingen afhandelen", "aanleiding": "Een melding", "indicatieInternOfExtern": "extern",
        "handelingInitiator": "melden", "onderwerp": "openbare ruimte", "handelingBehandelaar": "behandelen",
        "doorlooptijd": "P10D", "opschortingEnAanhoudingMogelijk": false, "verlengingMogelijk": false,
        "publicatieIndicatie": false, "productenOfDiensten": ["https://example.org/producten/1"],
        "referentieproces": {"naam": "melding", "link": ""}, "verantwoordelijke": "Team openbare ruimte",
        "catalogus": catalogus, "besluittypen": besluittypen, "gerelateerdeZaaktypen": [],
        "beginGeldigheid": begin, "versiedatum": begin
    })
}

async fn catalogue_rules(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let (st, err) = app
        .post(
            &format!("{ZTC}/catalogussen"),
            &json!({"domein": "GEM", "rsin": "123456789", "contactpersoonBeheerNaam": "A"}),
        )
        .await;
    assert_eq!((st, err["invalidParams"][0]["name"].as_str()), (400, Some("rsin")));
    let (st, cat) = app
        .post(
            &format!("{ZTC}/catalogussen"),
            &json!({"domein": "GEM", "rsin": "002564440", "contactpersoonBeheerNaam": "A"}),
        )
        .await;
    assert_eq!(st, 201, "{cat}");
    let cat_url = cat["url"].as_str().unwrap().to_owned();
    let (_, other) = app
        .post(
            &format!("{ZTC}/catalogussen"),
            &json!({"domein": "ANDER", "rsin": "000000000", "contactpersoonBeheerNaam": "B"}),
        )
        .await;
    let (_, found) = app.get(&format!("{ZTC}/catalogussen?domein=GEM")).await;
    assert_eq!(found["count"], 1);

    let (st, iot) = app
        .post(&format!("{ZTC}/informatieobjecttypen"), &json!({"catalogus": cat_url, "omschrijving": "Foto",
            "vertrouwelijkheidaanduiding": "openbaar", "beginGeldigheid": "2024-01-01", "informatieobjectcategorie": "foto"}))
        .await;
    assert_eq!(st, 201, "{iot}");
    let (st, bt) = app
        .post(
            &format!("{ZTC}/besluittypen"),
            &json!({"catalogus": cat_url, "omschrijving": "Besluit",
            "publicatieIndicatie": false, "informatieobjecttypen": [iot["url"]], "beginGeldigheid": "2024-01-01"}),
        )
        .await;
    assert_eq!(st, 201, "{bt}");
    assert_eq!(bt["concept"], true);
    let bt_url = bt["url"].as_str().unwrap().to_owned();

    // ztc-013: relations stay inside the catalogus.
    let (_, other_bt) = app
        .post(
            &format!("{ZTC}/besluittypen"),
            &json!({"catalogus": other["url"], "omschrijving": "Elders",
            "publicatieIndicatie": false, "informatieobjecttypen": [], "beginGeldigheid": "2024-01-01"}),
        )
        .await;
    let (st, err) = app
        .post(
            &format!("{ZTC}/zaaktypen"),
            &zaaktype(&cat_url, "MOR", "2024-01-01", &[other_bt["url"].as_str().unwrap()]),
        )
        .await;
    assert_eq!((st, err["invalidParams"][0]["code"].as_str()), (400, Some("relations-incorrect-catalogus")));
    let (st, err) =
        app.post(&format!("{ZTC}/zaaktypen"), &json!({"catalogus": cat_url, "doorlooptijd": "tien dagen"})).await;
    assert_eq!(st, 400);
    let names: Vec<&str> =
        err["invalidParams"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"identificatie") && names.contains(&"doorlooptijd"), "{names:?}");

    let (st, zt) = app.post(&format!("{ZTC}/zaaktypen"), &zaaktype(&cat_url, "MOR", "2024-01-01", &[&bt_url])).await;
    assert_eq!(st, 201, "{zt}");
    let zt_path = path_of(&app, &zt);
    // Derived relations.
    let (_, bt_now) = app.get(&path_of(&app, &bt)).await;
    assert_eq!(bt_now["zaaktypen"], json!([zt["url"]]));
    let (_, iot_now) = app.get(&path_of(&app, &iot)).await;
    assert_eq!(iot_now["besluittypen"], json!([bt_url]));

    // Relation filters of besluittypen.
    let iot_url = iot["url"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("{ZTC}/besluittypen?status=alles&informatieobjecttypen={iot_url}")).await.1["count"],
        1
    );
    assert_eq!(
        app.get(&format!("{ZTC}/besluittypen?status=alles&informatieobjecttypen={cat_url}")).await.1["count"],
        0
    );
    let zt_url = zt["url"].as_str().unwrap();
    let (_, by_zt) = app.get(&format!("{ZTC}/besluittypen?status=alles&zaaktypen={zt_url}")).await;
    assert_eq!((by_zt["count"].clone(), by_zt["results"][0]["url"].clone()), (json!(1), json!(bt_url)));

    // Lists show published types unless asked otherwise.
    assert_eq!(app.get(&format!("{ZTC}/zaaktypen")).await.1["count"], 0);
    assert_eq!(app.get(&format!("{ZTC}/zaaktypen?status=alles")).await.1["count"], 1);
    assert_eq!(app.get(&format!("{ZTC}/zaaktypen?status=raar")).await.0, 400);

    // ztc-012: publish the besluittype first.
    let (st, err) = app.post(&format!("{zt_path}/publish"), &json!({})).await;
    assert_eq!((st, err["invalidParams"][0]["code"].as_str()), (400, Some("concept-relation")));
    assert_eq!(app.post(&format!("{}/publish", path_of(&app, &bt)), &json!({})).await.0, 200);
    let (st, published) = app.post(&format!("{zt_path}/publish"), &json!({})).await;
    assert_eq!((st, &published["concept"]), (200, &json!(false)));

    // ztc-009: published types are frozen, except eindeGeldigheid.
    let (st, err) =
        app.send(reqwest::Method::PUT, &zt_path, &zaaktype(&cat_url, "MOR", "2024-01-01", &[&bt_url])).await;
    assert_eq!((st, err["invalidParams"][0]["code"].as_str()), (400, Some("non-concept-object")));
    assert_eq!(app.send(reqwest::Method::PATCH, &zt_path, &json!({"omschrijving": "x"})).await.0, 400);
    let r = app.http.delete(app.url(&zt_path)).bearer_auth(&app.token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);

    // Versions: a new version may not overlap the published one.
    let (_, v2) = app.post(&format!("{ZTC}/zaaktypen"), &zaaktype(&cat_url, "MOR", "2025-01-01", &[&bt_url])).await;
    let v2_path = path_of(&app, &v2);
    let (st, err) = app.post(&format!("{v2_path}/publish"), &json!({})).await;
    assert_eq!((st, err["invalidParams"][0]["code"].as_str()), (400, Some("overlap")));
    let (st, _) = app.send(reqwest::Method::PATCH, &zt_path, &json!({"eindeGeldigheid": "2024-12-31"})).await;
    assert_eq!(st, 200);
    assert_eq!(app.post(&format!("{v2_path}/publish"), &json!({})).await.0, 200);
    let on = |d: &str| format!("{ZTC}/zaaktypen?identificatie=MOR&datumGeldigheid={d}");
    let (_, in_2024) = app.get(&on("2024-06-01")).await;
    assert_eq!((in_2024["count"].clone(), in_2024["results"][0]["url"].clone()), (json!(1), zt["url"].clone()));
    let (_, in_2025) = app.get(&on("2025-06-01")).await;
    assert_eq!((in_2025["count"].clone(), in_2025["results"][0]["url"].clone()), (json!(1), v2["url"].clone()));
    assert_eq!(app.get(&on("2023-06-01")).await.1["count"], 0);

    // HTTP caching: an ETag on every read; 304 when the client has it; HEAD too.
    let r = app.http.get(app.url(&zt_path)).bearer_auth(&app.token).send().await.unwrap();
    let etag = r.headers().get("etag").and_then(|v| v.to_str().ok()).unwrap().to_owned();
    let r =
        app.http.get(app.url(&zt_path)).bearer_auth(&app.token).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 304);
    let r = app.http.head(app.url(&zt_path)).bearer_auth(&app.token).send().await.unwrap();
    assert_eq!(
        (r.status().as_u16(), r.headers().get("etag").and_then(|v| v.to_str().ok())),
        (200, Some(etag.as_str()))
    );
    let r = app
        .http
        .get(app.url(&zt_path))
        .bearer_auth(&app.token)
        .header("if-none-match", "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);

    // A concept may be deleted.
    let (_, concept) = app
        .post(
            &format!("{ZTC}/informatieobjecttypen"),
            &json!({"catalogus": cat_url, "omschrijving": "Tijdelijk",
        "vertrouwelijkheidaanduiding": "intern", "beginGeldigheid": "2024-01-01", "informatieobjectcategorie": "x"}),
        )
        .await;
    let r = app.http.delete(app.url(&path_of(&app, &concept))).bearer_auth(&app.token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let (_, c) = app.get(&path_of(&app, &cat)).await;
    assert_eq!(c["zaaktypen"].as_array().map(Vec::len), Some(2));
    assert_eq!(c["informatieobjecttypen"], json!([iot["url"]]));
    app.stop().await;
}
both!(catalogue_rules);

//! The starter catalogue: the municipal products residents request most,
//! each a published zaaktype with statustypen, roltypen, eigenschappen for its
//! form fields, resultaattypen with Selectielijst 2020 archive rules and its
//! informatieobjecttypen. Loaded through the same services as the API, so it
//! obeys every rule an API client must.

use crate::children::{self, ChildSpec};
use crate::spec::{self, TypeSpec};
use crate::{catalogus, types};
use loket_core::ApiError;
use loket_store::{q, Ctx};
use serde_json::{json, Value};

const STARTER: &str = include_str!("../data/starter-catalogus.json");

/// Loads the starter catalogue when there is no catalogus yet; returns
/// whether it did.
pub async fn seed_if_empty(ctx: &Ctx) -> Result<bool, ApiError> {
    let (n,): (i64,) = ctx.db.fetch_one(q("SELECT COUNT(*) FROM catalogus")).await?;
    if n > 0 {
        return Ok(false);
    }
    seed(ctx).await?;
    Ok(true)
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or_default()
}

async fn child(ctx: &Ctx, spec: &ChildSpec, body: Value) -> Result<(), ApiError> {
    children::create(ctx, spec, &body).await.map(|_| ())
}

async fn publish(ctx: &Ctx, spec: &TypeSpec, url: &str) -> Result<(), ApiError> {
    let o = types::resolve(ctx, spec, url).await?.ok_or_else(|| ApiError::internal("seeded type vanished"))?;
    types::publish(ctx, spec, o.uuid).await.map(|_| ())
}

/// Loads the starter catalogue into a new catalogus; returns its URL.
pub async fn seed(ctx: &Ctx) -> Result<String, ApiError> {
    let data: Value = serde_json::from_str(STARTER).map_err(ApiError::internal)?;
    let cat = catalogus::create(ctx, &data["catalogus"]).await?;
    let cat_url = catalogus::url_of(ctx, cat.uuid);
    let begin = s(&data, "beginGeldigheid");
    let refl = ctx.fetch.referentielijsten();

    for iot in data["informatieobjecttypen"].as_array().into_iter().flatten() {
        let mut body = iot.clone();
        body["catalogus"] = cat_url.clone().into();
        body["beginGeldigheid"] = begin.into();
        let o = types::create(ctx, &spec::INFORMATIEOBJECTTYPE, &body).await?;
        types::publish(ctx, &spec::INFORMATIEOBJECTTYPE, o.uuid).await?;
    }

    for p in data["zaaktypen"].as_array().into_iter().flatten() {
        let zaaktype = json!({
            "identificatie": s(p, "identificatie"),
            "omschrijving": s(p, "omschrijving"),
            "vertrouwelijkheidaanduiding": p.get("vertrouwelijkheid").and_then(Value::as_str).unwrap_or("zaakvertrouwelijk"),
            "doel": s(p, "doel"),
            "aanleiding": s(p, "aanleiding"),
            "toelichting": s(p, "toelichting"),
            "indicatieInternOfExtern": "extern",
            "handelingInitiator": s(p, "handelingInitiator"),
            "onderwerp": s(p, "onderwerp"),
            "handelingBehandelaar": s(p, "handelingBehandelaar"),
            "doorlooptijd": s(p, "doorlooptijd"),
            "servicenorm": p.get("servicenorm").cloned().unwrap_or(Value::Null),
            "opschortingEnAanhoudingMogelijk": true,
            "verlengingMogelijk": p["verlengingMogelijk"].as_bool().unwrap_or(false),
            "verlengingstermijn": p.get("verlengingstermijn").cloned().unwrap_or(Value::Null),
            "trefwoorden": p["trefwoorden"].clone(),
            "publicatieIndicatie": false,
            "productenOfDiensten": [],
            "selectielijstProcestype": format!("{refl}/procestypen/{}", s(p, "selectielijstProcestype")),
            "referentieproces": {"naam": s(p, "omschrijving"), "link": ""},
            "verantwoordelijke": "Team Publiekszaken",
            "catalogus": cat_url,
            "besluittypen": [],
            "gerelateerdeZaaktypen": [],
            "beginGeldigheid": begin,
            "versiedatum": begin,
        });
        let zt = types::create(ctx, &spec::ZAAKTYPE, &zaaktype).await?;
        let zt_url = types::url_of(ctx, &spec::ZAAKTYPE, zt.uuid);
        for (i, st) in p["statussen"].as_array().into_iter().flatten().enumerate() {
            let body = json!({"zaaktype": zt_url, "omschrijving": s(st, "omschrijving"), "statustekst": s(st, "statustekst"),
                              "volgnummer": i + 1, "informeren": true});
            child(ctx, &children::STATUSTYPE, body).await?;
        }
        for r in p["roltypen"].as_array().into_iter().flatten() {
            let body = json!({"zaaktype": zt_url, "omschrijving": s(r, "omschrijving"), "omschrijvingGeneriek": s(r, "omschrijvingGeneriek")});
            child(ctx, &children::ROLTYPE, body).await?;
        }
        for e in p["eigenschappen"].as_array().into_iter().flatten() {
            let body = json!({"zaaktype": zt_url, "naam": s(e, "naam"), "definitie": s(e, "definitie"),
                              "specificatie": {"formaat": s(e, "formaat"), "lengte": s(e, "lengte"), "kardinaliteit": "1"}});
            child(ctx, &children::EIGENSCHAP, body).await?;
        }
        for r in p["resultaten"].as_array().into_iter().flatten() {
            let body = json!({"zaaktype": zt_url, "omschrijving": s(r, "omschrijving"), "toelichting": s(r, "toelichting"),
                "resultaattypeomschrijving": format!("{refl}/resultaattypeomschrijvingen/{}", s(r, "resultaattypeomschrijving")),
                "selectielijstklasse": format!("{refl}/resultaten/{}", s(r, "selectielijstklasse")),
                "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld"}});
            child(ctx, &children::RESULTAATTYPE, body).await?;
        }
        for (i, d) in p["documenten"].as_array().into_iter().flatten().enumerate() {
            let body = json!({"zaaktype": zt_url, "informatieobjecttype": d[0], "volgnummer": i + 1, "richting": d[1]});
            child(ctx, &children::ZAAKTYPE_INFORMATIEOBJECTTYPE, body).await?;
        }
        publish(ctx, &spec::ZAAKTYPE, &zt_url).await?;
    }
    Ok(cat_url)
}

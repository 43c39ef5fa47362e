//! Moving a catalogue between environments: export a catalogus with all its
//! types and their resources to one JSON document, and import such a document
//! into another Loket, keeping the UUIDs or giving everything new ones.
//!
//! References between the exported objects are written relative to the
//! Catalogi API root (`{catalogi}/zaaktypen/<uuid>`), and references to the
//! Selectielijst relative to the referentielijsten API in use
//! (`{referentielijsten}/resultaten/<uuid>`), so they point into the importing
//! Loket and its Selectielijst after import. The import writes the rows as they were
//! exported, in one transaction: the data was validated where it was made.

use crate::children::{self, CHILDREN};
use crate::spec::SPECS;
use crate::{catalogus, types, BASE};
use loket_core::ApiError;
use loket_store::{q, Ctx, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use uuid::Uuid;

const FORMAT: &str = "loket-catalogus/1";
const ROOT: &str = "{catalogi}";
const REFL: &str = "{referentielijsten}";

#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Export {
    pub format: String,
    pub catalogus: Item,
    pub types: Vec<Item>,
    pub children: Vec<Item>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
pub struct Item {
    pub kind: String,
    pub uuid: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<bool>,
    /// For a child: the zaaktype it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zaaktype: Option<Uuid>,
    pub data: Map<String, Value>,
}

/// Rewrites every string in `v` with `f`.
fn rewrite(v: &Value, f: &dyn Fn(&str) -> String) -> Value {
    match v {
        Value::String(s) => Value::String(f(s)),
        Value::Array(a) => Value::Array(a.iter().map(|x| rewrite(x, f)).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, x)| (k.clone(), rewrite(x, f))).collect()),
        other => other.clone(),
    }
}

fn rewrite_map(m: &Map<String, Value>, f: &dyn Fn(&str) -> String) -> Map<String, Value> {
    match rewrite(&Value::Object(m.clone()), f) {
        Value::Object(o) => o,
        _ => Map::new(),
    }
}

pub async fn export(ctx: &Ctx, catalogus_uuid: Uuid) -> Result<Export, ApiError> {
    let cat = catalogus::get(&ctx.db, catalogus_uuid).await?.ok_or(ApiError::NotFound)?;
    let own = ctx.url(BASE);
    let refl = ctx.fetch.referentielijsten();
    let relative =
        |s: &str| match (s.strip_prefix(own.as_str()), s.strip_prefix(refl.as_str()).filter(|_| !refl.is_empty())) {
            (Some(rest), _) => format!("{ROOT}{rest}"),
            (None, Some(rest)) => format!("{REFL}{rest}"),
            (None, None) => s.to_owned(),
        };
    let mut out_types = Vec::new();
    let mut zaaktype_ids = Vec::new();
    let mut zaaktype_uuid = HashMap::new();
    for spec in SPECS {
        for o in types::in_catalogus(ctx, spec, cat.id).await? {
            if spec.kind == "zaaktype" {
                zaaktype_ids.push(o.id);
                zaaktype_uuid.insert(o.id, o.uuid);
            }
            out_types.push(Item {
                kind: spec.kind.into(),
                uuid: o.uuid,
                concept: Some(o.concept),
                zaaktype: None,
                data: rewrite_map(&o.data, &relative),
            });
        }
    }
    let mut out_children = Vec::new();
    for spec in CHILDREN {
        for c in children::of_zaaktypen(ctx, spec, &zaaktype_ids).await? {
            out_children.push(Item {
                kind: spec.kind.into(),
                uuid: c.uuid,
                concept: None,
                zaaktype: zaaktype_uuid.get(&c.zaaktype_id).copied(),
                data: rewrite_map(&c.data, &relative),
            });
        }
    }
    Ok(Export {
        format: FORMAT.into(),
        catalogus: Item { kind: "catalogus".into(), uuid: cat.uuid, concept: None, zaaktype: None, data: cat.data },
        types: out_types,
        children: out_children,
    })
}

/// Imports `doc`; with `new_uuids` every object gets a new UUID and the
/// references follow. Returns the new catalogus UUID.
pub async fn import(ctx: &Ctx, doc: &Export, new_uuids: bool) -> Result<Uuid, ApiError> {
    if doc.format != FORMAT {
        return Err(ApiError::field("format", "invalid", format!("Verwacht een export in formaat {FORMAT}.")));
    }
    let mut map: HashMap<Uuid, Uuid> = HashMap::new();
    for item in std::iter::once(&doc.catalogus).chain(&doc.types).chain(&doc.children) {
        map.insert(item.uuid, if new_uuids { Uuid::new_v4() } else { item.uuid });
    }
    let own = ctx.url(BASE);
    let refl = ctx.fetch.referentielijsten();
    let absolute = |s: &str| match s.strip_prefix(ROOT) {
        Some(rest) => {
            let mut url = format!("{own}{rest}");
            if let Some(old) = rest.rsplit('/').next().and_then(|u| Uuid::parse_str(u).ok()) {
                if let Some(new) = map.get(&old) {
                    url = url.replace(&old.to_string(), &new.to_string());
                }
            }
            url
        }
        None => match s.strip_prefix(REFL) {
            Some(rest) => format!("{refl}{rest}"),
            None => s.to_owned(),
        },
    };
    let uuid_of = |u: &Uuid| map.get(u).copied().unwrap_or(*u);
    let conflict = |e: StoreError| match e {
        StoreError::Unique(_) => ApiError::Conflict(
            "Een object uit de export bestaat hier al (zelfde UUID); importeer met nieuwe UUID's.".into(),
        ),
        other => other.into(),
    };
    let now = ctx.now_millis();
    let mut tx = ctx.db.begin().await?;
    let cat_data = &doc.catalogus.data;
    let text = |d: &Map<String, Value>, k: &str| d.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let (cat_id,): (i64,) = tx
        .fetch_one(
            q("INSERT INTO catalogus (uuid, domein, rsin, data, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(uuid_of(&doc.catalogus.uuid))
                .bind(text(cat_data, "domein"))
                .bind(text(cat_data, "rsin"))
                .bind(serde_json::to_string(cat_data).map_err(ApiError::internal)?)
                .bind(now),
        )
        .await
        .map_err(conflict)?;
    let mut zaaktype_ids: HashMap<Uuid, i64> = HashMap::new();
    for item in &doc.types {
        let spec = SPECS
            .iter()
            .find(|s| s.kind == item.kind)
            .ok_or_else(|| ApiError::field("types", "invalid", format!("Onbekend soort type '{}'.", item.kind)))?;
        let data = rewrite_map(&item.data, &absolute);
        let (id,): (i64,) = tx
            .fetch_one(
                q("INSERT INTO catalogus_type (uuid, kind, catalogus_id, sleutel, concept, begin_geldigheid, einde_geldigheid, data, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
                .bind(uuid_of(&item.uuid))
                .bind(spec.kind)
                .bind(cat_id)
                .bind(text(&data, spec.key))
                .bind(item.concept.unwrap_or(true))
                .bind(text(&data, "beginGeldigheid"))
                .bind(data.get("eindeGeldigheid").and_then(Value::as_str).map(str::to_owned))
                .bind(serde_json::to_string(&data).map_err(ApiError::internal)?)
                .bind(now),
            )
            .await
            .map_err(conflict)?;
        types::write_values(&mut tx, spec, id, &data).await?;
        if spec.kind == "zaaktype" {
            zaaktype_ids.insert(item.uuid, id);
        }
    }
    for item in &doc.children {
        let spec = CHILDREN
            .iter()
            .find(|s| s.kind == item.kind)
            .ok_or_else(|| ApiError::field("children", "invalid", format!("Onbekend soort object '{}'.", item.kind)))?;
        let zaaktype_id = item.zaaktype.and_then(|z| zaaktype_ids.get(&z)).copied().ok_or_else(|| {
            ApiError::field("children", "invalid", "Een object verwijst naar een zaaktype dat niet in de export staat.")
        })?;
        let data = rewrite_map(&item.data, &absolute);
        let (child_id,): (i64,) = tx
            .fetch_one(
                q("INSERT INTO zaaktype_child (uuid, kind, zaaktype_id, data, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                    .bind(uuid_of(&item.uuid))
                    .bind(spec.kind)
                    .bind(zaaktype_id)
                    .bind(serde_json::to_string(&data).map_err(ApiError::internal)?)
                    .bind(now),
            )
            .await
            .map_err(conflict)?;
        children::write_values(&mut tx, spec, child_id, &data).await?;
    }
    tx.commit().await?;
    Ok(uuid_of(&doc.catalogus.uuid))
}

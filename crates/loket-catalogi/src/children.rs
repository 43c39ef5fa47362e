//! The resources that belong to one zaaktype version — statustypen,
//! roltypen, eigenschappen, resultaattypen, zaaktype-informatieobjecttypen and
//! zaakobjecttypen — described by a [`ChildSpec`] and served by one mechanism.
//!
//! Rules kept here: the zaaktype must exist and be a concept to add, change or
//! delete a child (ztc-010, ztc-011a); a zaaktype-informatieobjecttype names an
//! informatieobjecttype of the same catalogus (ztc-011c, ztc-013); resultaattypen
//! are checked against the Selectielijst (ztc-002 … ztc-008, in `resultaat`).

use crate::spec::{f, n, Field, Kind};
use crate::types::{self, TypeObject};
use crate::{resultaat, spec, BASE};
use loket_core::error::NON_FIELD;
use loket_core::fields::{Optional, Required};
use loket_core::page::{offset, PAGE_SIZE};
use loket_core::{ApiError, InvalidParam};
use loket_store::{q, Ctx, Query, StoreError, Tx};
use serde_json::{Map, Value};
use uuid::Uuid;

pub struct ChildSpec {
    pub kind: &'static str,
    pub plural: &'static str,
    pub fields: &'static [Field],
    /// Data fields that lists filter on (kept in `zaaktype_child_value`),
    /// with the query parameter of each.
    pub indexed: &'static [(&'static str, &'static str)],
    /// Whether the list also filters on `catalogus`.
    pub catalogus_filter: bool,
    /// Whether the list has the `status` filter (concept status of the zaaktype);
    /// without it every child is listed.
    pub status_filter: bool,
    /// Spelling of the common filters (`zaaktypeIdentificatie` or `zaaktype_identificatie`).
    pub snake_filters: bool,
}

const GELDIGHEID: [Field; 4] = [
    n("beginGeldigheid", Kind::Date),
    n("eindeGeldigheid", Kind::Date),
    n("beginObject", Kind::Date),
    n("eindeObject", Kind::Date),
];

pub static STATUSTYPE: ChildSpec = ChildSpec {
    kind: "statustype",
    plural: "statustypen",
    fields: &[
        f("omschrijving", Kind::Str(80), Required),
        f("omschrijvingGeneriek", Kind::Str(80), Optional),
        f("statustekst", Kind::Str(1000), Optional),
        f("volgnummer", Kind::Int, Required),
        f("informeren", Kind::Bool, Optional),
        n("doorlooptijd", Kind::Duration),
        n("toelichting", Kind::Str(1000)),
        f("checklistitemStatustype", Kind::Checklist, Optional),
        f("eigenschappen", Kind::UrlList, Optional),
        GELDIGHEID[0],
        GELDIGHEID[1],
        GELDIGHEID[2],
        GELDIGHEID[3],
    ],
    indexed: &[],
    catalogus_filter: false,
    status_filter: true,
    snake_filters: false,
};

const ROL_GENERIEK: &[&str] = &[
    "adviseur",
    "behandelaar",
    "belanghebbende",
    "beslisser",
    "initiator",
    "klantcontacter",
    "zaakcoordinator",
    "mede_initiator",
];

pub static ROLTYPE: ChildSpec = ChildSpec {
    kind: "roltype",
    plural: "roltypen",
    fields: &[
        f("omschrijving", Kind::Str(100), Required),
        f("omschrijvingGeneriek", Kind::Choice(ROL_GENERIEK), Required),
        GELDIGHEID[0],
        GELDIGHEID[1],
        GELDIGHEID[2],
        GELDIGHEID[3],
    ],
    indexed: &[("omschrijvingGeneriek", "omschrijvingGeneriek")],
    catalogus_filter: false,
    status_filter: true,
    snake_filters: false,
};

pub static EIGENSCHAP: ChildSpec = ChildSpec {
    kind: "eigenschap",
    plural: "eigenschappen",
    fields: &[
        f("naam", Kind::Str(20), Required),
        f("definitie", Kind::Str(255), Required),
        f("specificatie", Kind::Specificatie, Required),
        f("toelichting", Kind::Str(1000), Optional),
        n("statustype", Kind::Url(1000)),
        GELDIGHEID[0],
        GELDIGHEID[1],
        GELDIGHEID[2],
        GELDIGHEID[3],
    ],
    indexed: &[],
    catalogus_filter: false,
    status_filter: true,
    snake_filters: false,
};

const RICHTINGEN: &[&str] = &["inkomend", "intern", "uitgaand"];

pub static ZAAKTYPE_INFORMATIEOBJECTTYPE: ChildSpec = ChildSpec {
    kind: "zaaktypeinformatieobjecttype",
    plural: "zaaktype-informatieobjecttypen",
    fields: &[
        f("informatieobjecttype", Kind::Str(1000), Required),
        f("volgnummer", Kind::Int, Required),
        f("richting", Kind::Choice(RICHTINGEN), Required),
        n("statustype", Kind::Url(1000)),
    ],
    indexed: &[("richting", "richting"), ("informatieobjecttype", "informatieobjecttype")],
    catalogus_filter: false,
    status_filter: true,
    snake_filters: false,
};

pub static ZAAKOBJECTTYPE: ChildSpec = ChildSpec {
    kind: "zaakobjecttype",
    plural: "zaakobjecttypen",
    fields: &[
        f("anderObjecttype", Kind::Bool, Required),
        f("beginGeldigheid", Kind::Date, Required),
        n("eindeGeldigheid", Kind::Date),
        n("beginObject", Kind::Date),
        n("eindeObject", Kind::Date),
        f("objecttype", Kind::Url(200), Required),
        f("relatieOmschrijving", Kind::Str(80), Required),
    ],
    indexed: &[
        ("objecttype", "objecttype"),
        ("relatieOmschrijving", "relatieOmschrijving"),
        ("anderObjecttype", "anderObjecttype"),
        ("beginGeldigheid", "datumBeginGeldigheid"),
        ("eindeGeldigheid", "datumEindeGeldigheid"),
    ],
    catalogus_filter: true,
    status_filter: false,
    snake_filters: false,
};

const ARCHIEFNOMINATIES: &[&str] = &["blijvend_bewaren", "vernietigen"];

pub static RESULTAATTYPE: ChildSpec = ChildSpec {
    kind: "resultaattype",
    plural: "resultaattypen",
    fields: &[
        f("omschrijving", Kind::Str(30), Required),
        f("resultaattypeomschrijving", Kind::Url(1000), Required),
        f("selectielijstklasse", Kind::Url(1000), Required),
        f("toelichting", Kind::Text, Optional),
        f("archiefnominatie", Kind::Choice(ARCHIEFNOMINATIES), Optional),
        n("archiefactietermijn", Kind::Duration),
        n("brondatumArchiefprocedure", Kind::Brondatum),
        n("procesobjectaard", Kind::Str(200)),
        GELDIGHEID[0],
        GELDIGHEID[1],
        GELDIGHEID[2],
        GELDIGHEID[3],
        n("indicatieSpecifiek", Kind::Bool),
        n("procestermijn", Kind::Duration),
        f("besluittypen", Kind::UrlList, Optional),
        f("informatieobjecttypen", Kind::UrlList, Optional),
    ],
    indexed: &[],
    catalogus_filter: false,
    status_filter: true,
    snake_filters: true,
};

pub static CHILDREN: [&ChildSpec; 6] =
    [&STATUSTYPE, &ROLTYPE, &EIGENSCHAP, &RESULTAATTYPE, &ZAAKTYPE_INFORMATIEOBJECTTYPE, &ZAAKOBJECTTYPE];

#[derive(Debug, Clone)]
pub struct Child {
    pub id: i64,
    pub uuid: Uuid,
    pub zaaktype_id: i64,
    pub data: Map<String, Value>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    uuid: String,
    zaaktype_id: i64,
    data: String,
}

impl Row {
    fn into_child(self) -> Result<Child, StoreError> {
        Ok(Child {
            id: self.id,
            uuid: Uuid::parse_str(&self.uuid).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            zaaktype_id: self.zaaktype_id,
            data: serde_json::from_str(&self.data).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        })
    }
}

const COLUMNS: &str = "c.id, c.uuid, c.zaaktype_id, c.data";

pub fn url_of(ctx: &Ctx, spec: &ChildSpec, uuid: Uuid) -> String {
    ctx.url(&format!("{BASE}/{}/{uuid}", spec.plural))
}

pub async fn get(ctx: &Ctx, spec: &ChildSpec, uuid: Uuid) -> Result<Child, ApiError> {
    let row: Option<Row> = ctx
        .db
        .fetch_optional(
            q(format!("SELECT {COLUMNS} FROM zaaktype_child c WHERE c.kind = $1 AND c.uuid = $2"))
                .bind(spec.kind)
                .bind(uuid),
        )
        .await?;
    row.map(Row::into_child).transpose()?.ok_or(ApiError::NotFound)
}

/// Children of `spec` for the given zaaktype row ids, in creation order.
pub async fn of_zaaktypen(ctx: &Ctx, spec: &ChildSpec, zaaktype_ids: &[i64]) -> Result<Vec<Child>, ApiError> {
    if zaaktype_ids.is_empty() {
        return Ok(vec![]);
    }
    let rows: Vec<Row> = ctx
        .db
        .fetch_all(
            q(format!("SELECT {COLUMNS} FROM zaaktype_child c WHERE c.kind = $1 AND c.zaaktype_id IN "))
                .bind(spec.kind)
                .push_list(zaaktype_ids.iter().copied())
                .push(" ORDER BY c.id"),
        )
        .await?;
    Ok(rows.into_iter().map(Row::into_child).collect::<Result<_, _>>()?)
}

/// Children of `spec` of all zaaktypen in a catalogus.
pub async fn in_catalogus(ctx: &Ctx, spec: &ChildSpec, catalogus_id: i64) -> Result<Vec<Child>, ApiError> {
    let rows: Vec<Row> = ctx
        .db
        .fetch_all(
            q(format!(
                "SELECT {COLUMNS} FROM zaaktype_child c JOIN catalogus_type z ON z.id = c.zaaktype_id
                 WHERE c.kind = $1 AND z.catalogus_id = $2 ORDER BY c.id"
            ))
            .bind(spec.kind)
            .bind(catalogus_id),
        )
        .await?;
    Ok(rows.into_iter().map(Row::into_child).collect::<Result<_, _>>()?)
}

/// Whether a zaaktype-informatieobjecttype names `iot` (by URL or omschrijving).
pub fn names_iot(ziot: &Child, iot_url: &str, iot: &TypeObject) -> bool {
    let given = ziot.data.get("informatieobjecttype").and_then(Value::as_str).unwrap_or_default();
    given == iot_url || Some(given) == iot.str("omschrijving")
}

pub struct Filter {
    pub zaaktype_id: Option<i64>,
    pub no_match: bool,
    pub zaaktype_identificatie: Option<String>,
    pub status: types::Status,
    pub datum_geldigheid: Option<String>,
    pub catalogus_id: Option<i64>,
    /// Each (indexed field, value) must hold.
    pub values: Vec<(&'static str, String)>,
}

impl Filter {
    fn condition(&self, spec: &ChildSpec) -> Query {
        let mut c =
            q(" FROM zaaktype_child c JOIN catalogus_type z ON z.id = c.zaaktype_id WHERE c.kind = $1").bind(spec.kind);
        if self.no_match {
            c = c.push(" AND 1 = 0");
        }
        if let Some(id) = self.zaaktype_id {
            c = c.push_bound(" AND c.zaaktype_id = {}", id);
        }
        if let Some(i) = &self.zaaktype_identificatie {
            c = c.push_bound(" AND z.sleutel = {}", i);
        }
        match self.status {
            types::Status::Alles => {}
            types::Status::Concept => c = c.push_bound(" AND z.concept = {}", true),
            types::Status::Definitief => c = c.push_bound(" AND z.concept = {}", false),
        }
        if let Some(d) = &self.datum_geldigheid {
            c = c.push_bound(" AND z.begin_geldigheid <= {}", d);
            c = c.push_bound(" AND (z.einde_geldigheid IS NULL OR z.einde_geldigheid >= {})", d);
        }
        if let Some(id) = self.catalogus_id {
            c = c.push_bound(" AND z.catalogus_id = {}", id);
        }
        for (field, value) in &self.values {
            c = c
                .push_bound(" AND c.id IN (SELECT child_id FROM zaaktype_child_value WHERE field = {}", *field)
                .push_bound(" AND value = {})", value);
        }
        c
    }
}

pub async fn list(ctx: &Ctx, spec: &ChildSpec, filter: &Filter, page: i64) -> Result<(Vec<Child>, i64), ApiError> {
    let cond = filter.condition(spec);
    let (count,): (i64,) =
        ctx.db.fetch_one(Query { sql: format!("SELECT COUNT(*){}", cond.sql), args: cond.args.clone() }).await?;
    let rows: Vec<Row> = ctx
        .db
        .fetch_all(
            Query { sql: format!("SELECT {COLUMNS}{} ORDER BY c.id", cond.sql), args: cond.args }
                .push_bound(" LIMIT {}", PAGE_SIZE)
                .push_bound(" OFFSET {}", offset(page)),
        )
        .await?;
    Ok((rows.into_iter().map(Row::into_child).collect::<Result<_, _>>()?, count))
}

/// The zaaktype a body names, which must be a concept (ztc-010, ztc-011a).
async fn concept_zaaktype(ctx: &Ctx, url: Option<&str>) -> Result<TypeObject, ApiError> {
    let url =
        url.filter(|u| !u.is_empty()).ok_or_else(|| ApiError::field("zaaktype", "required", "Dit veld is vereist."))?;
    let zaaktype = types::resolve(ctx, &spec::ZAAKTYPE, url)
        .await?
        .ok_or_else(|| ApiError::field("zaaktype", "does_not_exist", "Er bestaat geen zaaktype met deze URL."))?;
    if !zaaktype.concept {
        return Err(non_concept_zaaktype());
    }
    Ok(zaaktype)
}

fn non_concept_zaaktype() -> ApiError {
    ApiError::field(
        NON_FIELD,
        "non-concept-zaaktype",
        "Het zaaktype is gepubliceerd; maak een nieuwe versie van het zaaktype om dit te wijzigen.",
    )
}

/// Checks and completes the data of a child for its zaaktype.
async fn complete(
    ctx: &Ctx,
    spec: &ChildSpec,
    zaaktype: &TypeObject,
    data: &mut Map<String, Value>,
) -> Result<(), ApiError> {
    let mut errors: Vec<InvalidParam> = Vec::new();
    match spec.kind {
        "zaaktypeinformatieobjecttype" => {
            // The informatieobjecttype is named by omschrijving, or by the URL of one of ours.
            let given = data.get("informatieobjecttype").and_then(Value::as_str).unwrap_or_default().to_owned();
            if loket_core::fields::valid_url(&given) {
                match types::resolve(ctx, &spec::INFORMATIEOBJECTTYPE, &given).await? {
                    None => errors.push(InvalidParam::new(
                        "informatieobjecttype",
                        "does_not_exist",
                        "Er bestaat geen informatieobjecttype met deze URL.",
                    )),
                    Some(iot) if iot.catalogus_id != zaaktype.catalogus_id => errors.push(InvalidParam::new(
                        NON_FIELD,
                        "relations-incorrect-catalogus",
                        "Het informatieobjecttype hoort bij een andere catalogus dan het zaaktype.",
                    )),
                    Some(_) => {}
                }
            } else if given.chars().count() > 100 {
                errors.push(InvalidParam::new("informatieobjecttype", "max_length", "Gebruik maximaal 100 tekens."));
            }
        }
        "resultaattype" => errors.extend(resultaat::check(ctx, zaaktype, data).await?),
        _ => {}
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Rewrites the indexed values of a child (see `ChildSpec::indexed`).
pub(crate) async fn write_values(
    tx: &mut Tx,
    spec: &ChildSpec,
    id: i64,
    data: &Map<String, Value>,
) -> Result<(), StoreError> {
    tx.execute(q("DELETE FROM zaaktype_child_value WHERE child_id = $1").bind(id)).await?;
    for (field, _) in spec.indexed {
        let value = match data.get(*field) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Bool(b)) => b.to_string(),
            Some(Value::Number(n)) => n.to_string(),
            _ => continue,
        };
        tx.execute(
            q("INSERT INTO zaaktype_child_value (child_id, field, value) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(*field)
                .bind(value),
        )
        .await?;
    }
    Ok(())
}

pub async fn create(ctx: &Ctx, spec: &ChildSpec, body: &Value) -> Result<Child, ApiError> {
    let zaaktype = concept_zaaktype(ctx, body.get("zaaktype").and_then(Value::as_str)).await;
    let data = spec::read(spec.fields, body, None);
    let (zaaktype, mut data) = types::merge_errors(zaaktype, data)?;
    complete(ctx, spec, &zaaktype, &mut data).await?;
    let uuid = Uuid::new_v4();
    let mut tx = ctx.db.begin().await?;
    let (id,): (i64,) = tx
        .fetch_one(
            q("INSERT INTO zaaktype_child (uuid, kind, zaaktype_id, data, created_at)
               VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(uuid)
            .bind(spec.kind)
            .bind(zaaktype.id)
            .bind(serde_json::to_string(&data).map_err(ApiError::internal)?)
            .bind(ctx.now_millis()),
        )
        .await?;
    write_values(&mut tx, spec, id, &data).await?;
    tx.commit().await?;
    Ok(Child { id, uuid, zaaktype_id: zaaktype.id, data })
}

async fn zaaktype_of(ctx: &Ctx, child: &Child) -> Result<TypeObject, ApiError> {
    types::by_id(ctx, child.zaaktype_id).await?.ok_or_else(|| ApiError::internal("zaaktype of a child is missing"))
}

pub async fn update(ctx: &Ctx, spec: &ChildSpec, uuid: Uuid, body: &Value, partial: bool) -> Result<Child, ApiError> {
    let current = get(ctx, spec, uuid).await?;
    if !zaaktype_of(ctx, &current).await?.concept {
        return Err(non_concept_zaaktype());
    }
    let zaaktype = match body.get("zaaktype") {
        None if partial => zaaktype_of(ctx, &current).await?,
        other => concept_zaaktype(ctx, other.and_then(Value::as_str)).await?,
    };
    let mut data = spec::read(spec.fields, body, partial.then_some(&current.data))?;
    complete(ctx, spec, &zaaktype, &mut data).await?;
    let mut tx = ctx.db.begin().await?;
    tx.execute(
        q("UPDATE zaaktype_child SET zaaktype_id = $1, data = $2 WHERE id = $3")
            .bind(zaaktype.id)
            .bind(serde_json::to_string(&data).map_err(ApiError::internal)?)
            .bind(current.id),
    )
    .await?;
    write_values(&mut tx, spec, current.id, &data).await?;
    tx.commit().await?;
    Ok(Child { data, zaaktype_id: zaaktype.id, ..current })
}

pub async fn delete(ctx: &Ctx, spec: &ChildSpec, uuid: Uuid) -> Result<(), ApiError> {
    let current = get(ctx, spec, uuid).await?;
    if !zaaktype_of(ctx, &current).await?.concept {
        return Err(non_concept_zaaktype());
    }
    ctx.db.execute(q("DELETE FROM zaaktype_child WHERE id = $1").bind(current.id)).await?;
    Ok(())
}

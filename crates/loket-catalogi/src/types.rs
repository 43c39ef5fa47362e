//! Service and store of the three versioned type resources (zaaktype,
//! informatieobjecttype, besluittype), driven by their [`TypeSpec`].
//!
//! Rules kept here: types start as concept; only concepts may be replaced or
//! deleted, and of a published type only `eindeGeldigheid` may be patched
//! (ztc-009); relations stay inside one catalogus (ztc-013); a zaaktype is
//! published only when its besluittypen are (ztc-012); published versions of
//! one type (same catalogus and key) do not overlap in validity.

use crate::catalogus::{self, Catalogus};
use crate::spec::{self, TypeSpec};
use crate::BASE;
use loket_core::error::NON_FIELD;
use loket_core::notification::Notification;
use loket_core::page::{offset, PAGE_SIZE};
use loket_core::{ApiError, InvalidParam};
use loket_store::{q, Ctx, Query, StoreError, Tx};
use serde_json::{Map, Value};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct TypeObject {
    pub id: i64,
    pub uuid: Uuid,
    pub catalogus_id: i64,
    pub concept: bool,
    pub data: Map<String, Value>,
}

impl TypeObject {
    pub fn str(&self, field: &str) -> Option<&str> {
        self.data.get(field).and_then(Value::as_str)
    }

    pub fn urls(&self, field: &str) -> Vec<&str> {
        self.data
            .get(field)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    uuid: String,
    catalogus_id: i64,
    concept: bool,
    data: String,
}

impl Row {
    fn into_object(self) -> Result<TypeObject, StoreError> {
        let corrupt = |e: &dyn std::fmt::Display| StoreError::Corrupt(e.to_string());
        Ok(TypeObject {
            id: self.id,
            uuid: Uuid::parse_str(&self.uuid).map_err(|e| corrupt(&e))?,
            catalogus_id: self.catalogus_id,
            concept: self.concept,
            data: serde_json::from_str(&self.data).map_err(|e| corrupt(&e))?,
        })
    }
}

const COLUMNS: &str = "id, uuid, catalogus_id, concept, data";

pub fn url_of(ctx: &Ctx, spec: &TypeSpec, uuid: Uuid) -> String {
    ctx.url(&format!("{BASE}/{}/{uuid}", spec.plural))
}

fn uuid_in(ctx: &Ctx, spec: &TypeSpec, url: &str) -> Option<Uuid> {
    let prefix = ctx.url(&format!("{BASE}/{}/", spec.plural));
    url.strip_prefix(&prefix).and_then(|u| Uuid::parse_str(u.trim_end_matches('/')).ok())
}

pub async fn get(ctx: &Ctx, spec: &TypeSpec, uuid: Uuid) -> Result<TypeObject, ApiError> {
    let row: Option<Row> = ctx
        .db
        .fetch_optional(
            q(format!("SELECT {COLUMNS} FROM catalogus_type WHERE kind = $1 AND uuid = $2")).bind(spec.kind).bind(uuid),
        )
        .await?;
    row.map(Row::into_object).transpose()?.ok_or(ApiError::NotFound)
}

/// A type by its row id.
pub async fn by_id(ctx: &Ctx, id: i64) -> Result<Option<TypeObject>, ApiError> {
    let row: Option<Row> =
        ctx.db.fetch_optional(q(format!("SELECT {COLUMNS} FROM catalogus_type WHERE id = $1")).bind(id)).await?;
    Ok(row.map(Row::into_object).transpose()?)
}

/// The object of `spec` a URL of ours points at.
pub async fn resolve(ctx: &Ctx, spec: &TypeSpec, url: &str) -> Result<Option<TypeObject>, ApiError> {
    match uuid_in(ctx, spec, url) {
        Some(u) => match get(ctx, spec, u).await {
            Ok(o) => Ok(Some(o)),
            Err(ApiError::NotFound) => Ok(None),
            Err(e) => Err(e),
        },
        None => Ok(None),
    }
}

/// All objects of `spec` in a catalogus (for derived relations).
pub async fn in_catalogus(ctx: &Ctx, spec: &TypeSpec, catalogus_id: i64) -> Result<Vec<TypeObject>, ApiError> {
    let rows: Vec<Row> = ctx
        .db
        .fetch_all(
            q(format!("SELECT {COLUMNS} FROM catalogus_type WHERE kind = $1 AND catalogus_id = $2 ORDER BY id"))
                .bind(spec.kind)
                .bind(catalogus_id),
        )
        .await?;
    Ok(rows.into_iter().map(Row::into_object).collect::<Result<_, _>>()?)
}

/// Concept status filter.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Alles,
    Concept,
    Definitief,
}

pub struct Filter {
    /// Only these UUIDs (when set).
    pub uuids: Option<Vec<Uuid>>,
    /// Each (list field, value) must be among the object's values.
    pub values: Vec<(&'static str, String)>,
    pub catalogus_id: Option<i64>,
    /// The catalogus filter named a catalogus that does not exist.
    pub no_match: bool,
    pub status: Status,
    pub datum_geldigheid: Option<String>,
    pub key: Option<String>,
}

impl Filter {
    fn condition(&self, spec: &TypeSpec) -> Query {
        let mut c = q(" WHERE kind = $1").bind(spec.kind);
        if self.no_match {
            c = c.push(" AND 1 = 0");
        }
        if let Some(id) = self.catalogus_id {
            c = c.push_bound(" AND catalogus_id = {}", id);
        }
        match self.status {
            Status::Alles => {}
            Status::Concept => c = c.push_bound(" AND concept = {}", true),
            Status::Definitief => c = c.push_bound(" AND concept = {}", false),
        }
        if let Some(d) = &self.datum_geldigheid {
            c = c.push_bound(" AND begin_geldigheid <= {}", d);
            c = c.push_bound(" AND (einde_geldigheid IS NULL OR einde_geldigheid >= {})", d);
        }
        if let Some(k) = &self.key {
            c = c.push_bound(" AND sleutel = {}", k);
        }
        if let Some(uuids) = &self.uuids {
            if uuids.is_empty() {
                c = c.push(" AND 1 = 0");
            } else {
                c = c.push(" AND uuid IN ").push_list(uuids.iter().copied());
            }
        }
        for (field, value) in &self.values {
            c = c
                .push_bound(" AND id IN (SELECT type_id FROM catalogus_type_value WHERE field = {}", *field)
                .push_bound(" AND value = {})", value);
        }
        c
    }
}

pub async fn list(ctx: &Ctx, spec: &TypeSpec, filter: &Filter, page: i64) -> Result<(Vec<TypeObject>, i64), ApiError> {
    let cond = filter.condition(spec);
    let (count,): (i64,) = ctx
        .db
        .fetch_one(Query { sql: format!("SELECT COUNT(*) FROM catalogus_type{}", cond.sql), args: cond.args.clone() })
        .await?;
    let rows: Vec<Row> = ctx
        .db
        .fetch_all(
            Query { sql: format!("SELECT {COLUMNS} FROM catalogus_type{} ORDER BY id", cond.sql), args: cond.args }
                .push_bound(" LIMIT {}", PAGE_SIZE)
                .push_bound(" OFFSET {}", offset(page)),
        )
        .await?;
    Ok((rows.into_iter().map(Row::into_object).collect::<Result<_, _>>()?, count))
}

/// Reads `catalogus` from the body (create) and checks the relations.
async fn check_relations(
    ctx: &Ctx,
    spec: &TypeSpec,
    catalogus_id: i64,
    data: &Map<String, Value>,
) -> Result<(), ApiError> {
    let related: &[(&str, &TypeSpec)] = match spec.kind {
        "zaaktype" => &[("besluittypen", &spec::BESLUITTYPE), ("deelzaaktypen", &spec::ZAAKTYPE)],
        "besluittype" => &[("informatieobjecttypen", &spec::INFORMATIEOBJECTTYPE)],
        _ => &[],
    };
    let mut errors = Vec::new();
    for (field, target) in related {
        let urls: Vec<String> = data
            .get(*field)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        for (i, url) in urls.iter().enumerate() {
            match resolve(ctx, target, url).await? {
                None => errors.push(InvalidParam::new(
                    format!("{field}.{i}"),
                    "does_not_exist",
                    format!("Er bestaat geen {} met deze URL.", target.kind),
                )),
                Some(o) if o.catalogus_id != catalogus_id => errors.push(InvalidParam::new(
                    NON_FIELD,
                    "relations-incorrect-catalogus",
                    format!("Het {} hoort bij een andere catalogus.", target.kind),
                )),
                Some(_) => {}
            }
        }
    }
    if spec.kind == "zaaktype" {
        // ztc-001: selectielijstProcestype refers to a procestype of the Selectielijst.
        if let Some(url) = data.get("selectielijstProcestype").and_then(Value::as_str).filter(|u| !u.is_empty()) {
            if let Err(e) =
                crate::refs::fetch(ctx, "selectielijstProcestype", url, crate::refs::RefKind::Procestype).await
            {
                errors.push(e);
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

fn columns(spec: &TypeSpec, data: &Map<String, Value>) -> (String, String, Option<String>) {
    let s = |k: &str| data.get(k).and_then(Value::as_str).map(str::to_owned);
    (s(spec.key).unwrap_or_default(), s("beginGeldigheid").unwrap_or_default(), s("eindeGeldigheid"))
}

/// Rewrites the indexed list values of a type (see `TypeSpec::indexed`).
pub(crate) async fn write_values(
    tx: &mut Tx,
    spec: &TypeSpec,
    id: i64,
    data: &Map<String, Value>,
) -> Result<(), StoreError> {
    tx.execute(q("DELETE FROM catalogus_type_value WHERE type_id = $1").bind(id)).await?;
    for field in spec.indexed {
        for v in data.get(*field).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            tx.execute(
                q("INSERT INTO catalogus_type_value (type_id, field, value) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(*field)
                    .bind(v),
            )
            .await?;
        }
    }
    Ok(())
}

async fn notify(ctx: &Ctx, tx: &mut Tx, spec: &TypeSpec, o: &TypeObject, actie: &str) -> Result<(), ApiError> {
    let url = url_of(ctx, spec, o.uuid);
    let cat = catalogus::url_of(ctx, catalogus_uuid(ctx, o.catalogus_id).await?);
    let n = Notification {
        kanaal: spec.plural.into(),
        hoofd_object: url.clone(),
        resource: spec.kind.into(),
        resource_url: url,
        actie: actie.into(),
        aanmaakdatum: ctx.now_rfc3339(),
        kenmerken: [("catalogus".to_string(), cat)].into_iter().collect(),
    };
    ctx.outbox.publish(tx, &n, ctx.now_millis()).await?;
    Ok(())
}

async fn catalogus_uuid(ctx: &Ctx, id: i64) -> Result<Uuid, ApiError> {
    Ok(catalogus::by_id(&ctx.db, id).await?.ok_or_else(|| ApiError::internal("catalogus of a type is missing"))?.uuid)
}

pub async fn create(ctx: &Ctx, spec: &TypeSpec, body: &Value) -> Result<TypeObject, ApiError> {
    let catalogus = read_catalogus(ctx, body).await;
    let data = spec::read(spec.fields, body, None);
    let (catalogus, data) = merge_errors(catalogus, data)?;
    check_relations(ctx, spec, catalogus.id, &data).await?;
    let (key, begin, einde) = columns(spec, &data);
    let uuid = Uuid::new_v4();
    let mut tx = ctx.db.begin().await?;
    let (id,): (i64,) = tx
        .fetch_one(
            q("INSERT INTO catalogus_type (uuid, kind, catalogus_id, sleutel, concept, begin_geldigheid, einde_geldigheid, data, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
            .bind(uuid)
            .bind(spec.kind)
            .bind(catalogus.id)
            .bind(key)
            .bind(true)
            .bind(begin)
            .bind(einde)
            .bind(serde_json::to_string(&data).map_err(ApiError::internal)?)
            .bind(ctx.now_millis()),
        )
        .await?;
    write_values(&mut tx, spec, id, &data).await?;
    let o = TypeObject { id, uuid, catalogus_id: catalogus.id, concept: true, data };
    notify(ctx, &mut tx, spec, &o, "create").await?;
    tx.commit().await?;
    ctx.outbox.wake();
    Ok(o)
}

async fn read_catalogus(ctx: &Ctx, body: &Value) -> Result<Catalogus, ApiError> {
    match body.get("catalogus") {
        Some(Value::String(url)) if !url.is_empty() => catalogus::resolve(ctx, url)
            .await?
            .ok_or_else(|| ApiError::field("catalogus", "does_not_exist", "Er bestaat geen catalogus met deze URL.")),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            Err(ApiError::field("catalogus", "required", "Dit veld is vereist."))
        }
        Some(_) => Err(ApiError::field("catalogus", "invalid", "Verwacht een URL.")),
    }
}

/// Both results, or all their field errors together.
pub(crate) fn merge_errors<A, B>(a: Result<A, ApiError>, b: Result<B, ApiError>) -> Result<(A, B), ApiError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(ApiError::Validation(mut x)), Err(ApiError::Validation(y))) => {
            x.extend(y);
            Err(ApiError::Validation(x))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

fn not_concept() -> ApiError {
    ApiError::field(
        NON_FIELD,
        "non-concept-object",
        "Dit object is gepubliceerd en kan niet meer worden gewijzigd of verwijderd.",
    )
}

/// PUT (`partial == false`) or PATCH.
pub async fn update(
    ctx: &Ctx,
    spec: &TypeSpec,
    uuid: Uuid,
    body: &Value,
    partial: bool,
) -> Result<TypeObject, ApiError> {
    let current = get(ctx, spec, uuid).await?;
    if !current.concept {
        // ztc-009: of a published type only eindeGeldigheid may be patched.
        let only_einde = partial && body.as_object().is_some_and(|o| o.keys().all(|k| k == "eindeGeldigheid"));
        if !only_einde {
            return Err(not_concept());
        }
    }
    let catalogus_id = if !partial || body.get("catalogus").is_some() {
        let c = read_catalogus(ctx, body).await?;
        if c.id != current.catalogus_id {
            return Err(ApiError::field(
                "catalogus",
                "invalid",
                "Een type kan niet naar een andere catalogus verhuizen.",
            ));
        }
        c.id
    } else {
        current.catalogus_id
    };
    let data = spec::read(spec.fields, body, partial.then_some(&current.data))?;
    check_relations(ctx, spec, catalogus_id, &data).await?;
    if spec.kind == "zaaktype" && !current.concept {
        // A new eindeGeldigheid of a published version must keep ztc-016.
        check_no_overlap(ctx, spec, &TypeObject { data: data.clone(), ..current.clone() }).await?;
    }
    let (key, begin, einde) = columns(spec, &data);
    let mut tx = ctx.db.begin().await?;
    tx.execute(
        q("UPDATE catalogus_type SET sleutel = $1, begin_geldigheid = $2, einde_geldigheid = $3, data = $4 WHERE id = $5")
            .bind(key)
            .bind(begin)
            .bind(einde)
            .bind(serde_json::to_string(&data).map_err(ApiError::internal)?)
            .bind(current.id),
    )
    .await?;
    write_values(&mut tx, spec, current.id, &data).await?;
    let o = TypeObject { data, ..current };
    notify(ctx, &mut tx, spec, &o, if partial { "partial_update" } else { "update" }).await?;
    tx.commit().await?;
    ctx.outbox.wake();
    Ok(o)
}

pub async fn delete(ctx: &Ctx, spec: &TypeSpec, uuid: Uuid) -> Result<(), ApiError> {
    let current = get(ctx, spec, uuid).await?;
    if !current.concept {
        return Err(not_concept());
    }
    let mut tx = ctx.db.begin().await?;
    tx.execute(q("DELETE FROM catalogus_type WHERE id = $1").bind(current.id)).await?;
    notify(ctx, &mut tx, spec, &current, "destroy").await?;
    tx.commit().await?;
    ctx.outbox.wake();
    Ok(())
}

/// ztc-016 (Catalogi 1.3.3): published versions of a zaaktype with the same
/// identificatie may not have overlapping validity periods.
async fn check_no_overlap(ctx: &Ctx, spec: &TypeSpec, current: &TypeObject) -> Result<(), ApiError> {
    let (key, begin, einde) = columns(spec, &current.data);
    let overlapping: Vec<(i64,)> = ctx
        .db
        .fetch_all(
            q("SELECT id FROM catalogus_type WHERE kind = $1 AND catalogus_id = $2 AND sleutel = $3 AND concept = $4
               AND id <> $5 AND (einde_geldigheid IS NULL OR einde_geldigheid >= $6)")
            .bind(spec.kind)
            .bind(current.catalogus_id)
            .bind(key)
            .bind(false)
            .bind(current.id)
            .bind(begin.clone())
            .push_bound(" AND begin_geldigheid <= {}", einde.unwrap_or_else(|| "9999-12-31".into())),
        )
        .await?;
    if !overlapping.is_empty() {
        return Err(ApiError::field(
            "beginGeldigheid",
            "overlap",
            format!("Er is al een gepubliceerde versie van dit {} die in deze periode geldig is.", spec.kind),
        ));
    }
    Ok(())
}

pub async fn publish(ctx: &Ctx, spec: &TypeSpec, uuid: Uuid) -> Result<TypeObject, ApiError> {
    let current = get(ctx, spec, uuid).await?;
    if spec.kind == "zaaktype" {
        // ztc-012: related besluittypen must be published first.
        for url in current.urls("besluittypen") {
            if resolve(ctx, &spec::BESLUITTYPE, url).await?.is_some_and(|b| b.concept) {
                return Err(ApiError::field(
                    NON_FIELD,
                    "concept-relation",
                    "Publiceer eerst alle besluittypen van dit zaaktype.",
                ));
            }
        }
    }
    if spec.kind == "zaaktype" {
        // ztc-012: and so must its informatieobjecttypen.
        let ziots =
            crate::children::of_zaaktypen(ctx, &crate::children::ZAAKTYPE_INFORMATIEOBJECTTYPE, &[current.id]).await?;
        let iots = in_catalogus(ctx, &spec::INFORMATIEOBJECTTYPE, current.catalogus_id).await?;
        for z in &ziots {
            // The relation names the type; one of its versions must be published.
            let published = iots.iter().any(|iot| {
                !iot.concept && crate::children::names_iot(z, &url_of(ctx, &spec::INFORMATIEOBJECTTYPE, iot.uuid), iot)
            });
            if !published {
                return Err(ApiError::field(
                    NON_FIELD,
                    "concept-relation",
                    "Publiceer eerst alle informatieobjecttypen van dit zaaktype.",
                ));
            }
        }
    }
    if spec.kind == "zaaktype" {
        check_no_overlap(ctx, spec, &current).await?;
    }
    let mut tx = ctx.db.begin().await?;
    tx.execute(q("UPDATE catalogus_type SET concept = $1 WHERE id = $2").bind(false).bind(current.id)).await?;
    let o = TypeObject { concept: false, ..current };
    notify(ctx, &mut tx, spec, &o, "update").await?;
    tx.commit().await?;
    ctx.outbox.wake();
    Ok(o)
}

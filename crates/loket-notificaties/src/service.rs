//! Use cases of the Notificaties component.

use crate::model::{parse_abonnement, parse_kanaal, parse_message, Abonnement, AbonnementInput, Kanaal};
use crate::store;
use loket_core::notification::Notification;
use loket_core::ApiError;
use loket_store::{Ctx, StoreError};
use serde_json::Value;
use std::time::Duration;
use uuid::Uuid;

pub async fn kanalen(ctx: &Ctx, naam: Option<&str>) -> Result<Vec<Kanaal>, ApiError> {
    Ok(store::kanalen(&ctx.db, naam).await?)
}

pub async fn kanaal(ctx: &Ctx, uuid: Uuid) -> Result<Kanaal, ApiError> {
    store::kanaal(&ctx.db, uuid).await?.ok_or(ApiError::NotFound)
}

pub async fn create_kanaal(ctx: &Ctx, body: &Value) -> Result<Kanaal, ApiError> {
    let input = parse_kanaal(body)?;
    let k = Kanaal {
        uuid: Uuid::new_v4(),
        naam: input.naam,
        documentatie_link: input.documentatie_link,
        filters: input.filters,
    };
    let mut tx = ctx.db.begin().await?;
    match store::insert_kanaal(&mut tx, &k).await {
        Err(StoreError::Unique(_)) => {
            return Err(ApiError::field(
                "naam",
                "unique",
                format!("Er bestaat al een kanaal met de naam '{}'.", k.naam),
            ))
        }
        other => other?,
    }
    tx.commit().await?;
    Ok(k)
}

/// Registers one of Loket's own kanalen when it is not there yet.
pub async fn ensure_kanaal(ctx: &Ctx, naam: &str, documentatie_link: &str, filters: &[&str]) -> Result<(), StoreError> {
    if !store::kanalen(&ctx.db, Some(naam)).await?.is_empty() {
        return Ok(());
    }
    let k = Kanaal {
        uuid: Uuid::new_v4(),
        naam: naam.to_owned(),
        documentatie_link: documentatie_link.to_owned(),
        filters: filters.iter().map(|f| f.to_string()).collect(),
    };
    let mut tx = ctx.db.begin().await?;
    match store::insert_kanaal(&mut tx, &k).await {
        Err(StoreError::Unique(_)) => return Ok(()), // another instance was first
        other => other?,
    }
    tx.commit().await
}

pub async fn abonnementen(ctx: &Ctx) -> Result<Vec<Abonnement>, ApiError> {
    Ok(store::abonnementen(&ctx.db).await?.into_iter().map(|(_, a)| a).collect())
}

pub async fn abonnement(ctx: &Ctx, uuid: Uuid) -> Result<Abonnement, ApiError> {
    store::abonnement(&ctx.db, uuid).await?.ok_or(ApiError::NotFound)
}

/// The kanalen must exist and filters may only use their kenmerken.
async fn check_kanalen(ctx: &Ctx, input: &AbonnementInput) -> Result<(), ApiError> {
    let known = store::kanalen(&ctx.db, None).await?;
    let mut errors = Vec::new();
    for (i, g) in input.kanalen.iter().enumerate() {
        match known.iter().find(|k| k.naam == g.naam) {
            None => errors.push(loket_core::InvalidParam::new(
                format!("kanalen.{i}.naam"),
                "does_not_exist",
                format!("Kanaal '{}' bestaat niet.", g.naam),
            )),
            Some(k) => {
                let unknown: Vec<&str> =
                    g.filters.keys().map(String::as_str).filter(|f| !k.filters.iter().any(|kf| kf == f)).collect();
                if !unknown.is_empty() {
                    errors.push(loket_core::InvalidParam::new(
                        format!("kanalen.{i}.filters"),
                        "kenmerken_inconsistent",
                        format!("Kanaal '{}' kent de kenmerken {} niet.", g.naam, unknown.join(", ")),
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// The standard's check that the callback works: a test notification must
/// be accepted (2xx) with the given `auth` header.
async fn check_callback(http: &reqwest::Client, ctx: &Ctx, input: &AbonnementInput) -> Result<(), ApiError> {
    let test = Notification {
        kanaal: "test".into(),
        hoofd_object: ctx.url("/notificaties/api/v1/test"),
        resource: "test".into(),
        resource_url: ctx.url("/notificaties/api/v1/test"),
        actie: "create".into(),
        aanmaakdatum: ctx.now_rfc3339(),
        kenmerken: Default::default(),
    };
    let resp = http
        .post(&input.callback_url)
        .header(reqwest::header::AUTHORIZATION, &input.auth)
        .timeout(Duration::from_secs(10))
        .json(&test)
        .send()
        .await;
    let reason = match resp {
        Ok(r) if r.status().is_success() => return Ok(()),
        Ok(r) => format!("De callback-URL antwoordde met status {} op een testnotificatie.", r.status().as_u16()),
        Err(e) => format!("De callback-URL is niet bereikbaar: {e}."),
    };
    Err(ApiError::field("callbackUrl", "invalid-callback-url", reason))
}

pub async fn create_abonnement(
    ctx: &Ctx,
    http: &reqwest::Client,
    client_id: &str,
    body: &Value,
) -> Result<Abonnement, ApiError> {
    let input = parse_abonnement(body, None)?;
    check_kanalen(ctx, &input).await?;
    check_callback(http, ctx, &input).await?;
    let a =
        Abonnement { uuid: Uuid::new_v4(), callback_url: input.callback_url, auth: input.auth, kanalen: input.kanalen };
    let mut tx = ctx.db.begin().await?;
    store::insert_abonnement(&mut tx, &a, client_id, ctx.now_millis()).await?;
    tx.commit().await?;
    Ok(a)
}

pub async fn update_abonnement(
    ctx: &Ctx,
    http: &reqwest::Client,
    uuid: Uuid,
    body: &Value,
    partial: bool,
) -> Result<Abonnement, ApiError> {
    let current = abonnement(ctx, uuid).await?;
    let input = parse_abonnement(body, partial.then_some(&current))?;
    check_kanalen(ctx, &input).await?;
    if input.callback_url != current.callback_url || input.auth != current.auth {
        check_callback(http, ctx, &input).await?;
    }
    let a = Abonnement { uuid, callback_url: input.callback_url, auth: input.auth, kanalen: input.kanalen };
    let mut tx = ctx.db.begin().await?;
    if !store::update_abonnement(&mut tx, &a).await? {
        return Err(ApiError::NotFound);
    }
    tx.commit().await?;
    Ok(a)
}

pub async fn delete_abonnement(ctx: &Ctx, uuid: Uuid) -> Result<(), ApiError> {
    let mut tx = ctx.db.begin().await?;
    if !store::delete_abonnement(&mut tx, uuid).await? {
        return Err(ApiError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// `POST /notificaties`: validates and queues a notification from outside.
pub async fn publish(ctx: &Ctx, body: &Value) -> Result<Notification, ApiError> {
    let n = parse_message(body)?;
    let kanaal = store::kanalen(&ctx.db, Some(&n.kanaal))
        .await?
        .pop()
        .ok_or_else(|| ApiError::field("kanaal", "does_not_exist", format!("Kanaal '{}' bestaat niet.", n.kanaal)))?;
    let unknown: Vec<&str> =
        n.kenmerken.keys().map(String::as_str).filter(|k| !kanaal.filters.iter().any(|f| f == k)).collect();
    if !unknown.is_empty() {
        return Err(ApiError::field(
            "kenmerken",
            "kenmerken_inconsistent",
            format!("Kanaal '{}' kent de kenmerken {} niet.", n.kanaal, unknown.join(", ")),
        ));
    }
    let mut tx = ctx.db.begin().await?;
    ctx.outbox.publish(&mut tx, &n, ctx.now_millis()).await?;
    tx.commit().await?;
    ctx.outbox.wake();
    Ok(n)
}

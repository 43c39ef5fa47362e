//! Use cases of the Autorisaties component. Each change runs in one
//! transaction that also queues its notification on the `autorisaties` kanaal.

use crate::model::{Applicatie, ApplicatieInput};
use crate::{store, BASE, KANAAL};
use loket_core::notification::Notification;
use loket_core::ApiError;
use loket_store::{Ctx, StoreError, Tx};
use serde_json::Value;
use uuid::Uuid;

pub fn url_of(ctx: &Ctx, uuid: Uuid) -> String {
    ctx.url(&format!("{BASE}/applicaties/{uuid}"))
}

pub async fn list(ctx: &Ctx, client_ids: &[String], page: i64) -> Result<(Vec<Applicatie>, i64), ApiError> {
    Ok(store::list(&ctx.db, client_ids, page).await?)
}

pub async fn get(ctx: &Ctx, uuid: Uuid) -> Result<Applicatie, ApiError> {
    store::get(&ctx.db, uuid).await?.ok_or(ApiError::NotFound)
}

pub async fn consumer(ctx: &Ctx, client_id: &str) -> Result<Applicatie, ApiError> {
    store::by_client_id(&ctx.db, client_id).await?.ok_or(ApiError::NotFound)
}

/// ac-001: a client id identifies one applicatie only.
async fn check_unique(tx: &mut Tx, ids: &[String], except: Option<Uuid>) -> Result<(), ApiError> {
    let taken = store::taken_client_ids(tx, ids, except).await?;
    if taken.is_empty() {
        Ok(())
    } else {
        Err(ApiError::field(
            "clientIds",
            "clientId-exists",
            format!("Client id(s) {} zijn al in gebruik bij een andere applicatie.", taken.join(", ")),
        ))
    }
}

/// A unique violation that slipped past the check (a concurrent request).
fn unique_to_field(e: StoreError) -> ApiError {
    match e {
        StoreError::Unique(_) => {
            ApiError::field("clientIds", "clientId-exists", "Een client id is al in gebruik bij een andere applicatie.")
        }
        other => other.into(),
    }
}

async fn notify(ctx: &Ctx, tx: &mut Tx, uuid: Uuid, actie: &str) -> Result<(), ApiError> {
    let url = url_of(ctx, uuid);
    let n = Notification {
        kanaal: KANAAL.into(),
        hoofd_object: url.clone(),
        resource: "applicatie".into(),
        resource_url: url,
        actie: actie.into(),
        aanmaakdatum: ctx.now_rfc3339(),
        kenmerken: Default::default(),
    };
    ctx.outbox.publish(tx, &n, ctx.now_millis()).await?;
    Ok(())
}

pub async fn create(ctx: &Ctx, body: &Value) -> Result<Applicatie, ApiError> {
    let input = ApplicatieInput::parse(body, None)?;
    let app =
        Applicatie { uuid: Uuid::new_v4(), client_ids: input.client_ids, label: input.label, rights: input.rights };
    let mut tx = ctx.db.begin().await?;
    check_unique(&mut tx, &app.client_ids, None).await?;
    store::insert(&mut tx, &app, ctx.now_millis()).await.map_err(unique_to_field)?;
    notify(ctx, &mut tx, app.uuid, "create").await?;
    tx.commit().await?;
    ctx.outbox.wake();
    Ok(app)
}

/// PUT (`partial == false`) or PATCH.
pub async fn update(ctx: &Ctx, uuid: Uuid, body: &Value, partial: bool) -> Result<Applicatie, ApiError> {
    let current = get(ctx, uuid).await?;
    let input = ApplicatieInput::parse(body, partial.then_some(&current))?;
    let app = Applicatie { uuid, client_ids: input.client_ids, label: input.label, rights: input.rights };
    let mut tx = ctx.db.begin().await?;
    check_unique(&mut tx, &app.client_ids, Some(uuid)).await?;
    if !store::update(&mut tx, &app, ctx.now_millis()).await.map_err(unique_to_field)? {
        return Err(ApiError::NotFound);
    }
    notify(ctx, &mut tx, uuid, if partial { "partial_update" } else { "update" }).await?;
    tx.commit().await?;
    ctx.outbox.wake();
    Ok(app)
}

pub async fn delete(ctx: &Ctx, uuid: Uuid) -> Result<(), ApiError> {
    let mut tx = ctx.db.begin().await?;
    if !store::delete(&mut tx, uuid).await? {
        return Err(ApiError::NotFound);
    }
    notify(ctx, &mut tx, uuid, "destroy").await?;
    tx.commit().await?;
    ctx.outbox.wake();
    Ok(())
}

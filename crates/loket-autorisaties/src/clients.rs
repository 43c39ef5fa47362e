//! API clients for the command line: a JWT-ZGW secret plus the applicatie
//! that holds the client's rights.

use crate::model::Applicatie;
use crate::store;
use loket_core::authz::Rights;
use loket_store::{Ctx, StoreError};
use uuid::Uuid;

/// What `client add` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    /// A new applicatie was created for the client.
    NewApplicatie,
    /// The client id already had an applicatie; only the secret was set.
    SecretSet,
}

/// Registers `client_id` with `secret`. An existing applicatie keeps its
/// rights; otherwise one is created (all rights when `superuser`).
pub async fn add(ctx: &Ctx, client_id: &str, secret: &str, superuser: bool) -> Result<Added, StoreError> {
    let existing = store::by_client_id(&ctx.db, client_id).await?;
    let mut tx = ctx.db.begin().await?;
    let now = ctx.now_millis();
    let added = match existing {
        Some(mut app) => {
            if superuser && !app.rights.heeft_alle_autorisaties {
                app.rights = Rights { heeft_alle_autorisaties: true, autorisaties: vec![] };
                store::update(&mut tx, &app, now).await?;
            }
            Added::SecretSet
        }
        None => {
            let app = Applicatie {
                uuid: Uuid::new_v4(),
                client_ids: vec![client_id.to_owned()],
                label: client_id.to_owned(),
                rights: Rights { heeft_alle_autorisaties: superuser, autorisaties: vec![] },
            };
            store::insert(&mut tx, &app, now).await?;
            Added::NewApplicatie
        }
    };
    store::set_secret(&mut tx, client_id, secret, now).await?;
    tx.commit().await?;
    Ok(added)
}

/// Removes the client's secret and its id from its applicatie (and the
/// applicatie when no id is left). False when the client was unknown.
pub async fn remove(ctx: &Ctx, client_id: &str) -> Result<bool, StoreError> {
    let existing = store::by_client_id(&ctx.db, client_id).await?;
    let mut tx = ctx.db.begin().await?;
    let had_secret = store::delete_secret(&mut tx, client_id).await?;
    let had_app = existing.is_some();
    if let Some(mut app) = existing {
        app.client_ids.retain(|c| c != client_id);
        if app.client_ids.is_empty() {
            store::delete(&mut tx, app.uuid).await?;
        } else {
            store::update(&mut tx, &app, ctx.now_millis()).await?;
        }
    }
    tx.commit().await?;
    Ok(had_secret || had_app)
}

/// (client id, label, superuser, has secret) for every client id.
pub async fn list(ctx: &Ctx) -> Result<Vec<(String, String, bool, bool)>, StoreError> {
    store::all_clients(&ctx.db).await
}

/// The secret of a client, for `loket token`.
pub async fn secret(ctx: &Ctx, client_id: &str) -> Result<Option<String>, StoreError> {
    Ok(store::credentials(&ctx.db, client_id).await?.map(|(s, _)| s))
}

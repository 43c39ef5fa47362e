//! Catalogi API 1.3 (`/catalogi/api/v1`), first part: catalogussen and the
//! three versioned types that other components and autorisaties refer to —
//! zaaktypen, informatieobjecttypen and besluittypen — with the concept and
//! publish rules (ztc-009, ztc-012) and validity periods.
//!
//! The three types share one mechanism: each is described by a [`spec::TypeSpec`]
//! (its fields, key, kanaal and relations) that `types` (service and store)
//! and `api` consume. `catalogus` holds the catalogus resource.

pub mod api;
pub mod catalogus;
pub mod children;
pub mod external;
pub mod referentielijsten;
mod refs;
pub mod resultaat;
pub mod seed;
pub mod spec;
pub mod transfer;
pub mod types;

pub use api::router;

pub const BASE: &str = "/catalogi/api/v1";

/// Kanalen of this component and their kenmerken.
pub const KANALEN: &[(&str, &[&str])] =
    &[("zaaktypen", &["catalogus"]), ("informatieobjecttypen", &["catalogus"]), ("besluittypen", &["catalogus"])];

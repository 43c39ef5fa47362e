//! Kanalen, abonnementen and incoming notifications, read from request
//! bodies with field-named errors.

use loket_core::fields::{Fields, Optional, Required};
use loket_core::notification::Notification;
use loket_core::ApiError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kanaal {
    pub uuid: Uuid,
    pub naam: String,
    pub documentatie_link: String,
    pub filters: Vec<String>,
}

/// One kanaal of an abonnement with its filters (kenmerk → value; `*` = any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterGroup {
    pub naam: String,
    #[serde(default)]
    pub filters: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abonnement {
    pub uuid: Uuid,
    pub callback_url: String,
    pub auth: String,
    pub kanalen: Vec<FilterGroup>,
}

impl Abonnement {
    /// True when this abonnement wants `n`.
    pub fn wants(&self, n: &Notification) -> bool {
        self.kanalen.iter().any(|k| {
            k.naam == n.kanaal && k.filters.iter().all(|(key, want)| want == "*" || n.kenmerken.get(key) == Some(want))
        })
    }
}

pub struct KanaalInput {
    pub naam: String,
    pub documentatie_link: String,
    pub filters: Vec<String>,
}

pub fn parse_kanaal(body: &Value) -> Result<KanaalInput, ApiError> {
    let mut f = Fields::of(body, false)?;
    let naam = f.string("naam", Required, 50);
    let documentatie_link = f.url("documentatieLink", Optional, 200).unwrap_or_default();
    let filters = f.string_list("filters", Optional, 100).unwrap_or_default();
    f.finish()?;
    Ok(KanaalInput { naam: naam.unwrap_or_default(), documentatie_link, filters })
}

pub struct AbonnementInput {
    pub callback_url: String,
    pub auth: String,
    pub kanalen: Vec<FilterGroup>,
}

/// Reads an abonnement; with `base` (PATCH) absent fields keep their value.
pub fn parse_abonnement(body: &Value, base: Option<&Abonnement>) -> Result<AbonnementInput, ApiError> {
    let mut f = Fields::of(body, base.is_some())?;
    let callback_url = f.url("callbackUrl", Required, 1000);
    let auth = f.string("auth", Required, 1000);
    let kanalen = match f.array("kanalen", Required) {
        Some(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let Some(mut g) = f.nested(item, &format!("kanalen.{i}")) else { continue };
                let naam = g.string("naam", Required, 50);
                let filters = g.string_map("filters", Optional, 1000);
                if let Some(naam) = naam {
                    out.push(FilterGroup { naam, filters: filters.unwrap_or_default().into_iter().collect() });
                }
                f.absorb(g);
            }
            Some(out)
        }
        None => None,
    };
    f.finish()?;
    Ok(AbonnementInput {
        callback_url: callback_url.or_else(|| base.map(|b| b.callback_url.clone())).unwrap_or_default(),
        auth: auth.or_else(|| base.map(|b| b.auth.clone())).unwrap_or_default(),
        kanalen: kanalen.or_else(|| base.map(|b| b.kanalen.clone())).unwrap_or_default(),
    })
}

/// Reads a notification sent to `POST /notificaties`.
pub fn parse_message(body: &Value) -> Result<Notification, ApiError> {
    let mut f = Fields::of(body, false)?;
    let kanaal = f.string("kanaal", Required, 50);
    let hoofd_object = f.url("hoofdObject", Required, 1000);
    let resource = f.string("resource", Required, 100);
    let resource_url = f.url("resourceUrl", Required, 1000);
    let actie = f.string("actie", Required, 100);
    let aanmaakdatum = f.string("aanmaakdatum", Required, 64);
    if let Some(d) = &aanmaakdatum {
        if chrono::DateTime::parse_from_rfc3339(d).is_err() {
            f.error(
                "aanmaakdatum",
                "invalid",
                "Gebruik een datum-tijd volgens RFC 3339, bijvoorbeeld 2024-01-31T12:00:00Z.",
            );
        }
    }
    let kenmerken = f.string_map("kenmerken", Optional, 1000);
    f.finish()?;
    Ok(Notification {
        kanaal: kanaal.unwrap_or_default(),
        hoofd_object: hoofd_object.unwrap_or_default(),
        resource: resource.unwrap_or_default(),
        resource_url: resource_url.unwrap_or_default(),
        actie: actie.unwrap_or_default(),
        aanmaakdatum: aanmaakdatum.unwrap_or_default(),
        kenmerken: kenmerken.unwrap_or_default().into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(kenmerken: &[(&str, &str)]) -> Notification {
        Notification {
            kanaal: "zaken".into(),
            hoofd_object: "http://x/z/1".into(),
            resource: "zaak".into(),
            resource_url: "http://x/z/1".into(),
            actie: "create".into(),
            aanmaakdatum: "2026-01-01T00:00:00Z".into(),
            kenmerken: kenmerken.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    #[test]
    fn filters_match_kenmerken() {
        let a = Abonnement {
            uuid: Uuid::nil(),
            callback_url: "http://cb".into(),
            auth: "x".into(),
            kanalen: vec![FilterGroup {
                naam: "zaken".into(),
                filters: [("bronorganisatie".to_string(), "123".to_string())].into_iter().collect(),
            }],
        };
        assert!(a.wants(&note(&[("bronorganisatie", "123")])));
        assert!(!a.wants(&note(&[("bronorganisatie", "999")])));
        assert!(!a.wants(&note(&[])));
        let mut other = note(&[("bronorganisatie", "123")]);
        other.kanaal = "documenten".into();
        assert!(!a.wants(&other));
    }
}

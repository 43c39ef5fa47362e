//! The authorisation model of the Autorisaties API and the one permission check
//! that every component calls.
//!
//! An [`Applicatie`] either has all rights (`heeftAlleAutorisaties`) or a list of
//! [`Autorisatie`]s: per component a set of scopes, narrowed for zaken, documenten
//! and besluiten to one type and (for the first two) a maximum confidentiality.

use crate::vertrouwelijkheid::Vertrouwelijkheid;
use serde::{Deserialize, Serialize};

/// The ZGW components that autorisaties can be given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Component {
    Ac,
    Nrc,
    Zrc,
    Ztc,
    Drc,
    Brc,
}

impl Component {
    pub const ALL: [Component; 6] = [Self::Ac, Self::Nrc, Self::Zrc, Self::Ztc, Self::Drc, Self::Brc];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ac => "ac",
            Self::Nrc => "nrc",
            Self::Zrc => "zrc",
            Self::Ztc => "ztc",
            Self::Drc => "drc",
            Self::Brc => "brc",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// `componentWeergave` as the standard's reference implementation shows it.
    pub fn weergave(self) -> &'static str {
        match self {
            Self::Ac => "Autorisatiecomponent",
            Self::Nrc => "Notificatierouteringcomponent",
            Self::Zrc => "Zaakregistratiecomponent",
            Self::Ztc => "Zaaktypecatalogus",
            Self::Drc => "Documentregistratiecomponent",
            Self::Brc => "Besluitregistratiecomponent",
        }
    }

    /// The scope prefix whose scopes are bound to a type (rule ac-003), if any.
    pub fn typed_scope_prefix(self) -> Option<&'static str> {
        match self {
            Self::Zrc => Some("zaken."),
            Self::Drc => Some("documenten."),
            Self::Brc => Some("besluiten."),
            _ => None,
        }
    }
}

/// One autorisatie of an applicatie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Autorisatie {
    pub component: Component,
    pub scopes: Vec<String>,
    /// The zaaktype, informatieobjecttype or besluittype URL, by component.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_vertrouwelijkheid: Option<Vertrouwelijkheid>,
}

/// What a client may do.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rights {
    pub heeft_alle_autorisaties: bool,
    pub autorisaties: Vec<Autorisatie>,
}

/// The object a request acts on, for type-bound scopes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Target<'a> {
    pub type_url: Option<&'a str>,
    pub vertrouwelijkheid: Option<Vertrouwelijkheid>,
}

impl Rights {
    /// True when any of `scopes` is granted on `component` for `target`.
    ///
    /// Without a target (e.g. a list endpoint) a scope granted for any type
    /// suffices; the component then filters results with [`Rights::allowed_types`].
    pub fn allows(&self, component: Component, scopes: &[&str], target: Target<'_>) -> bool {
        if self.heeft_alle_autorisaties {
            return true;
        }
        self.autorisaties.iter().any(|a| {
            a.component == component
                && a.scopes.iter().any(|s| scopes.contains(&s.as_str()))
                && match target.type_url {
                    None => true,
                    Some(t) => a.type_url.as_deref().is_none_or(|own| own == t),
                }
                && match (target.vertrouwelijkheid, a.max_vertrouwelijkheid) {
                    (Some(v), Some(max)) => v <= max,
                    _ => true,
                }
        })
    }

    /// For list filtering: `None` means every type is allowed; otherwise the
    /// allowed (type URL, maximum confidentiality) pairs.
    pub fn allowed_types(
        &self,
        component: Component,
        scopes: &[&str],
    ) -> Option<Vec<(String, Option<Vertrouwelijkheid>)>> {
        if self.heeft_alle_autorisaties {
            return None;
        }
        let mut out = Vec::new();
        for a in &self.autorisaties {
            if a.component == component && a.scopes.iter().any(|s| scopes.contains(&s.as_str())) {
                match &a.type_url {
                    Some(t) => out.push((t.clone(), a.max_vertrouwelijkheid)),
                    None => return None,
                }
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zrc(scopes: &[&str], zt: &str, max: Vertrouwelijkheid) -> Autorisatie {
        Autorisatie {
            component: Component::Zrc,
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            type_url: Some(zt.into()),
            max_vertrouwelijkheid: Some(max),
        }
    }

    #[test]
    fn superuser_may_do_everything() {
        let r = Rights { heeft_alle_autorisaties: true, autorisaties: vec![] };
        assert!(r.allows(Component::Ac, &["autorisaties.bijwerken"], Target::default()));
    }

    #[test]
    fn scope_type_and_confidentiality_all_count() {
        let r = Rights {
            heeft_alle_autorisaties: false,
            autorisaties: vec![zrc(&["zaken.lezen"], "http://zt/1", Vertrouwelijkheid::Intern)],
        };
        let t = |u, v| Target { type_url: Some(u), vertrouwelijkheid: Some(v) };
        assert!(r.allows(Component::Zrc, &["zaken.lezen"], t("http://zt/1", Vertrouwelijkheid::Openbaar)));
        assert!(r.allows(Component::Zrc, &["zaken.lezen"], t("http://zt/1", Vertrouwelijkheid::Intern)));
        assert!(!r.allows(Component::Zrc, &["zaken.lezen"], t("http://zt/1", Vertrouwelijkheid::Geheim)));
        assert!(!r.allows(Component::Zrc, &["zaken.lezen"], t("http://zt/2", Vertrouwelijkheid::Openbaar)));
        assert!(!r.allows(Component::Zrc, &["zaken.aanmaken"], t("http://zt/1", Vertrouwelijkheid::Openbaar)));
        assert!(!r.allows(Component::Drc, &["zaken.lezen"], Target::default()));
        assert_eq!(
            r.allowed_types(Component::Zrc, &["zaken.lezen"]),
            Some(vec![("http://zt/1".to_string(), Some(Vertrouwelijkheid::Intern))])
        );
    }
}

//! The applicatie and the rules of the standard for creating and changing one:
//! field formats, ac-002 (all rights xor explicit autorisaties) and ac-003
//! (type-bound scopes need their type and confidentiality).

use loket_core::authz::{Autorisatie, Component, Rights};
use loket_core::error::NON_FIELD;
use loket_core::fields::{Fields, Optional, Required};
use loket_core::vertrouwelijkheid::Vertrouwelijkheid;
use loket_core::ApiError;
use serde_json::Value;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicatie {
    pub uuid: Uuid,
    pub client_ids: Vec<String>,
    pub label: String,
    pub rights: Rights,
}

/// What a create, update or partial update asks for, after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicatieInput {
    pub client_ids: Vec<String>,
    pub label: String,
    pub rights: Rights,
}

impl ApplicatieInput {
    /// Reads a request body. With `base` (PATCH) absent fields keep their value.
    pub fn parse(body: &Value, base: Option<&Applicatie>) -> Result<Self, ApiError> {
        let mut f = Fields::of(body, base.is_some())?;
        let client_ids = f.string_list("clientIds", Required, 50);
        let label = f.string("label", Required, 100);
        let heeft_alle = f.bool("heeftAlleAutorisaties", Optional);
        let autorisaties = match f.array("autorisaties", Optional) {
            Some(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let Some(mut a) = f.nested(item, &format!("autorisaties.{i}")) else { continue };
                    let parsed = parse_autorisatie(&mut a);
                    f.absorb(a);
                    out.extend(parsed);
                }
                (out.len() == items.len()).then_some(out)
            }
            None => None,
        };
        if f.has_errors() {
            f.finish()?;
        }
        let input = ApplicatieInput {
            client_ids: client_ids.or_else(|| base.map(|b| b.client_ids.clone())).unwrap_or_default(),
            label: label.or_else(|| base.map(|b| b.label.clone())).unwrap_or_default(),
            rights: Rights {
                heeft_alle_autorisaties: heeft_alle
                    .or_else(|| base.map(|b| b.rights.heeft_alle_autorisaties))
                    .unwrap_or(false),
                autorisaties: autorisaties.or_else(|| base.map(|b| b.rights.autorisaties.clone())).unwrap_or_default(),
            },
        };
        input.check_rules()?;
        Ok(input)
    }

    /// ac-002 and duplicate client ids within the request.
    fn check_rules(&self) -> Result<(), ApiError> {
        let r = &self.rights;
        if r.heeft_alle_autorisaties && !r.autorisaties.is_empty() {
            return Err(ApiError::field(
                NON_FIELD,
                "ambiguous-authorizations-specified",
                "Geef óf heeftAlleAutorisaties op, óf losse autorisaties, niet allebei.",
            ));
        }
        if !r.heeft_alle_autorisaties && r.autorisaties.is_empty() {
            return Err(ApiError::field(
                NON_FIELD,
                "missing-authorizations",
                "Geef autorisaties op, of zet heeftAlleAutorisaties op true.",
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = self.client_ids.iter().find(|c| !seen.insert(c.as_str())) {
            return Err(ApiError::field(
                "clientIds",
                "clientId-exists",
                format!("Client id '{dup}' staat dubbel in de lijst."),
            ));
        }
        Ok(())
    }
}

fn parse_autorisatie(f: &mut Fields<'_>) -> Option<Autorisatie> {
    let component = f.choice("component", Required, Component::parse);
    let scopes = f.string_list("scopes", Required, 100);
    let (component, scopes) = (component?, scopes?);
    let type_field = match component {
        Component::Zrc => Some("zaaktype"),
        Component::Drc => Some("informatieobjecttype"),
        Component::Brc => Some("besluittype"),
        _ => None,
    };
    let type_url = type_field.and_then(|k| f.url(k, Optional, 1000));
    let has_max = matches!(component, Component::Zrc | Component::Drc);
    let max =
        if has_max { f.choice("maxVertrouwelijkheidaanduiding", Optional, Vertrouwelijkheid::parse) } else { None };
    if f.has_errors() {
        return None;
    }
    // ac-003: scopes on the component's own objects need their type (and level).
    if let Some(prefix) = component.typed_scope_prefix() {
        if scopes.iter().any(|s| s.starts_with(prefix)) {
            if has_max && max.is_none() {
                f.error("maxVertrouwelijkheidaanduiding", "required", "Dit veld is vereist voor deze scopes.");
            }
            if let (None, Some(k)) = (&type_url, type_field) {
                f.error(k, "required", "Dit veld is vereist voor deze scopes.");
            }
            if f.has_errors() {
                return None;
            }
        }
    }
    Some(Autorisatie { component, scopes, type_url, max_vertrouwelijkheid: max })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(r: Result<ApplicatieInput, ApiError>) -> Vec<(String, String)> {
        match r {
            Err(ApiError::Validation(p)) => {
                let mut v: Vec<_> = p.into_iter().map(|p| (p.name, p.code)).collect();
                v.sort();
                v
            }
            other => panic!("expected validation error, got {other:?}"),
        }
    }

    #[test]
    fn ac_003_requires_type_and_level_for_zaken_scopes() {
        let body = json!({"clientIds": ["a"], "label": "x", "autorisaties": [
            {"component": "zrc", "scopes": ["zaken.lezen"], "zaaktype": "", "maxVertrouwelijkheidaanduiding": ""}]});
        assert_eq!(
            codes(ApplicatieInput::parse(&body, None)),
            vec![
                ("autorisaties.0.maxVertrouwelijkheidaanduiding".into(), "required".into()),
                ("autorisaties.0.zaaktype".into(), "required".into())
            ]
        );
        let ok = json!({"clientIds": ["a"], "label": "x", "autorisaties": [
            {"component": "zrc", "scopes": ["notificaties.publiceren"], "zaaktype": "", "maxVertrouwelijkheidaanduiding": ""}]});
        assert!(ApplicatieInput::parse(&ok, None).is_ok());
    }

    #[test]
    fn ac_002_all_rights_xor_autorisaties() {
        let both = json!({"clientIds": ["a"], "label": "x", "heeftAlleAutorisaties": true,
            "autorisaties": [{"component": "ac", "scopes": ["autorisaties.lezen"]}]});
        assert_eq!(
            codes(ApplicatieInput::parse(&both, None)),
            vec![(NON_FIELD.into(), "ambiguous-authorizations-specified".into())]
        );
        let none = json!({"clientIds": ["a"], "label": "x", "heeftAlleAutorisaties": false, "autorisaties": []});
        assert_eq!(
            codes(ApplicatieInput::parse(&none, None)),
            vec![(NON_FIELD.into(), "missing-authorizations".into())]
        );
    }

    #[test]
    fn patch_keeps_other_fields() {
        let base = Applicatie {
            uuid: Uuid::nil(),
            client_ids: vec!["a".into()],
            label: "oud".into(),
            rights: Rights { heeft_alle_autorisaties: true, autorisaties: vec![] },
        };
        let input = ApplicatieInput::parse(&json!({"label": "nieuw"}), Some(&base)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(input.label, "nieuw");
        assert_eq!(input.client_ids, vec!["a".to_string()]);
        assert!(input.rights.heeft_alle_autorisaties);
    }
}

//! The rules for resultaattypen against the Selectielijst: ztc-002 (the
//! references, the procestype match, archiefnominatie and archiefactietermijn
//! derived from the selectielijstklasse) and ztc-003 … ztc-008 (the
//! parameters of brondatumArchiefprocedure per afleidingswijze).

use crate::refs::{self, RefKind};
use crate::types::TypeObject;
use loket_core::error::NON_FIELD;
use loket_core::{ApiError, InvalidParam};
use loket_store::Ctx;
use serde_json::{Map, Value};

const GROUP: &str = "brondatumArchiefprocedure";

/// Checks `data` and fills the derived fields; returns the field errors.
pub async fn check(
    ctx: &Ctx,
    zaaktype: &TypeObject,
    data: &mut Map<String, Value>,
) -> Result<Vec<InvalidParam>, ApiError> {
    let mut errors = Vec::new();
    let text = |d: &Map<String, Value>, k: &str| d.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();

    let omschrijving_url = text(data, "resultaattypeomschrijving");
    match refs::fetch(ctx, "resultaattypeomschrijving", &omschrijving_url, RefKind::Resultaattypeomschrijving).await {
        Ok(v) => {
            data.insert("omschrijvingGeneriek".into(), v.get("omschrijving").cloned().unwrap_or(Value::from("")));
        }
        Err(e) => errors.push(e),
    }

    let klasse_url = text(data, "selectielijstklasse");
    let klasse = match refs::fetch(ctx, "selectielijstklasse", &klasse_url, RefKind::Resultaat).await {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if let Some(k) = &klasse {
        let procestype = zaaktype.str("selectielijstProcestype").unwrap_or_default();
        if !procestype.is_empty() && k.get("procesType").and_then(Value::as_str) != Some(procestype) {
            errors.push(InvalidParam::new(
                NON_FIELD,
                "procestype-mismatch",
                "De selectielijstklasse hoort niet bij het selectielijstProcestype van het zaaktype.",
            ));
        }
        if data.get("archiefnominatie").is_none_or(|v| v.as_str().is_none_or(str::is_empty)) {
            data.insert("archiefnominatie".into(), k.get("waardering").cloned().unwrap_or(Value::from("")));
        }
        if data.get("archiefactietermijn").is_none_or(Value::is_null) {
            data.insert("archiefactietermijn".into(), k.get("bewaartermijn").cloned().unwrap_or(Value::Null));
        }
    }

    if let Some(group) = data.get(GROUP).and_then(Value::as_object) {
        let procestermijn =
            klasse.as_ref().and_then(|k| k.get("procestermijn")).and_then(Value::as_str).unwrap_or_default();
        errors.extend(brondatum_rules(group, procestermijn));
    }
    // Errors that name a field first; those about the whole object after them.
    errors.sort_by_key(|e| e.name == NON_FIELD);
    Ok(errors)
}

/// ztc-003 … ztc-008 for one brondatumArchiefprocedure.
pub fn brondatum_rules(group: &Map<String, Value>, procestermijn: &str) -> Vec<InvalidParam> {
    let mut errors = Vec::new();
    let wijze = group.get("afleidingswijze").and_then(Value::as_str).unwrap_or_default();
    let filled = |k: &str| match group.get(k) {
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Bool(b)) => *b,
        Some(Value::Null) | None => false,
        Some(_) => true,
    };
    // (field, afleidingswijzen that require it, or None when it must be empty for all but those)
    let rules: [(&str, &[&str], bool); 5] = [
        ("datumkenmerk", &["eigenschap", "zaakobject", "ander_datumkenmerk"], true),
        ("einddatumBekend", &["afgehandeld", "termijn"], false),
        ("objecttype", &["zaakobject", "ander_datumkenmerk"], true),
        ("registratie", &["ander_datumkenmerk"], true),
        ("procestermijn", &["termijn"], true),
    ];
    for (field, wijzen, required_for) in rules {
        let listed = wijzen.contains(&wijze);
        let name = format!("{GROUP}.{field}");
        if required_for {
            if listed && !filled(field) {
                errors.push(InvalidParam::new(
                    name,
                    "required",
                    format!("Dit veld is vereist bij afleidingswijze '{wijze}'."),
                ));
            } else if !listed && filled(field) {
                errors.push(InvalidParam::new(
                    name,
                    "must-be-empty",
                    format!("Dit veld moet leeg zijn bij afleidingswijze '{wijze}'."),
                ));
            }
        } else if listed && filled(field) {
            // ztc-005: einddatumBekend has no value for afgehandeld and termijn.
            errors.push(InvalidParam::new(
                name,
                "must-be-empty",
                format!("Dit veld moet leeg zijn bij afleidingswijze '{wijze}'."),
            ));
        }
    }
    // ztc-003, after the field errors (which name the field to correct).
    let wanted = match procestermijn {
        "nihil" => Some("afgehandeld"),
        "ingeschatte_bestaansduur_procesobject" => Some("termijn"),
        _ => None,
    };
    if let Some(w) = wanted.filter(|w| *w != wijze) {
        errors.push(InvalidParam::new(
            NON_FIELD,
            "invalid-afleidingswijze-for-procestermijn",
            format!("Bij procestermijn '{procestermijn}' van de selectielijstklasse hoort afleidingswijze '{w}'."),
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(group: Value, procestermijn: &str) -> Vec<(String, String)> {
        let map = group.as_object().cloned().unwrap_or_default();
        brondatum_rules(&map, procestermijn).into_iter().map(|e| (e.name, e.code)).collect()
    }

    #[test]
    fn afleidingswijze_follows_procestermijn() {
        let g = json!({"afleidingswijze": "termijn", "procestermijn": "P5M"});
        assert_eq!(codes(g, "nihil"), vec![(NON_FIELD.into(), "invalid-afleidingswijze-for-procestermijn".into())]);
        assert!(codes(json!({"afleidingswijze": "afgehandeld"}), "nihil").is_empty());
        assert!(codes(json!({"afleidingswijze": "eigenschap", "datumkenmerk": "x"}), "").is_empty());
    }

    #[test]
    fn parameters_per_afleidingswijze() {
        assert_eq!(
            codes(json!({"afleidingswijze": "eigenschap", "datumkenmerk": ""}), ""),
            vec![("brondatumArchiefprocedure.datumkenmerk".into(), "required".into())]
        );
        assert_eq!(
            codes(json!({"afleidingswijze": "afgehandeld", "einddatumBekend": true}), ""),
            vec![("brondatumArchiefprocedure.einddatumBekend".into(), "must-be-empty".into())]
        );
        assert_eq!(
            codes(
                json!({"afleidingswijze": "ander_datumkenmerk", "datumkenmerk": "d", "objecttype": "pand", "registratie": ""}),
                ""
            ),
            vec![("brondatumArchiefprocedure.registratie".into(), "required".into())]
        );
        assert_eq!(
            codes(json!({"afleidingswijze": "termijn", "procestermijn": null}), ""),
            vec![("brondatumArchiefprocedure.procestermijn".into(), "required".into())]
        );
        assert_eq!(
            codes(json!({"afleidingswijze": "hoofdzaak", "procestermijn": "P1Y"}), ""),
            vec![("brondatumArchiefprocedure.procestermijn".into(), "must-be-empty".into())]
        );
    }
}

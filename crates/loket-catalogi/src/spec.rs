//! Field descriptors of the type resources and the validation they drive.
//! A body is read into a JSON object holding exactly the writable fields of
//! the standard, each checked for type, length, format and choice.

use loket_core::fields::{Fields, Need, Optional, Required};
use loket_core::vertrouwelijkheid::Vertrouwelijkheid;
use loket_core::ApiError;
use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Str(usize),
    Text,
    Bool,
    Date,
    Duration,
    Url(usize),
    UrlList,
    StrList(usize),
    Choice(&'static [&'static str]),
    Vertrouwelijkheid,
    /// `referentieproces`: {naam, link}.
    Referentieproces,
    /// `gerelateerdeZaaktypen`: [{zaaktype, aardRelatie, toelichting}].
    Relaties,
    Int,
    /// `checklistitemStatustype`: [{itemnaam, toelichting, vraagstelling, verplicht}].
    Checklist,
    /// `specificatie` of an eigenschap.
    Specificatie,
    /// `brondatumArchiefprocedure` of a resultaattype.
    Brondatum,
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub need: Need,
    /// Rendered as `null` when absent (else an empty value of its kind).
    pub nullable: bool,
}

/// A field that is always rendered (empty value of its kind when unset).
pub(crate) const fn f(name: &'static str, kind: Kind, need: Need) -> Field {
    Field { name, kind, need, nullable: false }
}
/// An optional field rendered as `null` when unset.
pub(crate) const fn n(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, need: Optional, nullable: true }
}

/// One versioned type resource of the catalogue.
pub struct TypeSpec {
    /// `zaaktype`, also the notification resource name.
    pub kind: &'static str,
    /// Path segment and kanaal: `zaaktypen`.
    pub plural: &'static str,
    /// The field that, with the catalogus, identifies the versions of one type.
    pub key: &'static str,
    pub fields: &'static [Field],
    /// Read-only list fields rendered from relations (empty until their resource exists).
    pub derived: &'static [&'static str],
    /// Query parameters besides catalogus, status, datumGeldigheid and page;
    /// the first filters on `key`.
    pub filters: &'static [&'static str],
    /// List fields whose values are indexed for filtering (`catalogus_type_value`).
    pub indexed: &'static [&'static str],
}

const INTERN_EXTERN: &[&str] = &["intern", "extern"];
const OMSCHRIJVING_GENERIEK_IOT: Kind = Kind::Str(80);

pub static ZAAKTYPE: TypeSpec = TypeSpec {
    kind: "zaaktype",
    plural: "zaaktypen",
    key: "identificatie",
    fields: &[
        f("identificatie", Kind::Str(50), Required),
        f("omschrijving", Kind::Str(80), Required),
        f("omschrijvingGeneriek", Kind::Str(80), Optional),
        f("vertrouwelijkheidaanduiding", Kind::Vertrouwelijkheid, Required),
        f("doel", Kind::Text, Required),
        f("aanleiding", Kind::Text, Required),
        f("toelichting", Kind::Text, Optional),
        f("indicatieInternOfExtern", Kind::Choice(INTERN_EXTERN), Required),
        f("handelingInitiator", Kind::Str(20), Required),
        f("onderwerp", Kind::Str(80), Required),
        f("handelingBehandelaar", Kind::Str(20), Required),
        f("doorlooptijd", Kind::Duration, Required),
        n("servicenorm", Kind::Duration),
        f("opschortingEnAanhoudingMogelijk", Kind::Bool, Required),
        f("verlengingMogelijk", Kind::Bool, Required),
        n("verlengingstermijn", Kind::Duration),
        f("trefwoorden", Kind::StrList(30), Optional),
        f("publicatieIndicatie", Kind::Bool, Required),
        f("publicatietekst", Kind::Text, Optional),
        f("verantwoordingsrelatie", Kind::StrList(40), Optional),
        f("productenOfDiensten", Kind::UrlList, Required),
        f("selectielijstProcestype", Kind::Url(200), Optional),
        f("referentieproces", Kind::Referentieproces, Required),
        f("verantwoordelijke", Kind::Str(50), Required),
        f("besluittypen", Kind::UrlList, Required),
        f("deelzaaktypen", Kind::UrlList, Optional),
        f("gerelateerdeZaaktypen", Kind::Relaties, Required),
        f("beginGeldigheid", Kind::Date, Required),
        n("eindeGeldigheid", Kind::Date),
        n("beginObject", Kind::Date),
        n("eindeObject", Kind::Date),
        f("versiedatum", Kind::Date, Required),
    ],
    derived: &[
        "statustypen",
        "resultaattypen",
        "eigenschappen",
        "informatieobjecttypen",
        "roltypen",
        "zaakobjecttypen",
    ],
    filters: &["identificatie", "trefwoorden"],
    indexed: &["trefwoorden"],
};

pub static INFORMATIEOBJECTTYPE: TypeSpec = TypeSpec {
    kind: "informatieobjecttype",
    plural: "informatieobjecttypen",
    key: "omschrijving",
    fields: &[
        f("omschrijving", Kind::Str(80), Required),
        f("vertrouwelijkheidaanduiding", Kind::Vertrouwelijkheid, Required),
        f("beginGeldigheid", Kind::Date, Required),
        n("eindeGeldigheid", Kind::Date),
        n("beginObject", Kind::Date),
        n("eindeObject", Kind::Date),
        f("informatieobjectcategorie", Kind::Str(80), Required),
        f("trefwoord", Kind::StrList(30), Optional),
        f("omschrijvingGeneriek", OMSCHRIJVING_GENERIEK_IOT, Optional),
    ],
    derived: &["zaaktypen", "besluittypen"],
    filters: &["omschrijving"],
    indexed: &[],
};

pub static BESLUITTYPE: TypeSpec = TypeSpec {
    kind: "besluittype",
    plural: "besluittypen",
    key: "omschrijving",
    fields: &[
        f("omschrijving", Kind::Str(80), Optional),
        f("omschrijvingGeneriek", Kind::Str(80), Optional),
        f("besluitcategorie", Kind::Str(40), Optional),
        n("reactietermijn", Kind::Duration),
        f("publicatieIndicatie", Kind::Bool, Required),
        f("publicatietekst", Kind::Text, Optional),
        n("publicatietermijn", Kind::Duration),
        f("toelichting", Kind::Text, Optional),
        f("informatieobjecttypen", Kind::UrlList, Required),
        f("beginGeldigheid", Kind::Date, Required),
        n("eindeGeldigheid", Kind::Date),
        n("beginObject", Kind::Date),
        n("eindeObject", Kind::Date),
    ],
    derived: &["resultaattypen", "resultaattypenOmschrijving", "vastgelegdIn"],
    filters: &["omschrijving", "zaaktypen", "informatieobjecttypen"],
    indexed: &["informatieobjecttypen"],
};

/// Fields of a catalogus.
pub static CATALOGUS: &[Field] = &[
    f("domein", Kind::Str(5), Required),
    f("rsin", Kind::Str(9), Required),
    f("contactpersoonBeheerNaam", Kind::Str(40), Required),
    f("contactpersoonBeheerTelefoonnummer", Kind::Str(20), Optional),
    f("contactpersoonBeheerEmailadres", Kind::Str(254), Optional),
    n("naam", Kind::Str(200)),
    n("versie", Kind::Str(20)),
    n("begindatumVersie", Kind::Date),
];

pub static SPECS: [&TypeSpec; 3] = [&ZAAKTYPE, &INFORMATIEOBJECTTYPE, &BESLUITTYPE];

/// ISO 8601 duration such as `P10D`, `P1Y2M`, `PT4H`, `P6W`.
pub fn valid_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else { return false };
    if rest.is_empty() {
        return false;
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return false,
        None => (rest, None),
    };
    fn units(part: &str, allowed: &[char]) -> bool {
        let mut num = String::new();
        let mut last = None;
        for c in part.chars() {
            if c.is_ascii_digit() || (c == '.' && !num.is_empty()) {
                num.push(c);
            } else {
                let Some(pos) = allowed.iter().position(|a| *a == c) else { return false };
                if num.is_empty() || last.is_some_and(|l| pos <= l) {
                    return false;
                }
                last = Some(pos);
                num.clear();
            }
        }
        num.is_empty()
    }
    units(date, &['Y', 'M', 'W', 'D']) && time.is_none_or(|t| units(t, &['H', 'M', 'S']))
}

pub fn valid_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

/// The empty value a field renders as when it was never set.
pub fn empty(field: &Field) -> Value {
    if field.nullable {
        return Value::Null;
    }
    match field.kind {
        Kind::Bool => Value::Bool(false),
        Kind::UrlList | Kind::StrList(_) | Kind::Relaties => Value::Array(vec![]),
        Kind::Referentieproces => serde_json::json!({"naam": "", "link": ""}),
        Kind::Checklist => Value::Array(vec![]),
        Kind::Int => Value::from(0),
        _ => Value::String(String::new()),
    }
}

/// Reads the fields of `spec` from `body`; with `base` (PATCH) absent fields
/// keep their value. Returns the complete writable data.
pub fn read(fields: &[Field], body: &Value, base: Option<&Map<String, Value>>) -> Result<Map<String, Value>, ApiError> {
    let mut r = Fields::of(body, base.is_some())?;
    let mut out = base.cloned().unwrap_or_default();
    for field in fields {
        if !r.has(field.name) {
            if base.is_none() {
                // Required fields are reported by the readers below.
                if field.need == Required {
                    r.error(field.name, "required", "Dit veld is vereist.");
                }
            }
            continue;
        }
        let need = field.need;
        let value: Option<Value> = match field.kind {
            Kind::Str(max) => r.string(field.name, need, max).map(Value::String),
            Kind::Text => r.string(field.name, need, usize::MAX).map(Value::String),
            Kind::Bool => r.bool(field.name, need).map(Value::Bool),
            Kind::Date => r.string(field.name, need, 10).and_then(|s| {
                if valid_date(&s) {
                    Some(Value::String(s))
                } else {
                    r.error(field.name, "invalid", "Gebruik een datum als JJJJ-MM-DD.");
                    None
                }
            }),
            Kind::Duration => r.string(field.name, need, 50).and_then(|s| {
                if valid_duration(&s) {
                    Some(Value::String(s))
                } else {
                    r.error(field.name, "invalid", "Gebruik een duur volgens ISO 8601, bijvoorbeeld P6W of P10D.");
                    None
                }
            }),
            Kind::Url(max) => r.url(field.name, need, max).map(Value::String),
            Kind::UrlList => r.string_list(field.name, need, 1000).and_then(|items| {
                let bad: Vec<usize> = items
                    .iter()
                    .enumerate()
                    .filter(|(_, u)| !loket_core::fields::valid_url(u))
                    .map(|(i, _)| i)
                    .collect();
                for i in &bad {
                    r.error(&format!("{}.{i}", field.name), "invalid", "Voer een geldige URL in.");
                }
                bad.is_empty().then(|| Value::from(items))
            }),
            Kind::StrList(max) => r.string_list(field.name, need, max).map(Value::from),
            Kind::Choice(options) => {
                r.choice(field.name, need, |s| options.contains(&s).then(|| s.to_owned())).map(Value::String)
            }
            Kind::Vertrouwelijkheid => {
                r.choice(field.name, need, Vertrouwelijkheid::parse).map(|v| Value::String(v.as_str().into()))
            }
            Kind::Referentieproces => match body.get(field.name) {
                Some(v @ Value::Object(_)) => {
                    let mut nested = r.nested(v, field.name);
                    let value = nested.as_mut().and_then(|g| {
                        let naam = g.string("naam", Required, 80);
                        let link = g.url("link", Optional, 200);
                        naam.map(|naam| serde_json::json!({"naam": naam, "link": link.unwrap_or_default()}))
                    });
                    if let Some(g) = nested {
                        r.absorb(g);
                    }
                    value
                }
                Some(Value::Null) if need == Optional => None,
                _ => {
                    r.error(field.name, "invalid", "Verwacht een object met naam en link.");
                    None
                }
            },
            Kind::Int => match body.get(field.name) {
                Some(Value::Number(n)) if n.as_i64().is_some_and(|i| (0..=999_999).contains(&i)) => Some(Value::Number(n.clone())),
                Some(Value::Null) if need == Optional => None,
                _ => {
                    r.error(field.name, "invalid", "Verwacht een geheel getal van 0 tot 999999.");
                    None
                }
            },
            Kind::Checklist => r.array(field.name, need).map(|items| {
                let mut list = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let Some(mut g) = r.nested(item, &format!("{}.{i}", field.name)) else { continue };
                    let itemnaam = g.string("itemnaam", Required, 30);
                    let vraagstelling = g.string("vraagstelling", Required, 255);
                    let toelichting = g.string("toelichting", Optional, 1000);
                    let verplicht = g.bool("verplicht", Optional).unwrap_or(false);
                    if let (Some(n), Some(v)) = (itemnaam, vraagstelling) {
                        list.push(serde_json::json!({"itemnaam": n, "toelichting": toelichting, "vraagstelling": v, "verplicht": verplicht}));
                    }
                    r.absorb(g);
                }
                Value::Array(list)
            }),
            Kind::Specificatie => read_group(&mut r, body, field.name, need, |g| {
                let groep = g.string("groep", Optional, 32).unwrap_or_default();
                let formaat = g.choice("formaat", Required, |s| {
                    ["tekst", "getal", "datum", "datum_tijd"].contains(&s).then(|| s.to_owned())
                });
                let lengte = g.string("lengte", Required, 14);
                let kardinaliteit = g.string("kardinaliteit", Required, 3);
                let waarden = g.string_list("waardenverzameling", Optional, 100).unwrap_or_default();
                Some(serde_json::json!({"groep": groep, "formaat": formaat?, "lengte": lengte?,
                    "kardinaliteit": kardinaliteit?, "waardenverzameling": waarden}))
            }),
            Kind::Brondatum => read_group(&mut r, body, field.name, need, |g| {
                let afleidingswijze = g.choice("afleidingswijze", Required, |s| AFLEIDINGSWIJZEN.contains(&s).then(|| s.to_owned()));
                let datumkenmerk = g.string("datumkenmerk", Optional, 80).unwrap_or_default();
                let einddatum_bekend = g.bool("einddatumBekend", Optional).unwrap_or(false);
                let objecttype = g.choice("objecttype", Optional, |s| OBJECTTYPEN.contains(&s).then(|| s.to_owned())).unwrap_or_default();
                let registratie = g.string("registratie", Optional, 80).unwrap_or_default();
                let procestermijn = g.string("procestermijn", Optional, 50).filter(|p| !p.is_empty());
                if procestermijn.as_deref().is_some_and(|p| !valid_duration(p)) {
                    g.error("procestermijn", "invalid", "Gebruik een duur volgens ISO 8601, bijvoorbeeld P10Y.");
                    return None;
                }
                Some(serde_json::json!({"afleidingswijze": afleidingswijze?, "datumkenmerk": datumkenmerk,
                    "einddatumBekend": einddatum_bekend, "objecttype": objecttype, "registratie": registratie,
                    "procestermijn": procestermijn}))
            }),
            Kind::Relaties => r.array(field.name, need).map(|items| {
                let mut list = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let Some(mut g) = r.nested(item, &format!("{}.{i}", field.name)) else { continue };
                    let zaaktype = g.url("zaaktype", Required, 200);
                    let aard = g.choice("aardRelatie", Required, |s| {
                        ["vervolg", "bijdrage", "onderwerp"].contains(&s).then(|| s.to_owned())
                    });
                    let toelichting = g.string("toelichting", Optional, 255).unwrap_or_default();
                    if let (Some(z), Some(a)) = (zaaktype, aard) {
                        list.push(serde_json::json!({"zaaktype": z, "aardRelatie": a, "toelichting": toelichting}));
                    }
                    r.absorb(g);
                }
                Value::Array(list)
            }),
        };
        match value {
            Some(v) => {
                out.insert(field.name.to_owned(), v);
            }
            None => {
                // An explicit null or blank clears an optional field.
                if matches!(body.get(field.name), Some(Value::Null)) || body.get(field.name) == Some(&Value::from("")) {
                    out.remove(field.name);
                }
            }
        }
    }
    r.finish()?;
    Ok(out)
}

pub const AFLEIDINGSWIJZEN: &[&str] = &[
    "afgehandeld",
    "ander_datumkenmerk",
    "eigenschap",
    "gerelateerde_zaak",
    "hoofdzaak",
    "ingangsdatum_besluit",
    "termijn",
    "vervaldatum_besluit",
    "zaakobject",
];

pub const OBJECTTYPEN: &[&str] = &[
    "adres",
    "besluit",
    "buurt",
    "enkelvoudig_document",
    "gemeente",
    "gemeentelijke_openbare_ruimte",
    "huishouden",
    "inrichtingselement",
    "kadastrale_onroerende_zaak",
    "kunstwerkdeel",
    "maatschappelijke_activiteit",
    "medewerker",
    "natuurlijk_persoon",
    "niet_natuurlijk_persoon",
    "openbare_ruimte",
    "organisatorische_eenheid",
    "pand",
    "spoorbaandeel",
    "status",
    "terreindeel",
    "terrein_gebouwd_object",
    "vestiging",
    "waterdeel",
    "wegdeel",
    "wijk",
    "woonplaats",
    "woz_deelobject",
    "woz_object",
    "woz_waarde",
    "zakelijk_recht",
    "overige",
];

/// A nested object field read by `inner`; `None` (with errors) when invalid.
fn read_group<'a>(
    r: &mut Fields<'a>,
    body: &'a Value,
    name: &str,
    need: Need,
    inner: impl FnOnce(&mut Fields<'_>) -> Option<Value>,
) -> Option<Value> {
    match body.get(name) {
        Some(v @ Value::Object(_)) => {
            let mut g = r.nested(v, name)?;
            let out = inner(&mut g);
            let failed = g.has_errors();
            r.absorb(g);
            if failed {
                None
            } else {
                out
            }
        }
        Some(Value::Null) if need == Optional => None,
        _ => {
            r.error(name, "invalid", "Verwacht een object.");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for ok in ["P10D", "P6W", "P1Y2M3D", "PT4H", "P1DT2H30M", "P0D", "P1.5D"] {
            assert!(valid_duration(ok), "{ok}");
        }
        for bad in ["", "P", "10D", "PT", "P1D2Y", "PXD", "P1H"] {
            assert!(!valid_duration(bad), "{bad}");
        }
    }

    #[test]
    fn besluittype_fields() {
        let body = serde_json::json!({"catalogus": "x", "publicatieIndicatie": "nee", "informatieobjecttypen": [],
            "beginGeldigheid": "2019-13-01", "reactietermijn": "P2W"});
        match read(BESLUITTYPE.fields, &body, None) {
            Err(ApiError::Validation(p)) => {
                let names: Vec<_> = p.iter().map(|p| (p.name.as_str(), p.code.as_str())).collect();
                assert_eq!(names, vec![("publicatieIndicatie", "invalid"), ("beginGeldigheid", "invalid")]);
            }
            other => panic!("{other:?}"),
        }
    }
}

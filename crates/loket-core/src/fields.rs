//! Reads a JSON request body field by field into typed values, collecting one
//! [`InvalidParam`] per problem with the field's (dotted) name.
//!
//! Components build their request types with it, so a wrong type, a missing
//! field or a too-long string always gives a `ValidatieFout` naming the field.
//! In `partial` mode (PATCH) absent fields are not required.

use crate::error::{ApiError, InvalidParam, NON_FIELD};
use serde_json::{Map, Value};

pub struct Fields<'a> {
    obj: &'a Map<String, Value>,
    prefix: String,
    partial: bool,
    errors: Vec<InvalidParam>,
}

/// Whether a field must be present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
}
pub use Need::{Optional, Required};

impl<'a> Fields<'a> {
    /// The body must be a JSON object.
    pub fn of(body: &'a Value, partial: bool) -> Result<Self, ApiError> {
        match body {
            Value::Object(obj) => Ok(Self { obj, prefix: String::new(), partial, errors: vec![] }),
            _ => Err(ApiError::field(NON_FIELD, "invalid", "Verwacht een JSON-object.")),
        }
    }

    /// Reads a nested object (e.g. an item of a list) under `prefix`; `None`
    /// (with an error recorded) when it is not an object.
    pub fn nested(&mut self, value: &'a Value, prefix: &str) -> Option<Fields<'a>> {
        let name = self.name(prefix);
        match value {
            Value::Object(obj) => Some(Fields { obj, prefix: format!("{name}."), partial: false, errors: vec![] }),
            _ => {
                self.errors.push(InvalidParam::new(name, "invalid", "Verwacht een JSON-object."));
                None
            }
        }
    }

    /// Takes over the errors of a nested reader.
    pub fn absorb(&mut self, child: Fields<'_>) {
        self.errors.extend(child.errors);
    }

    pub fn name(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    pub fn error(&mut self, key: &str, code: &str, reason: impl Into<String>) {
        let name = if key == NON_FIELD { key.to_owned() } else { self.name(key) };
        self.errors.push(InvalidParam::new(name, code, reason));
    }

    pub fn has(&self, key: &str) -> bool {
        self.obj.contains_key(key)
    }

    pub fn is_partial(&self) -> bool {
        self.partial
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The raw value, after the presence rules.
    fn present(&mut self, key: &str, need: Need) -> Option<&'a Value> {
        match self.obj.get(key) {
            None => {
                if need == Required && !self.partial {
                    self.error(key, "required", "Dit veld is vereist.");
                }
                None
            }
            Some(Value::Null) => {
                if need == Required {
                    self.error(key, "null", "Dit veld mag niet leeg (null) zijn.");
                }
                None
            }
            Some(v) => Some(v),
        }
    }

    /// A string of at most `max` characters; required strings may not be blank.
    pub fn string(&mut self, key: &str, need: Need, max: usize) -> Option<String> {
        let v = self.present(key, need)?;
        let Some(s) = v.as_str() else {
            self.error(key, "invalid", "Verwacht een tekst (string).");
            return None;
        };
        if s.chars().count() > max {
            self.error(key, "max_length", format!("Gebruik maximaal {max} tekens."));
            return None;
        }
        if s.is_empty() && need == Required {
            self.error(key, "blank", "Dit veld mag niet leeg zijn.");
            return None;
        }
        Some(s.to_owned())
    }

    /// Like [`Fields::string`], but an empty string counts as absent.
    pub fn string_or_blank(&mut self, key: &str, max: usize) -> Option<String> {
        self.string(key, Optional, max).filter(|s| !s.is_empty())
    }

    /// An absolute http(s) URL of at most `max` characters; empty counts as absent.
    pub fn url(&mut self, key: &str, need: Need, max: usize) -> Option<String> {
        let s = if need == Required { self.string(key, need, max)? } else { self.string_or_blank(key, max)? };
        if valid_url(&s) {
            Some(s)
        } else {
            self.error(key, "invalid", "Voer een geldige URL in.");
            None
        }
    }

    pub fn bool(&mut self, key: &str, need: Need) -> Option<bool> {
        let v = self.present(key, need)?;
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                self.error(key, "invalid", "Verwacht true of false.");
                None
            }
        }
    }

    /// A JSON array.
    pub fn array(&mut self, key: &str, need: Need) -> Option<&'a Vec<Value>> {
        let v = self.present(key, need)?;
        match v.as_array() {
            Some(a) => Some(a),
            None => {
                self.error(key, "not_a_list", "Verwacht een lijst (array).");
                None
            }
        }
    }

    /// A list of non-empty strings of at most `max` characters each.
    pub fn string_list(&mut self, key: &str, need: Need, max: usize) -> Option<Vec<String>> {
        let items = self.array(key, need)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(s) if !s.is_empty() && s.chars().count() <= max => out.push(s.to_owned()),
                Some("") => self.error(&format!("{key}.{i}"), "blank", "Dit veld mag niet leeg zijn."),
                Some(_) => self.error(&format!("{key}.{i}"), "max_length", format!("Gebruik maximaal {max} tekens.")),
                None => self.error(&format!("{key}.{i}"), "invalid", "Verwacht een tekst (string)."),
            }
        }
        (out.len() == items.len()).then_some(out)
    }

    /// A JSON object whose values are strings (e.g. `kenmerken`, `filters`).
    pub fn string_map(&mut self, key: &str, need: Need, max: usize) -> Option<Vec<(String, String)>> {
        let v = self.present(key, need)?;
        let Some(map) = v.as_object() else {
            self.error(key, "invalid", "Verwacht een JSON-object.");
            return None;
        };
        let mut out = Vec::with_capacity(map.len());
        for (k, v) in map {
            match v.as_str() {
                Some(s) if s.chars().count() <= max => out.push((k.clone(), s.to_owned())),
                Some(_) => self.error(&format!("{key}.{k}"), "max_length", format!("Gebruik maximaal {max} tekens.")),
                None => self.error(&format!("{key}.{k}"), "invalid", "Verwacht een tekst (string)."),
            }
        }
        (out.len() == map.len()).then_some(out)
    }

    /// One of a fixed set of values; empty counts as absent.
    pub fn choice<T>(&mut self, key: &str, need: Need, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        let s = self.string_or_blank(key, 1000);
        let Some(s) = s else {
            if need == Required && !self.partial && !self.errors.iter().any(|e| e.name == self.name(key)) {
                self.error(key, "required", "Dit veld is vereist.");
            }
            return None;
        };
        let parsed = parse(&s);
        if parsed.is_none() {
            self.error(key, "invalid_choice", format!("\"{s}\" is geen geldige keuze."));
        }
        parsed
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}

/// An absolute http or https URL with a host.
pub fn valid_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(r: Result<(), ApiError>) -> Vec<(String, String)> {
        match r {
            Err(ApiError::Validation(p)) => p.into_iter().map(|p| (p.name, p.code)).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn reports_each_field() {
        let body = json!({"label": 5, "clientIds": ["a", ""], "url": "not a url", "long": "abcdef"});
        let mut f = Fields::of(&body, false).unwrap_or_else(|_| unreachable!());
        assert_eq!(f.string("label", Required, 10), None);
        assert_eq!(f.string("missing", Required, 10), None);
        assert_eq!(f.string_list("clientIds", Required, 50), None);
        assert_eq!(f.url("url", Required, 100), None);
        assert_eq!(f.string("long", Optional, 3), None);
        let e = errors(f.finish());
        assert_eq!(
            e,
            vec![
                ("label".into(), "invalid".into()),
                ("missing".into(), "required".into()),
                ("clientIds.1".into(), "blank".into()),
                ("url".into(), "invalid".into()),
                ("long".into(), "max_length".into()),
            ]
        );
    }

    #[test]
    fn partial_mode_does_not_require() {
        let body = json!({});
        let mut f = Fields::of(&body, true).unwrap_or_else(|_| unreachable!());
        assert_eq!(f.string("label", Required, 10), None);
        assert!(f.finish().is_ok());
    }

    #[test]
    fn url_rules() {
        assert!(valid_url("https://example.com/a"));
        assert!(!valid_url("ftp://example.com"));
        assert!(!valid_url("/relative"));
    }
}

//! Validation of references to the Selectielijst / referentielijsten API:
//! the URL must belong to a configured service, answer, and be the right
//! kind of resource.

use loket_core::external::FetchError;
use loket_core::InvalidParam;
use loket_store::Ctx;
use serde_json::Value;

/// The kinds of referentielijsten resources Loket refers to.
#[derive(Clone, Copy)]
pub enum RefKind {
    Procestype,
    Resultaat,
    Resultaattypeomschrijving,
}

impl RefKind {
    fn matches(self, v: &Value) -> bool {
        let has = |k: &str| v.get(k).is_some();
        match self {
            RefKind::Procestype => has("nummer") && has("jaar") && has("naam"),
            RefKind::Resultaat => has("procesType") && has("procestermijn") && has("waardering"),
            RefKind::Resultaattypeomschrijving => has("omschrijving") && has("definitie") && !has("procesType"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            RefKind::Procestype => "procestype",
            RefKind::Resultaat => "resultaat (selectielijstklasse)",
            RefKind::Resultaattypeomschrijving => "resultaattypeomschrijving",
        }
    }
}

/// Fetches `url` and checks its kind; a field error otherwise.
pub async fn fetch(ctx: &Ctx, field: &str, url: &str, kind: RefKind) -> Result<Value, InvalidParam> {
    match ctx.fetch.fetch(url).await {
        Ok(v) if kind.matches(&v) => Ok(v),
        Ok(_) => {
            Err(InvalidParam::new(field, "invalid-resource", format!("De URL wijst niet naar een {}.", kind.name())))
        }
        Err(FetchError::NotAllowed) => Err(InvalidParam::new(
            field,
            "bad-url",
            format!(
                "De URL hoort niet bij een geconfigureerde dienst; Loket gebruikt {}.",
                ctx.fetch.referentielijsten()
            ),
        )),
        Err(e) => Err(InvalidParam::new(field, "bad-url", e.to_string())),
    }
}

//! A notification (the NRC `Message`): what a component publishes about a change.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub kanaal: String,
    pub hoofd_object: String,
    pub resource: String,
    pub resource_url: String,
    pub actie: String,
    /// RFC 3339 date-time of the change.
    pub aanmaakdatum: String,
    #[serde(default)]
    pub kenmerken: BTreeMap<String, String>,
}

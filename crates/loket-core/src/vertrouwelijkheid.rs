//! Vertrouwelijkheidaanduiding: the eight confidentiality levels, ordered.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vertrouwelijkheid {
    Openbaar,
    BeperktOpenbaar,
    Intern,
    Zaakvertrouwelijk,
    Vertrouwelijk,
    Confidentieel,
    Geheim,
    ZeerGeheim,
}

impl Vertrouwelijkheid {
    pub const ALL: [Vertrouwelijkheid; 8] = [
        Self::Openbaar,
        Self::BeperktOpenbaar,
        Self::Intern,
        Self::Zaakvertrouwelijk,
        Self::Vertrouwelijk,
        Self::Confidentieel,
        Self::Geheim,
        Self::ZeerGeheim,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Openbaar => "openbaar",
            Self::BeperktOpenbaar => "beperkt_openbaar",
            Self::Intern => "intern",
            Self::Zaakvertrouwelijk => "zaakvertrouwelijk",
            Self::Vertrouwelijk => "vertrouwelijk",
            Self::Confidentieel => "confidentieel",
            Self::Geheim => "geheim",
            Self::ZeerGeheim => "zeer_geheim",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Vertrouwelijkheid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_follows_the_standard() {
        assert!(Vertrouwelijkheid::Openbaar < Vertrouwelijkheid::ZeerGeheim);
        assert!(Vertrouwelijkheid::Intern < Vertrouwelijkheid::Zaakvertrouwelijk);
        for v in Vertrouwelijkheid::ALL {
            assert_eq!(Vertrouwelijkheid::parse(v.as_str()), Some(v));
        }
        assert_eq!(Vertrouwelijkheid::parse("Openbaar"), None);
    }
}

//! What a scenario's tags say: how binding it is (`@mandatory`, `@recommended`, `@strict`),
//! which digest sections it checks (`@spec-5.5`), which catalogued requirements it proves
//! (`@req-BANK-EO-ENDPOINT`), and whether it needs the fixture pack (`@data-exact`).

use crate::rules::Level;
use serde::Serialize;

/// Why a scenario's tags are unusable (every scenario must say how binding it is).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetaError {
    /// No level tag, or more than one.
    #[error("scenario {scenario:?} needs exactly one of @mandatory, @recommended, @strict (has {found})")]
    Level {
        /// The scenario.
        scenario: String,
        /// How many level tags it has.
        found: usize,
    },
    /// A `@req-` tag names no catalogued requirement.
    #[error("scenario {scenario:?} names unknown requirement {id}")]
    UnknownRequirement {
        /// The scenario.
        scenario: String,
        /// The ID.
        id: String,
    },
}

/// The meaning of one scenario's tags (feature tags included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioMeta {
    /// How binding the scenario is.
    pub level: Level,
    /// Digest sections it checks, e.g. `5.5`.
    pub sections: Vec<String>,
    /// Requirement IDs it proves.
    pub requirements: Vec<String>,
    /// It compares served data with the fixture pack and is skipped without one.
    pub data_exact: bool,
    /// Every tag, without `@`.
    pub tags: Vec<String>,
}

impl ScenarioMeta {
    /// Reads the tags (with or without a leading `@`) of `scenario`.
    pub fn from_tags<'a>(
        scenario: &str,
        tags: impl IntoIterator<Item = &'a String>,
    ) -> Result<Self, MetaError> {
        let tags: Vec<String> = tags
            .into_iter()
            .map(|t| t.trim_start_matches('@').to_owned())
            .collect();
        let levels: Vec<Level> = tags
            .iter()
            .filter_map(|t| match t.as_str() {
                "mandatory" => Some(Level::Mandatory),
                "recommended" => Some(Level::Recommended),
                "strict" => Some(Level::Strict),
                _ => None,
            })
            .collect();
        let [level] = levels[..] else {
            return Err(MetaError::Level {
                scenario: scenario.to_owned(),
                found: levels.len(),
            });
        };
        let mut requirements = Vec::new();
        for id in tags.iter().filter_map(|t| t.strip_prefix("req-")) {
            if crate::rules::find(id).is_none() {
                return Err(MetaError::UnknownRequirement {
                    scenario: scenario.to_owned(),
                    id: id.to_owned(),
                });
            }
            requirements.push(id.to_owned());
        }
        Ok(Self {
            level,
            sections: tags
                .iter()
                .filter_map(|t| t.strip_prefix("spec-"))
                .map(str::to_owned)
                .collect(),
            requirements,
            data_exact: tags.iter().any(|t| t == "data-exact"),
            tags,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn reads_level_sections_and_requirements() {
        let meta = ScenarioMeta::from_tags(
            "s",
            &tags(&[
                "@mandatory",
                "@spec-5.6",
                "@req-BANK-EO-ENDPOINT",
                "@data-exact",
            ]),
        )
        .expect("valid");
        assert_eq!(meta.level, Level::Mandatory);
        assert_eq!(meta.sections, ["5.6"]);
        assert_eq!(meta.requirements, [crate::rules::Rule::BankEoEndpoint.id()]);
        assert!(meta.data_exact);
    }

    #[test]
    fn rejects_missing_or_double_levels_and_unknown_requirements() {
        assert!(matches!(
            ScenarioMeta::from_tags("s", &tags(&["@spec-1"])),
            Err(MetaError::Level { found: 0, .. })
        ));
        assert!(matches!(
            ScenarioMeta::from_tags("s", &tags(&["@mandatory", "@recommended"])),
            Err(MetaError::Level { found: 2, .. })
        ));
        assert!(matches!(
            ScenarioMeta::from_tags("s", &tags(&["@mandatory", "@req-NOPE"])),
            Err(MetaError::UnknownRequirement { .. })
        ));
    }
}

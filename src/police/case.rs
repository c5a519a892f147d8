//! One police case: who, which period, on what legal basis, under which extradition order
//! (digest 4, 5). This is also the environment contract between the police suite and a police
//! implementation under test (`DSOP_*` variables, `docs/police-vendors.md`).

use crate::domain::mandate::LegalMandate;
use crate::domain::order::ExtraditionOrderPayload;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// Why a case could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// A variable or field is missing.
    #[error("{name} is not set")]
    Missing {
        /// The variable or field.
        name: &'static str,
    },
    /// A value is malformed.
    #[error("{name} = {value:?}: {reason}")]
    Invalid {
        /// The variable or field.
        name: &'static str,
        /// What it held.
        value: String,
        /// Why it is wrong.
        reason: String,
    },
}

/// The inputs of one case. Environment names in brackets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseInput {
    /// The control object's FNR, D-number or organisation number (`DSOP_PARTY_ID`).
    pub party_id: String,
    /// Start of the period, `YYYY-MM-DD` (`DSOP_FROM_DATE`).
    pub from_date: String,
    /// End of the period (`DSOP_TO_DATE`).
    pub to_date: String,
    /// The plain mandate text (`DSOP_LEGAL_MANDATE`).
    pub legal_mandate: String,
    /// Whether only owned accounts are asked for (`DSOP_ONLY_PRIMARY_OWNER`).
    pub only_primary_owner: bool,
    /// AccountInfoRequestID, equal to the order's caseID (`DSOP_CASE_ID`).
    pub case_id: String,
    /// The case handler's pseudonymised user ID (`DSOP_REQUESTER_ID`).
    pub requester_id: String,
    /// The extradition order, JWS compact (`DSOP_EXTRADITION_ORDER`).
    pub extradition_order: String,
    /// Ask banks for plain JSON (the test-mode allowance) instead of JWE (`DSOP_PLAIN_JSON=1`).
    #[serde(default)]
    pub plain_json: bool,
    /// Direct-call mode (digest 1.2: police integration tests skip step 1): the organisation
    /// numbers of the banks to call without asking the registry (`DSOP_DIRECT_BANKS`,
    /// comma-separated). Empty: the registry decides.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub direct_banks: Vec<String>,
}

impl CaseInput {
    /// Reads the case from `DSOP_*` variables through `get` (e.g. `std::env::var`).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Self, CaseError> {
        let need = |name: &'static str| {
            get(name)
                .filter(|v| !v.is_empty())
                .ok_or(CaseError::Missing { name })
        };
        let flag = |name: &'static str| -> Result<bool, CaseError> {
            match get(name).as_deref().map(str::to_ascii_lowercase).as_deref() {
                None | Some("") | Some("0") | Some("false") => Ok(false),
                Some("1") | Some("true") => Ok(true),
                Some(other) => Err(CaseError::Invalid {
                    name,
                    value: other.to_owned(),
                    reason: "expected true/false or 1/0".into(),
                }),
            }
        };
        Ok(Self {
            party_id: need("DSOP_PARTY_ID")?,
            from_date: need("DSOP_FROM_DATE")?,
            to_date: need("DSOP_TO_DATE")?,
            legal_mandate: need("DSOP_LEGAL_MANDATE")?,
            only_primary_owner: flag("DSOP_ONLY_PRIMARY_OWNER")?,
            case_id: need("DSOP_CASE_ID")?,
            requester_id: need("DSOP_REQUESTER_ID")?,
            extradition_order: need("DSOP_EXTRADITION_ORDER")?,
            plain_json: flag("DSOP_PLAIN_JSON")?,
            direct_banks: get("DSOP_DIRECT_BANKS")
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }

    /// The mandate, parsed (plain text, digest 4.1).
    pub fn mandate(&self) -> Result<LegalMandate, CaseError> {
        LegalMandate::parse_plain(&self.legal_mandate).map_err(|e| CaseError::Invalid {
            name: "DSOP_LEGAL_MANDATE",
            value: self.legal_mandate.clone(),
            reason: e.to_string(),
        })
    }

    /// The order's payload, decoded without verification: the police trust their own order and
    /// need its endpoint flags (digest 5.3) to know which calls they may make.
    pub fn order_payload(&self) -> Result<ExtraditionOrderPayload, CaseError> {
        let invalid = |reason: String| CaseError::Invalid {
            name: "DSOP_EXTRADITION_ORDER",
            value: crate::redact::mask("extradition-order", &self.extradition_order),
            reason,
        };
        let payload = self
            .extradition_order
            .split('.')
            .nth(1)
            .ok_or_else(|| invalid("not a JWS compact string".into()))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|e| invalid(format!("payload is not base64url: {e}")))?;
        serde_json::from_slice(&bytes).map_err(|e| invalid(format!("payload: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn reads_the_environment_contract() {
        let vars: HashMap<&str, &str> = [
            ("DSOP_PARTY_ID", "915429785"),
            ("DSOP_FROM_DATE", "2024-01-01"),
            ("DSOP_TO_DATE", "2024-12-31"),
            ("DSOP_LEGAL_MANDATE", LegalMandate::MissingPerson.plain()),
            ("DSOP_ONLY_PRIMARY_OWNER", "TRUE"),
            ("DSOP_CASE_ID", "81e97495-38c6-42dd-92a7-73654c48f0ac"),
            ("DSOP_REQUESTER_ID", "pseudo-1"),
            ("DSOP_EXTRADITION_ORDER", "a.b.c"),
        ]
        .into_iter()
        .collect();
        let case = CaseInput::from_vars(|k| vars.get(k).map(|v| (*v).to_owned())).expect("case");
        assert!(case.only_primary_owner && !case.plain_json);
        assert!(case.direct_banks.is_empty());
        assert_eq!(
            case.mandate().expect("mandate"),
            LegalMandate::MissingPerson
        );
        assert!(case.order_payload().is_err());
        let missing = CaseInput::from_vars(|_| None).expect_err("empty");
        assert_eq!(missing.to_string(), "DSOP_PARTY_ID is not set");
    }
}

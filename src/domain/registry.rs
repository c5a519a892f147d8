//! Step 1 messages: the customer-relationship registry *Oversikt over kundeforhold*, served by
//! Bits from KAR and KFR (digest 2).

use super::enums::OwnershipType;
use serde::{Deserialize, Serialize};

/// Response of `customerRelationships` (digest 2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRelationships {
    /// One entry per institution the customer has or had a relationship with in the period.
    pub banks: Vec<RelatedBank>,
}

/// One institution in [`CustomerRelationships`] (digest 2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelatedBank {
    /// The institution's organisation number (spelled `organizationID` in v2).
    #[serde(rename = "organizationID")]
    pub organization_id: String,
    /// The institution's name.
    pub bank_name: String,
    /// `true` only for an owner of a NICS-creditable account when `toDate` is today; always
    /// `false` for institutions answered from KFR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_account: Option<bool>,
    /// Present when the request carried `onlyPrimaryOwner`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership_type: Option<OwnershipType>,
}

/// Response of `accountServicingProvider` (digest 2.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountServicingProvider {
    /// Organisation number of the institution servicing the account.
    #[serde(rename = "organizationID")]
    pub organization_id: String,
    /// Its name.
    pub bank_name: String,
}

/// The registry's error body as of API 1.1.2 (digest 2.4; the v2 body is unknown, digest 9
/// row 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryError {
    /// `ERR-00x`.
    pub error_code: String,
    /// Readable text.
    pub error_message: String,
    /// When the error happened (RFC 3339).
    pub timestamp: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn organization_id_keeps_the_v2_spelling() {
        let body = CustomerRelationships {
            banks: vec![RelatedBank {
                organization_id: "916960190".into(),
                bank_name: "BITS AS TEST".into(),
                active_account: Some(false),
                ownership_type: Some(OwnershipType::NotPrimaryOwner),
            }],
        };
        assert_eq!(
            serde_json::to_value(&body).expect("serialise"),
            json!({"banks": [{"organizationID": "916960190", "bankName": "BITS AS TEST",
                "activeAccount": false, "ownershipType": "notPrimaryOwner"}]})
        );
    }
}

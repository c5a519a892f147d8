//! The extradition order (utleveringspålegg, EO): serde model of its JWS header (digest 5.2)
//! and payload (digest 5.3).
//!
//! Fields are plain `String`s on purpose: the harness must be able to build invalid orders, and
//! validation belongs to the verifier (`crate::trust`) and the JSON Schemas, not to the type.

use serde::{Deserialize, Serialize};

/// JWS protected header of an extradition order (digest 5.2): all three fields are mandatory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraditionOrderHeader {
    /// Signature algorithm; `PS256` is the only value the documentation gives.
    pub alg: String,
    /// Token type; `JWT`.
    pub typ: String,
    /// Identifier of the signing certificate's JWK in the police JWKS (a decimal string in the
    /// documentation's example).
    pub kid: String,
}

/// The police district the approving police lawyer belongs to (digest 5.3 `district`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    /// District ID (example `"56"`).
    #[serde(rename = "districtID")]
    pub district_id: String,
    /// District name (example `"Økokrim"`).
    #[serde(rename = "districtLabel")]
    pub district_label: String,
}

/// Who approved the order and when (digest 5.3 `approval`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// User ID of the approving police lawyer.
    #[serde(rename = "approvedByID")]
    pub approved_by_id: String,
    /// Name of the approving police lawyer.
    #[serde(rename = "approvedByName")]
    pub approved_by_name: String,
    /// Role of the approver, e.g. `Politiadvokat`.
    #[serde(rename = "approvedByRole")]
    pub approved_by_role: String,
    /// Approval time, `YYYY-MM-DDThh:mm:ssZ` (UTC).
    #[serde(rename = "approvalTimestamp")]
    pub approval_timestamp: String,
}

/// JWS payload of an extradition order (digest 5.3). Every field is mandatory; the JSON names
/// are exactly the documented ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraditionOrderPayload {
    /// Unique EO reference (UUID); the same for every request about one `partyID`.
    #[serde(rename = "extraditionOrderID")]
    pub extradition_order_id: String,
    /// EO format version, `"1.0.0"`.
    pub version: String,
    /// Control object: FNR, D-number or organisation number.
    #[serde(rename = "partyID")]
    pub party_id: String,
    /// Legal basis, the plain (not URL-encoded) police mandate string (digest 4.1).
    pub mandate: String,
    /// One of the two justification texts (digest 5.4).
    pub reason: String,
    /// Start of the permitted period, `YYYY-MM-DD`.
    #[serde(rename = "fromDate")]
    pub from_date: String,
    /// End of the permitted period, `YYYY-MM-DD`.
    #[serde(rename = "toDate")]
    pub to_date: String,
    /// `true`: only accounts owned by `partyID`; `false`: any role.
    #[serde(rename = "onlyPrimaryOwner")]
    pub only_primary_owner: bool,
    /// Permits the Accounts endpoint; always `true` in a valid order.
    #[serde(rename = "accountList")]
    pub account_list: bool,
    /// Permits Account details.
    #[serde(rename = "accountDetails")]
    pub account_details: bool,
    /// Permits Transactions.
    pub transactions: bool,
    /// Permits Cards.
    pub cards: bool,
    /// Permits Roles.
    pub roles: bool,
    /// Police district of the approver.
    pub district: District,
    /// Approver and approval time.
    pub approval: Approval,
    /// Police case number (UUID).
    #[serde(rename = "caseID")]
    pub case_id: String,
    /// Expiry, NumericDate (integer seconds since the epoch).
    pub exp: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_payload_example_round_trips_with_the_documented_names() {
        let example: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/schemas/examples/5.3__extradition-order-payload.json"
        ))
        .expect("the 5.3 example is JSON");
        let payload: ExtraditionOrderPayload =
            serde_json::from_value(example.clone()).expect("example parses");
        assert_eq!(payload.district.district_id, "56");
        assert_eq!(serde_json::to_value(&payload).expect("serialises"), example);
    }
}

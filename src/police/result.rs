//! The case result a police implementation writes to `DSOP_OUTPUT` (schema `case-result`):
//! per bank its identity, how the bank answered, and everything retrieved per account.

use crate::domain::control::{Account, AccountDetail, AccountRole, PaymentCard, Transaction};
use serde::{Deserialize, Serialize};

/// Format tag of a case result.
pub(crate) const CASE_RESULT_FORMAT: &str = "dsop-harness/case-result@1";

/// How a bank's part of the case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BankStatus {
    /// Everything was retrieved and the bank said `complete` everywhere.
    Complete,
    /// The bank said `partial` somewhere (its message is kept), or some 2b data could not be
    /// retrieved; what was retrieved is kept.
    Partial,
    /// The account list could not be retrieved; `message` says why.
    Failed,
}

/// The whole case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseResult {
    /// Always `CASE_RESULT_FORMAT`.
    pub format: String,
    /// AccountInfoRequestID / the order's caseID.
    pub case_id: String,
    /// The control object.
    pub party_id: String,
    /// Period asked for.
    pub from_date: String,
    /// Period asked for.
    pub to_date: String,
    /// One entry per bank contacted, in the registry's order.
    pub banks: Vec<BankResult>,
}

/// One bank's part of the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BankResult {
    /// The bank's organisation number.
    pub org_number: String,
    /// Its name (from the registry).
    pub name: String,
    /// How it ended.
    pub status: BankStatus,
    /// The bank's `partial` messages, or why it failed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
    /// The accounts listed, with what was retrieved for each.
    #[serde(default)]
    pub accounts: Vec<AccountResult>,
}

/// One listed account and what was retrieved about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountResult {
    /// The account as the list returned it.
    pub account: Account,
    /// The bank will not deliver data for it (`accountReference = dataNotDelivered`, digest 4.7).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub data_not_delivered: bool,
    /// Account details, when the order allows them and the call succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<AccountDetail>,
    /// Every transaction over all pages, when allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transactions: Option<Vec<Transaction>>,
    /// Cards, when allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cards: Option<Vec<PaymentCard>>,
    /// Roles, when allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<AccountRole>>,
    /// Calls for this account that failed, with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

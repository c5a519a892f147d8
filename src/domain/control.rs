//! The DSOP Control API v2 messages served by each bank (digest 3.3): the five response root
//! objects, their shared component types, and the error body.
//!
//! Tolerant reader (digest 0.3, 7.3, 7.7): fields the documents mark D (deliver when data
//! exists) are `Option`s that accept both an absent key and JSON `null`; unknown fields are
//! ignored. Strictness — which fields must be present, value formats, the police profile — is
//! the job of the JSON Schemas (`crate::schema`), which every message passes before it is
//! deserialised into these types. Date-times stay strings because DSOP allows forms that are
//! not RFC 3339 (digest 3.4.6); see `crate::domain::dates::parse_dsop_date_time`.

use super::enums::{
    AccountStatus, AccountType, BalanceType, CardStatus, CardType, CounterPartyType,
    CreditDebitIndicator, IdentifierType, Permission, PostalAddressType, ReferenceType,
    ResponseStatus, TransactionDomain, TransactionFamily, TransactionStatus, TransactionSubFamily,
};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

/// Deserialises an array that may be absent or `null` (digest 7.3) into a `Vec`.
fn nullable_vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// `responseDetails` (digest 3.4.1, 7.5): `partial` means data exists that the API did not
/// return; it is not a paging signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseDetails {
    /// `complete` or `partial`.
    pub status: ResponseStatus,
    /// Why the response is partial (1–500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl ResponseDetails {
    /// `{"status": "complete"}`.
    pub fn complete() -> Self {
        Self {
            status: ResponseStatus::Complete,
            message: None,
        }
    }

    /// `{"status": "partial", "message": ...}`.
    pub fn partial(message: impl Into<String>) -> Self {
        Self {
            status: ResponseStatus::Partial,
            message: Some(message.into()),
        }
    }
}

/// `Identifier` (digest 3.3, 3.4.5): an organisation number or a person number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identifier {
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_of_residence: Option<String>,
    /// FNR, D-number or organisation number.
    pub value: String,
    /// Which of the two the value is.
    #[serde(rename = "type")]
    pub kind: IdentifierType,
}

/// `FinancialInstitution`: the servicer of an account (digest 3.3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FinancialInstitution {
    /// The institution's organisation number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
    /// Its name (police: delivered in Accounts, not in Account details — digest 3.6 row 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `AccountRole`: a party's rights on an account, with the latest period it held them
/// (digest 3.4.5). Used for `primaryOwner` and for every item of `roles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountRole {
    /// What the party may do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<Permission>,
    /// Who the party is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
    /// The party's name in the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When the party got the role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// When the party lost the role; absent while it still holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
}

/// A relative paging link (digest 7.4): `next` absent on the last page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// `next`, `self`, `prev` or `last`.
    pub rel: String,
    /// Relative URL.
    pub href: String,
}

/// One item of `accounts` (digest 3.3.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// `enabled`, `disabled` or `deleted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AccountStatus>,
    /// The bank servicing the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub servicer: Option<FinancialInstitution>,
    /// The account number.
    pub account_identifier: String,
    /// Opaque reference for the 2b endpoints, or `dataNotDelivered` (digest 3.4.3, 4.7).
    pub account_reference: String,
    /// One of the 11 account types.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AccountType>,
    /// ISO 4217 currency code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The owner as of the period's `toDate` (digest 3.4.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_owner: Option<AccountRole>,
    /// Account name: "not delivered" to the police (digest 3.6 row 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Root object of `GET /accounts` (digest 3.3.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accounts {
    /// Completeness of the answer.
    pub response_details: ResponseDetails,
    /// The accounts; empty for a shielded person (digest 1.3).
    #[serde(default, deserialize_with = "nullable_vec")]
    pub accounts: Vec<Account>,
    /// Paging links.
    #[serde(
        default,
        deserialize_with = "nullable_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub links: Vec<Link>,
}

/// One balance of an account (digest 3.4.7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Balance {
    /// Whether the credit line is included in `amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_line_included: Option<bool>,
    /// Always non-negative; the sign is `credit_debit_indicator`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// `credit` for a positive balance, `debit` for a negative one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_debit_indicator: Option<CreditDebitIndicator>,
    /// When the balance was registered (DSOP date-time, digest 3.4.6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered: Option<String>,
    /// `availableBalance` or `bookedBalance`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<BalanceType>,
    /// Granted credit line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_line_amount: Option<f64>,
    /// Currency of the credit line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_line_currency: Option<String>,
    /// Currency of `amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// `account` of Account details (digest 3.3.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDetail {
    /// `enabled`, `disabled` or `deleted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AccountStatus>,
    /// The bank servicing the account (police: without `name`, digest 3.6 row 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub servicer: Option<FinancialInstitution>,
    /// The account number.
    pub account_identifier: String,
    /// The reference the request used.
    pub account_reference: String,
    /// One of the 11 account types.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AccountType>,
    /// ISO 4217 currency code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Account name (police: may be delivered, digest 3.6 row 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Balances by the period rules (digest 3.4.7, 8); none for an account closed in the period.
    #[serde(
        default,
        deserialize_with = "nullable_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub balances: Vec<Balance>,
    /// The owner as of the period's `toDate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_owner: Option<AccountRole>,
    /// When the account was opened (latest period, digest 3.4.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// When it was closed; absent if open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
}

/// Root object of `GET /accounts/{accountReference}` (digest 3.3.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDetails {
    /// Completeness of the answer.
    pub response_details: ResponseDetails,
    /// The account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountDetail>,
}

/// A bank-created reference of a transaction (digest 3.4.10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionReference {
    /// The reference.
    pub value: String,
    /// Its kind; `otherReference` when nothing else fits.
    #[serde(rename = "type")]
    pub kind: ReferenceType,
}

/// ISO 20022 Bank Transaction Code (digest 3.4.9, 3.4.11–3.4.13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BankTransactionCode {
    /// Domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<TransactionDomain>,
    /// Family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<TransactionFamily>,
    /// Sub-family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_family: Option<TransactionSubFamily>,
    /// Bank code text when no ISO mapping is possible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_text: Option<String>,
}

/// A counterparty's postal address (digest 3.3.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostalAddress {
    /// Post code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_code: Option<String>,
    /// Kind of address.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<PostalAddressType>,
    /// Street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_name: Option<String>,
    /// Building number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_number: Option<String>,
    /// Town.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town_name: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Unstructured address lines.
    #[serde(
        default,
        deserialize_with = "nullable_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub address_lines: Vec<String>,
}

/// The party paid to or received from (digest 3.4.9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CounterParty {
    /// Counterparty account number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_identifier: Option<String>,
    /// Counterparty person or organisation number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The counterparty's role.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CounterPartyType>,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_address: Option<PostalAddress>,
}

/// Currency conversion of a transaction (digest 3.4.9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrencyExchange {
    /// Amount before conversion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_amount: Option<f64>,
    /// Currency converted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_currency: Option<String>,
    /// Currency converted to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_currency: Option<String>,
    /// Base currency of the rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_currency: Option<String>,
    /// The rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_rate: Option<f64>,
}

/// A payment card, masked 6+4 (digest 3.4.8); the item type of Cards and
/// `transactions[].paymentCard`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentCard {
    /// Masked card number, e.g. `123456XXXXXX1234`.
    pub card_identifier: String,
    /// Card holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_name: Option<String>,
    /// Valid from, `YYYY-MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// Expires, `YYYY-MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<String>,
    /// Issuer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_issuer_name: Option<String>,
    /// Credit or debit card.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CardType>,
    /// Active or blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_status: Option<CardStatus>,
    /// Reissue version `1`–`9`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_number: Option<String>,
    /// Issuer's organisation number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_issuer_identifier: Option<Identifier>,
}

/// One transaction (digest 3.3.3, 3.4.9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// Unique among the bank's transactions.
    pub transaction_identifier: String,
    /// Bank-created references.
    #[serde(
        default,
        deserialize_with = "nullable_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub references: Vec<TransactionReference>,
    /// `credit`: funds added; `debit`: funds removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_debit_indicator: Option<CreditDebitIndicator>,
    /// Correction of an earlier transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reversal_indicator: Option<bool>,
    /// `booked`, `pending` or `info`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TransactionStatus>,
    /// ISO 20022 bank transaction code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_code: Option<BankTransactionCode>,
    /// Booking date-time (often zone-less, digest 3.4.6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_date: Option<String>,
    /// Value date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<String>,
    /// Counterparties.
    #[serde(
        default,
        deserialize_with = "nullable_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub counter_parties: Vec<CounterParty>,
    /// Extra descriptive text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_info: Option<String>,
    /// Conversion, when one happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_exchange: Option<CurrencyExchange>,
    /// Where the transaction was performed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant: Option<String>,
    /// The card used, masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_card: Option<PaymentCard>,
    /// When the payer performed the transaction (DSOP date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered: Option<String>,
    /// Amount in the account's currency, non-negative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// Currency of `amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// Root object of `GET /accounts/{accountReference}/transactions` (digest 3.3.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transactions {
    /// Completeness of the answer.
    pub response_details: ResponseDetails,
    /// This page's transactions.
    #[serde(default, deserialize_with = "nullable_vec")]
    pub transactions: Vec<Transaction>,
    /// Paging links (`next` absent on the last page).
    #[serde(
        default,
        deserialize_with = "nullable_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub links: Vec<Link>,
}

/// Root object of `GET /accounts/{accountReference}/cards` (digest 3.3.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cards {
    /// Completeness of the answer.
    pub response_details: ResponseDetails,
    /// Every card linked to the account.
    #[serde(default, deserialize_with = "nullable_vec")]
    pub payment_cards: Vec<PaymentCard>,
}

/// Root object of `GET /accounts/{accountReference}/roles` (digest 3.3.5; items are
/// `AccountRole`s directly, digest 3.6 row 4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Roles {
    /// Completeness of the answer.
    pub response_details: ResponseDetails,
    /// Everyone who has or had rights on the account in the period.
    #[serde(default, deserialize_with = "nullable_vec")]
    pub roles: Vec<AccountRole>,
}

/// The error body of every non-200 Control API answer, never encrypted (digest 3.3.6, 7.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable `ACC-xxx` code.
    pub code: String,
    /// Human-readable description.
    pub message: String,
}

impl ErrorBody {
    /// An error body for `code` with `message`.
    pub fn new(code: AccCode, message: impl Into<String>) -> Self {
        Self {
            code: code.as_str().to_owned(),
            message: message.into(),
        }
    }
}

/// The documented `ACC-xxx` codes with their HTTP statuses (digest 7.6, 9 row 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccCode {
    /// 400 — bad request / invalid input.
    Acc001,
    /// 404 — not found (which of 002/003 for which case is unknown, digest 7.6).
    Acc002,
    /// 404 — not found.
    Acc003,
    /// 401 — missing or invalid authentication.
    Acc010,
    /// 403 — not authorised; police: endpoint disabled in the order (digest 5.6).
    Acc011,
    /// 405 — method not allowed (only GET, digest 7.1).
    Acc012,
    /// 406 — not acceptable.
    Acc013,
    /// 429 — too many requests.
    Acc022,
    /// 500 — internal error.
    Acc100,
    /// 500 — internal error.
    Acc500,
}

impl AccCode {
    /// The code as sent in `code`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AccCode::Acc001 => "ACC-001",
            AccCode::Acc002 => "ACC-002",
            AccCode::Acc003 => "ACC-003",
            AccCode::Acc010 => "ACC-010",
            AccCode::Acc011 => "ACC-011",
            AccCode::Acc012 => "ACC-012",
            AccCode::Acc013 => "ACC-013",
            AccCode::Acc022 => "ACC-022",
            AccCode::Acc100 => "ACC-100",
            AccCode::Acc500 => "ACC-500",
        }
    }

    /// The HTTP status (OAS2) pairs with the code.
    pub const fn http_status(self) -> u16 {
        match self {
            AccCode::Acc001 => 400,
            AccCode::Acc002 | AccCode::Acc003 => 404,
            AccCode::Acc010 => 401,
            AccCode::Acc011 => 403,
            AccCode::Acc012 => 405,
            AccCode::Acc013 => 406,
            AccCode::Acc022 => 429,
            AccCode::Acc100 | AccCode::Acc500 => 500,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn absent_and_null_optional_fields_read_the_same() {
        let absent: Accounts =
            serde_json::from_value(json!({"responseDetails": {"status": "complete"}}))
                .expect("absent");
        let null: Accounts = serde_json::from_value(json!({
            "responseDetails": {"status": "complete", "message": null},
            "accounts": null, "links": null
        }))
        .expect("null");
        assert_eq!(absent, null);
        assert!(absent.accounts.is_empty());
    }

    #[test]
    fn serialising_omits_absent_fields() {
        let body = Roles {
            response_details: ResponseDetails::complete(),
            roles: vec![],
        };
        assert_eq!(
            serde_json::to_value(&body).expect("serialise"),
            json!({"responseDetails": {"status": "complete"}, "roles": []})
        );
    }

    #[test]
    fn acc_codes_pair_with_their_statuses() {
        assert_eq!(AccCode::Acc011.http_status(), 403);
        assert_eq!(ErrorBody::new(AccCode::Acc012, "only GET").code, "ACC-012");
    }
}

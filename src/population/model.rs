//! The population data model (also the test data pack format, `schemas/population.schema.json`).
//!
//! Transactions are stored in their DSOP wire shape ([`crate::domain::control::Transaction`]),
//! so what a mock bank serves is exactly what a bank under test loaded. A file holds plain data
//! only: every transaction inline, or (a very large account) in a companion NDJSON file named
//! by `transactionsFile`. In memory, a freshly generated large account carries a
//! [`GeneratedTransactions`] recipe instead (never written: `fixtures export` expands it).

use crate::domain::control::Transaction;
use crate::domain::enums::{AccountStatus, AccountType, CardStatus, CardType, Permission};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Format tag written into every population file.
pub const POPULATION_FORMAT: &str = "dsop-harness/population@2";

/// The whole synthetic world.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Population {
    /// Always [`POPULATION_FORMAT`].
    pub format: String,
    /// The seed it was generated from (edited files keep the original seed).
    pub seed: u64,
    /// The "today" the data was generated for; periods in scenarios are chosen relative to it.
    pub reference_date: NaiveDate,
    /// Every bank (data provider).
    pub banks: Vec<Bank>,
    /// Every person (control objects, co-owners, parties with disposal rights).
    pub persons: Vec<Person>,
    /// Every company (control objects and account owners).
    pub companies: Vec<Company>,
    /// Every account at every bank.
    pub accounts: Vec<AccountRecord>,
    /// The named edge cases and where to find them (see `docs/test-data-pack.md`). Absent in
    /// hand-written files that name none.
    #[serde(default)]
    pub edge_cases: Vec<EdgeCase>,
}

/// A named, documented edge case of a population: which party, bank and account demonstrate
/// which rule. `name` is stable across seeds; the ids are those of the file at hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeCase {
    /// Stable kebab-case name, e.g. `shielded-person` (see `EdgeCaseKind`).
    pub name: String,
    /// The party (`PartyID`) to query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// The bank's organisation number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
    /// The account number involved, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_identifier: Option<String>,
    /// The account reference involved, if any (the real one, even for `dataNotDelivered`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_reference: Option<String>,
    /// The digest section(s) the case demonstrates.
    pub digest: String,
    /// What a correct bank answers.
    pub description: String,
}

/// Which register a bank reports its customer relationships to (digest 1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Register {
    /// KAR: the bank is in NICS; `activeAccount` can be true.
    Kar,
    /// KFR: outside NICS; `activeAccount` is always false.
    Kfr,
}

/// How a bank conveys accounts the control object only has disposal rights on (digest 4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DisposalAlternative {
    /// Alternative 1: owned accounts only, `partial` with a message when disposal rights exist.
    SignalOnly,
    /// Alternative 2: with `onlyPrimaryOwner=false`, owned and disposed accounts in full.
    FullData,
}

/// A data provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bank {
    /// Organisation number (mod-11).
    pub org_number: String,
    /// Name.
    pub name: String,
    /// KAR or KFR.
    pub register: Register,
    /// The 4-digit bank code its account numbers start with.
    pub bank_code: String,
    /// Disposal-rights behaviour (digest 4.6).
    pub disposal_alternative: DisposalAlternative,
}

/// A postal address (Norwegian, synthetic).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Street name.
    pub street_name: String,
    /// Building number.
    pub building_number: String,
    /// Post code (4 digits).
    pub post_code: String,
    /// Town.
    pub town_name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// A natural person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    /// Synthetic fødselsnummer or D-number (month + 80).
    pub id: String,
    /// Full name.
    pub name: String,
    /// Address.
    pub address: Address,
    /// Protected address ("strengt fortrolig"/"fortrolig"): banks answer Accounts with an empty
    /// list, `complete` (digest 1.3).
    #[serde(default)]
    pub shielded: bool,
}

/// A company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    /// Organisation number (mod-11).
    pub org_number: String,
    /// Name.
    pub name: String,
    /// Address.
    pub address: Address,
}

/// A party's relation to an account (digest 3.4.5, 4.5, 4.6, 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Relation {
    /// The (primary) owner: listed with `onlyPrimaryOwner` true and false.
    PrimaryOwner,
    /// A co-owner ("secondary owner"): listed with `onlyPrimaryOwner=false`.
    SecondaryOwner,
    /// Disposal rights only ("disposisjonsrett"): handled by the bank's disposal alternative.
    Disposal,
    /// Guarantor (kausjonist): never listed (digest 8).
    Guarantor,
    /// Co-borrower (medlåntaker): the loan is never listed (digest 8).
    CoBorrower,
}

/// One period in which a party held a relation to an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleRecord {
    /// The party's person or organisation number.
    pub party: String,
    /// The party's name.
    pub name: String,
    /// The relation.
    pub relation: Relation,
    /// What the party may do.
    pub permission: Permission,
    /// When the relation started.
    pub start_date: NaiveDate,
    /// When it ended; absent while it lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
}

/// One period in which an account was open (closed and re-opened accounts have several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenPeriod {
    /// Opened.
    pub start_date: NaiveDate,
    /// Closed; absent while open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
}

/// The account's balance at the end of a day (signed: negative means debit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BalancePoint {
    /// The day.
    pub date: NaiveDate,
    /// Booked balance at the end of that day.
    pub booked: f64,
    /// Available balance at the end of that day (booked minus reservations, plus the credit
    /// line when it is included).
    pub available: f64,
}

/// A payment card linked to an account (digest 3.3.4, 3.4.8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardRecord {
    /// Masked card number: first six and last four digits, `X` between.
    pub card_identifier: String,
    /// Holder's name.
    pub holder_name: String,
    /// Valid from, `YYYY-MM`.
    pub start_date: String,
    /// Expires, `YYYY-MM`.
    pub expiry_date: String,
    /// Issuer's name.
    pub card_issuer_name: String,
    /// Issuer's organisation number.
    pub card_issuer_org_number: String,
    /// Credit or debit.
    #[serde(rename = "type")]
    pub kind: CardType,
    /// Active or blocked.
    pub card_status: CardStatus,
    /// Reissue version `1`–`9`.
    pub version_number: String,
}

/// A recipe for a very large transaction list, expanded lazily (never held in memory).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GeneratedTransactions {
    /// How many transactions.
    pub count: u64,
    /// Seed of the per-transaction generator; transaction `i` depends only on `(seed, i)`.
    pub seed: u64,
    /// First booking date.
    pub first_date: NaiveDate,
    /// Last booking date; transactions are spread evenly and in order between the two.
    pub last_date: NaiveDate,
}

/// An account at a bank, with everything the five endpoints serve about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountRecord {
    /// Organisation number of the bank holding it.
    pub bank: String,
    /// Account number (11 digits, mod-11).
    pub account_identifier: String,
    /// The opaque reference the bank hands out (never the account number, digest 3.4.3).
    pub account_reference: String,
    /// The bank lists the account with `accountReference = dataNotDelivered` (digest 4.7).
    #[serde(default)]
    pub data_not_delivered: bool,
    /// One of the 11 types.
    #[serde(rename = "type")]
    pub kind: AccountType,
    /// ISO 4217.
    pub currency: String,
    /// Status now.
    pub status: AccountStatus,
    /// When the account was open; the last period is the one reported (digest 3.4.5).
    pub open_periods: Vec<OpenPeriod>,
    /// Every party's relation, latest period per party last.
    pub roles: Vec<RoleRecord>,
    /// Credit line granted, in the account currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_line: Option<f64>,
    /// Whether balances include the credit line (digest 3.4.7).
    #[serde(default)]
    pub credit_line_included: bool,
    /// Day-end balances, ascending by date; the balance on a day is that of the latest point
    /// on or before it.
    pub balances: Vec<BalancePoint>,
    /// Cards linked to the account.
    #[serde(default)]
    pub cards: Vec<CardRecord>,
    /// Transactions, ascending by booking date.
    #[serde(default)]
    pub transactions: Vec<Transaction>,
    /// In memory only (never in a file): a lazily expanded transaction list of a freshly
    /// generated population, in addition to `transactions`. `fixtures export` writes it out.
    #[serde(skip)]
    pub generated_transactions: Option<GeneratedTransactions>,
    /// Further transactions in a companion NDJSON file (after `transactions`, ascending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transactions_file: Option<TransactionsFile>,
}

/// A companion file with an account's transactions, one DSOP wire transaction per line,
/// ascending by booking day (`docs/test-data-pack.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionsFile {
    /// File name, relative to the pack's directory.
    pub path: String,
    /// Number of lines (transactions).
    pub count: u64,
    /// The index built when the pack was loaded ([`Population::load`]).
    #[serde(skip)]
    pub index: Option<std::sync::Arc<super::companion::TransactionIndex>>,
}

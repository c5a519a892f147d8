//! Provider-side queries: what a correct bank answers, as pure functions of (population, bank,
//! request parameters). Both the mock banks and the bank conformance suite use them as their
//! oracle; every rule cites the digest.
//!
//! Dates are compared as calendar days, both period ends inclusive (digest 3.2.1). "Today" is
//! the population's `referenceDate`: a period ending on or after it asks for current values
//! (digest 3.4.7, 7.10).
//!
//! Decisions (also in `docs/test-data-pack.md`):
//! * A value that changes over time is reported as of the period's end (digest 7.10); hence an
//!   `endDate` (owner, role, account) is delivered only when it lies on or before `toDate`.
//! * Disposal rights are signalled (alternative 1) or listed (alternative 2) only for
//!   `onlyPrimaryOwner=false`: `TRUE` asks for owned accounts only (digest 4.5), so neither
//!   alternative reports disposal rights then.
//! * Guarantors and co-borrowers hold obligations, not rights: never listed (digest 8) and
//!   not reported by Roles either.
//! * Cards returns every card linked to the account, whatever the period ("all cards linked
//!   to the account", digest 1.2).
//! * Error mapping (digest 4.7, 7.6, 9 rows 6 and 18): unknown reference → 404 `ACC-002`;
//!   `dataNotDelivered` (or the real reference of such an account) → 404 `ACC-003`; bad page
//!   cursor → 400 `ACC-001`.

use super::cards::mask_card_number;
use super::generate::{identifier_of, wire_card};
use super::lazy::{generated_transaction, index_range};
use super::model::{
    AccountRecord, Bank, DisposalAlternative, OpenPeriod, Population, Relation, RoleRecord,
};
use crate::domain::control::{
    AccCode, Account, AccountDetail, AccountDetails, AccountRole, Accounts, Balance, Cards,
    FinancialInstitution, Link, ResponseDetails, Roles, Transaction, Transactions,
};
use crate::domain::enums::{BalanceType, CreditDebitIndicator};
use crate::domain::values::Period;
use chrono::NaiveDate;

/// The literal reference of accounts whose data is not delivered (digest 4.7).
pub const DATA_NOT_DELIVERED: &str = "dataNotDelivered";
/// Default (and minimum useful) transactions page size (digest 7.4: at least 1000).
pub const DEFAULT_PAGE_SIZE: usize = 1000;
/// The query parameter carrying the bank-defined page cursor in `links[].href` (digest 7.4).
pub(crate) const PAGE_PARAMETER: &str = "page";
/// `responseDetails.message` for disposal rights signalled under alternative 1 (digest 4.6).
pub(crate) const DISPOSAL_SIGNAL_MESSAGE: &str =
    "The party has disposal rights (disposisjonsrett) on \
     accounts at this bank that are not listed; request them through another channel.";

/// Why a query has no 200 answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// The population has no bank with that organisation number.
    #[error("no bank with organisation number {bank} in the population")]
    UnknownBank {
        /// The organisation number asked for.
        bank: String,
    },
    /// The bank has no account with that reference.
    #[error("bank {bank} has no account with reference {reference:?}")]
    UnknownAccount {
        /// The bank.
        bank: String,
        /// The reference asked for.
        reference: String,
    },
    /// The account is listed as `dataNotDelivered`; the 2b endpoints do not serve it
    /// (digest 4.7).
    #[error("account reference {reference:?} is not served: the bank lists it as dataNotDelivered (digest 4.7)")]
    DataNotDelivered {
        /// The reference asked for.
        reference: String,
    },
    /// The pack's companion transaction file could not be read.
    #[error("the pack's transaction file could not be read: {message}")]
    Storage {
        /// What went wrong.
        message: String,
    },
    /// The page cursor is not one this bank hands out.
    #[error("page cursor {cursor:?} is not valid for this request (digest 7.4)")]
    InvalidCursor {
        /// The cursor received.
        cursor: String,
    },
}

impl QueryError {
    /// The `ACC-xxx` code (and so the HTTP status) a bank answers with.
    pub fn acc_code(&self) -> AccCode {
        match self {
            QueryError::UnknownBank { .. } | QueryError::UnknownAccount { .. } => AccCode::Acc002,
            QueryError::DataNotDelivered { .. } => AccCode::Acc003,
            QueryError::InvalidCursor { .. } => AccCode::Acc001,
            QueryError::Storage { .. } => AccCode::Acc100,
        }
    }
}

/// One listed account and the relation that got it listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedAccount {
    /// The account number.
    pub account_identifier: String,
    /// The account's real reference (also for `dataNotDelivered` listings).
    pub account_reference: String,
    /// The party's strongest relation in the period.
    pub relation: Relation,
}

/// The answer to `GET /accounts` with the reasons behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountsView {
    /// The wire body.
    pub body: Accounts,
    /// Why each account of `body.accounts` is listed (same order).
    pub listed: Vec<ListedAccount>,
    /// Account numbers the party has disposal rights on that alternative 1 only signals
    /// (digest 4.6).
    pub signalled: Vec<String>,
}

/// Which page of transactions to return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// The cursor from a previous `next` link; `None` for the first page.
    pub cursor: Option<String>,
    /// Items per page; 0 means [`DEFAULT_PAGE_SIZE`].
    pub size: usize,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            cursor: None,
            size: DEFAULT_PAGE_SIZE,
        }
    }
}

impl PageRequest {
    /// The first page of `size` items.
    pub fn first(size: usize) -> Self {
        Self { cursor: None, size }
    }

    /// The page starting at `cursor` (as found in a `next` link).
    pub fn at(cursor: impl Into<String>, size: usize) -> Self {
        Self {
            cursor: Some(cursor.into()),
            size,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn bank<'a>(population: &'a Population, org_number: &str) -> Result<&'a Bank, QueryError> {
    population
        .banks
        .iter()
        .find(|bank| bank.org_number == org_number)
        .ok_or_else(|| QueryError::UnknownBank {
            bank: org_number.to_owned(),
        })
}

/// The account a 2b request names (digest 3.4.3, 4.7).
pub(crate) fn find_account<'a>(
    population: &'a Population,
    bank_org: &str,
    account_reference: &str,
) -> Result<&'a AccountRecord, QueryError> {
    bank(population, bank_org)?;
    if account_reference == DATA_NOT_DELIVERED {
        return Err(QueryError::DataNotDelivered {
            reference: account_reference.to_owned(),
        });
    }
    let record = population
        .accounts
        .iter()
        .find(|a| a.bank == bank_org && a.account_reference == account_reference)
        .ok_or_else(|| QueryError::UnknownAccount {
            bank: bank_org.to_owned(),
            reference: account_reference.to_owned(),
        })?;
    if record.data_not_delivered {
        return Err(QueryError::DataNotDelivered {
            reference: account_reference.to_owned(),
        });
    }
    Ok(record)
}

/// True when `[start, end]` (open-ended when `end` is `None`) overlaps `[from, to]`.
fn overlaps(start: NaiveDate, end: Option<NaiveDate>, from: NaiveDate, to: NaiveDate) -> bool {
    start <= to && end.is_none_or(|end| end >= from)
}

fn open_on(record: &AccountRecord, day: NaiveDate) -> bool {
    record
        .open_periods
        .iter()
        .any(|p| p.start_date <= day && p.end_date.is_none_or(|end| day <= end))
}

/// True when the account was open on some day of `[from, to]`.
fn open_during(record: &AccountRecord, from: NaiveDate, to: NaiveDate) -> bool {
    from <= to
        && record
            .open_periods
            .iter()
            .any(|p| overlaps(p.start_date, p.end_date, from, to))
}

/// An end date as known at `to` (digest 7.10): delivered only when on or before it.
fn end_as_of(end: Option<NaiveDate>, to: NaiveDate) -> Option<NaiveDate> {
    end.filter(|end| *end <= to)
}

fn account_role(role: &RoleRecord, to: NaiveDate) -> AccountRole {
    AccountRole {
        permission: Some(role.permission),
        identifier: Some(identifier_of(&role.party)),
        name: Some(role.name.clone()),
        start_date: Some(role.start_date),
        end_date: end_as_of(role.end_date, to),
    }
}

/// The primary owner as of `day` (digest 3.4.5): the owner period covering it (the queried
/// party's own when ownership changed hands that day), else the latest one that started on or
/// before it, else the first.
fn primary_owner_on(
    record: &AccountRecord,
    day: NaiveDate,
    to: NaiveDate,
    queried: Option<&str>,
) -> Option<AccountRole> {
    let owners = || {
        record
            .roles
            .iter()
            .filter(|r| r.relation == Relation::PrimaryOwner)
    };
    owners()
        .filter(|r| r.start_date <= day && r.end_date.is_none_or(|end| day <= end))
        .max_by_key(|r| (Some(r.party.as_str()) == queried, r.start_date))
        .or_else(|| {
            owners()
                .filter(|r| r.start_date <= day)
                .max_by_key(|r| r.start_date)
        })
        .or_else(|| owners().min_by_key(|r| r.start_date))
        .map(|r| account_role(r, to))
}

/// The last day on or before `to` on which the account was open (or `to`).
fn last_open_day(record: &AccountRecord, to: NaiveDate) -> NaiveDate {
    record
        .open_periods
        .iter()
        .filter(|p| p.start_date <= to)
        .map(|p| p.end_date.map_or(to, |end| end.min(to)))
        .max()
        .unwrap_or(to)
}

fn servicer(bank: &Bank, with_name: bool) -> FinancialInstitution {
    FinancialInstitution {
        identifier: Some(identifier_of(&bank.org_number)),
        // Accounts: SU; Account details: UI for the police (digest 3.6 row 3).
        name: with_name.then(|| bank.name.clone()),
    }
}

/// The open period reported as the account's start/end (digest 3.4.5: the latest; here the
/// latest that began by `to`).
fn reported_period(record: &AccountRecord, to: NaiveDate) -> Option<&OpenPeriod> {
    record
        .open_periods
        .iter()
        .filter(|p| p.start_date <= to)
        .max_by_key(|p| p.start_date)
        .or_else(|| record.open_periods.first())
}

fn relation_rank(relation: Relation) -> u8 {
    match relation {
        Relation::PrimaryOwner => 4,
        Relation::SecondaryOwner => 3,
        Relation::Disposal => 2,
        Relation::Guarantor | Relation::CoBorrower => 1,
    }
}

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

/// `GET /accounts` at `bank_org` for `party` (digest 3.3.1, 4.5, 4.6, 4.7, 1.3, 8).
///
/// * Shielded person → empty list, `complete` (digest 1.3).
/// * An account is considered when one of the party's role periods overlaps the request
///   period while the account was open; the party's strongest relation decides:
///   primary owner → listed; secondary owner → listed for `onlyPrimaryOwner=false` (4.5);
///   disposal → for `onlyPrimaryOwner=false`, listed (alternative 2) or signalled with
///   `partial` + message (alternative 1), nothing for `TRUE` (4.6); guarantor / co-borrower
///   → never listed (8).
/// * A `dataNotDelivered` account is listed with that literal reference (4.7).
/// * `primaryOwner` as of `toDate`, but within the queried party's own role span (3.4.5).
pub fn accounts_for(
    population: &Population,
    bank_org: &str,
    party: &str,
    only_primary_owner: bool,
    period: Period,
) -> Result<AccountsView, QueryError> {
    accounts_view(
        population,
        bank_org,
        party,
        only_primary_owner,
        period,
        true,
    )
}

/// [`accounts_for`] as a bank that forgets shielding (digest 1.3) answers: the mock bank's
/// `list-shielded-accounts` fault profile. Never an expectation.
pub(crate) fn accounts_ignoring_shielding(
    population: &Population,
    bank_org: &str,
    party: &str,
    only_primary_owner: bool,
    period: Period,
) -> Result<AccountsView, QueryError> {
    accounts_view(
        population,
        bank_org,
        party,
        only_primary_owner,
        period,
        false,
    )
}

fn accounts_view(
    population: &Population,
    bank_org: &str,
    party: &str,
    only_primary_owner: bool,
    period: Period,
    honour_shielding: bool,
) -> Result<AccountsView, QueryError> {
    let bank = bank(population, bank_org)?;
    let (from, to) = (period.from(), period.to());
    let shielded = honour_shielding
        && population
            .persons
            .iter()
            .any(|p| p.id == party && p.shielded);
    let mut view = AccountsView {
        body: Accounts {
            response_details: ResponseDetails::complete(),
            accounts: Vec::new(),
            links: Vec::new(),
        },
        listed: Vec::new(),
        signalled: Vec::new(),
    };
    if shielded {
        return Ok(view);
    }
    for record in population.accounts.iter().filter(|a| a.bank == bank_org) {
        let relevant: Vec<&RoleRecord> = record
            .roles
            .iter()
            .filter(|r| r.party == party && overlaps(r.start_date, r.end_date, from, to))
            .filter(|r| {
                let first = r.start_date.max(from);
                let last = r.end_date.map_or(to, |end| end.min(to));
                open_during(record, first, last)
            })
            .collect();
        let Some(strongest) = relevant
            .iter()
            .map(|r| r.relation)
            .max_by_key(|r| relation_rank(*r))
        else {
            continue;
        };
        let listed = match strongest {
            Relation::PrimaryOwner => true,
            Relation::SecondaryOwner => !only_primary_owner,
            Relation::Disposal if only_primary_owner => false,
            Relation::Disposal => match bank.disposal_alternative {
                DisposalAlternative::FullData => true,
                DisposalAlternative::SignalOnly => {
                    view.signalled.push(record.account_identifier.clone());
                    false
                }
            },
            Relation::Guarantor | Relation::CoBorrower => false,
        };
        if !listed {
            continue;
        }
        // The party's own span: its latest role end in the period (none: still holds one).
        let party_until = if relevant.iter().any(|r| r.end_date.is_none_or(|e| e >= to)) {
            to
        } else {
            relevant
                .iter()
                .filter_map(|r| r.end_date)
                .max()
                .unwrap_or(to)
        };
        let owner_day = party_until.min(last_open_day(record, to));
        view.body.accounts.push(Account {
            status: Some(record.status),
            servicer: Some(servicer(bank, true)),
            account_identifier: record.account_identifier.clone(),
            account_reference: if record.data_not_delivered {
                DATA_NOT_DELIVERED.to_owned()
            } else {
                record.account_reference.clone()
            },
            kind: Some(record.kind),
            currency: Some(record.currency.clone()),
            primary_owner: primary_owner_on(record, owner_day, to, Some(party)),
            // `accounts[].name` is not delivered to the police (digest 3.6 row 1).
            name: None,
        });
        view.listed.push(ListedAccount {
            account_identifier: record.account_identifier.clone(),
            account_reference: record.account_reference.clone(),
            relation: strongest,
        });
    }
    if !view.signalled.is_empty() {
        view.body.response_details = ResponseDetails::partial(DISPOSAL_SIGNAL_MESSAGE);
    }
    Ok(view)
}

// ---------------------------------------------------------------------------------------------
// Account details
// ---------------------------------------------------------------------------------------------

/// `GET /accounts/{accountReference}` (digest 3.3.2, 3.4.5, 3.4.7, 8).
///
/// Balances: none for `accountWithoutBalance` or when the account is not open at the end of
/// the period (closed in the period → no balance, digest 8); `toDate` on or after today →
/// `availableBalance` and `bookedBalance` now; a past `toDate` → `bookedBalance` at `toDate`.
/// `startDate`/`endDate`: the latest open period (3.4.5).
pub fn account_details(
    population: &Population,
    bank_org: &str,
    account_reference: &str,
    period: Period,
) -> Result<AccountDetails, QueryError> {
    let record = find_account(population, bank_org, account_reference)?;
    let to = period.to();
    let today = population.reference_date;
    let as_of = to.min(today);
    let currency = record.currency.clone();
    let balance = |kind: BalanceType, value: f64, registered: String| Balance {
        credit_line_included: Some(record.credit_line_included),
        amount: Some(value.abs()),
        credit_debit_indicator: Some(if value < 0.0 {
            CreditDebitIndicator::Debit
        } else {
            CreditDebitIndicator::Credit
        }),
        registered: Some(registered),
        kind: Some(kind),
        credit_line_amount: record.credit_line,
        credit_line_currency: record.credit_line.map(|_| currency.clone()),
        currency: Some(currency.clone()),
    };
    let mut balances = Vec::new();
    let point = record.balances.iter().rev().find(|p| p.date <= as_of);
    if let Some(point) = point.filter(|_| open_on(record, as_of)) {
        if to >= today {
            balances.push(balance(
                BalanceType::AvailableBalance,
                point.available,
                format!("{today}T12:00:00Z"),
            ));
            balances.push(balance(
                BalanceType::BookedBalance,
                point.booked,
                format!("{today}T12:00:00Z"),
            ));
        } else {
            balances.push(balance(
                BalanceType::BookedBalance,
                point.booked,
                format!("{as_of}T23:59:59Z"),
            ));
        }
    }
    let bank = bank(population, bank_org)?;
    let reported = reported_period(record, to);
    Ok(AccountDetails {
        response_details: ResponseDetails::complete(),
        account: Some(AccountDetail {
            status: Some(record.status),
            servicer: Some(servicer(bank, false)),
            account_identifier: record.account_identifier.clone(),
            account_reference: record.account_reference.clone(),
            kind: Some(record.kind),
            currency: Some(record.currency.clone()),
            name: None,
            balances,
            primary_owner: primary_owner_on(record, last_open_day(record, to), to, None),
            start_date: reported.map(|p| p.start_date),
            end_date: reported.and_then(|p| end_as_of(p.end_date, to)),
        }),
    })
}

// ---------------------------------------------------------------------------------------------
// Transactions
// ---------------------------------------------------------------------------------------------

/// The day a transaction counts for in period filtering: its booking date, or — pending and
/// info entries without one — its `registered` date (digest 3.3.3, 8).
pub fn transaction_day(tx: &Transaction) -> Option<NaiveDate> {
    tx.booking_date
        .as_deref()
        .or(tx.registered.as_deref())
        .and_then(|value| value.get(..10))
        .and_then(|day| day.parse().ok())
}

/// How many transactions of the account fall in the period (stored and generated), O(stored).
pub fn transaction_count(record: &AccountRecord, period: Period) -> u64 {
    let stored = record
        .transactions
        .iter()
        .filter(|tx| transaction_day(tx).is_some_and(|d| period.contains_date(d)))
        .count();
    let generated = record
        .generated_transactions
        .as_ref()
        .map(|g| {
            let range = index_range(g, period.from(), period.to());
            range.end - range.start
        })
        .unwrap_or(0);
    let in_file = companion(record)
        .map(|index| index.range(period.from(), period.to()).len())
        .unwrap_or(0);
    u64::try_from(stored + in_file)
        .unwrap_or(u64::MAX)
        .saturating_add(generated)
}

/// The loaded index of the account's companion transaction file, if it has one.
fn companion(record: &AccountRecord) -> Option<&super::companion::TransactionIndex> {
    record
        .transactions_file
        .as_ref()
        .and_then(|f| f.index.as_deref())
}

/// `GET /accounts/{accountReference}/transactions` (digest 3.3.3, 7.4).
///
/// The period filter includes both ends, by booking date (by `registered` without one).
/// Order: stored transactions (ascending), then generated ones (ascending). The cursor is the
/// offset of the page's first item; a page holds `size` items (default 1000); `next` is
/// present exactly when more items follow, `self` always, `prev` after the first page.
/// Generated transactions are produced only for the page asked for.
pub fn transactions(
    population: &Population,
    bank_org: &str,
    account_reference: &str,
    period: Period,
    page: &PageRequest,
) -> Result<Transactions, QueryError> {
    let record = find_account(population, bank_org, account_reference)?;
    let size = if page.size == 0 {
        DEFAULT_PAGE_SIZE
    } else {
        page.size
    };
    let stored: Vec<&Transaction> = record
        .transactions
        .iter()
        .filter(|tx| transaction_day(tx).is_some_and(|d| period.contains_date(d)))
        .collect();
    let generated = record
        .generated_transactions
        .as_ref()
        .map(|g| (g, index_range(g, period.from(), period.to())));
    let in_file = companion(record).map(|index| (index, index.range(period.from(), period.to())));
    let file_len = in_file.as_ref().map_or(0, |(_, r)| r.len());
    let stored_len = u64::try_from(stored.len() + file_len).unwrap_or(u64::MAX);
    let total = stored_len + generated.as_ref().map_or(0, |(_, r)| r.end - r.start);
    let offset = match &page.cursor {
        None => 0,
        Some(cursor) => cursor
            .parse::<u64>()
            .ok()
            .filter(|offset| *offset == 0 || *offset < total)
            .ok_or_else(|| QueryError::InvalidCursor {
                cursor: cursor.clone(),
            })?,
    };
    let size_u64 = u64::try_from(size).unwrap_or(u64::MAX);
    let end = offset.saturating_add(size_u64).min(total);
    let mut items = Vec::with_capacity(usize::try_from(end - offset).unwrap_or(0));
    // Positions: inline transactions, then those of the companion file (one read), then
    // generated ones.
    let inline = u64::try_from(stored.len()).unwrap_or(u64::MAX);
    let to_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let (a, b) = (offset.min(inline), end.min(inline));
    if let Some(slice) = stored.get(to_usize(a)..to_usize(b)) {
        items.extend(slice.iter().map(|tx| served_transaction(tx)));
    }
    if let Some((index, range)) = &in_file {
        let (a, b) = (offset.max(inline), end.min(stored_len));
        if a < b {
            let first = range.start + to_usize(a - inline);
            let last = range.start + to_usize(b - inline);
            items.extend(
                index
                    .read(first..last)
                    .map_err(|message| QueryError::Storage { message })?
                    .iter()
                    .map(served_transaction),
            );
        }
    }
    if let Some((recipe, range)) = &generated {
        for position in offset.max(stored_len)..end {
            items.push(generated_transaction(
                record,
                recipe,
                range.start + (position - stored_len),
            ));
        }
    }
    let href = |offset: u64| {
        format!(
            "/accounts/{}/transactions?fromDate={}&toDate={}&{PAGE_PARAMETER}={offset}",
            record.account_reference,
            period.from(),
            period.to()
        )
    };
    let mut links = vec![Link {
        rel: "self".to_owned(),
        href: href(offset),
    }];
    if offset > 0 {
        links.push(Link {
            rel: "prev".to_owned(),
            href: href(offset.saturating_sub(size_u64)),
        });
    }
    if end < total {
        links.push(Link {
            rel: "next".to_owned(),
            href: href(end),
        });
    }
    Ok(Transactions {
        response_details: ResponseDetails::complete(),
        transactions: items,
        links,
    })
}

/// The cursor of a `next`/`self`/`prev` link built by [`transactions`].
pub fn cursor_of(link: &Link) -> Option<&str> {
    link.href
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix(PAGE_PARAMETER)?.strip_prefix('='))
}

// ---------------------------------------------------------------------------------------------
// Cards and roles
// ---------------------------------------------------------------------------------------------

/// A stored card as a bank serves it: the number masked (digest 3.4.8, [`mask_card_number`]).
pub(crate) fn served_card(card: &super::model::CardRecord) -> crate::domain::control::PaymentCard {
    let mut wire = wire_card(card);
    wire.card_identifier = mask_card_number(&wire.card_identifier);
    wire
}

/// A stored transaction as a bank serves it: its card number masked (digest 3.4.8).
fn served_transaction(tx: &Transaction) -> Transaction {
    let mut tx = tx.clone();
    if let Some(card) = tx.payment_card.as_mut() {
        card.card_identifier = mask_card_number(&card.card_identifier);
    }
    tx
}

/// `GET /accounts/{accountReference}/cards`: every card linked to the account, all versions
/// (digest 3.3.4, 3.4.8, 1.2).
pub fn cards(
    population: &Population,
    bank_org: &str,
    account_reference: &str,
    _period: Period,
) -> Result<Cards, QueryError> {
    let record = find_account(population, bank_org, account_reference)?;
    Ok(Cards {
        response_details: ResponseDetails::complete(),
        payment_cards: record.cards.iter().map(served_card).collect(),
    })
}

/// `GET /accounts/{accountReference}/roles` (digest 3.3.5, 3.4.5): every party with rights on
/// the account in the period, one entry per party with its latest period that overlaps the
/// request period. Guarantors and co-borrowers hold no rights and are not reported.
pub fn roles(
    population: &Population,
    bank_org: &str,
    account_reference: &str,
    period: Period,
) -> Result<Roles, QueryError> {
    let record = find_account(population, bank_org, account_reference)?;
    let (from, to) = (period.from(), period.to());
    let mut latest: Vec<&RoleRecord> = Vec::new();
    for role in record.roles.iter().filter(|r| {
        !matches!(r.relation, Relation::Guarantor | Relation::CoBorrower)
            && overlaps(r.start_date, r.end_date, from, to)
    }) {
        match latest.iter_mut().find(|r| r.party == role.party) {
            Some(existing) if existing.start_date < role.start_date => *existing = role,
            Some(_) => {}
            None => latest.push(role),
        }
    }
    Ok(Roles {
        response_details: ResponseDetails::complete(),
        roles: latest.into_iter().map(|r| account_role(r, to)).collect(),
    })
}

//! The mandatory edge cases of every generated population, by stable name.
//!
//! A generated [`Population`] records each case in `edgeCases` (party, bank, account); look
//! one up with [`Population::edge_case`]. The names never change between seeds, so tests and
//! bank vendors can rely on them (`docs/test-data-pack.md` lists them).

use super::model::{EdgeCase, Population};
use std::fmt;

macro_rules! edge_cases {
    ($($variant:ident = $name:literal, $digest:literal, $description:literal;)+) => {
        /// A named edge case (see the module documentation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EdgeCaseKind {
            $(
                #[doc = $description]
                $variant,
            )+
        }

        impl EdgeCaseKind {
            /// Every case, in documentation order.
            pub const ALL: &'static [EdgeCaseKind] = &[$(EdgeCaseKind::$variant),+];

            /// The stable kebab-case name stored in `edgeCases[].name`.
            pub const fn as_str(self) -> &'static str {
                match self { $(EdgeCaseKind::$variant => $name,)+ }
            }

            /// The digest section(s) the case demonstrates.
            pub const fn digest(self) -> &'static str {
                match self { $(EdgeCaseKind::$variant => $digest,)+ }
            }

            /// What a correct bank answers.
            pub const fn description(self) -> &'static str {
                match self { $(EdgeCaseKind::$variant => $description,)+ }
            }
        }
    };
}

edge_cases! {
    ShieldedPerson = "shielded-person", "1.3",
        "Person with a protected address who owns accounts at the bank: Accounts answers an empty list with status complete.";
    DisposalOnlySignal = "disposal-only-signal", "4.6",
        "Person with ONLY disposal rights at a bank using alternative 1 (signal only): with onlyPrimaryOwner=false, an empty list with status partial and a message.";
    DisposalOnlyFullData = "disposal-only-full-data", "4.5, 4.6",
        "Same person at a bank using alternative 2 (full data): onlyPrimaryOwner=false lists the disposed account (complete); onlyPrimaryOwner=true gives an empty list.";
    OwnerWithDisposalSignal = "owner-with-disposal-signal", "4.6",
        "Owner who also has disposal rights on another account at an alternative-1 bank: owned accounts only, status partial (onlyPrimaryOwner=false).";
    OwnerWithDisposalFullData = "owner-with-disposal-full-data", "4.6",
        "Owner who also has disposal rights on another account at an alternative-2 bank: onlyPrimaryOwner=false lists owned and disposed accounts, complete.";
    CoOwnedAccount = "co-owned-account", "4.5",
        "Joint account: the co-owner (secondary owner) sees it with onlyPrimaryOwner=false only; primaryOwner names the other owner.";
    DataNotDelivered = "data-not-delivered", "4.7",
        "Account listed with accountReference dataNotDelivered; the 2b endpoints do not serve it.";
    GuarantorOnly = "guarantor-only", "8",
        "Guarantor on a loan and nothing else at that bank: empty account list.";
    CoBorrower = "co-borrower", "8",
        "Co-borrower on a loan: the loan account is never listed (the person's own accounts are).";
    ClosedInPeriod = "closed-in-period", "8, 3.4.5",
        "Account closed about 200 days before the reference date: listed for periods covering the closing, Account details without balances, endDate set.";
    ReopenedAccount = "reopened-account", "3.4.5",
        "Account closed and re-opened: startDate/endDate and primaryOwner report the latest period.";
    RoleHistory = "role-history", "3.4.5",
        "Disposal rights lost and regained on the re-opened account: Roles reports the latest period per party.";
    OwnershipTransferred = "ownership-transferred", "3.4.5",
        "Account owned by this person until 400 days before the reference date, then by another: primaryOwner is taken within the queried party's own role span.";
    PagingAccount = "paging-account", "7.4",
        "Account with more than 1000 transactions (2 500 at the first paging bank, 1 200 at the others): Transactions pages of at least 1000 with next links, none on the last page.";
    LargeAccount = "large-account", "7.4",
        "Account with many generated transactions (1 500 at the first large-account bank, or the --large-account-transactions count, e.g. 1 000 000, written to a companion NDJSON file beyond 10 000; 1 200 at the others).";
    DNumberHolder = "d-number-holder", "3.2.1",
        "Control object identified by a synthetic D-number.";
    CurrencyExchange = "currency-exchange", "3.4.9",
        "EUR account with card purchases in other currencies: transactions carry currencyExchange.";
    CardTransactions = "card-transactions", "3.4.8, 3.4.9",
        "Account with card transactions (raw card numbers in the pack, served masked 6+4) and a card with two versions.";
    PendingTransactions = "pending-transactions", "8",
        "Account with pending transactions (no bookingDate; filtered by registered) and an info entry.";
    CompanyWithAccounts = "company-with-accounts", "3.2.1, 3.4.4",
        "Company control object (organisation number) with business, tax-deduction, client and loan accounts.";
    PeriodBoundaries = "period-boundaries", "3.2.1",
        "Account with bookings on the first and last day of every data-exact period (fromDate = reference date - 1065 days; toDate = the reference date and 90 and 200 days before it) and one day outside each end: both dates are inclusive.";
    BalanceAtPastToDate = "balance-at-past-to-date", "3.4.7, 8",
        "The period-boundaries account for a period ending 90 or 200 days before the reference date: Account details gives the booked balance at the end of toDate (bookings on toDate included), no available balance.";
    ClosedOnToDate = "closed-on-to-date", "3.4.5, 7.10",
        "Account closed exactly 200 days before the reference date: for a period ending that day it is listed with endDate = toDate.";
    RoleFromFromDate = "role-from-from-date", "3.3.5, 3.4.5",
        "A co-owner whose role starts on the data-exact fromDate (reference date - 1065 days): Roles reports it with that startDate.";
    CardFirstMonth = "card-first-month", "3.3.4, 3.4.8",
        "A card valid only in the month of the data-exact fromDate (start and expiry that month): Cards serves it with every other card linked to the account.";
}

impl fmt::Display for EdgeCaseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Population {
    /// Every recorded edge case.
    pub fn edge_cases(&self) -> &[EdgeCase] {
        &self.edge_cases
    }

    /// The first edge case named `kind`, if the population records it (a generated pack
    /// records every case at every bank; the first record is the one of the original layout
    /// over the first four banks).
    pub fn edge_case(&self, kind: EdgeCaseKind) -> Option<&EdgeCase> {
        self.edge_cases
            .iter()
            .find(|case| case.name == kind.as_str())
    }

    /// The edge case named `name` at the bank with organisation number `bank`.
    pub fn edge_case_named_at(&self, name: &str, bank: &str) -> Option<&EdgeCase> {
        self.edge_cases
            .iter()
            .find(|case| case.name == name && case.bank.as_deref() == Some(bank))
    }

    /// The edge case `kind` at the bank with organisation number `bank`.
    pub fn edge_case_at(&self, kind: EdgeCaseKind, bank: &str) -> Option<&EdgeCase> {
        self.edge_case_named_at(kind.as_str(), bank)
    }
}

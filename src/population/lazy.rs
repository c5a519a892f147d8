//! Transaction templates (ISO 20022 bank transaction codes, digest 3.4.9, 3.4.11–3.4.13) and
//! the lazy expansion of a [`GeneratedTransactions`] recipe.
//!
//! Transaction `i` of a recipe depends only on `(recipe.seed, i)`, and its booking day is
//! `first_date + ⌊i · days / count⌋` (`days` = length of the recipe's date range, both ends
//! included). The day is non-decreasing in `i`, so the indices booked inside a period form one
//! range computed arithmetically ([`index_range`]): paging a 1 000 000-transaction account
//! costs O(page) time and memory, never O(count).

use super::model::{AccountRecord, GeneratedTransactions};
use crate::domain::control::{BankTransactionCode, Transaction, TransactionReference};
use crate::domain::enums::{
    CreditDebitIndicator, ReferenceType, TransactionDomain, TransactionFamily, TransactionStatus,
    TransactionSubFamily,
};
use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::ops::Range;

/// A kind of transaction with its bank transaction code and amount range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransactionTemplate {
    Salary,
    Giro,
    DirectDebit,
    CardPurchase,
    CashWithdrawal,
    Fee,
    Interest,
    Instalment,
    Closing,
}

impl TransactionTemplate {
    /// Direction, ISO code (with the bank's code text, digest 3.4.9 examples) and amount
    /// range in øre (hundredths), low inclusive, high exclusive.
    pub(crate) fn code(self) -> (CreditDebitIndicator, BankTransactionCode, u32, u32) {
        use CreditDebitIndicator::{Credit, Debit};
        use TransactionDomain as D;
        use TransactionFamily as F;
        use TransactionSubFamily as S;
        let (indicator, domain, family, sub, text, low, high) = match self {
            Self::Salary => (
                Credit,
                D::Payments,
                F::ReceivedCreditTransfers,
                S::DomesticCreditTransfer,
                "Innbetaling",
                1_500_000,
                6_000_000,
            ),
            Self::Giro => (
                Debit,
                D::Payments,
                F::IssuedCreditTransfers,
                S::DomesticCreditTransfer,
                "Nettgiro",
                10_000,
                1_500_000,
            ),
            Self::DirectDebit => (
                Debit,
                D::Payments,
                F::IssuedDirectDebits,
                S::DirectDebitPayment,
                "Avtalegiro",
                20_000,
                500_000,
            ),
            Self::CardPurchase => (
                Debit,
                D::Payments,
                F::CustomerCardTransactions,
                S::PointOfSalePosPayment,
                "Visa Varekjøp",
                2_000,
                300_000,
            ),
            Self::CashWithdrawal => (
                Debit,
                D::Payments,
                F::CustomerCardTransactions,
                S::CashWithdrawal,
                "Kontantuttak",
                20_000,
                300_000,
            ),
            Self::Fee => (
                Debit,
                D::AccountManagement,
                F::MiscellaneousDebitOperations,
                S::ChargesGeneric,
                "Gebyr",
                500,
                10_000,
            ),
            Self::Interest => (
                Credit,
                D::AccountManagement,
                F::MiscellaneousCreditOperations,
                S::InterestsGeneric,
                "Renter",
                100,
                50_000,
            ),
            Self::Instalment => (
                Credit,
                D::Payments,
                F::ReceivedCreditTransfers,
                S::PrincipalPayment,
                "Avdrag",
                200_000,
                1_500_000,
            ),
            Self::Closing => (
                Debit,
                D::AccountManagement,
                F::OpeningAndClosing,
                S::AccountClosing,
                "Kontoavslutning",
                0,
                1,
            ),
        };
        (
            indicator,
            BankTransactionCode {
                domain: Some(domain),
                family: Some(family),
                sub_family: Some(sub),
                free_text: Some(text.to_owned()),
            },
            low,
            high,
        )
    }
}

/// Number of days the recipe's range covers, both ends included (at least 1).
fn span_days(recipe: &GeneratedTransactions) -> u64 {
    u64::try_from((recipe.last_date - recipe.first_date).num_days() + 1)
        .unwrap_or(1)
        .max(1)
}

/// Smallest index whose day offset is ≥ `offset` (`count` when none is).
fn lower_bound(recipe: &GeneratedTransactions, offset: i64) -> u64 {
    let Ok(offset) = u64::try_from(offset) else {
        return 0;
    };
    let count = u128::from(recipe.count);
    let span = u128::from(span_days(recipe));
    let index = (u128::from(offset) * count).div_ceil(span);
    u64::try_from(index.min(count)).unwrap_or(recipe.count)
}

/// The booking day of transaction `index`.
pub(crate) fn day_of(recipe: &GeneratedTransactions, index: u64) -> NaiveDate {
    let count = u128::from(recipe.count.max(1));
    let offset = u128::from(index) * u128::from(span_days(recipe)) / count;
    recipe
        .first_date
        .checked_add_days(Days::new(u64::try_from(offset).unwrap_or(0)))
        .unwrap_or(recipe.first_date)
}

/// The indices of the transactions booked from `from` to `to`, both included (digest 3.2.1:
/// both dates inclusive). O(1).
pub fn index_range(recipe: &GeneratedTransactions, from: NaiveDate, to: NaiveDate) -> Range<u64> {
    if to < from {
        return 0..0;
    }
    let start = lower_bound(recipe, (from - recipe.first_date).num_days());
    let end = lower_bound(recipe, (to - recipe.first_date).num_days() + 1);
    start..end.max(start)
}

/// Transaction `index` of `account`'s recipe, in its DSOP wire shape. Pure: the same
/// `(recipe, index)` always gives the same transaction.
pub fn generated_transaction(
    account: &AccountRecord,
    recipe: &GeneratedTransactions,
    index: u64,
) -> Transaction {
    // SplitMix-style mixing so neighbouring indices get unrelated streams.
    let mut z = recipe
        .seed
        .wrapping_add(index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    let mut rng = StdRng::seed_from_u64(z ^ (z >> 31));
    let template = match rng.random_range(0..10u8) {
        0 => TransactionTemplate::Salary,
        1..=3 => TransactionTemplate::Giro,
        4 => TransactionTemplate::DirectDebit,
        _ => TransactionTemplate::CardPurchase,
    };
    let (indicator, code, low, high) = template.code();
    let amount = f64::from(rng.random_range(low..high)) / 100.0;
    let day = day_of(recipe, index);
    let second = rng.random_range(0..86_400u32);
    Transaction {
        transaction_identifier: format!("{}-G{index:09}", account.account_identifier),
        references: vec![TransactionReference {
            value: format!("{:016}", rng.random_range(0..10_000_000_000_000_000u64)),
            kind: ReferenceType::ArchiveReference,
        }],
        credit_debit_indicator: Some(indicator),
        reversal_indicator: Some(false),
        status: Some(TransactionStatus::Booked),
        transaction_code: Some(code),
        booking_date: Some(format!("{day}T00:00:00")),
        value_date: Some(format!("{day}T00:00:00")),
        counter_parties: Vec::new(),
        additional_info: None,
        currency_exchange: None,
        merchant: (template == TransactionTemplate::CardPurchase)
            .then(|| "NETTHANDEL AS".to_owned()),
        payment_card: None,
        registered: Some(format!(
            "{day}T{:02}:{:02}:{:02}Z",
            second / 3600,
            second / 60 % 60,
            second % 60
        )),
        amount: Some(amount),
        currency: Some(account.currency.clone()),
    }
}

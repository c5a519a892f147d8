//! Every response the queries produce from the default pack validates against the
//! police-profile schemas: one test per (bank, party) over both `onlyPrimaryOwner` values and
//! two periods, and one per account over all five endpoints (every transactions page).

use crate::helpers::{check, pack, past_period, today_period, validate};
use dsop_harness::{
    query::account_details, query::accounts_for, query::cards, query::cursor_of, query::roles,
    query::transactions, query::PageRequest, query::DATA_NOT_DELIVERED, AccountRecord, MessageKind,
    Period,
};
use libtest_mimic::{Failed, Trial};

fn periods() -> [(&'static str, Period); 2] {
    [
        ("today", today_period(pack())),
        ("past", past_period(pack())),
    ]
}

fn party_trial(bank: String, party: String) -> Trial {
    Trial::test(format!("responses::accounts::{bank}::{party}"), move || {
        let p = pack();
        for (label, period) in periods() {
            for only_primary_owner in [true, false] {
                let context = format!(
                    "bank {bank}, party {party}, onlyPrimaryOwner={only_primary_owner}, period {label} {period}"
                );
                let view = accounts_for(p, &bank, &party, only_primary_owner, period)
                    .map_err(|e| Failed::from(format!("{context}: {e}")))?;
                validate(MessageKind::Accounts, &view.body, &context)?;
                check(view.listed.len() == view.body.accounts.len(), || {
                    format!("{context}: reasons and accounts differ in length")
                })?;
                for account in &view.body.accounts {
                    if account.account_reference == DATA_NOT_DELIVERED {
                        continue;
                    }
                    let details = account_details(p, &bank, &account.account_reference, period)
                        .map_err(|e| Failed::from(format!("{context}: {e}")))?;
                    validate(MessageKind::AccountDetails, &details, &context)?;
                }
            }
        }
        Ok(())
    })
}

fn account_trial(record: &AccountRecord) -> Trial {
    let bank = record.bank.clone();
    let reference = record.account_reference.clone();
    let not_delivered = record.data_not_delivered;
    Trial::test(
        format!("responses::account::{}", record.account_identifier),
        move || {
            let p = pack();
            for (label, period) in periods() {
                let context = format!("account {reference} at {bank}, period {label} {period}");
                if not_delivered {
                    check(
                        account_details(p, &bank, &reference, period).is_err(),
                        || format!("{context}: a dataNotDelivered account was served"),
                    )?;
                    continue;
                }
                let details = account_details(p, &bank, &reference, period)?;
                validate(MessageKind::AccountDetails, &details, &context)?;
                validate(
                    MessageKind::Cards,
                    &cards(p, &bank, &reference, period)?,
                    &context,
                )?;
                validate(
                    MessageKind::Roles,
                    &roles(p, &bank, &reference, period)?,
                    &context,
                )?;
                let mut page = PageRequest::default();
                let mut pages = 0;
                loop {
                    let body = transactions(p, &bank, &reference, period, &page)?;
                    validate(
                        MessageKind::Transactions,
                        &body,
                        &format!("{context}, page {pages}"),
                    )?;
                    pages += 1;
                    match body.links.iter().find(|l| l.rel == "next") {
                        Some(next) => {
                            page = PageRequest::at(cursor_of(next).unwrap_or_default(), page.size)
                        }
                        None => break,
                    }
                    check(pages < 10, || format!("{context}: more than 10 pages"))?;
                }
            }
            Ok(())
        },
    )
}

pub fn trials() -> Vec<Trial> {
    let p = pack();
    let parties: Vec<String> = p
        .persons
        .iter()
        .map(|x| x.id.clone())
        .chain(p.companies.iter().map(|c| c.org_number.clone()))
        .collect();
    let mut trials = Vec::new();
    for bank in &p.banks {
        for party in &parties {
            trials.push(party_trial(bank.org_number.clone(), party.clone()));
        }
    }
    trials.extend(p.accounts.iter().map(account_trial));
    trials
}

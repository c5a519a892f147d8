//! The query rules, one test each, named after the digest section they check.

use crate::helpers::{case, check, check_eq, days_before, pack, period, today_period};
use chrono::{Days, NaiveDate};
use dsop_harness::{
    query::account_details, query::accounts_for, query::cards, query::cursor_of, query::roles,
    query::transaction_day, query::transactions, query::AccountsView, query::PageRequest,
    query::QueryError, query::DATA_NOT_DELIVERED, query::DEFAULT_PAGE_SIZE, AccCode, AccountRecord,
    BalanceType, CardStatus, EdgeCaseKind as K, Period, Permission, Population, Relation,
    ResponseStatus, TransactionStatus, Transactions,
};
use libtest_mimic::{Failed, Trial};

fn account<'a>(p: &'a Population, identifier: &str) -> &'a AccountRecord {
    p.accounts
        .iter()
        .find(|a| a.account_identifier == identifier)
        .unwrap_or_else(|| panic!("no account {identifier}"))
}

fn edge_account(kind: K) -> &'static AccountRecord {
    let c = case(pack(), kind);
    account(pack(), c.account_identifier.as_deref().expect("account"))
}

fn view(kind: K, only_primary_owner: bool, period: Period) -> Result<AccountsView, Failed> {
    let c = case(pack(), kind);
    accounts_for(
        pack(),
        c.bank.as_deref().unwrap(),
        c.party.as_deref().unwrap(),
        only_primary_owner,
        period,
    )
    .map_err(|e| Failed::from(e.to_string()))
}

fn relations(view: &AccountsView) -> Vec<Relation> {
    view.listed.iter().map(|l| l.relation).collect()
}

fn status(view: &AccountsView) -> ResponseStatus {
    view.body.response_details.status
}

fn today() -> NaiveDate {
    pack().reference_date
}

/// Follows `next` links from the first page; returns every page.
fn all_pages(
    p: &Population,
    record: &AccountRecord,
    period: Period,
    size: usize,
) -> Result<Vec<Transactions>, Failed> {
    let mut pages = Vec::new();
    let mut page = PageRequest::first(size);
    loop {
        let body = transactions(p, &record.bank, &record.account_reference, period, &page)?;
        let next = body
            .links
            .iter()
            .find(|l| l.rel == "next")
            .and_then(|l| cursor_of(l).map(str::to_owned));
        pages.push(body);
        match next {
            Some(cursor) => page = PageRequest::at(cursor, size),
            None => return Ok(pages),
        }
        check(pages.len() < 100, || "paging does not terminate".into())?;
    }
}

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "rules::digest_1_3_shielded_person_gets_an_empty_complete_list",
            || {
                for only in [true, false] {
                    let v = view(K::ShieldedPerson, only, today_period(pack()))?;
                    check(v.body.accounts.is_empty(), || "accounts listed".into())?;
                    check_eq(status(&v), ResponseStatus::Complete, "digest 1.3: complete")?;
                }
                // The person does own accounts there: the emptiness is the rule, not the data.
                let owned = edge_account(K::ShieldedPerson);
                check(
                    owned
                        .roles
                        .iter()
                        .any(|r| Some(&r.party) == case(pack(), K::ShieldedPerson).party.as_ref()),
                    || "no owned account".into(),
                )
            },
        ),
        Trial::test(
            "rules::digest_4_5_owner_is_listed_for_both_only_primary_owner_values",
            || {
                for only in [true, false] {
                    let v = view(K::OwnershipTransferred, only, today_period(pack()))?;
                    check(
                        v.listed.iter().any(|l| {
                            l.relation == Relation::PrimaryOwner
                                && l.account_identifier
                                    == edge_account(K::OwnershipTransferred).account_identifier
                        }),
                        || format!("onlyPrimaryOwner={only}: owned account missing"),
                    )?;
                }
                Ok(())
            },
        ),
        Trial::test(
            "rules::digest_4_5_co_owner_is_listed_only_with_only_primary_owner_false",
            || {
                let joint = edge_account(K::CoOwnedAccount);
                let with_true = view(K::CoOwnedAccount, true, today_period(pack()))?;
                check(
                    !with_true
                        .listed
                        .iter()
                        .any(|l| l.account_identifier == joint.account_identifier),
                    || "listed with TRUE".into(),
                )?;
                let with_false = view(K::CoOwnedAccount, false, today_period(pack()))?;
                let position = with_false
                    .listed
                    .iter()
                    .position(|l| l.account_identifier == joint.account_identifier)
                    .ok_or("not listed with FALSE")?;
                check_eq(
                    with_false.listed[position].relation,
                    Relation::SecondaryOwner,
                    "relation",
                )?;
                let owner = with_false.body.accounts[position]
                    .primary_owner
                    .as_ref()
                    .ok_or("no primaryOwner")?;
                let primary = joint
                    .roles
                    .iter()
                    .find(|r| r.relation == Relation::PrimaryOwner)
                    .unwrap();
                check_eq(
                    owner.identifier.as_ref().map(|i| i.value.as_str()),
                    Some(primary.party.as_str()),
                    "digest 3.4.5: primaryOwner names the owner, not the co-owner",
                )
            },
        ),
        Trial::test(
            "rules::digest_4_6_alternative_1_disposal_only_gives_empty_partial_with_message",
            || {
                let v = view(K::DisposalOnlySignal, false, today_period(pack()))?;
                check(v.body.accounts.is_empty(), || {
                    format!("listed {:?}", relations(&v))
                })?;
                check_eq(
                    status(&v),
                    ResponseStatus::Partial,
                    "alternative 1: partial",
                )?;
                check(
                    v.body
                        .response_details
                        .message
                        .as_deref()
                        .is_some_and(|m| !m.is_empty()),
                    || "partial without message (digest 7.5)".into(),
                )?;
                check_eq(v.signalled.len(), 1, "one signalled account")?;
                let v = view(K::DisposalOnlySignal, true, today_period(pack()))?;
                check(v.body.accounts.is_empty(), || "listed with TRUE".into())?;
                check_eq(
                    status(&v),
                    ResponseStatus::Complete,
                    "TRUE asks for owned accounts only (digest 4.5): no signal",
                )
            },
        ),
        Trial::test(
            "rules::digest_4_6_alternative_2_disposal_only_is_listed_with_false_only",
            || {
                let v = view(K::DisposalOnlyFullData, false, today_period(pack()))?;
                check_eq(
                    relations(&v),
                    vec![Relation::Disposal],
                    "alternative 2 lists the disposed account",
                )?;
                check_eq(status(&v), ResponseStatus::Complete, "complete")?;
                let v = view(K::DisposalOnlyFullData, true, today_period(pack()))?;
                check(v.body.accounts.is_empty(), || "listed with TRUE".into())?;
                check_eq(status(&v), ResponseStatus::Complete, "complete")
            },
        ),
        Trial::test(
            "rules::digest_4_6_alternative_1_owner_with_disposal_gets_owned_accounts_and_partial",
            || {
                let v = view(K::OwnerWithDisposalSignal, false, today_period(pack()))?;
                check(
                    !v.listed.is_empty()
                        && v.listed
                            .iter()
                            .all(|l| l.relation == Relation::PrimaryOwner),
                    || format!("{:?}", relations(&v)),
                )?;
                check_eq(status(&v), ResponseStatus::Partial, "partial")?;
                check_eq(
                    v.signalled,
                    vec![edge_account(K::OwnerWithDisposalSignal)
                        .account_identifier
                        .clone()],
                    "the disposed account is signalled, not listed",
                )
            },
        ),
        Trial::test(
            "rules::digest_4_6_alternative_2_owner_with_disposal_gets_both_complete",
            || {
                let v = view(K::OwnerWithDisposalFullData, false, today_period(pack()))?;
                check(
                    v.listed.iter().any(|l| {
                        l.relation == Relation::Disposal
                            && l.account_identifier
                                == edge_account(K::OwnerWithDisposalFullData).account_identifier
                    }),
                    || "disposed account missing".into(),
                )?;
                check(
                    v.listed
                        .iter()
                        .any(|l| l.relation == Relation::PrimaryOwner),
                    || "owned account missing".into(),
                )?;
                check_eq(status(&v), ResponseStatus::Complete, "complete")?;
                let v = view(K::OwnerWithDisposalFullData, true, today_period(pack()))?;
                check(
                    v.listed
                        .iter()
                        .all(|l| l.relation == Relation::PrimaryOwner),
                    || "TRUE lists non-owned".into(),
                )
            },
        ),
        Trial::test("rules::digest_8_guarantor_gets_an_empty_list", || {
            for only in [true, false] {
                let v = view(K::GuarantorOnly, only, today_period(pack()))?;
                check(v.body.accounts.is_empty(), || {
                    format!("listed {:?}", relations(&v))
                })?;
                check_eq(status(&v), ResponseStatus::Complete, "complete")?;
            }
            Ok(())
        }),
        Trial::test("rules::digest_8_co_borrower_loan_is_never_listed", || {
            let loan = edge_account(K::CoBorrower);
            for only in [true, false] {
                let v = view(K::CoBorrower, only, today_period(pack()))?;
                check(
                    !v.listed
                        .iter()
                        .any(|l| l.account_identifier == loan.account_identifier),
                    || "loan listed".into(),
                )?;
                check(!v.listed.is_empty(), || {
                    "the co-borrower's own account is missing".into()
                })?;
            }
            let r = roles(
                pack(),
                &loan.bank,
                &loan.account_reference,
                today_period(pack()),
            )?;
            let co = case(pack(), K::CoBorrower).party.clone().unwrap();
            check(
                !r.roles
                    .iter()
                    .any(|x| x.identifier.as_ref().map(|i| &i.value) == Some(&co)),
                || "co-borrower reported by Roles".into(),
            )
        }),
        Trial::test(
            "rules::digest_4_7_data_not_delivered_is_listed_and_not_served",
            || {
                let record = edge_account(K::DataNotDelivered);
                let v = view(K::DataNotDelivered, true, today_period(pack()))?;
                let listed = v
                    .body
                    .accounts
                    .iter()
                    .find(|a| a.account_identifier == record.account_identifier)
                    .ok_or("not listed")?;
                check_eq(
                    listed.account_reference.as_str(),
                    DATA_NOT_DELIVERED,
                    "literal reference",
                )?;
                for reference in [DATA_NOT_DELIVERED, record.account_reference.as_str()] {
                    let error =
                        account_details(pack(), &record.bank, reference, today_period(pack()))
                            .unwrap_err();
                    check_eq(
                        error.acc_code(),
                        AccCode::Acc003,
                        "dataNotDelivered → 404 ACC-003",
                    )?;
                    check(
                        transactions(
                            pack(),
                            &record.bank,
                            reference,
                            today_period(pack()),
                            &PageRequest::default(),
                        )
                        .is_err(),
                        || "transactions served".into(),
                    )?;
                }
                let unknown = account_details(
                    pack(),
                    &record.bank,
                    "no-such-reference",
                    today_period(pack()),
                )
                .unwrap_err();
                check_eq(
                    unknown.acc_code(),
                    AccCode::Acc002,
                    "unknown reference → 404 ACC-002",
                )
            },
        ),
        Trial::test(
            "rules::digest_3_4_5_primary_owner_is_taken_within_the_party_span",
            || {
                let record = edge_account(K::OwnershipTransferred);
                let former = case(pack(), K::OwnershipTransferred).party.clone().unwrap();
                let handover = record.roles[0].end_date.unwrap();
                let v = view(K::OwnershipTransferred, false, today_period(pack()))?;
                let listed = v
                    .body
                    .accounts
                    .iter()
                    .find(|a| a.account_identifier == record.account_identifier)
                    .ok_or("not listed")?;
                let owner = listed.primary_owner.as_ref().ok_or("no owner")?;
                check_eq(
                    owner.identifier.as_ref().map(|i| i.value.clone()),
                    Some(former.clone()),
                    "owner as of the party's own last day, not toDate",
                )?;
                check_eq(
                    owner.end_date,
                    Some(handover),
                    "endDate of the former owner",
                )?;
                // A period ending before the handover: still owner then, no endDate (digest 7.10).
                let earlier = period(days_before(handover, 300), days_before(handover, 10));
                let v = view(K::OwnershipTransferred, false, earlier)?;
                let listed = v
                    .body
                    .accounts
                    .iter()
                    .find(|a| a.account_identifier == record.account_identifier)
                    .ok_or("not listed")?;
                check_eq(
                    listed.primary_owner.as_ref().and_then(|o| o.end_date),
                    None,
                    "no endDate before it happened",
                )?;
                // Account details (no party): the owner as of toDate is the new owner.
                let details = account_details(
                    pack(),
                    &record.bank,
                    &record.account_reference,
                    today_period(pack()),
                )?;
                let owner = details.account.unwrap().primary_owner.unwrap();
                check(owner.identifier.unwrap().value != former, || {
                    "details name the former owner".into()
                })
            },
        ),
        Trial::test(
            "rules::digest_3_4_5_reopened_account_reports_the_latest_period",
            || {
                let record = edge_account(K::ReopenedAccount);
                let latest = record.open_periods.last().unwrap();
                let details = account_details(
                    pack(),
                    &record.bank,
                    &record.account_reference,
                    today_period(pack()),
                )?
                .account
                .unwrap();
                check_eq(
                    details.start_date,
                    Some(latest.start_date),
                    "startDate of the latest period",
                )?;
                check_eq(details.end_date, None, "no endDate while open")?;
                check_eq(
                    details.primary_owner.and_then(|o| o.start_date),
                    Some(latest.start_date),
                    "owner's latest period",
                )?;
                check(!details.balances.is_empty(), || {
                    "an open re-opened account has balances".into()
                })
            },
        ),
        Trial::test(
            "rules::digest_3_4_5_roles_report_the_latest_period_per_party",
            || {
                let record = edge_account(K::RoleHistory);
                let party = case(pack(), K::RoleHistory).party.clone().unwrap();
                let r = roles(
                    pack(),
                    &record.bank,
                    &record.account_reference,
                    today_period(pack()),
                )?;
                let mine: Vec<_> = r
                    .roles
                    .iter()
                    .filter(|x| x.identifier.as_ref().map(|i| &i.value) == Some(&party))
                    .collect();
                check_eq(mine.len(), 1, "one entry per party")?;
                let latest = record
                    .roles
                    .iter()
                    .filter(|x| x.party == party)
                    .max_by_key(|x| x.start_date)
                    .unwrap();
                check_eq(mine[0].start_date, Some(latest.start_date), "latest start")?;
                check_eq(
                    mine[0].permission,
                    Some(Permission::RightToUseWithOther),
                    "latest permission",
                )?;
                check_eq(mine[0].end_date, None, "still held")
            },
        ),
        Trial::test(
            "rules::digest_3_4_7_balance_today_is_available_and_booked",
            || {
                let record = edge_account(K::PendingTransactions);
                let d = account_details(
                    pack(),
                    &record.bank,
                    &record.account_reference,
                    today_period(pack()),
                )?
                .account
                .unwrap();
                let kinds: Vec<_> = d.balances.iter().map(|b| b.kind.unwrap()).collect();
                check_eq(
                    kinds,
                    vec![BalanceType::AvailableBalance, BalanceType::BookedBalance],
                    "today: available + booked",
                )?;
                let last = record.balances.last().unwrap();
                check_eq(
                    d.balances[1].amount,
                    Some(last.booked.abs()),
                    "booked = latest day-end balance",
                )?;
                check(d.balances[0].amount != d.balances[1].amount, || {
                    "pending reservations must lower the available balance".into()
                })
            },
        ),
        Trial::test(
            "rules::digest_3_4_7_balance_for_a_past_to_date_is_booked_at_that_date",
            || {
                let record = edge_account(K::PagingAccount);
                let point = &record.balances[record.balances.len() / 2];
                let to = point.date;
                let d = account_details(
                    pack(),
                    &record.bank,
                    &record.account_reference,
                    period(days_before(to, 100), to),
                )?
                .account
                .unwrap();
                check_eq(d.balances.len(), 1, "only bookedBalance")?;
                check_eq(
                    d.balances[0].kind,
                    Some(BalanceType::BookedBalance),
                    "booked",
                )?;
                check_eq(
                    d.balances[0].amount,
                    Some(point.booked.abs()),
                    "balance at toDate",
                )?;
                check(
                    d.balances[0]
                        .registered
                        .as_deref()
                        .is_some_and(|r| r.starts_with(&to.to_string())),
                    || "registered is not toDate".into(),
                )
            },
        ),
        Trial::test(
            "rules::digest_8_account_closed_in_the_period_has_no_balance",
            || {
                let record = edge_account(K::ClosedInPeriod);
                let closed = record.open_periods.last().unwrap().end_date.unwrap();
                let p = period(days_before(closed, 200), days_before(today(), 10));
                let d = account_details(pack(), &record.bank, &record.account_reference, p)?
                    .account
                    .unwrap();
                check(d.balances.is_empty(), || {
                    format!("balances {:?}", d.balances)
                })?;
                check_eq(d.end_date, Some(closed), "endDate is the closing day")?;
                let v = view(K::ClosedInPeriod, true, p)?;
                check(
                    v.listed
                        .iter()
                        .any(|l| l.account_identifier == record.account_identifier),
                    || "closed-in-period account not listed".into(),
                )?;
                // Before the closing: a booked balance and no endDate.
                let before = period(days_before(closed, 200), days_before(closed, 1));
                let d = account_details(pack(), &record.bank, &record.account_reference, before)?
                    .account
                    .unwrap();
                check_eq(d.balances.len(), 1, "booked balance before closing")?;
                check_eq(d.end_date, None, "not yet closed at toDate")?;
                // After the closing: not listed at all.
                let after = period(closed.checked_add_days(Days::new(1)).unwrap(), today());
                let v = view(K::ClosedInPeriod, true, after)?;
                check(
                    !v.listed
                        .iter()
                        .any(|l| l.account_identifier == record.account_identifier),
                    || "listed for a period after closing".into(),
                )
            },
        ),
        Trial::test(
            "rules::digest_3_2_1_transaction_period_includes_both_boundary_dates",
            || {
                let record = edge_account(K::CurrencyExchange);
                let booked: Vec<NaiveDate> = record
                    .transactions
                    .iter()
                    .filter(|t| t.booking_date.is_some())
                    .filter_map(transaction_day)
                    .collect();
                let day = booked[booked.len() / 2];
                let on_day = booked.iter().filter(|d| **d == day).count();
                let exactly = transactions(
                    pack(),
                    &record.bank,
                    &record.account_reference,
                    period(day, day),
                    &PageRequest::default(),
                )?;
                check_eq(
                    exactly.transactions.len(),
                    on_day,
                    "fromDate = toDate = booking day includes it",
                )?;
                let before = days_before(day, 1);
                let after = day.checked_add_days(Days::new(1)).unwrap();
                let ending = transactions(
                    pack(),
                    &record.bank,
                    &record.account_reference,
                    period(days_before(day, 30), day),
                    &PageRequest::default(),
                )?;
                check(
                    ending
                        .transactions
                        .iter()
                        .any(|t| transaction_day(t) == Some(day)),
                    || "toDate excluded".into(),
                )?;
                let starting = transactions(
                    pack(),
                    &record.bank,
                    &record.account_reference,
                    period(day, after),
                    &PageRequest::default(),
                )?;
                check(
                    starting
                        .transactions
                        .iter()
                        .any(|t| transaction_day(t) == Some(day)),
                    || "fromDate excluded".into(),
                )?;
                let outside = transactions(
                    pack(),
                    &record.bank,
                    &record.account_reference,
                    period(days_before(before, 0), before),
                    &PageRequest::default(),
                )?;
                check(
                    !outside
                        .transactions
                        .iter()
                        .any(|t| transaction_day(t) == Some(day)),
                    || "a day outside the period included".into(),
                )
            },
        ),
        Trial::test(
            "rules::digest_8_pending_transactions_are_filtered_by_registered",
            || {
                let record = edge_account(K::PendingTransactions);
                let pending: Vec<_> = record
                    .transactions
                    .iter()
                    .filter(|t| t.status == Some(TransactionStatus::Pending))
                    .collect();
                check(
                    !pending.is_empty() && pending.iter().all(|t| t.booking_date.is_none()),
                    || "no pending transactions without bookingDate".into(),
                )?;
                let day = transaction_day(pending[0]).unwrap();
                let body = transactions(
                    pack(),
                    &record.bank,
                    &record.account_reference,
                    period(day, day),
                    &PageRequest::default(),
                )?;
                check(
                    body.transactions
                        .iter()
                        .any(|t| t.transaction_identifier == pending[0].transaction_identifier),
                    || "pending transaction not returned for its registered day".into(),
                )
            },
        ),
        Trial::test(
            "rules::digest_3_4_9_currency_exchange_and_card_transactions_exist",
            || {
                let fx = edge_account(K::CurrencyExchange);
                check(
                    fx.transactions
                        .iter()
                        .any(|t| t.currency_exchange.is_some()),
                    || "no currencyExchange".into(),
                )?;
                let cards_account = edge_account(K::CardTransactions);
                check(
                    cards_account
                        .transactions
                        .iter()
                        .any(|t| t.payment_card.is_some()),
                    || "no card transaction".into(),
                )?;
                check(
                    pack()
                        .accounts
                        .iter()
                        .flat_map(|a| &a.transactions)
                        .any(|t| t.reversal_indicator == Some(true)),
                    || "no reversal".into(),
                )
            },
        ),
        Trial::test("rules::digest_3_4_8_cards_lists_every_version", || {
            let record = edge_account(K::CardTransactions);
            let body = cards(
                pack(),
                &record.bank,
                &record.account_reference,
                today_period(pack()),
            )?;
            check_eq(body.payment_cards.len(), 2, "two versions")?;
            check(
                body.payment_cards[0].card_identifier == body.payment_cards[1].card_identifier,
                || "versions of one card share the masked number".into(),
            )?;
            check_eq(
                body.payment_cards
                    .iter()
                    .map(|c| c.card_status.unwrap())
                    .collect::<Vec<_>>(),
                vec![CardStatus::Blocked, CardStatus::Active],
                "old blocked, new active",
            )
        }),
        Trial::test(
            "rules::digest_7_4_pages_hold_at_least_1000_items_when_more_exist",
            || {
                let record = edge_account(K::PagingAccount);
                let pages = all_pages(pack(), record, today_period(pack()), DEFAULT_PAGE_SIZE)?;
                check_eq(pages.len(), 3, "2 500 transactions → 3 pages of ≤ 1000")?;
                for page in &pages[..pages.len() - 1] {
                    check(page.transactions.len() >= 1000, || {
                        format!("a non-last page holds {}", page.transactions.len())
                    })?;
                    check(
                        page.links
                            .iter()
                            .any(|l| l.rel == "next" && l.href.starts_with('/')),
                        || "no relative next link".into(),
                    )?;
                }
                Ok(())
            },
        ),
        Trial::test(
            "rules::digest_7_4_next_link_is_absent_on_the_last_page",
            || {
                let record = edge_account(K::PagingAccount);
                let pages = all_pages(pack(), record, today_period(pack()), DEFAULT_PAGE_SIZE)?;
                let last = pages.last().unwrap();
                check(!last.links.iter().any(|l| l.rel == "next"), || {
                    "next on the last page".into()
                })?;
                check(!last.transactions.is_empty(), || "empty last page".into())?;
                // A single-page answer has no next either.
                let small = edge_account(K::CurrencyExchange);
                let one = transactions(
                    pack(),
                    &small.bank,
                    &small.account_reference,
                    today_period(pack()),
                    &PageRequest::default(),
                )?;
                check(!one.links.iter().any(|l| l.rel == "next"), || {
                    "next on a single page".into()
                })
            },
        ),
        Trial::test("rules::digest_7_4_pages_have_no_duplicates_or_gaps", || {
            let record = edge_account(K::PagingAccount);
            let p = period(days_before(today(), 700), days_before(today(), 50));
            for size in [DEFAULT_PAGE_SIZE, 1234] {
                let pages = all_pages(pack(), record, p, size)?;
                let paged: Vec<String> = pages
                    .iter()
                    .flat_map(|b| &b.transactions)
                    .map(|t| t.transaction_identifier.clone())
                    .collect();
                let expected: Vec<String> = record
                    .transactions
                    .iter()
                    .filter(|t| transaction_day(t).is_some_and(|d| p.contains_date(d)))
                    .map(|t| t.transaction_identifier.clone())
                    .collect();
                check(expected.len() > size, || "period too small to page".into())?;
                check_eq(
                    paged,
                    expected,
                    "pages concatenated = the period's transactions, in order",
                )?;
            }
            Ok(())
        }),
        Trial::test("rules::digest_7_4_foreign_page_cursor_is_acc_001", || {
            let record = edge_account(K::PagingAccount);
            for cursor in ["abc", "999999", "-1"] {
                let error = transactions(
                    pack(),
                    &record.bank,
                    &record.account_reference,
                    today_period(pack()),
                    &PageRequest::at(cursor, 1000),
                )
                .unwrap_err();
                check(
                    matches!(error, QueryError::InvalidCursor { .. })
                        && error.acc_code() == AccCode::Acc001,
                    || format!("{cursor}: {error:?}"),
                )?;
            }
            Ok(())
        }),
        Trial::test(
            "rules::digest_3_3_1_company_party_sees_its_accounts",
            || {
                let v = view(K::CompanyWithAccounts, true, today_period(pack()))?;
                check(v.body.accounts.len() >= 3, || {
                    format!("{} accounts", v.body.accounts.len())
                })?;
                let owner = v.body.accounts[0]
                    .primary_owner
                    .as_ref()
                    .unwrap()
                    .identifier
                    .as_ref()
                    .unwrap();
                check_eq(
                    owner.kind.as_str(),
                    "countryIdentificationCode",
                    "company identifier type (digest 3.4.5)",
                )
            },
        ),
        Trial::test("rules::digest_3_3_1_unknown_bank_is_an_error", || {
            let error = accounts_for(
                pack(),
                "000000000",
                "12345678901",
                true,
                today_period(pack()),
            )
            .unwrap_err();
            check(matches!(error, QueryError::UnknownBank { .. }), || {
                format!("{error:?}")
            })
        }),
    ]
}

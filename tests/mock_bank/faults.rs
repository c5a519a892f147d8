//! Every fault profile, exercised: the exhaustive `match` makes a new profile without a test
//! a compile error. Each test shows the profile's effect next to what the conformant bank does,
//! at the handler, or through the bank suite for the profiles that skip a check.

use crate::helpers::{
    bank, bank_with, case, decode, follow, send, send_fresh, send_to, today, Answer, Req,
};
use chrono::Duration;
use dsop_harness::{
    eo::Break, EdgeCaseKind, Endpoint, FaultProfile, FaultSpec, Handler, MessageKind, Profile,
    SchemaRegistry, TokenBreak, Transport, LATENCY_PROFILE_DELAY,
};
use libtest_mimic::{Failed, Trial};
use serde_json::Value;
use std::path::PathBuf;

fn check(ok: bool, message: impl FnOnce() -> String) -> Result<(), Failed> {
    if ok {
        Ok(())
    } else {
        Err(message().into())
    }
}

/// Sends `req` to a bank with `profile` always on, without judging the encoding.
fn raw(profile: FaultProfile, req: &Req) -> Answer {
    let (request, extra) = req.prepare();
    decode(bank_with(&req.bank, &[FaultSpec::always(profile)], false, extra).handle(&request))
}

/// Sends `req` to a bank with `profile` always on; the answer must still be well-formed.
fn faulty(profile: FaultProfile, req: &Req) -> Answer {
    send_fresh(req, &[FaultSpec::always(profile)], false)
}

fn expect(answer: &Answer, status: u16, code: Option<&str>, what: &str) -> Result<(), Failed> {
    check(
        answer.status == status && code.is_none_or(|c| answer.code() == c),
        || {
            format!(
                "{what}: expected {status} {code:?}, got {} {}",
                answer.status, answer.body
            )
        },
    )
}

fn accounts() -> Req {
    Req::accounts(EdgeCaseKind::PagingAccount)
}

fn transactions() -> Req {
    let from = (today() - Duration::days(4 * 365)).to_string();
    let mut req = Req::on(Endpoint::Transactions, EdgeCaseKind::PagingAccount)
        .period(&from, &today().to_string());
    req.order = req.order.clone().from_date(&from);
    req
}

fn with_order_break(mut req: Req, b: Break) -> Req {
    req.order_breaks.push(b);
    req
}

/// The profile's effect shown through the bank suite (`dsop_harness::attempt`): with it
/// on, a scenario of each rule it claims fails naming that rule. For the conformance profiles
/// whose effect is a check skipped or a field changed, the suite's verdict is the clearest
/// evidence; the proof test runs the same for every profile and keeps docs/requirements.md.
fn proven_by_the_suite(profile: FaultProfile) -> Result<(), Failed> {
    use dsop_harness::{attempt, Fault, ProofConfig};
    use std::sync::{Arc, OnceLock};
    static CONFIG: OnceLock<ProofConfig> = OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        let trust_dir =
            std::env::temp_dir().join(format!("dsop-mock-bank-proof-{}", std::process::id()));
        dsop_harness::TrustDir::init(&trust_dir).expect("trust dir");
        ProofConfig {
            trust_dir,
            population: Arc::new(dsop_harness::Population::generate(
                &dsop_harness::PopulationConfig {
                    reference_date: today(),
                    ..dsop_harness::PopulationConfig::default_pack()
                },
            )),
            features_root: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/features")),
        }
    });
    check(!profile.breaks().is_empty(), || {
        format!("{profile} claims no rule")
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    for rule in profile.breaks() {
        let a = runtime.block_on(attempt(config, Fault::Bank(profile), *rule));
        check(a.caught(), || {
            format!("{profile} was not caught naming {rule}: {a:?}")
        })?;
    }
    Ok(())
}

fn effect(profile: FaultProfile) -> Result<(), Failed> {
    use FaultProfile as F;
    match profile {
        F::AcceptMissingToken
        | F::SkipTokenSignature
        | F::IgnoreTokenIssuer
        | F::IgnoreTokenAudience
        | F::IgnoreTokenConsumer
        | F::RefuseScopeWith401
        | F::GenerateMissingCorrelationId
        | F::AcceptNonUuidIds
        | F::AcceptUnencodedMandate
        | F::AcceptMissingRequesterId
        | F::AcceptAnyReferenceType
        | F::SkipPartyIdChecksum
        | F::LenientOnlyPrimaryOwner
        | F::SwapReversedDates
        | F::ServeWithoutOrder
        | F::LenientOrderHeader
        | F::SkipOrderChain
        | F::SkipOrderSignature
        | F::SkipOrderContentChecks
        | F::IgnoreOrderMandate
        | F::OrderPeriodFromOnly
        | F::IgnoreOrderOnlyPrimaryOwner
        | F::OrderPeriodMustMatch
        | F::IgnoreOrderCaseId
        | F::UnsupportedAccept400
        | F::ErrorWithoutMessage
        | F::ListShieldedAccounts
        | F::IgnoreOnlyPrimaryOwner
        | F::OmitDisposalOnlyAccounts
        | F::OmitUndeliveredAccounts
        | F::UnknownReferenceEmpty200
        | F::RolesWithoutEndDate
        | F::PartialSignalOnOwnedOnly
        | F::MaskAllButLastFour
        | F::RejectPercentEncodedOrder => proven_by_the_suite(profile),
        F::Latency => {
            let a = raw(profile, &accounts());
            expect(&a, 200, None, "latency still answers")?;
            check(
                a.handled.transport == Transport::Delay(LATENCY_PROFILE_DELAY),
                || format!("transport {:?}", a.handled.transport),
            )
        }
        F::ServerError => {
            let req = accounts();
            let b = bank(&req.bank, &[FaultSpec::first(profile, 1)]);
            let first = send_to(&b, &req);
            expect(&first, 500, Some("ACC-100"), "first request")?;
            let second = send_to(&b, &req);
            expect(&second, 200, None, "server-error:1 lets the retry succeed")
        }
        F::RateLimited => {
            let a = faulty(profile, &accounts());
            expect(&a, 429, Some("ACC-022"), "rate limited")?;
            check(
                a.handled
                    .response
                    .headers
                    .contains(&("Retry-After".to_owned(), "1".to_owned())),
                || "Retry-After: 1 missing".to_owned(),
            )
        }
        F::ConnectionReset => {
            let a = raw(profile, &accounts());
            check(a.handled.transport == Transport::Reset, || {
                format!("transport {:?}", a.handled.transport)
            })
        }
        F::MalformedJson => {
            let a = raw(profile, &accounts());
            check(
                a.status == 200
                    && a.content_type == "application/json"
                    && serde_json::from_slice::<Value>(&a.handled.response.body).is_err(),
                || "200 with unparsable JSON expected".to_owned(),
            )
        }
        F::WrongContentType => {
            let a = raw(profile, &accounts());
            let body = String::from_utf8_lossy(&a.handled.response.body).into_owned();
            check(
                a.content_type == "application/json" && body.split('.').count() == 5,
                || format!("JWE labelled JSON expected, got {}", a.content_type),
            )?;
            let plain = raw(profile, &accounts().header("Accept", "application/json"));
            check(
                plain.content_type == "application/jose"
                    && serde_json::from_slice::<Value>(&plain.handled.response.body).is_ok(),
                || "plain JSON labelled application/jose expected".to_owned(),
            )
        }
        F::JweWrongKey => {
            let req = accounts();
            let handled = bank(&req.bank, &[FaultSpec::always(profile)]).handle(&req.request());
            let body = String::from_utf8_lossy(&handled.response.body).into_owned();
            match dsop_harness::jwe::decrypt(&body, &crate::helpers::fixture().consumer_key) {
                Err(e) => check(e.rule() == "wrong-key", || format!("error {e}")),
                Ok(_) => Err("decrypted with the consumer key".into()),
            }
        }
        F::BrokenNextLink => {
            let req = transactions();
            let b = bank(&req.bank, &[FaultSpec::always(profile)]);
            let first = send_to(&b, &req);
            let next = first.body["links"]
                .as_array()
                .and_then(|l| l.iter().find(|l| l["rel"] == "next"))
                .and_then(|l| l["href"].as_str())
                .ok_or("first page has no next link")?
                .to_owned();
            let followed = send_to(&b, &follow(&req, &next));
            expect(
                &followed,
                404,
                Some("ACC-002"),
                "following the broken next link",
            )
        }
        F::MissingNextLink => {
            let a = faulty(profile, &transactions());
            let links = a.body["links"].as_array().cloned().unwrap_or_default();
            check(
                a.body["transactions"].as_array().map(Vec::len) == Some(1000)
                    && !links.iter().any(|l| l["rel"] == "next"),
                || "a full first page without next expected".to_owned(),
            )
        }
        F::DuplicateAcrossPages => {
            let req = transactions();
            let b = bank(&req.bank, &[FaultSpec::always(profile)]);
            let first = send_to(&b, &req);
            let next = first.body["links"]
                .as_array()
                .and_then(|l| l.iter().find(|l| l["rel"] == "next"))
                .and_then(|l| l["href"].as_str())
                .ok_or("no next")?
                .to_owned();
            let second = send_to(&b, &follow(&req, &next));
            let last_of_first = first.body["transactions"].as_array().and_then(|t| t.last());
            let first_of_second = second.body["transactions"]
                .as_array()
                .and_then(|t| t.first());
            check(
                last_of_first.is_some() && last_of_first == first_of_second,
                || "page 2 does not repeat page 1's last transaction".to_owned(),
            )
        }
        F::SkipOrderVerification => {
            let req = with_order_break(accounts(), Break::SignedByOtherKey);
            expect(&send(&req), 403, Some("ACC-011"), "conformant bank")?;
            expect(&faulty(profile, &req), 200, None, "forged order accepted")
        }
        F::AcceptWrongOuCn => {
            let req = with_order_break(accounts(), Break::WrongOu);
            expect(&send(&req), 403, Some("ACC-011"), "conformant bank")?;
            expect(&faulty(profile, &req), 200, None, "wrong OU accepted")?;
            let forged = with_order_break(accounts(), Break::SignedByOtherKey);
            expect(
                &faulty(profile, &forged),
                403,
                Some("ACC-011"),
                "signature still checked",
            )
        }
        F::IgnoreEndpointFlags => {
            let req = with_order_break(transactions(), Break::TransactionsFalse);
            expect(&send(&req), 403, Some("ACC-011"), "conformant bank")?;
            expect(&faulty(profile, &req), 200, None, "flag ignored")
        }
        F::AcceptOldFromDate => {
            let old = (dsop_harness::ten_years_before(today()) - Duration::days(1)).to_string();
            let mut req = accounts().query("fromDate", &old);
            req.order = req.order.clone().from_date(&old);
            expect(&send(&req), 400, Some("ACC-001"), "conformant bank")?;
            expect(&faulty(profile, &req), 200, None, "old fromDate accepted")
        }
        F::DeliverAccountName => {
            let a = raw(profile, &accounts());
            let named = a.body["accounts"]
                .as_array()
                .is_some_and(|l| !l.is_empty() && l.iter().all(|x| x["name"].is_string()));
            let registry = SchemaRegistry::global().map_err(|e| e.to_string())?;
            check(
                named
                    && registry
                        .validate(MessageKind::Accounts, Profile::Police, &a.body)
                        .is_err()
                    && registry
                        .validate(MessageKind::Accounts, Profile::Common, &a.body)
                        .is_ok(),
                || {
                    format!(
                        "named accounts failing only the police profile expected: {}",
                        a.body
                    )
                },
            )
        }
        F::TransactionsOutsidePeriod => {
            let from = today() - Duration::days(60);
            let to = today() - Duration::days(30);
            let req = Req::on(Endpoint::Transactions, EdgeCaseKind::PagingAccount)
                .period(&from.to_string(), &to.to_string());
            let day = |t: &Value| {
                t["bookingDate"]
                    .as_str()
                    .or(t["registered"].as_str())
                    .and_then(|d| d.get(..10))
                    .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
            };
            let outside = |a: &Answer| {
                a.body["transactions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|t| day(t).is_some_and(|d| d < from || d > to))
                    .count()
            };
            check(outside(&send(&req)) == 0, || {
                "conformant bank leaks".to_owned()
            })?;
            let a = faulty(profile, &req);
            check(outside(&a) > 0, || {
                "no transaction outside the period".to_owned()
            })
        }
        F::BalanceForClosedAccount => {
            let req = Req::on(Endpoint::AccountDetails, EdgeCaseKind::ClosedInPeriod);
            let balances =
                |a: &Answer| a.body["account"]["balances"].as_array().map_or(0, Vec::len);
            check(balances(&send(&req)) == 0, || {
                "conformant bank gives a balance".to_owned()
            })?;
            check(balances(&faulty(profile, &req)) > 0, || {
                "no balance".to_owned()
            })
        }
        F::PostReturns200 => {
            let mut req = accounts();
            req.method = "POST".to_owned();
            expect(&send(&req), 405, Some("ACC-012"), "conformant bank")?;
            expect(&faulty(profile, &req), 200, None, "POST served")
        }
        F::FourHundredInsteadOf403 => {
            let req = with_order_break(transactions(), Break::TransactionsFalse);
            expect(
                &faulty(profile, &req),
                400,
                Some("ACC-001"),
                "403 turned 400",
            )
        }
        F::AcceptExpiredToken => {
            let mut req = accounts();
            req.token = Some(vec![TokenBreak::Expired]);
            expect(&send(&req), 401, Some("ACC-010"), "conformant bank")?;
            expect(&faulty(profile, &req), 200, None, "expired token accepted")
        }
        F::IgnoreScope => {
            let mut req = accounts();
            req.token = Some(vec![TokenBreak::WrongScope]);
            expect(&send(&req), 403, Some("ACC-011"), "conformant bank")?;
            expect(&faulty(profile, &req), 200, None, "wrong scope accepted")
        }
        F::AcceptMismatchedParty => {
            let other = case(EdgeCaseKind::CompanyWithAccounts).party;
            let req = accounts().header("PartyID", &other);
            expect(&send(&req), 403, Some("ACC-011"), "conformant bank")?;
            expect(&faulty(profile, &req), 200, None, "other party served")
        }
        F::UnmaskedCardNumbers => {
            let req = Req::on(Endpoint::Cards, EdgeCaseKind::CardTransactions);
            let numbers = |a: &Answer| -> Vec<String> {
                a.body["paymentCards"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c["cardIdentifier"].as_str().map(str::to_owned))
                    .collect()
            };
            let conformant = numbers(&send(&req));
            check(
                !conformant.is_empty()
                    && conformant
                        .iter()
                        .all(|n| dsop_harness::is_masked_card_number(n)),
                || format!("conformant bank: {conformant:?}"),
            )?;
            let leaked = numbers(&raw(profile, &req));
            check(
                !leaked.is_empty() && leaked.iter().all(|n| dsop_harness::is_test_card_number(n)),
                || format!("full numbers expected: {leaked:?}"),
            )
        }
        F::ToDateExclusive => {
            // The period-boundaries account books on the reference date (= toDate).
            let to = today();
            let from = today() - Duration::days(30);
            let req = Req::on(Endpoint::Transactions, EdgeCaseKind::PeriodBoundaries)
                .period(&from.to_string(), &to.to_string());
            let on_to_date = |a: &Answer| {
                a.body["transactions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|t| {
                        t["bookingDate"]
                            .as_str()
                            .is_some_and(|d| d.starts_with(&to.to_string()))
                    })
                    .count()
            };
            check(on_to_date(&send(&req)) > 0, || {
                "conformant bank serves nothing booked on toDate".to_owned()
            })?;
            check(on_to_date(&faulty(profile, &req)) == 0, || {
                "toDate still served".to_owned()
            })
        }
    }
}

pub fn trials() -> Vec<Trial> {
    FaultProfile::ALL
        .iter()
        .map(|p| {
            let p = *p;
            Trial::test(format!("faults::{}", p.name()), move || effect(p))
        })
        .collect()
}

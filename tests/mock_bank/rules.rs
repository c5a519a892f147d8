//! `rules.json`: one generated test per row — a conforming request, mutated, sent to a
//! conformant bank; the answer must carry the documented status and code, and the journal
//! violations must include the row's `POLICE-*` rules.

use crate::helpers::{case, fixture, send_fresh, today, Req};
use chrono::Duration;
use dsop_harness::{EdgeCaseKind, Endpoint};
use libtest_mimic::{Failed, Trial};
use serde_json::Value;

fn endpoint(name: &str) -> Endpoint {
    match name {
        "accounts" => Endpoint::Accounts,
        "account-details" => Endpoint::AccountDetails,
        "transactions" => Endpoint::Transactions,
        "cards" => Endpoint::Cards,
        "roles" => Endpoint::Roles,
        other => panic!("unknown endpoint {other}"),
    }
}

fn edge_case(name: &str) -> EdgeCaseKind {
    *EdgeCaseKind::ALL
        .iter()
        .find(|k| k.as_str() == name)
        .unwrap_or_else(|| panic!("unknown edge case {name}"))
}

/// A valid party id that is not `party`.
fn other_party(party: &str) -> String {
    let c = case(EdgeCaseKind::CompanyWithAccounts);
    if c.party != party {
        c.party
    } else {
        case(EdgeCaseKind::ShieldedPerson).party
    }
}

/// An account at `bank` on which `party` has no role at all.
fn other_account(bank: &str, party: &str) -> String {
    fixture()
        .population
        .accounts
        .iter()
        .find(|a| {
            a.bank == bank && !a.data_not_delivered && a.roles.iter().all(|r| r.party != party)
        })
        .map(|a| a.account_reference.clone())
        .expect("an account of another party at the bank")
}

fn placeholder(value: &str, req: &Req) -> String {
    let order_from = req.order.payload()["fromDate"]
        .as_str()
        .expect("order fromDate")
        .parse::<chrono::NaiveDate>()
        .expect("date");
    match value {
        "@too-old" => (dsop_harness::ten_years_before(today()) - Duration::days(1)).to_string(),
        "@order-from-1" => (order_from - Duration::days(1)).to_string(),
        "@tomorrow" => (today() + Duration::days(1)).to_string(),
        "@uuid" => uuid::Uuid::new_v4().to_string(),
        "@other-party" => {
            let party = req.order.payload()["partyID"].as_str().expect("partyID");
            other_party(party)
        }
        "@other-account" => {
            let party = req.order.payload()["partyID"].as_str().expect("partyID");
            other_account(&req.bank, party)
        }
        other => other.to_owned(),
    }
}

fn apply(mut req: Req, mutation: &str) -> Req {
    let (op, arg) = mutation.split_once('=').unwrap_or((mutation, ""));
    let pair = |arg: &str| -> (String, String) {
        let (k, v) = arg.split_once(':').expect("NAME:VALUE");
        (k.to_owned(), v.to_owned())
    };
    match op {
        "method" => req.method = arg.to_owned(),
        "header" => {
            let (k, v) = pair(arg);
            let v = placeholder(&v, &req);
            req = req.header(&k, &v);
        }
        "no-header" => req = req.without_header(arg),
        "query" => {
            let (k, v) = pair(arg);
            let v = placeholder(&v, &req);
            req = req.query(&k, &v);
        }
        "no-query" => req = req.without_query(arg),
        "no-token" => req.token = None,
        "token" => req.token = Some(vec![arg.parse().expect("token break")]),
        "order" => req.order_breaks.push(arg.parse().expect("order break")),
        "order-set" => {
            let (k, v) = pair(arg);
            let v: Value = serde_json::from_str(&v).expect("order-set JSON value");
            req.order = req.order.clone().set(&k, v);
        }
        "reference" => req.reference = Some(placeholder(arg, &req)),
        "path" => req.path_override = Some(arg.to_owned()),
        other => panic!("unknown mutation {other}"),
    }
    req
}

fn run(row: &Value) -> Result<(), Failed> {
    let text = |k: &str| row[k].as_str().unwrap_or_default().to_owned();
    let kind = edge_case(row["case"].as_str().unwrap_or("paging-account"));
    let endpoint = endpoint(&text("endpoint"));
    let mut req = if endpoint == Endpoint::Accounts {
        Req::accounts(kind)
    } else {
        Req::on(endpoint, kind)
    };
    for m in row["mutations"].as_array().into_iter().flatten() {
        req = apply(req, m.as_str().expect("mutation string"));
    }
    let answer = send_fresh(&req, &[], row["strict"].as_bool() == Some(true));
    let context = || {
        format!(
            "row {} (rule {}): {}\n  answer {} {}",
            text("name"),
            text("rule"),
            row,
            answer.status,
            answer.body
        )
    };
    let status = row["status"].as_u64().expect("status") as u16;
    if answer.status != status {
        return Err(format!("expected status {status}; {}", context()).into());
    }
    if let Some(code) = row["code"].as_str() {
        if answer.code() != code {
            return Err(format!("expected code {code}; {}", context()).into());
        }
    }
    if let Some(fragment) = row["message"].as_str() {
        let message = answer.body["message"].as_str().unwrap_or_default();
        if !message.contains(fragment) {
            return Err(format!("message lacks {fragment:?}; {}", context()).into());
        }
    }
    let rules = answer.violation_rules();
    for v in row["violations"].as_array().into_iter().flatten() {
        let v = v.as_str().expect("violation id");
        if !rules.contains(&v) {
            return Err(format!("journal violations {rules:?} lack {v}; {}", context()).into());
        }
    }
    if row["violations"].is_null() && status == 200 && !rules.is_empty() {
        return Err(format!(
            "a conforming request recorded violations {rules:?}; {}",
            context()
        )
        .into());
    }
    Ok(())
}

pub fn trials() -> Vec<Trial> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mock_bank/rules.json");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("rules.json")).expect("JSON");
    doc["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            let row = row.clone();
            let name = format!(
                "rules::{}::{}",
                row["rule"].as_str().unwrap_or("?"),
                row["name"].as_str().unwrap_or("?")
            );
            Trial::test(name, move || run(&row))
        })
        .collect()
}

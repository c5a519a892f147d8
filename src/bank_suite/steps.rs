//! Step definitions of the bank suite. Every response, in every scenario, is judged when it
//! arrives (digest 3.3, 7.2, 7.6): a 200 must be a JWE (`application/jose`) that decrypts with
//! the consumer key — or plain JSON when the run asked for it — and whose payload conforms to
//! the police-profile schema of the endpoint; any other status must be unencrypted
//! `application/json` conforming to the `{code, message}` error schema. A response that breaks
//! this fails the scenario whatever the scenario expected.

use super::{context, Context};
use crate::domain::identifiers::{PersonNumber, PersonNumberKind};
use crate::domain::mandate::LegalMandate;
use crate::domain::request::{
    to_pairs, ControlHeaders, Endpoint, PeriodQuery, SCOPE_KONTOINFORMASJON,
};
use crate::police::driver::{Exchange, Outgoing};
use crate::schema::{validate, MessageKind};
use crate::trust::eo::OrderBuilder;
use crate::trust::maskinporten::{TokenBreak, TokenMinter};
use cucumber::{given, then, when};
use std::sync::Arc;

/// One scenario's state.
#[derive(Debug, cucumber::World)]
#[world(init = Self::new)]
pub struct BankWorld {
    ctx: Option<Arc<Context>>,
    party: String,
    from_date: String,
    to_date: String,
    case_id: String,
    endpoint: Endpoint,
    account_reference: String,
    last: Option<Exchange>,
}

impl BankWorld {
    fn new() -> Self {
        let today = chrono::Utc::now().date_naive();
        Self {
            ctx: context(),
            party: String::new(),
            from_date: (today - chrono::Days::new(365)).to_string(),
            to_date: today.to_string(),
            case_id: uuid::Uuid::new_v4().to_string(),
            endpoint: Endpoint::Accounts,
            account_reference: String::new(),
            last: None,
        }
    }

    fn ctx(&self) -> Result<&Context, String> {
        self.ctx
            .as_deref()
            .ok_or_else(|| "the bank suite was started without a context".to_owned())
    }

    /// Sends the scenario's request with the given variations and judges the answer.
    async fn send(
        &mut self,
        method: &str,
        accept: Option<&str>,
        token: TokenChoice,
    ) -> Result<(), String> {
        let ctx = self.ctx()?;
        let base = ctx.config.base_url.trim_end_matches('/').to_owned();
        let now = chrono::Utc::now();
        let authorization = match token {
            TokenChoice::Missing => None,
            TokenChoice::Valid => Some(mint(ctx, &base, &[])?),
            TokenChoice::Broken(b) => Some(mint(ctx, &base, &[b])?),
        };
        let order = OrderBuilder::valid(now)
            .party_id(&self.party)
            .mandate(LegalMandate::CriminalCase)
            .from_date(&self.from_date)
            .to_date(&self.to_date)
            .case_id(&self.case_id)
            .only_primary_owner(false)
            .build(&ctx.trust)
            .map_err(|e| format!("building the extradition order: {e}"))?;
        let accounts = self.endpoint == Endpoint::Accounts;
        let headers = ControlHeaders {
            authorization: authorization
                .map(|t| format!("Bearer {t}"))
                .unwrap_or_default(),
            accept: Some(
                accept
                    .unwrap_or(if ctx.config.plain_json {
                        "application/json"
                    } else {
                        "application/jose"
                    })
                    .to_owned(),
            ),
            account_info_request_id: self.case_id.clone(),
            correlation_id: uuid::Uuid::new_v4().to_string(),
            legal_mandate: LegalMandate::CriminalCase.encoded().to_owned(),
            party_id: accounts.then(|| self.party.clone()),
            additional_reference_id: Some(order.jws),
            additional_reference_id_type: Some("pol1".into()),
            requester_id: Some("dsop-harness-bank-suite".into()),
        };
        let headers: Vec<(String, String)> = to_pairs(&headers)
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let query = PeriodQuery {
            from_date: self.from_date.clone(),
            to_date: self.to_date.clone(),
            only_primary_owner: accounts.then(|| "FALSE".to_owned()),
        };
        let mut request = Outgoing::get(
            &format!("{base}{}", self.endpoint.path(&self.account_reference)),
            &to_pairs(&query),
            headers,
        );
        request.method = method.to_owned();
        let exchange = ctx
            .driver
            .send(request, 1)
            .await
            .map_err(|e| e.to_string())?;
        judge(
            &exchange,
            self.endpoint,
            ctx.config.plain_json && accept.is_none(),
        )?;
        self.last = Some(exchange);
        Ok(())
    }

    fn last(&self) -> Result<&Exchange, String> {
        self.last
            .as_ref()
            .ok_or_else(|| "no request was sent".to_owned())
    }
}

#[derive(Debug, Clone, Copy)]
enum TokenChoice {
    Missing,
    Valid,
    Broken(TokenBreak),
}

fn mint(ctx: &Context, audience: &str, breaks: &[TokenBreak]) -> Result<String, String> {
    TokenMinter::from_trust_dir(&ctx.trust)
        .map_err(|e| e.to_string())?
        .mint(
            audience,
            SCOPE_KONTOINFORMASJON,
            chrono::Utc::now().timestamp(),
            breaks,
        )
        .map_err(|e| e.to_string())
}

fn media(exchange: &Exchange) -> String {
    exchange
        .content_type
        .as_deref()
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

fn response_kind(endpoint: Endpoint) -> MessageKind {
    match endpoint {
        Endpoint::Accounts => MessageKind::Accounts,
        Endpoint::AccountDetails => MessageKind::AccountDetails,
        Endpoint::Transactions => MessageKind::Transactions,
        Endpoint::Cards => MessageKind::Cards,
        Endpoint::Roles => MessageKind::Roles,
    }
}

/// The judgement every response gets (module docs).
fn judge(exchange: &Exchange, endpoint: Endpoint, plain_json: bool) -> Result<(), String> {
    let status = exchange.status;
    let body = exchange
        .payload
        .as_ref()
        .map_err(|e| format!("HTTP {status}: the body cannot be read: {e} (digest 7.2, 7.6)"))?;
    if status == 200 {
        let expected = if plain_json {
            "application/json"
        } else {
            "application/jose"
        };
        if media(exchange) != expected {
            return Err(format!(
                "HTTP 200 with Content-Type {:?}, expected {expected} (digest 7.2)",
                exchange.content_type
            ));
        }
        if let Err(v) = validate(response_kind(endpoint), body) {
            let list: Vec<String> = v.iter().map(ToString::to_string).collect();
            return Err(format!(
                "the {endpoint} response does not conform:\n  {}",
                list.join("\n  ")
            ));
        }
    } else {
        if media(exchange) != "application/json" {
            return Err(format!(
                "HTTP {status} with Content-Type {:?}: errors must be plain application/json (digest 7.2)",
                exchange.content_type
            ));
        }
        if let Err(v) = validate(MessageKind::Error, body) {
            let list: Vec<String> = v.iter().map(ToString::to_string).collect();
            return Err(format!(
                "HTTP {status}: the error body does not conform:\n  {}",
                list.join("\n  ")
            ));
        }
    }
    Ok(())
}

#[given("an Accounts request for a synthetic person")]
fn accounts_request(world: &mut BankWorld) {
    let mut rng = rand::rng();
    world.party = PersonNumber::generate_synthetic_random(&mut rng, PersonNumberKind::BirthNumber)
        .to_string();
    world.endpoint = Endpoint::Accounts;
}

#[given(expr = "a {string} request for an account reference nobody issued")]
fn unknown_reference_request(world: &mut BankWorld, endpoint: String) -> Result<(), String> {
    accounts_request(world);
    world.endpoint =
        Endpoint::parse(&endpoint).ok_or_else(|| format!("unknown endpoint {endpoint:?}"))?;
    world.account_reference = uuid::Uuid::new_v4().to_string();
    Ok(())
}

#[when("the request is sent")]
async fn sent(world: &mut BankWorld) -> Result<(), String> {
    world.send("GET", None, TokenChoice::Valid).await
}

#[when(expr = "the request is sent with method {word}")]
async fn sent_with_method(world: &mut BankWorld, method: String) -> Result<(), String> {
    world.send(&method, None, TokenChoice::Valid).await
}

#[when(expr = "the request is sent with Accept {string}")]
async fn sent_with_accept(world: &mut BankWorld, accept: String) -> Result<(), String> {
    world.send("GET", Some(&accept), TokenChoice::Valid).await
}

#[when("the request is sent without a token")]
async fn sent_without_token(world: &mut BankWorld) -> Result<(), String> {
    world.send("GET", None, TokenChoice::Missing).await
}

#[when(expr = "the request is sent with a token that is {word}")]
async fn sent_with_broken_token(world: &mut BankWorld, name: String) -> Result<(), String> {
    let b = name.parse::<TokenBreak>().map_err(|e| e.to_string())?;
    world.send("GET", None, TokenChoice::Broken(b)).await
}

#[then(expr = "the bank answers {int} with code {word}")]
fn answers_error(world: &mut BankWorld, status: u16, code: String) -> Result<(), String> {
    let last = world.last()?;
    let got = last
        .payload
        .as_ref()
        .ok()
        .and_then(|b| b["code"].as_str())
        .unwrap_or("")
        .to_owned();
    if last.status != status || got != code {
        return Err(format!(
            "expected HTTP {status} {code}, got HTTP {} {got:?}",
            last.status
        ));
    }
    Ok(())
}

#[then("the bank answers 200 with a conforming body")]
fn answers_ok(world: &mut BankWorld) -> Result<(), String> {
    let last = world.last()?;
    if last.status != 200 {
        return Err(format!(
            "expected HTTP 200, got {}: {:?}",
            last.status, last.payload
        ));
    }
    Ok(())
}

#[then("the body was encrypted to the police certificate")]
fn was_encrypted(world: &mut BankWorld) -> Result<(), String> {
    let last = world.last()?;
    match &last.jwe {
        Some(_) => Ok(()),
        None => Err(format!(
            "the 200 body was not a JWE for the consumer key (Content-Type {:?})",
            last.content_type
        )),
    }
}

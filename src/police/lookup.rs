//! The reference police client's case: registry → datakatalog → per bank (concurrently, with a
//! bound) Accounts → the 2b endpoints the order allows, following pagination; the result is
//! the case result of [`super::result`] plus every exchange made (the transcript).
//!
//! Order of work (digest 1.2): one token per scope and audience; the registry first (Trinn 1,
//! never with the order, digest 4.2); each bank's base URL from the catalogue (digest 1.3);
//! Accounts (Trinn 2a) before Account details, Transactions, Cards and Roles (Trinn 2b), each
//! only when the order's flag allows it (digest 5.6), never for `dataNotDelivered` (digest 4.7).

use super::case::{CaseError, CaseInput};
use super::driver::{CallError, Driver, Exchange, Outgoing, RegistryGrant};
use super::faults::PoliceFault;
use super::result::{AccountResult, BankResult, BankStatus, CaseResult, CASE_RESULT_FORMAT};
use crate::domain::control::{AccountDetails, Accounts, Cards, Roles, Transactions};
use crate::domain::enums::ResponseStatus;
use crate::domain::mandate::LegalMandate;
use crate::domain::order::ExtraditionOrderPayload;
use crate::domain::registry::CustomerRelationships;
use crate::domain::request::{
    to_pairs, ControlHeaders, Endpoint, PeriodQuery, RegistryHeaders, RegistryQuery,
    SCOPE_KONTOINFORMASJON, SCOPE_KUNDEFORHOLD,
};
use crate::mocks::catalog::ENDPOINTS_PATH;
use serde::de::DeserializeOwned;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Why a case could not be run at all (per-bank failures end up in the result instead).
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// The case input is unusable.
    #[error("case: {0}")]
    Case(#[from] CaseError),
    /// Step 1 failed.
    #[error("registry: {0}")]
    Registry(String),
    /// The catalogue could not be listed (direct-call mode).
    #[error("catalogue: {0}")]
    Catalog(String),
}

/// A finished case: the result and every exchange, in the order they completed.
#[derive(Debug)]
pub struct CaseRun {
    /// What the implementation reports.
    pub result: CaseResult,
    /// Every exchange made.
    pub transcript: Vec<Exchange>,
}

/// Shared per-case state.
struct Ctx<'a> {
    driver: &'a Driver,
    case: &'a CaseInput,
    order: ExtraditionOrderPayload,
    mandate: LegalMandate,
    fixed_correlation: String,
    /// The case reference of the `own-case-id` switch: one UUID for the whole case, not the
    /// order's caseID.
    own_case_id: String,
    transcript: Mutex<Vec<Exchange>>,
}

impl Ctx<'_> {
    fn correlation_id(&self) -> String {
        if self.driver.has(PoliceFault::ReuseCorrelationId) {
            self.fixed_correlation.clone()
        } else {
            Uuid::new_v4().to_string()
        }
    }

    fn case_id(&self) -> String {
        if self.driver.has(PoliceFault::VaryCaseId) {
            Uuid::new_v4().to_string()
        } else if self.driver.has(PoliceFault::OwnCaseId) {
            self.own_case_id.clone()
        } else {
            self.case.case_id.clone()
        }
    }

    fn mandate_header(&self) -> String {
        if self.driver.has(PoliceFault::UnencodedMandate) {
            self.mandate.plain().to_owned()
        } else {
            self.mandate.encoded().to_owned()
        }
    }

    fn record(&self, exchange: &Exchange) {
        if let Ok(mut t) = self.transcript.lock() {
            t.push(exchange.clone());
        }
    }

    /// Sends with retries, records the exchange, and reads a 200 JSON body as `T`.
    async fn fetch<T: DeserializeOwned>(&self, request: Outgoing) -> Result<(T, Exchange), String> {
        let exchange = self
            .driver
            .send_with_retry(request)
            .await
            .map_err(|e: CallError| e.to_string())?;
        self.record(&exchange);
        let body = exchange.payload.clone();
        if exchange.status != 200 {
            let detail = match &body {
                Ok(v) => format!(
                    "{}: {}",
                    v["code"].as_str().unwrap_or("?"),
                    v["message"].as_str().unwrap_or("")
                ),
                Err(e) => e.clone(),
            };
            return Err(format!("HTTP {} ({detail})", exchange.status));
        }
        let value = body?;
        let typed =
            serde_json::from_value(value).map_err(|e| format!("unexpected response shape: {e}"))?;
        Ok((typed, exchange))
    }

    fn period(&self) -> (String, String) {
        let mut from = self.case.from_date.clone();
        if self.driver.has(PoliceFault::WidenPeriod) {
            if let Ok(d) = crate::domain::dates::parse_iso_date(&from) {
                if let Some(earlier) = d.pred_opt() {
                    from = earlier.format("%Y-%m-%d").to_string();
                }
            }
        }
        let mut to = self.case.to_date.clone();
        if self.driver.has(PoliceFault::DateTimeDates) {
            from.push_str("T00:00:00");
            to.push_str("T00:00:00");
        }
        (from, to)
    }

    /// The party as sent (PartyID, CustomerID): the order's partyID, or grouped with spaces
    /// as printed under the `spaced-party-id` switch.
    fn party_id(&self) -> String {
        let party = &self.case.party_id;
        if !self.driver.has(PoliceFault::SpacedPartyId) || !party.is_ascii() {
            return party.clone();
        }
        let groups: &[usize] = match party.len() {
            11 => &[6],
            9 => &[3, 6],
            _ => &[],
        };
        let mut spaced = String::new();
        for (i, c) in party.chars().enumerate() {
            if groups.contains(&i) {
                spaced.push(' ');
            }
            spaced.push(c);
        }
        spaced
    }

    fn control_request(
        &self,
        base: &str,
        endpoint: Endpoint,
        reference: &str,
        token: &str,
        next_url: Option<&str>,
    ) -> Outgoing {
        let headers = ControlHeaders {
            authorization: format!("Bearer {token}"),
            accept: Some(
                if self.case.plain_json {
                    "application/json"
                } else {
                    "application/jose"
                }
                .into(),
            ),
            account_info_request_id: self.case_id(),
            correlation_id: self.correlation_id(),
            legal_mandate: self.mandate_header(),
            party_id: (endpoint == Endpoint::Accounts).then(|| self.party_id()),
            additional_reference_id: (endpoint == Endpoint::Accounts
                || !self.driver.has(PoliceFault::OmitOrderOn2b))
            .then(|| self.case.extradition_order.clone()),
            additional_reference_id_type: Some(
                if self.driver.has(PoliceFault::ReftypePol) {
                    "pol"
                } else {
                    "pol1"
                }
                .into(),
            ),
            requester_id: (!self.driver.has(PoliceFault::OmitRequesterId))
                .then(|| self.case.requester_id.clone()),
        };
        let headers = to_pairs(&headers);
        match next_url {
            // Paging: the bank's next link, already resolved on its origin by
            // [`resolve_next`] (digest 7.4), re-sent with the same headers.
            Some(url) => Outgoing::get(url, &[], headers),
            None => {
                let (from_date, to_date) = self.period();
                let query = PeriodQuery {
                    from_date,
                    to_date,
                    only_primary_owner: (endpoint == Endpoint::Accounts).then(|| {
                        if self.case.only_primary_owner
                            && !self.driver.has(PoliceFault::OpoAlwaysFalse)
                        {
                            "TRUE"
                        } else {
                            "FALSE"
                        }
                        .to_owned()
                    }),
                };
                Outgoing::get(
                    &join(base, &endpoint.path(reference)),
                    &to_pairs(&query),
                    headers,
                )
            }
        }
    }
}

/// `base` + a relative `href` (an absolute href is used as it is).
pub(crate) fn join(base: &str, href: &str) -> String {
    if href.starts_with("http://") || href.starts_with("https://") {
        return href.to_owned();
    }
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        href.trim_start_matches('/')
    )
}

fn next_link(links: &[crate::domain::control::Link]) -> Option<String> {
    links
        .iter()
        .find(|l| l.rel == "next")
        .map(|l| l.href.clone())
}

/// The URL a `next` link leads to, on the bank's own origin only (digest 7.4: `href` is a
/// relative URL, joined to the bank's base URL). An absolute link to the same origin is
/// tolerated; a link that resolves to any other origin (another host, port or scheme, or a
/// `//host` reference) is refused: the client would send the bank's token and the extradition
/// order there. The `Err` is the finding about the bank, worded for the case result.
pub(crate) fn resolve_next(base: &str, href: &str) -> Result<String, String> {
    let origin = |url: &str| reqwest::Url::parse(url).map(|u| u.origin());
    let bank = origin(base).map_err(|e| format!("bank base URL {base:?} is not a URL: {e}"))?;
    let url = if href.starts_with("//") {
        // A network-path reference names another authority; never joined as a path.
        format!("{}:{href}", base.split(':').next().unwrap_or("https"))
    } else {
        join(base, href)
    };
    match origin(&url) {
        Ok(o) if o == bank => Ok(url),
        Ok(_) => Err(format!(
            "next link {href:?} leads to another origin than the bank's {}; not followed, so \
             the token and the extradition order stay with the bank (digest 7.4: href is \
             relative)",
            bank.ascii_serialization()
        )),
        Err(e) => Err(format!("next link {href:?} is not a usable URL: {e}")),
    }
}

/// The finding when a listing's `next` links do not end within the page cap.
fn page_cap_finding(listing: &str, max_pages: usize) -> String {
    format!(
        "{listing}: more than {max_pages} pages, the next links do not end (digest 7.4); \
         stopped after page {max_pages}"
    )
}

/// Runs a whole case.
pub async fn run_case(driver: &Driver, case: &CaseInput) -> Result<CaseRun, LookupError> {
    let ctx = Ctx {
        driver,
        case,
        order: case.order_payload()?,
        mandate: case.mandate()?,
        fixed_correlation: Uuid::new_v4().to_string(),
        own_case_id: Uuid::new_v4().to_string(),
        transcript: Mutex::new(Vec::new()),
    };
    let banks = if !case.direct_banks.is_empty() {
        direct_banks(&ctx).await
    } else if driver.has(PoliceFault::SkipRegistry) {
        catalogue_banks(&ctx).await?
    } else {
        registry_banks(&ctx).await?
    };
    let first_base = Arc::new(tokio::sync::OnceCell::<String>::new());
    let semaphore = Arc::new(tokio::sync::Semaphore::new(
        driver.config().concurrency.max(1),
    ));
    let ctx_ref = &ctx;
    let futures = banks.into_iter().map(|(org, name)| {
        let semaphore = semaphore.clone();
        let first_base = first_base.clone();
        async move {
            let _permit = semaphore.acquire().await;
            bank_case(ctx_ref, &org, &name, &first_base).await
        }
    });
    let mut results = futures::future::join_all(futures).await;
    if driver.has(PoliceFault::DropOnBankFailure)
        && results.iter().any(|b| b.status == BankStatus::Failed)
    {
        for bank in &mut results {
            bank.accounts.clear();
        }
    }
    let transcript = ctx
        .transcript
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(CaseRun {
        result: CaseResult {
            format: CASE_RESULT_FORMAT.into(),
            case_id: case.case_id.clone(),
            party_id: case.party_id.clone(),
            from_date: case.from_date.clone(),
            to_date: case.to_date.clone(),
            banks: results,
        },
        transcript,
    })
}

/// Trinn 1: `customerRelationships` for the party and period (digest 2.1).
async fn registry_banks(ctx: &Ctx<'_>) -> Result<Vec<(String, String)>, LookupError> {
    let registry = ctx.driver.config().registry_url.clone();
    let resource = match ctx.driver.config().registry_grant {
        RegistryGrant::RegistryUrl => Some(registry.as_str()),
        RegistryGrant::NoResource => None,
    };
    let token = ctx
        .driver
        .token(SCOPE_KUNDEFORHOLD, resource)
        .await
        .map_err(|e| LookupError::Registry(e.to_string()))?;
    let headers = RegistryHeaders {
        authorization: format!("Bearer {token}"),
        customer_id: Some(ctx.party_id()),
        account_id: None,
        correlation_id: ctx.correlation_id(),
        legal_mandate: ctx.mandate_header(),
        account_info_request_id: ctx.case_id(),
    };
    let mut headers = to_pairs(&headers);
    if ctx.driver.has(PoliceFault::OrderOnRegistry) {
        headers.push((
            "AdditionalReferenceID".into(),
            ctx.case.extradition_order.clone(),
        ));
        headers.push(("AdditionalReferenceIDType".into(), "pol1".into()));
    }
    let query = RegistryQuery {
        from_date: ctx.case.from_date.clone(),
        to_date: ctx.case.to_date.clone(),
        only_primary_owner: Some(ctx.case.only_primary_owner.to_string()),
    };
    let request = Outgoing::get(
        &format!("{registry}/customers/customerRelationships"),
        &to_pairs(&query),
        headers,
    );
    let (answer, _): (CustomerRelationships, _) =
        ctx.fetch(request).await.map_err(LookupError::Registry)?;
    Ok(answer
        .banks
        .into_iter()
        .map(|b| (b.organization_id, b.bank_name))
        .collect())
}

/// Direct-call mode (fault `skip-registry`): every bank the catalogue lists.
async fn catalogue_banks(ctx: &Ctx<'_>) -> Result<Vec<(String, String)>, LookupError> {
    let url = format!("{}{ENDPOINTS_PATH}", ctx.driver.config().catalog_url);
    let (entries, _): (Vec<serde_json::Value>, _) = ctx
        .fetch(Outgoing::get(&url, &[], vec![]))
        .await
        .map_err(LookupError::Catalog)?;
    Ok(entries
        .iter()
        .filter_map(|e| {
            Some((
                e["orgNo"].as_str()?.to_owned(),
                e["name"].as_str().unwrap_or("").to_owned(),
            ))
        })
        .collect())
}

/// Direct-call mode (`DSOP_DIRECT_BANKS`, digest 1.2): the banks the case names, with their
/// names from the catalogue list (the organisation number when the list is unavailable).
async fn direct_banks(ctx: &Ctx<'_>) -> Vec<(String, String)> {
    let listed = catalogue_banks(ctx).await.unwrap_or_default();
    ctx.case
        .direct_banks
        .iter()
        .map(|org| {
            let name = listed
                .iter()
                .find(|(o, _)| o == org)
                .map_or_else(|| org.clone(), |(_, n)| n.clone());
            (org.clone(), name)
        })
        .collect()
}

/// One bank's part of the case; never fails as a whole — failures become its status.
async fn bank_case(
    ctx: &Ctx<'_>,
    org: &str,
    name: &str,
    first_base: &tokio::sync::OnceCell<String>,
) -> BankResult {
    let mut bank = BankResult {
        org_number: org.to_owned(),
        name: name.to_owned(),
        status: BankStatus::Complete,
        messages: Vec::new(),
        accounts: Vec::new(),
    };
    let fail = |mut bank: BankResult, why: String| {
        bank.status = BankStatus::Failed;
        bank.messages.push(why);
        bank
    };
    // digest 1.3: the bank's base URL from Felles datakatalog.
    let url = format!("{}{ENDPOINTS_PATH}/{org}", ctx.driver.config().catalog_url);
    let base = match ctx
        .fetch::<serde_json::Value>(Outgoing::get(&url, &[], vec![]))
        .await
    {
        Ok((entry, _)) => match entry["url"].as_str() {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => return fail(bank, "catalogue entry has no url".into()),
        },
        Err(e) => return fail(bank, format!("catalogue lookup: {e}")),
    };
    // The token's audience is the catalogue url as given (digest 6.2); the calls go to
    // `api_base`, which is the same unless a fault switch rebuilds it.
    let api_base = if ctx.driver.has(PoliceFault::CatalogueHostOnly) {
        reqwest::Url::parse(&base)
            .map_or_else(|_| base.clone(), |u| u.origin().ascii_serialization())
    } else {
        base.clone()
    };
    let audience = if ctx.driver.has(PoliceFault::OneTokenForAll) {
        first_base
            .get_or_init(|| async { base.clone() })
            .await
            .clone()
    } else {
        base.clone()
    };
    let scope = if ctx.driver.has(PoliceFault::RegistryScopeAtBanks) {
        SCOPE_KUNDEFORHOLD
    } else {
        SCOPE_KONTOINFORMASJON
    };
    let token = match ctx.driver.token(scope, Some(&audience)).await {
        Ok(t) => t,
        Err(e) => return fail(bank, e.to_string()),
    };
    // Trinn 2a: Accounts, every page (at most `max_pages`, on the bank's origin only).
    let mut accounts = Vec::new();
    let mut next_url = None;
    let mut pages = 0;
    loop {
        let request = ctx.control_request(
            &api_base,
            Endpoint::Accounts,
            "",
            &token,
            next_url.as_deref(),
        );
        pages += 1;
        match ctx.fetch::<Accounts>(request).await {
            Ok((page, _)) => {
                note_partial(
                    &mut bank,
                    page.response_details.status,
                    page.response_details.message.as_deref(),
                    ctx,
                );
                accounts.extend(page.accounts);
                let Some(href) = next_link(&page.links) else {
                    break;
                };
                if ctx.driver.has(PoliceFault::FirstPageOnly) {
                    break;
                }
                if pages >= ctx.driver.config().max_pages {
                    let max = ctx.driver.config().max_pages;
                    return fail(bank, page_cap_finding("Accounts", max));
                }
                match resolve_next(&api_base, &href) {
                    Ok(url) => next_url = Some(url),
                    Err(finding) => return fail(bank, format!("Accounts: {finding}")),
                }
            }
            Err(e) => return fail(bank, format!("Accounts: {e}")),
        }
    }
    // Trinn 2b per account.
    for account in accounts {
        let reference = account.account_reference.clone();
        let data_not_delivered = reference == "dataNotDelivered";
        let mut result = AccountResult {
            account,
            data_not_delivered,
            details: None,
            transactions: None,
            cards: None,
            roles: None,
            errors: Vec::new(),
        };
        // digest 3.2.1: the 2b path carries the opaque accountReference from Accounts; the
        // `account-number-as-reference` switch uses the account number (v1's AccountID habit).
        let reference =
            if !data_not_delivered && ctx.driver.has(PoliceFault::AccountNumberAsReference) {
                result.account.account_identifier.clone()
            } else {
                reference
            };
        if !data_not_delivered || ctx.driver.has(PoliceFault::CallDataNotDelivered) {
            account_calls(ctx, &api_base, &token, &reference, &mut result, &mut bank).await;
        }
        if !result.errors.is_empty() && bank.status == BankStatus::Complete {
            bank.status = BankStatus::Partial;
        }
        bank.accounts.push(result);
    }
    bank
}

fn note_partial(
    bank: &mut BankResult,
    status: ResponseStatus,
    message: Option<&str>,
    ctx: &Ctx<'_>,
) {
    if status == ResponseStatus::Partial && !ctx.driver.has(PoliceFault::PartialAsComplete) {
        bank.status = BankStatus::Partial;
        let message = message.unwrap_or("partial without a message").to_owned();
        if !bank.messages.contains(&message) {
            bank.messages.push(message);
        }
    }
}

fn allowed(ctx: &Ctx<'_>, endpoint: Endpoint) -> bool {
    endpoint.permitted_by(&ctx.order) || ctx.driver.has(PoliceFault::CallForbiddenEndpoint)
}

async fn account_calls(
    ctx: &Ctx<'_>,
    base: &str,
    token: &str,
    reference: &str,
    result: &mut AccountResult,
    bank: &mut BankResult,
) {
    if allowed(ctx, Endpoint::AccountDetails) {
        let request = ctx.control_request(base, Endpoint::AccountDetails, reference, token, None);
        match ctx.fetch::<AccountDetails>(request).await {
            Ok((d, _)) => {
                note_partial(
                    bank,
                    d.response_details.status,
                    d.response_details.message.as_deref(),
                    ctx,
                );
                result.details = d.account;
            }
            Err(e) => result.errors.push(format!("Account details: {e}")),
        }
    }
    if allowed(ctx, Endpoint::Transactions) {
        let mut all = Vec::new();
        let mut next_url = None;
        let mut pages = 0;
        loop {
            let request = ctx.control_request(
                base,
                Endpoint::Transactions,
                reference,
                token,
                next_url.as_deref(),
            );
            pages += 1;
            match ctx.fetch::<Transactions>(request).await {
                Ok((page, _)) => {
                    note_partial(
                        bank,
                        page.response_details.status,
                        page.response_details.message.as_deref(),
                        ctx,
                    );
                    let href = next_link(&page.links);
                    let last_of_several = href.is_none() && pages > 1;
                    if !(last_of_several && ctx.driver.has(PoliceFault::DropLastPage)) {
                        all.extend(page.transactions);
                    }
                    let Some(href) = href.filter(|_| !ctx.driver.has(PoliceFault::FirstPageOnly))
                    else {
                        result.transactions = Some(all);
                        break;
                    };
                    let max = ctx.driver.config().max_pages;
                    let next = if pages >= max {
                        Err(page_cap_finding("Transactions", max))
                    } else {
                        resolve_next(base, &href).map_err(|f| format!("Transactions: {f}"))
                    };
                    match next {
                        Ok(url) => next_url = Some(url),
                        Err(finding) => {
                            result.errors.push(finding);
                            break;
                        }
                    }
                }
                Err(e) => {
                    result.errors.push(format!("Transactions: {e}"));
                    break;
                }
            }
        }
    }
    if allowed(ctx, Endpoint::Cards) {
        let request = ctx.control_request(base, Endpoint::Cards, reference, token, None);
        match ctx.fetch::<Cards>(request).await {
            Ok((c, _)) => {
                note_partial(
                    bank,
                    c.response_details.status,
                    c.response_details.message.as_deref(),
                    ctx,
                );
                result.cards = Some(c.payment_cards);
            }
            Err(e) => result.errors.push(format!("Cards: {e}")),
        }
    }
    if allowed(ctx, Endpoint::Roles) {
        let request = ctx.control_request(base, Endpoint::Roles, reference, token, None);
        match ctx.fetch::<Roles>(request).await {
            Ok((r, _)) => {
                note_partial(
                    bank,
                    r.response_details.status,
                    r.response_details.message.as_deref(),
                    ctx,
                );
                result.roles = Some(r.roles);
            }
            Err(e) => result.errors.push(format!("Roles: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_hrefs_join_the_base_url() {
        assert_eq!(
            join("http://h/v2", "/accounts/x/transactions?page=2"),
            "http://h/v2/accounts/x/transactions?page=2"
        );
        assert_eq!(join("http://h/v2/", "accounts"), "http://h/v2/accounts");
        assert_eq!(join("http://h/v2", "https://other/p"), "https://other/p");
    }

    #[test]
    fn next_links_resolve_on_the_banks_origin_only() {
        let base = "http://127.0.0.1:4000/v2";
        assert_eq!(
            resolve_next(base, "/accounts?page=2").as_deref(),
            Ok("http://127.0.0.1:4000/v2/accounts?page=2")
        );
        assert_eq!(
            resolve_next(base, "http://127.0.0.1:4000/v2/accounts?page=2").as_deref(),
            Ok("http://127.0.0.1:4000/v2/accounts?page=2")
        );
        for foreign in [
            "http://127.0.0.1:4001/v2/accounts",
            "https://127.0.0.1:4000/v2/accounts",
            "http://evil.example/v2/accounts",
            "//evil.example/v2/accounts",
        ] {
            let finding = resolve_next(base, foreign);
            assert!(
                matches!(&finding, Err(f) if f.contains("another origin")),
                "{foreign}: {finding:?}"
            );
        }
    }
}

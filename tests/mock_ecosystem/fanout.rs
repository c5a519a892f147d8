//! One case fanned out over many banks through the whole ecosystem (digest 1.2): registry →
//! datakatalog → every bank (Accounts, then Account details, Transactions with paging, Cards,
//! Roles), concurrently, with real `BankMock`s on real sockets. Done twice: with plain reqwest
//! (proving the mocks on their own), and with the reference police client
//! (`police::lookup::run_case`). Both must leave a journal without a single rule violation.

use crate::helpers::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dsop_harness::{
    eo::OrderBuilder, jwe, run_case, Artifact, BankStatus, CaseInput, Clock, Driver, DriverConfig,
    Ecosystem, EcosystemConfig, LegalMandate, MessageKind, Population, RegistryGrant, TrustDir,
    SCOPE_KUNDEFORHOLD, UNRESTRICTED_AUDIENCE,
};
use libtest_mimic::{Failed, Trial};
use serde_json::Value;
use std::sync::Arc;
use std::time::Instant;

const BANKS: usize = 20;

fn err(e: impl std::fmt::Display) -> Failed {
    e.to_string().into()
}

/// A generated population of `BANKS` banks in which one owner has an account at every bank.
fn fanout_population() -> (Arc<Population>, String) {
    let (population, owner) = dsop_harness::fanout_population(BANKS).expect("fan-out population");
    (Arc::new(population), owner)
}

async fn start(population: &Arc<Population>, trust: &Arc<TrustDir>) -> Result<Ecosystem, Failed> {
    let mut config = EcosystemConfig::new(
        Arc::clone(trust),
        Arc::clone(population),
        dsop_harness::mock_bank_factory(),
    );
    config.clock = Clock::system();
    let started = Instant::now();
    let ecosystem = Ecosystem::start(config).await.map_err(err)?;
    println!(
        "ecosystem with {BANKS} real banks ready in {:?}",
        started.elapsed()
    );
    Ok(ecosystem)
}

fn order(
    trust: &TrustDir,
    party: &str,
    from: &str,
    to: &str,
    case_id: &str,
) -> Result<String, Failed> {
    Ok(OrderBuilder::valid(chrono::Utc::now())
        .party_id(party)
        .mandate(LegalMandate::CriminalCase)
        .from_date(from)
        .to_date(to)
        .case_id(case_id)
        .only_primary_owner(false)
        .build(trust)
        .map_err(err)?
        .jws)
}

/// Plain reqwest: tokens, registry, catalogue, then every bank concurrently.
async fn plain_reqwest_fanout() -> Result<(), Failed> {
    let trust = trust();
    let (population, party) = fanout_population();
    let ecosystem = start(&population, &trust).await?;
    let manifest = ecosystem.manifest().clone();
    let http = reqwest::Client::new();
    let from = (population.reference_date - chrono::Days::new(365)).to_string();
    let to = population.reference_date.to_string();
    let case_id = uuid::Uuid::new_v4().to_string();
    let eo = order(&trust, &party, &from, &to, &case_id)?;
    let consumer_key = trust.key(Artifact::ConsumerEncryptionKey).map_err(err)?;
    let token = |scope: &'static str, resource: String| {
        let (http, trust, endpoint) = (
            http.clone(),
            Arc::clone(&trust),
            manifest.maskinporten.token_endpoint.clone(),
        );
        async move {
            police_token(
                &http,
                &trust,
                &endpoint,
                scope,
                resource,
                chrono::Utc::now().timestamp(),
            )
            .await
        }
    };
    let mandate = LegalMandate::CriminalCase.encoded();
    let registry_token = token("bits:kundeforhold", manifest.registry.url.clone()).await?;
    let relations: Value = http
        .get(format!(
            "{}?fromDate={from}&toDate={to}&onlyPrimaryOwner=false",
            manifest.registry.customer_relationships
        ))
        .bearer_auth(&registry_token)
        .header("CustomerID", &party)
        .header("CorrelationID", uuid::Uuid::new_v4().to_string())
        .header("AccountInfoRequestID", &case_id)
        .header("Legal-Mandate", mandate)
        .send()
        .await
        .map_err(err)?
        .json()
        .await
        .map_err(err)?;
    valid(
        MessageKind::RegistryCustomerRelationshipsResponse,
        &relations,
    )?;
    let banks: Vec<String> = relations["banks"]
        .as_array()
        .map(|b| {
            b.iter()
                .filter_map(|b| b["organizationID"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    check(banks.len() == BANKS, || {
        format!("registry named {} banks: {relations}", banks.len())
    })?;

    let started = Instant::now();
    let per_bank = banks.iter().map(|org| {
        let (http, eo, case_id, from, to, party) = (
            http.clone(),
            eo.clone(),
            case_id.clone(),
            from.clone(),
            to.clone(),
            party.clone(),
        );
        let (catalog, token, key) = (
            manifest.datakatalog.endpoints.clone(),
            &token,
            consumer_key.clone(),
        );
        async move {
            let entry: Value = http
                .get(format!("{catalog}/{org}"))
                .send()
                .await
                .map_err(err)?
                .json()
                .await
                .map_err(err)?;
            valid(MessageKind::DatakatalogEntry, &entry)?;
            let base = entry["url"].as_str().unwrap_or_default().to_owned();
            let bank_token = token("bits:kontoinformasjon", base.clone()).await?;
            let call = |path: String, kind: MessageKind, with_party: bool| {
                let (http, bank_token, eo, case_id, party, key) = (
                    http.clone(),
                    bank_token.clone(),
                    eo.clone(),
                    case_id.clone(),
                    party.clone(),
                    key.clone(),
                );
                async move {
                    let mut request = http
                        .get(path)
                        .bearer_auth(&bank_token)
                        .header("Accept", "application/jose")
                        .header("AccountInfoRequestID", &case_id)
                        .header("CorrelationID", uuid::Uuid::new_v4().to_string())
                        .header("Legal-Mandate", mandate)
                        .header("AdditionalReferenceID", &eo)
                        .header("AdditionalReferenceIDType", "pol1")
                        .header("RequesterID", "pseudo-fanout-1");
                    if with_party {
                        request = request.header("PartyID", &party);
                    }
                    let response = request.send().await.map_err(err)?;
                    let status = response.status();
                    let text = response.text().await.map_err(err)?;
                    check(status == 200, || format!("HTTP {status}: {text}"))?;
                    let (plain, _, _) = jwe::decrypt(&text, key.pkcs8_der()).map_err(err)?;
                    let body: Value = serde_json::from_slice(&plain).map_err(err)?;
                    valid(kind, &body)?;
                    Ok::<Value, Failed>(body)
                }
            };
            let accounts = call(
                format!("{base}/accounts?fromDate={from}&toDate={to}&OnlyPrimaryOwner=FALSE"),
                MessageKind::Accounts,
                true,
            )
            .await?;
            let list = accounts["accounts"].as_array().cloned().unwrap_or_default();
            check(!list.is_empty(), || format!("bank {org} listed nothing"))?;
            let mut calls = 1;
            for account in list {
                let reference = account["accountReference"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                if reference == "dataNotDelivered" {
                    continue;
                }
                let r = utf8_path(&reference);
                call(
                    format!("{base}/accounts/{r}?fromDate={from}&toDate={to}"),
                    MessageKind::AccountDetails,
                    false,
                )
                .await?;
                let mut next = Some(format!(
                    "/accounts/{r}/transactions?fromDate={from}&toDate={to}"
                ));
                while let Some(href) = next {
                    let page =
                        call(format!("{base}{href}"), MessageKind::Transactions, false).await?;
                    calls += 1;
                    next = page["links"]
                        .as_array()
                        .and_then(|l| l.iter().find(|l| l["rel"] == "next"))
                        .and_then(|l| l["href"].as_str().map(str::to_owned));
                }
                call(
                    format!("{base}/accounts/{r}/cards?fromDate={from}&toDate={to}"),
                    MessageKind::Cards,
                    false,
                )
                .await?;
                call(
                    format!("{base}/accounts/{r}/roles?fromDate={from}&toDate={to}"),
                    MessageKind::Roles,
                    false,
                )
                .await?;
                calls += 3;
            }
            Ok::<usize, Failed>(calls)
        }
    });
    let calls: usize = futures::future::join_all(per_bank)
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .sum();
    println!(
        "fan-out to {BANKS} banks: {calls} bank calls in {:?}",
        started.elapsed()
    );
    let journal = ecosystem.journal();
    let violations = journal.violations();
    check(violations.is_empty(), || {
        format!("journal recorded violations: {violations:#?}")
    })?;
    let bank_entries = journal
        .entries()
        .iter()
        .filter(|e| e.mock.starts_with("bank:"))
        .count();
    check(bank_entries == calls, || {
        format!("journal has {bank_entries} bank requests, the client made {calls}")
    })?;
    ecosystem.shutdown();
    Ok(())
}

fn utf8_path(reference: &str) -> String {
    dsop_harness::Endpoint::AccountDetails
        .path(reference)
        .trim_start_matches("/accounts/")
        .to_owned()
}

/// The reference police client runs the same case: complete result, zero violations, and
/// every listed account's data equals what the banks served — with either registry grant
/// (digest 1.2, 6.3: with `resource` = the registry URL, or without `resource`).
async fn reference_client_fanout(registry_grant: RegistryGrant) -> Result<(), Failed> {
    let trust = trust();
    let (population, party) = fanout_population();
    let ecosystem = start(&population, &trust).await?;
    let manifest = ecosystem.manifest().clone();
    let from = (population.reference_date - chrono::Days::new(365)).to_string();
    let to = population.reference_date.to_string();
    let case_id = uuid::Uuid::new_v4().to_string();
    let case = CaseInput {
        party_id: party.clone(),
        from_date: from.clone(),
        to_date: to.clone(),
        legal_mandate: LegalMandate::CriminalCase.plain().into(),
        only_primary_owner: false,
        case_id: case_id.clone(),
        requester_id: "pseudo-reference-1".into(),
        extradition_order: order(&trust, &party, &from, &to, &case_id)?,
        plain_json: false,
        direct_banks: Vec::new(),
    };
    let mut config = DriverConfig::new(
        &manifest.maskinporten.token_endpoint,
        &manifest.registry.url,
        &manifest.datakatalog.url,
    );
    config.registry_grant = registry_grant;
    let driver = Driver::new(config, &trust).map_err(err)?;
    // The registry token the mode asks for: aud = the registry URL, or Maskinporten's default.
    let resource = match registry_grant {
        RegistryGrant::RegistryUrl => Some(manifest.registry.url.as_str()),
        RegistryGrant::NoResource => None,
    };
    let token = driver
        .token(SCOPE_KUNDEFORHOLD, resource)
        .await
        .map_err(err)?;
    let claims: Value = token
        .split('.')
        .nth(1)
        .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
        .and_then(|p| serde_json::from_slice(&p).ok())
        .ok_or("registry token is not a JWT")?;
    let want_aud = resource.unwrap_or(UNRESTRICTED_AUDIENCE);
    check(claims["aud"] == want_aud, || {
        format!(
            "{registry_grant:?}: registry token aud {}, expected {want_aud}",
            claims["aud"]
        )
    })?;
    let started = Instant::now();
    let run = run_case(&driver, &case).await.map_err(err)?;
    println!(
        "reference police client: {} banks, {} requests in {:?}",
        run.result.banks.len(),
        run.transcript.len(),
        started.elapsed()
    );
    valid(
        MessageKind::CaseResult,
        &serde_json::to_value(&run.result).map_err(err)?,
    )?;
    check(run.result.banks.len() == BANKS, || {
        format!("{} banks in the result", run.result.banks.len())
    })?;
    for bank in &run.result.banks {
        check(bank.status != BankStatus::Failed, || {
            format!("bank {} failed: {:?}", bank.org_number, bank.messages)
        })?;
        check(!bank.accounts.is_empty(), || {
            format!("bank {} has no accounts", bank.org_number)
        })?;
        for account in bank.accounts.iter().filter(|a| !a.data_not_delivered) {
            check(account.errors.is_empty(), || {
                format!(
                    "{}: {:?}",
                    account.account.account_reference, account.errors
                )
            })?;
            check(
                account.details.is_some()
                    && account.transactions.is_some()
                    && account.cards.is_some()
                    && account.roles.is_some(),
                || format!("{} incomplete", account.account.account_reference),
            )?;
        }
    }
    let violations = ecosystem.journal().violations();
    check(violations.is_empty(), || {
        format!("journal recorded violations: {violations:#?}")
    })?;
    ecosystem.shutdown();
    Ok(())
}

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "fanout::1.2::twenty_banks_with_plain_reqwest_leave_no_violation",
            || runtime().block_on(plain_reqwest_fanout()),
        ),
        Trial::test(
            "fanout::1.2::reference_police_client_over_twenty_banks_leaves_no_violation",
            || runtime().block_on(reference_client_fanout(RegistryGrant::RegistryUrl)),
        ),
        Trial::test(
            "fanout::6.3::reference_police_client_with_registry_grant_without_resource_leaves_no_violation",
            || runtime().block_on(reference_client_fanout(RegistryGrant::NoResource)),
        ),
    ]
}

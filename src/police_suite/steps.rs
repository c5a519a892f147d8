//! Step definitions of the police suite. `Given` steps describe the case (party, order,
//! per-bank fault profiles); `When the police implementation runs the case` starts the
//! scenario's own ecosystem, runs the trigger and collects the evidence (journal, case result);
//! `Then` steps judge it ([`super::judge`]).

use super::judge::{self, BankExpectation, CaseSpec, Finding};
use super::trigger::{self, TriggerEnd};
use super::Context;
use crate::domain::enums::ResponseStatus;
use crate::domain::mandate::LegalMandate;
use crate::domain::request::Endpoint;
use crate::domain::values::Period;
use crate::mocks::ecosystem::{Ecosystem, EcosystemConfig};
use crate::mocks::faults::FaultSpec;
use crate::mocks::journal::Entry;
use crate::population::model::Register;
use crate::rules::Level;
use crate::suite::transcript::{ScenarioKey, TranscriptEntry};
use crate::trust::eo::OrderBuilder;
use cucumber::{given, then, when};
use std::collections::BTreeMap;
use std::sync::Arc;

/// How long a scenario's ecosystem may take to start.
const ECOSYSTEM_START: std::time::Duration = std::time::Duration::from_secs(20);

/// One scenario's state.
#[derive(Debug, cucumber::World)]
#[world(init = Self::new)]
pub(crate) struct PoliceWorld {
    pub(super) ctx: Option<Arc<Context>>,
    party: Option<String>,
    mandate: LegalMandate,
    only_primary_owner: bool,
    allowed: Vec<Endpoint>,
    faults: BTreeMap<String, Vec<String>>,
    direct_banks: Vec<String>,
    evidence: Option<Evidence>,
    /// The scenario's key for its transcript (set by the run's `before` hook).
    pub(super) key: ScenarioKey,
}

/// What one run of the trigger left behind.
#[derive(Debug)]
struct Evidence {
    spec: CaseSpec,
    /// Journal entries caused by the implementation (after the ecosystem's own start-up).
    entries: Vec<Entry>,
    end: TriggerEnd,
    written: Result<Vec<u8>, String>,
}

impl PoliceWorld {
    fn new() -> Self {
        Self {
            ctx: None,
            party: None,
            mandate: LegalMandate::CriminalCase,
            only_primary_owner: false,
            allowed: vec![
                Endpoint::AccountDetails,
                Endpoint::Transactions,
                Endpoint::Cards,
                Endpoint::Roles,
            ],
            faults: BTreeMap::new(),
            direct_banks: Vec::new(),
            evidence: None,
            key: ScenarioKey::default(),
        }
    }

    fn ctx(&self) -> Result<Arc<Context>, String> {
        self.ctx
            .clone()
            .ok_or_else(|| "the police suite was started without a context".to_owned())
    }

    fn party(&self) -> Result<String, String> {
        self.party
            .clone()
            .ok_or_else(|| "no party chosen: start with 'Given a case for the ... party'".into())
    }

    fn period(ctx: &Context) -> Result<Period, String> {
        let (from, to) = super::cases::default_period(ctx.population.reference_date);
        Period::new(from, to).map_err(|e| e.to_string())
    }

    /// The banks the registry names for this case, in its order (the oracle).
    fn case_banks(&self) -> Result<Vec<String>, String> {
        let ctx = self.ctx()?;
        let party = self.party()?;
        Ok(crate::mocks::registry::customer_relationships(
            &ctx.population,
            &party,
            Self::period(&ctx)?,
            Some(self.only_primary_owner),
            ctx.population.reference_date,
        )
        .banks
        .into_iter()
        .map(|b| b.organization_id)
        .collect())
    }

    fn bank(&self, index: usize) -> Result<String, String> {
        let banks = self.case_banks()?;
        index
            .checked_sub(1)
            .and_then(|i| banks.get(i))
            .cloned()
            .ok_or_else(|| {
                format!(
                    "the case has {} bank(s); there is no bank {index}",
                    banks.len()
                )
            })
    }

    fn evidence(&self) -> Result<&Evidence, String> {
        self.evidence.as_ref().ok_or_else(|| {
            "the case was not run: add 'When the police implementation runs the case'".into()
        })
    }

    async fn run_case(&mut self) -> Result<(), String> {
        let ctx = self.ctx()?;
        let party = self.party()?;
        let period = Self::period(&ctx)?;
        let now = chrono::Utc::now();
        let case_id = uuid::Uuid::new_v4().to_string();
        let requester_id = format!("pseudo-handler-{}", &case_id[..8]);
        let (from, to) = (period.from().to_string(), period.to().to_string());
        let mut builder = OrderBuilder::valid(now)
            .party_id(&party)
            .mandate(self.mandate)
            .from_date(&from)
            .to_date(&to)
            .case_id(&case_id)
            .only_primary_owner(self.only_primary_owner);
        for endpoint in Endpoint::ALL
            .into_iter()
            .filter(|e| e.needs_account_reference())
        {
            builder = builder.flag(endpoint, self.allowed.contains(&endpoint));
        }
        let order = builder
            .build(&ctx.trust)
            .map_err(|e| format!("building the extradition order: {e}"))?;

        let mut config = EcosystemConfig::new(
            Arc::clone(&ctx.trust),
            Arc::clone(&ctx.population),
            crate::mocks::bank::mock_bank_factory(),
        );
        config.faults = self.faults.clone();
        config.default_front_end = crate::mocks::server::FrontEnd::Hyper;
        let ecosystem = tokio::time::timeout(ECOSYSTEM_START, Ecosystem::start(config))
            .await
            .map_err(|_| {
                format!(
                    "the mock ecosystem did not start within {} s (a defect of the harness)",
                    ECOSYSTEM_START.as_secs()
                )
            })?
            .map_err(|e| format!("starting the mock ecosystem: {e}"))?;
        let start = ecosystem.journal().len() as u64;
        let manifest = ecosystem.manifest().clone();

        let dir = ctx.work_dir.join(&case_id);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let output = dir.join("case-result.json");
        let mut vars: BTreeMap<String, String> = [
            (
                "DSOP_MASKINPORTEN_URL",
                manifest.maskinporten.token_endpoint.clone(),
            ),
            ("DSOP_REGISTRY_URL", manifest.registry.url.clone()),
            ("DSOP_CATALOG_URL", manifest.datakatalog.url.clone()),
            ("DSOP_TRUST_DIR", ctx.trust.path().display().to_string()),
            ("DSOP_PARTY_ID", party.clone()),
            ("DSOP_FROM_DATE", from),
            ("DSOP_TO_DATE", to),
            ("DSOP_LEGAL_MANDATE", self.mandate.plain().to_owned()),
            (
                "DSOP_ONLY_PRIMARY_OWNER",
                if self.only_primary_owner {
                    "true"
                } else {
                    "false"
                }
                .to_owned(),
            ),
            ("DSOP_CASE_ID", case_id.clone()),
            ("DSOP_REQUESTER_ID", requester_id.clone()),
            ("DSOP_EXTRADITION_ORDER", order.jws),
            ("DSOP_OUTPUT", output.display().to_string()),
            (
                "DSOP_PLAIN_JSON",
                if ctx.config.plain_json { "1" } else { "0" }.to_owned(),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        if !self.direct_banks.is_empty() {
            vars.insert("DSOP_DIRECT_BANKS".into(), self.direct_banks.join(","));
        }

        let end = trigger::run(&ctx.config.trigger, &vars, ctx.config.timeout).await;
        if let Ok(mut tally) = ctx.tally.lock() {
            match &end {
                TriggerEnd::CouldNotRun { reason } => tally.unavailable.push(reason.clone()),
                _ => tally.ran += 1,
            }
        }
        let all = ecosystem.journal().entries();
        // Dropping a wiremock server blocks its thread (it verifies its mocks with a nested
        // executor); off the scenario's thread, so concurrent scenarios keep running.
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            tokio::task::spawn_blocking(move || ecosystem.shutdown()),
        )
        .await;
        ctx.transcripts
            .extend(&self.key, all.iter().map(TranscriptEntry::from_journal));
        let entries: Vec<Entry> = all.into_iter().filter(|e| e.seq >= start).collect();
        let written = std::fs::read(&output).map_err(|e| {
            format!(
                "the implementation wrote no case result to DSOP_OUTPUT ({}): {e}",
                output.display()
            )
        });
        let mut banks = BTreeMap::new();
        for (org, specs) in &self.faults {
            let specs: Vec<FaultSpec> = specs
                .iter()
                .filter_map(|s| FaultSpec::parse(s).ok())
                .collect();
            banks.insert(org.clone(), BankExpectation::from_specs(&specs));
        }
        let spec = CaseSpec {
            party_id: party,
            period,
            only_primary_owner: self.only_primary_owner,
            case_id,
            requester_id,
            allowed: self.allowed.clone(),
            direct_banks: self.direct_banks.clone(),
            banks,
        };
        let failed = !end.succeeded();
        let evidence = Evidence {
            spec,
            entries,
            end,
            written,
        };
        let message = failed.then(|| {
            let findings = judge::journal_findings(&evidence.entries, &evidence.spec);
            format!(
                "{}\n  case result: {}{}",
                evidence.end.describe(),
                match &evidence.written {
                    Ok(b) => format!("{} bytes written", b.len()),
                    Err(e) => e.clone(),
                },
                if findings.is_empty() {
                    String::new()
                } else {
                    format!(
                        "\n  the requests it made broke these rules:\n  {}",
                        judge::describe(&findings)
                    )
                }
            )
        });
        self.evidence = Some(evidence);
        match message {
            Some(m) => Err(m),
            None => Ok(()),
        }
    }
}

fn verdict(findings: Vec<Finding>) -> Result<(), String> {
    if findings.is_empty() {
        Ok(())
    } else {
        Err(judge::describe(&findings))
    }
}

#[given(expr = "a case for the {word} party")]
fn case_for(world: &mut PoliceWorld, name: String) -> Result<(), String> {
    let ctx = world.ctx()?;
    let party = ctx.parties.get(&name).ok_or_else(|| {
        format!(
            "no party called {name:?} in the suite's population; known: {}",
            ctx.parties.names().join(", ")
        )
    })?;
    world.party = Some(party.to_owned());
    Ok(())
}

#[given("the order's mandate is the missing-person mandate")]
fn missing_person(world: &mut PoliceWorld) {
    world.mandate = LegalMandate::MissingPerson;
}

#[given(expr = "the order does not allow {word}")]
fn order_forbids(world: &mut PoliceWorld, name: String) -> Result<(), String> {
    let endpoint = Endpoint::parse(&name)
        .filter(|e| e.needs_account_reference())
        .ok_or_else(|| {
            format!("{name:?} is not a 2b endpoint (account-details, transactions, cards, roles)")
        })?;
    world.allowed.retain(|e| *e != endpoint);
    Ok(())
}

#[given("the order has onlyPrimaryOwner true")]
fn order_only_primary_owner(world: &mut PoliceWorld) {
    world.only_primary_owner = true;
}

#[given(expr = "bank {int} of the case has fault profile {string}")]
fn bank_fault(world: &mut PoliceWorld, index: usize, profile: String) -> Result<(), String> {
    FaultSpec::parse(&profile).map_err(|e| e.to_string())?;
    let org = world.bank(index)?;
    world.faults.entry(org).or_default().push(profile);
    Ok(())
}

#[given(expr = "the case names bank {int} for a direct call")]
fn direct_call(world: &mut PoliceWorld, index: usize) -> Result<(), String> {
    let org = world.bank(index)?;
    world.direct_banks.push(org);
    Ok(())
}

#[when("the police implementation runs the case")]
async fn runs_the_case(world: &mut PoliceWorld) -> Result<(), String> {
    world.run_case().await
}

#[then("the police broke no mandatory rule")]
fn no_mandatory_rule_broken(world: &mut PoliceWorld) -> Result<(), String> {
    let e = world.evidence()?;
    verdict(
        judge::journal_findings(&e.entries, &e.spec)
            .into_iter()
            .filter(|f| f.level() == Level::Mandatory)
            .collect(),
    )
}

#[then(expr = "the police kept rule {word}")]
fn kept_rule(world: &mut PoliceWorld, rule: String) -> Result<(), String> {
    let Some(rule) = crate::rules::Rule::from_id(&rule) else {
        return Err(format!("{rule} is not a catalogued requirement"));
    };
    let e = world.evidence()?;
    verdict(
        judge::journal_findings(&e.entries, &e.spec)
            .into_iter()
            .filter(|f| f.rule == rule)
            .collect(),
    )
}

#[then("the case result is complete and exact")]
fn result_exact(world: &mut PoliceWorld) -> Result<(), String> {
    let ctx = world.ctx()?;
    let e = world.evidence()?;
    verdict(judge::result_findings(
        e.written.as_deref().map_err(Clone::clone),
        &e.spec,
        &e.entries,
        &ctx.population,
    ))
}

#[then("the case covered KAR and KFR banks, a partial answer, a dataNotDelivered account and more than 1000 transactions")]
fn case_coverage(world: &mut PoliceWorld) -> Result<(), String> {
    let ctx = world.ctx()?;
    let e = world.evidence()?;
    let registers: Vec<Register> = judge::registry_banks(&e.entries)
        .iter()
        .filter_map(|(org, _)| {
            ctx.population
                .banks
                .iter()
                .find(|b| &b.org_number == org)
                .map(|b| b.register)
        })
        .collect();
    let bank_answers = || {
        e.entries
            .iter()
            .filter(|x| x.mock.starts_with("bank:") && x.status == 200)
    };
    let partial = bank_answers().any(|x| {
        serde_json::from_value::<ResponseStatus>(x.response["responseDetails"]["status"].clone())
            .is_ok_and(|s| s == ResponseStatus::Partial)
    });
    let dnd = bank_answers().any(|x| {
        x.response["accounts"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|a| a["accountReference"] == "dataNotDelivered")
    });
    let paged = bank_answers().any(|x| {
        x.response["transactions"]
            .as_array()
            .is_some_and(|t| t.len() >= 1000)
            && x.response["links"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|l| l["rel"] == "next")
    });
    let missing: Vec<&str> = [
        (registers.contains(&Register::Kar), "a KAR bank"),
        (registers.contains(&Register::Kfr), "a KFR bank"),
        (partial, "a partial answer"),
        (dnd, "a dataNotDelivered account"),
        (paged, "a transaction list over 1000 items with a next link"),
    ]
    .into_iter()
    .filter(|(ok, _)| !ok)
    .map(|(_, what)| what)
    .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the suite's own data did not exercise {} (a defect of the suite's population, or the \
             implementation never asked)",
            missing.join(", ")
        ))
    }
}

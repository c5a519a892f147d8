//! The seeded-fault proof: every requirement of the catalogue ([`crate::rules`]) is shown to be
//! able to fail.
//!
//! A check that cannot fail is a defect. Each fault of a reference implementation — a
//! [`FaultProfile`] of the mock bank, a [`PoliceFault`] of the reference police client —
//! declares the rules it breaks (`breaks()`). The proof runs, for every such claim, the suite of
//! the rule's side on the scenarios tagged `@req-<RULE>` only, against the reference
//! implementation with that one fault on, and accepts the claim only when a scenario fails
//! with a finding that names the rule: a failure for another reason (a schema error, another
//! rule's check) does not count. A rule is *proven* when at least one fault's claim on it is
//! accepted. `dsop-harness requirements --proof` prints the table and `proven: N/M`; the same
//! table is in `docs/requirements.md`, and a test fails when a rule loses its proof.
//!
//! The reference implementations themselves pass every scenario (the suites' own tests), so a
//! failure under a fault is the fault's doing.

use crate::bank_suite::{self, BankSuiteConfig, Fixtures};
use crate::mocks::ecosystem::{Ecosystem, EcosystemConfig};
use crate::mocks::faults::FaultProfile;
use crate::police::faults::{FaultSet, PoliceFault};
use crate::police_suite::{self, PoliceSuiteConfig, Trigger};
use crate::population::Population;
use crate::rules::{Rule, Side};
use crate::suite::outcome::{ScenarioStatus, SuiteOutcome};
use crate::suite::run::Selection;
use crate::trust::TrustDir;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// A seeded fault of either reference implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    /// A fault profile of the mock bank (`mocks serve --fault NAME`).
    Bank(FaultProfile),
    /// A fault switch of the reference police client (`police lookup --fault NAME`).
    Police(PoliceFault),
}

impl Fault {
    /// Every fault, bank profiles first.
    pub fn all() -> Vec<Fault> {
        FaultProfile::ALL
            .iter()
            .map(|f| Fault::Bank(*f))
            .chain(PoliceFault::ALL.iter().map(|f| Fault::Police(*f)))
            .collect()
    }

    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Bank(f) => f.name(),
            Fault::Police(f) => f.name(),
        }
    }

    /// One line saying what the fault does.
    pub fn describe(self) -> &'static str {
        match self {
            Fault::Bank(f) => f.describe(),
            Fault::Police(f) => f.describe(),
        }
    }

    /// The rules the fault claims to break.
    pub fn breaks(self) -> &'static [Rule] {
        match self {
            Fault::Bank(f) => f.breaks(),
            Fault::Police(f) => f.breaks(),
        }
    }

    /// The side whose suite must catch it.
    pub fn side(self) -> Side {
        match self {
            Fault::Bank(_) => Side::Bank,
            Fault::Police(_) => Side::Police,
        }
    }
}

/// The Markdown table of every fault of one side: name, kind, the rules it claims to break and
/// its effect (`requirements --fault-table SIDE`; the block between the `faults:` markers of
/// docs/mock-bank.md and docs/police-vendors.md).
pub fn fault_table(side: Side) -> String {
    let mut out = String::from("| Fault | Kind | Breaks | Effect |\n|---|---|---|---|\n");
    for fault in Fault::all().into_iter().filter(|f| f.side() == side) {
        let kind = match fault {
            Fault::Bank(p) => match p.kind() {
                crate::mocks::faults::FaultKind::Transport => "transport",
                crate::mocks::faults::FaultKind::Conformance => "conformance",
            },
            Fault::Police(_) => "conformance",
        };
        let breaks = if fault.breaks().is_empty() {
            "—".to_owned()
        } else {
            fault
                .breaks()
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "| `{}` | {kind} | {breaks} | {} |",
            fault.name(),
            fault.describe().replace('|', "\\|")
        );
    }
    out
}

/// Whether `message` names `rule` as a whole ID (`BANK-CARD-MASK` is not named by a message
/// about `BANK-CARD-MASK-EXACT`).
pub(crate) fn names_rule(message: &str, rule: Rule) -> bool {
    let id = rule.id();
    message.match_indices(id).any(|(at, _)| {
        let before = message[..at].chars().next_back();
        let after = message[at + id.len()..].chars().next();
        let part_of_id = |c: Option<char>| {
            c.is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        };
        !part_of_id(before) && !part_of_id(after)
    })
}

/// One claim checked: `fault` run on the scenarios of `rule`.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The fault.
    pub fault: Fault,
    /// The rule it claims to break.
    pub rule: Rule,
    /// How many scenarios of the rule ran.
    pub ran: usize,
    /// The scenarios that failed with a finding naming the rule.
    pub caught_by: Vec<String>,
    /// The scenarios that failed for another reason only.
    pub failed_otherwise: Vec<String>,
    /// Why the run itself could not be made (no scenario tagged with the rule, the ecosystem
    /// did not start), if so.
    pub error: Option<String>,
}

impl Attempt {
    /// The claim holds: at least one scenario of the rule failed naming it.
    pub fn caught(&self) -> bool {
        self.error.is_none() && !self.caught_by.is_empty()
    }

    fn from_outcome(fault: Fault, rule: Rule, outcome: &SuiteOutcome) -> Self {
        let mut caught_by = Vec::new();
        let mut failed_otherwise = Vec::new();
        for s in &outcome.scenarios {
            if s.status != ScenarioStatus::Failed {
                continue;
            }
            let names = s.steps.iter().any(|step| {
                step.error
                    .as_deref()
                    .is_some_and(|message| names_rule(message, rule))
            });
            let list = if names {
                &mut caught_by
            } else {
                &mut failed_otherwise
            };
            if !list.contains(&s.scenario) {
                list.push(s.scenario.clone());
            }
        }
        Self {
            fault,
            rule,
            ran: outcome.scenarios.len(),
            caught_by,
            failed_otherwise,
            error: None,
        }
    }

    fn failed(fault: Fault, rule: Rule, error: String) -> Self {
        Self {
            fault,
            rule,
            ran: 0,
            caught_by: Vec::new(),
            failed_otherwise: Vec::new(),
            error: Some(error),
        }
    }
}

/// What the proof runs on.
#[derive(Debug, Clone)]
pub struct ProofConfig {
    /// Trust directory of the mocks and suites (initialised if empty).
    pub trust_dir: PathBuf,
    /// The data the mock banks serve and the bank suite expects.
    pub population: Arc<Population>,
    /// The features directory (with `bank/` and `police/`).
    pub features_root: PathBuf,
}

/// The tag selecting the scenarios of `rule`.
fn selection(rule: Rule) -> Result<Selection, String> {
    Selection::parse(Some(&format!("@req-{}", rule.id())), None).map_err(|e| e.to_string())
}

/// Checks one claim: `fault` on, the scenarios of `rule` run.
pub async fn attempt(config: &ProofConfig, fault: Fault, rule: Rule) -> Attempt {
    let outcome = match selection(rule) {
        Ok(selection) => run_with(config, fault, selection).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(outcome) => Attempt::from_outcome(fault, rule, &outcome),
        Err(e) => Attempt::failed(fault, rule, e),
    }
}

/// The suite of `fault`'s side on `selection`, against the reference with `fault` on.
async fn run_with(
    config: &ProofConfig,
    fault: Fault,
    selection: Selection,
) -> Result<SuiteOutcome, String> {
    match fault {
        Fault::Bank(profile) => bank_run(config, profile, selection).await,
        Fault::Police(switch) => police_run(config, switch, selection).await,
    }
}

/// What a fault does to the whole suite of its side: every rule a failing scenario names.
#[derive(Debug, Clone)]
pub(crate) struct Isolation {
    /// The fault.
    pub fault: Fault,
    /// Every rule named by a failure of the full suite with the fault on.
    pub failing: BTreeSet<Rule>,
    /// Why the run could not be made, if so.
    pub error: Option<String>,
}

impl Isolation {
    /// The rules that fail besides the ones the fault claims.
    pub(crate) fn also(&self) -> Vec<Rule> {
        self.failing
            .iter()
            .filter(|r| !self.fault.breaks().contains(r))
            .copied()
            .collect()
    }

    /// One line: the fault, its claims, and what else fails.
    pub(crate) fn line(&self) -> String {
        let claims: Vec<&str> = self.fault.breaks().iter().map(|r| r.id()).collect();
        let also: Vec<&str> = self.also().iter().map(|r| r.id()).collect();
        let verdict = match (&self.error, also.is_empty()) {
            (Some(e), _) => format!("could not run: {e}"),
            (None, true) => "isolated: no other rule fails".to_owned(),
            (None, false) => format!("also fails {}", also.join(", ")),
        };
        format!(
            "{:<34} breaks {:<40} {verdict}",
            self.fault.name(),
            if claims.is_empty() {
                "nothing".to_owned()
            } else {
                claims.join(", ")
            }
        )
    }
}

/// Runs the full suite of each fault's side with the fault on ([`CONCURRENT_ATTEMPTS`] at a
/// time) and reports every rule its failures name: which faults only their own rules catch.
pub(crate) async fn isolation(config: &ProofConfig, faults: &[Fault]) -> Vec<Isolation> {
    use futures::StreamExt as _;
    futures::stream::iter(faults.iter().copied())
        .map(|fault| async move {
            match run_with(config, fault, Selection::default()).await {
                Ok(outcome) => Isolation {
                    fault,
                    failing: outcome
                        .scenarios
                        .iter()
                        .filter(|s| s.status == ScenarioStatus::Failed)
                        .flat_map(|s| s.steps.iter().filter_map(|st| st.error.as_deref()))
                        .flat_map(|message| {
                            Rule::all().filter(move |rule| names_rule(message, *rule))
                        })
                        .collect(),
                    error: None,
                },
                Err(e) => Isolation {
                    fault,
                    failing: BTreeSet::new(),
                    error: Some(e),
                },
            }
        })
        .buffered(CONCURRENT_ATTEMPTS)
        .collect()
        .await
}

async fn bank_run(
    config: &ProofConfig,
    profile: FaultProfile,
    selection: Selection,
) -> Result<SuiteOutcome, String> {
    let trust = Arc::new(TrustDir::open(&config.trust_dir).map_err(|e| e.to_string())?);
    let bank = config
        .population
        .banks
        .first()
        .ok_or("the population has no bank")?
        .org_number
        .clone();
    let mut eco = EcosystemConfig::new(
        trust,
        config.population.clone(),
        bank_suite::reference_bank_factory(config.trust_dir.clone()),
    );
    eco.faults
        .insert(bank.clone(), vec![profile.name().to_owned()]);
    let eco = Ecosystem::start(eco).await.map_err(|e| e.to_string())?;
    let base_url = eco
        .bank_url(&bank)
        .ok_or("the faulty bank has no URL")?
        .to_owned();
    let outcome = bank_suite::run(BankSuiteConfig {
        base_url,
        trust_dir: config.trust_dir.clone(),
        plain_json: false,
        features: config.features_root.join("bank"),
        selection,
        fixtures: Some(Fixtures::new(config.population.clone(), Some(&bank))?),
        fail_fast: false,
        request_timeout: None,
        max_body_bytes: None,
    })
    .await
    .map_err(|e| e.to_string());
    eco.shutdown();
    outcome
}

async fn police_run(
    config: &ProofConfig,
    switch: PoliceFault,
    selection: Selection,
) -> Result<SuiteOutcome, String> {
    let mut suite = PoliceSuiteConfig::new(
        Trigger::InProcess(FaultSet::none().with(switch)),
        config.features_root.join("police"),
    );
    suite.trust_dir = Some(config.trust_dir.clone());
    suite.selection = selection;
    suite.timeout = Duration::from_secs(60);
    let run = police_suite::run(suite).await.map_err(|e| e.to_string())?;
    match run.trigger_unavailable {
        Some(why) => Err(format!("the reference police client did not run: {why}")),
        None => Ok(run.outcome),
    }
}

/// How many claims are checked at once.
pub(crate) const CONCURRENT_ATTEMPTS: usize = 4;

/// Every claim checked.
#[derive(Debug, Clone, Default)]
pub struct Proof {
    /// One per (fault, rule it claims), in fault order.
    pub attempts: Vec<Attempt>,
}

impl Proof {
    /// Checks every claim of `faults`, `CONCURRENT_ATTEMPTS` suite runs at a time (each on
    /// its own ecosystem); the attempts are reported in fault order.
    pub async fn run(config: &ProofConfig, faults: &[Fault]) -> Result<Self, String> {
        use futures::StreamExt as _;
        TrustDir::init(&config.trust_dir).map_err(|e| e.to_string())?;
        let claims: Vec<(Fault, Rule)> = faults
            .iter()
            .flat_map(|f| f.breaks().iter().map(move |r| (*f, *r)))
            .collect();
        let attempts = futures::stream::iter(claims)
            .map(|(fault, rule)| attempt(config, fault, rule))
            .buffered(CONCURRENT_ATTEMPTS)
            .collect()
            .await;
        Ok(Self { attempts })
    }

    /// The accepted claims on `rule`.
    pub fn proofs_of(&self, rule: Rule) -> impl Iterator<Item = &Attempt> {
        self.attempts
            .iter()
            .filter(move |a| a.rule == rule && a.caught())
    }

    /// Whether `rule` has at least one accepted claim.
    pub fn proven(&self, rule: Rule) -> bool {
        self.proofs_of(rule).next().is_some()
    }

    /// (proven rules, all rules of the catalogue).
    pub fn count(&self) -> (usize, usize) {
        let all: Vec<Rule> = Rule::all().collect();
        (all.iter().filter(|r| self.proven(**r)).count(), all.len())
    }

    /// Claims that did not hold.
    pub fn refuted(&self) -> impl Iterator<Item = &Attempt> {
        self.attempts.iter().filter(|a| !a.caught())
    }

    /// The closing line: `proven: N/M`.
    pub fn summary_line(&self) -> String {
        let (proven, all) = self.count();
        format!("proven: {proven}/{all}")
    }

    /// One row per rule: ID, level, the faults that prove it, the scenarios that caught them.
    fn rows(&self) -> Vec<[String; 4]> {
        Rule::all()
            .map(|rule| {
                let proofs: Vec<&Attempt> = self.proofs_of(rule).collect();
                let faults: Vec<String> = proofs.iter().map(|a| a.fault.name().into()).collect();
                let scenarios: BTreeSet<&str> = proofs
                    .iter()
                    .flat_map(|a| a.caught_by.iter().map(String::as_str))
                    .collect();
                [
                    rule.id().to_owned(),
                    rule.level().as_str().to_owned(),
                    if faults.is_empty() {
                        "NOT PROVEN".to_owned()
                    } else {
                        faults.join(", ")
                    },
                    shortlist(scenarios.into_iter().collect()),
                ]
            })
            .collect()
    }

    /// Plain text: a line per rule, the refuted claims, then `proven: N/M`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for [id, level, faults, scenarios] in self.rows() {
            let _ = writeln!(out, "{id:<28} {level:<12} {faults:<40} {scenarios}");
        }
        for a in self.refuted() {
            let _ = writeln!(out, "{}", refutation(a));
        }
        let _ = writeln!(out, "{}", self.summary_line());
        out
    }

    /// The Markdown table of `docs/requirements.md` (between its `proof:` markers).
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "| Rule | Level | Seeded fault(s) that prove it | Scenario(s) that catch them |\n\
             |---|---|---|---|\n",
        );
        for [id, level, faults, scenarios] in self.rows() {
            let faults = faults
                .split(", ")
                .map(|f| {
                    if f == "NOT PROVEN" {
                        "**NOT PROVEN**".to_owned()
                    } else {
                        format!("`{f}`")
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            let scenarios = scenarios.replace('|', "\\|");
            let _ = writeln!(out, "| {id} | {level} | {faults} | {scenarios} |");
        }
        let refuted: Vec<String> = self.refuted().map(refutation).collect();
        if !refuted.is_empty() {
            out.push('\n');
            for line in refuted {
                let _ = writeln!(out, "- {line}");
            }
        }
        let _ = writeln!(out, "\n{}", self.summary_line());
        out
    }
}

/// The first three scenario names, and how many more.
fn shortlist(names: Vec<&str>) -> String {
    const SHOWN: usize = 3;
    let mut out = names
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join("; ");
    if names.len() > SHOWN {
        let _ = write!(out, "; and {} more", names.len() - SHOWN);
    }
    out
}

/// Why a claim did not hold, in one line.
fn refutation(a: &Attempt) -> String {
    let why = match &a.error {
        Some(e) => format!("could not run: {e}"),
        None if a.failed_otherwise.is_empty() => {
            format!("every one of the {} scenario(s) passed", a.ran)
        }
        None => format!(
            "failed only for other reasons: {}",
            a.failed_otherwise.join("; ")
        ),
    };
    format!(
        "claim refuted: {} breaks {} — {why}",
        a.fault.name(),
        a.rule.id()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_is_named_only_as_a_whole_id() {
        let (mask, exact) = (Rule::BankCardMask, Rule::BankCardMaskExact);
        assert!(names_rule(&format!("{mask}: shown"), mask));
        assert!(names_rule(&format!("[{mask}]"), mask));
        assert!(!names_rule(&format!("{exact}: shown"), mask));
        assert!(names_rule(&format!("x {exact}; {mask}"), mask));
        assert!(!names_rule(&format!("X{mask}"), mask));
    }

    #[test]
    fn every_fault_claims_rules_of_its_own_side() {
        for fault in Fault::all() {
            for rule in fault.breaks() {
                assert_eq!(rule.side(), fault.side(), "{} claims {rule}", fault.name());
            }
        }
    }
}

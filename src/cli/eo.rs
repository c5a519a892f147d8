//! `dsop-harness eo sign|verify|breaks`: extradition orders from the command line.

use crate::domain::mandate::LegalMandate;
use crate::domain::token::Jwks;
use crate::exit;
use crate::trust::eo::{
    check_payload_fields, Break, Endpoint, Environment, EoError, ExtraditionOrderVerifier,
    OrderBuilder, PAYLOAD_FIELDS,
};
use crate::trust::TrustDir;
use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use std::io::{Read, Write};
use std::path::PathBuf;

/// Extradition-order commands.
#[derive(Debug, Subcommand)]
pub enum EoCommand {
    /// Build and sign an extradition order (PS256 JWS) with the trust directory's test
    /// prosecution key and print it. Valid unless --break is given.
    Sign(SignArgs),
    /// Verify an extradition order as a bank must (digest 5.5) and print each check.
    /// Exit 0 when valid, 1 when a check fails.
    Verify(VerifyArgs),
    /// List every --break name with its effect.
    Breaks,
}

/// Legal basis of the order.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MandateArg {
    /// Straffeprosessloven §210 (3) første punktum.
    Criminal,
    /// Straffeprosessloven §210 (3) andre punktum.
    MissingPerson,
}

/// `eo sign` arguments.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Trust directory (see `trust init`).
    #[arg(long, env = "DSOP_TRUST_DIR")]
    pub trust_dir: PathBuf,
    /// Start from this payload JSON instead of the default valid payload.
    #[arg(long, env = "DSOP_EO_PAYLOAD")]
    pub payload: Option<PathBuf>,
    /// partyID (FNR, D-number or org. no.) — must equal the PartyID you send.
    #[arg(long, env = "DSOP_EO_PARTY_ID")]
    pub party_id: Option<String>,
    /// fromDate, YYYY-MM-DD.
    #[arg(long, env = "DSOP_EO_FROM_DATE")]
    pub from_date: Option<String>,
    /// toDate, YYYY-MM-DD.
    #[arg(long, env = "DSOP_EO_TO_DATE")]
    pub to_date: Option<String>,
    /// Legal basis (sets mandate and the matching reason).
    #[arg(long, value_enum, env = "DSOP_EO_MANDATE")]
    pub mandate: Option<MandateArg>,
    /// caseID (UUID) — should equal the AccountInfoRequestID you send.
    #[arg(long, env = "DSOP_EO_CASE_ID")]
    pub case_id: Option<String>,
    /// onlyPrimaryOwner true|false.
    #[arg(long, env = "DSOP_EO_ONLY_PRIMARY_OWNER")]
    pub only_primary_owner: Option<bool>,
    /// Endpoint flag, e.g. `cards=false` (accounts, account-details, transactions, cards, roles
    /// or the EO flag names). Repeatable.
    #[arg(long = "flag", env = "DSOP_EO_FLAGS", value_delimiter = ',')]
    pub flags: Vec<String>,
    /// Make the order invalid in a named way (see `eo breaks`). Repeatable.
    #[arg(long = "break", env = "DSOP_EO_BREAK", value_delimiter = ',')]
    pub breaks: Vec<String>,
    /// Also write the JWKS a verifier needs for this order (the published JWKS plus the key of a
    /// deliberately flawed signer, if any).
    #[arg(long, env = "DSOP_EO_JWKS_OUT")]
    pub jwks_out: Option<PathBuf>,
}

/// `eo verify` arguments.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Trust directory (JWKS and root).
    #[arg(long, env = "DSOP_TRUST_DIR")]
    pub trust_dir: PathBuf,
    /// Use this JWKS file instead of the trust directory's prosecution-jwks.json.
    #[arg(long, env = "DSOP_EO_JWKS")]
    pub jwks: Option<PathBuf>,
    /// Expect the production CN (`Godkjenning av utleveringspålegg`) instead of the test CN.
    #[arg(long, env = "DSOP_EO_PRODUCTION")]
    pub production: bool,
    /// Verification time (RFC 3339), default now.
    #[arg(long, env = "DSOP_EO_AT")]
    pub at: Option<String>,
    /// The JWS, or `-` to read it from standard input.
    pub jws: String,
}

/// Runs an EO command.
pub(crate) fn run(command: EoCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
    match command {
        EoCommand::Sign(args) => sign(args, out),
        EoCommand::Verify(args) => verify(args, out),
        EoCommand::Breaks => {
            for brk in Break::all() {
                writeln!(out, "{:<40} {}", brk.name(), brk.description())?;
            }
            Ok(exit::SUCCESS)
        }
    }
}

fn sign(args: SignArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let trust = TrustDir::open(&args.trust_dir)?;
    let mut builder = OrderBuilder::valid(Utc::now());
    if let Some(path) = &args.payload {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading payload {}", path.display()))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("payload {} is not JSON", path.display()))?;
        let Some(map) = value.as_object() else {
            bail!("payload {} is not a JSON object", path.display());
        };
        builder = builder.raw_payload(map.clone());
    }
    if let Some(v) = &args.party_id {
        builder = builder.party_id(v);
    }
    if let Some(v) = &args.from_date {
        builder = builder.from_date(v);
    }
    if let Some(v) = &args.to_date {
        builder = builder.to_date(v);
    }
    if let Some(m) = args.mandate {
        builder = builder.mandate(match m {
            MandateArg::Criminal => LegalMandate::CriminalCase,
            MandateArg::MissingPerson => LegalMandate::MissingPerson,
        });
    }
    if let Some(v) = &args.case_id {
        builder = builder.case_id(v);
    }
    if let Some(v) = args.only_primary_owner {
        builder = builder.only_primary_owner(v);
    }
    for flag in &args.flags {
        let (name, value) = flag
            .split_once('=')
            .with_context(|| format!("--flag {flag:?}: expected endpoint=true|false"))?;
        let endpoint = Endpoint::parse(name)
            .with_context(|| format!("--flag {flag:?}: unknown endpoint {name:?}"))?;
        let value: bool = value
            .parse()
            .with_context(|| format!("--flag {flag:?}: value must be true or false"))?;
        builder = builder.flag(endpoint, value);
    }
    let breaks = args
        .breaks
        .iter()
        .map(|name| name.parse::<Break>())
        .collect::<Result<Vec<_>, _>>()?;
    refuse_unasked(builder.payload(), &breaks)?;
    for brk in breaks {
        builder = builder.with_break(brk);
    }
    let built = builder.build(&trust)?;
    if let Some(path) = &args.jwks_out {
        let mut jwks = trust.prosecution_jwks()?;
        if built.extra_jwk {
            jwks.keys.push(built.jwk.clone());
        }
        std::fs::write(path, serde_json::to_vec_pretty(&jwks)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    writeln!(out, "{}", built.jws)?;
    Ok(exit::SUCCESS)
}

/// The `--break` that deliberately produces a payload failing `error` (a digest 5.3 format
/// rule), and the payload fields it concerns.
fn break_for(error: &EoError) -> Option<(Break, Vec<&'static str>)> {
    let path = |field: &str| PAYLOAD_FIELDS.iter().map(|(p, _)| *p).find(|p| *p == field);
    match error {
        EoError::FieldFormat { field, .. } => {
            let brk = match field.as_str() {
                "partyID" => Break::BadPartyId,
                "caseID" => Break::NonUuidCaseId,
                "extraditionOrderID" => Break::NonUuidExtraditionOrderId,
                "fromDate" | "toDate" => Break::BadDateFormat,
                "approval.approvalTimestamp" => Break::BadApprovalTimestamp,
                _ => return None,
            };
            Some((brk, vec![path(field)?]))
        }
        EoError::PeriodInverted { .. } => Some((Break::PeriodInverted, vec!["fromDate", "toDate"])),
        EoError::WrongVersion { .. } => Some((Break::WrongVersion, vec!["version"])),
        EoError::MissingField { field } => {
            let p = path(field)?;
            Some((Break::MissingField(p), vec![p]))
        }
        EoError::FieldType { field, .. } if field == "exp" => {
            Some((Break::ExpNotInteger, vec!["exp"]))
        }
        EoError::FieldType { field, expected } if *expected == "boolean" => {
            Some((Break::FlagNotBoolean, vec![path(field)?]))
        }
        _ => None,
    }
}

/// `eo sign` signs a payload that breaks a digest 5.3 format rule (an impossible date such as
/// 2026-02-30, `fromDate` after `toDate`, a malformed `partyID` or `caseID`, …) only when a
/// `--break` asks for exactly that: a typo must not become a deliberately broken order. The
/// rules are the verifier's ([`check_payload_fields`]); a failure a requested break accounts
/// for is set aside (its fields taken from the default valid order) and the rest checked.
fn refuse_unasked(
    payload: &serde_json::Map<String, serde_json::Value>,
    breaks: &[Break],
) -> anyhow::Result<()> {
    let valid = OrderBuilder::valid(Utc::now());
    let mut payload = payload.clone();
    for _ in 0..=PAYLOAD_FIELDS.len() {
        let Err(error) = check_payload_fields(&payload) else {
            return Ok(());
        };
        match break_for(&error) {
            Some((brk, fields)) if breaks.contains(&brk) => {
                for field in fields {
                    let (head, tail) = field.split_once('.').unwrap_or((field, ""));
                    let default = valid.payload().get(head).cloned();
                    match (tail.is_empty(), default) {
                        (true, Some(value)) => drop(payload.insert(head.to_owned(), value)),
                        (false, Some(serde_json::Value::Object(parent))) => {
                            let entry = payload
                                .entry(head.to_owned())
                                .or_insert_with(|| serde_json::Value::Object(parent.clone()));
                            if let (Some(obj), Some(v)) = (entry.as_object_mut(), parent.get(tail))
                            {
                                obj.insert(tail.to_owned(), v.clone());
                            }
                        }
                        _ => {}
                    }
                }
            }
            Some((brk, _)) => bail!(
                "refusing to sign: {error} ({}); pass --break {} to sign such an order on purpose",
                error.section(),
                brk.name()
            ),
            None => bail!(
                "refusing to sign: {error} ({}); no --break produces it",
                error.section()
            ),
        }
    }
    bail!("refusing to sign: the payload breaks more digest 5.3 rules than the breaks asked for")
}

fn verify(args: VerifyArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let trust = TrustDir::open(&args.trust_dir)?;
    let now: DateTime<Utc> = match &args.at {
        Some(at) => DateTime::parse_from_rfc3339(at)
            .with_context(|| format!("--at {at:?} is not RFC 3339"))?
            .to_utc(),
        None => Utc::now(),
    };
    let environment = if args.production {
        Environment::Production
    } else {
        Environment::Test
    };
    let mut verifier = ExtraditionOrderVerifier::from_trust_dir(&trust, environment, now)?;
    if let Some(path) = &args.jwks {
        let text = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let jwks: Jwks = serde_json::from_slice(&text)
            .with_context(|| format!("{} is not a JWKS", path.display()))?;
        verifier = verifier.with_extra_keys(jwks.keys);
    }
    let jws = if args.jws == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text
    } else {
        args.jws.clone()
    };
    let report = verifier.verify_with_report(jws.trim());
    for step in &report.steps {
        match &step.outcome {
            Ok(detail) => writeln!(out, "PASS {:<22} {detail} ({})", step.name, step.section)?,
            Err(e) => {
                let (status, code) = e.http();
                writeln!(
                    out,
                    "FAIL {:<22} [{}] {e} ({}) -> bank answers HTTP {status} {code}",
                    step.name,
                    e.rule(),
                    e.section()
                )?;
            }
        }
    }
    if report.first_failure().is_some() {
        writeln!(out, "INVALID")?;
        Ok(exit::FAILURE)
    } else {
        writeln!(out, "VALID")?;
        Ok(exit::SUCCESS)
    }
}

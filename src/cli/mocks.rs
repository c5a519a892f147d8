//! `dsop-harness mocks serve`: run the whole mock ecosystem until Ctrl-C (see
//! `docs/mock-ecosystem.md`).
//!
//! Prints the manifest (every URL, schema `manifest`) as JSON on stdout once everything is up,
//! appends the request journal as JSON lines to `--journal` every half second and at exit.
//! Settings come from `--settings FILE` (JSON, [`ServeFile`]) and flags; a flag (or its `DSOP_…`
//! variable) wins over the file.

use crate::cli::exit;
use crate::mocks::ecosystem::{BankFactory, Ecosystem, EcosystemConfig};
use crate::mocks::journal::Journal;
use crate::mocks::server::FrontEnd;
use crate::population::{Population, PopulationConfig};
use crate::trust::TrustDir;
use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Mock-ecosystem commands.
#[derive(Debug, Subcommand)]
pub enum MocksCommand {
    /// Start Maskinporten, the registry, Felles datakatalog, CertPub, the prosecution JWKS and
    /// one mock bank per population bank on loopback; print the manifest JSON; run until Ctrl-C.
    Serve(ServeArgs),
}

/// `mocks serve` arguments.
#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// JSON settings file (keys as the flags, camelCase: banks, seed, population, trustDir, tls,
    /// faults {BANK: [PROFILE]}, frontEnd, bankFrontEnds {BANK: FRONTEND}, journal). Not
    /// `--config`: that is the global TOML configuration file of every subcommand.
    #[arg(long, env = "DSOP_MOCKS_SETTINGS", value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// Number of banks of the generated population (default 5).
    #[arg(long, env = "DSOP_MOCKS_BANKS")]
    pub banks: Option<usize>,
    /// Seed of the generated population (default: the default pack's seed).
    #[arg(long, env = "DSOP_MOCKS_SEED")]
    pub seed: Option<u64>,
    /// Serve this population file (test data pack) instead of generating one.
    #[arg(long, env = "DSOP_MOCKS_POPULATION")]
    pub population: Option<PathBuf>,
    /// Trust directory; created or completed if needed (default `trust`).
    #[arg(long, env = "DSOP_TRUST_DIR")]
    pub trust_dir: Option<PathBuf>,
    /// Serve every mock over HTTPS (certificate from the trust directory; trust `tls-ca.pem`).
    #[arg(long, env = "DSOP_MOCKS_TLS")]
    pub tls: bool,
    /// A fault profile for a bank: `BANK=PROFILE[:N]`, BANK an organisation number or the
    /// bank's 1-based position in the population. Repeatable.
    #[arg(long = "fault", env = "DSOP_MOCKS_FAULTS", value_delimiter = ',')]
    pub faults: Vec<String>,
    /// Front end of the banks: `hyper` (default; bounded bodies and timeouts) or `wiremock`
    /// (unbounded request bodies: not for systems under test). TLS always uses hyper.
    #[arg(long, env = "DSOP_MOCKS_FRONT_END")]
    pub front_end: Option<FrontEnd>,
    /// Append the request journal as JSON lines to this file.
    #[arg(long, env = "DSOP_MOCKS_JOURNAL")]
    pub journal: Option<PathBuf>,
}

/// The `--settings` file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServeFile {
    /// As `--banks`.
    pub banks: Option<usize>,
    /// As `--seed`.
    pub seed: Option<u64>,
    /// As `--population`.
    pub population: Option<PathBuf>,
    /// As `--trust-dir`.
    pub trust_dir: Option<PathBuf>,
    /// As `--tls`.
    #[serde(default)]
    pub tls: bool,
    /// As `--fault`, by bank.
    #[serde(default)]
    pub faults: BTreeMap<String, Vec<String>>,
    /// As `--front-end`.
    pub front_end: Option<FrontEnd>,
    /// Front end per bank.
    #[serde(default)]
    pub bank_front_ends: BTreeMap<String, FrontEnd>,
    /// As `--journal`.
    pub journal: Option<PathBuf>,
}

/// Settings after merging the file and the flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeSettings {
    /// Banks of a generated population.
    pub banks: usize,
    /// Seed of a generated population.
    pub seed: u64,
    /// Population file to serve instead.
    pub population: Option<PathBuf>,
    /// Trust directory.
    pub trust_dir: PathBuf,
    /// HTTPS.
    pub tls: bool,
    /// Faults by bank reference (org number or 1-based position).
    pub faults: BTreeMap<String, Vec<String>>,
    /// Default bank front end.
    pub front_end: FrontEnd,
    /// Front ends by bank reference.
    pub bank_front_ends: BTreeMap<String, FrontEnd>,
    /// Journal file.
    pub journal: Option<PathBuf>,
}

impl ServeSettings {
    /// Merges `file` and `args` (flags win).
    pub fn merge(file: ServeFile, args: &ServeArgs) -> anyhow::Result<Self> {
        let mut faults = file.faults;
        for spec in &args.faults {
            let Some((bank, profile)) = spec.split_once('=') else {
                bail!("--fault {spec:?}: expected BANK=PROFILE (e.g. 1=server-error:2)");
            };
            if bank.is_empty() || profile.is_empty() {
                bail!("--fault {spec:?}: expected BANK=PROFILE (e.g. 1=server-error:2)");
            }
            faults
                .entry(bank.to_owned())
                .or_default()
                .push(profile.to_owned());
        }
        Ok(Self {
            banks: args.banks.or(file.banks).unwrap_or(5),
            seed: args
                .seed
                .or(file.seed)
                .unwrap_or(PopulationConfig::default_pack().seed),
            population: args.population.clone().or(file.population),
            trust_dir: args
                .trust_dir
                .clone()
                .or(file.trust_dir)
                .unwrap_or_else(|| PathBuf::from("trust")),
            tls: args.tls || file.tls,
            faults,
            front_end: args.front_end.or(file.front_end).unwrap_or_default(),
            bank_front_ends: file.bank_front_ends,
            journal: args.journal.clone().or(file.journal),
        })
    }

    /// The population to serve.
    pub fn population(&self) -> anyhow::Result<Population> {
        match &self.population {
            Some(path) => Population::load(path)
                .with_context(|| format!("loading population {}", path.display())),
            None => Ok(Population::generate(&PopulationConfig {
                seed: self.seed,
                banks: self.banks,
                ..PopulationConfig::default_pack()
            })),
        }
    }

    /// The ecosystem configuration for `population` (bank references resolved to org numbers).
    pub fn ecosystem_config(
        &self,
        trust: Arc<TrustDir>,
        population: Arc<Population>,
        bank_factory: BankFactory,
    ) -> anyhow::Result<EcosystemConfig> {
        let resolve = |reference: &str| -> anyhow::Result<String> {
            if let Some(bank) = population.banks.iter().find(|b| b.org_number == reference) {
                return Ok(bank.org_number.clone());
            }
            reference
                .parse::<usize>()
                .ok()
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| population.banks.get(i))
                .map(|b| b.org_number.clone())
                .with_context(|| {
                    format!(
                        "bank {reference:?} is neither an organisation number of the population \
                         nor a position 1..={}",
                        population.banks.len()
                    )
                })
        };
        let mut config = EcosystemConfig::new(trust, Arc::clone(&population), bank_factory);
        config.tls = self.tls;
        config.default_front_end = self.front_end;
        for (bank, profiles) in &self.faults {
            config
                .faults
                .entry(resolve(bank)?)
                .or_default()
                .extend(profiles.iter().cloned());
        }
        for (bank, front_end) in &self.bank_front_ends {
            config.bank_front_ends.insert(resolve(bank)?, *front_end);
        }
        Ok(config)
    }
}

/// Runs a mocks command.
pub fn run(command: MocksCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
    match command {
        MocksCommand::Serve(args) => {
            let file = match &args.settings {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .with_context(|| format!("reading {}", path.display()))?;
                    serde_json::from_str(&text)
                        .with_context(|| format!("{}: invalid settings", path.display()))?
                }
                None => ServeFile::default(),
            };
            let settings = ServeSettings::merge(file, &args)?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            runtime.block_on(serve(&settings, crate::mocks::bank::factory(), out))
        }
    }
}

/// Starts the ecosystem, prints the manifest, writes the journal until Ctrl-C.
pub async fn serve(
    settings: &ServeSettings,
    bank_factory: BankFactory,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    let trust =
        Arc::new(TrustDir::init(&settings.trust_dir).with_context(|| {
            format!("preparing trust directory {}", settings.trust_dir.display())
        })?);
    let population = Arc::new(settings.population()?);
    let config = settings.ecosystem_config(trust, population, bank_factory)?;
    let ecosystem = Ecosystem::start(config)
        .await
        .context("starting the mock ecosystem")?;
    serde_json::to_writer_pretty(&mut *out, ecosystem.manifest())?;
    writeln!(out)?;
    out.flush()?;
    eprintln!(
        "dsop-harness mocks: {} banks up in {} ms; Ctrl-C stops",
        ecosystem.manifest().banks.len(),
        ecosystem.manifest().startup_millis
    );
    let mut written = 0;
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    loop {
        tokio::select! {
            stop = tokio::signal::ctrl_c() => {
                stop.context("waiting for Ctrl-C")?;
                break;
            }
            _ = tick.tick() => {
                if let Some(path) = &settings.journal {
                    written = append_journal(ecosystem.journal(), path, written)?;
                }
            }
        }
    }
    if let Some(path) = &settings.journal {
        append_journal(ecosystem.journal(), path, written)?;
    }
    ecosystem.shutdown();
    Ok(exit::SUCCESS)
}

/// Appends the entries after the first `written` to `path` (JSON lines); returns the new count.
pub fn append_journal(journal: &Journal, path: &Path, written: usize) -> anyhow::Result<usize> {
    let entries = journal.entries();
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening journal {}", path.display()))?;
    for entry in entries.iter().skip(written) {
        serde_json::to_writer(&mut file, entry)?;
        writeln!(file)?;
    }
    Ok(entries.len().max(written))
}

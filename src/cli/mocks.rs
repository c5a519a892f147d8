//! `dsop-harness mocks serve`: run the whole mock ecosystem until Ctrl-C (see
//! `docs/mock-ecosystem.md`).
//!
//! Prints the manifest (every URL, schema `manifest`) as JSON on stdout once everything is up,
//! appends the request journal as JSON lines to `--journal` every half second and at exit.
//! Settings come from `--settings FILE` (JSON, [`ServeFile`]) and flags; a flag (or its `DSOP_…`
//! variable) wins over the file.

use crate::exit;
use crate::mocks::ecosystem::{BankFactory, Ecosystem, EcosystemConfig};
use crate::mocks::journal::Journal;
use crate::mocks::server::FrontEnd;
use crate::mocks::stubs::StubFile;
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
    /// faults {BANK: [PROFILE, …]}, frontEnd, bankFrontEnds {BANK: FRONTEND}, journal, stubs). Not
    /// `--config`: that is the global TOML configuration file of every subcommand.
    #[arg(long, env = "DSOP_MOCKS_SETTINGS", value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// Number of banks of the generated population (default 5).
    #[arg(long, env = "DSOP_MOCKS_BANKS")]
    pub banks: Option<usize>,
    /// Seed of the generated population (default: the default pack's seed).
    #[arg(long, env = "DSOP_MOCKS_SEED")]
    pub seed: Option<u64>,
    /// Persons of the generated population (default 30; as `fixtures export --persons`).
    #[arg(long, env = "DSOP_MOCKS_PERSONS")]
    pub persons: Option<usize>,
    /// Companies of the generated population (default 8).
    #[arg(long, env = "DSOP_MOCKS_COMPANIES")]
    pub companies: Option<usize>,
    /// The "today" of the generated population (default 2026-11-01, as `fixtures export`).
    #[arg(long, env = "DSOP_MOCKS_REFERENCE_DATE")]
    pub reference_date: Option<chrono::NaiveDate>,
    /// Transactions of the large account (e.g. 1000000; beyond 10 000 they go to a companion
    /// NDJSON file next to the pack).
    #[arg(long, env = "DSOP_MOCKS_LARGE_ACCOUNT_TRANSACTIONS")]
    pub large_account_transactions: Option<u64>,
    /// Where the generated pack is written before it is loaded and served (default: a
    /// directory under the system's temporary directory).
    #[arg(long, env = "DSOP_MOCKS_PACK_OUT")]
    pub pack_out: Option<PathBuf>,
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
    /// User stubs (TOML, or JSON by the `.json` extension) mounted in front of the banks' DSOP
    /// handlers; answers they give are journaled with the stub's name (docs/mock-ecosystem.md,
    /// "User stubs"). An invalid file exits 2 before anything starts.
    #[arg(long, env = "DSOP_MOCKS_STUBS", value_name = "FILE")]
    pub stubs: Option<PathBuf>,
}

/// The `--settings` file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServeFile {
    /// As `--banks`.
    pub banks: Option<usize>,
    /// As `--seed`.
    pub seed: Option<u64>,
    /// As `--persons`.
    pub persons: Option<usize>,
    /// As `--companies`.
    pub companies: Option<usize>,
    /// As `--reference-date`.
    pub reference_date: Option<chrono::NaiveDate>,
    /// As `--large-account-transactions`.
    pub large_account_transactions: Option<u64>,
    /// As `--pack-out`.
    pub pack_out: Option<PathBuf>,
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
    /// As `--stubs`.
    pub stubs: Option<PathBuf>,
}

/// Settings after merging the file and the flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeSettings {
    /// The generated population (as `fixtures export` with the same options).
    pub generate: PopulationConfig,
    /// Where the generated pack is written before it is loaded.
    pub pack_out: Option<PathBuf>,
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
    /// User stub file.
    pub stubs: Option<PathBuf>,
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
            generate: {
                let default = PopulationConfig::default_pack();
                PopulationConfig {
                    seed: args.seed.or(file.seed).unwrap_or(default.seed),
                    banks: args.banks.or(file.banks).unwrap_or(default.banks),
                    persons: args.persons.or(file.persons).unwrap_or(default.persons),
                    companies: args
                        .companies
                        .or(file.companies)
                        .unwrap_or(default.companies),
                    reference_date: args
                        .reference_date
                        .or(file.reference_date)
                        .unwrap_or(default.reference_date),
                    large_account_transactions: args
                        .large_account_transactions
                        .or(file.large_account_transactions),
                }
            },
            pack_out: args.pack_out.clone().or(file.pack_out),
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
            stubs: args.stubs.clone().or(file.stubs),
        })
    }

    /// The population to serve, with the pack file it was loaded from and its fingerprint.
    /// A generated population is first written as a pack (`fixtures export` with the same
    /// options gives the same file and fingerprint) and then loaded through
    /// [`Population::load`], the loader a vendor's test uses: one source of truth.
    pub fn population(&self) -> anyhow::Result<(Population, PathBuf, String)> {
        let path = match &self.population {
            Some(path) => path.clone(),
            None => {
                let path = self.pack_out.clone().unwrap_or_else(|| {
                    std::env::temp_dir()
                        .join(format!("dsop-harness-pack-{}", std::process::id()))
                        .join("pack.json")
                });
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                }
                Population::generate(&self.generate)
                    .save(&path)
                    .with_context(|| format!("writing the pack {}", path.display()))?;
                path
            }
        };
        let (population, fingerprint) = Population::load_with_fingerprint(&path)
            .with_context(|| format!("loading population {}", path.display()))?;
        Ok((population, path, fingerprint))
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
pub(crate) fn run(command: MocksCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
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
            runtime.block_on(serve(
                &settings,
                crate::mocks::bank::mock_bank_factory(),
                out,
            ))
        }
    }
}

/// Starts the ecosystem, prints the manifest, writes the journal until Ctrl-C.
pub(crate) async fn serve(
    settings: &ServeSettings,
    bank_factory: BankFactory,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    // The stub file is validated before anything is generated or started (exit 2).
    let stubs = settings.stubs.as_deref().map(StubFile::load).transpose()?;
    let trust =
        Arc::new(TrustDir::init(&settings.trust_dir).with_context(|| {
            format!("preparing trust directory {}", settings.trust_dir.display())
        })?);
    let (population, pack, fingerprint) = settings.population()?;
    let stubs = match stubs.map(|file| file.resolve(&population).map(|set| (file, Arc::new(set)))) {
        Some(Err(e)) => {
            remove_default_pack(settings, &pack);
            return Err(e.into());
        }
        Some(Ok(resolved)) => Some(resolved),
        None => None,
    };
    eprintln!(
        "dsop-harness mocks: serving pack {} (pack fingerprint {fingerprint})",
        pack.display()
    );
    let bank_factory = match &stubs {
        Some((file, set)) => {
            eprintln!(
                "dsop-harness mocks: {} stub(s) from {} in front of bank(s) {}",
                file.stubs().count(),
                file.path().display(),
                set.banks().collect::<Vec<_>>().join(", ")
            );
            Arc::clone(set).wrap(bank_factory)
        }
        None => bank_factory,
    };
    let population = Arc::new(population);
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
    if let Some((file, _)) = &stubs {
        // As wiremock's expectations would: say which stubs answered, and which never did.
        let entries = ecosystem.journal().entries();
        for stub in file.stubs() {
            let answered = entries
                .iter()
                .filter(|e| e.stub.as_deref() == Some(stub.name()))
                .count();
            eprintln!(
                "dsop-harness mocks: stub {:?} answered {answered} request(s){}",
                stub.name(),
                if answered == 0 {
                    " (it never matched)"
                } else {
                    ""
                }
            );
        }
    }
    ecosystem.shutdown();
    remove_default_pack(settings, &pack);
    Ok(exit::SUCCESS)
}

/// The pack written to the default temporary directory goes with the server.
fn remove_default_pack(settings: &ServeSettings, pack: &Path) {
    if settings.population.is_none() && settings.pack_out.is_none() {
        if let Some(dir) = pack.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Appends the entries after the first `written` to `path` (JSON lines); returns the new count.
pub(crate) fn append_journal(
    journal: &Journal,
    path: &Path,
    written: usize,
) -> anyhow::Result<usize> {
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

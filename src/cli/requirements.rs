//! `dsop-harness requirements [--markdown | --open-points]`: every catalogued requirement
//! (`crate::rules`) with the scenarios of `features/` that check it — the source of
//! `docs/requirements.md` (a test fails when that file is stale; regenerate with
//! `cargo run -- requirements --markdown > docs/requirements.md`) — or the open-points audit
//! (`crate::rules::open_points`, `docs/open-points.md`, regenerated with
//! `cargo run -- requirements --open-points > docs/open-points.md`).

use crate::rules::{Level, Side, CATALOGUE};
use clap::Args;
use cucumber::gherkin::{Feature, GherkinEnv};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// `requirements` flags.
#[derive(Debug, Args)]
pub struct RequirementsArgs {
    /// Print the Markdown of docs/requirements.md (default: a plain list).
    #[arg(long, env = "DSOP_HARNESS_MARKDOWN", conflicts_with = "open_points")]
    pub markdown: bool,
    /// Print the Markdown of docs/open-points.md: per rule the digest sentence it rests on, the
    /// readings it accepts and where our preference is checked (`crate::rules::open_points`).
    #[arg(long = "open-points", env = "DSOP_HARNESS_OPEN_POINTS")]
    pub open_points: bool,
    /// Print the rule table of a vendor doc (`bank` or `police`): every rule binding that side,
    /// its level and digest section, and what passes — the block between the `rules:` markers
    /// of docs/bank-vendors.md and docs/police-vendors.md.
    #[arg(
        long = "vendor-table",
        env = "DSOP_HARNESS_VENDOR_TABLE",
        value_name = "SIDE",
        value_parser = ["bank", "police"]
    )]
    pub vendor_table: Option<String>,
    /// Print the fault table of one side (`bank` or `police`): every seeded fault, its kind,
    /// the rules it claims to break and its effect — the block between the `faults:` markers
    /// of docs/mock-bank.md and docs/police-vendors.md.
    #[arg(
        long = "fault-table",
        env = "DSOP_HARNESS_FAULT_TABLE",
        value_name = "SIDE",
        value_parser = ["bank", "police"]
    )]
    pub fault_table: Option<String>,
    /// Run the seeded-fault proof (`crate::proof`): every fault of the reference mock bank and
    /// police client against the scenarios of each rule it claims to break; print per rule its
    /// level, the faults that prove it and the scenarios that catch them, then `proven: N/M`.
    /// Exit 1 unless every rule is proven. With `--markdown`: the whole docs/requirements.md,
    /// proof table included.
    #[arg(long, env = "DSOP_HARNESS_PROOF", conflicts_with_all = ["open_points", "vendor_table"])]
    pub proof: bool,
    /// With `--proof`: also run the whole suite of each fault's side with the fault on and
    /// print, per fault, every other rule whose scenarios fail (a fault only its own rules
    /// catch is isolated). Slower: one full suite run per fault.
    #[arg(long, env = "DSOP_HARNESS_ISOLATION", requires = "proof")]
    pub isolation: bool,
    /// Trust directory for `--proof` (initialised if empty); default: a fresh one under the
    /// system's temporary directory.
    #[arg(
        long = "trust-dir",
        env = "DSOP_TRUST_DIR",
        value_name = "DIR",
        requires = "proof"
    )]
    pub trust_dir: Option<PathBuf>,
    /// The features directory (with bank/ and police/); default: this harness's features/.
    #[arg(
        long = "features-root",
        env = "DSOP_HARNESS_FEATURES_ROOT",
        value_name = "DIR"
    )]
    pub features_root: Option<PathBuf>,
}

/// One scenario (or one examples block of an outline) with the tags that apply to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedScenario {
    /// `bank/tokens.feature`.
    pub file: String,
    /// Line of the scenario (of the examples block for outlines).
    pub line: usize,
    /// Scenario name, with the examples block's name for outlines.
    pub name: String,
    /// Feature, rule, scenario and examples tags, without `@`.
    pub tags: Vec<String>,
}

/// Every scenario of `root/bank` and `root/police`, files in name order.
pub fn scenarios(root: &Path) -> anyhow::Result<Vec<TaggedScenario>> {
    let mut out = Vec::new();
    for suite in ["bank", "police"] {
        let dir = root.join(suite);
        if !dir.is_dir() {
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "feature"))
            .collect();
        files.sort();
        for path in files {
            let feature = Feature::parse_path(&path, GherkinEnv::default())
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            let file = format!(
                "{suite}/{}",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            );
            collect(&feature, &file, &mut out);
        }
    }
    Ok(out)
}

fn collect(feature: &Feature, file: &str, out: &mut Vec<TaggedScenario>) {
    let strip = |t: &String| t.trim_start_matches('@').to_owned();
    let mut all: Vec<(Vec<String>, &cucumber::gherkin::Scenario)> = feature
        .scenarios
        .iter()
        .map(|s| (feature.tags.iter().map(strip).collect(), s))
        .collect();
    for rule in &feature.rules {
        for s in &rule.scenarios {
            all.push((
                feature.tags.iter().chain(&rule.tags).map(strip).collect(),
                s,
            ));
        }
    }
    for (outer, s) in all {
        let mut base = outer;
        base.extend(s.tags.iter().map(strip));
        if s.examples.is_empty() {
            out.push(TaggedScenario {
                file: file.to_owned(),
                line: s.position.line,
                name: s.name.clone(),
                tags: base.clone(),
            });
        }
        for ex in &s.examples {
            let mut tags = base.clone();
            tags.extend(ex.tags.iter().map(strip));
            out.push(TaggedScenario {
                file: file.to_owned(),
                line: ex.position.line,
                name: match &ex.name {
                    Some(n) if !n.trim().is_empty() => {
                        format!("{} (examples: {})", s.name, n.trim())
                    }
                    _ => s.name.clone(),
                },
                tags,
            });
        }
    }
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Mandatory => "mandatory",
        Level::Recommended => "recommended",
        Level::Strict => "strict",
    }
}

/// Text safe in a Markdown table cell (no column breaks, no HTML).
fn md(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The Markdown of `docs/requirements.md`.
pub fn markdown(root: &Path) -> anyhow::Result<String> {
    let scenarios = scenarios(root)?;
    let mut by_req: BTreeMap<&str, Vec<&TaggedScenario>> = BTreeMap::new();
    for s in &scenarios {
        for id in s.tags.iter().filter_map(|t| t.strip_prefix("req-")) {
            if let Some(r) = crate::rules::find(id) {
                by_req.entry(r.id).or_default().push(s);
            }
        }
    }
    let mut out = String::new();
    out.push_str(
        "# Requirements and the scenarios that check them\n\n\
         Generated by `dsop-harness requirements --markdown` from the requirement catalogue \
         (`src/rules/mod.rs`) and the `@req-` tags of `features/`; do not edit by hand \
         (a test fails when this file is stale). Digest sections refer to the DSOP digest. \
         Levels: a failed *mandatory* scenario fails a run, *recommended* is a warning, \
         *strict* counts only with `--strict`.\n",
    );
    for (party, title) in [
        (Side::Bank, "Bank (data provider)"),
        (Side::Police, "Police (data consumer)"),
    ] {
        let reqs: Vec<_> = CATALOGUE.iter().filter(|r| r.side == party).collect();
        let covered = reqs.iter().filter(|r| by_req.contains_key(r.id)).count();
        let _ = write!(
            out,
            "\n## {title}\n\n{covered} of {} requirements are checked by at least one scenario.\n\n\
             | Requirement | Digest | Level | Rule | Scenarios |\n|---|---|---|---|---|\n",
            reqs.len()
        );
        for r in reqs {
            let list = by_req.get(r.id).map_or_else(
                || "*none yet*".to_owned(),
                |list| {
                    list.iter()
                        .map(|s| format!("{} (`{}:{}`)", md(&s.name), s.file, s.line))
                        .collect::<Vec<_>>()
                        .join("<br>")
                },
            );
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                r.id,
                r.section,
                level(r.level),
                md(r.text),
                list
            );
        }
    }
    Ok(out)
}

/// Heading of the proof section of `docs/requirements.md`; the part before it is
/// [`markdown`]'s.
pub const PROOF_HEADING: &str = "\n## Seeded-fault proof\n";

/// The proof section of `docs/requirements.md`.
pub fn proof_markdown(proof: &crate::proof::Proof) -> String {
    format!(
        "{PROOF_HEADING}\n\
         Each rule is proven by a seeded fault of a reference implementation: a fault profile \
         of the mock bank (`mocks serve --fault NAME`, docs/mock-bank.md) or a fault switch of \
         the reference police client (`police lookup --fault NAME`). The proof runs the \
         scenarios tagged with the rule against the reference with that one fault on, and \
         counts the fault only when a scenario fails with a finding naming the rule. \
         Generated with the rest of this file by \
         `cargo run --release -- requirements --proof --markdown > docs/requirements.md`; the \
         proof test of `cargo test` fails when a rule loses its proof or this table is stale.\n\n{}",
        proof.markdown()
    )
}

/// The default pack (dated today), `trust_dir` and the features under `root`.
fn proof_config(root: &Path, trust_dir: PathBuf) -> crate::proof::ProofConfig {
    use crate::population::{Population, PopulationConfig};
    crate::proof::ProofConfig {
        trust_dir,
        population: std::sync::Arc::new(Population::generate(&PopulationConfig {
            reference_date: chrono::Utc::now().date_naive(),
            ..PopulationConfig::default_pack()
        })),
        features_root: root.to_path_buf(),
    }
}

/// Runs the proof on the default pack (dated today) in `trust_dir`.
pub fn run_proof(root: &Path, trust_dir: PathBuf) -> anyhow::Result<crate::proof::Proof> {
    let config = proof_config(root, trust_dir);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime
        .block_on(crate::proof::Proof::run(
            &config,
            &crate::proof::Fault::all(),
        ))
        .map_err(anyhow::Error::msg)
}

/// Runs every fault against the whole suite of its side ([`crate::proof::isolation`]).
pub(crate) fn run_isolation(
    root: &Path,
    trust_dir: PathBuf,
) -> anyhow::Result<Vec<crate::proof::Isolation>> {
    let config = proof_config(root, trust_dir);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    Ok(runtime.block_on(crate::proof::isolation(
        &config,
        &crate::proof::Fault::all(),
    )))
}

/// The built-in features directory.
pub(crate) fn default_root() -> PathBuf {
    let built_in = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("features");
    if built_in.is_dir() {
        built_in
    } else {
        PathBuf::from("features")
    }
}

/// Runs `requirements`.
pub(crate) fn run(args: &RequirementsArgs, out: &mut impl std::io::Write) -> anyhow::Result<u8> {
    let root = args.features_root.clone().unwrap_or_else(default_root);
    // `bank` or `police` (clap's value parser admits nothing else).
    let side = |name: &str| {
        if name == "bank" {
            Side::Bank
        } else {
            Side::Police
        }
    };
    if let Some(name) = &args.vendor_table {
        out.write_all(crate::rules::open_points::vendor_table(side(name)).as_bytes())?;
    } else if let Some(name) = &args.fault_table {
        out.write_all(crate::proof::fault_table(side(name)).as_bytes())?;
    } else if args.open_points {
        out.write_all(crate::rules::open_points::markdown().as_bytes())?;
    } else if args.proof {
        let trust_dir = args.trust_dir.clone().unwrap_or_else(|| {
            std::env::temp_dir().join(format!("dsop-proof-{}", std::process::id()))
        });
        // Every refuted step of the suites is a caught panic; hundreds are expected here and
        // the table says what failed, so their messages are not printed.
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let proof = run_proof(&root, trust_dir.clone());
        let isolation = if args.isolation && proof.is_ok() {
            Some(run_isolation(&root, trust_dir))
        } else {
            None
        };
        std::panic::set_hook(default_hook);
        let proof = proof?;
        if args.markdown {
            out.write_all(markdown(&root)?.as_bytes())?;
            out.write_all(proof_markdown(&proof).as_bytes())?;
        } else {
            out.write_all(proof.text().as_bytes())?;
        }
        if let Some(isolation) = isolation {
            writeln!(out, "\nisolation (the whole suite of each fault's side):")?;
            for row in isolation? {
                writeln!(out, "{}", row.line())?;
            }
        }
        let (proven, all) = proof.count();
        return Ok(if proven == all {
            crate::exit::SUCCESS
        } else {
            crate::exit::FAILURE
        });
    } else if args.markdown {
        out.write_all(markdown(&root)?.as_bytes())?;
    } else {
        let scenarios = scenarios(&root)?;
        for r in CATALOGUE {
            let n = scenarios
                .iter()
                .filter(|s| s.tags.iter().any(|t| t.strip_prefix("req-") == Some(r.id)))
                .count();
            writeln!(
                out,
                "{:<28} {:<16} {:<12} {n} scenario(s)  {}",
                r.id,
                r.section,
                level(r.level),
                r.text
            )?;
        }
    }
    Ok(crate::exit::SUCCESS)
}

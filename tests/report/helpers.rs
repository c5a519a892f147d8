//! Shared fixtures: one real run (bank suite against the reference mock bank, in-process) with
//! its reports written and signed, synthetic runs, and the headless-Chromium renderer.

use dsop_harness::{
    install_progress, report, report::ReportOptions, report::Written, run_bank_suite,
    BankSuiteConfig, Ecosystem, EcosystemConfig, Population, PopulationConfig, Progress,
    ScenarioMeta, ScenarioOutcome, ScenarioStatus, StepOutcome, StepStatus, SuiteKind,
    SuiteOutcome, SuiteRun, TranscriptEntry, TrustDir,
};
use libtest_mimic::Failed;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn check(ok: bool, message: impl FnOnce() -> String) -> Result<(), Failed> {
    if ok {
        Ok(())
    } else {
        Err(message().into())
    }
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dsop-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn trust_path() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dsop-report-trust-{}", std::process::id()));
        TrustDir::init(&dir).expect("trust dir");
        dir
    })
}

/// Counts what the progress hook heard during the real run.
#[derive(Debug, Default)]
pub struct Counting {
    pub planned: AtomicUsize,
    pub finished: AtomicUsize,
}

impl Progress for Counting {
    fn planned(&self, scenarios: usize) {
        self.planned.store(scenarios, Ordering::SeqCst);
    }
    fn finished(&self, _: &ScenarioOutcome) {
        self.finished.fetch_add(1, Ordering::SeqCst);
    }
}

#[derive(Debug)]
pub struct RealRun {
    pub run: SuiteRun,
    pub dir: PathBuf,
    pub written: Written,
    pub progress: Arc<Counting>,
}

/// The bank suite against the reference mock bank, reports written to a fresh directory and
/// signed with the test trust directory. Built once.
pub fn real_run() -> Result<&'static RealRun, Failed> {
    static RUN: OnceLock<Result<RealRun, String>> = OnceLock::new();
    RUN.get_or_init(|| build_real_run().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Failed::from(format!("the real run failed: {e}")))
}

fn build_real_run() -> Result<RealRun, Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let progress = Arc::new(Counting::default());
    let run = runtime.block_on(async {
        let trust = Arc::new(TrustDir::open(trust_path())?);
        let population = Arc::new(Population::generate(&PopulationConfig {
            reference_date: chrono::Utc::now().date_naive(),
            ..PopulationConfig::default_pack()
        }));
        let bank = population.banks[0].org_number.clone();
        // With the pack, so that every scenario runs (a run with skipped mandatory scenarios
        // is INCOMPLETE, not the full pass these reports are checked against).
        let fixtures = dsop_harness::Fixtures::new(population.clone(), Some(&bank))?;
        let config = EcosystemConfig::new(
            trust,
            population,
            dsop_harness::reference_bank_factory(trust_path().clone()),
        );
        let ecosystem = Ecosystem::start(config).await?;
        let base_url = ecosystem.bank_url(&bank).ok_or("no bank url")?.to_owned();
        install_progress(Some(progress.clone()));
        let started_at = chrono::Utc::now();
        let outcome = run_bank_suite(BankSuiteConfig {
            base_url: base_url.clone(),
            trust_dir: trust_path().clone(),
            plain_json: false,
            features: crate_dir().join("features/bank"),
            selection: Default::default(),
            fixtures: Some(fixtures),
            fail_fast: false,
            request_timeout: None,
            max_body_bytes: None,
        })
        .await;
        install_progress(None);
        ecosystem.shutdown();
        Ok::<_, Box<dyn std::error::Error>>(SuiteRun {
            suite: SuiteKind::Bank,
            sut: base_url,
            started_at,
            finished_at: chrono::Utc::now(),
            seed: Some(PopulationConfig::default_pack().seed),
            strict: false,
            tags: None,
            plain_json: false,
            outcome: outcome?,
        })
    })?;
    let dir = scratch("real");
    let options = ReportOptions {
        reproduce_prefix: Some("dsop-harness test bank --base-url URL".to_owned()),
        features_dir: Some(crate_dir().join("features/bank")),
        trust_dir: Some(trust_path().clone()),
        ..ReportOptions::new()
    };
    let written = report::write_reports(&dir, &run, &options)?;
    Ok(RealRun {
        run,
        dir,
        written,
        progress,
    })
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

/// A synthetic scenario.
pub fn scenario(
    file: &str,
    line: usize,
    name: &str,
    tags: &[&str],
    error: Option<&str>,
) -> ScenarioOutcome {
    let tags: Vec<String> = tags.iter().map(|t| (*t).to_owned()).collect();
    ScenarioOutcome {
        feature: format!("Feature of {file}"),
        feature_path: file.to_owned(),
        scenario: name.to_owned(),
        line,
        meta: ScenarioMeta::from_tags(name, &tags).map_err(|e| e.to_string()),
        status: if error.is_some() {
            ScenarioStatus::Failed
        } else {
            ScenarioStatus::Passed
        },
        steps: vec![
            StepOutcome {
                keyword: "Given".into(),
                text: "an Accounts request for a synthetic person".into(),
                status: StepStatus::Passed,
                error: None,
            },
            StepOutcome {
                keyword: "Then".into(),
                text: "the bank answers 403 with code ACC-011".into(),
                status: if error.is_some() {
                    StepStatus::Failed
                } else {
                    StepStatus::Passed
                },
                error: error.map(str::to_owned),
            },
        ],
        duration_ms: 5,
        transcript: Vec::new(),
    }
}

/// A synthetic scenario that did not run, with `reason` on its first step.
pub fn skipped_scenario(
    file: &str,
    line: usize,
    name: &str,
    tags: &[&str],
    reason: &str,
) -> ScenarioOutcome {
    let mut skipped = scenario(file, line, name, tags, None);
    skipped.status = ScenarioStatus::Skipped;
    for step in &mut skipped.steps {
        step.status = StepStatus::Skipped;
    }
    skipped.steps[0].error = Some(reason.to_owned());
    skipped
}

pub fn synthetic_run(scenarios: Vec<ScenarioOutcome>) -> SuiteRun {
    let now = chrono::Utc::now();
    SuiteRun {
        suite: SuiteKind::Bank,
        sut: "http://127.0.0.1:1/v2".into(),
        started_at: now,
        finished_at: now,
        seed: Some(7),
        strict: false,
        tags: None,
        plain_json: false,
        outcome: SuiteOutcome { scenarios },
    }
}

/// A transcript entry whose every text field carries markup a hostile SUT could send.
pub fn hostile_entry() -> TranscriptEntry {
    let markup = r#"</pre><script>document.title='pwned'</script><img id="pwned" src="x">"#;
    TranscriptEntry {
        peer: format!("bank under test {markup}"),
        method: "GET".into(),
        url: format!("/v2/accounts?x={markup}"),
        request_headers: vec![("X-Evil".into(), markup.into())],
        request_body: Some(markup.into()),
        status: Some(200),
        content_type: Some(format!("application/json; {markup}")),
        encryption: Some(markup.into()),
        response: Some(serde_json::json!({"message": markup, markup: 1})),
        response_text: Some(markup.into()),
        elapsed_ms: Some(3),
        violations: vec![markup.into()],
        error: Some(markup.into()),
        stub: Some(markup.into()),
    }
}

/// `chromium --headless --dump-dom` of a local file; an error naming the fix when chromium is
/// absent (no silent skip).
pub fn chromium_dump_dom(file: &Path) -> Result<String, Failed> {
    let output = chromium(file, &["--dump-dom"])?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

pub fn chromium(file: &Path, extra: &[&str]) -> Result<std::process::Output, Failed> {
    let binary = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .ok_or(
            "chromium is not installed: `apt-get install -y chromium` (bash .ci/run installs it); \
             the HTML report test needs a real browser",
        )?;
    let profile = tempfile::tempdir()?;
    let output = std::process::Command::new(binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", file.canonicalize()?.display()))
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "chromium failed: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(output)
}

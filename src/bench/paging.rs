//! Paging one account of 1 000 000 transactions (1 000 per page) through the mock bank with
//! the police driver, every page decrypted (JWE), validated against the police-profile schema
//! and read into the typed `Transactions` (targets: ≤ 20 s, peak RSS ≤ 300 MB).
//!
//! The bench process serves the large account's bank; the police side runs in a child process
//! (`dsop-harness bench page-account`, hidden) so that its peak RSS is the client's own: the
//! child reads `VmHWM` from `/proc/<its pid>/status` when done and prints one JSON line, which
//! the parent reads.
//!
//! The loop keeps nothing but counters between pages, as a client that hands each page on
//! would, and pages with [`crate::police::pager::Pager`]: page N+1 is fetched and decrypted
//! while page N is read as JSON, validated and read into the typed body. (`police::lookup::run_case` keeps every transaction and every exchange of a case in
//! memory for its case result and transcript; see docs/performance.md.)

use super::throughput::{control_headers, period_query};
use super::{BenchConfig, BenchError, Row};
use crate::domain::control::Transactions;
use crate::domain::request::Endpoint;
use crate::mocks::ecosystem::{BankSlot, Ecosystem, EcosystemConfig};
use crate::mocks::http::{Handled, Handler, MockRequest};
use crate::police::driver::{Driver, DriverConfig};
use crate::police::pager::Pager;
use crate::population::{EdgeCaseKind, Population, PopulationConfig};
use crate::schema::{validate, MessageKind, ValidationTotals};
use crate::trust::TrustDir;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const FIGURE: &str = "large-account paging";

/// What the child reports.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PagingReport {
    /// Transactions received.
    pub transactions: u64,
    /// Pages fetched.
    pub pages: u64,
    /// Wall time of the paging.
    pub seconds: f64,
    /// Time inside `schema::validate` during the paging.
    pub validate_seconds: f64,
    /// Time from sending each page's request to its last body byte (the bank's work and the
    /// transfer), summed over pages; with the next page in flight while the current one is read
    /// (`police::pager`), it overlaps the client's own work.
    pub http_seconds: f64,
    /// Peak resident set size of the child (`VmHWM`), KiB.
    pub vm_hwm_kib: u64,
}

/// Where the child pages: the bank and the account (all set by the parent).
#[derive(Debug, Clone, clap::Args)]
pub struct PagingTarget {
    /// Trust directory (token key, order signing key, decryption key).
    #[arg(long, env = "DSOP_BENCH_CHILD_TRUST_DIR")]
    pub trust_dir: std::path::PathBuf,
    /// The bank's base URL.
    #[arg(long, env = "DSOP_BENCH_CHILD_BASE_URL")]
    pub base_url: String,
    /// The account owner (`PartyID` of the order).
    #[arg(long, env = "DSOP_BENCH_CHILD_PARTY")]
    pub party: String,
    /// The account reference.
    #[arg(long, env = "DSOP_BENCH_CHILD_REFERENCE")]
    pub reference: String,
    /// First day of the period.
    #[arg(long, env = "DSOP_BENCH_CHILD_FROM")]
    pub from: String,
    /// Last day of the period.
    #[arg(long, env = "DSOP_BENCH_CHILD_TO")]
    pub to: String,
    /// Transactions the account has in the period.
    #[arg(long, env = "DSOP_BENCH_CHILD_TRANSACTIONS")]
    pub transactions: u64,
}

/// The first Transactions request of `reference` at the bank `base` over `from..=to`, as the
/// police send it (`Accept: application/jose`, a fresh token and extradition order from
/// `trust`): its URL and headers.
pub fn first_page_request(
    trust: &TrustDir,
    base: &str,
    party: &str,
    reference: &str,
    from: &str,
    to: &str,
) -> Result<(String, Vec<(String, String)>), String> {
    let base = base.trim_end_matches('/');
    let headers = control_headers(
        trust,
        base,
        party,
        from,
        to,
        Endpoint::Transactions,
        "application/jose",
    )?
    .iter()
    .map(|(k, v)| {
        (
            k.as_str().to_owned(),
            String::from_utf8_lossy(v.as_bytes()).into_owned(),
        )
    })
    .collect();
    let url = format!(
        "{base}{}?{}",
        Endpoint::Transactions.path(reference),
        period_query(from, to, Endpoint::Transactions)
    );
    Ok((url, headers))
}

/// The child's work: page the account as the police client, keeping only counters.
pub(crate) async fn page_account(target: &PagingTarget) -> Result<PagingReport, BenchError> {
    let fail = |e: String| BenchError::figure(FIGURE, e);
    let trust = TrustDir::open(&target.trust_dir).map_err(|e| fail(e.to_string()))?;
    let base = target.base_url.trim_end_matches('/').to_owned();
    let (first, headers) = first_page_request(
        &trust,
        &base,
        &target.party,
        &target.reference,
        &target.from,
        &target.to,
    )
    .map_err(fail)?;
    // The reference client's page cap guards against links that never end; this account's
    // pages are known (the mock bank's page size), so the cap is set just above them.
    let mut config = DriverConfig::new("", "", "");
    let pages = target
        .transactions
        .div_ceil(crate::population::query::DEFAULT_PAGE_SIZE as u64);
    config.max_pages = usize::try_from(pages)
        .unwrap_or(usize::MAX)
        .saturating_add(1)
        .max(config.max_pages);
    let driver = Arc::new(Driver::new(config, &trust).map_err(|e| fail(e.to_string()))?);

    let started = Instant::now();
    let schema_before = ValidationTotals::now();
    // The next page is asked for while this one is validated and read (police::pager).
    let mut pager = Pager::start(Arc::clone(&driver), &base, &first, headers);
    let (mut seen, mut pages, mut http) = (0u64, 0u64, Duration::ZERO);
    while let Some(exchange) = pager.next_page().await {
        let exchange = exchange.map_err(|e| fail(format!("page {}: {e}", pages + 1)))?;
        http += exchange.elapsed;
        if exchange.status != 200 || exchange.jwe.is_none() {
            return Err(fail(format!(
                "page {}: HTTP {} ({:?}), jwe {:?}",
                pages + 1,
                exchange.status,
                exchange.content_type,
                exchange.jwe
            )));
        }
        let payload = exchange.payload.map_err(fail)?;
        validate(MessageKind::Transactions, &payload).map_err(|v| {
            fail(format!(
                "page {}: {}",
                pages + 1,
                v.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })?;
        let page: Transactions =
            serde_json::from_value(payload).map_err(|e| fail(e.to_string()))?;
        pages += 1;
        seen += page.transactions.len() as u64;
    }
    let seconds = started.elapsed().as_secs_f64();
    let schema = ValidationTotals::since(schema_before);
    if seen != target.transactions {
        return Err(fail(format!(
            "paged {seen} transactions, the account has {}",
            target.transactions
        )));
    }
    Ok(PagingReport {
        transactions: seen,
        pages,
        seconds,
        validate_seconds: schema.time.as_secs_f64(),
        http_seconds: http.as_secs_f64(),
        vm_hwm_kib: vm_hwm_kib(std::process::id()).unwrap_or(0),
    })
}

/// A bank handler whose journal entries keep the cut wire body instead of the plaintext
/// JSON: the journal keeps every plaintext response for ever, which for 1 000 pages of 1 000
/// transactions is gigabytes in the mocks' process (see docs/performance.md). The wire
/// response is untouched.
struct LeanJournal(Arc<dyn Handler>);

impl Handler for LeanJournal {
    fn name(&self) -> String {
        self.0.name()
    }

    fn handle(&self, request: &MockRequest) -> Handled {
        let mut handled = self.0.handle(request);
        handled.response.plaintext = None;
        handled
    }
}

/// `VmHWM` (peak resident set) of process `pid` in KiB, from `/proc/<pid>/status` (Linux).
pub(crate) fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Serves the large account's bank here and runs the police-side paging in a child process;
/// turns its report into rows.
pub(crate) async fn rows(config: &BenchConfig, trust_dir: &Path) -> Result<Vec<Row>, BenchError> {
    let fail = |e: String| BenchError::figure(FIGURE, e);
    let transactions = config.paged_transactions();
    let trust = Arc::new(TrustDir::open(trust_dir).map_err(|e| fail(e.to_string()))?);
    let population = Arc::new(Population::generate(&PopulationConfig {
        reference_date: chrono::Utc::now().date_naive(),
        large_account_transactions: Some(transactions),
        ..PopulationConfig::default_pack()
    }));
    let case = population
        .edge_case(EdgeCaseKind::LargeAccount)
        .ok_or_else(|| fail("no large-account edge case".into()))?;
    let (Some(party), Some(bank), Some(reference)) =
        (&case.party, &case.bank, &case.account_reference)
    else {
        return Err(fail("the large-account edge case is incomplete".into()));
    };
    let recipe = population
        .accounts
        .iter()
        .find(|a| &a.account_reference == reference)
        .and_then(|a| a.generated_transactions.clone())
        .ok_or_else(|| fail("the large account has no recipe".into()))?;
    let mut eco_config = EcosystemConfig::new(
        Arc::clone(&trust),
        Arc::clone(&population),
        Arc::new(|slot: &BankSlot| {
            let inner = (crate::mocks::bank::mock_bank_factory())(slot)?;
            Ok(Arc::new(LeanJournal(inner)) as Arc<dyn Handler>)
        }),
    );
    eco_config.banks = Some(vec![bank.clone()]);
    let ecosystem = Ecosystem::start(eco_config)
        .await
        .map_err(|e| fail(e.to_string()))?;
    let base = ecosystem
        .bank_url(bank)
        .ok_or_else(|| fail("no bank URL".into()))?
        .to_owned();
    let output = tokio::process::Command::new(&config.exe)
        .args(["bench", "page-account", "--trust-dir"])
        .arg(trust_dir)
        .args([
            "--base-url",
            &base,
            "--party",
            party,
            "--reference",
            reference,
        ])
        .args(["--from", &recipe.first_date.to_string()])
        .args(["--to", &recipe.last_date.to_string()])
        .args(["--transactions", &transactions.to_string()])
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| fail(format!("running {}: {e}", config.exe.display())))?;
    ecosystem.shutdown();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: PagingReport = stdout
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| {
            fail(format!(
                "the child ({}) printed no report; stderr: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        })?;
    let label = format!(
        "police client pages {} transactions ({} pages; JWE, schema, typed read)",
        report.transactions, report.pages
    );
    let mut time = Row::at_most(&format!("{label}: time"), report.seconds, 20.0, "s");
    time.measured.push_str(&format!(
        " (requests in flight {:.1} s, overlapping the reading; schema {:.1} s = {:.0} %)",
        report.http_seconds,
        report.validate_seconds,
        100.0 * report.validate_seconds / report.seconds.max(1e-9)
    ));
    let rss = Row::at_most(
        &format!("{label}: peak RSS of the client process (VmHWM)"),
        report.vm_hwm_kib as f64 * 1024.0 / 1e6,
        300.0,
        "MB",
    );
    Ok(vec![time, rss])
}

//! `dsop-harness bench`: measures the performance figures (docs/performance.md) in one run and prints
//! the table (figure, measured, baseline in the same run, ratio, target, result). Exit 0 when
//! every figure was measured, whether or not its target was met (the table says); 2 when a
//! figure could not be measured at all.

use super::exit;
use crate::bench::{paging, render_report, run, BenchConfig};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Shrink every figure (a smoke test of the table; the timings mean nothing then).
    #[arg(long, env = "DSOP_BENCH_QUICK")]
    pub quick: bool,
    /// An existing trust directory (default: a fresh one in a temporary directory).
    #[arg(long, env = "DSOP_TRUST_DIR")]
    pub trust_dir: Option<PathBuf>,
    /// Directory of the bank suite's .feature files.
    #[arg(long, env = "DSOP_BENCH_FEATURES", default_value = "features/bank")]
    pub features: PathBuf,
    /// Concurrent connections of the load generator.
    #[arg(long, env = "DSOP_BENCH_CONNECTIONS", default_value_t = 32)]
    pub connections: usize,
    /// Only these groups of figures (repeatable or comma-separated): startup, throughput,
    /// paging, fanout, bank-suite, police-suite.
    #[arg(long, env = "DSOP_BENCH_ONLY", value_delimiter = ',', value_parser = clap::builder::PossibleValuesParser::new(crate::bench::GROUPS))]
    pub only: Vec<String>,
    #[command(subcommand)]
    pub child: Option<BenchChild>,
}

/// Work the bench runs in a child process of its own.
#[derive(Debug, clap::Subcommand)]
pub enum BenchChild {
    /// Page one account as the police client and print a JSON report with the peak RSS
    /// (internal: started by `bench`).
    #[command(hide = true)]
    PageAccount(paging::PagingTarget),
}

/// Runs `bench`.
pub(crate) fn run_bench(args: BenchArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    if let Some(BenchChild::PageAccount(target)) = args.child {
        let report = runtime
            .block_on(paging::page_account(&target))
            .context("paging the account")?;
        writeln!(out, "{}", serde_json::to_string(&report)?)?;
        return Ok(exit::SUCCESS);
    }
    let config = BenchConfig {
        quick: args.quick,
        trust_dir: args.trust_dir,
        features: args.features,
        exe: std::env::current_exe().context("locating the dsop-harness binary")?,
        connections: args.connections.max(1),
        only: args.only,
    };
    let started = Instant::now();
    let rows = runtime
        .block_on(run(&config, &mut |figure| {
            eprintln!("bench: {figure} ...");
        }))
        .context("measuring")?;
    write!(out, "{}", render_report(&config, &rows, started.elapsed()))?;
    Ok(exit::SUCCESS)
}

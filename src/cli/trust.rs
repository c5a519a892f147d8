//! `dsop-harness trust init`: create or complete the trust directory.

use crate::exit;
use crate::trust::{FileOutcome, TrustDir};
use anyhow::Context;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// Trust-directory commands.
#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// Create (or complete) the trust directory: test root CA, prosecution signing certificate
    /// and JWKS, mock Maskinporten key and JWKS, police encryption and client certificates, TLS
    /// CA and server certificate, harness key. Existing files are reused; a deleted file is
    /// regenerated together with the files made from it. See docs/trust-directory.md.
    Init(InitArgs),
}

/// `trust init` arguments.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to create or complete.
    #[arg(long, env = "DSOP_TRUST_DIR")]
    pub dir: PathBuf,
}

/// Runs a trust command.
pub(crate) fn run(command: TrustCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
    match command {
        TrustCommand::Init(args) => {
            let dir = TrustDir::init(&args.dir)
                .with_context(|| format!("initialising trust directory {}", args.dir.display()))?;
            for (artifact, outcome) in dir.init_report() {
                let word = match outcome {
                    FileOutcome::Created => "created    ",
                    FileOutcome::Regenerated => "regenerated",
                    FileOutcome::Reused => "reused     ",
                };
                writeln!(out, "{word} {}", artifact.file())?;
            }
            Ok(exit::SUCCESS)
        }
    }
}

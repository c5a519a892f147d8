//! `dsop-harness attest verify FILE [--reports DIR] [--trust-dir DIR]`: checks a report
//! attestation (`crate::reporting::attest`). Exit 0 valid, 1 invalid (altered, another key, files
//! changed/added/removed), 2 unreadable input.

use crate::reporting::attest::{self, AttestError};
use crate::trust::dir::TrustDir;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// `attest` subcommands.
#[derive(Debug, Subcommand)]
pub enum AttestCommand {
    /// Verify attestation.jws: its signature, that its certificate is the trust directory's
    /// harness certificate (with --trust-dir), and that the report directory is exactly what
    /// was signed (with --reports: no file changed, added or removed).
    Verify(VerifyArgs),
}

/// `attest verify` flags.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The attestation file (attestation.jws of a report directory).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The report directory to compare file by file (usually the directory of FILE).
    #[arg(long, env = "DSOP_HARNESS_REPORTS", value_name = "DIR")]
    pub reports: Option<PathBuf>,
    /// Trust directory whose harness-attestation-cert.pem must have signed it.
    #[arg(long, env = "DSOP_TRUST_DIR", value_name = "DIR")]
    pub trust_dir: Option<PathBuf>,
}

/// Runs `attest`; returns the exit code.
pub(crate) fn run(command: AttestCommand, out: &mut impl Write) -> anyhow::Result<u8> {
    let AttestCommand::Verify(args) = command;
    let jws = std::fs::read_to_string(&args.file)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", args.file.display()))?;
    let trust = args.trust_dir.as_ref().map(TrustDir::open).transpose()?;
    match attest::verify(&jws, trust.as_ref(), args.reports.as_deref()) {
        Ok(v) => {
            writeln!(
                out,
                "valid: {} suite against {} — verdict {}, {} files, signed {} by harness {} (commit {})",
                v.claims.suite,
                v.claims.sut,
                v.claims.verdict,
                v.claims.files.len(),
                v.claims.issued_at,
                v.claims.harness.version,
                v.claims.harness.git_commit.as_deref().unwrap_or("unknown")
            )?;
            if !v.pinned {
                writeln!(out, "note: the certificate was not compared with a trust directory (--trust-dir): the signature is consistent, but anyone can make such a key")?;
            }
            if !v.files_checked {
                writeln!(
                    out,
                    "note: the report files were not compared (--reports DIR)"
                )?;
            }
            Ok(crate::exit::SUCCESS)
        }
        Err(e @ (AttestError::Io { .. } | AttestError::Trust(_))) => Err(e.into()),
        Err(e) => {
            writeln!(out, "INVALID: {e}")?;
            Ok(crate::exit::FAILURE)
        }
    }
}

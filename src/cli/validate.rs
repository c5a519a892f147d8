//! `dsop-harness validate`: check a JSON document against one of the DSOP schemas — what a bank
//! or police vendor runs on a payload before asking why the suite rejected it.

use super::exit;
use crate::schema::{MessageKind, Profile, SchemaRegistry};
use anyhow::Context;
use std::io::{Read, Write};
use std::path::PathBuf;

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Message kind, e.g. `accounts`, `transactions`, `accounts-request`,
    /// `extradition-order-payload` (see `docs/schemas.md`; `--list` prints them all).
    #[arg(long, env = "DSOP_KIND", required_unless_present = "list")]
    pub kind: Option<MessageKind>,
    /// `police` (the Politi-Utlevering profile, default) or `common` (the common standard).
    #[arg(long, env = "DSOP_PROFILE", default_value = "police")]
    pub profile: Profile,
    /// The JSON file to check; `-` or nothing reads standard input.
    #[arg(env = "DSOP_FILE")]
    pub file: Option<PathBuf>,
    /// Print every message kind and its digest section, then exit.
    #[arg(long, env = "DSOP_VALIDATE_LIST")]
    pub list: bool,
}

/// Runs `validate`; exit 0 when the document conforms, 1 when it does not.
pub(crate) fn run(args: &ValidateArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    if args.list {
        for kind in MessageKind::ALL {
            writeln!(out, "{:<48} digest {}", kind.as_str(), kind.spec_section())?;
        }
        return Ok(exit::SUCCESS);
    }
    let kind = args.kind.context("--kind is required")?;
    let text = match args.file.as_deref() {
        None => read_stdin()?,
        Some(p) if p.as_os_str() == "-" => read_stdin()?,
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?
        }
    };
    let value: serde_json::Value = serde_json::from_str(&text).context("the input is not JSON")?;
    let registry = SchemaRegistry::global().map_err(|e| anyhow::anyhow!("{e}"))?;
    match registry.validate(kind, args.profile, &value) {
        Ok(()) => {
            writeln!(out, "valid {kind} ({} profile)", args.profile)?;
            Ok(exit::SUCCESS)
        }
        Err(violations) => {
            writeln!(
                out,
                "invalid {kind} ({} profile): {} violation(s)",
                args.profile,
                violations.len()
            )?;
            for v in violations {
                writeln!(out, "  {v}")?;
            }
            Ok(exit::FAILURE)
        }
    }
}

fn read_stdin() -> anyhow::Result<String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("reading standard input")?;
    Ok(text)
}

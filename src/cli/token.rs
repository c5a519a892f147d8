//! `dsop-harness token mint|verify`: Maskinporten access tokens as the mock Maskinporten
//! issues them and as a bank must validate them (digest 6).

use crate::exit;
use crate::trust::maskinporten::{
    AccessTokenValidator, TokenBreak, TokenMinter, CONTROL_API_SCOPE,
};
use crate::trust::TrustDir;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// Token commands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Mint an access token signed by the mock Maskinporten key (RS256, 120 s lifetime,
    /// consumer 0192:915429785). Use it as `Authorization: Bearer <token>`.
    Mint(MintArgs),
    /// Validate an access token as a bank must (signature, iss, aud, exp/iat, consumer, scope).
    /// Exit 0 when valid, 1 when not.
    Verify(TokenVerifyArgs),
}

/// `token mint` arguments.
#[derive(Debug, Args)]
pub struct MintArgs {
    /// Trust directory.
    #[arg(long, env = "DSOP_TRUST_DIR")]
    pub trust_dir: PathBuf,
    /// The bank's catalogue base URL (becomes `aud`).
    #[arg(long, env = "DSOP_TOKEN_AUDIENCE")]
    pub audience: String,
    /// Scope.
    #[arg(long, env = "DSOP_TOKEN_SCOPE", default_value = CONTROL_API_SCOPE)]
    pub scope: String,
    /// Make the token invalid: expired, issued-in-future, bad-signature, signed-by-other-key,
    /// unknown-kid, alg-none, unknown-issuer, wrong-audience, wrong-scope, wrong-consumer,
    /// missing-aud|scope|iss|exp|iat|consumer, malformed. Repeatable.
    #[arg(long = "break", env = "DSOP_TOKEN_BREAK", value_delimiter = ',')]
    pub breaks: Vec<String>,
}

/// `token verify` arguments.
#[derive(Debug, Args)]
pub struct TokenVerifyArgs {
    /// Trust directory.
    #[arg(long, env = "DSOP_TRUST_DIR")]
    pub trust_dir: PathBuf,
    /// This bank's base URL (expected `aud`).
    #[arg(long, env = "DSOP_TOKEN_AUDIENCE")]
    pub audience: String,
    /// Scope the called endpoint requires.
    #[arg(long, env = "DSOP_TOKEN_SCOPE", default_value = CONTROL_API_SCOPE)]
    pub scope: String,
    /// The access token.
    pub token: String,
}

/// Runs a token command.
pub(crate) fn run(command: TokenCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
    let now = chrono::Utc::now().timestamp();
    match command {
        TokenCommand::Mint(args) => {
            let trust = TrustDir::open(&args.trust_dir)?;
            let breaks = args
                .breaks
                .iter()
                .map(|b| b.parse::<TokenBreak>().map_err(anyhow::Error::msg))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let token = TokenMinter::from_trust_dir(&trust)?.mint(
                &args.audience,
                &args.scope,
                now,
                &breaks,
            )?;
            writeln!(out, "{token}")?;
            Ok(exit::SUCCESS)
        }
        TokenCommand::Verify(args) => {
            let trust = TrustDir::open(&args.trust_dir)?;
            let validator = AccessTokenValidator::from_trust_dir(&trust, &args.audience)?;
            match validator.validate(&args.token, &args.scope, now) {
                Ok(claims) => {
                    writeln!(out, "VALID {}", serde_json::to_string(&claims)?)?;
                    Ok(exit::SUCCESS)
                }
                Err(e) => {
                    let (status, code) = e.http();
                    writeln!(
                        out,
                        "INVALID [{}] {e} -> bank answers HTTP {status} {code}",
                        e.rule()
                    )?;
                    Ok(exit::FAILURE)
                }
            }
        }
    }
}

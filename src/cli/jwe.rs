//! `dsop-harness jwe encrypt|decrypt`: response-body encryption to the police certificate
//! (digest 7.2).

use crate::exit;
use crate::trust::{jwe, Artifact, TrustDir};
use clap::{Args, Subcommand};
use std::io::{Read, Write};
use std::path::PathBuf;

/// JWE commands.
#[derive(Debug, Subcommand)]
pub enum JweCommand {
    /// Encrypt standard input (a 200 response body) to consumer-encryption-cert.pem, as a bank
    /// must in production; prints the compact JWE.
    Encrypt(EncryptArgs),
    /// Decrypt a compact JWE from standard input with consumer-encryption-key.pem, as the police
    /// do; prints the plaintext. Exit 1 when it cannot be decrypted.
    Decrypt(DecryptArgs),
}

/// `jwe encrypt` arguments.
#[derive(Debug, Args)]
pub struct EncryptArgs {
    /// Trust directory.
    #[arg(long, env = "DSOP_TRUST_DIR")]
    pub trust_dir: PathBuf,
    /// Key management: RSA-OAEP-256 (default) or RSA-OAEP.
    #[arg(long, env = "DSOP_JWE_ALG", default_value = jwe::DEFAULT_ALG)]
    pub alg: String,
    /// Content encryption: A128CBC-HS256 (default), A256CBC-HS512, A128GCM, A256GCM.
    #[arg(long, env = "DSOP_JWE_ENC", default_value = jwe::DEFAULT_ENC)]
    pub enc: String,
}

/// `jwe decrypt` arguments.
#[derive(Debug, Args)]
pub struct DecryptArgs {
    /// Trust directory.
    #[arg(long, env = "DSOP_TRUST_DIR")]
    pub trust_dir: PathBuf,
}

/// Runs a JWE command.
pub(crate) fn run(command: JweCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input)?;
    match command {
        JweCommand::Encrypt(args) => {
            let trust = TrustDir::open(&args.trust_dir)?;
            let cert = trust.cert_der(Artifact::ConsumerEncryptionCert)?;
            writeln!(
                out,
                "{}",
                jwe::encrypt(&input, &cert, &args.alg, &args.enc)?
            )?;
            Ok(exit::SUCCESS)
        }
        JweCommand::Decrypt(args) => {
            let trust = TrustDir::open(&args.trust_dir)?;
            let key = trust.key(Artifact::ConsumerEncryptionKey)?;
            match jwe::decrypt(String::from_utf8_lossy(&input).trim(), key.pkcs8_der()) {
                Ok((plain, _, _)) => {
                    out.write_all(&plain)?;
                    writeln!(out)?;
                    Ok(exit::SUCCESS)
                }
                Err(e) => {
                    writeln!(out, "INVALID [{}] {e}", e.rule())?;
                    Ok(exit::FAILURE)
                }
            }
        }
    }
}

//! `attestation.jws`: a PS256 JWS (compact) over [`Claims`] — the harness version and commit,
//! tree hashes of the features and schemas it judged with, the system under test, the run's
//! start, end and verdict, and the SHA-256 of every other file of the report directory — signed
//! with the harness attestation key of the trust directory, its certificate in `x5c`.
//!
//! [`verify`] checks the signature with the `x5c` certificate, pins that certificate to the
//! trust directory's `harness-attestation-cert.pem` when one is given (the certificate is
//! self-signed, so pinning is the chain check), and, given the report directory, that no file
//! changed, was added or was removed.
//!
//! What this proves, and what it cannot (docs/forvaltning.md): a valid attestation shows the
//! reports were written by a process holding that trust directory's harness key and were not
//! edited since. The key sits on the vendor's machine, so it does not prove the vendor ran an
//! unmodified harness, nor against which system; for that, DSOP forvaltning re-runs the suite
//! or witnesses the run.

use super::provenance::sha256_hex;
use crate::trust::dir::{Artifact, TrustDir};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use josekit::jws::{JwsSigner as _, JwsVerifier as _};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `format` of the claims this version writes.
pub(crate) const FORMAT: &str = "dsop-harness/attestation@1";

/// The harness that signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HarnessClaims {
    /// Version.
    pub version: String,
    /// Git commit when known.
    pub git_commit: Option<String>,
}

/// What `attestation.jws` signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Claims {
    /// [`FORMAT`].
    pub format: String,
    /// The harness.
    pub harness: HarnessClaims,
    /// Tree hash of the features directory the run used (`None` if it could not be read).
    pub features_sha256: Option<String>,
    /// Hash of the schemas embedded in the harness binary.
    pub schemas_sha256: String,
    /// `bank` or `police`.
    pub suite: String,
    /// The system under test.
    pub sut: String,
    /// Run start (RFC 3339).
    pub started_at: String,
    /// Run end (RFC 3339).
    pub finished_at: String,
    /// `pass`, `passWithWarnings`, `fail` or `incomplete`.
    pub verdict: String,
    /// SHA-256 (hex) of every other file of the report directory, by relative path.
    pub files: BTreeMap<String, String>,
    /// When the attestation was signed (RFC 3339).
    pub issued_at: String,
}

/// Why an attestation could not be made or does not verify.
#[derive(Debug, thiserror::Error)]
pub enum AttestError {
    /// Trust directory unusable (no harness key or certificate).
    #[error("trust directory: {0}")]
    Trust(#[from] crate::trust::dir::TrustError),
    /// Signing failed.
    #[error("signing the attestation: {0}")]
    Sign(String),
    /// Not a compact JWS of the expected shape.
    #[error("not an attestation: {0}")]
    Malformed(String),
    /// The signature does not verify with the `x5c` certificate.
    #[error("signature does not verify with the certificate in x5c: the attestation was altered or not signed by that key")]
    BadSignature,
    /// The `x5c` certificate is not the trust directory's harness certificate.
    #[error("the signing certificate is not {dir}/harness-attestation-cert.pem: signed by another harness key")]
    UntrustedCertificate {
        /// The trust directory.
        dir: PathBuf,
    },
    /// Report files differ from the signed hashes.
    #[error("report directory {dir} differs from the attestation: changed {changed:?}, added {added:?}, removed {removed:?}")]
    FilesDiffer {
        /// The directory.
        dir: PathBuf,
        /// Files whose hash differs.
        changed: Vec<String>,
        /// Files not in the attestation.
        added: Vec<String>,
        /// Attested files that are missing.
        removed: Vec<String>,
    },
    /// The report directory could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The hashes of every file under `dir` except `skip` (relative name), by relative path.
pub(crate) fn hash_files(dir: &Path, skip: &str) -> Result<BTreeMap<String, String>, AttestError> {
    let files = super::provenance::read_tree(dir).map_err(|source| AttestError::Io {
        path: dir.to_owned(),
        source,
    })?;
    Ok(files
        .into_iter()
        .filter(|(name, _)| name != skip)
        .map(|(name, bytes)| (name, sha256_hex(&bytes)))
        .collect())
}

/// Signs `claims` with the trust directory's harness key; returns the compact JWS.
pub(crate) fn sign(claims: &Claims, trust: &TrustDir) -> Result<String, AttestError> {
    let key = trust.key(Artifact::HarnessKey)?;
    let cert = trust.cert_der(Artifact::HarnessCert)?;
    let header = serde_json::json!({
        "alg": "PS256",
        "typ": "JOSE",
        "cty": FORMAT,
        "kid": crate::trust::pki::x5t_s256(&cert),
        "x5c": [STANDARD.encode(&cert)],
    });
    let encode = |v: &serde_json::Value| {
        serde_json::to_vec(v)
            .map(|b| URL_SAFE_NO_PAD.encode(b))
            .map_err(|e| AttestError::Sign(e.to_string()))
    };
    let payload = serde_json::to_value(claims).map_err(|e| AttestError::Sign(e.to_string()))?;
    let input = format!("{}.{}", encode(&header)?, encode(&payload)?);
    let signature = josekit::jws::PS256
        .signer_from_der(key.pkcs8_der())
        .and_then(|s| s.sign(input.as_bytes()))
        .map_err(|e| AttestError::Sign(e.to_string()))?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// What [`verify`] established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The signed claims.
    pub claims: Claims,
    /// The signing certificate was compared with a trust directory's harness certificate.
    pub pinned: bool,
    /// The report directory was compared file by file.
    pub files_checked: bool,
}

/// Verifies an attestation (see the module doc). `trust`: pin the certificate to this trust
/// directory. `reports`: compare every file of this directory (the attestation file itself,
/// `attestation.jws`, excluded) with the signed hashes.
pub fn verify(
    jws: &str,
    trust: Option<&TrustDir>,
    reports: Option<&Path>,
) -> Result<Verified, AttestError> {
    let malformed = |m: &str| AttestError::Malformed(m.to_owned());
    let parts: Vec<&str> = jws.trim().split('.').collect();
    let [header_b64, payload_b64, signature_b64] = parts[..] else {
        return Err(malformed("expected three dot-separated parts"));
    };
    let decode = |part: &str, what: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|e| AttestError::Malformed(format!("{what}: {e}")))
    };
    let header: serde_json::Value = serde_json::from_slice(&decode(header_b64, "header")?)
        .map_err(|e| AttestError::Malformed(format!("header: {e}")))?;
    if header["alg"] != "PS256" {
        return Err(malformed("header alg must be PS256"));
    }
    let cert = header["x5c"][0]
        .as_str()
        .ok_or_else(|| malformed("header has no x5c certificate"))
        .and_then(|c| {
            STANDARD
                .decode(c)
                .map_err(|e| AttestError::Malformed(format!("x5c: {e}")))
        })?;
    let (_, parsed) = x509_parser::parse_x509_certificate(&cert)
        .map_err(|e| AttestError::Malformed(format!("x5c certificate: {e}")))?;
    let spki = parsed.public_key().raw;
    let signature = decode(signature_b64, "signature")?;
    josekit::jws::PS256
        .verifier_from_der(spki)
        .and_then(|v| v.verify(format!("{header_b64}.{payload_b64}").as_bytes(), &signature))
        .map_err(|_| AttestError::BadSignature)?;
    let payload: serde_json::Value = serde_json::from_slice(&decode(payload_b64, "payload")?)
        .map_err(|e| AttestError::Malformed(format!("payload: {e}")))?;
    crate::schema::validate(crate::schema::MessageKind::Attestation, &payload).map_err(|v| {
        AttestError::Malformed(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let claims: Claims = serde_json::from_value(payload)
        .map_err(|e| AttestError::Malformed(format!("payload: {e}")))?;
    if let Some(trust) = trust {
        if trust.cert_der(Artifact::HarnessCert)? != cert {
            return Err(AttestError::UntrustedCertificate {
                dir: trust.path().to_owned(),
            });
        }
    }
    if let Some(dir) = reports {
        let actual = hash_files(dir, super::ATTESTATION)?;
        let changed: Vec<String> = claims
            .files
            .iter()
            .filter(|(name, hash)| actual.get(*name).is_some_and(|h| h != *hash))
            .map(|(name, _)| name.clone())
            .collect();
        let added: Vec<String> = actual
            .keys()
            .filter(|name| !claims.files.contains_key(*name))
            .cloned()
            .collect();
        let removed: Vec<String> = claims
            .files
            .keys()
            .filter(|name| !actual.contains_key(*name))
            .cloned()
            .collect();
        if !(changed.is_empty() && added.is_empty() && removed.is_empty()) {
            return Err(AttestError::FilesDiffer {
                dir: dir.to_owned(),
                changed,
                added,
                removed,
            });
        }
    }
    Ok(Verified {
        claims,
        pinned: trust.is_some(),
        files_checked: reports.is_some(),
    })
}

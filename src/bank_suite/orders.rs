//! The extradition orders and request variations of the order matrix
//! (`features/bank/extradition-order.feature`, digest 5.5, 5.6, 5.7), and the flawed signing
//! certificates the certificate rows sign with.
//!
//! An order variation is either the name of a [`Break`] (`wrong-ou`, `missing-caseID`, …) or
//! one of [`ORDER_VARIATIONS`]; a request variation is one of [`REQUEST_VARIATIONS`].
//!
//! Flawed certificates (wrong OU/CN, expired, not yet valid, unrelated root, missing
//! intermediate) carry their own `kid`. A bank only reaches the check a row is about when the
//! JWKS it trusts lists that `kid`; otherwise it rejects the order for its unknown `kid` (still
//! 403 ACC-011). So the flawed signers are made once per trust directory and kept in
//! `<trust-dir>/bank-suite/flawed-signers.json`, and their JWKs in
//! `<trust-dir>/bank-suite/flawed-jwks.json` for the bank's test environment to trust
//! (docs/bank-vendors.md).

use crate::domain::token::Jwks;
use crate::trust::eo::Break;
use crate::trust::pki::{SignerFlaw, SignerMaterial};
use crate::trust::{Artifact, TrustDir};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Order variations that are not a [`Break`]: `(name, what it is)`.
pub const ORDER_VARIATIONS: &[(&str, &str)] = &[
    ("valid", "a valid criminal-case order matching the request"),
    (
        "missing-person",
        "a valid missing-person order (mandate and reason of 4.1/5.4)",
    ),
    (
        "percent-encoded",
        "a valid order, percent-encoded in the header (digest 9 row 14)",
    ),
    (
        "lifetime-90-days",
        "approved a day ago, expiring exactly 90 days after approval",
    ),
    (
        "from-date-ten-years",
        "fromDate exactly ten years before today (order and request)",
    ),
    (
        "only-primary-owner-true",
        "a valid order with onlyPrimaryOwner true",
    ),
    (
        "missing-person-mandate-criminal-reason",
        "the missing-person mandate with the criminal-case reason (crossed pair)",
    ),
];

/// Request variations: `(name, what it is)`.
pub const REQUEST_VARIATIONS: &[(&str, &str)] = &[
    ("as-ordered", "the request matches the order"),
    (
        "other-party",
        "PartyID (Accounts) or the order's partyID (2b) is another person",
    ),
    ("other-mandate", "Legal-Mandate is the other police mandate"),
    (
        "from-before-order",
        "fromDate one day before the order's fromDate",
    ),
    ("to-after-order", "toDate one day after the order's toDate"),
    (
        "inside-order",
        "the period lies strictly inside the order's",
    ),
    ("opo-true", "OnlyPrimaryOwner=TRUE"),
    ("opo-false", "OnlyPrimaryOwner=FALSE"),
    (
        "other-case-id",
        "AccountInfoRequestID differs from the order's caseID",
    ),
];

/// The certificate flaw a break asks for (the builder keeps this mapping private).
pub(crate) fn signer_flaw(brk: &Break) -> Option<SignerFlaw> {
    Some(match brk {
        Break::UnrelatedRoot => SignerFlaw::UnrelatedRoot,
        Break::MissingIntermediate => SignerFlaw::MissingIntermediate,
        Break::WrongOu => SignerFlaw::WrongOu,
        Break::WrongCn => SignerFlaw::WrongCn,
        Break::ExpiredCert => SignerFlaw::ExpiredCert,
        Break::NotYetValidCert => SignerFlaw::NotYetValidCert,
        _ => return None,
    })
}

const FLAWS: &[(&str, SignerFlaw)] = &[
    ("unrelated-root", SignerFlaw::UnrelatedRoot),
    ("missing-intermediate", SignerFlaw::MissingIntermediate),
    ("wrong-ou", SignerFlaw::WrongOu),
    ("wrong-cn", SignerFlaw::WrongCn),
    ("expired-cert", SignerFlaw::ExpiredCert),
    ("not-yet-valid-cert", SignerFlaw::NotYetValidCert),
];

/// Flawed signers are made again after this many days (the not-yet-valid one becomes valid
/// 30 days after it was made).
const FLAWED_SIGNER_DAYS: i64 = 20;

/// Why the flawed signers could not be made or read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FlawedSignerError {
    /// Trust material.
    #[error("trust directory: {0}")]
    Trust(#[from] crate::trust::TrustError),
    /// Writing or reading the files.
    #[error("{path}: {reason}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// Certificates.
    #[error("certificate: {0}")]
    Pki(#[from] crate::trust::pki::PkiError),
}

#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    created: i64,
    /// Flaw name → base64 DER chain, leaf first.
    chains: BTreeMap<String, Vec<String>>,
}

/// The flawed signers of one trust directory (key: the prosecution key; certificates flawed).
#[derive(Debug, Clone)]
pub(crate) struct FlawedSigners {
    signers: Vec<(SignerFlaw, SignerMaterial)>,
}

impl FlawedSigners {
    /// `<trust-dir>/bank-suite/flawed-signers.json`.
    pub(crate) fn signers_file(trust_dir: &std::path::Path) -> PathBuf {
        trust_dir.join("bank-suite").join("flawed-signers.json")
    }

    /// `<trust-dir>/bank-suite/flawed-jwks.json`: the JWKS a bank's test environment adds to
    /// the prosecution JWKS it trusts.
    pub(crate) fn jwks_file(trust_dir: &std::path::Path) -> PathBuf {
        trust_dir.join("bank-suite").join("flawed-jwks.json")
    }

    /// Reads the signers of `trust_dir`, making (and writing) them when absent or older than
    /// 20 days.
    pub(crate) fn load_or_create(
        trust: &TrustDir,
        trust_dir: &std::path::Path,
        now: i64,
    ) -> Result<Self, FlawedSignerError> {
        // One maker at a time in this process: the ecosystem builds its banks (each loading
        // the signers to trust) while the suite loads them to sign with; two makers on a
        // fresh trust directory would each write their own keys, and a bank would trust
        // certificates the suite does not sign with.
        static MAKING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one_at_a_time = MAKING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = trust.key(Artifact::ProsecutionKey)?;
        let path = Self::signers_file(trust_dir);
        let file_error = |reason: String| FlawedSignerError::File {
            path: path.clone(),
            reason,
        };
        if let Ok(text) = std::fs::read_to_string(&path) {
            if let Ok(stored) = serde_json::from_str::<Stored>(&text) {
                if now - stored.created < FLAWED_SIGNER_DAYS * 86_400 {
                    let mut signers = Vec::new();
                    for (name, flaw) in FLAWS {
                        let Some(chain) = stored.chains.get(*name) else {
                            continue;
                        };
                        let chain: Result<Vec<Vec<u8>>, _> =
                            chain.iter().map(|c| STANDARD.decode(c)).collect();
                        if let Ok(chain) = chain {
                            signers.push((
                                *flaw,
                                SignerMaterial {
                                    key: key.clone(),
                                    chain,
                                },
                            ));
                        }
                    }
                    if signers.len() == FLAWS.len() {
                        return Ok(Self { signers });
                    }
                }
            }
        }
        let ca = trust.intermediate_ca()?;
        let mut signers = Vec::new();
        let mut chains = BTreeMap::new();
        for (name, flaw) in FLAWS {
            let material = crate::trust::pki::flawed_signer(*flaw, &ca, &key, now)?;
            chains.insert(
                (*name).to_owned(),
                material.chain.iter().map(|c| STANDARD.encode(c)).collect(),
            );
            signers.push((*flaw, material));
        }
        let made = Self { signers };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| file_error(e.to_string()))?;
        }
        let stored = Stored {
            created: now,
            chains,
        };
        let text = serde_json::to_string_pretty(&stored).map_err(|e| file_error(e.to_string()))?;
        std::fs::write(&path, text).map_err(|e| file_error(e.to_string()))?;
        let jwks_path = Self::jwks_file(trust_dir);
        let jwks =
            serde_json::to_string_pretty(&made.jwks()?).map_err(|e| file_error(e.to_string()))?;
        std::fs::write(&jwks_path, jwks).map_err(|e| FlawedSignerError::File {
            path: jwks_path.clone(),
            reason: e.to_string(),
        })?;
        Ok(made)
    }

    /// The signer with `flaw`.
    pub(crate) fn get(&self, flaw: SignerFlaw) -> Option<&SignerMaterial> {
        self.signers
            .iter()
            .find(|(f, _)| *f == flaw)
            .map(|(_, m)| m)
    }

    /// Their JWKs (what `flawed-jwks.json` holds).
    pub(crate) fn jwks(&self) -> Result<Jwks, FlawedSignerError> {
        let keys = self
            .signers
            .iter()
            .map(|(_, m)| m.jwk())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Jwks { keys })
    }
}

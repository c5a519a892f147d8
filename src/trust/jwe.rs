//! JWE compact encryption of a 200 response body to the consumer's CertPub certificate, and
//! decryption with its key (digest 7.2; algorithms: digest 9 row 8).
//!
//! Defaults: `RSA-OAEP-256` + `A128CBC-HS256` (the pair a consumer's code names). Supported:
//! key management `RSA-OAEP-256`, `RSA-OAEP`; content encryption `A128CBC-HS256`,
//! `A256CBC-HS512`, `A128GCM`, `A256GCM`. Decryption accepts any supported pair the header
//! declares, unless the caller pins one ([`decrypt_expecting`]).
//!
//! Assumption (digest 7.2 leaves it UNKNOWN): the protected header carries `kid` (the
//! certificate serial in decimal, as for the police JWKS) and `x5t#S256` of the recipient
//! certificate so that a consumer with several certificates can pick the key.

use crate::trust::pki::cert_facts;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use josekit::jwe::{self, JweContentEncryption, JweDecrypter, JweHeader};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Default key-management algorithm (digest 9 row 8).
pub const DEFAULT_ALG: &str = "RSA-OAEP-256";
/// Default content encryption (digest 9 row 8).
pub const DEFAULT_ENC: &str = "A128CBC-HS256";
/// Supported `alg` values.
pub const SUPPORTED_ALGS: &[&str] = &["RSA-OAEP-256", "RSA-OAEP"];
/// Supported `enc` values.
pub const SUPPORTED_ENCS: &[&str] = &["A128CBC-HS256", "A256CBC-HS512", "A128GCM", "A256GCM"];

/// Why a body could not be encrypted or a JWE not decrypted. [`JweError::rule`] gives a stable
/// kebab-case name per variant.
#[derive(Debug, thiserror::Error)]
pub enum JweError {
    /// Not a JWE compact serialisation (five base64url segments, JSON protected header).
    #[error("not a JWE compact serialisation: {reason}")]
    NotJwe {
        /// What is wrong.
        reason: String,
    },
    /// The `alg` is not one the harness supports.
    #[error("JWE alg {alg:?} is not supported (supported: RSA-OAEP-256, RSA-OAEP)")]
    UnsupportedAlg {
        /// The alg.
        alg: String,
    },
    /// The `enc` is not one the harness supports.
    #[error("JWE enc {enc:?} is not supported (supported: A128CBC-HS256, A256CBC-HS512, A128GCM, A256GCM)")]
    UnsupportedEnc {
        /// The enc.
        enc: String,
    },
    /// The header declares a supported pair, but not the one the caller pinned.
    #[error("JWE uses {alg}/{enc}, expected {expected_alg}/{expected_enc}")]
    UnexpectedAlgorithm {
        /// Declared alg.
        alg: String,
        /// Declared enc.
        enc: String,
        /// Pinned alg.
        expected_alg: String,
        /// Pinned enc.
        expected_enc: String,
    },
    /// The content-encryption key could not be unwrapped: encrypted to another key.
    #[error("JWE content key cannot be unwrapped with this private key (wrong key?): {reason}")]
    WrongKey {
        /// Library message.
        reason: String,
    },
    /// The key unwrapped but the ciphertext failed its integrity check: tampered.
    #[error("JWE ciphertext failed its integrity check (tampered?): {reason}")]
    Tampered {
        /// Library message.
        reason: String,
    },
    /// Key or certificate unusable.
    #[error("JWE key material unusable: {reason}")]
    Key {
        /// What is wrong.
        reason: String,
    },
}

impl JweError {
    /// Stable rule name (used by the test tables).
    pub fn rule(&self) -> &'static str {
        match self {
            JweError::NotJwe { .. } => "not-jwe",
            JweError::UnsupportedAlg { .. } => "unsupported-alg",
            JweError::UnsupportedEnc { .. } => "unsupported-enc",
            JweError::UnexpectedAlgorithm { .. } => "unexpected-algorithm",
            JweError::WrongKey { .. } => "wrong-key",
            JweError::Tampered { .. } => "tampered",
            JweError::Key { .. } => "key",
        }
    }
}

fn rsa_alg(alg: &str) -> Result<jwe::alg::rsaes::RsaesJweAlgorithm, JweError> {
    match alg {
        "RSA-OAEP-256" => Ok(jwe::RSA_OAEP_256),
        "RSA-OAEP" => Ok(jwe::RSA_OAEP),
        other => Err(JweError::UnsupportedAlg {
            alg: other.to_owned(),
        }),
    }
}

fn content_enc(enc: &str) -> Result<Box<dyn JweContentEncryption>, JweError> {
    use josekit::jwe::enc;
    match enc {
        "A128CBC-HS256" => Ok(Box::new(enc::A128CBC_HS256)),
        "A256CBC-HS512" => Ok(Box::new(enc::A256CBC_HS512)),
        "A128GCM" => Ok(Box::new(enc::A128GCM)),
        "A256GCM" => Ok(Box::new(enc::A256GCM)),
        other => Err(JweError::UnsupportedEnc {
            enc: other.to_owned(),
        }),
    }
}

/// Encrypts `body` to the recipient certificate `cert_der` with `alg`/`enc` (both must be
/// supported). The protected header carries `alg`, `enc`, `kid` and `x5t#S256` of the cert.
pub fn encrypt(body: &[u8], cert_der: &[u8], alg: &str, enc: &str) -> Result<String, JweError> {
    Encryptor::new(cert_der, alg, enc)?.encrypt(body)
}

/// The recipient's key parsed once: a bank answering many requests for the same police
/// certificate encrypts every body with one `Encryptor` instead of parsing the certificate
/// (and its key, through OpenSSL's decoders) per response. Every body still gets a fresh
/// content key and IV.
pub struct Encryptor {
    encrypter: jwe::alg::rsaes::RsaesJweEncrypter,
    header: JweHeader,
}

impl std::fmt::Debug for Encryptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encryptor")
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

impl Encryptor {
    /// Parses `cert_der`'s key for `alg` (RSA-OAEP-256 / RSA-OAEP) and `enc`.
    pub fn new(cert_der: &[u8], alg: &str, enc: &str) -> Result<Self, JweError> {
        let algorithm = rsa_alg(alg)?;
        content_enc(enc)?;
        let facts = cert_facts(cert_der).map_err(|e| JweError::Key {
            reason: e.to_string(),
        })?;
        let encrypter =
            algorithm
                .encrypter_from_der(&facts.spki_der)
                .map_err(|e| JweError::Key {
                    reason: e.to_string(),
                })?;
        let mut header = JweHeader::new();
        header.set_content_encryption(enc);
        header.set_key_id(facts.serial_decimal);
        header.set_x509_certificate_sha256_thumbprint(Sha256::digest(cert_der));
        Ok(Self { encrypter, header })
    }

    /// Encrypts one body (compact serialisation).
    pub fn encrypt(&self, body: &[u8]) -> Result<String, JweError> {
        jwe::serialize_compact(body, &self.header, &self.encrypter).map_err(|e| JweError::Key {
            reason: e.to_string(),
        })
    }
}

/// The protected header of a JWE, parsed without decrypting.
pub fn header(jwe: &str) -> Result<Map<String, Value>, JweError> {
    let segments: Vec<&str> = jwe.trim().split('.').collect();
    if segments.len() != 5 {
        return Err(JweError::NotJwe {
            reason: format!("{} segments, expected 5", segments.len()),
        });
    }
    let raw = URL_SAFE_NO_PAD
        .decode(segments[0])
        .map_err(|e| JweError::NotJwe {
            reason: format!("protected header is not base64url: {e}"),
        })?;
    match serde_json::from_slice(&raw) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(JweError::NotJwe {
            reason: "protected header is not a JSON object".to_owned(),
        }),
    }
}

/// Decrypts a compact JWE with the PKCS#8 DER private key, accepting any supported pair.
/// Returns the plaintext and the declared `(alg, enc)`.
pub fn decrypt(jwe: &str, key_pkcs8_der: &[u8]) -> Result<(Vec<u8>, String, String), JweError> {
    let map = header(jwe)?;
    let text = |name: &str| match map.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(JweError::NotJwe {
            reason: format!("protected header has no string {name:?}"),
        }),
    };
    let (alg, enc) = (text("alg")?, text("enc")?);
    let algorithm = rsa_alg(&alg)?;
    let cenc = content_enc(&enc)?;
    let segments: Vec<&str> = jwe.trim().split('.').collect();
    let decode = |i: usize, what: &str| {
        URL_SAFE_NO_PAD
            .decode(segments[i])
            .map_err(|e| JweError::NotJwe {
                reason: format!("{what} is not base64url: {e}"),
            })
    };
    let encrypted_key = decode(1, "encrypted key")?;
    let iv = decode(2, "initialisation vector")?;
    let ciphertext = decode(3, "ciphertext")?;
    let tag = decode(4, "authentication tag")?;
    let decrypter = algorithm
        .decrypter_from_der(key_pkcs8_der)
        .map_err(|e| JweError::Key {
            reason: e.to_string(),
        })?;
    let header = JweHeader::from_map(map.clone()).map_err(|e| JweError::NotJwe {
        reason: e.to_string(),
    })?;
    let cek = decrypter
        .decrypt(Some(&encrypted_key), cenc.as_ref(), &header)
        .map_err(|e| JweError::WrongKey {
            reason: e.to_string(),
        })?;
    if cek.len() != cenc.key_len() {
        return Err(JweError::WrongKey {
            reason: format!("unwrapped key has {} bytes", cek.len()),
        });
    }
    let plain = cenc
        .decrypt(
            &cek,
            Some(&iv),
            &ciphertext,
            segments[0].as_bytes(),
            Some(&tag),
        )
        .map_err(|e| JweError::Tampered {
            reason: e.to_string(),
        })?;
    Ok((plain, alg, enc))
}

/// Like [`decrypt`], but the header must declare exactly `alg`/`enc`.
pub fn decrypt_expecting(
    jwe: &str,
    key_pkcs8_der: &[u8],
    alg: &str,
    enc: &str,
) -> Result<Vec<u8>, JweError> {
    let map = header(jwe)?;
    let declared = |name: &str| map.get(name).and_then(Value::as_str).unwrap_or_default();
    if declared("alg") != alg || declared("enc") != enc {
        return Err(JweError::UnexpectedAlgorithm {
            alg: declared("alg").to_owned(),
            enc: declared("enc").to_owned(),
            expected_alg: alg.to_owned(),
            expected_enc: enc.to_owned(),
        });
    }
    decrypt(jwe, key_pkcs8_der).map(|(plain, _, _)| plain)
}

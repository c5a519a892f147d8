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
    /// The protected header's `crit` is refused (RFC 7516 §4.1.13 → RFC 7515 §4.1.11).
    #[error("JWE header refused: {reason}")]
    Crit {
        /// Which part of the rule is broken.
        reason: String,
    },
    /// The protected header declares a `zip` the harness does not support (RFC 7516 §4.1.3:
    /// a recipient that does not support it cannot decrypt correctly; DSOP uses none).
    #[error("JWE zip {zip} is not supported (no compression is used for DSOP answers)")]
    UnsupportedZip {
        /// The declared value (JSON).
        zip: String,
    },
    /// The initialisation vector has the wrong length for `enc` (RFC 7518 §5.2.2: 128 bits
    /// for AES-CBC-HMAC; §5.3: 96 bits for AES-GCM). Checked before any crypto call.
    #[error("JWE IV has {actual} bytes, {enc} requires {expected} (RFC 7518 {section})")]
    IvLength {
        /// The enc.
        enc: String,
        /// Required bytes.
        expected: usize,
        /// Found bytes.
        actual: usize,
        /// RFC 7518 section.
        section: &'static str,
    },
    /// The authentication tag has the wrong length for `enc` (RFC 7518 T_LEN: 16 bytes for
    /// A128CBC-HS256, §5.2.3, and 32 for A256CBC-HS512, §5.2.5 — half the HMAC output, as long
    /// as the MAC key; §5.3: 128 bits for GCM).
    #[error(
        "JWE authentication tag has {actual} bytes, {enc} requires {expected} (RFC 7518 {section})"
    )]
    TagLength {
        /// The enc.
        enc: String,
        /// Required bytes.
        expected: usize,
        /// Found bytes.
        actual: usize,
        /// RFC 7518 section.
        section: &'static str,
    },
    /// The ciphertext cannot be AES-CBC output: empty or not a whole number of 16-byte blocks
    /// (RFC 7518 §5.2.2.1, PKCS #7 padding).
    #[error("JWE ciphertext has {actual} bytes, not a non-zero multiple of 16 as {enc} produces (RFC 7518 §5.2.2.1)")]
    CiphertextLength {
        /// The enc.
        enc: String,
        /// Found bytes.
        actual: usize,
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
            JweError::Crit { .. } => "crit",
            JweError::UnsupportedZip { .. } => "zip",
            JweError::IvLength { .. } => "iv-length",
            JweError::TagLength { .. } => "tag-length",
            JweError::CiphertextLength { .. } => "ciphertext-length",
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

    /// A JWE whose content key is validly wrapped to the recipient but whose extra protected
    /// header parameters (`extra`, e.g. `crit`, `zip`) and IV the caller chooses: what any bank
    /// can build from the public certificate. The tag covers the given IV (an IV shorter than
    /// `enc` needs is zero-padded for encryption and sent short). For the hostile test matrices
    /// and the fuzz target; a conforming answer uses [`Encryptor::encrypt`].
    pub fn encrypt_crafted(
        &self,
        body: &[u8],
        extra: &Map<String, Value>,
        iv: &[u8],
    ) -> Result<String, JweError> {
        use josekit::jwe::JweEncrypter;
        let key_err = |e: &dyn std::fmt::Display| JweError::Key {
            reason: e.to_string(),
        };
        let enc = self.header.content_encryption().unwrap_or(DEFAULT_ENC);
        let cenc = content_enc(enc)?;
        let mut cek = vec![0u8; cenc.key_len()];
        openssl::rand::rand_bytes(&mut cek).map_err(|e| key_err(&e))?;
        let mut out_header = self.header.clone();
        let wrapped = self
            .encrypter
            .encrypt(&cek, &self.header, &mut out_header)
            .map_err(|e| key_err(&e))?
            .unwrap_or_default();
        out_header.set_algorithm(self.encrypter.algorithm().name());
        let mut map = out_header.claims_set().clone();
        map.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        let header_b64 = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&map).map_err(|e| key_err(&e))?);
        let mut used_iv = iv.to_vec();
        if used_iv.len() < cenc.iv_len() {
            used_iv.resize(cenc.iv_len(), 0);
        }
        let (ciphertext, tag) = cenc
            .encrypt(&cek, Some(&used_iv), body, header_b64.as_bytes())
            .map_err(|e| key_err(&e))?;
        Ok(format!(
            "{header_b64}.{}.{}.{}.{}",
            URL_SAFE_NO_PAD.encode(wrapped),
            URL_SAFE_NO_PAD.encode(iv),
            URL_SAFE_NO_PAD.encode(ciphertext),
            URL_SAFE_NO_PAD.encode(tag.unwrap_or_default())
        ))
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

/// Lengths RFC 7518 fixes per `enc`: (IV bytes, tag bytes, CBC?, IV section, tag section).
fn enc_lengths(enc: &str) -> Option<(usize, usize, bool, &'static str, &'static str)> {
    match enc {
        "A128CBC-HS256" => Some((16, 16, true, "§5.2.2", "§5.2.3")),
        "A256CBC-HS512" => Some((16, 32, true, "§5.2.2", "§5.2.5")),
        "A128GCM" | "A256GCM" => Some((12, 16, false, "§5.3", "§5.3")),
        _ => None,
    }
}

/// The structure of a JWE checked before any crypto call: `crit` (RFC 7515 §4.1.11), `zip`
/// (none supported), and IV, tag and (for CBC) ciphertext lengths per `enc` (RFC 7518 §5.2,
/// §5.3). A validly wrapped content key with a short IV would otherwise reach OpenSSL, which
/// asserts on it.
pub(crate) fn check_structure(
    header: &Map<String, Value>,
    enc: &str,
    iv: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<(), JweError> {
    crate::trust::jose::check_crit(header).map_err(|reason| JweError::Crit { reason })?;
    if let Some(zip) = header.get("zip") {
        return Err(JweError::UnsupportedZip {
            zip: zip.to_string(),
        });
    }
    let (iv_len, tag_len, cbc, iv_section, tag_section) =
        enc_lengths(enc).ok_or_else(|| JweError::UnsupportedEnc {
            enc: enc.to_owned(),
        })?;
    if iv.len() != iv_len {
        return Err(JweError::IvLength {
            enc: enc.to_owned(),
            expected: iv_len,
            actual: iv.len(),
            section: iv_section,
        });
    }
    if tag.len() != tag_len {
        return Err(JweError::TagLength {
            enc: enc.to_owned(),
            expected: tag_len,
            actual: tag.len(),
            section: tag_section,
        });
    }
    if cbc && (ciphertext.is_empty() || ciphertext.len() % 16 != 0) {
        return Err(JweError::CiphertextLength {
            enc: enc.to_owned(),
            actual: ciphertext.len(),
        });
    }
    Ok(())
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
    check_structure(&map, &enc, &iv, &ciphertext, &tag)?;
    let decrypter = algorithm
        .decrypter_from_der(key_pkcs8_der)
        .map_err(|e| JweError::Key {
            reason: e.to_string(),
        })?;
    let header = JweHeader::from_map(map).map_err(|e| JweError::NotJwe {
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

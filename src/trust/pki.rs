//! The harness's test PKI (digest 5.5, 6.2, 7.2): RSA keys (generated with OpenSSL), X.509
//! certificates (signed with rcgen), PEM/DER export, JWK construction from a certificate chain,
//! and deliberately flawed signing material for negative extradition-order tests.
//!
//! The hierarchy stands in for Buypass: one test root, one intermediate issuing every
//! enterprise certificate (prosecution signing, Maskinporten signing, police encryption,
//! police client), plus a separate TLS CA for the mock servers. No certificate with the
//! production common name `Godkjenning av utleveringspålegg` can be issued ([`PkiError::ProductionCn`]).

use crate::domain::token::Jwk;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use openssl::bn::BigNum;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber, PKCS_RSA_SHA256,
};
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};
use std::fmt;

/// Subject OU of the prosecution authority's signing certificate (digest 5.5 step 5).
pub(crate) const PROSECUTION_OU: &str = "Påtalemyndigheten";
/// Subject CN of the prosecution signing certificate in the test environment.
pub(crate) const TEST_CN: &str = "Godkjenning av utleveringspålegg TEST";
/// Subject CN of the prosecution signing certificate in production. The harness never issues
/// a certificate with this name.
pub(crate) const PRODUCTION_CN: &str = "Godkjenning av utleveringspålegg";
/// Organisation name used for the police's (and prosecution's) test certificates.
pub(crate) const POLICE_ORG: &str = "POLITI- OG LENSMANNSETATEN TEST";

const DAY: i64 = 86_400;

/// Why key or certificate material could not be produced or read.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    /// OpenSSL failed (key generation, parsing, conversion).
    #[error("OpenSSL failed while {action}: {source}")]
    OpenSsl {
        /// What was being done.
        action: &'static str,
        /// The cause.
        source: openssl::error::ErrorStack,
    },
    /// rcgen failed to build or sign a certificate.
    #[error("could not build certificate {subject:?}: {source}")]
    Rcgen {
        /// Subject CN of the certificate.
        subject: String,
        /// The cause.
        source: rcgen::Error,
    },
    /// A certificate could not be parsed.
    #[error("certificate is not valid DER X.509: {reason}")]
    BadCertificate {
        /// Parser message.
        reason: String,
    },
    /// A PEM file did not contain what was expected.
    #[error("PEM text does not contain a {expected} block")]
    BadPem {
        /// The PEM label expected.
        expected: &'static str,
    },
    /// Refused: the harness never issues a certificate carrying the production CN (digest 5.5
    /// step 5), so a production-valid extradition order can never come out of it.
    #[error("refusing to issue a certificate with the production CN {PRODUCTION_CN:?}")]
    ProductionCn,
}

fn ossl(action: &'static str) -> impl FnOnce(openssl::error::ErrorStack) -> PkiError {
    move |source| PkiError::OpenSsl { action, source }
}

/// An RSA private key, held as PKCS#8 DER. `Debug` does not print the key.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaKey {
    pkcs8_der: Vec<u8>,
}

impl fmt::Debug for RsaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RsaKey(<private>)")
    }
}

impl RsaKey {
    /// Generates a new 2048-bit RSA key with OpenSSL.
    pub fn generate() -> Result<Self, PkiError> {
        Self::generate_bits(2048)
    }

    /// Generates a new RSA key of `bits` bits.
    pub fn generate_bits(bits: u32) -> Result<Self, PkiError> {
        let rsa = Rsa::generate(bits).map_err(ossl("generating an RSA key"))?;
        let pkey = PKey::from_rsa(rsa).map_err(ossl("wrapping an RSA key"))?;
        let pkcs8_der = pkey
            .private_key_to_pkcs8()
            .map_err(ossl("exporting an RSA key as PKCS#8"))?;
        Ok(Self { pkcs8_der })
    }

    /// Reads a PEM private key (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`).
    pub fn from_pem(pem: &[u8]) -> Result<Self, PkiError> {
        let pkey = PKey::private_key_from_pem(pem).map_err(ossl("reading a PEM private key"))?;
        let pkcs8_der = pkey
            .private_key_to_pkcs8()
            .map_err(ossl("exporting an RSA key as PKCS#8"))?;
        Ok(Self { pkcs8_der })
    }

    /// PEM (`-----BEGIN PRIVATE KEY-----`, PKCS#8).
    pub fn to_pem(&self) -> String {
        pem_block("PRIVATE KEY", &self.pkcs8_der)
    }

    /// The PKCS#8 DER encoding (what josekit's `*_from_der` loaders take).
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.pkcs8_der
    }

    fn rcgen(&self, subject: &str) -> Result<KeyPair, PkiError> {
        let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.pkcs8_der.clone()));
        KeyPair::from_der_and_sign_algo(&der, &PKCS_RSA_SHA256).map_err(|source| PkiError::Rcgen {
            subject: subject.to_owned(),
            source,
        })
    }
}

/// Encodes DER as a PEM block with 64-column lines.
pub(crate) fn pem_block(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Decodes the first PEM block labelled `label`.
pub fn pem_decode(text: &[u8], label: &'static str) -> Result<Vec<u8>, PkiError> {
    let text = String::from_utf8_lossy(text);
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text
        .find(&begin)
        .ok_or(PkiError::BadPem { expected: label })?
        + begin.len();
    let stop = text[start..]
        .find(&end)
        .ok_or(PkiError::BadPem { expected: label })?
        + start;
    let body: String = text[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    STANDARD
        .decode(body)
        .map_err(|_| PkiError::BadPem { expected: label })
}

/// Subject distinguished name of a certificate the harness issues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectName {
    /// Country (`NO`).
    pub country: String,
    /// Organisation.
    pub organization: String,
    /// Organisational unit, if any.
    pub organizational_unit: Option<String>,
    /// Common name.
    pub common_name: String,
}

impl SubjectName {
    fn new(org: &str, ou: Option<&str>, cn: &str) -> Self {
        Self {
            country: "NO".to_owned(),
            organization: org.to_owned(),
            organizational_unit: ou.map(str::to_owned),
            common_name: cn.to_owned(),
        }
    }

    fn dn(&self) -> DistinguishedName {
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CountryName, self.country.as_str());
        dn.push(DnType::OrganizationName, self.organization.as_str());
        if let Some(ou) = &self.organizational_unit {
            dn.push(DnType::OrganizationalUnitName, ou.as_str());
        }
        dn.push(DnType::CommonName, self.common_name.as_str());
        dn
    }
}

/// What a certificate is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertKind {
    /// Self-signed trust anchor.
    Root,
    /// CA certificate issued by a root.
    Intermediate,
    /// Enterprise certificate for signing (digitalSignature).
    Signing,
    /// Enterprise certificate for encryption (keyEncipherment).
    Encryption,
    /// TLS server certificate with these subject alternative names.
    TlsServer(Vec<String>),
}

/// Everything needed to issue one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertSpec {
    /// Subject name.
    pub subject: SubjectName,
    /// Purpose.
    pub kind: CertKind,
    /// Start of validity (seconds since the epoch).
    pub not_before: i64,
    /// End of validity (seconds since the epoch).
    pub not_after: i64,
    /// Serial number, big-endian, positive.
    pub serial: Vec<u8>,
}

impl CertSpec {
    /// A spec valid from one day before `now` for `years` years, with a fresh random serial.
    pub fn new(subject: SubjectName, kind: CertKind, now: i64, years: i64) -> Self {
        let not_before = now - DAY;
        Self {
            subject,
            kind,
            not_before,
            not_after: not_before + years * 365 * DAY,
            serial: random_serial(),
        }
    }

    fn params(&self) -> CertificateParams {
        let mut params = CertificateParams::default();
        params.distinguished_name = self.subject.dn();
        params.not_before = rcgen::date_time_ymd(1970, 1, 1)
            + std::time::Duration::from_secs(self.not_before.max(0).unsigned_abs());
        params.not_after = rcgen::date_time_ymd(1970, 1, 1)
            + std::time::Duration::from_secs(self.not_after.max(0).unsigned_abs());
        params.serial_number = Some(SerialNumber::from_slice(&self.serial));
        params.use_authority_key_identifier_extension = self.kind != CertKind::Root;
        match &self.kind {
            CertKind::Root | CertKind::Intermediate => {
                params.is_ca = IsCa::Ca(if self.kind == CertKind::Root {
                    BasicConstraints::Unconstrained
                } else {
                    BasicConstraints::Constrained(0)
                });
                params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            }
            CertKind::Signing => {
                params.key_usages = vec![
                    KeyUsagePurpose::DigitalSignature,
                    KeyUsagePurpose::ContentCommitment,
                ];
            }
            CertKind::Encryption => {
                params.key_usages = vec![
                    KeyUsagePurpose::KeyEncipherment,
                    KeyUsagePurpose::DataEncipherment,
                ];
            }
            CertKind::TlsServer(sans) => {
                params.key_usages = vec![
                    KeyUsagePurpose::DigitalSignature,
                    KeyUsagePurpose::KeyEncipherment,
                ];
                params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
                params.subject_alt_names = sans
                    .iter()
                    .filter_map(|s| match s.parse::<std::net::IpAddr>() {
                        Ok(ip) => Some(SanType::IpAddress(ip)),
                        Err(_) => s.clone().try_into().ok().map(SanType::DnsName),
                    })
                    .collect();
            }
        }
        params
    }
}

/// 16 random bytes, positive, no leading zero byte.
pub(crate) fn random_serial() -> Vec<u8> {
    let mut serial: [u8; 16] = rand::random();
    serial[0] = (serial[0] & 0x7f) | 0x01;
    serial.to_vec()
}

/// Issues the certificate described by `spec` for `subject_key`, signed by `issuer` (spec and
/// key of the issuing CA) or self-signed when `issuer` is `None`. Returns DER.
pub(crate) fn issue(
    spec: &CertSpec,
    subject_key: &RsaKey,
    issuer: Option<(&CertSpec, &RsaKey)>,
) -> Result<Vec<u8>, PkiError> {
    if spec.subject.common_name == PRODUCTION_CN {
        return Err(PkiError::ProductionCn);
    }
    let cn = spec.subject.common_name.as_str();
    let rcgen_err = |source| PkiError::Rcgen {
        subject: cn.to_owned(),
        source,
    };
    let params = spec.params();
    let key = subject_key.rcgen(cn)?;
    let cert = match issuer {
        None => params.self_signed(&key).map_err(rcgen_err)?,
        Some((issuer_spec, issuer_key)) => {
            let issuer = Issuer::new(
                issuer_spec.params(),
                issuer_key.rcgen(&issuer_spec.subject.common_name)?,
            );
            params.signed_by(&key, &issuer).map_err(rcgen_err)?
        }
    };
    Ok(cert.der().to_vec())
}

/// The parts of a certificate the trust code reads back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CertFacts {
    /// Serial number in decimal (the `kid` convention of the police JWKS, digest 5.2).
    pub serial_decimal: String,
    /// Not before (seconds since the epoch).
    pub not_before: i64,
    /// Not after (seconds since the epoch).
    pub not_after: i64,
    /// Subject OU values.
    pub subject_ou: Vec<String>,
    /// Subject CN values.
    pub subject_cn: Vec<String>,
    /// DER SubjectPublicKeyInfo.
    pub spki_der: Vec<u8>,
}

/// Reads serial, validity, subject OU/CN and public key from a DER certificate (x509-parser).
pub(crate) fn cert_facts(der: &[u8]) -> Result<CertFacts, PkiError> {
    let (_, cert) =
        x509_parser::parse_x509_certificate(der).map_err(|e| PkiError::BadCertificate {
            reason: e.to_string(),
        })?;
    let attrs = |oid: &x509_parser::der_parser::Oid<'_>| -> Vec<String> {
        cert.subject()
            .iter_attributes()
            .filter(|a| a.attr_type() == oid)
            .map(|a| a.as_str().map(str::to_owned).unwrap_or_default())
            .collect()
    };
    let serial = BigNum::from_slice(cert.raw_serial())
        .and_then(|bn| bn.to_dec_str().map(|s| s.to_string()))
        .map_err(ossl("formatting a serial number"))?;
    Ok(CertFacts {
        serial_decimal: serial,
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
        subject_ou: attrs(&x509_parser::oid_registry::OID_X509_ORGANIZATIONAL_UNIT),
        subject_cn: attrs(&x509_parser::oid_registry::OID_X509_COMMON_NAME),
        spki_der: cert.public_key().raw.to_vec(),
    })
}

/// base64url(SHA-256(DER)), the `x5t#S256` thumbprint.
pub(crate) fn x5t_s256(der: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(der))
}

/// Builds the JWK of a certificate chain (leaf first): `kty`, `n`, `e`, `kid` (= the leaf's
/// serial in decimal, as in the police JWKS example), `use`, `x5c`, `x5t#S256`, and `nbf`/`exp`
/// taken from the leaf's validity (digest 5.5).
pub(crate) fn jwk_for_chain(chain: &[Vec<u8>], key_use: &str) -> Result<Jwk, PkiError> {
    let leaf = chain.first().ok_or(PkiError::BadCertificate {
        reason: "empty certificate chain".to_owned(),
    })?;
    let facts = cert_facts(leaf)?;
    let pkey = PKey::public_key_from_der(&facts.spki_der).map_err(ossl("reading a public key"))?;
    let rsa = pkey.rsa().map_err(ossl("reading an RSA public key"))?;
    Ok(Jwk {
        kty: "RSA".to_owned(),
        n: URL_SAFE_NO_PAD.encode(rsa.n().to_vec()),
        e: URL_SAFE_NO_PAD.encode(rsa.e().to_vec()),
        kid: facts.serial_decimal,
        key_use: Some(key_use.to_owned()),
        alg: None,
        x5c: Some(chain.iter().map(|c| STANDARD.encode(c)).collect()),
        x5t_s256: Some(x5t_s256(leaf)),
        nbf: Some(facts.not_before),
        exp: Some(facts.not_after),
    })
}

/// A signing key with its certificate chain (leaf first, as published in `x5c`).
#[derive(Debug, Clone)]
pub struct SignerMaterial {
    /// The private key.
    pub key: RsaKey,
    /// DER certificates, leaf first; what the JWK's `x5c` will carry.
    pub chain: Vec<Vec<u8>>,
}

impl SignerMaterial {
    /// The JWK a JWKS would publish for this material (`use` = `sig`).
    pub fn jwk(&self) -> Result<Jwk, PkiError> {
        jwk_for_chain(&self.chain, "sig")
    }

    /// The `kid` (leaf serial in decimal).
    pub fn kid(&self) -> Result<String, PkiError> {
        let leaf = self.chain.first().ok_or(PkiError::BadCertificate {
            reason: "empty certificate chain".to_owned(),
        })?;
        Ok(cert_facts(leaf)?.serial_decimal)
    }
}

/// Names and specs of the standard hierarchy. Subject names are constants so that an issuer
/// can be rebuilt from its key alone (rcgen needs the issuer's name, not its certificate).
pub(crate) mod names {
    use super::{SubjectName, POLICE_ORG, PROSECUTION_OU, TEST_CN};

    /// The test root standing in for the Buypass test root (digest 5.5 step 4).
    pub(crate) fn root() -> SubjectName {
        SubjectName::new(
            "DSOP Harness TEST",
            None,
            "DSOP Harness Test Root CA (Buypass test root stand-in)",
        )
    }
    /// The intermediate issuing every enterprise certificate.
    pub(crate) fn intermediate() -> SubjectName {
        SubjectName::new("DSOP Harness TEST", None, "DSOP Harness Test Class 3 CA")
    }
    /// The prosecution authority's EO-signing certificate (digest 5.5 step 5).
    pub(crate) fn prosecution() -> SubjectName {
        SubjectName::new(POLICE_ORG, Some(PROSECUTION_OU), TEST_CN)
    }
    /// The mock Maskinporten's token-signing certificate.
    pub(crate) fn maskinporten() -> SubjectName {
        SubjectName::new(
            "DIGITALISERINGSDIREKTORATET TEST",
            None,
            "DSOP Harness Maskinporten TEST signing",
        )
    }
    /// The police encryption certificate CertPub publishes for `0192:915429785`.
    pub(crate) fn consumer_encryption() -> SubjectName {
        SubjectName::new(POLICE_ORG, None, "Politiet DSOP kryptering TEST")
    }
    /// The police Maskinporten client certificate (signs JWT grants).
    pub(crate) fn police_client() -> SubjectName {
        SubjectName::new(POLICE_ORG, None, "Politiet Maskinporten-klient TEST")
    }
    /// The TLS CA of the mock servers.
    pub(crate) fn tls_ca() -> SubjectName {
        SubjectName::new("DSOP Harness TEST", None, "DSOP Harness TLS CA")
    }
    /// The mock servers' TLS certificate.
    pub(crate) fn tls_server() -> SubjectName {
        SubjectName::new("DSOP Harness TEST", None, "localhost")
    }
    /// The harness's report-attestation key.
    pub(crate) fn harness() -> SubjectName {
        SubjectName::new("DSOP Harness TEST", None, "DSOP Harness attestation")
    }
}

/// A deliberate flaw in the signing material of an extradition order (digest 5.5 steps 3–5,
/// 5.7 "validity of the EO itself").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignerFlaw {
    /// Leaf OU is not `Påtalemyndigheten`.
    WrongOu,
    /// Leaf CN is neither the test nor the production CN.
    WrongCn,
    /// Leaf certificate expired yesterday.
    ExpiredCert,
    /// Leaf certificate becomes valid in 30 days.
    NotYetValidCert,
    /// Leaf and intermediate come from an unrelated root whose subject names are identical to
    /// the real ones: only a verifier that really checks signatures up to the configured root
    /// rejects it.
    UnrelatedRoot,
    /// Correct leaf, but `x5c` carries the leaf only.
    MissingIntermediate,
}

/// The standard issuing CA: spec and key of the intermediate, and its DER certificate.
#[derive(Debug, Clone)]
pub struct CaMaterial {
    /// Spec (subject name) of the CA.
    pub spec: CertSpec,
    /// The CA key.
    pub key: RsaKey,
    /// DER certificate of the CA.
    pub cert: Vec<u8>,
}

/// Produces flawed signing material for `flaw`, issued by `ca` (the trust directory's
/// intermediate) unless the flaw calls for an unrelated hierarchy. `leaf_key` is reused so
/// that only the certificate differs. `now` is seconds since the epoch.
pub(crate) fn flawed_signer(
    flaw: SignerFlaw,
    ca: &CaMaterial,
    leaf_key: &RsaKey,
    now: i64,
) -> Result<SignerMaterial, PkiError> {
    let mut spec = CertSpec::new(names::prosecution(), CertKind::Signing, now, 2);
    match flaw {
        SignerFlaw::WrongOu => spec.subject.organizational_unit = Some("Politiet".to_owned()),
        SignerFlaw::WrongCn => spec.subject.common_name = "Politiet signering TEST".to_owned(),
        SignerFlaw::ExpiredCert => {
            spec.not_before = now - 400 * DAY;
            spec.not_after = now - DAY;
        }
        SignerFlaw::NotYetValidCert => {
            spec.not_before = now + 30 * DAY;
            spec.not_after = now + 400 * DAY;
        }
        SignerFlaw::UnrelatedRoot => {
            let root_key = RsaKey::generate()?;
            let root_spec = CertSpec::new(names::root(), CertKind::Root, now, 20);
            let inter_key = RsaKey::generate()?;
            let inter_spec = CertSpec::new(names::intermediate(), CertKind::Intermediate, now, 20);
            let inter = issue(&inter_spec, &inter_key, Some((&root_spec, &root_key)))?;
            let leaf = issue(&spec, leaf_key, Some((&inter_spec, &inter_key)))?;
            return Ok(SignerMaterial {
                key: leaf_key.clone(),
                chain: vec![leaf, inter],
            });
        }
        SignerFlaw::MissingIntermediate => {
            let leaf = issue(&spec, leaf_key, Some((&ca.spec, &ca.key)))?;
            return Ok(SignerMaterial {
                key: leaf_key.clone(),
                chain: vec![leaf],
            });
        }
    }
    let leaf = issue(&spec, leaf_key, Some((&ca.spec, &ca.key)))?;
    Ok(SignerMaterial {
        key: leaf_key.clone(),
        chain: vec![leaf, ca.cert.clone()],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_production_cn_is_never_issued() {
        let key = RsaKey::generate().expect("key");
        let mut subject = names::prosecution();
        subject.common_name = PRODUCTION_CN.to_owned();
        let spec = CertSpec::new(subject, CertKind::Signing, 1_700_000_000, 1);
        assert!(matches!(
            issue(&spec, &key, None),
            Err(PkiError::ProductionCn)
        ));
    }

    #[test]
    fn jwk_kid_is_the_decimal_serial_and_validity_comes_from_the_cert() {
        let key = RsaKey::generate().expect("key");
        let mut spec = CertSpec::new(names::root(), CertKind::Root, 1_700_000_000, 3);
        spec.serial = vec![0x01, 0x00];
        let der = issue(&spec, &key, None).expect("cert");
        let jwk = jwk_for_chain(&[der], "sig").expect("jwk");
        assert_eq!(jwk.kid, "256");
        assert_eq!(jwk.nbf, Some(spec.not_before));
        assert_eq!(jwk.exp, Some(spec.not_after));
        assert_eq!(jwk.e, "AQAB");
    }

    #[test]
    fn pem_round_trips() {
        let key = RsaKey::generate().expect("key");
        let pem = key.to_pem();
        assert_eq!(RsaKey::from_pem(pem.as_bytes()).expect("parse"), key);
        assert_eq!(
            pem_decode(pem.as_bytes(), "PRIVATE KEY").expect("decode"),
            key.pkcs8_der()
        );
    }
}

//! The trust directory: every key, certificate and JWKS the harness, the bank under test and
//! the police client under test need, created once and reused (see `docs/trust-directory.md`).
//!
//! [`TrustDir::init`] is idempotent and incremental. Files form an explicit dependency graph
//! ([`Artifact::deps`]): a file is regenerated only when it is missing or when one of its
//! inputs was (re)generated in the same run; everything else is reused byte for byte. Keys
//! have no inputs, so they are generated once and never replaced unless deleted.

use crate::domain::token::Jwks;
use crate::trust::pki::{
    self, issue, jwk_for_chain, names, pem_block, pem_decode, CaMaterial, CertKind, CertSpec,
    PkiError, RsaKey, SignerMaterial,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Police organisation number (digest 1.1).
pub(crate) const POLICE_ORG_NUMBER: &str = "915429785";
/// Police ISO 6523 participant ID, used as Maskinporten `consumer.ID` and in CertPub.
pub(crate) const POLICE_CONSUMER_ID: &str = "0192:915429785";
/// Maskinporten test issuer (digest 6.2); the mock Maskinporten signs tokens with this `iss`.
pub(crate) const MASKINPORTEN_TEST_ISSUER: &str = "https://test.maskinporten.no/";
/// Client ID the mock Maskinporten registers for the police client.
pub(crate) const POLICE_CLIENT_ID: &str = "dsop-harness-police-client";

/// Why the trust directory could not be created or read.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// File-system failure.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is missing from a directory opened with [`TrustDir::open`].
    #[error("trust directory file {path} is missing; run `dsop-harness trust init --dir {dir}`")]
    Missing {
        /// The missing file.
        path: PathBuf,
        /// The trust directory.
        dir: PathBuf,
    },
    /// Key or certificate material could not be produced or parsed.
    #[error("{file}: {source}")]
    Pki {
        /// The file concerned.
        file: &'static str,
        /// The cause.
        source: PkiError,
    },
    /// A JSON file (manifest or JWKS) could not be parsed or written.
    #[error("{file}: invalid JSON: {source}")]
    Json {
        /// The file concerned.
        file: &'static str,
        /// The cause.
        source: serde_json::Error,
    },
}

/// Who reads a file of the trust directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reader {
    /// The bank (provider) under test configures it.
    Bank,
    /// The police client (consumer) under test configures it.
    Police,
    /// Both implementations under test.
    Both,
    /// The harness itself only (private material of the mocks).
    Harness,
}

macro_rules! artifacts {
    ($( $variant:ident => $file:literal, $reader:ident, $private:literal, [$($dep:ident),*], $doc:literal; )*) => {
        /// One file of the trust directory. Variants are listed in dependency order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Artifact { $( #[doc = $doc] $variant, )* }

        impl Artifact {
            /// Every artifact, inputs before the files made from them.
            pub const ALL: &'static [Artifact] = &[$(Artifact::$variant,)*];

            /// Path relative to the trust directory.
            pub const fn file(self) -> &'static str {
                match self { $(Artifact::$variant => $file,)* }
            }

            /// Who reads it.
            pub const fn reader(self) -> Reader {
                match self { $(Artifact::$variant => Reader::$reader,)* }
            }

            /// Whether it is private key material (written with mode 0600).
            pub const fn is_private(self) -> bool {
                match self { $(Artifact::$variant => $private,)* }
            }

            /// Direct inputs: when one of them is (re)generated, this file is regenerated too.
            pub const fn deps(self) -> &'static [Artifact] {
                match self { $(Artifact::$variant => &[$(Artifact::$dep),*],)* }
            }

            /// What the file is.
            pub const fn description(self) -> &'static str {
                match self { $(Artifact::$variant => $doc,)* }
            }
        }
    };
}

artifacts! {
    Manifest => "trust.json", Both, false, [],
        "Manifest: issuer, audience rule, police identifiers, JWE defaults, every file name.";
    RootKey => "private/prosecution-root-key.pem", Harness, true, [],
        "Private key of the test root CA (Buypass test root stand-in).";
    RootCert => "prosecution-root.pem", Bank, false, [RootKey],
        "Test root CA certificate: the trust anchor for extradition-order chains (digest 5.5 step 4).";
    IntermediateKey => "private/prosecution-intermediate-key.pem", Harness, true, [],
        "Private key of the intermediate CA issuing every enterprise certificate.";
    IntermediateCert => "prosecution-intermediate.pem", Both, false, [IntermediateKey, RootKey, RootCert],
        "Intermediate CA certificate (also inside every x5c).";
    ProsecutionKey => "private/prosecution-signing-key.pem", Harness, true, [],
        "Prosecution authority's EO signing key.";
    ProsecutionCert => "prosecution-signing-cert.pem", Harness, false, [ProsecutionKey, IntermediateKey, IntermediateCert],
        "Prosecution signing certificate (OU Påtalemyndigheten, CN Godkjenning av utleveringspålegg TEST).";
    ProsecutionJwks => "prosecution-jwks.json", Bank, false, [ProsecutionCert, IntermediateCert],
        "The finans-jwks.json equivalent: JWK with kid, x5c [leaf, intermediate], nbf, exp, x5t#S256.";
    MaskinportenKey => "private/maskinporten-key.pem", Harness, true, [],
        "Mock Maskinporten token-signing key.";
    MaskinportenCert => "maskinporten-cert.pem", Both, false, [MaskinportenKey, IntermediateKey, IntermediateCert],
        "Mock Maskinporten signing certificate.";
    MaskinportenJwks => "maskinporten-jwks.json", Bank, false, [MaskinportenCert, IntermediateCert],
        "Mock Maskinporten JWKS (token signature keys, digest 6.2).";
    ConsumerEncryptionKey => "consumer-encryption-key.pem", Police, true, [],
        "Police decryption key for JWE responses (digest 7.2).";
    ConsumerEncryptionCert => "consumer-encryption-cert.pem", Bank, false, [ConsumerEncryptionKey, IntermediateKey, IntermediateCert],
        "Police encryption certificate, what CertPub publishes for 0192:915429785.";
    PoliceClientKey => "police-client-key.pem", Police, true, [],
        "Police Maskinporten client key (signs JWT grants).";
    PoliceClientCert => "police-client-cert.pem", Police, false, [PoliceClientKey, IntermediateKey, IntermediateCert],
        "Police Maskinporten client certificate (x5c of JWT grants).";
    TlsCaKey => "private/tls-ca-key.pem", Harness, true, [],
        "Private key of the mock servers' TLS CA.";
    TlsCa => "tls-ca.pem", Both, false, [TlsCaKey],
        "TLS CA certificate: trust it to call the harness's HTTPS mocks.";
    TlsServerKey => "private/tls-server-key.pem", Harness, true, [],
        "TLS key of the mock servers.";
    TlsServerCert => "tls-server-cert.pem", Harness, false, [TlsServerKey, TlsCaKey, TlsCa],
        "TLS certificate of the mock servers (SAN localhost, 127.0.0.1).";
    HarnessKey => "private/harness-attestation-key.pem", Harness, true, [],
        "Harness attestation key (signs reports).";
    HarnessCert => "harness-attestation-cert.pem", Both, false, [HarnessKey],
        "Self-signed harness attestation certificate (verifies report signatures).";
}

impl Artifact {
    /// Every artifact that transitively depends on this one (not including itself).
    pub fn dependents(self) -> BTreeSet<Artifact> {
        let mut out = BTreeSet::new();
        for &a in Artifact::ALL {
            if a.deps().iter().any(|d| *d == self || out.contains(d)) {
                out.insert(a);
            }
        }
        out
    }
}

/// What [`TrustDir::init`] did with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileOutcome {
    /// Did not exist; created.
    Created,
    /// Existed, but an input changed in this run; rewritten.
    Regenerated,
    /// Existed and all inputs unchanged; left as it was.
    Reused,
}

/// `trust.json`: what both implementations under test need to know besides the files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustManifest {
    /// Format tag, `dsop-harness-trust/1`.
    pub format: String,
    /// Environment of the material: always `test`.
    pub environment: String,
    /// Maskinporten issuer (`iss` of access tokens; `aud` of JWT grants).
    pub maskinporten_issuer: String,
    /// How a bank must check `aud` (digest 6.2).
    pub audience_rule: String,
    /// Access-token lifetime in seconds (digest 6.2).
    pub token_lifetime_seconds: i64,
    /// Police organisation number.
    pub police_org_number: String,
    /// `consumer.ID` of police access tokens.
    pub consumer_id: String,
    /// Client ID registered for the police client (`iss` of its JWT grants).
    pub police_client_id: String,
    /// Default JWE key-management algorithm.
    pub jwe_alg: String,
    /// Default JWE content encryption.
    pub jwe_enc: String,
    /// Every file: artifact name → relative path.
    pub files: BTreeMap<String, String>,
}

impl TrustManifest {
    fn standard() -> Self {
        Self {
            format: "dsop-harness-trust/1".to_owned(),
            environment: "test".to_owned(),
            maskinporten_issuer: MASKINPORTEN_TEST_ISSUER.to_owned(),
            audience_rule: "aud must equal the bank's base URL as registered in the API \
                            catalogue, i.e. the URL the harness (or police) calls (digest 6.2)"
                .to_owned(),
            token_lifetime_seconds: 120,
            police_org_number: POLICE_ORG_NUMBER.to_owned(),
            consumer_id: POLICE_CONSUMER_ID.to_owned(),
            police_client_id: POLICE_CLIENT_ID.to_owned(),
            jwe_alg: crate::trust::jwe::DEFAULT_ALG.to_owned(),
            jwe_enc: crate::trust::jwe::DEFAULT_ENC.to_owned(),
            files: Artifact::ALL
                .iter()
                .map(|a| (format!("{a:?}"), a.file().to_owned()))
                .collect(),
        }
    }
}

/// A loaded trust directory.
#[derive(Debug, Clone)]
pub struct TrustDir {
    root: PathBuf,
    manifest: TrustManifest,
    files: BTreeMap<Artifact, Vec<u8>>,
    report: Vec<(Artifact, FileOutcome)>,
}

const CA_YEARS: i64 = 20;
const LEAF_YEARS: i64 = 10;

impl TrustDir {
    /// Creates the trust directory at `path`, or completes it: existing files are reused,
    /// missing files and everything depending on them are (re)generated. A second call on a
    /// complete directory changes nothing. See [`TrustDir::init_report`] for what happened.
    pub fn init(path: impl AsRef<Path>) -> Result<TrustDir, TrustError> {
        let root = path.as_ref().to_path_buf();
        mkdir(&root.join("private"))?;
        let now = chrono::Utc::now().timestamp();
        let mut files = BTreeMap::new();
        let mut changed = BTreeSet::new();
        let mut report = Vec::new();
        for &artifact in Artifact::ALL {
            let file = root.join(artifact.file());
            let exists = file.exists();
            let stale = artifact.deps().iter().any(|d| changed.contains(d));
            if exists && !stale {
                files.insert(artifact, read(&file)?);
                report.push((artifact, FileOutcome::Reused));
                continue;
            }
            let bytes = generate(artifact, &files, now)?;
            write(&file, &bytes, artifact.is_private())?;
            files.insert(artifact, bytes);
            changed.insert(artifact);
            report.push((
                artifact,
                if exists {
                    FileOutcome::Regenerated
                } else {
                    FileOutcome::Created
                },
            ));
        }
        let mut dir = Self::from_files(root, files)?;
        dir.report = report;
        Ok(dir)
    }

    /// Loads a complete trust directory; a missing file is an error naming the fix.
    pub fn open(path: impl AsRef<Path>) -> Result<TrustDir, TrustError> {
        let root = path.as_ref().to_path_buf();
        let mut files = BTreeMap::new();
        for &artifact in Artifact::ALL {
            let file = root.join(artifact.file());
            if !file.exists() {
                return Err(TrustError::Missing {
                    path: file,
                    dir: root,
                });
            }
            files.insert(artifact, read(&file)?);
        }
        Self::from_files(root, files)
    }

    fn from_files(
        root: PathBuf,
        files: BTreeMap<Artifact, Vec<u8>>,
    ) -> Result<TrustDir, TrustError> {
        let manifest =
            serde_json::from_slice(bytes(&files, Artifact::Manifest)?).map_err(|source| {
                TrustError::Json {
                    file: Artifact::Manifest.file(),
                    source,
                }
            })?;
        Ok(TrustDir {
            root,
            manifest,
            files,
            report: Vec::new(),
        })
    }

    /// What the last [`TrustDir::init`] did with each file (empty after [`TrustDir::open`]).
    pub fn init_report(&self) -> &[(Artifact, FileOutcome)] {
        &self.report
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The parsed `trust.json`.
    pub fn manifest(&self) -> &TrustManifest {
        &self.manifest
    }

    /// Raw bytes of a file as loaded.
    pub fn bytes(&self, artifact: Artifact) -> Result<&[u8], TrustError> {
        bytes(&self.files, artifact).map(Vec::as_slice)
    }

    /// A private key file.
    pub fn key(&self, artifact: Artifact) -> Result<RsaKey, TrustError> {
        key(&self.files, artifact)
    }

    /// A certificate file as DER.
    pub fn cert_der(&self, artifact: Artifact) -> Result<Vec<u8>, TrustError> {
        cert(&self.files, artifact)
    }

    /// A JWKS file.
    pub fn jwks(&self, artifact: Artifact) -> Result<Jwks, TrustError> {
        serde_json::from_slice(self.bytes(artifact)?).map_err(|source| TrustError::Json {
            file: artifact.file(),
            source,
        })
    }

    /// The published prosecution JWKS (`prosecution-jwks.json`).
    pub fn prosecution_jwks(&self) -> Result<Jwks, TrustError> {
        self.jwks(Artifact::ProsecutionJwks)
    }

    /// The extradition-order trust anchor (DER of `prosecution-root.pem`).
    pub fn prosecution_root_der(&self) -> Result<Vec<u8>, TrustError> {
        self.cert_der(Artifact::RootCert)
    }

    /// The valid prosecution signing material: key and chain [leaf, intermediate].
    pub fn prosecution_signer(&self) -> Result<SignerMaterial, TrustError> {
        Ok(SignerMaterial {
            key: self.key(Artifact::ProsecutionKey)?,
            chain: vec![
                self.cert_der(Artifact::ProsecutionCert)?,
                self.cert_der(Artifact::IntermediateCert)?,
            ],
        })
    }

    /// The intermediate CA (to issue deliberately flawed leaves, see `pki::flawed_signer`).
    pub fn intermediate_ca(&self) -> Result<CaMaterial, TrustError> {
        Ok(CaMaterial {
            spec: ca_spec(names::intermediate(), CertKind::Intermediate),
            key: self.key(Artifact::IntermediateKey)?,
            cert: self.cert_der(Artifact::IntermediateCert)?,
        })
    }

    /// Flawed prosecution signing material for negative tests (not written to the directory).
    pub fn flawed_prosecution_signer(
        &self,
        flaw: pki::SignerFlaw,
        now: i64,
    ) -> Result<SignerMaterial, TrustError> {
        pki::flawed_signer(
            flaw,
            &self.intermediate_ca()?,
            &self.key(Artifact::ProsecutionKey)?,
            now,
        )
        .map_err(|source| TrustError::Pki {
            file: Artifact::ProsecutionCert.file(),
            source,
        })
    }
}

/// Spec used to rebuild an issuer: only the subject name matters to rcgen for signing.
fn ca_spec(subject: pki::SubjectName, kind: CertKind) -> CertSpec {
    CertSpec::new(subject, kind, 0, 1)
}

fn bytes(files: &BTreeMap<Artifact, Vec<u8>>, a: Artifact) -> Result<&Vec<u8>, TrustError> {
    files.get(&a).ok_or(TrustError::Missing {
        path: PathBuf::from(a.file()),
        dir: PathBuf::from("."),
    })
}

fn key(files: &BTreeMap<Artifact, Vec<u8>>, a: Artifact) -> Result<RsaKey, TrustError> {
    RsaKey::from_pem(bytes(files, a)?).map_err(|source| TrustError::Pki {
        file: a.file(),
        source,
    })
}

fn cert(files: &BTreeMap<Artifact, Vec<u8>>, a: Artifact) -> Result<Vec<u8>, TrustError> {
    pem_decode(bytes(files, a)?, "CERTIFICATE").map_err(|source| TrustError::Pki {
        file: a.file(),
        source,
    })
}

/// Produces the bytes of `artifact` from the already loaded/generated inputs.
fn generate(
    artifact: Artifact,
    files: &BTreeMap<Artifact, Vec<u8>>,
    now: i64,
) -> Result<Vec<u8>, TrustError> {
    use Artifact as A;
    let pki_err = |source| TrustError::Pki {
        file: artifact.file(),
        source,
    };
    let leaf = |subject, kind, key_of: A, ca_subject, ca_kind, ca_key: A| {
        let spec = CertSpec::new(subject, kind, now, LEAF_YEARS);
        let der = issue(
            &spec,
            &key(files, key_of)?,
            Some((&ca_spec(ca_subject, ca_kind), &key(files, ca_key)?)),
        )
        .map_err(pki_err)?;
        Ok::<_, TrustError>(pem_block("CERTIFICATE", &der).into_bytes())
    };
    let intermediate_leaf = |subject, kind, key_of| {
        leaf(
            subject,
            kind,
            key_of,
            names::intermediate(),
            CertKind::Intermediate,
            A::IntermediateKey,
        )
    };
    let jwks = |leaf_cert: A| {
        let chain = vec![cert(files, leaf_cert)?, cert(files, A::IntermediateCert)?];
        let jwk = jwk_for_chain(&chain, "sig").map_err(pki_err)?;
        let mut text = serde_json::to_vec_pretty(&Jwks { keys: vec![jwk] }).map_err(|source| {
            TrustError::Json {
                file: artifact.file(),
                source,
            }
        })?;
        text.push(b'\n');
        Ok::<_, TrustError>(text)
    };
    let self_signed = |subject, kind, key_of: A, years| {
        let spec = CertSpec::new(subject, kind, now, years);
        let der = issue(&spec, &key(files, key_of)?, None).map_err(pki_err)?;
        Ok::<_, TrustError>(pem_block("CERTIFICATE", &der).into_bytes())
    };
    match artifact {
        A::Manifest => {
            let mut text =
                serde_json::to_vec_pretty(&TrustManifest::standard()).map_err(|source| {
                    TrustError::Json {
                        file: artifact.file(),
                        source,
                    }
                })?;
            text.push(b'\n');
            Ok(text)
        }
        A::RootKey
        | A::IntermediateKey
        | A::ProsecutionKey
        | A::MaskinportenKey
        | A::ConsumerEncryptionKey
        | A::PoliceClientKey
        | A::TlsCaKey
        | A::TlsServerKey
        | A::HarnessKey => Ok(RsaKey::generate().map_err(pki_err)?.to_pem().into_bytes()),
        A::RootCert => self_signed(names::root(), CertKind::Root, A::RootKey, CA_YEARS),
        A::IntermediateCert => {
            let spec = CertSpec::new(names::intermediate(), CertKind::Intermediate, now, CA_YEARS);
            let der = issue(
                &spec,
                &key(files, A::IntermediateKey)?,
                Some((
                    &ca_spec(names::root(), CertKind::Root),
                    &key(files, A::RootKey)?,
                )),
            )
            .map_err(pki_err)?;
            Ok(pem_block("CERTIFICATE", &der).into_bytes())
        }
        A::ProsecutionCert => {
            intermediate_leaf(names::prosecution(), CertKind::Signing, A::ProsecutionKey)
        }
        A::ProsecutionJwks => jwks(A::ProsecutionCert),
        A::MaskinportenCert => {
            intermediate_leaf(names::maskinporten(), CertKind::Signing, A::MaskinportenKey)
        }
        A::MaskinportenJwks => jwks(A::MaskinportenCert),
        A::ConsumerEncryptionCert => intermediate_leaf(
            names::consumer_encryption(),
            CertKind::Encryption,
            A::ConsumerEncryptionKey,
        ),
        A::PoliceClientCert => intermediate_leaf(
            names::police_client(),
            CertKind::Signing,
            A::PoliceClientKey,
        ),
        A::TlsCa => self_signed(names::tls_ca(), CertKind::Root, A::TlsCaKey, CA_YEARS),
        A::TlsServerCert => leaf(
            names::tls_server(),
            CertKind::TlsServer(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]),
            A::TlsServerKey,
            names::tls_ca(),
            CertKind::Root,
            A::TlsCaKey,
        ),
        A::HarnessCert => self_signed(
            names::harness(),
            CertKind::Signing,
            A::HarnessKey,
            LEAF_YEARS,
        ),
    }
}

fn mkdir(path: &Path) -> Result<(), TrustError> {
    fs::create_dir_all(path).map_err(|source| TrustError::Io {
        action: "creating directory",
        path: path.to_path_buf(),
        source,
    })
}

fn read(path: &Path) -> Result<Vec<u8>, TrustError> {
    fs::read(path).map_err(|source| TrustError::Io {
        action: "reading",
        path: path.to_path_buf(),
        source,
    })
}

fn write(path: &Path, bytes: &[u8], private: bool) -> Result<(), TrustError> {
    let io = |action| {
        move |source| TrustError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    };
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io("writing"))?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(io("setting permissions of"))?;
    }
    #[cfg(not(unix))]
    let _ = private;
    file.write_all(bytes).map_err(io("writing"))
}

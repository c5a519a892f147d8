//! The whole mock ecosystem on loopback (digest 1.1, 1.2): Maskinporten, the registry,
//! Felles datakatalog, CertPub, the prosecution JWKS and one server per bank, sharing one
//! [`Journal`].
//!
//! [`Ecosystem::start`] brings everything up in three steps: (1) the five counterparties
//! concurrently; (2) every bank concurrently — each first fetches the police encryption
//! certificate from the mock CertPub over HTTP, as real banks do (digest 1.2 steps 1.5.e–f),
//! then its handler is built by the configured [`BankFactory`] from a [`BankSlot`] and served;
//! (3) each bank's base URL is registered in the datakatalog and as a Maskinporten resource.
//! The result carries a [`Manifest`] (what `dsop-harness mocks serve` prints).
//!
//! Banks are any [`Handler`]: the factory decides (the mock bank of `mocks::bank`, a bank
//! under development, a test double). A bank's base URL is `<origin>/v2` on its own server.

use super::catalog::{Catalog, CatalogEntry, CatalogMock, CONTROL_API_VERSION, ENDPOINTS_PATH};
use super::certpub::{self, CertPubMock};
pub(crate) use super::clock::Clock;
use super::http::Handler;
use super::journal::Journal;
use super::jwks::{ProsecutionJwksMock, JWKS_PATH};
use super::maskinporten::{self, KnownResources, MaskinportenMock};
use super::registry::{self, RegistryMock};
use super::server::{
    serve, tls_server_config, FrontEnd, MockHandle, ServeOptions, ServerError,
    DEFAULT_REQUEST_BUDGET,
};
use crate::domain::request::POLICE_CONSUMER_ID;
use crate::population::model::{Bank, Population, Register};
use crate::trust::maskinporten::AccessTokenValidator;
use crate::trust::{Artifact, TrustDir, TrustError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

/// Base path of every bank's Control API on its server (digest 9 row 2: the URL contains `/v2`).
pub(crate) const BANK_BASE_PATH: &str = "/v2";
/// Format tag of the manifest.
pub(crate) const MANIFEST_FORMAT: &str = "dsop-harness/mocks@1";

/// Everything a bank handler is built from.
#[derive(Debug, Clone)]
pub struct BankSlot {
    /// The bank's population record.
    pub bank: Bank,
    /// Its base URL (catalogue `url`, token `aud`): `<origin>/v2`.
    pub base_url: String,
    /// The police encryption certificate (DER) as fetched from CertPub.
    pub encryption_cert_der: Vec<u8>,
    /// The trust material.
    pub trust: Arc<TrustDir>,
    /// The population it answers from.
    pub population: Arc<Population>,
    /// Fault profiles asked for this bank, as given (`NAME` or `NAME:N`); the factory parses.
    pub faults: Vec<String>,
    /// The ecosystem's clock.
    pub clock: Clock,
}

/// Builds a bank's handler from its slot.
pub type BankFactory = Arc<
    dyn Fn(&BankSlot) -> Result<Arc<dyn Handler>, Box<dyn std::error::Error + Send + Sync>>
        + Send
        + Sync,
>;

/// What to start.
#[derive(Clone)]
pub struct EcosystemConfig {
    /// The trust directory (keys, certificates, JWKS).
    pub trust: Arc<TrustDir>,
    /// The population every mock answers from.
    pub population: Arc<Population>,
    /// Builds each bank's handler.
    pub bank_factory: BankFactory,
    /// Serve every mock over HTTPS (hyper front end, certificate from the trust directory).
    pub tls: bool,
    /// Front end of banks not named in `bank_front_ends` (ignored with `tls`: hyper).
    pub default_front_end: FrontEnd,
    /// Per-bank front end, by organisation number.
    pub bank_front_ends: BTreeMap<String, FrontEnd>,
    /// Per-bank fault profiles, by organisation number (passed to the factory as given).
    pub faults: BTreeMap<String, Vec<String>>,
    /// Which banks to serve (organisation numbers); `None`: every bank of the population.
    pub banks: Option<Vec<String>>,
    /// The mocks' clock.
    pub clock: Clock,
    /// The journal to record into (a fresh one by default).
    pub journal: Journal,
    /// Requests each mock server answers per second before 429 `ACC-022` (flood protection,
    /// see `super::server`); `None`: unlimited.
    pub request_budget: Option<u32>,
}

impl fmt::Debug for EcosystemConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcosystemConfig")
            .field("trust", &self.trust.path())
            .field("banks", &self.banks)
            .field("tls", &self.tls)
            .field("default_front_end", &self.default_front_end)
            .field("bank_front_ends", &self.bank_front_ends)
            .field("faults", &self.faults)
            .field("request_budget", &self.request_budget)
            .finish()
    }
}

impl EcosystemConfig {
    /// Every bank of `population`, plain HTTP, hyper front ends (bounded bodies and timeouts:
    /// they face systems under test), system clock.
    pub fn new(
        trust: Arc<TrustDir>,
        population: Arc<Population>,
        bank_factory: BankFactory,
    ) -> Self {
        Self {
            trust,
            population,
            bank_factory,
            tls: false,
            default_front_end: FrontEnd::Hyper,
            bank_front_ends: BTreeMap::new(),
            faults: BTreeMap::new(),
            banks: None,
            clock: Clock::system(),
            journal: Journal::new(),
            request_budget: Some(DEFAULT_REQUEST_BUDGET),
        }
    }
}

/// Why the ecosystem could not start.
#[derive(Debug, thiserror::Error)]
pub enum EcosystemError {
    /// A server could not start.
    #[error("starting {mock}: {source}")]
    Server {
        /// Which mock.
        mock: String,
        /// The cause.
        source: ServerError,
    },
    /// The trust directory lacks something.
    #[error(transparent)]
    Trust(#[from] TrustError),
    /// A bank could not get the police certificate from CertPub.
    #[error("bank {bank}: fetching the police encryption certificate: {source}")]
    CertPub {
        /// The bank.
        bank: String,
        /// The cause.
        source: certpub::CertPubError,
    },
    /// The HTTP client for the CertPub lookups could not be built.
    #[error("building the HTTP client: {0}")]
    Client(reqwest::Error),
    /// A setting names a bank the population does not have.
    #[error("{setting} names bank {org_no:?}, which is not in the population (banks: {known})")]
    UnknownBank {
        /// Which setting.
        setting: &'static str,
        /// The unknown organisation number.
        org_no: String,
        /// The known ones.
        known: String,
    },
    /// A start-up task failed unexpectedly.
    #[error("start-up task failed: {0}")]
    Task(String),
}

/// The manifest: every URL of the running ecosystem (JSON, schema `manifest`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`].
    pub format: String,
    /// The trust directory.
    pub trust_dir: String,
    /// Whether the mocks speak HTTPS (trust `tlsCa` then).
    pub tls: bool,
    /// The CA certificate of the mocks' TLS certificates (PEM file), when `tls`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_ca: Option<String>,
    /// Maskinporten.
    pub maskinporten: MaskinportenUrls,
    /// The customer-relationship registry.
    pub registry: RegistryUrls,
    /// Felles datakatalog.
    pub datakatalog: CatalogUrls,
    /// CertPub.
    pub certpub: CertPubUrls,
    /// The prosecution JWKS URL (stand-in for `finans-jwks.json`).
    pub prosecution_jwks: String,
    /// Every bank.
    pub banks: Vec<ManifestBank>,
    /// What the population holds.
    pub population: PopulationSummary,
    /// Start-up time in milliseconds.
    pub startup_millis: u64,
}

/// Maskinporten URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MaskinportenUrls {
    /// Origin.
    pub url: String,
    /// Token issuer (`iss`; the grant's `aud`).
    pub issuer: String,
    /// Metadata document.
    pub metadata: String,
    /// Token endpoint.
    pub token_endpoint: String,
    /// JWKS.
    pub jwks_uri: String,
}

/// Registry URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryUrls {
    /// Base URL (also the `resource`/`aud` of registry tokens).
    pub url: String,
    /// `customerRelationships`.
    pub customer_relationships: String,
    /// `accountServicingProvider`.
    pub account_servicing_provider: String,
}

/// Datakatalog URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogUrls {
    /// Origin.
    pub url: String,
    /// The list of endpoints; one bank at `<endpoints>/<orgNo>`.
    pub endpoints: String,
}

/// CertPub URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertPubUrls {
    /// Locator origin.
    pub locator: String,
    /// Publisher base URL.
    pub publisher: String,
}

/// One bank of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestBank {
    /// Organisation number.
    pub org_no: String,
    /// Name.
    pub name: String,
    /// `kar` or `kfr`.
    pub register: Register,
    /// Base URL (catalogue `url`, token `aud`).
    pub url: String,
    /// Serving front end.
    pub front_end: FrontEnd,
    /// Fault profiles as given.
    pub faults: Vec<String>,
}

/// What the population holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PopulationSummary {
    /// Seed.
    pub seed: u64,
    /// The population's "today".
    pub reference_date: NaiveDate,
    /// Number of banks.
    pub banks: usize,
    /// Number of persons.
    pub persons: usize,
    /// Number of companies.
    pub companies: usize,
    /// Number of accounts.
    pub accounts: usize,
}

impl PopulationSummary {
    /// The summary of `population`.
    pub fn of(population: &Population) -> Self {
        Self {
            seed: population.seed,
            reference_date: population.reference_date,
            banks: population.banks.len(),
            persons: population.persons.len(),
            companies: population.companies.len(),
            accounts: population.accounts.len(),
        }
    }
}

/// A running ecosystem. Dropping it stops every server.
#[derive(Debug)]
pub struct Ecosystem {
    manifest: Manifest,
    journal: Journal,
    catalog: Catalog,
    servers: Vec<(String, MockHandle)>,
}

impl Ecosystem {
    /// Starts every mock (see the module doc).
    pub async fn start(config: EcosystemConfig) -> Result<Ecosystem, EcosystemError> {
        let started = Instant::now();
        let banks = select_banks(&config)?;
        let tls = if config.tls {
            Some(
                tls_server_config(&config.trust).map_err(|source| EcosystemError::Server {
                    mock: "tls".into(),
                    source,
                })?,
            )
        } else {
            None
        };
        let options = |front_end: FrontEnd, base_path: &str| {
            ServeOptions::new(front_end)
                .with_tls(tls.clone())
                .with_base_path(base_path)
                .with_request_budget(config.request_budget)
        };
        let journal = config.journal.clone();
        let trust = Arc::clone(&config.trust);
        let catalog = Catalog::new();
        let resources = KnownResources::new();
        let server_error = |mock: &str| {
            let mock = mock.to_owned();
            move |source| EcosystemError::Server { mock, source }
        };

        // (1) The counterparties, concurrently.
        let (maskinporten, registry, datakatalog, certpub, jwks) = tokio::join!(
            serve(options(FrontEnd::Hyper, ""), journal.clone(), |url| {
                MaskinportenMock::new(&trust, url, resources.clone(), config.clock.clone())
                    .map(|m| Arc::new(m) as Arc<dyn Handler>)
            }),
            serve(
                options(FrontEnd::Hyper, registry::REGISTRY_BASE_PATH),
                journal.clone(),
                |url| {
                    AccessTokenValidator::from_trust_dir(&trust, url).map(|tokens| {
                        Arc::new(RegistryMock::new(
                            Arc::clone(&config.population),
                            tokens,
                            config.clock.clone(),
                        )) as Arc<dyn Handler>
                    })
                }
            ),
            serve(options(FrontEnd::Hyper, ""), journal.clone(), |_| {
                Ok::<_, TrustError>(Arc::new(CatalogMock::new(catalog.clone())) as Arc<dyn Handler>)
            }),
            serve(options(FrontEnd::Hyper, ""), journal.clone(), |url| {
                let cert = trust.cert_der(Artifact::ConsumerEncryptionCert)?;
                let certificates = BTreeMap::from([(POLICE_CONSUMER_ID.to_owned(), cert)]);
                Ok::<_, TrustError>(
                    Arc::new(CertPubMock::new(url, certificates)) as Arc<dyn Handler>
                )
            }),
            serve(options(FrontEnd::Hyper, ""), journal.clone(), |_| {
                ProsecutionJwksMock::new(&trust).map(|m| Arc::new(m) as Arc<dyn Handler>)
            }),
        );
        let maskinporten = maskinporten.map_err(server_error("maskinporten"))?;
        let registry = registry.map_err(server_error("registry"))?;
        let datakatalog = datakatalog.map_err(server_error("datakatalog"))?;
        let certpub = certpub.map_err(server_error("certpub"))?;
        let jwks = jwks.map_err(server_error("prosecution-jwks"))?;
        resources.add(registry.url());

        // (2) The banks, concurrently; each looks up the police certificate in CertPub first.
        let client = http_client(&config.trust, config.tls)?;
        let mut tasks = tokio::task::JoinSet::new();
        for (index, bank) in banks.into_iter().enumerate() {
            let front_end = if config.tls {
                FrontEnd::Hyper
            } else {
                config
                    .bank_front_ends
                    .get(&bank.org_number)
                    .copied()
                    .unwrap_or(config.default_front_end)
            };
            let options = options(front_end, BANK_BASE_PATH);
            let faults = config
                .faults
                .get(&bank.org_number)
                .cloned()
                .unwrap_or_default();
            let client = client.clone();
            let locator = certpub.origin().to_owned();
            let journal = journal.clone();
            let config = config.clone();
            tasks.spawn(async move {
                let cert = certpub::fetch_encryption_cert(&client, &locator, POLICE_CONSUMER_ID)
                    .await
                    .map_err(|source| EcosystemError::CertPub {
                        bank: bank.org_number.clone(),
                        source,
                    })?;
                let mock = format!("bank:{}", bank.org_number);
                let handle = serve(options, journal, |url| {
                    (config.bank_factory)(&BankSlot {
                        bank: bank.clone(),
                        base_url: url.to_owned(),
                        encryption_cert_der: cert,
                        trust: Arc::clone(&config.trust),
                        population: Arc::clone(&config.population),
                        faults: faults.clone(),
                        clock: config.clock.clone(),
                    })
                })
                .await
                .map_err(|source| EcosystemError::Server { mock, source })?;
                Ok::<_, EcosystemError>((index, bank, faults, handle))
            });
        }
        let mut bank_servers = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            bank_servers.push(joined.map_err(|e| EcosystemError::Task(e.to_string()))??);
        }
        bank_servers.sort_by_key(|(index, ..)| *index);

        // (3) Register the banks.
        let mut manifest_banks = Vec::new();
        for (_, bank, faults, handle) in &bank_servers {
            catalog.register(CatalogEntry {
                org_no: bank.org_number.clone(),
                name: bank.name.clone(),
                url: handle.url().to_owned(),
                version: CONTROL_API_VERSION.to_owned(),
                env: "test".to_owned(),
            });
            resources.add(handle.url());
            manifest_banks.push(ManifestBank {
                org_no: bank.org_number.clone(),
                name: bank.name.clone(),
                register: bank.register,
                url: handle.url().to_owned(),
                front_end: handle.front_end(),
                faults: faults.clone(),
            });
        }
        let issuer = config.trust.manifest().maskinporten_issuer.clone();
        let manifest = Manifest {
            format: MANIFEST_FORMAT.to_owned(),
            trust_dir: config.trust.path().display().to_string(),
            tls: config.tls,
            tls_ca: config.tls.then(|| {
                config
                    .trust
                    .path()
                    .join(Artifact::TlsCa.file())
                    .display()
                    .to_string()
            }),
            maskinporten: MaskinportenUrls {
                url: maskinporten.url().to_owned(),
                issuer,
                metadata: format!("{}{}", maskinporten.url(), maskinporten::METADATA_PATH),
                token_endpoint: format!("{}{}", maskinporten.url(), maskinporten::TOKEN_PATH),
                jwks_uri: format!("{}{}", maskinporten.url(), maskinporten::JWKS_PATH),
            },
            registry: RegistryUrls {
                url: registry.url().to_owned(),
                customer_relationships: format!(
                    "{}{}",
                    registry.url(),
                    registry::CUSTOMER_RELATIONSHIPS_PATH
                ),
                account_servicing_provider: format!(
                    "{}{}",
                    registry.url(),
                    registry::ACCOUNT_SERVICING_PROVIDER_PATH
                ),
            },
            datakatalog: CatalogUrls {
                url: datakatalog.url().to_owned(),
                endpoints: format!("{}{ENDPOINTS_PATH}", datakatalog.url()),
            },
            certpub: CertPubUrls {
                locator: certpub.origin().to_owned(),
                publisher: format!("{}{}", certpub.origin(), certpub::PUBLISHER_PATH),
            },
            prosecution_jwks: format!("{}{JWKS_PATH}", jwks.url()),
            banks: manifest_banks,
            population: PopulationSummary::of(&config.population),
            startup_millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        let mut servers = vec![
            ("maskinporten".to_owned(), maskinporten),
            ("registry".to_owned(), registry),
            ("datakatalog".to_owned(), datakatalog),
            ("certpub".to_owned(), certpub),
            ("prosecution-jwks".to_owned(), jwks),
        ];
        servers.extend(
            bank_servers
                .into_iter()
                .map(|(_, bank, _, handle)| (format!("bank:{}", bank.org_number), handle)),
        );
        Ok(Ecosystem {
            manifest,
            journal,
            catalog,
            servers,
        })
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The shared journal.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The datakatalog's contents.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The base URL of the bank `org_no`.
    pub fn bank_url(&self, org_no: &str) -> Option<&str> {
        self.manifest
            .banks
            .iter()
            .find(|b| b.org_no == org_no)
            .map(|b| b.url.as_str())
    }

    /// The server of `mock` (`maskinporten`, `registry`, `datakatalog`, `certpub`,
    /// `prosecution-jwks`, `bank:<orgno>`).
    pub fn server(&self, mock: &str) -> Option<&MockHandle> {
        self.servers.iter().find(|(m, _)| m == mock).map(|(_, h)| h)
    }

    /// Stops every server.
    pub fn shutdown(self) {
        drop(self);
    }
}

fn select_banks(config: &EcosystemConfig) -> Result<Vec<Bank>, EcosystemError> {
    let known: BTreeSet<&str> = config
        .population
        .banks
        .iter()
        .map(|b| b.org_number.as_str())
        .collect();
    let unknown = |setting: &'static str, org_no: &str| EcosystemError::UnknownBank {
        setting,
        org_no: org_no.to_owned(),
        known: known.iter().copied().collect::<Vec<_>>().join(", "),
    };
    for org in config.faults.keys() {
        if !known.contains(org.as_str()) {
            return Err(unknown("a fault", org));
        }
    }
    for org in config.bank_front_ends.keys() {
        if !known.contains(org.as_str()) {
            return Err(unknown("a front-end choice", org));
        }
    }
    match &config.banks {
        None => Ok(config.population.banks.clone()),
        Some(wanted) => wanted
            .iter()
            .map(|org| {
                config
                    .population
                    .banks
                    .iter()
                    .find(|b| &b.org_number == org)
                    .cloned()
                    .ok_or_else(|| unknown("the bank list", org))
            })
            .collect(),
    }
}

/// The client the banks use to reach CertPub: with TLS, the trust directory's TLS CA is its
/// only root.
fn http_client(trust: &TrustDir, tls: bool) -> Result<reqwest::Client, EcosystemError> {
    let mut builder = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10));
    if tls {
        let ca = reqwest::Certificate::from_der(&trust.cert_der(Artifact::TlsCa)?)
            .map_err(EcosystemError::Client)?;
        builder = builder.tls_certs_only([ca]);
    }
    builder.build().map_err(EcosystemError::Client)
}

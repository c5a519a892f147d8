//! The mock bank: a full DSOP Control API provider for Politi-Utlevering (digest 3, 4, 5, 7, 8)
//! as a pure [`Handler`], answering from the synthetic population and judging every request.
//!
//! Order of work for one request (`docs/mock-bank.md` has the table with every status/code):
//! transport faults → route → method (405 ACC-012) → `Accept` (406 ACC-013) → access token
//! (401 ACC-010 / 403 ACC-011) → headers and parameters (400 ACC-001) → extradition order
//! (400 ACC-001 malformed, 403 ACC-011 not acceptable) → request against the order
//! (403 ACC-011) → `accountReference` (404 ACC-003 for `dataNotDelivered`, 404 ACC-002 unknown,
//! 403 ACC-011 not the order's party's) → data from [`crate::population::query`] → 200, JWE
//! (`application/jose`) or, in the test environment on `Accept: application/json`, plain JSON.
//!
//! Independently of the answer, the bank records every rule the police client broke in the
//! request as journal [`Violation`]s naming a [`crate::rules::Rule`]; both come from the same
//! single pass over the request (`checks`).
//!
//! Owns: provider behaviour and fault profiles ([`crate::mocks::faults`]). Must not touch: the
//! server front ends (it is mounted by them), verdicts about the police (the suite decides from
//! the journal).

mod cache;
mod checks;
mod respond;
mod serve;

use crate::domain::control::AccCode;
use crate::domain::token::Jwks;
use crate::mocks::faults::{
    ActiveFaults, FaultProfile, FaultSchedule, FaultSpec, LATENCY_PROFILE_DELAY,
};
use crate::mocks::http::{Handled, Handler, MockRequest, Transport};
use crate::mocks::journal::Violation;
use crate::population::model::{DisposalAlternative, Population};
use crate::trust::eo::Environment;
use crate::trust::{Artifact, TrustDir, TrustError};
use chrono::Utc;
use std::sync::{Arc, OnceLock};

pub(crate) use checks::Rejection;

/// Default page size for transactions (digest 7.4: at least 1000 per page is desired).
pub(crate) const DEFAULT_PAGE_SIZE: usize = crate::population::query::DEFAULT_PAGE_SIZE;

pub(crate) use crate::mocks::clock::Clock;

/// The trust material a bank configures (digest 5.5, 6.2, 7.2).
#[derive(Debug, Clone)]
pub struct BankTrust {
    /// Maskinporten's token-signing keys.
    pub maskinporten_jwks: Jwks,
    /// Maskinporten's issuer (`iss` of valid tokens).
    pub maskinporten_issuer: String,
    /// The consumer the bank serves (`consumer.ID`), `0192:915429785`.
    pub consumer_id: String,
    /// The prosecution authority's JWKS (`finans-jwks.json`).
    pub prosecution_jwks: Jwks,
    /// Trust anchors for extradition-order chains (DER).
    pub prosecution_roots: Vec<Vec<u8>>,
    /// The consumer's encryption certificate (DER), as fetched from CertPub.
    pub consumer_encryption_cert: Vec<u8>,
}

impl BankTrust {
    /// Trust material from the trust directory. `consumer_encryption_cert` is what CertPub
    /// published for the police (the ecosystem fetches it, "as real banks do"); pass `None` to
    /// read `consumer-encryption-cert.pem` from the directory directly (tests).
    pub fn from_trust_dir(
        trust: &TrustDir,
        consumer_encryption_cert: Option<Vec<u8>>,
    ) -> Result<Self, TrustError> {
        let cert = match consumer_encryption_cert {
            Some(der) => der,
            None => trust.cert_der(Artifact::ConsumerEncryptionCert)?,
        };
        Ok(Self {
            maskinporten_jwks: trust.jwks(Artifact::MaskinportenJwks)?,
            maskinporten_issuer: trust.manifest().maskinporten_issuer.clone(),
            consumer_id: trust.manifest().consumer_id.clone(),
            prosecution_jwks: trust.prosecution_jwks()?,
            prosecution_roots: vec![trust.prosecution_root_der()?],
            consumer_encryption_cert: cert,
        })
    }
}

/// Everything a [`BankMock`] is built from.
#[derive(Clone)]
pub struct BankConfig {
    /// The bank's organisation number (must be a bank of `population`).
    pub org_number: String,
    /// The catalogue base URL, e.g. `http://127.0.0.1:4000/bank/910000012/v2`: the token `aud`
    /// must equal it, and its path is the prefix the handler strips.
    pub base_url: String,
    /// The data served.
    pub population: Arc<Population>,
    /// Keys, issuers and certificates.
    pub trust: BankTrust,
    /// JWE key management algorithm (digest 9 row 8).
    pub jwe_alg: String,
    /// JWE content encryption (digest 9 row 8).
    pub jwe_enc: String,
    /// Test: `Accept: application/json` gives plain JSON and the order's signing certificate
    /// must carry the TEST CN. Production: JWE only.
    pub environment: Environment,
    /// Transactions per page (digest 7.4).
    pub page_size: usize,
    /// Also require `AccountInfoRequestID == caseID` (digest 4.8, 9 row 12).
    pub strict: bool,
    /// Overrides the population's disposal alternative for this bank (digest 4.6).
    pub disposal_alternative: Option<DisposalAlternative>,
    /// Active fault profiles.
    pub faults: Vec<FaultSpec>,
    /// The clock.
    pub clock: Clock,
}

impl std::fmt::Debug for BankConfig {
    /// Everything but the population (which can be large) and the key material.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BankConfig")
            .field("org_number", &self.org_number)
            .field("base_url", &self.base_url)
            .field("population_seed", &self.population.seed)
            .field("jwe_alg", &self.jwe_alg)
            .field("jwe_enc", &self.jwe_enc)
            .field("environment", &self.environment)
            .field("page_size", &self.page_size)
            .field("strict", &self.strict)
            .field("disposal_alternative", &self.disposal_alternative)
            .field("faults", &self.faults)
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

impl BankConfig {
    /// A conformant test-environment bank with default page size, JWE defaults and no faults.
    pub fn new(
        org_number: &str,
        base_url: &str,
        population: Arc<Population>,
        trust: BankTrust,
    ) -> Self {
        Self {
            org_number: org_number.to_owned(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            population,
            trust,
            jwe_alg: crate::trust::jwe::DEFAULT_ALG.to_owned(),
            jwe_enc: crate::trust::jwe::DEFAULT_ENC.to_owned(),
            environment: Environment::Test,
            page_size: DEFAULT_PAGE_SIZE,
            strict: false,
            disposal_alternative: None,
            faults: Vec::new(),
            clock: Clock::system(),
        }
    }

    /// The configuration of an ecosystem bank slot with `trust`: the slot's bank, base URL,
    /// population, fault profiles (`NAME` or `NAME:N`) and clock.
    pub fn for_slot(
        slot: &crate::mocks::ecosystem::BankSlot,
        trust: BankTrust,
    ) -> Result<Self, crate::mocks::faults::FaultParseError> {
        let faults = slot
            .faults
            .iter()
            .map(|f| FaultSpec::parse(f))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::new(
            &slot.bank.org_number,
            &slot.base_url,
            slot.population.clone(),
            trust,
        )
        .with_faults(faults)
        .with_clock(slot.clock.clone()))
    }

    /// With these fault profiles.
    pub fn with_faults(mut self, faults: impl IntoIterator<Item = FaultSpec>) -> Self {
        self.faults = faults.into_iter().collect();
        self
    }

    /// With this clock.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
}

/// Why a bank could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    /// The organisation number is not a bank of the population.
    #[error("organisation number {org_number} is not a bank of the population")]
    UnknownBank {
        /// The org number given.
        org_number: String,
    },
    /// The base URL has no `scheme://host` part.
    #[error("base URL {url:?} is not an absolute http(s) URL")]
    BadBaseUrl {
        /// The URL given.
        url: String,
    },
    /// The page size is zero.
    #[error("page size must be at least 1")]
    ZeroPageSize,
}

/// A mock bank: the Control API of one bank of the population.
#[derive(Debug)]
pub struct BankMock {
    config: BankConfig,
    base_path: String,
    schedule: FaultSchedule,
    wrong_key_cert: OnceLock<Result<Vec<u8>, String>>,
    /// The consumer's encryption key, parsed once ([`crate::trust::jwe::Encryptor`]).
    encryptor: OnceLock<Result<crate::trust::jwe::Encryptor, String>>,
    /// Tokens and orders already verified ([`cache`]).
    pub(crate) verified: cache::Verified,
    /// Schema verdicts on the long request values (token, order) the judge has seen.
    pub(crate) request_schema_memo: crate::schema::memo::ValueMemo,
}

impl BankMock {
    /// Builds the bank; the population is copied once when the disposal alternative is
    /// overridden.
    pub fn new(mut config: BankConfig) -> Result<Self, BankError> {
        let Some(bank) = config
            .population
            .banks
            .iter()
            .find(|b| b.org_number == config.org_number)
        else {
            return Err(BankError::UnknownBank {
                org_number: config.org_number.clone(),
            });
        };
        if config.page_size == 0 {
            return Err(BankError::ZeroPageSize);
        }
        if let Some(alternative) = config.disposal_alternative {
            if bank.disposal_alternative != alternative {
                let mut population = (*config.population).clone();
                for b in &mut population.banks {
                    if b.org_number == config.org_number {
                        b.disposal_alternative = alternative;
                    }
                }
                config.population = Arc::new(population);
            }
        }
        let base_path = base_path(&config.base_url).ok_or_else(|| BankError::BadBaseUrl {
            url: config.base_url.clone(),
        })?;
        Ok(Self {
            schedule: FaultSchedule::new(&config.faults),
            base_path,
            config,
            wrong_key_cert: OnceLock::new(),
            encryptor: OnceLock::new(),
            verified: cache::Verified::default(),
            request_schema_memo: crate::schema::memo::ValueMemo::new(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &BankConfig {
        &self.config
    }

    /// The encrypter for the consumer's certificate, parsed on first use.
    pub(crate) fn encryptor(&self) -> Result<&crate::trust::jwe::Encryptor, String> {
        self.encryptor
            .get_or_init(|| {
                crate::trust::jwe::Encryptor::new(
                    &self.config.trust.consumer_encryption_cert,
                    &self.config.jwe_alg,
                    &self.config.jwe_enc,
                )
                .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The path prefix stripped from every request path (e.g. `/v2`; empty for a root URL).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    fn answer(&self, request: &MockRequest, faults: &ActiveFaults) -> Handled {
        if faults.has(FaultProfile::ConnectionReset) {
            let mut handled = respond::error(&Rejection::new(
                AccCode::Acc100,
                "connection reset by the connection-reset fault profile (no answer is sent)",
            ));
            handled.transport = Transport::Reset;
            return handled;
        }
        let route = self
            .base_path_relative(&request.path)
            .and_then(crate::domain::request::Endpoint::from_path);
        // One pass: the answer and the police-side findings come from the same checks.
        let (outcome, violations) = match &route {
            Some((endpoint, reference)) => checks::Pipeline {
                bank: self,
                request,
                faults,
                endpoint: *endpoint,
                reference: reference.as_deref(),
            }
            .run(),
            None => (
                Err(Rejection::new(
                    AccCode::Acc002,
                    format!(
                        "no such resource: {:?} is not a Control API path under {:?} \
                         (digest 3.1: /accounts, /accounts/{{accountReference}}[/transactions|/cards|/roles])",
                        request.path, self.base_path
                    ),
                )),
                Vec::new(),
            ),
        };
        if faults.has(FaultProfile::ServerError) {
            return with(
                respond::error(&Rejection::new(
                    AccCode::Acc100,
                    "internal error simulated by the server-error fault profile; retry later",
                )),
                violations,
            );
        }
        if faults.has(FaultProfile::RateLimited) {
            let mut handled = respond::error(&Rejection::new(
                AccCode::Acc022,
                "too many requests (rate-limited fault profile); retry after 1 second",
            ));
            handled.response = handled.response.with_header("Retry-After", "1");
            return with(handled, violations);
        }
        let handled = match outcome {
            Ok(served) => respond::success(self, served, faults),
            Err(rejection) if faults.has(FaultProfile::ErrorWithoutMessage) => {
                respond::error_without_message(&rejection.adjusted(faults))
            }
            Err(rejection) => respond::error(&rejection.adjusted(faults)),
        };
        with(handled, violations)
    }

    fn base_path_relative<'a>(&self, path: &'a str) -> Option<&'a str> {
        let rest = path.strip_prefix(self.base_path.as_str())?;
        (rest.is_empty() || rest.starts_with('/')).then_some(rest)
    }

    /// A certificate for a key that is not the consumer's (fault `jwe-wrong-key`), made once.
    fn wrong_key_cert(&self) -> Result<Vec<u8>, String> {
        self.wrong_key_cert
            .get_or_init(|| {
                use crate::trust::pki::{self, CertKind, CertSpec, RsaKey};
                let key = RsaKey::generate().map_err(|e| e.to_string())?;
                let spec = CertSpec::new(
                    pki::names::consumer_encryption(),
                    CertKind::Encryption,
                    Utc::now().timestamp(),
                    1,
                );
                pki::issue(&spec, &key, None).map_err(|e| e.to_string())
            })
            .clone()
    }
}

fn with(mut handled: Handled, violations: Vec<Violation>) -> Handled {
    handled.violations = violations;
    handled
}

/// The path of an absolute URL (`http://h:1/a/v2` → `/a/v2`; `http://h:1` → ``).
fn base_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    Some(path.trim_end_matches('/').to_owned())
}

impl Handler for BankMock {
    fn name(&self) -> String {
        format!("bank:{}", self.config.org_number)
    }

    fn handle(&self, request: &MockRequest) -> Handled {
        let faults = self.schedule.next_request();
        let mut handled = self.answer(request, &faults);
        if faults.has(FaultProfile::Latency) && handled.transport == Transport::Normal {
            handled.transport = Transport::Delay(LATENCY_PROFILE_DELAY);
        }
        handled
    }
}

/// The ecosystem's bank factory: a full [`BankMock`] per slot, configured with the slot's base
/// URL, the encryption certificate the ecosystem fetched from CertPub (as a real bank does,
/// digest 7.2), the slot's fault profiles (`NAME` or `NAME:N`) and the ecosystem's clock.
pub fn mock_bank_factory() -> crate::mocks::ecosystem::BankFactory {
    std::sync::Arc::new(|slot: &crate::mocks::ecosystem::BankSlot| {
        let trust = BankTrust::from_trust_dir(&slot.trust, Some(slot.encryption_cert_der.clone()))?;
        let bank: std::sync::Arc<dyn crate::mocks::http::Handler> =
            std::sync::Arc::new(BankMock::new(BankConfig::for_slot(slot, trust)?)?);
        Ok(bank)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_the_url_path_without_trailing_slash() {
        assert_eq!(
            base_path("http://127.0.0.1:9/bank/1/v2/").as_deref(),
            Some("/bank/1/v2")
        );
        assert_eq!(base_path("https://bank.no").as_deref(), Some(""));
        assert_eq!(base_path("bank.no/v2"), None);
    }

    #[test]
    fn fixed_clocks_do_not_move() {
        let t = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        assert_eq!(Clock::fixed(t).now(), t);
    }
}

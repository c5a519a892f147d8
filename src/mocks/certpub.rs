//! Mock CertPub (digest 1.1, 1.2 steps 1.5.e–f, 7.2): where banks find the consumer's
//! encryption certificate before they encrypt a 200 response (JWE).
//!
//! One server plays both roles:
//!
//! * Locator (BCL): `GET /lookup/v2/iso6523-actorid-upis::{participantId}` → 200
//!   `{"difi-bcp-v1": "<publisher base URL>"}` (schema `certpub-locator`), 404 for a
//!   participant it does not know.
//! * Publisher (BCP), base `<origin>/bcp`: `GET <publisher>/api/v1/iso6523-actorid-upis::
//!   {participantId}/bdx-procid-dsop::urn:fdc:bits.no:2018:dsop:account:1.0` → 200, the
//!   participant's encryption certificate as one PEM `CERTIFICATE` block with content type
//!   `application/x-pem-file` (our assumption: the real publisher's format is not in our
//!   sources); 404 for another participant or process.
//!
//! Errors use the harness's `{error, message}` body (schema `mock-error`). Paths are matched
//! after percent-decoding, so `%3A` for `:` is accepted. [`fetch_encryption_cert`] is the
//! client a bank uses (the ecosystem calls it for every mock bank "as real banks do").

use super::http::{Handled, Handler, MockRequest, MockResponse};
use super::server::{mock_error, refuse_non_get};
use crate::trust::pki::{pem_block, pem_decode};
use std::collections::BTreeMap;

/// Participant identifier scheme (digest 7.2).
pub(crate) const QUALIFIER: &str = "iso6523-actorid-upis";
/// The DSOP account-information process identifier (digest 1.1, 7.2).
pub const DSOP_PROCESS: &str = "bdx-procid-dsop::urn:fdc:bits.no:2018:dsop:account:1.0";
/// Locator path prefix; the participant follows `::`.
pub(crate) const LOCATOR_PREFIX: &str = "/lookup/v2/";
/// Publisher base path on the mock's origin.
pub(crate) const PUBLISHER_PATH: &str = "/bcp";
/// Locator answer key naming the publisher.
pub(crate) const PUBLISHER_KEY: &str = "difi-bcp-v1";
/// Content type of the publisher's certificate answer (our assumption).
pub const PEM_CONTENT_TYPE: &str = "application/x-pem-file";

/// The mock CertPub.
#[derive(Debug, Clone)]
pub struct CertPubMock {
    publisher_url: String,
    /// participant ID (`0192:<orgno>`) → certificate DER.
    certificates: BTreeMap<String, Vec<u8>>,
}

impl CertPubMock {
    /// A CertPub at `origin` publishing `certificates` (participant ID → DER).
    pub fn new(origin: &str, certificates: BTreeMap<String, Vec<u8>>) -> Self {
        Self {
            publisher_url: format!("{}{PUBLISHER_PATH}", origin.trim_end_matches('/')),
            certificates,
        }
    }

    /// The publisher base URL the locator hands out.
    pub fn publisher_url(&self) -> &str {
        &self.publisher_url
    }
}

impl Handler for CertPubMock {
    fn name(&self) -> String {
        "certpub".to_owned()
    }

    fn handle(&self, request: &MockRequest) -> Handled {
        let path = percent_encoding::percent_decode_str(&request.path)
            .decode_utf8_lossy()
            .into_owned();
        let not_found = |message: String| Handled::ok(mock_error(404, "not_found", &message));
        let participant_of = |rest: &str| {
            rest.strip_prefix(QUALIFIER)
                .and_then(|r| r.strip_prefix("::"))
                .map(str::to_owned)
        };
        let route = if let Some(rest) = path.strip_prefix(LOCATOR_PREFIX) {
            participant_of(rest).map(|p| (p, None))
        } else if let Some(rest) = path
            .strip_prefix(PUBLISHER_PATH)
            .and_then(|r| r.strip_prefix("/api/v1/"))
        {
            rest.split_once('/').and_then(|(participant, process)| {
                participant_of(participant).map(|p| (p, Some(process.to_owned())))
            })
        } else {
            None
        };
        let Some((participant, process)) = route else {
            return not_found(format!(
                "no such path {path:?}; CertPub serves {LOCATOR_PREFIX}{QUALIFIER}::{{participant}} and \
                 {PUBLISHER_PATH}/api/v1/{QUALIFIER}::{{participant}}/{DSOP_PROCESS}"
            ));
        };
        if let Some(refused) = refuse_non_get(request) {
            return refused;
        }
        let Some(cert) = self.certificates.get(&participant) else {
            return not_found(format!(
                "participant {participant:?} has no certificate in CertPub"
            ));
        };
        match process {
            None => Handled::ok(MockResponse::json(
                200,
                &serde_json::json!({ PUBLISHER_KEY: self.publisher_url }),
            )),
            Some(process) if process == DSOP_PROCESS => {
                let pem = pem_block("CERTIFICATE", cert);
                Handled::ok(MockResponse {
                    status: 200,
                    headers: vec![("Content-Type".into(), PEM_CONTENT_TYPE.into())],
                    body: pem.into_bytes(),
                    plaintext: None,
                })
            }
            Some(process) => not_found(format!(
                "participant {participant:?} publishes no certificate for process {process:?} (only {DSOP_PROCESS})"
            )),
        }
    }
}

/// Why a CertPub lookup failed.
#[derive(Debug, thiserror::Error)]
pub enum CertPubError {
    /// The HTTP call failed.
    #[error("CertPub {step} {url}: {source}")]
    Http {
        /// Locator or publisher.
        step: &'static str,
        /// The URL.
        url: String,
        /// The cause.
        source: reqwest::Error,
    },
    /// A non-200 answer.
    #[error("CertPub {step} {url} answered {status}: {body}")]
    Status {
        /// Locator or publisher.
        step: &'static str,
        /// The URL.
        url: String,
        /// The status.
        status: u16,
        /// The body (first 500 bytes).
        body: String,
    },
    /// The locator's answer names no publisher.
    #[error("CertPub locator {url} answered without a {PUBLISHER_KEY:?} publisher URL: {body}")]
    NoPublisher {
        /// The URL.
        url: String,
        /// The body.
        body: String,
    },
    /// The publisher's answer is not a PEM certificate.
    #[error("CertPub publisher {url} did not answer a PEM certificate: {reason}")]
    NotACertificate {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
}

async fn get_text(
    client: &reqwest::Client,
    step: &'static str,
    url: &str,
) -> Result<String, CertPubError> {
    let http = |source| CertPubError::Http {
        step,
        url: url.to_owned(),
        source,
    };
    let response = client.get(url).send().await.map_err(http)?;
    let status = response.status().as_u16();
    let body = response.text().await.map_err(http)?;
    if status != 200 {
        return Err(CertPubError::Status {
            step,
            url: url.to_owned(),
            status,
            body: body.chars().take(500).collect(),
        });
    }
    Ok(body)
}

/// Looks up `participant`'s DSOP encryption certificate: asks the locator at `locator_url`
/// (origin, e.g. `https://test-bcl.difi.blufo.net`) for the publisher, then fetches the
/// certificate of process [`DSOP_PROCESS`] from it. Returns the certificate DER.
pub async fn fetch_encryption_cert(
    client: &reqwest::Client,
    locator_url: &str,
    participant: &str,
) -> Result<Vec<u8>, CertPubError> {
    let locator = format!(
        "{}{LOCATOR_PREFIX}{QUALIFIER}::{participant}",
        locator_url.trim_end_matches('/')
    );
    let body = get_text(client, "locator", &locator).await?;
    let publisher = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| {
            v.get(PUBLISHER_KEY)
                .and_then(|p| p.as_str())
                .map(str::to_owned)
        })
        .ok_or_else(|| CertPubError::NoPublisher {
            url: locator.clone(),
            body: body.chars().take(500).collect(),
        })?;
    let url = format!(
        "{}/api/v1/{QUALIFIER}::{participant}/{DSOP_PROCESS}",
        publisher.trim_end_matches('/')
    );
    let pem = get_text(client, "publisher", &url).await?;
    pem_decode(pem.as_bytes(), "CERTIFICATE").map_err(|e| CertPubError::NotACertificate {
        url,
        reason: e.to_string(),
    })
}

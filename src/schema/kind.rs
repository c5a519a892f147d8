//! The message kinds that have a schema, and the two strictness levels (digest 0.4).

use std::fmt;
use std::str::FromStr;

/// One DSOP message that has a JSON Schema in `schemas/`.
///
/// [`MessageKind::as_str`] is the file stem: `schemas/<stem>.schema.json` (and
/// `schemas/police/<stem>.schema.json` where the police profile differs). Other modules name
/// kinds by these stems, so they never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MessageKind {
    /// Step 1 `customerRelationships` request document (digest 2.1).
    RegistryCustomerRelationshipsRequest,
    /// Step 1 `customerRelationships` response (digest 2.2).
    RegistryCustomerRelationshipsResponse,
    /// Step 1 `accountServicingProvider` request document (digest 2.3).
    RegistryAccountServicingProviderRequest,
    /// Step 1 `accountServicingProvider` response (digest 2.3).
    RegistryAccountServicingProviderResponse,
    /// Registry error body `{errorCode, errorMessage, timestamp}` (digest 2.4).
    RegistryError,
    /// Step 2a `GET /accounts` request document (digest 3.2.1).
    AccountsRequest,
    /// Step 2b request document shared by Account details, Transactions, Cards and Roles
    /// (digest 3.2.1).
    AccountReferenceRequest,
    /// `Accounts` response (digest 3.3.1).
    Accounts,
    /// `AccountDetails` response (digest 3.3.2).
    AccountDetails,
    /// `Transactions` response (digest 3.3.3).
    Transactions,
    /// `Cards` response (digest 3.3.4).
    Cards,
    /// `Roles` response (digest 3.3.5).
    Roles,
    /// Control API error body `{code, message}` (digest 3.3.6, 7.6).
    Error,
    /// Extradition-order JWS header (digest 5.2).
    ExtraditionOrderHeader,
    /// Extradition-order payload (digest 5.3, 5.4).
    ExtraditionOrderPayload,
    /// Maskinporten access-token claims (digest 6.2, 6.3).
    MaskinportenAccessToken,
    /// Maskinporten JWT-grant claims (digest 6.3).
    MaskinportenJwtGrant,
    /// The prosecution authority's JWKS (digest 5.5).
    Jwks,
    /// The case result a police implementation writes (docs/police-vendors.md).
    CaseResult,
    /// The synthetic population / test data pack of `fixtures export` (digest 8, "Test data").
    Population,
    /// Maskinporten authorisation-server metadata (RFC 8414; digest 6.2).
    MaskinportenMetadata,
    /// Maskinporten token-endpoint answer `{access_token, token_type, expires_in, scope}` (digest 6.3).
    MaskinportenTokenResponse,
    /// OAuth 2.0 error body `{error, error_description}` of the token endpoint (digest 6.3).
    OauthError,
    /// One Felles datakatalog entry `{orgNo, name, url, version, env}` (digest 9 row 2).
    DatakatalogEntry,
    /// The Felles datakatalog list of entries (digest 9 row 2).
    DatakatalogEndpoints,
    /// CertPub locator answer `{"difi-bcp-v1": <publisher>}` (digest 7.2).
    CertpubLocator,
    /// Error body `{error, message}` of the harness's non-DSOP mocks (datakatalog, CertPub, JWKS).
    MockError,
    /// The mock ecosystem's manifest printed by `mocks serve` (digest 1.1, 1.2).
    Manifest,
    /// `summary.json` of a suite run: verdict, scenarios, requirement coverage.
    Summary,
    /// The claims of `attestation.jws`: what a run's report files hash to, signed.
    Attestation,
    /// `dsop-harness.toml`, the optional configuration file (keys = `DSOP_HARNESS_*` names).
    Config,
    /// The `--expected-failures` file: deviations agreed with DSOP forvaltning.
    ExpectedFailures,
}

impl MessageKind {
    /// Every kind, in the order of the digest.
    pub const ALL: [MessageKind; 32] = [
        MessageKind::RegistryCustomerRelationshipsRequest,
        MessageKind::RegistryCustomerRelationshipsResponse,
        MessageKind::RegistryAccountServicingProviderRequest,
        MessageKind::RegistryAccountServicingProviderResponse,
        MessageKind::RegistryError,
        MessageKind::AccountsRequest,
        MessageKind::AccountReferenceRequest,
        MessageKind::Accounts,
        MessageKind::AccountDetails,
        MessageKind::Transactions,
        MessageKind::Cards,
        MessageKind::Roles,
        MessageKind::Error,
        MessageKind::ExtraditionOrderHeader,
        MessageKind::ExtraditionOrderPayload,
        MessageKind::MaskinportenAccessToken,
        MessageKind::MaskinportenJwtGrant,
        MessageKind::Jwks,
        MessageKind::CaseResult,
        MessageKind::Population,
        MessageKind::MaskinportenMetadata,
        MessageKind::MaskinportenTokenResponse,
        MessageKind::OauthError,
        MessageKind::DatakatalogEntry,
        MessageKind::DatakatalogEndpoints,
        MessageKind::CertpubLocator,
        MessageKind::MockError,
        MessageKind::Manifest,
        MessageKind::Summary,
        MessageKind::Attestation,
        MessageKind::Config,
        MessageKind::ExpectedFailures,
    ];

    /// The schema file stem (kebab-case), e.g. `account-details`.
    pub const fn as_str(self) -> &'static str {
        match self {
            MessageKind::RegistryCustomerRelationshipsRequest => {
                "registry-customer-relationships-request"
            }
            MessageKind::RegistryCustomerRelationshipsResponse => {
                "registry-customer-relationships-response"
            }
            MessageKind::RegistryAccountServicingProviderRequest => {
                "registry-account-servicing-provider-request"
            }
            MessageKind::RegistryAccountServicingProviderResponse => {
                "registry-account-servicing-provider-response"
            }
            MessageKind::RegistryError => "registry-error",
            MessageKind::AccountsRequest => "accounts-request",
            MessageKind::AccountReferenceRequest => "account-reference-request",
            MessageKind::Accounts => "accounts",
            MessageKind::AccountDetails => "account-details",
            MessageKind::Transactions => "transactions",
            MessageKind::Cards => "cards",
            MessageKind::Roles => "roles",
            MessageKind::Error => "error",
            MessageKind::ExtraditionOrderHeader => "extradition-order-header",
            MessageKind::ExtraditionOrderPayload => "extradition-order-payload",
            MessageKind::MaskinportenAccessToken => "maskinporten-access-token",
            MessageKind::MaskinportenJwtGrant => "maskinporten-jwt-grant",
            MessageKind::Jwks => "jwks",
            MessageKind::CaseResult => "case-result",
            MessageKind::Population => "population",
            MessageKind::MaskinportenMetadata => "maskinporten-metadata",
            MessageKind::MaskinportenTokenResponse => "maskinporten-token-response",
            MessageKind::OauthError => "oauth-error",
            MessageKind::DatakatalogEntry => "datakatalog-entry",
            MessageKind::DatakatalogEndpoints => "datakatalog-endpoints",
            MessageKind::CertpubLocator => "certpub-locator",
            MessageKind::MockError => "mock-error",
            MessageKind::Manifest => "manifest",
            MessageKind::Summary => "summary",
            MessageKind::Attestation => "attestation",
            MessageKind::Config => "config",
            MessageKind::ExpectedFailures => "expected-failures",
        }
    }

    /// The digest section that defines this message.
    pub const fn spec_section(self) -> &'static str {
        match self {
            MessageKind::RegistryCustomerRelationshipsRequest => "2.1",
            MessageKind::RegistryCustomerRelationshipsResponse => "2.2",
            MessageKind::RegistryAccountServicingProviderRequest
            | MessageKind::RegistryAccountServicingProviderResponse => "2.3",
            MessageKind::RegistryError => "2.4",
            MessageKind::AccountsRequest | MessageKind::AccountReferenceRequest => "3.2.1",
            MessageKind::Accounts => "3.3.1",
            MessageKind::AccountDetails => "3.3.2",
            MessageKind::Transactions => "3.3.3",
            MessageKind::Cards => "3.3.4",
            MessageKind::Roles => "3.3.5",
            MessageKind::Error => "3.3.6",
            MessageKind::ExtraditionOrderHeader => "5.2",
            MessageKind::ExtraditionOrderPayload => "5.3",
            MessageKind::MaskinportenAccessToken => "6.2",
            MessageKind::MaskinportenJwtGrant => "6.3",
            MessageKind::Jwks => "5.5",
            MessageKind::CaseResult => "1.2",
            MessageKind::Population => "8",
            MessageKind::MaskinportenMetadata => "6.2",
            MessageKind::MaskinportenTokenResponse => "6.3",
            MessageKind::OauthError => "6.3",
            MessageKind::DatakatalogEntry => "9",
            MessageKind::DatakatalogEndpoints => "9",
            MessageKind::CertpubLocator => "7.2",
            MessageKind::MockError => "9",
            MessageKind::Manifest => "1.1",
            MessageKind::Summary
            | MessageKind::Attestation
            | MessageKind::Config
            | MessageKind::ExpectedFailures => "9",
        }
    }

    pub(crate) fn index(self) -> usize {
        // `ALL` lists the variants in declaration order.
        self as usize
    }
}

impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not the file stem of any [`MessageKind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name:?} is not a message kind (expected a schema file stem such as \"accounts\")")]
pub struct UnknownKind {
    /// The rejected name.
    pub name: String,
}

impl FromStr for MessageKind {
    type Err = UnknownKind;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        MessageKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or_else(|| UnknownKind {
                name: name.to_owned(),
            })
    }
}

/// How strictly a message is judged (digest 0.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Profile {
    /// The DSOP common standard (*fellesstandard*): `schemas/<kind>.schema.json`.
    Common,
    /// The Politi-Utlevering service profile, this harness's default:
    /// `schemas/police/<kind>.schema.json` where it differs, the common schema elsewhere.
    #[default]
    Police,
}

impl Profile {
    /// Both profiles.
    pub const ALL: [Profile; 2] = [Profile::Common, Profile::Police];

    /// `common` or `police`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Profile::Common => "common",
            Profile::Police => "police",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is neither `common` nor `police`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name:?} is not a profile (expected \"common\" or \"police\")")]
pub struct UnknownProfile {
    /// The rejected name.
    pub name: String,
}

impl FromStr for Profile {
    type Err = UnknownProfile;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Profile::ALL
            .into_iter()
            .find(|profile| profile.as_str() == name)
            .ok_or_else(|| UnknownProfile {
                name: name.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_variant_in_declaration_order() {
        for (position, kind) in MessageKind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), position, "{kind}");
            assert_eq!(kind.as_str().parse::<MessageKind>(), Ok(kind));
        }
    }
}

//! Fault profiles of the mock bank: named ways to make a bank slow, broken or subtly
//! non-conformant, so the police client's error handling (digest 7.6 retries, 7.4 paging,
//! 7.2 decryption) and the bank suite's own checks can be tested against a bank that misbehaves
//! on purpose.
//!
//! A profile is activated by a [`FaultSpec`]: `NAME` (active for every request) or `NAME:N`
//! (active for the first `N` requests the bank receives, then the bank behaves — e.g.
//! `server-error:1` fails once so a client's retry succeeds). See `docs/mock-bank.md`.

use crate::rules::Rule;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// How long the `latency` profile delays every response.
pub const LATENCY_PROFILE_DELAY: Duration = Duration::from_millis(1500);

macro_rules! profiles {
    ($( $variant:ident => $name:literal, $kind:ident, [$($rule:ident),*], $doc:literal; )*) => {
        /// A named misbehaviour of the mock bank. Its name (strum: `Display`, `Into<&str>`) is
        /// the kebab-case name of the table below.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            strum::IntoStaticStr, strum::Display, strum::VariantArray,
        )]
        pub enum FaultProfile {
            $( #[doc = $doc] #[strum(serialize = $name)] $variant, )*
        }

        impl FaultProfile {
            /// Every profile, transport faults first.
            pub const ALL: &'static [FaultProfile] = <FaultProfile as strum::VariantArray>::VARIANTS;

            /// The kebab-case name used on the command line and in scenario files.
            pub fn name(self) -> &'static str {
                self.into()
            }

            /// One-line description of the effect.
            pub const fn describe(self) -> &'static str {
                match self { $(FaultProfile::$variant => $doc,)* }
            }

            /// Transport fault (the bank is unreliable) or conformance fault (the bank is
            /// subtly wrong).
            pub const fn kind(self) -> FaultKind {
                match self { $(FaultProfile::$variant => FaultKind::$kind,)* }
            }

            /// The bank rules this profile breaks: the bank suite must fail with a finding
            /// naming each of them (`requirements --proof`). Empty for a transport fault that
            /// exists for the police side (retries, timeouts) and breaks no bank rule the suite
            /// can observe apart from "the bank is down".
            pub const fn breaks(self) -> &'static [Rule] {
                match self { $(FaultProfile::$variant => &[$(Rule::$rule),*],)* }
            }
        }
    };
}

profiles! {
    Latency => "latency", Transport, [],
        "Every response is delayed by 1.5 s.";
    ServerError => "server-error", Transport, [],
        "Every request is answered 500 ACC-100 before any check.";
    RateLimited => "rate-limited", Transport, [],
        "Every request is answered 429 ACC-022 with Retry-After: 1 before any check.";
    ConnectionReset => "connection-reset", Transport, [],
        "The connection is closed without an answer (Transport::Reset).";
    MalformedJson => "malformed-json", Transport, [BankSchema],
        "200 responses carry truncated, unparsable JSON (application/json).";
    WrongContentType => "wrong-content-type", Transport, [BankJwe],
        "200 responses are labelled with the other content type (JWE as application/json, plain JSON as application/jose).";
    JweWrongKey => "jwe-wrong-key", Transport, [BankJwe],
        "200 responses are encrypted to a key that is not the consumer's.";
    BrokenNextLink => "broken-next-link", Transport, [BankPagination],
        "The next link points to a path the bank does not serve (following it gives 404).";
    MissingNextLink => "missing-next-link", Transport, [BankPagination],
        "No next link is sent: a paged result stops after its first page.";
    DuplicateAcrossPages => "duplicate-across-pages", Transport, [BankPagination],
        "Every page after the first repeats the last transaction of the page before.";
    SkipOrderVerification => "skip-order-verification", Conformance, [BankEoChain, BankEoSubject, BankEoSignature],
        "The extradition order's signature, chain, subject and content are not verified (only its payload is read).";
    AcceptWrongOuCn => "accept-wrong-ou-cn", Conformance, [BankEoSubject],
        "The signing certificate's OU and CN are not checked (digest 5.5 step 5 skipped).";
    IgnoreEndpointFlags => "ignore-endpoint-flags", Conformance, [BankEoEndpoint],
        "The order's endpoint flags are ignored: every endpoint is served.";
    AcceptOldFromDate => "accept-old-from-date", Conformance, [BankParamTenYears],
        "fromDate older than ten years is accepted, in the request and in the order.";
    DeliverAccountName => "deliver-account-name", Conformance, [BankPoliceProfile],
        "Accounts lists accounts[].name, which the police profile says is not delivered.";
    TransactionsOutsidePeriod => "transactions-outside-period", Conformance, [BankPeriod],
        "Transactions ignores the requested period and serves the account's whole history.";
    BalanceForClosedAccount => "balance-for-closed-account", Conformance, [BankBalance],
        "Account details gives a booked balance for an account closed in the period.";
    PostReturns200 => "post-returns-200", Conformance, [BankMethod],
        "Any method is served like GET (no 405 ACC-012).";
    FourHundredInsteadOf403 => "400-instead-of-403", Conformance, [BankEoEndpoint, BankRefusalStatus],
        "Every 403 ACC-011 is answered 400 ACC-001 instead.";
    AcceptExpiredToken => "accept-expired-token", Conformance, [BankTokenExpiry],
        "An expired access token is accepted.";
    IgnoreScope => "ignore-scope", Conformance, [BankTokenScope],
        "An access token without bits:kontoinformasjon is accepted.";
    AcceptMismatchedParty => "accept-mismatched-party", Conformance, [BankEoParty],
        "PartyID need not equal the order's partyID, and 2b references need not belong to it.";
    UnmaskedCardNumbers => "unmasked-card-numbers", Conformance, [BankCardMask],
        "Card numbers are served as stored, in full (Cards and transactions' paymentCard), not masked (digest 3.4.8).";
    ToDateExclusive => "to-date-exclusive", Conformance, [BankPeriod],
        "The period's toDate is treated as exclusive: every endpoint answers for fromDate up to the day before toDate (digest 3.2.1: both dates inclusive).";
    AcceptMissingToken => "accept-missing-token", Conformance, [BankTokenPresent],
        "A request without an Authorization header is served (the token is validated only when one is sent).";
    SkipTokenSignature => "skip-token-signature", Conformance, [BankTokenSignature],
        "The access token's claims are read without verifying its signature (kid, alg and signature unchecked).";
    IgnoreTokenIssuer => "ignore-token-issuer", Conformance, [BankTokenIssuer],
        "The access token's iss is not compared with Maskinporten's issuer.";
    IgnoreTokenAudience => "ignore-token-audience", Conformance, [BankTokenAudience],
        "The access token's aud is not compared with the bank's base URL: a token for another bank is accepted.";
    IgnoreTokenConsumer => "ignore-token-consumer", Conformance, [BankTokenConsumer],
        "The access token's consumer is not compared with the police's organisation number.";
    RefuseScopeWith401 => "refuse-scope-with-401", Conformance, [BankRefusalStatus],
        "A token without the scope is refused 401 ACC-010 (a reading the documents allow; the harness prefers 403 ACC-011, RFC 6750 insufficient_scope).";
    GenerateMissingCorrelationId => "generate-missing-correlation-id", Conformance, [BankHdrMandatory],
        "A request without CorrelationID is served: the bank makes one up instead of refusing (digest 3.2.1: mandatory).";
    AcceptNonUuidIds => "accept-non-uuid-ids", Conformance, [BankHdrUuid],
        "CorrelationID and AccountInfoRequestID are accepted as any non-empty text (no UUID check).";
    AcceptUnencodedMandate => "accept-unencoded-mandate", Conformance, [BankHdrMandate],
        "A Legal-Mandate that is not the URL-encoded text of a police mandate is accepted as sent.";
    AcceptMissingRequesterId => "accept-missing-requester-id", Conformance, [BankHdrRequester],
        "A missing or empty RequesterID is accepted.";
    AcceptAnyReferenceType => "accept-any-reference-type", Conformance, [BankHdrReftype],
        "AdditionalReferenceIDType is not checked: any value, or none, is accepted.";
    SkipPartyIdChecksum => "skip-party-id-checksum", Conformance, [BankParamParty],
        "PartyID is checked for its length only: 9 or 11 digits with a wrong mod-11 check digit pass the syntax check.";
    LenientOnlyPrimaryOwner => "lenient-only-primary-owner", Conformance, [BankParamOpo],
        "OnlyPrimaryOwner is read as TRUE when it says TRUE and as FALSE otherwise (no syntax check).";
    SwapReversedDates => "swap-reversed-dates", Conformance, [BankParamDates],
        "A fromDate after toDate is not refused: the two dates are swapped.";
    ServeWithoutOrder => "serve-without-order", Conformance, [BankEoPresent],
        "A request without the extradition order (AdditionalReferenceID) is served; the order is checked only when one is sent.";
    LenientOrderHeader => "lenient-order-header", Conformance, [BankEoFormat],
        "The order's JOSE header typ is not checked (a wrong or missing typ is accepted).";
    SkipOrderChain => "skip-order-chain", Conformance, [BankEoChain],
        "The order's x5c chain is not validated to the prosecution root, and the certificates' validity is not checked (the leaf key is trusted as sent).";
    SkipOrderSignature => "skip-order-signature", Conformance, [BankEoSignature],
        "The order's signature is not verified (its certificate chain and subject are).";
    SkipOrderContentChecks => "skip-order-content-checks", Conformance, [BankEoContent],
        "The content checks 1-6 of digest 5.5 (mandate, reason, pair, ten years, accountList, lifetime) are skipped.";
    IgnoreOrderMandate => "ignore-order-mandate", Conformance, [BankEoMandate],
        "The request's Legal-Mandate is not compared with the order's mandate.";
    OrderPeriodFromOnly => "order-period-from-only", Conformance, [BankEoPeriod],
        "Only the request's fromDate is compared with the order's period: a toDate after the order's is served.";
    IgnoreOrderOnlyPrimaryOwner => "ignore-order-only-primary-owner", Conformance, [BankEoOpo],
        "The order's onlyPrimaryOwner is not compared with the request: OnlyPrimaryOwner=FALSE is served under an owned-only order.";
    OrderPeriodMustMatch => "order-period-must-match", Conformance, [BankEoValidServed],
        "A request whose period lies inside the order's but is not equal to it is refused 403 ACC-011 (a valid request refused).";
    IgnoreOrderCaseId => "ignore-order-case-id", Conformance, [BankEoCase],
        "AccountInfoRequestID is not compared with the order's caseID, even in strict mode.";
    UnsupportedAccept400 => "unsupported-accept-400", Conformance, [BankAccept],
        "An Accept the bank cannot serve is refused 400 ACC-001 (neither 406 ACC-013 nor disregarded).";
    ErrorWithoutMessage => "error-without-message", Conformance, [BankErrorBody],
        "Error answers carry only {\"code\"}, without the message.";
    ListShieldedAccounts => "list-shielded-accounts", Conformance, [BankShielded],
        "A shielded person's accounts are listed like anyone's.";
    IgnoreOnlyPrimaryOwner => "ignore-only-primary-owner", Conformance, [BankOpoSemantics],
        "OnlyPrimaryOwner=TRUE is ignored: every account the party has a relation to is listed.";
    OmitDisposalOnlyAccounts => "omit-disposal-only-accounts", Conformance, [BankDisposal],
        "Accounts the party only has disposal rights over are left out, with no partial signal (neither alternative of digest 4.6).";
    OmitUndeliveredAccounts => "omit-undelivered-accounts", Conformance, [BankDataNotDelivered],
        "Accounts the bank will not detail are left out of Accounts instead of listed with accountReference dataNotDelivered.";
    UnknownReferenceEmpty200 => "unknown-reference-empty-200", Conformance, [BankUnknownReference],
        "An unknown accountReference is answered 200 with an empty body instead of 404.";
    RolesWithoutEndDate => "roles-without-end-date", Conformance, [BankDataExact],
        "Roles are served without the date a role ended.";
    PartialSignalOnOwnedOnly => "partial-signal-on-owned-only", Conformance, [BankDisposalOwnedOnly],
        "Alternative 1's partial signal is given on OnlyPrimaryOwner=TRUE requests too (the harness prefers none there).";
    MaskAllButLastFour => "mask-all-but-last-four", Conformance, [BankCardMaskExact],
        "Card numbers show only their last four digits (allowed; the harness prefers the first six and last four).";
    RejectPercentEncodedOrder => "reject-percent-encoded-order", Conformance, [BankOpenReadings],
        "An order sent percent-encoded in the header is refused 400 ACC-001 instead of decoded.";
}

/// The two families of profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// Unreliable transport or encoding: a robust client copes or reports it.
    Transport,
    /// Wrong behaviour a conformance suite must catch.
    Conformance,
}

/// An unknown profile name or a bad `NAME:N` suffix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultParseError {
    /// No profile has this name.
    #[error("unknown fault profile {name:?}; known profiles: {known}")]
    UnknownProfile {
        /// The name given.
        name: String,
        /// Every known name, comma separated.
        known: String,
    },
    /// The count after `:` is not a positive integer.
    #[error("fault {spec:?}: the count after ':' must be a positive integer (NAME or NAME:N)")]
    BadCount {
        /// The whole spec.
        spec: String,
    },
}

impl FaultProfile {
    /// The profile with this kebab-case name; the error lists every name.
    pub fn from_name(name: &str) -> Result<Self, FaultParseError> {
        Self::ALL
            .iter()
            .copied()
            .find(|p| p.name() == name)
            .ok_or_else(|| FaultParseError::UnknownProfile {
                name: name.to_owned(),
                known: Self::ALL
                    .iter()
                    .map(|p| p.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

impl FromStr for FaultProfile {
    type Err = FaultParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s)
    }
}

/// An active profile: for every request (`times: None`) or for the first `times` requests the
/// bank receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FaultSpec {
    /// The profile.
    pub profile: FaultProfile,
    /// How many requests (from the bank's first) it applies to; `None` = all.
    pub times: Option<u32>,
}

impl FaultSpec {
    /// Active for every request.
    pub const fn always(profile: FaultProfile) -> Self {
        Self {
            profile,
            times: None,
        }
    }

    /// Active for the first `n` requests.
    pub const fn first(profile: FaultProfile, n: u32) -> Self {
        Self {
            profile,
            times: Some(n),
        }
    }

    /// Parses `NAME` or `NAME:N` (N ≥ 1).
    pub fn parse(spec: &str) -> Result<Self, FaultParseError> {
        match spec.split_once(':') {
            None => Ok(Self::always(FaultProfile::from_name(spec)?)),
            Some((name, count)) => {
                let profile = FaultProfile::from_name(name)?;
                let n: u32 = count.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                    FaultParseError::BadCount {
                        spec: spec.to_owned(),
                    }
                })?;
                Ok(Self::first(profile, n))
            }
        }
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.times {
            None => f.write_str(self.profile.name()),
            Some(n) => write!(f, "{}:{n}", self.profile.name()),
        }
    }
}

impl FromStr for FaultSpec {
    type Err = FaultParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The profiles in force for one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ActiveFaults(Vec<FaultProfile>);

impl ActiveFaults {
    /// Whether `profile` is in force.
    pub(crate) fn has(&self, profile: FaultProfile) -> bool {
        self.0.contains(&profile)
    }
}

/// Counts requests against each spec's `times` (shared by all requests of one bank).
#[derive(Debug, Default)]
pub(crate) struct FaultSchedule {
    specs: Vec<(FaultSpec, std::sync::atomic::AtomicU32)>,
}

impl FaultSchedule {
    /// A schedule for `specs`; counting starts at the bank's first request.
    pub(crate) fn new(specs: &[FaultSpec]) -> Self {
        Self {
            specs: specs
                .iter()
                .map(|s| (*s, std::sync::atomic::AtomicU32::new(0)))
                .collect(),
        }
    }

    /// Registers one request and returns the profiles in force for it. Every limited spec
    /// counts every request, whether or not its fault changes that request's answer.
    pub(crate) fn next_request(&self) -> ActiveFaults {
        use std::sync::atomic::Ordering;
        let mut active = Vec::new();
        for (spec, used) in &self.specs {
            let live = match spec.times {
                None => true,
                Some(n) => used
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |u| {
                        (u < n).then_some(u + 1)
                    })
                    .is_ok(),
            };
            if live && !active.contains(&spec.profile) {
                active.push(spec.profile);
            }
        }
        ActiveFaults(active)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_kebab_case() {
        for p in FaultProfile::ALL {
            assert_eq!(FaultProfile::from_name(p.name()), Ok(*p));
            assert!(p
                .name()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            assert!(p.describe().ends_with('.'), "{p}");
        }
        let names: std::collections::HashSet<&str> =
            FaultProfile::ALL.iter().map(|p| p.name()).collect();
        assert_eq!(names.len(), FaultProfile::ALL.len(), "names are unique");
    }

    #[test]
    fn specs_parse_name_and_count() {
        assert_eq!(
            FaultSpec::parse("server-error:2"),
            Ok(FaultSpec::first(FaultProfile::ServerError, 2))
        );
        assert_eq!(
            FaultSpec::parse("latency"),
            Ok(FaultSpec::always(FaultProfile::Latency))
        );
        assert!(matches!(
            FaultSpec::parse("server-error:0"),
            Err(FaultParseError::BadCount { .. })
        ));
        assert!(matches!(
            FaultSpec::parse("nope"),
            Err(FaultParseError::UnknownProfile { .. })
        ));
        assert_eq!(
            FaultSpec::first(FaultProfile::RateLimited, 3).to_string(),
            "rate-limited:3"
        );
    }

    #[test]
    fn limited_specs_expire_after_n_requests() {
        let schedule = FaultSchedule::new(&[
            FaultSpec::first(FaultProfile::ServerError, 2),
            FaultSpec::always(FaultProfile::Latency),
        ]);
        let seen: Vec<bool> = (0..4)
            .map(|_| schedule.next_request().has(FaultProfile::ServerError))
            .collect();
        assert_eq!(seen, [true, true, false, false]);
        assert!(schedule.next_request().has(FaultProfile::Latency));
    }
}

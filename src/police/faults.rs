//! Named fault switches of the reference police client (`police lookup --fault NAME`): each makes
//! it subtly wrong in one way, so the police suite can prove it catches that mistake.

use crate::rules::Rule;
use std::collections::BTreeSet;

macro_rules! police_faults {
    ($($variant:ident = $name:literal : [$($rule:ident),*] : $doc:literal;)+) => {
        /// One way to be a subtly broken police client. Its name (strum: `Display`,
        /// `Into<&str>`) is the kebab-case name of the table below.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            strum::IntoStaticStr, strum::Display, strum::VariantArray,
        )]
        pub enum PoliceFault { $(#[doc = $doc] #[strum(serialize = $name)] $variant,)+ }

        impl PoliceFault {
            /// Every switch.
            pub const ALL: &'static [PoliceFault] = <PoliceFault as strum::VariantArray>::VARIANTS;

            /// The kebab-case name used on the command line.
            pub fn name(self) -> &'static str {
                self.into()
            }

            /// One line saying what the switch breaks.
            pub const fn describe(self) -> &'static str {
                match self { $(PoliceFault::$variant => $doc,)+ }
            }

            /// The police rules this switch breaks: the police suite must fail with a finding
            /// naming each of them (`requirements --proof`).
            pub const fn breaks(self) -> &'static [Rule] {
                match self { $(PoliceFault::$variant => &[$(Rule::$rule),*],)+ }
            }
        }
    };
}

police_faults! {
    SkipRegistry = "skip-registry": [PoliceRegistryBanks, PoliceStepOrder]: "Skip the registry and call every bank in the catalogue.";
    ReuseCorrelationId = "reuse-correlation-id": [PoliceHdrCorrelation]: "Send the same CorrelationID on every request.";
    VaryCaseId = "vary-case-id": [PoliceHdrCase]: "Send a fresh AccountInfoRequestID on every request instead of the case's.";
    OwnCaseId = "own-case-id": [PoliceCaseOrder]: "Use one AccountInfoRequestID of its own for the whole case instead of the order's caseID.";
    OmitRequesterId = "omit-requester-id": [PoliceHdrRequester]: "Leave out RequesterID.";
    UnencodedMandate = "unencoded-mandate": [PoliceHdrMandate]: "Send Legal-Mandate as plain text instead of URL-encoded.";
    OrderOnRegistry = "order-on-registry": [PoliceEoNotRegistry]: "Send the extradition order on registry calls too.";
    OmitOrderOn2b = "omit-order-on-2b": [PoliceEoStep2]: "Leave the extradition order out of Account details, Transactions, Cards and Roles calls.";
    CallForbiddenEndpoint = "call-forbidden-endpoint": [PoliceEoFlags]: "Call 2b endpoints the order does not allow.";
    WidenPeriod = "widen-period": [PolicePeriod]: "Ask banks for a period starting one day before the order's.";
    FirstPageOnly = "first-page-only": [PolicePagination]: "Stop after the first page instead of following next links.";
    CallDataNotDelivered = "call-data-not-delivered": [PoliceDataNotDelivered]: "Call 2b endpoints with accountReference dataNotDelivered.";
    RetryOn4xx = "retry-on-4xx": [PoliceRetry]: "Retry client errors (4xx) as if they were transient.";
    NeverRetry5xx = "never-retry-5xx": [PoliceRetry]: "Never retry server errors, rate limits or timeouts.";
    OneTokenForAll = "one-token-for-all": [PoliceTokenAudience]: "Use the first bank's token (audience) for every bank.";
    DropOnBankFailure = "drop-on-bank-failure": [PoliceFaultIsolation]: "Drop every bank's data when one bank fails.";
    PartialAsComplete = "partial-as-complete": [PoliceResultStatus]: "Report partial answers as complete.";
    GrantSignedWithEncryptionKey = "grant-signed-with-encryption-key": [PoliceTokenGrant]: "Sign the Maskinporten JWT grants with the consumer encryption key instead of the police client key (x5c still the client certificate).";
    RegistryScopeAtBanks = "registry-scope-at-banks": [PoliceTokenScope]: "Ask Maskinporten for the banks' tokens with the registry's scope bits:kundeforhold instead of bits:kontoinformasjon.";
    AccountNumberAsReference = "account-number-as-reference": [PoliceStepOrder]: "Call the 2b endpoints with the account number instead of the accountReference the Accounts answer gave.";
    CatalogueHostOnly = "catalogue-host-only": [PoliceCatalog]: "Take only the scheme, host and port of a bank's catalogue url and call the Control API at the host's root, dropping the url's path.";
    ReftypePol = "reftype-pol": [PoliceHdrReftype, PoliceRequestSchema]: "Send AdditionalReferenceIDType pol (the retired 2019-2021 value) instead of pol1.";
    OpoAlwaysFalse = "opo-always-false": [PoliceOpo]: "Send OnlyPrimaryOwner=FALSE to banks even when the order says onlyPrimaryOwner true.";
    SpacedPartyId = "spaced-party-id": [PoliceParty, PoliceRequestSchema]: "Send PartyID and CustomerID grouped with spaces as printed (DDMMYY NNNNN, NNN NNN NNN) instead of the order's digits.";
    DateTimeDates = "date-time-dates": [PoliceRequestSchema]: "Send fromDate and toDate to banks as date-times (2024-01-01T00:00:00) instead of ISO dates.";
    DropLastPage = "drop-last-page": [PoliceResultComplete]: "Leave the last page of a multi-page transaction list out of the case result.";
}

impl PoliceFault {
    /// The switch with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.name() == name)
    }
}

impl std::str::FromStr for PoliceFault {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|f| f.name()).collect();
            format!("unknown police fault {s:?}; known: {}", names.join(", "))
        })
    }
}

/// The active switches (empty for the correct reference client).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultSet(BTreeSet<PoliceFault>);

impl FaultSet {
    /// No faults.
    pub fn none() -> Self {
        Self::default()
    }

    /// Whether `fault` is on.
    pub fn has(&self, fault: PoliceFault) -> bool {
        self.0.contains(&fault)
    }

    /// Turns `fault` on.
    pub fn with(mut self, fault: PoliceFault) -> Self {
        self.0.insert(fault);
        self
    }
}

impl FromIterator<PoliceFault> for FaultSet {
    fn from_iter<I: IntoIterator<Item = PoliceFault>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for f in PoliceFault::ALL {
            assert!(seen.insert(f.name()));
            assert_eq!(f.name().parse::<PoliceFault>(), Ok(*f));
            assert!(f.describe().ends_with('.'));
        }
        assert!("nope".parse::<PoliceFault>().is_err());
    }
}

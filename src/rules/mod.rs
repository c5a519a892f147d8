//! The rule layer: every DSOP rule the harness judges, as a typed [`Rule`].
//!
//! One rule, one place: a rule is declared once here (stable ID, digest section, the side it
//! binds, how binding it is, the rule in one sentence) and every finding anywhere — a mock's
//! answer or journal entry, a bank-suite step, the police judge, a scenario's `@req-` tag —
//! names a [`Rule`], never a string. Renaming or removing a rule is a compile error at every
//! place that reports it.
//!
//! DSOP phrases many checks as recommendations ("suggested validation", digest 3.2.2, 5.5):
//! those are [`Level::Recommended`], a failure is a warning. What the documents only imply, or
//! leave open (digest 3.6, 9), is [`Level::Strict`] or accepted in every reasonable reading at
//! the mandatory level (`docs/open-points.md`).
//!
//! Must not touch: I/O, HTTP, crypto. This module only names and describes rules.

pub(crate) mod open_points;

use serde::{Serialize, Serializer};
use std::fmt;

/// Which side of Politi-Utlevering a rule binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The data provider (bank).
    Bank,
    /// The data consumer (police).
    Police,
}

/// How binding a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// "must"/"shall" in the documents: a failure fails the run.
    Mandatory,
    /// "should"/"recommended"/"suggested": a failure is a warning.
    Recommended,
    /// Not in the documents' recommendation lists but implied; checked only with `--strict`.
    Strict,
}

impl Level {
    /// The tag word (`mandatory`, `recommended`, `strict`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Mandatory => "mandatory",
            Level::Recommended => "recommended",
            Level::Strict => "strict",
        }
    }
}

/// One catalogued rule with everything a report says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// The typed rule.
    #[serde(skip)]
    pub rule: Rule,
    /// Stable ID, e.g. `BANK-EO-ENDPOINT`.
    pub id: &'static str,
    /// Digest section(s), e.g. `5.6`.
    pub section: &'static str,
    /// Who it binds.
    #[serde(rename = "party")]
    pub side: Side,
    /// How binding it is.
    pub level: Level,
    /// The rule in one sentence.
    pub text: &'static str,
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $section:literal, $side:ident, $level:ident, $text:literal;)+) => {
        /// A DSOP rule the harness judges. `Display` and `Serialize` give its stable ID.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $(
                #[doc = $text]
                $variant,
            )+
        }

        /// Every rule, bank rules first, in declaration order (`CATALOGUE[rule as usize]`).
        pub(crate) const CATALOGUE: &[Requirement] = &[
            $(Requirement {
                rule: Rule::$variant,
                id: $id,
                section: $section,
                side: Side::$side,
                level: Level::$level,
                text: $text,
            },)+
        ];
    };
}

rules! {
    BankTokenPresent = "BANK-TOKEN-PRESENT", "6.2", Bank, Mandatory,
        "A request without a bearer token is rejected with 401 ACC-010.";
    BankTokenSignature = "BANK-TOKEN-SIGNATURE", "6.2", Bank, Mandatory,
        "The token's signature is verified with Maskinporten's published keys.";
    BankTokenIssuer = "BANK-TOKEN-ISSUER", "6.2", Bank, Mandatory,
        "The token's iss is Maskinporten's issuer.";
    BankTokenAudience = "BANK-TOKEN-AUDIENCE", "6.2", Bank, Mandatory,
        "The token's aud equals the bank's catalogue base URL.";
    BankTokenExpiry = "BANK-TOKEN-EXPIRY", "6.2", Bank, Mandatory,
        "An expired token is rejected.";
    BankTokenScope = "BANK-TOKEN-SCOPE", "6.1, 6.2", Bank, Mandatory,
        "The token carries the scope bits:kontoinformasjon.";
    BankTokenConsumer = "BANK-TOKEN-CONSUMER", "4.8, 6.2", Bank, Mandatory,
        "The token's consumer is 0192:915429785.";
    BankHdrMandatory = "BANK-HDR-MANDATORY", "3.2.1", Bank, Mandatory,
        "A request missing a mandatory header or parameter is rejected with 400 ACC-001 (without the order: 400 ACC-001 or 403 ACC-011).";
    BankHdrUuid = "BANK-HDR-UUID", "3.2.2", Bank, Recommended,
        "CorrelationID and AccountInfoRequestID must be UUIDs.";
    BankHdrMandate = "BANK-HDR-MANDATE", "3.2.2, 4.1", Bank, Recommended,
        "Legal-Mandate must be URL-encoded and one of the two police mandates.";
    BankHdrRequester = "BANK-HDR-REQUESTER", "3.2.2, 4.3", Bank, Recommended,
        "RequesterID must be present.";
    BankHdrReftype = "BANK-HDR-REFTYPE", "3.2.2, 4.2", Bank, Recommended,
        "AdditionalReferenceIDType must be pol1.";
    BankParamParty = "BANK-PARAM-PARTY", "3.2.2", Bank, Recommended,
        "PartyID must be an organisation number, FNR or D-number.";
    BankParamOpo = "BANK-PARAM-OPO", "3.2.2", Bank, Recommended,
        "OnlyPrimaryOwner must be TRUE or FALSE.";
    BankParamDates = "BANK-PARAM-DATES", "3.2.1, 4.4", Bank, Mandatory,
        "fromDate and toDate are ISO dates with fromDate <= toDate.";
    BankParamTenYears = "BANK-PARAM-TEN-YEARS", "3.2.2, 4.4", Bank, Mandatory,
        "A fromDate older than ten years before today is rejected.";
    BankEoPresent = "BANK-EO-PRESENT", "4.2", Bank, Mandatory,
        "Every step-2 request must carry the extradition order.";
    BankEoFormat = "BANK-EO-FORMAT", "5.1, 5.5", Bank, Mandatory,
        "The order is a JWS compact string with the header and payload of 5.2/5.3.";
    BankEoChain = "BANK-EO-CHAIN", "5.5", Bank, Mandatory,
        "The order's x5c chain validates to the configured prosecution root.";
    BankEoSubject = "BANK-EO-SUBJECT", "5.5", Bank, Mandatory,
        "The signing certificate has OU=Påtalemyndigheten and the environment's CN.";
    BankEoSignature = "BANK-EO-SIGNATURE", "5.5", Bank, Mandatory,
        "The order's PS256 signature verifies with the certificate's key.";
    BankEoContent = "BANK-EO-CONTENT", "5.5", Bank, Recommended,
        "The order passes content checks 1-6 (mandate, reason, pair, 10 years, accountList, lifetime).";
    BankEoParty = "BANK-EO-PARTY", "5.6", Bank, Mandatory,
        "PartyID equals the order's partyID.";
    BankEoMandate = "BANK-EO-MANDATE", "5.6", Bank, Mandatory,
        "The decoded Legal-Mandate equals the order's mandate.";
    BankEoPeriod = "BANK-EO-PERIOD", "5.6", Bank, Mandatory,
        "The request period lies within the order's period.";
    BankEoOpo = "BANK-EO-OPO", "5.6", Bank, Mandatory,
        "With the order's onlyPrimaryOwner true, only OnlyPrimaryOwner=TRUE is accepted.";
    BankEoEndpoint = "BANK-EO-ENDPOINT", "5.6", Bank, Mandatory,
        "A call to an endpoint the order does not allow is answered 403 ACC-011.";
    BankEoValidServed = "BANK-EO-VALID-SERVED", "5.1, 5.6, 7.1", Bank, Mandatory,
        "A request that matches a valid order is served (200).";
    BankEoCase = "BANK-EO-CASE", "4.8, 9", Bank, Strict,
        "The order's caseID equals AccountInfoRequestID.";
    BankMethod = "BANK-METHOD", "7.1", Bank, Mandatory,
        "Any method but GET is answered 405 ACC-012.";
    BankAccept = "BANK-ACCEPT", "7.2", Bank, Mandatory,
        "An Accept the bank cannot serve is answered 406 ACC-013, or disregarded (the answer as without it).";
    BankJwe = "BANK-JWE", "7.2", Bank, Mandatory,
        "200 responses are JWE (application/jose) decryptable with the consumer key; plain JSON only on Accept: application/json in test.";
    BankErrorBody = "BANK-ERROR-BODY", "3.3.6, 7.6", Bank, Mandatory,
        "Error responses are unencrypted JSON {code, message} with the documented status.";
    BankSchema = "BANK-SCHEMA", "3.3", Bank, Mandatory,
        "Every response body conforms to the Control API schemas.";
    BankPoliceProfile = "BANK-POLICE-PROFILE", "0.4, 3.6", Bank, Mandatory,
        "Fields the police profile marks 'not delivered' are absent.";
    BankShielded = "BANK-SHIELDED", "1.3", Bank, Mandatory,
        "A shielded person's Accounts is an empty list with status complete.";
    BankOpoSemantics = "BANK-OPO-SEMANTICS", "3.2.1, 4.5", Bank, Mandatory,
        "OnlyPrimaryOwner=TRUE lists owned accounts only; FALSE lists every relation.";
    BankDisposal = "BANK-DISPOSAL", "4.6", Bank, Mandatory,
        "Disposal-only accounts follow alternative 1 (partial signal) or 2 (full data).";
    BankDataNotDelivered = "BANK-DATA-NOT-DELIVERED", "3.4.3, 4.7", Bank, Recommended,
        "An account the bank will not detail is listed with accountReference dataNotDelivered.";
    BankBalance = "BANK-BALANCE", "3.4.7, 8", Bank, Mandatory,
        "Balances follow the period-end, today and closed-account rules.";
    BankPeriod = "BANK-PERIOD", "3.2.1, 7.10", Bank, Mandatory,
        "Only transactions within the requested period (inclusive) are returned.";
    BankPagination = "BANK-PAGINATION", "7.4", Bank, Mandatory,
        "Large results are paged with relative next links, >= 1000 transactions a page, no gaps or duplicates.";
    BankUnknownReference = "BANK-UNKNOWN-REFERENCE", "7.6", Bank, Mandatory,
        "An unknown accountReference is answered 404 ACC-002/ACC-003.";
    BankDataExact = "BANK-DATA-EXACT", "3.3, 8", Bank, Mandatory,
        "The data served equals the test data pack under the rules above.";
    BankRefusalStatus = "BANK-REFUSAL-STATUS", "5.6, 6.2, 7.2, 7.6, 9", Bank, Strict,
        "Where the documents leave a refusal's status open, the bank answers the harness's preferred one (docs/open-points.md).";
    BankDisposalOwnedOnly = "BANK-DISPOSAL-OWNED-ONLY", "4.6", Bank, Strict,
        "On an OnlyPrimaryOwner=TRUE request, alternative 1 gives no partial signal (TRUE asks for owned accounts only).";
    BankCardMask = "BANK-CARD-MASK", "3.4.8", Bank, Mandatory,
        "Card numbers are masked: at most the first six and last four digits shown, the rest X.";
    BankCardMaskExact = "BANK-CARD-MASK-EXACT", "3.4.8", Bank, Strict,
        "Card numbers show exactly the first six and last four digits.";
    BankOpenReadings = "BANK-OPEN-READINGS", "4.4, 9", Bank, Strict,
        "An order percent-encoded in the header is decoded, and a fromDate exactly ten years back is accepted.";
    PoliceTokenGrant = "POLICE-TOKEN-GRANT", "6.3", Police, Mandatory,
        "Tokens are obtained with a valid RFC 7523 JWT grant signed by the police client key.";
    PoliceTokenScope = "POLICE-TOKEN-SCOPE", "6.1", Police, Mandatory,
        "Each call uses a token with the scope of its endpoint.";
    PoliceTokenAudience = "POLICE-TOKEN-AUDIENCE", "1.2, 6.2", Police, Mandatory,
        "Each bank is called with a token whose aud is that bank's catalogue base URL.";
    PoliceStepOrder = "POLICE-STEP-ORDER", "1.2, 3", Police, Mandatory,
        "The registry is asked before the banks, and Accounts before any 2b call on its references.";
    PoliceRegistryBanks = "POLICE-REGISTRY-BANKS", "1.2", Police, Mandatory,
        "Only banks the registry returned are contacted (unless the case is explicitly direct-call).";
    PoliceCatalog = "POLICE-CATALOG", "1.2", Police, Mandatory,
        "Bank base URLs come from Felles datakatalog, not hard-coded.";
    PoliceHdrCorrelation = "POLICE-HDR-CORRELATION", "3.2.1, 7.8", Police, Mandatory,
        "CorrelationID is a UUID unique per request.";
    PoliceHdrCase = "POLICE-HDR-CASE", "3.2.1, 7.8", Police, Mandatory,
        "AccountInfoRequestID is a UUID, identical for every call of the case.";
    PoliceCaseOrder = "POLICE-CASE-ORDER", "4.8, 9", Police, Strict,
        "AccountInfoRequestID equals the order's caseID.";
    PoliceHdrMandate = "POLICE-HDR-MANDATE", "4.1, 5.6", Police, Mandatory,
        "Legal-Mandate is the URL-encoded police mandate equal to the order's mandate.";
    PoliceHdrRequester = "POLICE-HDR-REQUESTER", "4.3", Police, Mandatory,
        "RequesterID is present and stable for the case handler.";
    PoliceHdrReftype = "POLICE-HDR-REFTYPE", "4.2", Police, Mandatory,
        "AdditionalReferenceIDType is pol1 on every step-2 call.";
    PoliceEoStep2 = "POLICE-EO-STEP2", "4.2", Police, Mandatory,
        "Every step-2 call carries the extradition order.";
    PoliceEoNotRegistry = "POLICE-EO-NOT-REGISTRY", "4.2", Police, Mandatory,
        "Registry calls never carry the extradition order.";
    PoliceEoFlags = "POLICE-EO-FLAGS", "5.6", Police, Mandatory,
        "Only endpoints the order allows are called.";
    PolicePeriod = "POLICE-PERIOD", "5.6", Police, Mandatory,
        "The requested period lies within the order's period.";
    PoliceOpo = "POLICE-OPO", "5.6", Police, Mandatory,
        "OnlyPrimaryOwner is TRUE whenever the order's onlyPrimaryOwner is true.";
    PoliceParty = "POLICE-PARTY", "5.6", Police, Mandatory,
        "PartyID and CustomerID equal the order's partyID.";
    PolicePagination = "POLICE-PAGINATION", "7.4", Police, Mandatory,
        "next links are followed to the last page, with the same headers.";
    PoliceDataNotDelivered = "POLICE-DATA-NOT-DELIVERED", "4.7", Police, Mandatory,
        "No 2b call is made with accountReference dataNotDelivered.";
    PoliceRetry = "POLICE-RETRY", "7.6", Police, Recommended,
        "5xx, 429 and timeouts are retried with backoff (bounded); 4xx are not retried.";
    PoliceRequestSchema = "POLICE-REQUEST-SCHEMA", "2.1, 3.2", Police, Mandatory,
        "Every request conforms to the request schemas of the police profile.";
    PoliceResultComplete = "POLICE-RESULT-COMPLETE", "1.2, 7.5", Police, Mandatory,
        "The case result holds exactly what the banks served, per bank.";
    PoliceResultStatus = "POLICE-RESULT-STATUS", "3.4.1, 4.6, 7.5", Police, Mandatory,
        "A partial answer is reported as partial with the bank's message; failures with their reason.";
    PoliceFaultIsolation = "POLICE-FAULT-ISOLATION", "7.6", Police, Mandatory,
        "One bank's failure does not lose other banks' data.";
}

impl Rule {
    /// Everything the catalogue says about this rule.
    pub fn requirement(self) -> &'static Requirement {
        &CATALOGUE[self as usize]
    }

    /// The stable ID, e.g. `BANK-EO-ENDPOINT`.
    pub fn id(self) -> &'static str {
        self.requirement().id
    }

    /// Digest section(s).
    pub fn section(self) -> &'static str {
        self.requirement().section
    }

    /// How binding the rule is.
    pub fn level(self) -> Level {
        self.requirement().level
    }

    /// Which side it binds.
    pub fn side(self) -> Side {
        self.requirement().side
    }

    /// The rule in one sentence.
    pub fn text(self) -> &'static str {
        self.requirement().text
    }

    /// The rule with this ID.
    pub fn from_id(id: &str) -> Option<Rule> {
        find(id).map(|r| r.rule)
    }

    /// Every rule, in catalogue order.
    pub fn all() -> impl Iterator<Item = Rule> {
        CATALOGUE.iter().map(|r| r.rule)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// The catalogued requirement with this ID.
pub(crate) fn find(id: &str) -> Option<&'static Requirement> {
    CATALOGUE.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalogue_order_is_the_enum_order() {
        for (i, r) in CATALOGUE.iter().enumerate() {
            assert_eq!(r.rule as usize, i, "{}", r.id);
            assert_eq!(Rule::from_id(r.id), Some(r.rule));
        }
    }

    #[test]
    fn ids_are_unique_and_prefixed_by_side() {
        let mut seen = HashSet::new();
        for r in CATALOGUE {
            assert!(seen.insert(r.id), "duplicate {}", r.id);
            let prefix = match r.side {
                Side::Bank => "BANK-",
                Side::Police => "POLICE-",
            };
            assert!(r.id.starts_with(prefix), "{}", r.id);
            assert!(!r.section.is_empty() && r.text.ends_with('.'), "{}", r.id);
        }
        assert_eq!(Rule::BankEoEndpoint.level(), Level::Mandatory);
        assert_eq!(Rule::BankEoEndpoint.to_string(), "BANK-EO-ENDPOINT");
        assert_eq!(
            serde_json::to_string(&Rule::PoliceHdrRequester)
                .ok()
                .as_deref(),
            Some("\"POLICE-HDR-REQUESTER\"")
        );
    }
}

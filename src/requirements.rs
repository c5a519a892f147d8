//! The requirement catalogue: every rule the harness judges, with a stable ID, the digest
//! section it comes from, who it binds (bank or police) and whether it is mandatory.
//!
//! Mock journals, scenario tags (`@req-<ID>`) and the reports' coverage table all speak these
//! IDs, so a reader can go from a failed check to the rule and from the rule to the DSOP text.
//! DSOP phrases many checks as recommendations ("suggested validation", digest 3.2.2, 5.5); those
//! are `Level::Recommended`: a failure is a warning, not a failed run.

/// Which side of Politi-Utlevering a requirement binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Party {
    /// The data provider (bank).
    Bank,
    /// The data consumer (police).
    Police,
}

/// How binding a requirement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// "must"/"shall" in the documents: a failure fails the run.
    Mandatory,
    /// "should"/"recommended"/"suggested": a failure is a warning.
    Recommended,
    /// Not in the documents' recommendation lists but implied; checked only with `--strict`.
    Strict,
}

/// One rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Requirement {
    /// Stable ID, e.g. `BANK-EO-ENDPOINT`.
    pub id: &'static str,
    /// Digest section(s), e.g. `5.6`.
    pub section: &'static str,
    /// Who it binds.
    pub party: Party,
    /// How binding it is.
    pub level: Level,
    /// The rule in one sentence.
    pub text: &'static str,
}

macro_rules! catalogue {
    ($($id:literal, $section:literal, $party:ident, $level:ident, $text:literal;)+) => {
        /// Every requirement, bank rules first.
        pub const CATALOGUE: &[Requirement] = &[
            $(Requirement { id: $id, section: $section, party: Party::$party, level: Level::$level, text: $text },)+
        ];
    };
}

catalogue! {
    "BANK-TOKEN-PRESENT", "6.2", Bank, Mandatory, "A request without a bearer token is rejected with 401 ACC-010.";
    "BANK-TOKEN-SIGNATURE", "6.2", Bank, Mandatory, "The token's signature is verified with Maskinporten's published keys.";
    "BANK-TOKEN-ISSUER", "6.2", Bank, Mandatory, "The token's iss is Maskinporten's issuer.";
    "BANK-TOKEN-AUDIENCE", "6.2", Bank, Mandatory, "The token's aud equals the bank's catalogue base URL.";
    "BANK-TOKEN-EXPIRY", "6.2", Bank, Mandatory, "An expired token is rejected.";
    "BANK-TOKEN-SCOPE", "6.1, 6.2", Bank, Mandatory, "The token carries the scope bits:kontoinformasjon.";
    "BANK-TOKEN-CONSUMER", "4.8, 6.2", Bank, Mandatory, "The token's consumer is 0192:915429785.";
    "BANK-HDR-MANDATORY", "3.2.1", Bank, Mandatory, "A request missing a mandatory header or parameter is rejected with 400 ACC-001 (without the order: 400 ACC-001 or 403 ACC-011).";
    "BANK-HDR-UUID", "3.2.2", Bank, Recommended, "CorrelationID and AccountInfoRequestID must be UUIDs.";
    "BANK-HDR-MANDATE", "3.2.2, 4.1", Bank, Recommended, "Legal-Mandate must be URL-encoded and one of the two police mandates.";
    "BANK-HDR-REQUESTER", "3.2.2, 4.3", Bank, Recommended, "RequesterID must be present.";
    "BANK-HDR-REFTYPE", "3.2.2, 4.2", Bank, Recommended, "AdditionalReferenceIDType must be pol1.";
    "BANK-PARAM-PARTY", "3.2.2", Bank, Recommended, "PartyID must be an organisation number, FNR or D-number.";
    "BANK-PARAM-OPO", "3.2.2", Bank, Recommended, "OnlyPrimaryOwner must be TRUE or FALSE.";
    "BANK-PARAM-DATES", "3.2.1, 4.4", Bank, Mandatory, "fromDate and toDate are ISO dates with fromDate <= toDate.";
    "BANK-PARAM-TEN-YEARS", "3.2.2, 4.4", Bank, Mandatory, "A fromDate older than ten years before today is rejected.";
    "BANK-EO-PRESENT", "4.2", Bank, Mandatory, "Every step-2 request must carry the extradition order.";
    "BANK-EO-FORMAT", "5.1, 5.5", Bank, Mandatory, "The order is a JWS compact string with the header and payload of 5.2/5.3.";
    "BANK-EO-CHAIN", "5.5", Bank, Mandatory, "The order's x5c chain validates to the configured prosecution root.";
    "BANK-EO-SUBJECT", "5.5", Bank, Mandatory, "The signing certificate has OU=Påtalemyndigheten and the environment's CN.";
    "BANK-EO-SIGNATURE", "5.5", Bank, Mandatory, "The order's PS256 signature verifies with the certificate's key.";
    "BANK-EO-CONTENT", "5.5", Bank, Recommended, "The order passes content checks 1-6 (mandate, reason, pair, 10 years, accountList, lifetime).";
    "BANK-EO-PARTY", "5.6", Bank, Mandatory, "PartyID equals the order's partyID.";
    "BANK-EO-MANDATE", "5.6", Bank, Mandatory, "The decoded Legal-Mandate equals the order's mandate.";
    "BANK-EO-PERIOD", "5.6", Bank, Mandatory, "The request period lies within the order's period.";
    "BANK-EO-OPO", "5.6", Bank, Mandatory, "With the order's onlyPrimaryOwner true, only OnlyPrimaryOwner=TRUE is accepted.";
    "BANK-EO-ENDPOINT", "5.6", Bank, Mandatory, "A call to an endpoint the order does not allow is answered 403 ACC-011.";
    "BANK-EO-CASE", "4.8, 9", Bank, Strict, "The order's caseID equals AccountInfoRequestID.";
    "BANK-METHOD", "7.1", Bank, Mandatory, "Any method but GET is answered 405 ACC-012.";
    "BANK-ACCEPT", "7.2", Bank, Mandatory, "An Accept the bank cannot serve is answered 406 ACC-013, or disregarded (the answer as without it).";
    "BANK-JWE", "7.2", Bank, Mandatory, "200 responses are JWE (application/jose) decryptable with the consumer key; plain JSON only on Accept: application/json in test.";
    "BANK-ERROR-BODY", "3.3.6, 7.6", Bank, Mandatory, "Error responses are unencrypted JSON {code, message} with the documented status.";
    "BANK-SCHEMA", "3.3", Bank, Mandatory, "Every response body conforms to the Control API schemas.";
    "BANK-POLICE-PROFILE", "0.4, 3.6", Bank, Mandatory, "Fields the police profile marks 'not delivered' are absent.";
    "BANK-SHIELDED", "1.3", Bank, Mandatory, "A shielded person's Accounts is an empty list with status complete.";
    "BANK-OPO-SEMANTICS", "3.2.1, 4.5", Bank, Mandatory, "OnlyPrimaryOwner=TRUE lists owned accounts only; FALSE lists every relation.";
    "BANK-DISPOSAL", "4.6", Bank, Mandatory, "Disposal-only accounts follow alternative 1 (partial signal) or 2 (full data).";
    "BANK-DATA-NOT-DELIVERED", "3.4.3, 4.7", Bank, Recommended, "An account the bank will not detail is listed with accountReference dataNotDelivered.";
    "BANK-BALANCE", "3.4.7, 8", Bank, Mandatory, "Balances follow the period-end, today and closed-account rules.";
    "BANK-PERIOD", "3.2.1, 7.10", Bank, Mandatory, "Only transactions within the requested period (inclusive) are returned.";
    "BANK-PAGINATION", "7.4", Bank, Mandatory, "Large results are paged with relative next links, >= 1000 transactions a page, no gaps or duplicates.";
    "BANK-UNKNOWN-REFERENCE", "7.6", Bank, Mandatory, "An unknown accountReference is answered 404 ACC-002/ACC-003.";
    "BANK-DATA-EXACT", "3.3, 8", Bank, Mandatory, "The data served equals the test data pack under the rules above.";
    "BANK-REFUSAL-STATUS", "5.6, 6.2, 7.2, 7.6, 9", Bank, Strict, "Where the documents leave a refusal's status open, the bank answers the harness's preferred one (docs/open-points.md).";
    "BANK-DISPOSAL-OWNED-ONLY", "4.6", Bank, Strict, "On an OnlyPrimaryOwner=TRUE request, alternative 1 gives no partial signal (TRUE asks for owned accounts only).";
    "BANK-CARD-MASK-EXACT", "3.4.8", Bank, Strict, "Card numbers show exactly the first six and last four digits.";
    "BANK-OPEN-READINGS", "4.4, 9", Bank, Strict, "An order percent-encoded in the header is decoded, and a fromDate exactly ten years back is accepted.";
    "POLICE-TOKEN-GRANT", "6.3", Police, Mandatory, "Tokens are obtained with a valid RFC 7523 JWT grant signed by the police client key.";
    "POLICE-TOKEN-SCOPE", "6.1", Police, Mandatory, "Each call uses a token with the scope of its endpoint.";
    "POLICE-TOKEN-AUDIENCE", "1.2, 6.2", Police, Mandatory, "Each bank is called with a token whose aud is that bank's catalogue base URL.";
    "POLICE-STEP-ORDER", "1.2, 3", Police, Mandatory, "The registry is asked before the banks, and Accounts before any 2b call on its references.";
    "POLICE-REGISTRY-BANKS", "1.2", Police, Mandatory, "Only banks the registry returned are contacted (unless the case is explicitly direct-call).";
    "POLICE-CATALOG", "1.2", Police, Mandatory, "Bank base URLs come from Felles datakatalog, not hard-coded.";
    "POLICE-HDR-CORRELATION", "3.2.1, 7.8", Police, Mandatory, "CorrelationID is a UUID unique per request.";
    "POLICE-HDR-CASE", "3.2.1, 4.8, 7.8", Police, Mandatory, "AccountInfoRequestID is a UUID, constant in the case and equal to the order's caseID.";
    "POLICE-HDR-MANDATE", "4.1, 5.6", Police, Mandatory, "Legal-Mandate is the URL-encoded police mandate equal to the order's mandate.";
    "POLICE-HDR-REQUESTER", "4.3", Police, Mandatory, "RequesterID is present and stable for the case handler.";
    "POLICE-HDR-REFTYPE", "4.2", Police, Mandatory, "AdditionalReferenceIDType is pol1 on every step-2 call.";
    "POLICE-EO-STEP2", "4.2", Police, Mandatory, "Every step-2 call carries the extradition order.";
    "POLICE-EO-NOT-REGISTRY", "4.2", Police, Mandatory, "Registry calls never carry the extradition order.";
    "POLICE-EO-FLAGS", "5.6", Police, Mandatory, "Only endpoints the order allows are called.";
    "POLICE-PERIOD", "5.6", Police, Mandatory, "The requested period lies within the order's period.";
    "POLICE-OPO", "5.6", Police, Mandatory, "OnlyPrimaryOwner is TRUE whenever the order's onlyPrimaryOwner is true.";
    "POLICE-PARTY", "5.6", Police, Mandatory, "PartyID and CustomerID equal the order's partyID.";
    "POLICE-PAGINATION", "7.4", Police, Mandatory, "next links are followed to the last page, with the same headers.";
    "POLICE-DATA-NOT-DELIVERED", "4.7", Police, Mandatory, "No 2b call is made with accountReference dataNotDelivered.";
    "POLICE-RETRY", "7.6", Police, Recommended, "5xx, 429 and timeouts are retried with backoff (bounded); 4xx are not retried.";
    "POLICE-REQUEST-SCHEMA", "2.1, 3.2", Police, Mandatory, "Every request conforms to the request schemas of the police profile.";
    "POLICE-RESULT-COMPLETE", "1.2, 7.5", Police, Mandatory, "The case result holds exactly what the banks served, per bank.";
    "POLICE-RESULT-STATUS", "3.4.1, 4.6, 7.5", Police, Mandatory, "A partial answer is reported as partial with the bank's message; failures with their reason.";
    "POLICE-FAULT-ISOLATION", "7.6", Police, Mandatory, "One bank's failure does not lose other banks' data.";
}

/// The requirement with this ID.
pub fn find(id: &str) -> Option<&'static Requirement> {
    CATALOGUE.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_prefixed_by_party() {
        let mut seen = HashSet::new();
        for r in CATALOGUE {
            assert!(seen.insert(r.id), "duplicate {}", r.id);
            let prefix = match r.party {
                Party::Bank => "BANK-",
                Party::Police => "POLICE-",
            };
            assert!(r.id.starts_with(prefix), "{}", r.id);
            assert!(!r.section.is_empty() && r.text.ends_with('.'), "{}", r.id);
        }
        assert_eq!(
            find("BANK-EO-ENDPOINT").map(|r| r.level),
            Some(Level::Mandatory)
        );
    }
}

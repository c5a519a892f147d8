//! The open-points audit: for every rule of the catalogue ([`super::Rule`])
//! the sentence of the digest it rests on, the readings its level accepts where the digest
//! leaves room (unknown, contradictory — digest 3.6 —, open — digest 9 —, only implied, or a
//! *Decision* of ours), and where the harness's own preferred reading is checked instead; and
//! the same for every refusal of the mock ecosystem. Principle: the mandatory level accepts
//! every reasonable reading; a preference is checked at `@strict` (or `@recommended`).
//!
//! Data only, keyed by [`Rule`], beside the rules themselves. `docs/open-points.md`
//! is generated from it (`dsop-harness requirements --open-points`); a test fails when that file
//! is stale, when a catalogued rule has no row, and when a `@mandatory` scenario names a rule
//! without a digest sentence.

use super::{Rule, Side, CATALOGUE};
use std::fmt::Write as _;

/// One rule's audit row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenPoint {
    /// The rule.
    pub rule: Rule,
    /// Digest section of the sentence quoted.
    pub section: &'static str,
    /// The sentence of the digest the rule rests on, quoted (shortened with `…`).
    pub sentence: &'static str,
    /// What the rule's level accepts (answers, values, behaviours), and why where it is wider
    /// than one reading.
    pub accepted: &'static str,
    /// Where the harness's preferred reading is checked (`@strict` rule/scenario), or `—`.
    pub preference: &'static str,
}

/// One refusal of a mock (what a client must do to get past it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MockRefusal {
    /// The mock (`maskinporten`, `registry`, `bank`).
    pub mock: &'static str,
    /// What is checked.
    pub check: &'static str,
    /// The digest section (or outside source) it rests on.
    pub basis: &'static str,
    /// What the mock accepts.
    pub accepted: &'static str,
}

macro_rules! points {
    ($($rule:ident, $section:literal, $sentence:literal, $accepted:literal, $preference:literal;)+) => {
        /// One row per catalogued rule, in catalogue order.
        pub(crate) const OPEN_POINTS: &[OpenPoint] = &[
            $(OpenPoint { rule: Rule::$rule, section: $section, sentence: $sentence, accepted: $accepted, preference: $preference },)+
        ];
    };
}

points! {
    BankTokenPresent, "6.2", "A consumer must never get API access without a valid token.",
        "401 ACC-010 (7.6: \"missing/invalid authentication information\").", "—";
    BankTokenSignature, "6.2", "signature | verify locally; signing keys from Maskinporten's `.well-known` metadata",
        "401 ACC-010 for a bad signature, another key, an unknown kid, alg none, a malformed token (7.6: invalid authentication information).", "—";
    BankTokenIssuer, "6.2", "`iss` | Maskinporten's issuer URI",
        "401 ACC-010.", "—";
    BankTokenAudience, "6.2", "`aud` | URI equal to the base URL registered for the bank's endpoint in the API catalogue; **must** be validated by the bank.",
        "401 ACC-010 or 403 ACC-011: a genuine token for another audience is \"invalid authentication information\" or \"not authorised\" (7.6 gives no status per claim).", "401 ACC-010: `BANK-REFUSAL-STATUS` (`tokens.feature`, preferred status).";
    BankTokenExpiry, "6.2", "`exp`, `iat` | token lifetime in the Control Information solution is **120 seconds**",
        "401 ACC-010 for an expired or future token. The suite mints 120 s tokens; a bank may allow 600 s (9 row 11: the FAQ example shows 600) — no scenario asks it to refuse a long-lived token.", "—";
    BankTokenScope, "6.2", "`scope` | must contain the scope for the called endpoint (6.1).",
        "401 ACC-010 or 403 ACC-011 (status not documented).", "403 ACC-011 (RFC 6750 insufficient_scope): `BANK-REFUSAL-STATUS`.";
    BankTokenConsumer, "4.8, 6.2", "`consumer` | … for the police `0192:915429785`. Use this to validate the client.",
        "401 ACC-010 or 403 ACC-011 (status not documented).", "403 ACC-011: `BANK-REFUSAL-STATUS`.";
    BankHdrMandatory, "3.2.1, 7.6", "Follow standard HTTP status semantics **and** return an error body with a machine code and a readable description (7.6); the matrix marks the inputs M (3.2.1).",
        "400 ACC-001 for a missing M input (HTTP: bad request; 7.6: 400 = ACC-001). Without the order (AdditionalReferenceID): 400 ACC-001 or 403 ACC-011 (5.6 hint: \"malformed or missing EO/pol1 → 400\"; \"not authorised\" is as reasonable).", "400 ACC-001 for a missing order: `BANK-REFUSAL-STATUS` (`headers.feature`).";
    BankHdrUuid, "3.2.2", "AccountInfoRequestID (M) | UUID reference to the case number | format check",
        "400 ACC-001 (recommended: \"suggested validation\").", "—";
    BankHdrMandate, "3.2.2, 4.1", "must be in encoded form; validate against the police legal framework",
        "Unencoded: 400 ACC-001. A foreign or historical mandate: 400 ACC-001 or 403 ACC-011 (not stated). Both encoders of 4.1 (`(3)` and `%283%29`) and either hex case are valid input.", "400 ACC-001: `BANK-REFUSAL-STATUS`.";
    BankHdrRequester, "3.2.2, 4.3", "RequesterID (O) | representation of the investigator's user ID | a value **must** be present",
        "400 ACC-001 for a missing or empty RequesterID (recommended: the bank \"should require\" it, 4.3).", "—";
    BankHdrReftype, "4.2", "`AdditionalReferenceIDType` = **`pol1`** on every step-2 call [POL].",
        "Missing, `srf` or `pol`: 400 ACC-001 or 403 ACC-011 (status not stated; `srf` is another service).", "400 ACC-001: `BANK-REFUSAL-STATUS`.";
    BankParamParty, "3.2.2", "PartyID (M) | control object: org. no., FNR or D-number | format check",
        "400 ACC-001.", "—";
    BankParamOpo, "3.2.2", "OnlyPrimaryOwner (M) | `\"FALSE\"` or `\"TRUE\"` | format check",
        "400 ACC-001 for a value that is no boolean. The suite sends the police page's `TRUE`/`FALSE`; a bank may accept any case (9 row 15).", "—";
    BankParamDates, "3.2.1, 4.4", "`toDate`: \"a date newer than or equal to `fromDate`\" in the request description",
        "400 ACC-001 for a malformed or reversed period. `toDate` before today must be served (the validation table's \"today's date\" is an expected value with \"format check\", 9 row 16).", "—";
    BankParamTenYears, "1.2, 4.4", "`fromDate`: up to 10 years before today's date; banks should reject older values [POL]. (1.2: police data coverage up to 10 years back.)",
        "Any 4xx refusal of a fromDate ten years and a day back. The exact boundary is open (9 row 17): no mandatory row asks for the day itself. Challenge: 4.4 says \"should\"; mandatory rests on the service frame of 1.2.", "The boundary day served: `BANK-OPEN-READINGS` (`extradition-order.feature`).";
    BankEoPresent, "4.2", "`AdditionalReferenceID` = the extradition order as a JWS (section 5) on every step-2 call (2a and 2b).",
        "A refusal: 400 ACC-001 or 403 ACC-011 (see `BANK-HDR-MANDATORY`).", "400 ACC-001: `BANK-REFUSAL-STATUS`.";
    BankEoFormat, "5.1, 5.5", "Order of work: (1) format → (2) certificate + signature → (3) content → (4) request-vs-EO (5.6). **All** header and payload fields are mandatory (5.1).",
        "400 ACC-001 or 403 ACC-011 for every malformed or incomplete order: the status is UNKNOWN (5.6: \"HTTP status/ACC codes for the other failures … are in the missing PDF\"; 9 row 7).", "400 ACC-001 (malformed), 403 ACC-011 (wrong alg: well-formed but unacceptable): `BANK-REFUSAL-STATUS`.";
    BankEoChain, "5.5", "Validate the chain up to the **Buypass root certificate**, which the bank must have downloaded in advance and configured as trust anchor.",
        "400 ACC-001 or 403 ACC-011 (UNKNOWN, 9 row 7).", "403 ACC-011: `BANK-REFUSAL-STATUS`.";
    BankEoSubject, "5.5", "Check the signing certificate's subject: **OU = `Påtalemyndigheten`** and **CN = `Godkjenning av utleveringspålegg`** … or … `TEST` in test.",
        "400 ACC-001 or 403 ACC-011 (UNKNOWN, 9 row 7).", "403 ACC-011: `BANK-REFUSAL-STATUS`.";
    BankEoSignature, "5.5", "Only then verify the JWS signature (PS256) with that certificate's public key.",
        "400 ACC-001 or 403 ACC-011 (UNKNOWN, 9 row 7).", "403 ACC-011: `BANK-REFUSAL-STATUS`.";
    BankEoContent, "5.5", "Content checks (recommended after a valid signature) — fields must match the formats in 5.3, and: 1. … 6.",
        "Recommended. 400 ACC-001 or 403 ACC-011 (UNKNOWN, 9 row 7). Lifetime exactly 90 days is valid (\"≤ 90 days\").", "403 ACC-011: `BANK-REFUSAL-STATUS`.";
    BankEoParty, "5.1, 5.6", "The banks use it to check that each request matches what the prosecution authority approved (5.1). partyID | `PartyID` header of the Accounts request equals EO `partyID` (5.6).",
        "400 ACC-001 or 403 ACC-011 (UNKNOWN, 5.6 last paragraph). On 2b calls the tie to the party is bank-internal (9 row 13); only the refusal is judged.", "403 ACC-011: `BANK-REFUSAL-STATUS`.";
    BankEoMandate, "5.6", "mandate | decoded `Legal-Mandate` equals EO `mandate`.",
        "400 ACC-001 or 403 ACC-011 (UNKNOWN).", "403 ACC-011: `BANK-REFUSAL-STATUS`.";
    BankEoPeriod, "5.6", "period | request `fromDate`/`toDate` are equal to, or inside, EO `fromDate`/`toDate`.",
        "400 ACC-001 or 403 ACC-011 (UNKNOWN).", "403 ACC-011: `BANK-REFUSAL-STATUS`.";
    BankEoOpo, "4.5, 5.6", "EO `false` → accept any request value; EO `true` → accept only request `TRUE`.",
        "400 ACC-001 or 403 ACC-011 (UNKNOWN).", "403 ACC-011: `BANK-REFUSAL-STATUS`.";
    BankEoEndpoint, "5.6", "A call to an endpoint whose flag is `false` → error **HTTP 403 with code `ACC-011`**.",
        "403 ACC-011 exactly (the one documented status).", "—";
    BankEoValidServed, "5.1, 5.6", "The banks use it to check that each request matches what the prosecution authority approved (5.1); each of `accountList`, `accountDetails`, `transactions`, `cards`, `roles` grants its endpoint when `true` (5.6).",
        "200 with a body that conforms (7.1: success = HTTP 200) for a valid order of either mandate, a lifetime of up to 90 days, and a request equal to or inside the order.", "—";
    BankEoCase, "4.8, 9", "implies `EO.caseID == AccountInfoRequestID`; this check is **not** in the list of recommended verifications (5.6). Treat as an optional/strict-mode check [HINT].",
        "Strict only (9 row 12).", "403 ACC-011 on a mismatch (`extradition-order.feature`, case number).";
    BankMethod, "7.1", "**Only `GET`** is supported; any other method must get an error response ([OAS2]: 405 `ACC-012`).",
        "405 ACC-012.", "—";
    BankAccept, "7.2", "[OAS2] lists `406` / `ACC-013` (Not acceptable) — presumably for unsupported `Accept` values [HINT].",
        "406 ACC-013, or the Accept disregarded (RFC 9110 12.5.1): a 200 answered as without it (JWE).", "406 ACC-013: `BANK-REFUSAL-STATUS` (`transport.feature`).";
    BankJwe, "7.2", "200, production | JSON payload encrypted as **JWE, compact serialisation**, to the consumer's certificate fetched from CertPub | `application/jose`",
        "Any JWE `alg`/`enc` the consumer key decrypts (8, 9 row 8: UNKNOWN); plain JSON only on `Accept: application/json`.", "—";
    BankErrorBody, "3.3.6, 7.6", "return an error body with a machine code and a readable description: `{\"code\": \"ACC-xxx\", \"message\": \"...\"}`",
        "Unencrypted `application/json` `{code, message}`; the status per rule as in its row.", "—";
    BankSchema, "3.3", "Paths and operation IDs from [OAS2]; field tables 3.3.1-3.3.6 (M/D/MC, OpenAPI `required`).",
        "`null` and an absent key for D fields (0.3); unknown properties (7.7 tolerant reader); the 3.6 rows as `schemas/DECISIONS.md` records.", "—";
    BankPoliceProfile, "0.4, 3.6", "Utleveres ikke | The bank will not deliver data through this field.",
        "Absent or `null` (3.6 rows 1, 3; `null` is the DSOP \"no data\", 7.3). `account.name` present or absent (3.6 row 2).", "—";
    BankShielded, "1.3", "If an API request is sent anyway, `Accounts` answers with an **empty list** and `responseDetails.status = complete`.",
        "Empty list, `complete`.", "—";
    BankOpoSemantics, "3.2.1, 4.5", "`TRUE` → accounts where PartyID is primary owner; `FALSE` → accounts where PartyID has any customer relation.",
        "Exactly the owned accounts on TRUE; on TRUE the alternative-1 `partial` signal is accepted as well as `complete` (4.6 leaves it open).", "No signal on TRUE: `BANK-DISPOSAL-OWNED-ONLY`.";
    BankDisposal, "4.6", "The police accept **two alternatives** (bank's choice).",
        "Alternative 1 (`partial` + message, owned accounts only) or 2 (owned + disposed, `complete`), the bank's choice from the pack. On `OnlyPrimaryOwner=TRUE`, alternative 1 may signal or not (not stated).", "No signal on TRUE (our *Decision*, docs/test-data-pack.md): `BANK-DISPOSAL-OWNED-ONLY`.";
    BankDataNotDelivered, "3.4.3, 4.7", "**`dataNotDelivered`** = the bank will not deliver data for this account through the other endpoints.",
        "Recommended. A 2b call with it: any 4xx refusal (4.7, 9 row 18: status unspecified).", "—";
    BankBalance, "3.4.7, 8", "Balance, account closed in period | No balance at all (null / nothing) …; Balance, end date given | Deliver the booked balance as of the end date.",
        "The pack's balances; `null` and absent count the same.", "—";
    BankPeriod, "3.2.1, 7.10", "`fromDate`/`toDate`: both dates are **inclusive**.",
        "Transactions by booking day (or `registered` without one) inside the period, ends included; zone-less and `+hh` date-times (3.4.6).", "—";
    BankPagination, "7.4", "Must support splitting large results via links …; `href` must be a **relative** URL; … at least **1000** items per page is desired.",
        "Relative `next` links, any bank-defined cursor, no gaps or duplicates; ≥ 1000 a page while more follow.", "—";
    BankUnknownReference, "7.6", "404 | `ACC-002` or `ACC-003` | the four `/accounts/{accountReference}…` endpoints only | not found (which code for which case: UNKNOWN)",
        "404 ACC-002 or 404 ACC-003.", "404 ACC-002: `BANK-REFUSAL-STATUS` (`transport.feature`).";
    BankDataExact, "3.3, 8", "Test data: synthetic data should be delivered in test environments (8); field semantics 3.4.",
        "Facts, not bytes: the bank's own references (only `dataNotDelivered` literal), free message texts, `null` = absent, card numbers masked further than the pack's (3.4.8 \"at most\"), and the alternative-1 signal on TRUE.", "Cards exactly 6+4: `BANK-CARD-MASK-EXACT`.";
    BankRefusalStatus, "5.6, 7.6, 9", "HTTP status/ACC codes for the *other* failures … are in the missing PDF — UNKNOWN. Reasonable defaults [HINT]: malformed or missing EO/`pol1` → 400 `ACC-001`; signature/chain/expiry/mismatch → 403 `ACC-011`.",
        "Strict only: our preferred status where the documents leave it open.", "This rule is the preference.";
    BankDisposalOwnedOnly, "4.6", "Return the full list of accounts the object **owns**; additionally signal that the object has disposal rights on other accounts by setting `responseDetails.status = \"partial\"`.",
        "Strict only: the signal is not given when the police asked for owned accounts only.", "This rule is the preference.";
    BankCardMask, "3.4.8", "Must be masked per PCI DSS practice; at most the **first six and last four** digits may be shown, the rest replaced by `X`, no spaces.",
        "Any mask showing at most six leading and four trailing digits (fewer is allowed; the card is matched to the pack's by the digits shown).", "Exactly 6+4: `BANK-CARD-MASK-EXACT`.";
    BankCardMaskExact, "3.4.8", "at most the **first six and last four** digits may be shown, the rest replaced by `X`",
        "Strict only: exactly six and four shown (the most the police may get).", "This rule is the preference.";
    BankOpenReadings, "4.4, 9", "Whether the EO inside the header is additionally URL-encoded | … accept both raw and percent-encoded (9 row 14); Exact 10-year computation | unspecified (9 row 17).",
        "Strict only: a percent-encoded order is decoded; the same calendar day ten years back is inside.", "This rule is the preference.";
    PoliceTokenGrant, "6.3", "Client's JWT grant (claims): `aud`, `scope`, `iss`, `exp`, `iat`, `jti`, `resource` (example); Maskinporten's own rules (Digdir \"JWT grant\").",
        "RS256/RS384/RS512; `x5c` (leaf first) or `kid`; `exp − iat` ≤ 120 s; `jti` optional (Maskinporten: recommended), a grant used once; `resource` absent, a string or a one-element array.", "—";
    PoliceTokenScope, "6.1", "`bits:kundeforhold` | registry `customerRelationships`; `bits:kontoinformasjon` | all five Control API endpoints",
        "Each call's token holds its endpoint's scope (more scopes allowed).", "—";
    PoliceTokenAudience, "1.2, 6.2", "Police obtain a Maskinporten token for the bank (scope `bits:kontoinformasjon`; `aud` = the bank's catalogue base URL) (1.2 step 1.4).",
        "Bank calls: `aud` = that bank's base URL. Registry calls: `aud` = the registry URL, or no audience restriction (a grant without `resource`: 1.2 step 1.1 asks only for the scope; 6.3 shows `resource` only for banks).", "—";
    PoliceStepOrder, "1.2, 3", "`Accounts` must always be called first; the other four use an `accountReference` obtained from it (3).",
        "Registry before the banks (except direct-call cases), Accounts before 2b per bank.", "—";
    PoliceRegistryBanks, "1.2", "Police call *Oversikt over kundeforhold* … Response: list of institutions … (1.2 step 1.2); consumers may also skip step 1 and call banks directly.",
        "Only the registry's banks; in a direct-call case only the named banks (`@recommended`, `@direct-call`).", "—";
    PoliceCatalog, "1.2", "Police look up each bank's technical base URL in Felles datakatalog (cacheable).",
        "The catalogue's URL, used as given (every call under its path); cached lookups count (one lookup before the first call).", "—";
    PoliceHdrCorrelation, "3.2.1, 7.8", "`CorrelationID` | UUID, unique per technical request",
        "Unique per request; a retry of the same request may repeat it.", "—";
    PoliceHdrCase, "3.2.1, 7.8", "AccountInfoRequestID: consumer-generated UUID for the case; identical across all calls of a logical request (7.8).",
        "Any UUID, the same on every call of the case (registry and banks); which UUID is the client's choice.", "The order's caseID: `POLICE-CASE-ORDER` (`headers.feature`).";
    PoliceCaseOrder, "4.8, 9", "implies `EO.caseID == AccountInfoRequestID`; this check is **not** in the list of recommended verifications (5.6). Treat as an optional/strict-mode check [HINT].",
        "Strict only (9 row 12: implied, not stated): a client that uses its own case UUID passes the mandatory level.", "AccountInfoRequestID = the order's caseID (`headers.feature`, strict scenario).";
    PoliceHdrMandate, "4.1, 5.6", "The header must carry the encoded form [POL] (\"the string shall be in encoded format\").",
        "Percent-encoded with `%20` (4.1), parentheses encoded or not, hex in either case; decoded equal to the order's mandate.", "—";
    PoliceHdrRequester, "4.3", "for Politi-Utlevering it **shall** contain a representation of the user ID of the police case handler/investigator",
        "Present on every step-2 call, the case handler's value.", "—";
    PoliceHdrReftype, "4.2", "`AdditionalReferenceIDType` = **`pol1`** on every step-2 call [POL].",
        "`pol1`.", "—";
    PoliceEoStep2, "4.2, 1.2", "**Every** step-2 request carries the signed EO [POL] (1.2).",
        "The order as received (raw; percent-encoded accepted by the mock banks).", "—";
    PoliceEoNotRegistry, "4.2", "Step-1 (registry) calls do **not** carry the EO [POL].",
        "No AdditionalReferenceID/AdditionalReferenceIDType on registry calls (journalled, not refused).", "—";
    PoliceEoFlags, "5.6", "each of `accountList`, `accountDetails`, `transactions`, `cards`, `roles` grants its endpoint only when `true`.",
        "No call to an endpoint whose flag is false.", "—";
    PolicePeriod, "5.6", "request `fromDate`/`toDate` are equal to, or inside, EO `fromDate`/`toDate`.",
        "Equal to or inside the order's period; `toDate` need not be today (9 row 16).", "—";
    PoliceOpo, "4.5, 5.6", "EO `true` → accept only request `TRUE`.",
        "`TRUE`/`true` in any case (9 row 15) when the order says true; either value otherwise.", "—";
    PoliceParty, "5.6", "partyID | `PartyID` header of the Accounts request equals EO `partyID`.",
        "PartyID (banks) and CustomerID (registry) equal the order's partyID.", "—";
    PolicePagination, "7.4", "`next` (next page; its **absence means this is the last page** …)",
        "Every `next` followed, with the same headers.", "—";
    PoliceDataNotDelivered, "4.7", "Consumers should not call 2b endpoints with it",
        "No 2b call with `dataNotDelivered` (mandatory: 3.4.3 \"the bank will not deliver data for this account through the other endpoints\").", "—";
    PoliceRetry, "7.6", "5xx = technical error at the provider …; clients may auto-retry 5xx.",
        "Recommended: bounded retries of 5xx/429/timeouts, none of 4xx.", "—";
    PoliceRequestSchema, "2.1, 3.2", "Parameter matrices 2.1 and 3.2.1 (location, format, obligation).",
        "Header names in any case; `OnlyPrimaryOwner`/`onlyPrimaryOwner`, `true`/`TRUE`; both mandate encoders; bank-defined paging parameters.", "—";
    PoliceResultComplete, "1.2", "Police data coverage: … account list (2a); account details incl. balance, transactions, all cards …, all roles (2b) [POL].",
        "Exactly what the banks served, per bank (the contract of docs/police-vendors.md).", "—";
    PoliceResultStatus, "3.4.1, 4.6, 7.5", "`message`: when partial, explains why (so the consumer can decide on a digital letter).",
        "A bank's `partial` kept with its message; failures with a reason.", "—";
    PoliceFaultIsolation, "7.6", "5xx = technical error at the provider (e.g. database down); clients may auto-retry 5xx.",
        "Other banks' data kept when one bank fails.", "—";
}

/// The mock refusals a police client meets (and what gets past them).
pub(crate) const MOCK_REFUSALS: &[MockRefusal] = &[
    MockRefusal { mock: "maskinporten", check: "token request form", basis: "RFC 6749 / RFC 7523", accepted: "`application/x-www-form-urlencoded`, `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`, `assertion`" },
    MockRefusal { mock: "maskinporten", check: "grant signature and client", basis: "6.3; Digdir \"JWT grant\"", accepted: "RS256, RS384 or RS512, signed by the police client key; header `x5c` (leaf first, chain may follow) or `kid` = the certificate serial" },
    MockRefusal { mock: "maskinporten", check: "grant claims", basis: "6.3; Digdir \"JWT grant\"", accepted: "`aud` = the issuer, `iss` = the client ID, `scope`, `iat`/`exp` with `exp − iat` ≤ 120 s, valid now ± 10 s; `jti` optional" },
    MockRefusal { mock: "maskinporten", check: "scope", basis: "6.1", accepted: "any of `bits:kontoinformasjon`, `bits:kundeforhold`, `bits:kundeforhold.konto`" },
    MockRefusal { mock: "maskinporten", check: "resource", basis: "1.2, 6.3; RFC 8707", accepted: "none (token `aud` `unspecified`), or one base URL of the ecosystem as a string or a one-element array" },
    MockRefusal { mock: "maskinporten", check: "single use", basis: "Digdir \"JWT grant\": a JWT cannot be reused", accepted: "a grant (its `jti`, or the grant itself) used once" },
    MockRefusal { mock: "registry", check: "token", basis: "1.2, 6.1, 6.2", accepted: "`aud` = the registry URL or no audience restriction (`unspecified` or absent); police consumer; the endpoint's scope" },
    MockRefusal { mock: "registry", check: "headers", basis: "2.1, 2.3, 4.1", accepted: "`CorrelationID`, `AccountInfoRequestID` UUIDs; `Legal-Mandate` percent-encoded (either encoder, either hex case); names in any case" },
    MockRefusal { mock: "registry", check: "CustomerID / AccountID", basis: "2.1, 2.3", accepted: "FNR, D-number or org. no. (check digits); AccountID 11 digits, no MOD11 check" },
    MockRefusal { mock: "registry", check: "query", basis: "2.1, 4.4, 9 rows 15-17", accepted: "`fromDate`, `toDate` ISO, `fromDate ≤ toDate`, `fromDate` ≥ the same day ten years back; `toDate` any day; `onlyPrimaryOwner`/`OnlyPrimaryOwner` optional, any case" },
    MockRefusal { mock: "registry", check: "extradition order on a registry call", basis: "4.2", accepted: "journalled (POLICE-EO-NOT-REGISTRY), not refused" },
    MockRefusal { mock: "bank", check: "token", basis: "6.2", accepted: "`aud` = that bank's catalogue base URL, scope `bits:kontoinformasjon`, police consumer (a token without audience restriction is refused: the bank's rule)" },
    MockRefusal { mock: "bank", check: "headers and query", basis: "3.2.1, 4.1-4.4", accepted: "names in any case; `OnlyPrimaryOwner`/`onlyPrimaryOwner`, any case; either mandate encoder; `toDate` any day ≥ `fromDate`; `fromDate` ≥ the same day ten years back" },
    MockRefusal { mock: "bank", check: "extradition order", basis: "5.5, 5.6, 9 row 14", accepted: "raw or percent-encoded; the request inside the order" },
    MockRefusal { mock: "bank", check: "Accept", basis: "7.2", accepted: "absent, `application/jose`, `*/*`, `application/*`; `application/json` in the test environment" },
];

/// The rule's audit row.
pub fn find(rule: Rule) -> Option<&'static OpenPoint> {
    OPEN_POINTS.iter().find(|p| p.rule == rule)
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}

/// The markers around the generated rule table in `docs/bank-vendors.md` and
/// `docs/police-vendors.md`.
pub const VENDOR_TABLE_BEGIN: &str =
    "<!-- rules: generated by `dsop-harness requirements --vendor-table SIDE`; do not edit -->";
/// See [`VENDOR_TABLE_BEGIN`].
pub const VENDOR_TABLE_END: &str = "<!-- rules: end -->";

/// The table of every rule binding `side`, for that side's vendor doc: what the implementation
/// must do (the rule), how binding it is, the digest section, and what passes.
pub fn vendor_table(side: Side) -> String {
    let mut out = format!(
        "{VENDOR_TABLE_BEGIN}\n\n| Rule | Level | Digest | What you must do | What passes |\n|---|---|---|---|---|\n"
    );
    for r in CATALOGUE.iter().filter(|r| r.side == side) {
        let accepted = find(r.rule).map_or_else(|| "*missing*".to_owned(), |p| cell(p.accepted));
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {accepted} |",
            r.id,
            r.level.as_str(),
            r.section,
            cell(r.text)
        );
    }
    out.push('\n');
    out.push_str(VENDOR_TABLE_END);
    out.push('\n');
    out
}

/// The Markdown of `docs/open-points.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Open points: what each rule rests on, and which readings it accepts\n\n\
         Generated by `dsop-harness requirements --open-points` from `src/rules/open_points.rs` and the \
         rule catalogue; do not edit by hand (a test fails when this file is stale).\n\n\
         The policy: *mandatory* means a sentence of the documentation requires it. Where the \
         digest says a thing is UNKNOWN, contradictory (digest 3.6), open (digest 9) or only \
         implied, or where our own docs call something a *Decision*, the mandatory (and \
         recommended) level accepts every reasonable reading, and the harness's preferred \
         reading is checked by a `@strict` rule instead (a warning; an error with `--strict`). \
         DSOP forvaltning can challenge any line: the sentence quoted is the whole basis of \
         the rule's level.\n",
    );
    for (side, title) in [
        (Side::Bank, "Bank (data provider)"),
        (Side::Police, "Police (data consumer)"),
    ] {
        let _ = write!(
            out,
            "\n## {title}\n\n\
             | Rule | Level | Digest sentence it rests on | Readings accepted | Our preference, checked at |\n\
             |---|---|---|---|---|\n"
        );
        for r in CATALOGUE.iter().filter(|r| r.side == side) {
            let (sentence, accepted, preference) = match find(r.rule) {
                Some(p) => (
                    format!("{} (digest {})", cell(p.sentence), p.section),
                    cell(p.accepted),
                    cell(p.preference),
                ),
                None => ("*missing*".into(), "*missing*".into(), "*missing*".into()),
            };
            let _ = writeln!(
                out,
                "| `{}` | {} | {sentence} | {accepted} | {preference} |",
                r.id,
                r.level.as_str()
            );
        }
    }
    out.push_str(
        "\n## Mock refusals\n\nWhat the mock ecosystem refuses, and what gets past it: as \
         tolerant as the suites (a mock that refuses a correct client is a false positive).\n\n\
         | Mock | Check | Rests on | Accepted |\n|---|---|---|---|\n",
    );
    for m in MOCK_REFUSALS {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            m.mock,
            cell(m.check),
            cell(m.basis),
            cell(m.accepted)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_rule_has_one_row_and_every_row_a_rule() {
        let mut seen = HashSet::new();
        for p in OPEN_POINTS {
            assert!(seen.insert(p.rule), "duplicate row {}", p.rule);
            assert!(
                !p.sentence.trim().is_empty()
                    && !p.section.trim().is_empty()
                    && !p.accepted.trim().is_empty()
                    && !p.preference.trim().is_empty(),
                "{} has an empty cell",
                p.rule
            );
        }
        for rule in Rule::all() {
            assert!(find(rule).is_some(), "{rule} has no open-points row");
        }
    }

    #[test]
    fn the_markdown_has_no_missing_cell() {
        let md = markdown();
        assert!(!md.contains("*missing*"));
        assert!(md.contains("`BANK-EO-FORMAT`") && md.contains("| registry |"));
    }
}

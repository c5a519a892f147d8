//! Every way an extradition order or a request under it can fail, each naming its rule, the
//! digest section it comes from, and the HTTP status + ACC code a bank should answer.

/// A failed extradition-order check. `rule()` is the stable kebab-case name used by the test
/// tables and `eo verify`; `section()` the digest section; `http()` the bank's answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EoError {
    /// Not three dot-separated segments (digest 5.1: JWS compact serialisation).
    #[error("not a JWS compact serialisation: {segments} segment(s), expected 3")]
    NotCompactJws {
        /// Number of segments found.
        segments: usize,
    },
    /// A segment is not base64url without padding.
    #[error("the {segment} segment is not base64url")]
    BadBase64 {
        /// `header`, `payload` or `signature`.
        segment: &'static str,
    },
    /// The header is not a JSON object.
    #[error("the JWS header is not a JSON object")]
    HeaderNotJson,
    /// The payload is not a JSON object.
    #[error("the JWS payload is not a JSON object")]
    PayloadNotJson,
    /// A mandatory header field is missing or not a string (digest 5.2).
    #[error("JWS header field {field:?} is missing or not a string")]
    MissingHeaderField {
        /// `alg`, `typ` or `kid`.
        field: &'static str,
    },
    /// `typ` is not `JWT` (digest 5.2).
    #[error("JWS header typ is {typ:?}, expected \"JWT\"")]
    WrongTyp {
        /// The value found.
        typ: String,
    },
    /// `alg` is not `PS256` (digest 5.2).
    #[error("JWS header alg is {alg:?}, only \"PS256\" is accepted")]
    WrongAlg {
        /// The value found.
        alg: String,
    },
    /// The header's `crit` is refused: it names an extension the verifier does not understand,
    /// or is malformed (RFC 7515 §4.1.11: MUST reject; DSOP defines no critical header,
    /// digest 5.2).
    #[error("JWS header refused: {reason}")]
    CritHeader {
        /// Which part of RFC 7515 §4.1.11 is broken.
        reason: String,
    },
    /// No JWK in the police JWKS has the header's `kid` (digest 5.5 steps 1–2).
    #[error("no key with kid {kid:?} in the prosecution JWKS")]
    UnknownKid {
        /// The kid.
        kid: String,
    },
    /// The JWK has no usable `x5c` (digest 5.5 step 3).
    #[error("JWK {kid:?} has no usable x5c certificate chain: {reason}")]
    NoCertificateChain {
        /// The kid.
        kid: String,
        /// What is wrong.
        reason: String,
    },
    /// The signing certificate (or an intermediate) has expired at the verification time.
    #[error("certificate chain is not valid at the verification time: expired")]
    CertificateExpired,
    /// The signing certificate (or an intermediate) is not yet valid at the verification time.
    #[error("certificate chain is not valid at the verification time: not yet valid")]
    CertificateNotYetValid,
    /// The chain does not lead to the configured root (digest 5.5 step 4).
    #[error("certificate chain does not validate up to the configured root: {reason}")]
    ChainInvalid {
        /// webpki's reason.
        reason: String,
    },
    /// Subject OU is not `Påtalemyndigheten` (digest 5.5 step 5).
    #[error("signing certificate OU is {found:?}, expected \"Påtalemyndigheten\"")]
    WrongOu {
        /// OU values found.
        found: Vec<String>,
    },
    /// Subject CN is not the one of the configured environment (digest 5.5 step 5).
    #[error("signing certificate CN is {found:?}, expected {expected:?} ({environment})")]
    WrongCn {
        /// CN values found.
        found: Vec<String>,
        /// CN required.
        expected: &'static str,
        /// `test` or `production`.
        environment: &'static str,
    },
    /// The PS256 signature does not verify with the certificate's key (digest 5.5 step 6).
    #[error("PS256 signature does not verify with the signing certificate's key")]
    BadSignature,
    /// A mandatory payload field is missing (digest 5.1: all fields mandatory; 5.3).
    #[error("payload field {field:?} is missing")]
    MissingField {
        /// JSON path.
        field: String,
    },
    /// A payload field has the wrong JSON type (digest 5.3).
    #[error("payload field {field:?} must be {expected}")]
    FieldType {
        /// JSON path.
        field: String,
        /// The type required.
        expected: &'static str,
    },
    /// A payload field has the wrong format (digest 5.3), as
    /// `schemas/extradition-order-payload.schema.json` states it.
    #[error("payload field {field:?} = {value:?} breaks {rule}")]
    FieldFormat {
        /// JSON path.
        field: String,
        /// The value found.
        value: String,
        /// The schema keyword and its message (or why the payload does not read).
        rule: String,
    },
    /// `version` is not `1.0.0` (digest 5.3).
    #[error("payload version is {version:?}, expected \"1.0.0\"")]
    WrongVersion {
        /// The value found.
        version: String,
    },
    /// `fromDate` is after `toDate` (digest 4.4).
    #[error("payload period is inverted: fromDate {from} is after toDate {to}")]
    PeriodInverted {
        /// fromDate.
        from: String,
        /// toDate.
        to: String,
    },
    /// Content check 1: `mandate` is not one of the two police mandates (digest 5.5, 4.1).
    #[error("content check 1: mandate {mandate:?} is not a police mandate")]
    UnknownMandate {
        /// The value found.
        mandate: String,
    },
    /// Content check 2: `reason` is not one of the two reasons (digest 5.5, 5.4).
    #[error("content check 2: reason {reason:?} is not one of the two reasons")]
    UnknownReason {
        /// The value found.
        reason: String,
    },
    /// Content check 3: mandate and reason do not form an allowed pair (digest 5.4).
    #[error("content check 3: reason does not belong to mandate {mandate:?}")]
    CrossedPair {
        /// The mandate.
        mandate: String,
    },
    /// Content check 4: `fromDate` older than ten years before today (digest 5.5, 4.4).
    #[error("content check 4: fromDate {from} is before {oldest} (ten years before today)")]
    FromDateTooOld {
        /// fromDate.
        from: String,
        /// Oldest allowed date.
        oldest: String,
    },
    /// Content check 5: `accountList` is not `true`.
    #[error("content check 5: accountList is false")]
    AccountListFalse,
    /// Content check 6: `exp` before `approvalTimestamp`.
    #[error("content check 6: exp {exp} is before approvalTimestamp {approval}")]
    ExpBeforeApproval {
        /// exp (RFC 3339).
        exp: String,
        /// approvalTimestamp.
        approval: String,
    },
    /// Content check 6: `exp − approvalTimestamp` > 90 days.
    #[error("content check 6: lifetime {seconds} s exceeds 90 days")]
    LifetimeTooLong {
        /// exp − approvalTimestamp in seconds.
        seconds: i64,
    },
    /// Content check 6: now is before `approvalTimestamp`.
    #[error("content check 6: not yet valid: approvalTimestamp {approval} is after now {now}")]
    NotYetValid {
        /// approvalTimestamp.
        approval: String,
        /// The verification time.
        now: String,
    },
    /// Content check 6: now is after `exp`.
    #[error("content check 6: expired: exp {exp} is before now {now}")]
    Expired {
        /// exp (RFC 3339).
        exp: String,
        /// The verification time.
        now: String,
    },
    /// 5.6 partyID: the request's `PartyID` differs from (or lacks) the EO `partyID`.
    #[error("request PartyID {request:?} does not equal EO partyID {order:?}")]
    PartyMismatch {
        /// The request value (None = absent).
        request: Option<String>,
        /// The EO value.
        order: String,
    },
    /// 5.6 mandate: the decoded `Legal-Mandate` differs from EO `mandate`.
    #[error("request Legal-Mandate {request:?} does not equal EO mandate {order:?}")]
    MandateMismatch {
        /// The decoded request value.
        request: String,
        /// The EO value.
        order: String,
    },
    /// 5.6 period: the request period is not inside the EO period.
    #[error("request period {from}..{to} is not inside EO period {order_from}..{order_to}")]
    PeriodOutside {
        /// Request fromDate.
        from: String,
        /// Request toDate.
        to: String,
        /// EO fromDate.
        order_from: String,
        /// EO toDate.
        order_to: String,
    },
    /// 5.6 onlyPrimaryOwner: EO `true` but the request is not `TRUE`.
    #[error("EO onlyPrimaryOwner is true but the request sends onlyPrimaryOwner={request:?}")]
    OnlyPrimaryOwner {
        /// The request value (None = absent, i.e. false).
        request: Option<bool>,
    },
    /// 5.6 endpoint access: the EO flag of the called endpoint is `false` → 403 ACC-011.
    #[error("the EO does not permit the {endpoint} endpoint ({flag} is false)")]
    EndpointNotAllowed {
        /// Endpoint name.
        endpoint: &'static str,
        /// EO flag name.
        flag: &'static str,
    },
    /// 5.6 / 4.8 case number (strict mode only): `AccountInfoRequestID` ≠ EO `caseID`.
    #[error("request AccountInfoRequestID {request:?} does not equal EO caseID {order:?}")]
    CaseIdMismatch {
        /// The request value.
        request: Option<String>,
        /// The EO value.
        order: String,
    },
}

impl EoError {
    /// Stable kebab-case rule name.
    pub fn rule(&self) -> &'static str {
        use EoError::*;
        match self {
            NotCompactJws { .. } => "format-segments",
            BadBase64 { .. } => "format-base64",
            HeaderNotJson => "format-header-json",
            PayloadNotJson => "format-payload-json",
            MissingHeaderField { .. } => "header-missing-field",
            WrongTyp { .. } => "header-typ",
            WrongAlg { .. } => "header-alg",
            CritHeader { .. } => "header-crit",
            UnknownKid { .. } => "jwk-unknown-kid",
            NoCertificateChain { .. } => "jwk-x5c",
            CertificateExpired => "cert-expired",
            CertificateNotYetValid => "cert-not-yet-valid",
            ChainInvalid { .. } => "chain",
            WrongOu { .. } => "subject-ou",
            WrongCn { .. } => "subject-cn",
            BadSignature => "signature",
            MissingField { .. } => "payload-missing-field",
            FieldType { .. } => "payload-field-type",
            FieldFormat { .. } => "payload-field-format",
            WrongVersion { .. } => "payload-version",
            PeriodInverted { .. } => "payload-period",
            UnknownMandate { .. } => "content-1-mandate",
            UnknownReason { .. } => "content-2-reason",
            CrossedPair { .. } => "content-3-pair",
            FromDateTooOld { .. } => "content-4-from-date",
            AccountListFalse => "content-5-account-list",
            ExpBeforeApproval { .. } => "content-6-exp-before-approval",
            LifetimeTooLong { .. } => "content-6-lifetime",
            NotYetValid { .. } => "content-6-not-yet-valid",
            Expired { .. } => "content-6-expired",
            PartyMismatch { .. } => "request-party",
            MandateMismatch { .. } => "request-mandate",
            PeriodOutside { .. } => "request-period",
            OnlyPrimaryOwner { .. } => "request-only-primary-owner",
            EndpointNotAllowed { .. } => "request-endpoint",
            CaseIdMismatch { .. } => "request-case-id",
        }
    }

    /// The digest section the rule comes from.
    pub fn section(&self) -> &'static str {
        use EoError::*;
        match self {
            NotCompactJws { .. } | BadBase64 { .. } | HeaderNotJson | PayloadNotJson => {
                "digest 5.1"
            }
            MissingHeaderField { .. } | WrongTyp { .. } | WrongAlg { .. } => "digest 5.2",
            CritHeader { .. } => "digest 5.2, RFC 7515 §4.1.11",
            UnknownKid { .. } => "digest 5.5 (certificate steps 1-2)",
            NoCertificateChain { .. } => "digest 5.5 (certificate step 3)",
            CertificateExpired | CertificateNotYetValid | ChainInvalid { .. } => {
                "digest 5.5 (certificate step 4)"
            }
            WrongOu { .. } | WrongCn { .. } => "digest 5.5 (certificate step 5)",
            BadSignature => "digest 5.5 (certificate step 6)",
            MissingField { .. } | FieldType { .. } | FieldFormat { .. } | WrongVersion { .. } => {
                "digest 5.3"
            }
            PeriodInverted { .. } => "digest 5.3, 4.4",
            UnknownMandate { .. } => "digest 5.5 content check 1",
            UnknownReason { .. } => "digest 5.5 content check 2",
            CrossedPair { .. } => "digest 5.5 content check 3, 5.4",
            FromDateTooOld { .. } => "digest 5.5 content check 4, 4.4",
            AccountListFalse => "digest 5.5 content check 5",
            ExpBeforeApproval { .. }
            | LifetimeTooLong { .. }
            | NotYetValid { .. }
            | Expired { .. } => "digest 5.5 content check 6",
            PartyMismatch { .. }
            | MandateMismatch { .. }
            | PeriodOutside { .. }
            | OnlyPrimaryOwner { .. }
            | EndpointNotAllowed { .. } => "digest 5.6",
            CaseIdMismatch { .. } => "digest 5.6, 4.8 (strict mode)",
        }
    }

    /// The content check number (1–6) of digest 5.5, if this is a content check.
    pub fn content_check(&self) -> Option<u8> {
        use EoError::*;
        match self {
            UnknownMandate { .. } => Some(1),
            UnknownReason { .. } => Some(2),
            CrossedPair { .. } => Some(3),
            FromDateTooOld { .. } => Some(4),
            AccountListFalse => Some(5),
            ExpBeforeApproval { .. }
            | LifetimeTooLong { .. }
            | NotYetValid { .. }
            | Expired { .. } => Some(6),
            _ => None,
        }
    }

    /// HTTP status and ACC code a bank should answer (digest 5.6; digest 9 row 7 defaults):
    /// a malformed or incomplete order → 400 `ACC-001`; everything that is well-formed but not
    /// acceptable (alg, key, chain, subject, signature, content, request mismatch, endpoint
    /// not permitted) → 403 `ACC-011`.
    pub fn http(&self) -> (u16, &'static str) {
        use EoError::*;
        match self {
            NotCompactJws { .. }
            | BadBase64 { .. }
            | HeaderNotJson
            | PayloadNotJson
            | MissingHeaderField { .. }
            | WrongTyp { .. }
            | MissingField { .. }
            | FieldType { .. }
            | FieldFormat { .. }
            | WrongVersion { .. }
            | PeriodInverted { .. } => (400, "ACC-001"),
            _ => (403, "ACC-011"),
        }
    }
}

//! Validated request values of the registry and the Control API (digest 2.1, 3.2, 4): one type
//! per header or query parameter, each with a `parse` that returns a [`ValueError`] naming the
//! parameter, the value and the rule.
//!
//! `Legal-Mandate` is [`crate::domain::mandate::LegalMandate`]; `PartyID`/`CustomerID` is
//! [`crate::domain::identifiers::PartyId`].

use crate::domain::dates::{parse_iso_date, ten_years_before, DateError};
use chrono::NaiveDate;
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// Why a request value was rejected. `name` is the header or query parameter as the Control
/// API spells it (`CorrelationID`, `OnlyPrimaryOwner`, `fromDate`, ...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Not a UUID in the canonical hyphenated 8-4-4-4-12 form.
    #[error(
        "{name} {value:?} is not a UUID in canonical hyphenated form \
         (8-4-4-4-12 hexadecimal digits; digest 3.2.1)"
    )]
    NotUuid {
        /// Header name.
        name: &'static str,
        /// The offending value.
        value: String,
    },
    /// The value is empty.
    #[error("{name} must not be empty")]
    Empty {
        /// Header or parameter name.
        name: &'static str,
    },
    /// The value has leading or trailing whitespace.
    #[error("{name} {value:?} has leading or trailing whitespace")]
    Untrimmed {
        /// Header name.
        name: &'static str,
        /// The offending value.
        value: String,
    },
    /// The value contains a control character (not allowed in an HTTP header value).
    #[error("{name} {value:?} contains a control character")]
    ControlCharacter {
        /// Header name.
        name: &'static str,
        /// The offending value.
        value: String,
    },
    /// The value is longer than this harness accepts.
    #[error("{name} is {actual} characters long; at most {max} are accepted")]
    TooLong {
        /// Header name.
        name: &'static str,
        /// Maximum number of characters.
        max: usize,
        /// Number of characters received.
        actual: usize,
    },
    /// The value is not one of the allowed spellings.
    #[error("{name} {value:?} is not one of {allowed:?}")]
    NotAllowed {
        /// Header or parameter name.
        name: &'static str,
        /// The offending value.
        value: String,
        /// The accepted values.
        allowed: &'static [&'static str],
    },
    /// A date parameter is not an ISO date `YYYY-MM-DD`.
    #[error("{name}: {source}")]
    Date {
        /// Parameter name (`fromDate` or `toDate`).
        name: &'static str,
        /// The date error, which carries the value.
        #[source]
        source: DateError,
    },
    /// `fromDate` is after `toDate` (digest 4.4).
    #[error("fromDate {from} is after toDate {to} (digest 4.4: toDate must be >= fromDate)")]
    PeriodReversed {
        /// The `fromDate` received.
        from: NaiveDate,
        /// The `toDate` received.
        to: NaiveDate,
    },
    /// `fromDate` is more than ten years before today (digest 4.4).
    #[error(
        "fromDate {from} is more than 10 years before {today}; the oldest allowed is {oldest} \
         (digest 4.4)"
    )]
    FromDateTooOld {
        /// The `fromDate` received.
        from: NaiveDate,
        /// The oldest allowed `fromDate`.
        oldest: NaiveDate,
        /// The day the check was made for.
        today: NaiveDate,
    },
}

/// Parses a UUID in canonical hyphenated form (36 characters, hyphens after 8, 12, 16 and 20
/// hex digits). Any version and variant; upper-case, lower-case and mixed-case hex are all
/// accepted because RFC 9562 §4 makes UUID text case-insensitive on input. Braced, URN and
/// hyphen-less forms are rejected: they are not what the OpenAPI `format: uuid` means.
fn parse_canonical_uuid(name: &'static str, value: &str) -> Result<Uuid, ValueError> {
    let canonical = value.len() == 36
        && value.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    let not_uuid = || ValueError::NotUuid {
        name,
        value: value.to_owned(),
    };
    if !canonical {
        return Err(not_uuid());
    }
    Uuid::parse_str(value).map_err(|_| not_uuid())
}

/// Implements `Display` (lower-case hyphenated) and `FromStr` for a UUID newtype, plus
/// `from_uuid`, `new_v4` and `as_uuid`.
macro_rules! uuid_value {
    ($type:ident, $name:literal) => {
        impl $type {
            /// The header name.
            pub const NAME: &'static str = $name;

            /// Parses a canonical hyphenated UUID (any version, hex digits in either case).
            pub fn parse(value: &str) -> Result<Self, ValueError> {
                parse_canonical_uuid(Self::NAME, value).map(Self)
            }

            /// Wraps an existing UUID.
            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// A fresh random (version 4) UUID, as a consumer generates per request or case.
            pub fn new_v4() -> Self {
                Self(Uuid::new_v4())
            }

            /// The UUID. Compare these (not strings) when matching, e.g. an extradition
            /// order's `caseID` against `AccountInfoRequestID`.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $type {
            /// Lower-case hyphenated form, whatever case the input used.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl FromStr for $type {
            type Err = ValueError;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::parse(value)
            }
        }
    };
}

/// `CorrelationID` header: a UUID unique per technical request, logged end to end (digest
/// 3.2.1, 7.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CorrelationId(Uuid);

uuid_value!(CorrelationId, "CorrelationID");

/// `AccountInfoRequestID` header: a UUID standing for the police case, identical across all
/// calls of the case (digest 3.2.1, 4.8, 7.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountInfoRequestId(Uuid);

uuid_value!(AccountInfoRequestId, "AccountInfoRequestID");

/// Whether two case references name the same case: the `AccountInfoRequestID` of a request and
/// the extradition order's `caseID`, or two `AccountInfoRequestID`s of one case (digest 4.8,
/// 7.8). Both are UUIDs, which compare by value (letter case does not matter); a value that is
/// not a UUID only equals the same text. The one comparison of case references in the harness.
pub(crate) fn same_case(a: &str, b: &str) -> bool {
    match (Uuid::parse_str(a.trim()), Uuid::parse_str(b.trim())) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// `RequesterID` header: a (possibly pseudonymised) representation of the police
/// investigator's user ID; technically optional, mandatory for Politi-Utlevering (digest 3.2.1,
/// 4.3).
///
/// Rules: non-empty; no leading or trailing whitespace (a header value with such whitespace
/// is not what the sender meant, and HTTP strips it anyway); no control characters; at most
/// [`RequesterId::MAX_CHARS`] characters. DSOP gives no length limit (the OpenAPI says only
/// `string`); 255 is this harness's own bound, chosen as the common database column size, and
/// is the one rule here that is an assumption rather than a documented requirement.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequesterId(String);

impl RequesterId {
    /// The header name.
    pub const NAME: &'static str = "RequesterID";
    /// Longest accepted value, in characters (harness assumption, see the type docs).
    pub const MAX_CHARS: usize = 255;

    /// Parses a `RequesterID` header value.
    pub fn parse(value: &str) -> Result<Self, ValueError> {
        let name = Self::NAME;
        if value.is_empty() {
            return Err(ValueError::Empty { name });
        }
        if value.trim() != value {
            return Err(ValueError::Untrimmed {
                name,
                value: value.to_owned(),
            });
        }
        if value.chars().any(char::is_control) {
            return Err(ValueError::ControlCharacter {
                name,
                value: value.to_owned(),
            });
        }
        let actual = value.chars().count();
        if actual > Self::MAX_CHARS {
            return Err(ValueError::TooLong {
                name,
                max: Self::MAX_CHARS,
                actual,
            });
        }
        Ok(Self(value.to_owned()))
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RequesterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for RequesterId {
    type Err = ValueError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse(value)
    }
}

/// `AdditionalReferenceIDType` header (digest 3.2.1, 3.4.14, 4.2): what
/// `AdditionalReferenceID` carries. Exact, case-sensitive match of the OpenAPI enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdditionalReferenceIdType {
    /// `pol1`: the police extradition order as a JWS (Politi-Utlevering, always this value).
    Pol1,
    /// `srf`: Vergekontroll (Statens sivilrettsforvaltning); not valid for the police service.
    Srf,
}

impl AdditionalReferenceIdType {
    /// The header name.
    pub const NAME: &'static str = "AdditionalReferenceIDType";
    /// The allowed values, as spelled on the wire.
    pub const ALLOWED: &'static [&'static str] = &["pol1", "srf"];

    /// Parses `pol1` or `srf` (exact case).
    pub fn parse(value: &str) -> Result<Self, ValueError> {
        match value {
            "pol1" => Ok(Self::Pol1),
            "srf" => Ok(Self::Srf),
            _ => Err(ValueError::NotAllowed {
                name: Self::NAME,
                value: value.to_owned(),
                allowed: Self::ALLOWED,
            }),
        }
    }

    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pol1 => "pol1",
            Self::Srf => "srf",
        }
    }

    /// True for `pol1`, the only value Politi-Utlevering uses (digest 4.2).
    pub fn is_police(self) -> bool {
        self == Self::Pol1
    }
}

impl fmt::Display for AdditionalReferenceIdType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AdditionalReferenceIdType {
    type Err = ValueError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse(value)
    }
}

/// `OnlyPrimaryOwner` query parameter (registry: `onlyPrimaryOwner`; digest 2.1, 3.2.1, 4.5).
///
/// The police text writes `TRUE`/`FALSE`, generated OpenAPI clients send `true`/`false`;
/// digest 9 row 15 settles on accepting `true` and `false` case-insensitively. Nothing else
/// is a boolean here: `1`, `0`, `yes`, the empty string and padded values are rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OnlyPrimaryOwner(bool);

impl OnlyPrimaryOwner {
    /// The Control API query parameter name.
    pub const NAME: &'static str = "OnlyPrimaryOwner";
    /// The accepted spellings (in any letter case).
    pub const ALLOWED: &'static [&'static str] = &["true", "false"];

    /// Parses `true`/`false` in any letter case.
    pub fn parse(value: &str) -> Result<Self, ValueError> {
        if value.eq_ignore_ascii_case("true") {
            Ok(Self(true))
        } else if value.eq_ignore_ascii_case("false") {
            Ok(Self(false))
        } else {
            Err(ValueError::NotAllowed {
                name: Self::NAME,
                value: value.to_owned(),
                allowed: Self::ALLOWED,
            })
        }
    }

    /// The boolean value.
    pub fn as_bool(self) -> bool {
        self.0
    }
}

impl From<bool> for OnlyPrimaryOwner {
    fn from(value: bool) -> Self {
        Self(value)
    }
}

impl fmt::Display for OnlyPrimaryOwner {
    /// `true` or `false`, lower case (what generated clients send).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for OnlyPrimaryOwner {
    type Err = ValueError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse(value)
    }
}

/// `accountReference` path parameter and response field: an opaque, non-empty reference to
/// an account (digest 3.4.3; 3.6 row 9: any non-empty string, not necessarily a UUID).
///
/// The literal `dataNotDelivered` is a police-specific marker meaning the bank will not
/// deliver data for the account through the other endpoints (digest 4.7).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountReference(String);

impl AccountReference {
    /// The parameter name.
    pub const NAME: &'static str = "accountReference";
    /// The predefined "no data through the API" value (digest 3.4.3, 4.7).
    pub const DATA_NOT_DELIVERED: &'static str = "dataNotDelivered";

    /// Accepts any non-empty string.
    pub fn parse(value: &str) -> Result<Self, ValueError> {
        if value.is_empty() {
            return Err(ValueError::Empty { name: Self::NAME });
        }
        Ok(Self(value.to_owned()))
    }

    /// The reference as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for exactly `dataNotDelivered` (case-sensitive).
    pub fn is_data_not_delivered(&self) -> bool {
        self.0 == Self::DATA_NOT_DELIVERED
    }
}

impl fmt::Display for AccountReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for AccountReference {
    type Err = ValueError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse(value)
    }
}

/// A `fromDate`–`toDate` period, both ends inclusive (digest 3.2.1, 4.4, 5.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

impl Period {
    /// Name of the start parameter.
    pub const FROM_NAME: &'static str = "fromDate";
    /// Name of the end parameter.
    pub const TO_NAME: &'static str = "toDate";

    /// Parses a request period as of `today`:
    /// * both values are ISO dates `YYYY-MM-DD` (`parse_iso_date`);
    /// * `from ≤ to`;
    /// * `from ≥ ten_years_before(today)` (same calendar day ten years back, inclusive).
    ///
    /// `toDate` is **not** required to equal today, and neither date is required to lie in the
    /// past (digest 4.4: the validation table's "today's date" is an expected value, not a
    /// rule; the request text only asks for `toDate ≥ fromDate`).
    pub fn parse(from: &str, to: &str, today: NaiveDate) -> Result<Self, ValueError> {
        let from = parse_iso_date(from).map_err(|source| ValueError::Date {
            name: Self::FROM_NAME,
            source,
        })?;
        let to = parse_iso_date(to).map_err(|source| ValueError::Date {
            name: Self::TO_NAME,
            source,
        })?;
        let period = Self::new(from, to)?;
        let oldest = ten_years_before(today);
        if from < oldest {
            return Err(ValueError::FromDateTooOld {
                from,
                oldest,
                today,
            });
        }
        Ok(period)
    }

    /// A period from already-parsed dates; checks only `from ≤ to` (for building fixtures and
    /// mock data, where the ten-year window does not apply).
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, ValueError> {
        if from > to {
            return Err(ValueError::PeriodReversed { from, to });
        }
        Ok(Self { from, to })
    }

    /// First day, inclusive.
    pub fn from(&self) -> NaiveDate {
        self.from
    }

    /// Last day, inclusive.
    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// True when `other` equals this period or lies inside it, ends inclusive (digest 5.6:
    /// the request period must equal or lie inside the extradition order's period).
    pub fn contains(&self, other: &Period) -> bool {
        self.from <= other.from && other.to <= self.to
    }

    /// True when `day` lies in the period, ends inclusive.
    pub fn contains_date(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.from, self.to)
    }
}

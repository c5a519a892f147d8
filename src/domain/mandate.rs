//! Legal mandates of Politi-Utlevering and the extradition-order reasons paired with them
//! (digest 4.1 and 5.4).
//!
//! The `Legal-Mandate` header carries the mandate URL-encoded (UTF-8 percent-encoding as
//! JavaScript's `encodeURIComponent` does it: spaces `%20`, `§` `%C2%A7`, `ø` `%C3%B8`,
//! parentheses left as they are). The extradition order's `mandate` field carries the plain
//! string. A tolerant reader percent-decodes and compares with the plain strings, so the
//! RFC 3986-strict form (`%283%29`) is accepted too; an unencoded header value is not.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::fmt;

/// Characters `encodeURIComponent` leaves alone: `A–Z a–z 0–9 - _ . ! ~ * ' ( )`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// One of the two legal bases the police may cite (digest 4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegalMandate {
    /// Criminal case (straffesak): *Straffeprosessloven §210 (3) første punktum*.
    CriminalCase,
    /// Missing-person case (forsvinningssak): *Straffeprosessloven §210 (3) andre punktum*.
    MissingPerson,
}

/// Why a mandate string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MandateError {
    /// The header value contains characters that must be percent-encoded (digest 4.1: "the
    /// string shall be in encoded format").
    #[error("Legal-Mandate {value:?} is not URL-encoded (digest 4.1 requires the encoded form)")]
    NotEncoded {
        /// The offending value.
        value: String,
    },
    /// The value is not valid percent-encoded UTF-8.
    #[error("Legal-Mandate {value:?} is not valid percent-encoded UTF-8")]
    BadEncoding {
        /// The offending value.
        value: String,
    },
    /// The value decodes to something other than the two police mandates.
    #[error("{decoded:?} is not a Politi-Utlevering mandate (digest 4.1)")]
    Foreign {
        /// The decoded value.
        decoded: String,
    },
}

impl LegalMandate {
    /// Both mandates, criminal case first.
    pub const ALL: [LegalMandate; 2] = [LegalMandate::CriminalCase, LegalMandate::MissingPerson];

    /// The plain mandate text, as the extradition order's `mandate` carries it.
    pub const fn plain(self) -> &'static str {
        match self {
            LegalMandate::CriminalCase => "Straffeprosessloven §210 (3) første punktum",
            LegalMandate::MissingPerson => "Straffeprosessloven §210 (3) andre punktum",
        }
    }

    /// The URL-encoded header value exactly as digest 4.1 prints it.
    pub const fn encoded(self) -> &'static str {
        match self {
            LegalMandate::CriminalCase => {
                "Straffeprosessloven%20%C2%A7210%20(3)%20f%C3%B8rste%20punktum"
            }
            LegalMandate::MissingPerson => {
                "Straffeprosessloven%20%C2%A7210%20(3)%20andre%20punktum"
            }
        }
    }

    /// The only extradition-order `reason` allowed with this mandate (digest 5.4).
    pub const fn reason(self) -> &'static str {
        match self {
            LegalMandate::CriminalCase => {
                "Opplysningene antas å ha betydning som bevis i straffesak der noen med skjellig \
                 grunn kan mistenkes for en straffbar handling."
            }
            LegalMandate::MissingPerson => {
                "Opplysningene antas å ha betydning i en sak hvor noen er meldt savnet, og det er \
                 grunn til å frykte at noe har tilstøtt den savnede."
            }
        }
    }

    /// Parses the plain form (extradition order `mandate`); exact match, no trimming.
    pub fn parse_plain(value: &str) -> Result<Self, MandateError> {
        Self::ALL
            .into_iter()
            .find(|m| m.plain() == value)
            .ok_or_else(|| MandateError::Foreign {
                decoded: value.to_owned(),
            })
    }

    /// Parses a `Legal-Mandate` header value: it must be percent-encoded, and must decode to
    /// one of the plain mandates.
    pub fn parse_header(value: &str) -> Result<Self, MandateError> {
        if value
            .chars()
            .any(|c| !c.is_ascii() || c.is_ascii_whitespace() || c.is_ascii_control())
        {
            return Err(MandateError::NotEncoded {
                value: value.to_owned(),
            });
        }
        let decoded =
            percent_decode_str(value)
                .decode_utf8()
                .map_err(|_| MandateError::BadEncoding {
                    value: value.to_owned(),
                })?;
        Self::parse_plain(&decoded)
    }

    /// The mandate whose reason text is exactly `reason`, if any.
    pub fn for_reason(reason: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.reason() == reason)
    }
}

impl fmt::Display for LegalMandate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.plain())
    }
}

/// Percent-encodes `text` the way `encodeURIComponent` does (the encoding digest 4.1 shows).
pub fn encode_uri_component(text: &str) -> String {
    utf8_percent_encode(text, URI_COMPONENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_the_plain_form_gives_the_documented_header_value() {
        for m in LegalMandate::ALL {
            assert_eq!(encode_uri_component(m.plain()), m.encoded(), "{m:?}");
        }
    }

    #[test]
    fn header_accepts_documented_and_strict_encodings_only() {
        let strict = "Straffeprosessloven%20%C2%A7210%20%283%29%20andre%20punktum";
        assert_eq!(
            LegalMandate::parse_header(strict),
            Ok(LegalMandate::MissingPerson)
        );
        assert_eq!(
            LegalMandate::parse_header(LegalMandate::CriminalCase.encoded()),
            Ok(LegalMandate::CriminalCase)
        );
        assert!(matches!(
            LegalMandate::parse_header(LegalMandate::CriminalCase.plain()),
            Err(MandateError::NotEncoded { .. })
        ));
        assert!(matches!(
            LegalMandate::parse_header("Hvitvaskingsloven%20%C2%A7%2026"),
            Err(MandateError::Foreign { .. })
        ));
        assert!(matches!(
            LegalMandate::parse_header("Straffeprosessloven%20%C2"),
            Err(MandateError::BadEncoding { .. })
        ));
    }

    #[test]
    fn reasons_pair_with_their_mandates_only() {
        for m in LegalMandate::ALL {
            assert_eq!(LegalMandate::for_reason(m.reason()), Some(m));
            assert!(m.reason().ends_with('.'));
        }
        assert_ne!(
            LegalMandate::CriminalCase.reason(),
            LegalMandate::MissingPerson.reason()
        );
    }
}

//! Calendar rules shared by the registry, the Control API and the extradition order
//! (digest 4.4, 5.5 content check 4, 3.4.6).

use chrono::{Months, NaiveDate};

/// Why a date string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not a calendar date in the exact form `YYYY-MM-DD`.
    #[error("{value:?} is not a date of the form YYYY-MM-DD")]
    Format {
        /// The offending value.
        value: String,
    },
}

/// Parses an ISO calendar date in exactly the form `YYYY-MM-DD` (digest 3.3: `ISODate`).
pub fn parse_iso_date(value: &str) -> Result<NaiveDate, DateError> {
    let well_formed = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !well_formed {
        return Err(DateError::Format {
            value: value.to_owned(),
        });
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| DateError::Format {
        value: value.to_owned(),
    })
}

/// The oldest `fromDate` the police may ask for on `today`: the same calendar day ten years
/// earlier (29 February maps to 28 February). Digest 4.4 leaves the arithmetic open (section 9
/// row 17); this is the reading the digest suggests, and both ends are inclusive.
pub fn ten_years_before(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(Months::new(120))
        .unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn iso_dates_must_be_exact() {
        assert_eq!(parse_iso_date("2024-02-29"), Ok(d("2024-02-29")));
        for bad in [
            "2023-02-29",
            "2024-2-29",
            "20240229",
            "2024-02-29T00:00:00",
            " 2024-02-29",
            "2024-13-01",
        ] {
            assert!(parse_iso_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ten_years_is_the_same_calendar_day() {
        assert_eq!(ten_years_before(d("2026-11-23")), d("2016-11-23"));
        assert_eq!(ten_years_before(d("2028-02-29")), d("2018-02-28"));
    }
}

//! Calendar rules shared by the registry, the Control API and the extradition order
//! (digest 4.4, 5.5 content check 4, 3.4.6).

#[cfg(test)]
use chrono::{DateTime, TimeZone};
use chrono::{FixedOffset, Months, NaiveDate, NaiveDateTime};

/// Why a date string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not a calendar date in the exact form `YYYY-MM-DD`.
    #[error("{value:?} is not a date of the form YYYY-MM-DD")]
    Format {
        /// The offending value.
        value: String,
    },
    /// Not a DSOP date-time (digest 3.4.6).
    #[error("{value:?} is not a DSOP date-time (YYYY-MM-DDThh:mm:ss with optional fraction and Z, +hh, +hh:mm)")]
    DateTimeFormat {
        /// The offending value.
        value: String,
    },
}

/// A date-time in one of the forms DSOP uses (digest 3.4.6): `YYYY-MM-DDThh:mm:ss`, optional
/// fraction, then `Z`, `+hh:mm`, the non-RFC 3339 `+hh`, or no zone at all (booking and value
/// dates are documented zone-less).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DsopDateTime {
    /// The local date and time as written.
    pub local: NaiveDateTime,
    /// The zone offset, if one was written.
    pub offset: Option<FixedOffset>,
}

impl DsopDateTime {
    /// The calendar date as written (before any zone conversion): what period filters compare.
    pub(crate) fn date(&self) -> NaiveDate {
        self.local.date()
    }

    /// The instant, when a zone was written.
    #[cfg(test)]
    pub(crate) fn instant(&self) -> Option<DateTime<FixedOffset>> {
        self.offset
            .and_then(|o| o.from_local_datetime(&self.local).single())
    }
}

/// Parses a DSOP date-time (digest 3.4.6); see [`DsopDateTime`].
pub(crate) fn parse_dsop_date_time(value: &str) -> Result<DsopDateTime, DateError> {
    let err = || DateError::DateTimeFormat {
        value: value.to_owned(),
    };
    // Split off the zone: `Z`, or a sign after the time part (index > 10 skips the date's '-').
    let (local_part, zone) = if let Some(stripped) = value.strip_suffix('Z') {
        (stripped, Some("Z"))
    } else if let Some(i) = value.rfind(['+', '-']).filter(|&i| i > 10) {
        (&value[..i], Some(&value[i..]))
    } else {
        (value, None)
    };
    let well_formed = local_part.len() >= 19
        && local_part.is_char_boundary(19)
        && local_part[..19].bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        })
        && match &local_part[19..] {
            "" => true,
            frac => {
                frac.len() > 1
                    && frac.starts_with('.')
                    && frac[1..].bytes().all(|b| b.is_ascii_digit())
            }
        };
    if !well_formed {
        return Err(err());
    }
    let local =
        NaiveDateTime::parse_from_str(local_part, "%Y-%m-%dT%H:%M:%S%.f").map_err(|_| err())?;
    let offset = match zone {
        None => None,
        Some("Z") => Some(FixedOffset::east_opt(0).ok_or_else(err)?),
        Some(z) => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let digits = &z[1..];
            let (h, m) = match digits.len() {
                2 => (digits, "00"),
                5 if digits.as_bytes()[2] == b':' => (&digits[..2], &digits[3..]),
                _ => return Err(err()),
            };
            let h: i32 = h.parse().map_err(|_| err())?;
            let m: i32 = m.parse().map_err(|_| err())?;
            if h > 23 || m > 59 {
                return Err(err());
            }
            Some(FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(err)?)
        }
    };
    Ok(DsopDateTime { local, offset })
}

/// Parses an ISO calendar date in exactly the form `YYYY-MM-DD` (digest 3.3: `ISODate`).
pub(crate) fn parse_iso_date(value: &str) -> Result<NaiveDate, DateError> {
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
    fn dsop_date_times_accept_the_documented_forms() {
        let utc = parse_dsop_date_time("2020-05-07T12:00:00Z").expect("Z");
        let cest = parse_dsop_date_time("2020-05-07T14:00:00+02").expect("+hh");
        let rfc = parse_dsop_date_time("2020-05-07T14:00:00.123+02:00").expect("+hh:mm");
        assert_eq!(utc.instant(), cest.instant(), "digest 3.4.6 equivalence");
        assert_eq!(rfc.date(), d("2020-05-07"));
        let local = parse_dsop_date_time("2024-01-18T00:00:00").expect("zone-less");
        assert_eq!(local.offset, None);
        for bad in [
            "2020-05-07",
            "2020-05-07 12:00:00",
            "2020-05-07T12:00:00+2",
            "2020-05-07T12:00:00+0200",
            "2020-05-07T25:00:00Z",
            "2020-05-07T12:00:00.Z",
            "2020-05-07T12:00:00ZZ",
        ] {
            assert!(parse_dsop_date_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ten_years_is_the_same_calendar_day() {
        assert_eq!(ten_years_before(d("2026-11-23")), d("2016-11-23"));
        assert_eq!(ten_years_before(d("2028-02-29")), d("2018-02-28"));
    }
}

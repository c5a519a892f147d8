//! Rules of `domain::values` (digest 3.2, 3.4.3, 4.4, 4.7, 5.6, 9 row 15).

use chrono::NaiveDate;
use dsop_harness::{
    AccountInfoRequestId, AccountReference, AdditionalReferenceIdType, CorrelationId, DateError,
    OnlyPrimaryOwner, Period, RequesterId, ValueError,
};
use libtest_mimic::Trial;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// `(name, test)` pairs, so each rule is its own named test.
const TESTS: &[(&str, fn())] = &[
    (
        "uuids_accept_any_version_in_either_case",
        uuids_accept_any_version_in_either_case,
    ),
    (
        "uuids_reject_non_canonical_forms",
        uuids_reject_non_canonical_forms,
    ),
    (
        "only_primary_owner_accepts_true_false_in_any_case",
        only_primary_owner_accepts_true_false_in_any_case,
    ),
    (
        "only_primary_owner_rejects_other_spellings",
        only_primary_owner_rejects_other_spellings,
    ),
    (
        "additional_reference_id_type_is_pol1_or_srf_exactly",
        additional_reference_id_type_is_pol1_or_srf_exactly,
    ),
    ("requester_id_rules", requester_id_rules),
    (
        "account_reference_is_any_non_empty_string",
        account_reference_is_any_non_empty_string,
    ),
    (
        "period_exactly_ten_years_back_is_accepted_one_day_older_is_not",
        period_ten_year_boundary,
    ),
    ("period_ten_years_back_from_29_february", period_leap_day),
    (
        "period_from_after_to_is_rejected_equal_is_accepted",
        period_order,
    ),
    (
        "period_to_date_need_not_be_today",
        period_to_need_not_be_today,
    ),
    ("period_dates_must_be_iso_calendar_dates", period_formats),
    ("period_contains_is_inclusive", period_contains),
];

pub fn trials() -> Vec<Trial> {
    TESTS
        .iter()
        .map(|&(name, test)| {
            Trial::test(format!("values::{name}"), move || {
                test();
                Ok(())
            })
        })
        .collect()
}

fn uuids_accept_any_version_in_either_case() {
    // Digest 7.8 examples: a version-4 CorrelationID and a version-1 AccountInfoRequestID.
    let v4 = "14fbc062-aacb-4449-93c1-85c352d387a4";
    let v1 = "d4a820ca-ddde-11ed-b5ea-0242ac120002";
    assert_eq!(
        CorrelationId::parse(v4)
            .unwrap()
            .as_uuid()
            .get_version_num(),
        4
    );
    assert_eq!(
        AccountInfoRequestId::parse(v1)
            .unwrap()
            .as_uuid()
            .get_version_num(),
        1
    );
    // Upper-case and mixed-case hex: same UUID, displayed lower-case.
    let upper = CorrelationId::parse(&v4.to_uppercase()).unwrap();
    assert_eq!(upper, CorrelationId::parse(v4).unwrap());
    assert_eq!(upper.to_string(), v4);
    assert!(AccountInfoRequestId::parse("D4a820CA-ddde-11ED-b5ea-0242ac120002").is_ok());
    // Version 7 and the nil UUID are syntactically UUIDs too.
    assert!(CorrelationId::parse("01890a5d-ac96-774b-bcce-b302099a8057").is_ok());
    assert!(CorrelationId::parse("00000000-0000-0000-0000-000000000000").is_ok());
    assert_eq!(v4.parse::<CorrelationId>().unwrap().to_string(), v4);
    let fresh = AccountInfoRequestId::new_v4();
    assert_eq!(
        AccountInfoRequestId::parse(&fresh.to_string()).unwrap(),
        fresh
    );
}

fn uuids_reject_non_canonical_forms() {
    for bad in [
        "",
        "14fbc062aacb444993c185c352d387a4",
        "{14fbc062-aacb-4449-93c1-85c352d387a4}",
        "urn:uuid:14fbc062-aacb-4449-93c1-85c352d387a4",
        " 14fbc062-aacb-4449-93c1-85c352d387a4",
        "14fbc062-aacb-4449-93c1-85c352d387a4 ",
        "14fbc062-aacb-4449-93c1-85c352d387a",
        "14fbc062-aacb-4449-93c1-85c352d387a4a",
        "14fbc062-aacb-4449-93c185c-352d387a4",
        "14fbc062-aacb-4449-93c1-85c352d387g4",
        "14fbc062_aacb_4449_93c1_85c352d387a4",
        "case-2024-0001",
    ] {
        assert_eq!(
            CorrelationId::parse(bad),
            Err(ValueError::NotUuid {
                name: "CorrelationID",
                value: bad.to_owned()
            }),
            "{bad:?}"
        );
        let err = AccountInfoRequestId::parse(bad).unwrap_err();
        assert!(
            err.to_string().starts_with("AccountInfoRequestID "),
            "{err}"
        );
    }
}

fn only_primary_owner_accepts_true_false_in_any_case() {
    for (text, value) in [
        ("true", true),
        ("TRUE", true),
        ("True", true),
        ("tRuE", true),
        ("false", false),
        ("FALSE", false),
        ("False", false),
    ] {
        assert_eq!(
            OnlyPrimaryOwner::parse(text).unwrap().as_bool(),
            value,
            "{text}"
        );
    }
    assert_eq!(OnlyPrimaryOwner::from(true).to_string(), "true");
    assert_eq!(OnlyPrimaryOwner::from(false).to_string(), "false");
}

fn only_primary_owner_rejects_other_spellings() {
    for bad in [
        "1", "0", "yes", "no", "", " true", "false ", "t", "f", "truee", "\"true\"",
    ] {
        let err = OnlyPrimaryOwner::parse(bad).unwrap_err();
        assert_eq!(
            err,
            ValueError::NotAllowed {
                name: "OnlyPrimaryOwner",
                value: bad.to_owned(),
                allowed: &["true", "false"],
            },
            "{bad:?}"
        );
    }
}

fn additional_reference_id_type_is_pol1_or_srf_exactly() {
    let pol1 = AdditionalReferenceIdType::parse("pol1").unwrap();
    assert!(pol1.is_police());
    assert_eq!(pol1.to_string(), "pol1");
    let srf = AdditionalReferenceIdType::parse("srf").unwrap();
    assert!(!srf.is_police());
    for bad in ["POL1", "Pol1", "pol", "pol2", "SRF", "", " pol1"] {
        assert!(
            matches!(
                AdditionalReferenceIdType::parse(bad),
                Err(ValueError::NotAllowed {
                    name: "AdditionalReferenceIDType",
                    ..
                })
            ),
            "{bad:?}"
        );
    }
}

fn requester_id_rules() {
    assert_eq!(RequesterId::parse("ABC123").unwrap().as_str(), "ABC123");
    assert!(RequesterId::parse("pseudonym:7f3a Øst").is_ok());
    assert_eq!(
        RequesterId::parse(""),
        Err(ValueError::Empty {
            name: "RequesterID"
        })
    );
    for untrimmed in [" ABC123", "ABC123 ", " ", "\tABC"] {
        assert!(
            matches!(
                RequesterId::parse(untrimmed),
                Err(ValueError::Untrimmed { .. })
            ),
            "{untrimmed:?}"
        );
    }
    assert!(matches!(
        RequesterId::parse("AB\u{7}C"),
        Err(ValueError::ControlCharacter { .. })
    ));
    let longest = "x".repeat(RequesterId::MAX_CHARS);
    assert!(RequesterId::parse(&longest).is_ok());
    assert_eq!(
        RequesterId::parse(&format!("{longest}x")),
        Err(ValueError::TooLong {
            name: "RequesterID",
            max: 255,
            actual: 256
        })
    );
    // Characters, not bytes: 255 two-byte letters are accepted.
    assert!(RequesterId::parse(&"ø".repeat(255)).is_ok());
}

fn account_reference_is_any_non_empty_string() {
    assert_eq!(
        AccountReference::parse(""),
        Err(ValueError::Empty {
            name: "accountReference"
        })
    );
    // Digest 7.4's pagination example uses an 11-digit reference; opaque strings are fine.
    for ok in [
        "58758848484",
        "f3c1e2d4-0000-4000-8000-000000000001",
        "a b",
        "ÆØÅ",
    ] {
        let reference = AccountReference::parse(ok).unwrap();
        assert_eq!(reference.as_str(), ok);
        assert!(!reference.is_data_not_delivered(), "{ok}");
    }
    assert!(AccountReference::parse("dataNotDelivered")
        .unwrap()
        .is_data_not_delivered());
    for near in [
        "DataNotDelivered",
        "datanotdelivered",
        "dataNotDelivered ",
        "dataNotDelivered2",
    ] {
        assert!(
            !AccountReference::parse(near)
                .unwrap()
                .is_data_not_delivered(),
            "{near:?}"
        );
    }
}

fn period_ten_year_boundary() {
    let today = d("2026-11-23");
    let p = Period::parse("2016-11-23", "2026-11-23", today).unwrap();
    assert_eq!((p.from(), p.to()), (d("2016-11-23"), d("2026-11-23")));
    assert_eq!(
        Period::parse("2016-11-22", "2026-11-23", today),
        Err(ValueError::FromDateTooOld {
            from: d("2016-11-22"),
            oldest: d("2016-11-23"),
            today,
        })
    );
}

fn period_leap_day() {
    // Ten years before 29 February 2028 is 28 February 2018 (no 29 February in 2018).
    let today = d("2028-02-29");
    assert!(Period::parse("2018-02-28", "2028-02-29", today).is_ok());
    assert!(matches!(
        Period::parse("2018-02-27", "2028-02-29", today),
        Err(ValueError::FromDateTooOld { .. })
    ));
    // 29 February itself is a valid fromDate in a leap year, and invalid in any other.
    assert!(Period::parse("2024-02-29", "2024-03-01", today).is_ok());
    assert!(matches!(
        Period::parse("2023-02-29", "2024-03-01", today),
        Err(ValueError::Date {
            name: "fromDate",
            source: DateError::Format { .. }
        })
    ));
}

fn period_order() {
    let today = d("2026-11-23");
    assert_eq!(
        Period::parse("2024-01-02", "2024-01-01", today),
        Err(ValueError::PeriodReversed {
            from: d("2024-01-02"),
            to: d("2024-01-01")
        })
    );
    assert!(Period::parse("2024-01-01", "2024-01-01", today).is_ok());
    assert!(matches!(
        Period::new(d("2024-01-02"), d("2024-01-01")),
        Err(ValueError::PeriodReversed { .. })
    ));
}

fn period_to_need_not_be_today() {
    // Digest 4.4: require fromDate <= toDate; do not require toDate == today.
    let today = d("2026-11-23");
    assert!(Period::parse("2022-01-01", "2023-12-31", today).is_ok());
    assert!(Period::parse("2026-11-01", "2026-12-31", today).is_ok());
}

fn period_formats() {
    let today = d("2026-11-23");
    for (from, to, name) in [
        ("2024-1-01", "2024-02-01", "fromDate"),
        ("2024-01-01", "20240201", "toDate"),
        ("2024-01-01", "2024-13-01", "toDate"),
        ("", "2024-02-01", "fromDate"),
        ("2024-01-01T00:00:00", "2024-02-01", "fromDate"),
    ] {
        match Period::parse(from, to, today) {
            Err(ValueError::Date { name: got, .. }) => assert_eq!(got, name, "{from} {to}"),
            other => panic!("{from} {to}: expected a date error, got {other:?}"),
        }
    }
}

fn period_contains() {
    let eo = Period::new(d("2022-01-01"), d("2023-12-31")).unwrap();
    let inside = |from: &str, to: &str| eo.contains(&Period::new(d(from), d(to)).unwrap());
    assert!(inside("2022-01-01", "2023-12-31"), "equal");
    assert!(inside("2022-01-01", "2022-01-01"), "first day only");
    assert!(inside("2023-12-31", "2023-12-31"), "last day only");
    assert!(inside("2022-06-01", "2023-06-30"), "strictly inside");
    assert!(!inside("2021-12-31", "2023-12-31"), "starts one day early");
    assert!(!inside("2022-01-01", "2024-01-01"), "ends one day late");
    assert!(!inside("2021-01-01", "2024-12-31"), "encloses");
    assert!(!inside("2024-01-01", "2024-12-31"), "disjoint");
    assert!(eo.contains_date(d("2023-12-31")) && !eo.contains_date(d("2024-01-01")));
}

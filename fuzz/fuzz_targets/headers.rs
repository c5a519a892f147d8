//! Header and query parsing of the Control API (digest 3.2.1, 3.3): Legal-Mandate, UUID
//! headers, RequesterID, AdditionalReferenceIDType, OnlyPrimaryOwner, accountReference, DSOP
//! dates and date-times, periods, and the header set as JSON. No panic; a value that parses
//! re-parses from its own rendering.
#![no_main]

use dsop_harness::domain::dates::{parse_dsop_date_time, parse_iso_date};
use dsop_harness::domain::mandate::LegalMandate;
use dsop_harness::domain::request::ControlHeaders;
use dsop_harness::domain::values::{
    AccountInfoRequestId, AccountReference, AdditionalReferenceIdType, CorrelationId,
    OnlyPrimaryOwner, Period, RequesterId,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<ControlHeaders>(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(m) = LegalMandate::parse_header(text) {
        assert_eq!(LegalMandate::parse_header(m.encoded()).ok(), Some(m));
    }
    if let Ok(m) = LegalMandate::parse_plain(text) {
        assert_eq!(LegalMandate::parse_plain(m.plain()).ok(), Some(m));
    }
    let _ = CorrelationId::parse(text);
    let _ = AccountInfoRequestId::parse(text);
    let _ = RequesterId::parse(text);
    let _ = AdditionalReferenceIdType::parse(text);
    let _ = OnlyPrimaryOwner::parse(text);
    let _ = AccountReference::parse(text);
    let _ = parse_dsop_date_time(text);
    if let Ok(date) = parse_iso_date(text) {
        assert_eq!(parse_iso_date(&date.format("%Y-%m-%d").to_string()).ok(), Some(date));
    }
    if let Some((from, to)) = text.split_once('|') {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
        let _ = Period::parse(from, to, today);
    }
});

//! Identifier parsing (digest 3.2.1): fødselsnummer, D-number, organisation number, account
//! number and PartyID. No panic; a value that parses re-parses from its rendering to itself.
#![no_main]

use dsop_harness::domain::identifiers::{AccountNumber, OrgNumber, PartyId, PersonNumber};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = PersonNumber::parse(text) {
        assert_eq!(PersonNumber::parse(&p.to_string()).ok(), Some(p));
    }
    if let Ok(o) = OrgNumber::parse(text) {
        assert_eq!(OrgNumber::parse(&o.to_string()).ok(), Some(o));
    }
    if let Ok(a) = AccountNumber::parse(text) {
        assert_eq!(AccountNumber::parse(&a.to_string()).ok(), Some(a));
    }
    if let Ok(p) = PartyId::parse(text) {
        assert_eq!(PartyId::parse(&p.to_string()).ok(), Some(p));
    }
});

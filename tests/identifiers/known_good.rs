//! Known-good values from public documentation, each with its source. Person numbers here are
//! only the fictitious test persons the DSOP documentation publishes, and the extradition-order
//! example of digest 5.3.

use chrono::NaiveDate;
use dsop_harness::{
    AccountNumber, OrgNumber, PartyId, PersonNumber, PersonNumberKind, COUNTRY_IDENTIFICATION_CODE,
    NATIONAL_IDENTITY_NUMBER,
};
use libtest_mimic::Trial;

/// Organisation numbers and where they are documented. Paths are in the DSOP documentation
/// mirror `henniiing/DSOP-Dokumentasjon` (commit ef889a5), as cited by the digest.
pub const ORG_NUMBERS: &[(&str, &str)] = &[
    // Digest 1.1; docs/dsop_v2fellesstandard_faq.md (CertPub participant table) and
    // docs/dsop_v2politi-utlevering_løsningsbeskrivelse.md.
    ("915429785", "Politi- og lensmannsetaten"),
    // Digest 1.1 CertPub table (docs/dsop_v2fellesstandard_faq.md).
    ("974760673", "Brønnøysundregistrene"),
    ("889640782", "NAV"),
    ("974761076", "Skatteetaten"),
    ("991825827", "Digitaliseringsdirektoratet"),
    ("986186999", "Statens sivilrettsforvaltning"),
    // Digest 1.1: "BITS AS TEST" test certificate (docs/dsop_kundeforholdsregister_faq.md).
    ("916960190", "BITS AS TEST"),
    // Brønnøysund test-environment debtors, docs/dsop_v2konkurs_test.md ("Testmiljø
    // inneholder kun fiktive data").
    ("910375237", "konkurs test debtor"),
    ("910336819", "konkurs test debtor"),
    ("910425463", "konkurs test debtor"),
    ("910491482", "konkurs test debtor"),
    ("910018469", "konkurs test debtor"),
];

/// Account numbers, bare digits, and where they are documented.
const ACCOUNT_NUMBERS: &[(&str, &str)] = &[
    // The customary Norwegian example account number, printed 1234.56.78903.
    ("12345678903", "standard example 1234.56.78903"),
    // SWIFT IBAN Registry, Norway: example IBAN NO93 8601 1117 947, BBAN 8601 11 17947.
    ("86011117947", "SWIFT IBAN Registry example BBAN"),
    // DSOP mirror docs/dsop_saldostudielan_informasjonsmodellLanekassen.md: "Bban".
    (
        "08027202285",
        "DSOP Lånekassen information model example Bban",
    ),
];

/// Fictitious test persons published in the DSOP documentation, with the birth date their
/// number encodes.
const PERSON_NUMBERS: &[(&str, (i32, u32, u32), &str)] = &[
    // docs/dsop_v2konkurs_test.md (Brønnøysund test data; "kun fiktive data").
    ("08086001471", (1960, 8, 8), "konkurs test debtor"),
    ("08086002265", (1960, 8, 8), "konkurs test debtor"),
    ("19020101140", (1901, 2, 19), "konkurs test debtor"),
    ("20020101351", (1901, 2, 20), "konkurs test debtor"),
    ("21097400153", (1974, 9, 21), "konkurs test debtor"),
    // docs/dsop_sbl_faq.md (test users for the tax-assessment service).
    ("07078600378", (1986, 7, 7), "SBL test user"),
    ("18018200283", (1982, 1, 18), "SBL test user"),
    ("18017749532", (1977, 1, 18), "SBL test user"),
];

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test("known_good::documented_org_numbers_parse", || {
            for &(number, source) in ORG_NUMBERS {
                let org =
                    OrgNumber::parse(number).map_err(|e| format!("{number} ({source}): {e}"))?;
                assert_eq!(org.as_str(), number);
                assert!(
                    org.is_production_range(),
                    "{number} ({source}) starts with 8 or 9"
                );
                let party = PartyId::parse(number).unwrap();
                assert_eq!(
                    party.identifier_type(),
                    COUNTRY_IDENTIFICATION_CODE,
                    "{source}"
                );
            }
            Ok(())
        }),
        Trial::test(
            "known_good::documented_account_numbers_parse_bare_and_dotted",
            || {
                for &(number, source) in ACCOUNT_NUMBERS {
                    let account = AccountNumber::parse(number)
                        .map_err(|e| format!("{number} ({source}): {e}"))?;
                    assert_eq!(account.as_str(), number);
                    let dotted = account.dotted();
                    assert_eq!(AccountNumber::parse(&dotted).unwrap(), account, "{dotted}");
                }
                let example = AccountNumber::parse("1234.56.78903").unwrap();
                assert_eq!(example.as_str(), "12345678903");
                assert_eq!(example.to_string(), "12345678903");
                assert_eq!(example.dotted(), "1234.56.78903");
                assert_eq!(example.bank_code(), "1234");
                assert_eq!(serde_json::to_string(&example).unwrap(), "\"12345678903\"");
                let from_dotted_json: AccountNumber =
                    serde_json::from_str("\"1234.56.78903\"").unwrap();
                assert_eq!(from_dotted_json, example);
                Ok(())
            },
        ),
        Trial::test(
            "known_good::documented_test_persons_parse_with_their_birth_dates",
            || {
                for &(number, (y, m, d), source) in PERSON_NUMBERS {
                    let person = PersonNumber::parse(number)
                        .map_err(|e| format!("{number} ({source}): {e}"))?;
                    assert_eq!(person.kind(), PersonNumberKind::BirthNumber, "{number}");
                    assert!(
                        !person.is_synthetic(),
                        "{number} predates the +80 convention"
                    );
                    assert_eq!(
                        person.birth_date(),
                        NaiveDate::from_ymd_opt(y, m, d).unwrap(),
                        "{number}"
                    );
                    let party = PartyId::parse(number).unwrap();
                    assert_eq!(party.identifier_type(), NATIONAL_IDENTITY_NUMBER);
                }
                Ok(())
            },
        ),
        // Digest 5.3 payload example `"partyID": "31057710503"`. Outcome: VALID. It is an
        // ordinary (not synthetic, not D-number) fødselsnummer for 31 May 1977: individual
        // number 105 lies in 000-499 (1900s); check digit 1: weighted sum 154 = 14·11, 11 − 0 = 11 → 0 ✓;
        // check digit 2: weighted sum 140, 11 − (140 mod 11) = 11 − 8 = 3 ✓. So a harness fed the documented example
        // must accept it. Being non-synthetic, it is never used as generated fixture data.
        Trial::test(
            "known_good::eo_example_party_id_31057710503_is_a_valid_ordinary_birth_number",
            || {
                let person = PersonNumber::parse("31057710503").map_err(|e| e.to_string())?;
                assert_eq!(person.kind(), PersonNumberKind::BirthNumber);
                assert!(!person.is_synthetic());
                assert_eq!(
                    person.birth_date(),
                    NaiveDate::from_ymd_opt(1977, 5, 31).unwrap()
                );
                let party = PartyId::parse("31057710503").unwrap();
                assert_eq!(party.identifier_type(), NATIONAL_IDENTITY_NUMBER);
                Ok(())
            },
        ),
    ]
}

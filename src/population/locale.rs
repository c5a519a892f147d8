//! A Norwegian (`nb-NO`) locale for the `fake` crate: first and last names, street names with
//! the usual `gate`/`vei`/`veien` endings, company suffixes (AS, ASA, ENK), and — outside
//! `fake`'s trait — real post code + town pairs and synthetic bank names.
//!
//! Everything here is generic vocabulary (common names, real towns); no combination of it
//! identifies a real person. Generated persons get synthetic person numbers (digest 8, "Test
//! data": synthetic data only).

use fake::locales::Data;

/// The `nb-NO` locale. Use it with `fake`'s raw fakers, e.g.
/// `fake::faker::name::raw::FirstName(NbNo).fake_with_rng::<String, _>(rng)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct NbNo;

impl Data for NbNo {
    const NAME_FIRST_NAME: &'static [&'static str] = &[
        "Anne",
        "Inger",
        "Kari",
        "Marit",
        "Ingrid",
        "Liv",
        "Eva",
        "Berit",
        "Astrid",
        "Bjørg",
        "Hilde",
        "Anna",
        "Solveig",
        "Marianne",
        "Randi",
        "Ida",
        "Nina",
        "Maria",
        "Elisabeth",
        "Kristin",
        "Silje",
        "Ingeborg",
        "Tone",
        "Heidi",
        "Nora",
        "Emma",
        "Sofie",
        "Ingvild",
        "Jan",
        "Per",
        "Bjørn",
        "Ole",
        "Lars",
        "Kjell",
        "Knut",
        "Arne",
        "Svein",
        "Hans",
        "Geir",
        "Thomas",
        "Tor",
        "Morten",
        "Terje",
        "Odd",
        "Erik",
        "Martin",
        "Andreas",
        "John",
        "Anders",
        "Rune",
        "Trond",
        "Tore",
        "Jon",
        "Magnus",
        "Henrik",
        "Sindre",
        "Håkon",
        "Eirik",
        "Øystein",
        "Åse",
        "Gunnar",
        "Sigrid",
        "Torbjørn",
        "Ragnhild",
    ];
    const NAME_LAST_NAME: &'static [&'static str] = &[
        "Hansen",
        "Johansen",
        "Olsen",
        "Larsen",
        "Andersen",
        "Pedersen",
        "Nilsen",
        "Kristiansen",
        "Jensen",
        "Karlsen",
        "Johnsen",
        "Pettersen",
        "Eriksen",
        "Berg",
        "Haugen",
        "Hagen",
        "Johannessen",
        "Andreassen",
        "Jacobsen",
        "Dahl",
        "Jørgensen",
        "Henriksen",
        "Lund",
        "Halvorsen",
        "Sørensen",
        "Jakobsen",
        "Moen",
        "Gundersen",
        "Iversen",
        "Strand",
        "Solberg",
        "Svendsen",
        "Eide",
        "Knutsen",
        "Martinsen",
        "Paulsen",
        "Bakken",
        "Kristoffersen",
        "Mathisen",
        "Lie",
        "Amundsen",
        "Nguyen",
        "Rasmussen",
        "Ali",
        "Lunde",
        "Solheim",
        "Berge",
        "Moe",
        "Nygård",
        "Bakke",
        "Kristensen",
        "Fredriksen",
        "Holm",
        "Lien",
        "Hauge",
        "Christensen",
        "Andresen",
        "Nielsen",
        "Knudsen",
        "Evensen",
        "Sæther",
        "Aas",
        "Myhre",
        "Hanssen",
        "Ahmed",
        "Haugland",
        "Thomassen",
        "Sivertsen",
        "Simonsen",
        "Danielsen",
        "Berntsen",
        "Sandvik",
        "Rønning",
        "Arnesen",
        "Antonsen",
        "Næss",
        "Vik",
        "Haug",
        "Ellingsen",
        "Thorsen",
        "Edvardsen",
        "Birkeland",
        "Isaksen",
        "Gulbrandsen",
        "Ruud",
        "Aasen",
        "Strøm",
        "Myklebust",
        "Tangen",
        "Ødegård",
        "Eliassen",
        "Helland",
        "Bøe",
        "Jenssen",
        "Aune",
        "Mikkelsen",
        "Tveit",
        "Brekke",
        "Abrahamsen",
        "Madsen",
    ];
    const NAME_TPL: &'static str = "{FirstName} {LastName}";
    const NAME_WITH_TITLE_TPL: &'static str = "{FirstName} {LastName}";
    const NAME_TITLE: &'static [&'static str] = &[""];
    const NAME_SUFFIX: &'static [&'static str] = &[""];

    // `StreetName` picks a first or last name for `{StreetName}` and one of these for
    // `{StreetSuffix}`: "Ingrids gate", "Hansens vei", "Haugenveien", "Kirkegata".
    const ADDRESS_STREET_SUFFIX: &'static [&'static str] =
        &["s gate", "s vei", "veien", "gata", "s gate", "veien"];
    const ADDRESS_STREET_TPL: &'static str = "{StreetName}{StreetSuffix}";
    const ADDRESS_BUILDING_NUMBER_FORMATS: &'static [&'static str] =
        &["#", "##", "#", "##A", "1##"];
    const ADDRESS_POSTCODE_FORMATS: &'static [&'static str] = &["####"];
    const ADDRESS_ZIP_FORMATS: &'static [&'static str] = &["####"];
    const ADDRESS_COUNTRY_CODE: &'static [&'static str] = &["NO"];
    const ADDRESS_COUNTRY: &'static [&'static str] = &["Norge"];

    const COMPANY_SUFFIX: &'static [&'static str] = &["AS", "AS", "AS", "ASA", "ENK"];
    const COMPANY_NAME_TPLS: &'static [&'static str] = &[
        "{Name_1} {Suffix}",
        "{Name_1} & {Name_2} {Suffix}",
        "{Name_1} Bygg {Suffix}",
        "{Name_1} Regnskap {Suffix}",
        "{Name_1} Transport {Suffix}",
        "{Name_2} Eiendom {Suffix}",
    ];

    const CURRENCY_CODE: &'static [&'static str] = &["NOK", "EUR", "SEK", "DKK", "USD", "GBP"];
}

/// Real Norwegian post code + town pairs (public postal geography, not personal data).
pub const POST_PLACES: &[(&str, &str)] = &[
    ("0150", "OSLO"),
    ("0368", "OSLO"),
    ("0470", "OSLO"),
    ("0661", "OSLO"),
    ("1300", "SANDVIKA"),
    ("1337", "SANDVIKA"),
    ("1406", "SKI"),
    ("1530", "MOSS"),
    ("1606", "FREDRIKSTAD"),
    ("1706", "SARPSBORG"),
    ("2000", "LILLESTRØM"),
    ("2317", "HAMAR"),
    ("2609", "LILLEHAMMER"),
    ("2815", "GJØVIK"),
    ("3015", "DRAMMEN"),
    ("3117", "TØNSBERG"),
    ("3210", "SANDEFJORD"),
    ("3716", "SKIEN"),
    ("4006", "STAVANGER"),
    ("4306", "SANDNES"),
    ("4608", "KRISTIANSAND S"),
    ("4836", "ARENDAL"),
    ("5003", "BERGEN"),
    ("5145", "FYLLINGSDALEN"),
    ("5527", "HAUGESUND"),
    ("6002", "ÅLESUND"),
    ("6413", "MOLDE"),
    ("7010", "TRONDHEIM"),
    ("7600", "LEVANGER"),
    ("8006", "BODØ"),
    ("8514", "NARVIK"),
    ("9008", "TROMSØ"),
    ("9600", "HAMMERFEST"),
    ("9800", "VADSØ"),
];

/// Synthetic bank names; a generated bank gets one of these (and a number when more banks are
/// asked for than there are names).
pub(super) const BANK_NAMES: &[&str] = &[
    "Fjordkysten Sparebank",
    "Nordlys Bank ASA",
    "Vidda Sparebank",
    "Kystbanken AS",
    "Bakkeby Finans AS",
    "Skagerrak Sparebank",
    "Trollheimen Bank",
    "Polarsirkel Sparebank",
];

/// Merchants for card transactions: (name, country code, currency of the purchase).
pub(super) const MERCHANTS: &[(&str, &str, &str)] = &[
    ("KIWI 512 STORGATA", "NO", "NOK"),
    ("REMA 1000 SENTRUM", "NO", "NOK"),
    ("COOP EXTRA BYPORTEN", "NO", "NOK"),
    ("NARVESEN JERNBANETORGET", "NO", "NOK"),
    ("CIRCLE K HAMAR", "NO", "NOK"),
    ("VINMONOPOLET BERGEN", "NO", "NOK"),
    ("ICA NARA STRÖMSTAD", "SE", "SEK"),
    ("NETTO KØBENHAVN", "DK", "DKK"),
    ("CAFE CENTRAL BERLIN", "DE", "EUR"),
    ("PRET A MANGER LONDON", "GB", "GBP"),
];

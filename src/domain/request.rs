//! Requests of both steps as the harness sees them: which endpoint, which Maskinporten scope it
//! needs (digest 6.1), and the request rendered as a JSON document (`{headers, query,
//! accountReference}`) so it can be validated against the request schemas in `schemas/`.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Scope of the two Control API calls of step 2 (digest 6.1).
pub const SCOPE_KONTOINFORMASJON: &str = "bits:kontoinformasjon";
/// Scope of the registry's `customerRelationships` (digest 6.1).
pub const SCOPE_KUNDEFORHOLD: &str = "bits:kundeforhold";
/// Scope of the registry's `accountServicingProvider` (digest 6.1).
pub const SCOPE_KUNDEFORHOLD_KONTO: &str = "bits:kundeforhold.konto";

/// The police's organisation number (digest 1.1).
pub const POLICE_ORG_NUMBER: &str = "915429785";
/// The police's ISO 6523 participant ID, used in CertPub and as Maskinporten `consumer.ID`.
pub const POLICE_CONSUMER_ID: &str = "0192:915429785";

/// Canonical spellings of the headers DSOP defines (digest 2.1, 2.3, 3.2.1). Header names are
/// case-insensitive on the wire; documents rendered for validation use these spellings.
pub const CANONICAL_HEADERS: &[&str] = &[
    "Authorization",
    "Accept",
    "Content-Type",
    "AccountInfoRequestID",
    "CorrelationID",
    "Legal-Mandate",
    "PartyID",
    "AdditionalReferenceID",
    "AdditionalReferenceIDType",
    "RequesterID",
    "CustomerID",
    "AccountID",
];

/// The canonical spelling of `name` if DSOP defines that header, else `name` in lower case.
pub fn canonical_header_name(name: &str) -> String {
    CANONICAL_HEADERS
        .iter()
        .find(|c| c.eq_ignore_ascii_case(name))
        .map_or_else(|| name.to_ascii_lowercase(), |c| (*c).to_owned())
}

/// The five Control API endpoints (digest 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    /// `GET /accounts` — Trinn 2a.
    Accounts,
    /// `GET /accounts/{accountReference}`.
    AccountDetails,
    /// `GET /accounts/{accountReference}/transactions`.
    Transactions,
    /// `GET /accounts/{accountReference}/cards`.
    Cards,
    /// `GET /accounts/{accountReference}/roles`.
    Roles,
}

impl Endpoint {
    /// All five, in the order the police call them.
    pub const ALL: [Endpoint; 5] = [
        Endpoint::Accounts,
        Endpoint::AccountDetails,
        Endpoint::Transactions,
        Endpoint::Cards,
        Endpoint::Roles,
    ];

    /// The OpenAPI operationId.
    pub const fn operation_id(self) -> &'static str {
        match self {
            Endpoint::Accounts => "listAccounts",
            Endpoint::AccountDetails => "showAccountById",
            Endpoint::Transactions => "listTransactions",
            Endpoint::Cards => "listCards",
            Endpoint::Roles => "listRoles",
        }
    }

    /// The extradition-order flag that permits this endpoint (digest 5.3, 5.6).
    pub const fn order_flag(self) -> &'static str {
        match self {
            Endpoint::Accounts => "accountList",
            Endpoint::AccountDetails => "accountDetails",
            Endpoint::Transactions => "transactions",
            Endpoint::Cards => "cards",
            Endpoint::Roles => "roles",
        }
    }

    /// Whether the path carries an `accountReference` (Trinn 2b).
    pub const fn needs_account_reference(self) -> bool {
        !matches!(self, Endpoint::Accounts)
    }

    /// The path relative to the bank's base URL, with `account_reference` percent-encoded as
    /// a path segment.
    pub fn path(self, account_reference: &str) -> String {
        let r = percent_encoding::utf8_percent_encode(account_reference, PATH_SEGMENT);
        match self {
            Endpoint::Accounts => "/accounts".to_owned(),
            Endpoint::AccountDetails => format!("/accounts/{r}"),
            Endpoint::Transactions => format!("/accounts/{r}/transactions"),
            Endpoint::Cards => format!("/accounts/{r}/cards"),
            Endpoint::Roles => format!("/accounts/{r}/roles"),
        }
    }

    /// Recognises a request path relative to the base URL; returns the endpoint and the
    /// (percent-decoded) account reference for the 2b endpoints.
    pub fn from_path(path: &str) -> Option<(Endpoint, Option<String>)> {
        let rest = path.strip_prefix("/accounts")?;
        if rest.is_empty() || rest == "/" {
            return Some((Endpoint::Accounts, None));
        }
        let rest = rest.strip_prefix('/')?;
        let (reference, tail) = rest.split_once('/').unwrap_or((rest, ""));
        if reference.is_empty() {
            return None;
        }
        let endpoint = match tail {
            "" => Endpoint::AccountDetails,
            "transactions" => Endpoint::Transactions,
            "cards" => Endpoint::Cards,
            "roles" => Endpoint::Roles,
            _ => return None,
        };
        let decoded = percent_encoding::percent_decode_str(reference)
            .decode_utf8()
            .ok()?
            .into_owned();
        Some((endpoint, Some(decoded)))
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.operation_id())
    }
}

/// Characters escaped in a path segment (everything but RFC 3986 unreserved characters).
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A request rendered for schema validation and for the request journal:
/// `{"headers": {...}, "query": {...}, "accountReference": "..."}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestDoc {
    /// Headers under their canonical names; a repeated header keeps its last value.
    pub headers: BTreeMap<String, String>,
    /// Query parameters under their names as sent (query names are case-sensitive).
    pub query: BTreeMap<String, String>,
    /// The path's account reference, for the 2b endpoints.
    pub account_reference: Option<String>,
}

impl RequestDoc {
    /// Builds a document from header and query pairs.
    pub fn new<'a>(
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        query: impl IntoIterator<Item = (&'a str, &'a str)>,
        account_reference: Option<&str>,
    ) -> Self {
        Self {
            headers: headers
                .into_iter()
                .map(|(k, v)| (canonical_header_name(k), v.to_owned()))
                .collect(),
            query: query
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            account_reference: account_reference.map(str::to_owned),
        }
    }

    /// A header's value by any spelling of its name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&canonical_header_name(name))
            .map(String::as_str)
    }

    /// The JSON form the request schemas describe.
    pub fn to_json(&self) -> Value {
        let strings = |m: &BTreeMap<String, String>| -> Value {
            Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect::<Map<_, _>>(),
            )
        };
        let mut doc = Map::new();
        doc.insert("headers".into(), strings(&self.headers));
        doc.insert("query".into(), strings(&self.query));
        if let Some(r) = &self.account_reference {
            doc.insert("accountReference".into(), Value::String(r.clone()));
        }
        Value::Object(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_round_trip_including_awkward_references() {
        for endpoint in Endpoint::ALL {
            for reference in ["abc-123", "a b/c?d", "dataNotDelivered", "æøå"] {
                let path = endpoint.path(reference);
                let expected = endpoint
                    .needs_account_reference()
                    .then(|| reference.to_owned());
                assert_eq!(
                    Endpoint::from_path(&path),
                    Some((endpoint, expected)),
                    "{path}"
                );
            }
        }
        assert_eq!(Endpoint::from_path("/accounts/x/balances"), None);
        assert_eq!(Endpoint::from_path("/accounts//cards"), None);
        assert_eq!(Endpoint::from_path("/other"), None);
    }

    #[test]
    fn header_names_are_canonicalised() {
        let doc = RequestDoc::new(
            [
                ("correlationid", "x"),
                ("LEGAL-MANDATE", "y"),
                ("X-Extra", "z"),
            ],
            [("fromDate", "2024-01-01")],
            Some("ref"),
        );
        assert_eq!(doc.header("CorrelationId"), Some("x"));
        assert_eq!(
            doc.to_json(),
            json!({"headers": {"CorrelationID": "x", "Legal-Mandate": "y", "x-extra": "z"},
                   "query": {"fromDate": "2024-01-01"}, "accountReference": "ref"})
        );
    }
}

//! Requests of both steps as the harness sees them: which endpoint, which Maskinporten scope it
//! needs (digest 6.1), and the request rendered as a JSON document (`{headers, query,
//! accountReference}`) so it can be validated against the request schemas in `schemas/`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
#[cfg(test)]
use {serde_json::Map, std::collections::BTreeMap};

/// Scope of the two Control API calls of step 2 (digest 6.1).
pub const SCOPE_KONTOINFORMASJON: &str = "bits:kontoinformasjon";
/// Scope of the registry's `customerRelationships` (digest 6.1).
pub const SCOPE_KUNDEFORHOLD: &str = "bits:kundeforhold";
/// Scope of the registry's `accountServicingProvider` (digest 6.1).
pub(crate) const SCOPE_KUNDEFORHOLD_KONTO: &str = "bits:kundeforhold.konto";

/// The police's ISO 6523 participant ID, used in CertPub and as Maskinporten `consumer.ID`.
pub(crate) const POLICE_CONSUMER_ID: &str = "0192:915429785";

/// Canonical spellings of the headers DSOP defines (digest 2.1, 2.3, 3.2.1). Header names are
/// case-insensitive on the wire; documents rendered for validation use these spellings.
pub(crate) const CANONICAL_HEADERS: &[&str] = &[
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
pub(crate) fn canonical_header_name(name: &str) -> String {
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

    /// Kebab-case name (`accounts`, `account-details`, ...), as the CLI and tables write it.
    pub const fn name(self) -> &'static str {
        match self {
            Endpoint::Accounts => "accounts",
            Endpoint::AccountDetails => "account-details",
            Endpoint::Transactions => "transactions",
            Endpoint::Cards => "cards",
            Endpoint::Roles => "roles",
        }
    }

    /// Parses a kebab-case name or an extradition-order flag name.
    pub fn parse(value: &str) -> Option<Endpoint> {
        Self::ALL
            .into_iter()
            .find(|e| e.name() == value || e.order_flag() == value)
    }

    /// Whether the extradition order permits this endpoint (digest 5.6).
    pub fn permitted_by(self, order: &crate::domain::order::ExtraditionOrderPayload) -> bool {
        match self {
            Endpoint::Accounts => order.account_list,
            Endpoint::AccountDetails => order.account_details,
            Endpoint::Transactions => order.transactions,
            Endpoint::Cards => order.cards,
            Endpoint::Roles => order.roles,
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
#[cfg(test)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RequestDoc {
    /// Headers under their canonical names; a repeated header keeps its last value.
    pub headers: BTreeMap<String, String>,
    /// Query parameters under their names as sent (query names are case-sensitive).
    pub query: BTreeMap<String, String>,
    /// The path's account reference, for the 2b endpoints.
    pub account_reference: Option<String>,
}

#[cfg(test)]
impl RequestDoc {
    /// Builds a document from header and query pairs.
    pub(crate) fn new<'a>(
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
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&canonical_header_name(name))
            .map(String::as_str)
    }

    /// The JSON form the request schemas describe.
    pub(crate) fn to_json(&self) -> Value {
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

/// The headers of a Control API request (digest 3.2.1; police values digest 4). Strings as sent:
/// what is *valid* is decided by the request schemas and the typed values of
/// [`crate::domain::values`], so this type can also carry deliberately wrong requests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ControlHeaders {
    /// `Bearer <Maskinporten access token>`.
    #[serde(rename = "Authorization")]
    pub authorization: String,
    /// `application/jose` in production, `application/json` for plain test responses.
    #[serde(rename = "Accept", default, skip_serializing_if = "Option::is_none")]
    pub accept: Option<String>,
    /// UUID of the case, constant across the case (equal to the order's `caseID`).
    #[serde(rename = "AccountInfoRequestID")]
    pub account_info_request_id: String,
    /// UUID, unique per request.
    #[serde(rename = "CorrelationID")]
    pub correlation_id: String,
    /// The URL-encoded police mandate.
    #[serde(rename = "Legal-Mandate")]
    pub legal_mandate: String,
    /// The control object (Accounts only).
    #[serde(rename = "PartyID", default, skip_serializing_if = "Option::is_none")]
    pub party_id: Option<String>,
    /// The extradition order as a JWS (police: always).
    #[serde(
        rename = "AdditionalReferenceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_reference_id: Option<String>,
    /// `pol1` for the police.
    #[serde(
        rename = "AdditionalReferenceIDType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_reference_id_type: Option<String>,
    /// The case handler's (pseudonymised) user ID (police: always).
    #[serde(
        rename = "RequesterID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub requester_id: Option<String>,
}

/// The query of a Control API request: the period, and `OnlyPrimaryOwner` on Accounts
/// (digest 3.2.1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PeriodQuery {
    /// `YYYY-MM-DD`, inclusive.
    #[serde(rename = "fromDate")]
    pub from_date: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(rename = "toDate")]
    pub to_date: String,
    /// `TRUE`/`FALSE` (Accounts only).
    #[serde(
        rename = "OnlyPrimaryOwner",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub only_primary_owner: Option<String>,
}

/// The headers of a registry request (digest 2.1, 2.3). Never carries the order (digest 4.2).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RegistryHeaders {
    /// `Bearer <token>` with scope `bits:kundeforhold` or `bits:kundeforhold.konto`.
    #[serde(rename = "Authorization")]
    pub authorization: String,
    /// The control object (`customerRelationships`).
    #[serde(
        rename = "CustomerID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_id: Option<String>,
    /// The account number (`accountServicingProvider`).
    #[serde(rename = "AccountID", default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// UUID, unique per request.
    #[serde(rename = "CorrelationID")]
    pub correlation_id: String,
    /// The URL-encoded police mandate.
    #[serde(rename = "Legal-Mandate")]
    pub legal_mandate: String,
    /// UUID of the case.
    #[serde(rename = "AccountInfoRequestID")]
    pub account_info_request_id: String,
}

/// The query of `customerRelationships` (digest 2.1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RegistryQuery {
    /// `YYYY-MM-DD`, at most ten years back.
    #[serde(rename = "fromDate")]
    pub from_date: String,
    /// `YYYY-MM-DD`, not before `fromDate`.
    #[serde(rename = "toDate")]
    pub to_date: String,
    /// `true`/`false`; optional, default false.
    #[serde(
        rename = "onlyPrimaryOwner",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub only_primary_owner: Option<String>,
}

/// `(name, value)` pairs of a flat serde struct of strings, for sending as headers or query.
pub(crate) fn to_pairs<T: Serialize>(value: &T) -> Vec<(String, String)> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map
            .into_iter()
            .filter_map(|(k, v)| match v {
                Value::String(s) => Some((k, s)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
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
    fn typed_header_sets_render_as_valid_request_documents() {
        let headers = ControlHeaders {
            authorization: "Bearer a.b.c".into(),
            accept: Some("application/jose".into()),
            account_info_request_id: "d4a820ca-ddde-11ed-b5ea-0242ac120002".into(),
            correlation_id: "14fbc062-aacb-4449-93c1-85c352d387a4".into(),
            legal_mandate: crate::domain::mandate::LegalMandate::CriminalCase
                .encoded()
                .into(),
            party_id: Some("915429785".into()),
            additional_reference_id: Some("eyJh.eyJi.c2ln".into()),
            additional_reference_id_type: Some("pol1".into()),
            requester_id: Some("pseudo-1".into()),
        };
        let query = PeriodQuery {
            from_date: "2024-01-01".into(),
            to_date: "2024-06-30".into(),
            only_primary_owner: Some("TRUE".into()),
        };
        let (h, q) = (to_pairs(&headers), to_pairs(&query));
        let doc = RequestDoc::new(
            h.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            q.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            None,
        );
        assert_eq!(doc.header("partyid"), Some("915429785"));
        if let Err(v) =
            crate::schema::validate(crate::schema::MessageKind::AccountsRequest, &doc.to_json())
        {
            panic!("{v:?}");
        }
        let back: ControlHeaders =
            serde_json::from_value(doc.to_json()["headers"].clone()).expect("read back");
        assert_eq!(back, headers);
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

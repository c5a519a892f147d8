//! The verdict on one case, from evidence only: the mocks' journal (what the implementation
//! sent, what it was answered, which rules each request broke) and the case result it wrote.
//!
//! * [`journal_findings`]: every per-request violation the mocks journalled, plus the rules
//!   that span requests — CorrelationID unique per request (digest 7.8), AccountInfoRequestID
//!   constant and equal to the case (4.8), RequesterID stable (4.3), registry before banks and
//!   Accounts before 2b (1.2, 3), only the registry's banks (1.2), base URLs from the
//!   catalogue and used as given (1.3), CustomerID and period of the registry call (2.1,
//!   5.6), every `next` link followed (7.4), and retries (7.6).
//! * [`result_findings`]: the case result against what a correct bank serves
//!   ([`crate::population::query`]) for the banks the registry named, with each bank's fault
//!   profile deciding what may be missing (a bank that always fails must be reported failed;
//!   the others' data must be complete and exact, digest 7.6).

use crate::domain::control::{Link, Transaction};
use crate::domain::enums::ResponseStatus;
use crate::domain::request::Endpoint;
use crate::domain::values::{same_case, Period};
use crate::mocks::catalog::ENDPOINTS_PATH;
use crate::mocks::ecosystem::BANK_BASE_PATH;
use crate::mocks::faults::{FaultProfile, FaultSpec};
use crate::mocks::journal::Entry;
use crate::mocks::registry::CUSTOMER_RELATIONSHIPS_PATH;
use crate::mocks::server::parse_urlencoded;
use crate::police::result::{BankStatus, CaseResult};
use crate::population::query::{self, PageRequest, DATA_NOT_DELIVERED, DEFAULT_PAGE_SIZE};
use crate::population::Population;
use crate::rules::{Level, Rule};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    /// The rule.
    pub rule: Rule,
    /// What exactly was wrong.
    pub message: String,
}

impl Finding {
    fn new(rule: Rule, message: impl Into<String>) -> Self {
        Self {
            rule,
            message: message.into(),
        }
    }

    /// How binding the rule is.
    pub(crate) fn level(&self) -> Level {
        self.rule.level()
    }
}

/// Findings grouped by rule, for a step's failure message.
pub(crate) fn describe(findings: &[Finding]) -> String {
    let mut grouped: BTreeMap<Rule, Vec<&str>> = BTreeMap::new();
    for f in findings {
        grouped.entry(f.rule).or_default().push(&f.message);
    }
    let mut out = Vec::new();
    for (rule, messages) in grouped {
        let (section, text) = (rule.section(), rule.text());
        let mut block = format!(
            "{rule} (digest {section}) — {text} {} finding(s):",
            messages.len()
        );
        for m in messages.iter().take(5) {
            block.push_str(&format!("\n    - {m}"));
        }
        if messages.len() > 5 {
            block.push_str(&format!("\n    - … and {} more", messages.len() - 5));
        }
        out.push(block);
    }
    out.join("\n  ")
}

/// What a bank's fault profiles let the suite expect from a correct client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BankExpectation {
    /// The bank serves everything (possibly after retries or delays): complete, exact data.
    Healthy,
    /// Every Accounts call fails: the bank must be reported failed, with a reason.
    Fails,
    /// `next` links lead nowhere: multi-page transaction lists cannot be completed and must
    /// be reported (account error, bank partial); everything else exact.
    PagingBroken,
    /// The bank serves wrong data on purpose: its data is not compared.
    Unjudged,
}

impl BankExpectation {
    /// From the bank's fault specs (`NAME` or `NAME:N`). Every profile is named here, so a new
    /// profile cannot go unjudged without a decision.
    pub(crate) fn from_specs(specs: &[FaultSpec]) -> Self {
        use FaultProfile::*;
        let mut expectation = BankExpectation::Healthy;
        for spec in specs {
            let always = spec.times.is_none();
            let this = match spec.profile {
                ServerError | RateLimited | ConnectionReset | MalformedJson | WrongContentType
                | JweWrongKey
                    if always =>
                {
                    BankExpectation::Fails
                }
                // Transient for the first N requests: a client that retries gets everything.
                Latency | ServerError | RateLimited | ConnectionReset => BankExpectation::Healthy,
                BrokenNextLink => BankExpectation::PagingBroken,
                // Garbled answers for the first N requests, lists that page wrongly, and the
                // conformance faults: the bank serves wrong data on purpose.
                MalformedJson
                | WrongContentType
                | JweWrongKey
                | MissingNextLink
                | DuplicateAcrossPages
                | SkipOrderVerification
                | AcceptWrongOuCn
                | IgnoreEndpointFlags
                | AcceptOldFromDate
                | DeliverAccountName
                | TransactionsOutsidePeriod
                | BalanceForClosedAccount
                | PostReturns200
                | FourHundredInsteadOf403
                | AcceptExpiredToken
                | IgnoreScope
                | AcceptMismatchedParty
                | UnmaskedCardNumbers
                | ToDateExclusive
                | AcceptMissingToken
                | SkipTokenSignature
                | IgnoreTokenIssuer
                | IgnoreTokenAudience
                | IgnoreTokenConsumer
                | RefuseScopeWith401
                | GenerateMissingCorrelationId
                | AcceptNonUuidIds
                | AcceptUnencodedMandate
                | AcceptMissingRequesterId
                | AcceptAnyReferenceType
                | SkipPartyIdChecksum
                | LenientOnlyPrimaryOwner
                | SwapReversedDates
                | ServeWithoutOrder
                | LenientOrderHeader
                | SkipOrderChain
                | SkipOrderSignature
                | SkipOrderContentChecks
                | IgnoreOrderMandate
                | OrderPeriodFromOnly
                | IgnoreOrderOnlyPrimaryOwner
                | OrderPeriodMustMatch
                | IgnoreOrderCaseId
                | UnsupportedAccept400
                | ErrorWithoutMessage
                | ListShieldedAccounts
                | IgnoreOnlyPrimaryOwner
                | OmitDisposalOnlyAccounts
                | OmitUndeliveredAccounts
                | UnknownReferenceEmpty200
                | RolesWithoutEndDate
                | PartialSignalOnOwnedOnly
                | MaskAllButLastFour
                | RejectPercentEncodedOrder => BankExpectation::Unjudged,
            };
            expectation = match (expectation, this) {
                (BankExpectation::Fails, _) | (_, BankExpectation::Fails) => BankExpectation::Fails,
                (BankExpectation::Unjudged, _) | (_, BankExpectation::Unjudged) => {
                    BankExpectation::Unjudged
                }
                (BankExpectation::PagingBroken, _) | (_, BankExpectation::PagingBroken) => {
                    BankExpectation::PagingBroken
                }
                _ => BankExpectation::Healthy,
            };
        }
        expectation
    }
}

/// The case as the suite handed it over.
#[derive(Debug, Clone)]
pub(crate) struct CaseSpec {
    /// `DSOP_PARTY_ID`.
    pub party_id: String,
    /// The order's (and the case's) period.
    pub period: Period,
    /// `DSOP_ONLY_PRIMARY_OWNER`.
    pub only_primary_owner: bool,
    /// `DSOP_CASE_ID`.
    pub case_id: String,
    /// `DSOP_REQUESTER_ID`.
    pub requester_id: String,
    /// The 2b endpoints the order allows.
    pub allowed: Vec<Endpoint>,
    /// `DSOP_DIRECT_BANKS` (empty: the registry decides).
    pub direct_banks: Vec<String>,
    /// Per bank (organisation number), what its fault profiles let the suite expect.
    pub banks: BTreeMap<String, BankExpectation>,
}

impl CaseSpec {
    fn expectation(&self, org: &str) -> BankExpectation {
        self.banks
            .get(org)
            .copied()
            .unwrap_or(BankExpectation::Healthy)
    }
}

fn header<'a>(entry: &'a Entry, name: &str) -> Option<&'a str> {
    entry
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn bank_of(entry: &Entry) -> Option<&str> {
    entry.mock.strip_prefix("bank:")
}

/// The Control API endpoint and reference of a bank entry.
fn route(entry: &Entry) -> Option<(Endpoint, Option<String>)> {
    let rest = entry.path.strip_prefix(BANK_BASE_PATH)?;
    Endpoint::from_path(rest)
}

fn is_registry_call(entry: &Entry) -> bool {
    entry.mock == "registry" && entry.path.ends_with(CUSTOMER_RELATIONSHIPS_PATH)
}

fn same_request(a: &Entry, b: &Entry) -> bool {
    a.mock == b.mock && a.method == b.method && a.path == b.path && a.query == b.query
}

fn describe_entry(e: &Entry) -> String {
    let query: Vec<String> = e.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "#{} {} {} {}{}{} → {}{}",
        e.seq,
        e.mock,
        e.method,
        e.path,
        if query.is_empty() { "" } else { "?" },
        query.join("&"),
        e.status,
        match &e.stub {
            Some(stub) => format!(" (answered by user stub {stub:?}, not the DSOP handler)"),
            None => String::new(),
        }
    )
}

/// Whether a user stub answered any request to bank `org` (`mocks serve --stubs`): its data
/// is then the stub's, not the bank's, and is not compared with the population.
fn stubbed(entries: &[Entry], org: &str) -> bool {
    entries
        .iter()
        .any(|e| e.stub.is_some() && bank_of(e) == Some(org))
}

/// The banks the registry named in its 200 answers.
pub(crate) fn registry_banks(entries: &[Entry]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for e in entries
        .iter()
        .filter(|e| is_registry_call(e) && e.status == 200)
    {
        for b in e.response["banks"].as_array().into_iter().flatten() {
            if let Some(org) = b["organizationID"].as_str() {
                if !out.iter().any(|(o, _)| o == org) {
                    out.push((
                        org.to_owned(),
                        b["bankName"].as_str().unwrap_or_default().to_owned(),
                    ));
                }
            }
        }
    }
    out
}

/// Every rule the journal shows broken (`entries`: what the implementation caused).
pub(crate) fn journal_findings(entries: &[Entry], spec: &CaseSpec) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in entries {
        for v in &e.violations {
            out.push(Finding::new(
                v.rule,
                format!("{}: {}", describe_entry(e), v.message),
            ));
        }
    }
    let calls: Vec<&Entry> = entries
        .iter()
        .filter(|e| is_registry_call(e) || bank_of(e).is_some())
        .collect();
    correlation_ids(&calls, &mut out);
    case_and_requester(&calls, spec, &mut out);
    step_order(entries, spec, &mut out);
    catalogue(entries, &mut out);
    registry_request(entries, spec, &mut out);
    pagination(entries, &mut out);
    retries(&calls, &mut out);
    out
}

fn correlation_ids(calls: &[&Entry], out: &mut Vec<Finding>) {
    let mut by_id: HashMap<&str, Vec<&Entry>> = HashMap::new();
    for e in calls {
        if let Some(id) = header(e, "CorrelationID") {
            by_id.entry(id).or_default().push(e);
        }
    }
    let mut shared: Vec<(&str, Vec<&Entry>)> = by_id
        .into_iter()
        .filter(|(_, es)| es.iter().any(|e| !same_request(e, es[0])))
        .collect();
    shared.sort_by_key(|(_, es)| es[0].seq);
    for (id, es) in shared {
        out.push(Finding::new(
            Rule::PoliceHdrCorrelation,
            format!(
                "CorrelationID {id} was sent on {} requests, not all retries of one request \
                 (first: {}; another: {}) (digest 3.2.1, 7.8)",
                es.len(),
                describe_entry(es[0]),
                es.iter()
                    .find(|e| !same_request(e, es[0]))
                    .map_or(String::new(), |e| describe_entry(e))
            ),
        ));
    }
}

/// AccountInfoRequestID identical for every call of the case (digest 3.2.1, 7.8), compared
/// with the first call's. Whether it equals the order's caseID is the banks' per-request
/// finding (`POLICE-CASE-ORDER`, digest 4.8), not repeated here.
fn case_and_requester(calls: &[&Entry], spec: &CaseSpec, out: &mut Vec<Finding>) {
    let first = calls
        .iter()
        .find_map(|e| header(e, "AccountInfoRequestID").map(|id| (id, *e)));
    for e in calls {
        if let (Some(id), Some((case, first))) = (header(e, "AccountInfoRequestID"), first) {
            if !same_case(id, case) {
                out.push(Finding::new(
                    Rule::PoliceHdrCase,
                    format!(
                        "{}: AccountInfoRequestID {id} differs from {case} sent on {} (one ID \
                         for every call of the case, digest 3.2.1, 7.8)",
                        describe_entry(e),
                        describe_entry(first)
                    ),
                ));
            }
        }
        if bank_of(e).is_some() {
            if let Some(r) = header(e, "RequesterID") {
                if r != spec.requester_id {
                    out.push(Finding::new(
                        Rule::PoliceHdrRequester,
                        format!(
                            "{}: RequesterID {r:?} is not the case handler's {:?} (stable per \
                             user, digest 4.3)",
                            describe_entry(e),
                            spec.requester_id
                        ),
                    ));
                }
            }
        }
    }
}

/// Account references each bank listed in Accounts answers before `seq`.
fn listed_before(entries: &[Entry], org: &str, reference: &str, seq: u64) -> bool {
    entries.iter().any(|e| {
        e.seq < seq
            && bank_of(e) == Some(org)
            && e.status == 200
            && route(e).is_some_and(|(ep, _)| ep == Endpoint::Accounts)
            && e.response["accounts"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|a| a["accountReference"].as_str() == Some(reference))
    })
}

fn step_order(entries: &[Entry], spec: &CaseSpec, out: &mut Vec<Finding>) {
    let first_bank = entries.iter().find(|e| bank_of(e).is_some());
    let first_registry = entries.iter().find(|e| is_registry_call(e));
    if spec.direct_banks.is_empty() {
        if let Some(bank) = first_bank {
            match first_registry {
                None => out.push(Finding::new(
                    Rule::PoliceStepOrder,
                    format!(
                        "banks were called ({}) but the registry was never asked \
                         (Trinn 1 comes first, digest 1.2)",
                        describe_entry(bank)
                    ),
                )),
                Some(r) if r.seq > bank.seq => out.push(Finding::new(
                    Rule::PoliceStepOrder,
                    format!(
                        "{} came before the registry call {} (digest 1.2)",
                        describe_entry(bank),
                        describe_entry(r)
                    ),
                )),
                Some(_) => {}
            }
        }
    }
    let allowed: BTreeSet<String> = if spec.direct_banks.is_empty() {
        registry_banks(entries)
            .into_iter()
            .map(|(o, _)| o)
            .collect()
    } else {
        spec.direct_banks.iter().cloned().collect()
    };
    let mut reported = BTreeSet::new();
    for e in entries {
        let Some(org) = bank_of(e) else { continue };
        if !allowed.contains(org) && reported.insert(org.to_owned()) {
            out.push(Finding::new(
                Rule::PoliceRegistryBanks,
                format!(
                    "bank {org} was called ({}) although {} (digest 1.2)",
                    describe_entry(e),
                    if spec.direct_banks.is_empty() {
                        "the registry did not name it"
                    } else {
                        "the case did not name it in DSOP_DIRECT_BANKS"
                    }
                ),
            ));
        }
        if let Some((ep, Some(reference))) = route(e) {
            if ep.needs_account_reference()
                && reference != DATA_NOT_DELIVERED
                && !listed_before(entries, org, &reference, e.seq)
            {
                out.push(Finding::new(
                    Rule::PoliceStepOrder,
                    format!(
                        "{}: accountReference {reference:?} had not been listed by an earlier \
                         Accounts answer of this bank (Accounts first, digest 3)",
                        describe_entry(e)
                    ),
                ));
            }
        }
    }
}

/// Digest 1.3: each bank's base URL comes from Felles datakatalog — looked up before the
/// bank's first call (a cached list counts), and used as given: every call lies under the
/// path of the catalogue url (each mock bank's is [`BANK_BASE_PATH`]).
fn catalogue(entries: &[Entry], out: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    let mut outside = BTreeSet::new();
    for e in entries {
        let Some(org) = bank_of(e) else { continue };
        let under_base = e
            .path
            .strip_prefix(BANK_BASE_PATH)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        if !under_base && outside.insert(org.to_owned()) {
            out.push(Finding::new(
                Rule::PoliceCatalog,
                format!(
                    "{}: bank {org} was called outside the base URL of its catalogue entry \
                     (path {BANK_BASE_PATH}); the base URL is the catalogue's url as given, not \
                     one built from its host (digest 1.3)",
                    describe_entry(e)
                ),
            ));
        }
        if !seen.insert(org.to_owned()) {
            continue;
        }
        let looked_up = entries.iter().any(|c| {
            c.seq < e.seq
                && c.mock == "datakatalog"
                && (c.path.trim_end_matches('/') == ENDPOINTS_PATH
                    || c.path.trim_end_matches('/').ends_with(&format!("/{org}")))
        });
        if !looked_up {
            out.push(Finding::new(
                Rule::PoliceCatalog,
                format!(
                    "bank {org} was called ({}) without looking its base URL up in Felles \
                     datakatalog first (digest 1.3)",
                    describe_entry(e)
                ),
            ));
        }
    }
}

fn registry_request(entries: &[Entry], spec: &CaseSpec, out: &mut Vec<Finding>) {
    for e in entries.iter().filter(|e| is_registry_call(e)) {
        let customer = header(e, "CustomerID");
        if customer != Some(spec.party_id.as_str()) {
            out.push(Finding::new(
                Rule::PoliceParty,
                format!(
                    "{}: CustomerID {customer:?} is not the order's partyID {:?} (digest 2.1)",
                    describe_entry(e),
                    spec.party_id
                ),
            ));
        }
        let param = |name: &str| {
            e.query
                .iter()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| crate::domain::dates::parse_iso_date(v).ok())
        };
        if let (Some(from), Some(to)) = (param("fromDate"), param("toDate")) {
            if from < spec.period.from() || to > spec.period.to() {
                out.push(Finding::new(
                    Rule::PolicePeriod,
                    format!(
                        "{}: registry period {from}..={to} is not inside the order's {} \
                         (digest 4.4, 5.6)",
                        describe_entry(e),
                        spec.period
                    ),
                ));
            }
        }
    }
}

/// Whether `e` is the request a bank's `next` href asks for: the same path (percent-decoded)
/// and every query pair of the href among the request's (both parsed by
/// [`parse_urlencoded`]).
fn follows(e: &Entry, href: &str) -> bool {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let path = path.trim_end_matches('/');
    if !(e.path.trim_end_matches('/').ends_with(path)) {
        return false;
    }
    parse_urlencoded(query)
        .into_iter()
        .all(|pair| e.query.contains(&pair))
}

fn pagination(entries: &[Entry], out: &mut Vec<Finding>) {
    for e in entries
        .iter()
        .filter(|e| bank_of(e).is_some() && e.status == 200)
    {
        let links: Vec<Link> =
            serde_json::from_value(e.response["links"].clone()).unwrap_or_default();
        let Some(next) = links.iter().find(|l| l.rel == "next") else {
            continue;
        };
        let followed = entries
            .iter()
            .any(|f| f.seq > e.seq && f.mock == e.mock && follows(f, &next.href));
        if !followed {
            out.push(Finding::new(
                Rule::PolicePagination,
                format!(
                    "{} had a next link {:?} that was never followed (digest 7.4)",
                    describe_entry(e),
                    next.href
                ),
            ));
        }
    }
}

fn retries(calls: &[&Entry], out: &mut Vec<Finding>) {
    let mut groups: Vec<Vec<&Entry>> = Vec::new();
    for e in calls {
        match groups.iter_mut().find(|g| same_request(g[0], e)) {
            Some(g) => g.push(e),
            None => groups.push(vec![e]),
        }
    }
    for g in groups {
        for (i, e) in g.iter().enumerate() {
            let next = g.get(i + 1);
            let transient = e.status >= 500 || e.status == 429;
            if (400..500).contains(&e.status) && e.status != 429 {
                if let Some(n) = next {
                    out.push(Finding::new(
                        Rule::PoliceRetry,
                        format!(
                            "{} was repeated as {} although a 4xx is a client error that a \
                             retry cannot fix (digest 7.6)",
                            describe_entry(e),
                            describe_entry(n)
                        ),
                    ));
                }
            }
            if transient && next.is_none() && g.len() == 1 {
                out.push(Finding::new(
                    Rule::PoliceRetry,
                    format!(
                        "{} was not retried; 5xx and 429 are transient (digest 7.6)",
                        describe_entry(e)
                    ),
                ));
            }
            if e.status == 429 {
                if let Some(n) = next {
                    let gap = n.at - e.at;
                    if gap < chrono::Duration::milliseconds(900) {
                        out.push(Finding::new(
                            Rule::PoliceRetry,
                            format!(
                                "{} was retried after {} ms although Retry-After asked for 1 s \
                                 (digest 7.6)",
                                describe_entry(e),
                                gap.num_milliseconds()
                            ),
                        ));
                    }
                }
            }
        }
        if g.len() > 5 {
            out.push(Finding::new(
                Rule::PoliceRetry,
                format!(
                    "{} was sent {} times; retries must be bounded (digest 7.6)",
                    describe_entry(g[0]),
                    g.len()
                ),
            ));
        }
    }
}

/// Every oracle transaction of an account in the period, all pages.
fn all_transactions(
    population: &Population,
    org: &str,
    reference: &str,
    period: Period,
) -> Option<(Vec<Transaction>, usize)> {
    let mut page = PageRequest::first(DEFAULT_PAGE_SIZE);
    let mut all = Vec::new();
    let mut pages = 0;
    loop {
        let t = query::transactions(population, org, reference, period, &page).ok()?;
        pages += 1;
        all.extend(t.transactions);
        match t
            .links
            .iter()
            .find(|l| l.rel == "next")
            .and_then(query::cursor_of)
        {
            Some(cursor) if pages < 10_000 => page = PageRequest::at(cursor, DEFAULT_PAGE_SIZE),
            _ => return Some((all, pages)),
        }
    }
}

/// The case result (file contents) against what correct banks serve.
pub(crate) fn result_findings(
    written: Result<&[u8], String>,
    spec: &CaseSpec,
    entries: &[Entry],
    population: &Population,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let complete = Rule::PoliceResultComplete;
    let bytes = match written {
        Ok(b) => b,
        Err(why) => {
            out.push(Finding::new(complete, why));
            return out;
        }
    };
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            let start = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
            out.push(Finding::new(
                complete,
                format!(
                    "the case result is not JSON: {e}; it starts {:?}",
                    crate::redact::mask_text(&start)
                ),
            ));
            return out;
        }
    };
    if let Err(violations) = crate::schema::validate(crate::schema::MessageKind::CaseResult, &value)
    {
        for v in violations.iter().take(10) {
            out.push(Finding::new(
                complete,
                format!("the case result does not conform to schema case-result: {v}"),
            ));
        }
        return out;
    }
    let result: CaseResult = match serde_json::from_value(value) {
        Ok(r) => r,
        Err(e) => {
            out.push(Finding::new(
                complete,
                format!("the case result cannot be read: {e}"),
            ));
            return out;
        }
    };
    if result.case_id != spec.case_id || result.party_id != spec.party_id {
        out.push(Finding::new(
            complete,
            format!(
                "the result is for case {:?} / party {:?}, not {:?} / {:?}",
                result.case_id, result.party_id, spec.case_id, spec.party_id
            ),
        ));
    }
    let expected: Vec<(String, String)> = if !spec.direct_banks.is_empty() {
        spec.direct_banks
            .iter()
            .map(|org| {
                let name = population
                    .banks
                    .iter()
                    .find(|b| &b.org_number == org)
                    .map(|b| b.name.clone())
                    .unwrap_or_default();
                (org.clone(), name)
            })
            .collect()
    } else {
        let served = registry_banks(entries);
        if served.is_empty() {
            crate::mocks::registry::customer_relationships(
                population,
                &spec.party_id,
                spec.period,
                Some(spec.only_primary_owner),
                population.reference_date,
            )
            .banks
            .into_iter()
            .map(|b| (b.organization_id, b.bank_name))
            .collect()
        } else {
            served
        }
    };
    let some_bank_fails = expected
        .iter()
        .any(|(o, _)| spec.expectation(o) == BankExpectation::Fails);
    let missing_rule = if some_bank_fails {
        Rule::PoliceFaultIsolation
    } else {
        complete
    };
    for bank in &result.banks {
        if !expected.iter().any(|(o, _)| *o == bank.org_number) {
            out.push(Finding::new(
                complete,
                format!(
                    "the result reports bank {} ({}), which is not a bank of this case",
                    bank.org_number, bank.name
                ),
            ));
        }
    }
    for (org, name) in &expected {
        let found: Vec<_> = result
            .banks
            .iter()
            .filter(|b| &b.org_number == org)
            .collect();
        let [bank] = found[..] else {
            out.push(Finding::new(
                missing_rule,
                format!(
                    "bank {org} ({name}) appears {} times in the result, expected once",
                    found.len()
                ),
            ));
            continue;
        };
        if &bank.name != name {
            out.push(Finding::new(
                complete,
                format!(
                    "bank {org} is named {:?}, the registry says {name:?}",
                    bank.name
                ),
            ));
        }
        let expectation = if stubbed(entries, org) {
            BankExpectation::Unjudged
        } else {
            spec.expectation(org)
        };
        match expectation {
            BankExpectation::Unjudged => continue,
            BankExpectation::Fails => {
                if bank.status != BankStatus::Failed || bank.messages.is_empty() {
                    out.push(Finding::new(
                        Rule::PoliceResultStatus,
                        format!(
                            "bank {org} never answered Accounts successfully, so it must be \
                             reported failed with the reason; the result says {:?} with \
                             messages {:?} (digest 7.6)",
                            bank.status, bank.messages
                        ),
                    ));
                }
                continue;
            }
            BankExpectation::Healthy | BankExpectation::PagingBroken => {}
        }
        let view = match query::accounts_for(
            population,
            org,
            &spec.party_id,
            spec.only_primary_owner,
            spec.period,
        ) {
            Ok(v) => v,
            Err(e) => {
                out.push(Finding::new(complete, format!("bank {org}: oracle: {e}")));
                continue;
            }
        };
        if bank.status == BankStatus::Failed {
            out.push(Finding::new(
                missing_rule,
                format!(
                    "bank {org} served its data, but the result reports it failed: {:?}",
                    bank.messages
                ),
            ));
            continue;
        }
        let mut expect_partial = view.body.response_details.status == ResponseStatus::Partial;
        if let Some(message) = &view.body.response_details.message {
            if !bank.messages.iter().any(|m| m == message) {
                out.push(Finding::new(
                    Rule::PoliceResultStatus,
                    format!(
                        "bank {org} answered partial with message {message:?}; the result \
                         must keep it (messages: {:?}) (digest 3.4.1, 4.6)",
                        bank.messages
                    ),
                ));
            }
        }
        for (listed, account) in view.listed.iter().zip(&view.body.accounts) {
            let reference = &account.account_reference;
            let Some(got) = bank
                .accounts
                .iter()
                .find(|a| a.account.account_identifier == account.account_identifier)
            else {
                out.push(Finding::new(
                    missing_rule,
                    format!(
                        "bank {org}: account {} (reference {reference}) is missing from the \
                         result",
                        account.account_identifier
                    ),
                ));
                continue;
            };
            if got.account != *account {
                out.push(Finding::new(
                    complete,
                    format!(
                        "bank {org}: account {} differs from what the bank listed",
                        account.account_identifier
                    ),
                ));
            }
            if reference == DATA_NOT_DELIVERED {
                if !got.data_not_delivered {
                    out.push(Finding::new(
                        complete,
                        format!(
                            "bank {org}: account {} was listed with accountReference \
                             dataNotDelivered; the result must say so (dataNotDelivered: true, \
                             digest 4.7)",
                            account.account_identifier
                        ),
                    ));
                }
                continue;
            }
            let real = &listed.account_reference;
            let what = |endpoint: &str| {
                format!(
                    "bank {org}: {endpoint} of account {}",
                    account.account_identifier
                )
            };
            if spec.allowed.contains(&Endpoint::AccountDetails) {
                let oracle = query::account_details(population, org, real, spec.period)
                    .ok()
                    .and_then(|d| d.account);
                if got.details != oracle {
                    out.push(Finding::new(
                        missing_rule,
                        format!(
                            "{} {} what the bank served",
                            what("Account details"),
                            if got.details.is_none() {
                                "are missing; expected"
                            } else {
                                "differ from"
                            }
                        ),
                    ));
                }
            }
            if spec.allowed.contains(&Endpoint::Transactions) {
                if let Some((oracle, pages)) = all_transactions(population, org, real, spec.period)
                {
                    if expectation == BankExpectation::PagingBroken && pages > 1 {
                        expect_partial = true;
                        if got.errors.is_empty() {
                            out.push(Finding::new(
                                Rule::PoliceResultStatus,
                                format!(
                                    "{}: the bank's next link was broken, so the list is \
                                     incomplete; the result must report an error for the \
                                     account (digest 7.4, 7.6)",
                                    what("Transactions")
                                ),
                            ));
                        }
                    } else {
                        let got_len = got.transactions.as_ref().map(Vec::len);
                        if got.transactions.as_ref() != Some(&oracle) {
                            out.push(Finding::new(
                                missing_rule,
                                format!(
                                    "{}: {} transaction(s) in the result, the bank served {} \
                                     over {pages} page(s){}",
                                    what("Transactions"),
                                    got_len.map_or("no".to_owned(), |n| n.to_string()),
                                    oracle.len(),
                                    if got_len == Some(oracle.len()) {
                                        " (same count, different content)"
                                    } else {
                                        ""
                                    }
                                ),
                            ));
                        }
                    }
                }
            }
            if spec.allowed.contains(&Endpoint::Cards) {
                let oracle = query::cards(population, org, real, spec.period)
                    .ok()
                    .map(|c| c.payment_cards);
                if got.cards != oracle {
                    out.push(Finding::new(
                        missing_rule,
                        format!("{} differ from what the bank served", what("Cards")),
                    ));
                }
            }
            if spec.allowed.contains(&Endpoint::Roles) {
                let oracle = query::roles(population, org, real, spec.period)
                    .ok()
                    .map(|r| r.roles);
                if got.roles != oracle {
                    out.push(Finding::new(
                        missing_rule,
                        format!("{} differ from what the bank served", what("Roles")),
                    ));
                }
            }
        }
        for got in &bank.accounts {
            if !view
                .body
                .accounts
                .iter()
                .any(|a| a.account_identifier == got.account.account_identifier)
            {
                out.push(Finding::new(
                    complete,
                    format!(
                        "bank {org}: the result lists account {}, which the bank did not list",
                        got.account.account_identifier
                    ),
                ));
            }
        }
        let want = if expect_partial {
            BankStatus::Partial
        } else {
            BankStatus::Complete
        };
        if bank.status != want {
            out.push(Finding::new(
                Rule::PoliceResultStatus,
                format!(
                    "bank {org} is reported {:?}; expected {want:?} (digest 3.4.1, 4.6, 7.5)",
                    bank.status
                ),
            ));
        }
    }
    out
}

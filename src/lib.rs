//! dsop-harness: conformance test harness and mock ecosystem for the Norwegian DSOP service
//! *Politi-Utlevering* (police access to bank account information).
//!
//! Every module is private; what other crates may use is the list below, grouped as the data
//! flows (`docs/architecture.md`). Items are flat where their names say what they are, and in
//! a small namespace where the name alone would not ([`query`], [`eo`], [`jwe`], [`report`],
//! [`attest`], [`config`], [`requirements`], [`open_points`]). Everything else is
//! `pub(crate)`: `#![warn(unreachable_pub)]` (an error under `clippy -D warnings`) keeps it so.
//! The binary only calls [`run`]; the integration tests in `tests/` use nothing beyond this
//! list, which is how it stays honest.

#![warn(unreachable_pub)]

mod bank_suite;
mod bench;
mod cli;
mod domain;
mod exit;
mod mocks;
mod pact;
mod police;
mod police_suite;
mod population;
mod proof;
mod redact;
mod reporting;
mod rules;
mod schema;
mod suite;
mod trust;

// --- The command line (the binary, and the docs generated from it) ---------------------------
pub use cli::mocks::{ServeArgs, ServeFile, ServeSettings};
pub use cli::police::PoliceCommand;
pub use cli::test::TestCommand;
pub use cli::{
    attest::{AttestCommand, VerifyArgs},
    fixtures::{edge_case_table, ExportArgs, FixturesCommand, ShowArgs},
};
pub use cli::{execute, parse_args, run, Cli, CliCommand};

/// The optional `dsop-harness.toml`: its keys are the environment variables of the flags
/// (precedence: command line > environment > file).
pub mod config {
    pub use crate::cli::config::{env_vars, parse, ConfigError};
}

/// `dsop-harness requirements`: the catalogue of rules with the scenarios that check them,
/// and the proof that every rule can fail.
pub mod requirements {
    pub use crate::cli::requirements::{
        markdown, proof_markdown, run_proof, scenarios, PROOF_HEADING,
    };
}

// --- The DSOP vocabulary (digest 3, 4, 5): typed values and messages ----------------------------
pub use domain::control::{
    AccCode, AccountDetails, Accounts, Cards, ErrorBody, Roles, Transactions,
};
pub use domain::dates::{ten_years_before, DateError};
pub use domain::enums::{
    AccountStatus, AccountType, BalanceType, CardStatus, CardType, CounterPartyType,
    CreditDebitIndicator, IdentifierType, OwnershipType, Permission, PostalAddressType,
    ReferenceType, ResponseStatus, TransactionDomain, TransactionFamily, TransactionStatus,
    TransactionSubFamily,
};
pub use domain::identifiers::{
    AccountNumber, IdentifierError, IdentifierKind, OrgNumber, PartyId, PersonNumber,
    PersonNumberKind, COUNTRY_IDENTIFICATION_CODE, NATIONAL_IDENTITY_NUMBER,
};
pub use domain::mandate::{encode_uri_component, LegalMandate};
pub use domain::registry::{AccountServicingProvider, CustomerRelationships, RegistryError};
pub use domain::request::{Endpoint, SCOPE_KONTOINFORMASJON, SCOPE_KUNDEFORHOLD};
pub use domain::token::{Jwk, ResourceIndicator, UNRESTRICTED_AUDIENCE};
pub use domain::values::{
    AccountInfoRequestId, AccountReference, AdditionalReferenceIdType, CorrelationId,
    OnlyPrimaryOwner, Period, RequesterId, ValueError,
};

// --- Schemas (`schemas/`) ---------------------------------------------------------------------
pub use schema::{
    embedded_schema_paths, validate, MessageKind, Profile, SchemaError, SchemaRegistry,
    UnknownKind, Violation, BASE_URI,
};

// --- The rule layer (`src/rules/`) --------------------------------------------------------------
pub use rules::{Level, Rule, Side};

/// The open points of the digest (3.6, 9) and what each rule accepts and prefers there.
pub mod open_points {
    pub use crate::rules::open_points::{
        find, markdown, vendor_table, VENDOR_TABLE_BEGIN, VENDOR_TABLE_END,
    };
}

// --- Trust: test PKI, extradition orders, Maskinporten tokens, JWE (digest 6, 7) -----------------
pub use trust::maskinporten::{
    create_grant, AccessTokenValidator, GrantBreak, GrantRequest, GrantValidator, TokenBreak,
    TokenError, TokenMinter, CONTROL_API_SCOPE,
};
pub use trust::pki::pem_decode;
pub use trust::{Artifact, FileOutcome, TrustDir};

/// Extradition orders (utleveringspålegg, digest 6): build them as the prosecution authority
/// does, with or without a seeded break, and verify them as a bank must.
pub mod eo {
    pub use crate::trust::eo::{
        check_payload_fields, content_checks, Break, Environment, EoError,
        ExtraditionOrderVerifier, OrderBuilder, RequestFacts,
    };
}

/// JWE response bodies (digest 7.2): encrypt to the police certificate, decrypt with its key.
pub mod jwe {
    pub use crate::trust::jwe::{
        decrypt, decrypt_expecting, encrypt, header, Encryptor, JweError, DEFAULT_ALG, DEFAULT_ENC,
    };
}

// --- The synthetic population and the fixture pack ---------------------------------------------
pub use population::model::{
    Address, Bank, Company, DisposalAlternative, GeneratedTransactions, OpenPeriod, Person,
    Register, Relation, RoleRecord, POPULATION_FORMAT,
};
pub use population::{
    generated_transaction, index_range, is_masked_card_number, is_test_card_number, AccountRecord,
    EdgeCase, EdgeCaseKind, Population, PopulationConfig, PopulationError, DEFAULT_PACK_PATH,
    HISTORY_DAYS, INLINE_TRANSACTION_LIMIT, POST_PLACES,
};

/// What a bank answers for a population (digest 3, 4): the lists, details and pages of the
/// Control API as the reference bank computes them.
pub mod query {
    pub use crate::population::query::{
        account_details, accounts_for, cards, cursor_of, roles, transaction_count, transaction_day,
        transactions, AccountsView, PageRequest, QueryError, DATA_NOT_DELIVERED, DEFAULT_PAGE_SIZE,
    };
}

// --- The mock ecosystem: Maskinporten, registry, datakatalog, CertPub, JWKS, banks --------------
pub use mocks::bank::{mock_bank_factory, BankConfig, BankError, BankMock, BankTrust};
pub use mocks::catalog::{Catalog, CatalogEntry, CatalogMock};
pub use mocks::certpub::{fetch_encryption_cert, CertPubMock, DSOP_PROCESS, PEM_CONTENT_TYPE};
pub use mocks::clock::Clock;
pub use mocks::ecosystem::{BankFactory, Ecosystem, EcosystemConfig};
pub use mocks::faults::{FaultKind, FaultProfile, FaultSpec, LATENCY_PROFILE_DELAY};
pub use mocks::http::{Handled, Handler, MockRequest, MockResponse, Payload, Transport};
pub use mocks::journal::Journal;
pub use mocks::jwks::ProsecutionJwksMock;
pub use mocks::maskinporten::{KnownResources, MaskinportenMock, JWT_BEARER_GRANT};
pub use mocks::registry::{customer_relationships, RegistryMock, REGISTRY_BASE_PATH};
pub use mocks::server::{
    serve, serve_handler, tls_server_config, FrontEnd, MockHandle, ServeOptions, BODY_LIMIT,
};
pub use mocks::stubs::StubFile;

// --- The reference police client -----------------------------------------------------------------
pub use police::case::CaseInput;
pub use police::driver::{Driver, DriverConfig, Outgoing, RegistryGrant, DEFAULT_MAX_PAGES};
pub use police::faults::FaultSet;
pub use police::lookup::{run_case, CaseRun};
pub use police::pager::Pager;
pub use police::result::{BankStatus, CaseResult};

// --- The suites, their outcomes and reports -------------------------------------------------------
pub use bank_suite::orders::{ORDER_VARIATIONS, REQUEST_VARIATIONS};
pub use bank_suite::{reference_bank_factory, run as run_bank_suite, BankSuiteConfig, Fixtures};
pub use police_suite::{run as run_police_suite, PoliceSuiteConfig, PoliceSuiteRun, Trigger};
pub use suite::expected::ExpectedFailures;
pub use suite::meta::ScenarioMeta;
pub use suite::outcome::{
    Effect, Judgement, ScenarioOutcome, ScenarioStatus, StepOutcome, StepStatus, SuiteOutcome,
    Verdict,
};
pub use suite::recorder::{install_progress, Progress, Recorder};
pub use suite::run::{Selection, SuiteKind, SuiteRun};
pub use suite::transcript::TranscriptEntry;

/// The report files of a run (JUnit, Cucumber JSON, HTML, summary, transcripts, attestation).
pub mod report {
    pub use crate::reporting::{
        write_reports, ReportOptions, Written, ATTESTATION, CUCUMBER, HTML, JUNIT, SUMMARY,
        TRANSCRIPTS,
    };
}

/// The signed attestation of a report directory: what certification checks.
pub mod attest {
    pub use crate::reporting::attest::{verify, AttestError, Verified};
}

// --- The proof that every rule can fail, the Pact export, the performance figures ----------------
pub use bench::figures::fanout_population;
pub use bench::paging::first_page_request;
pub use bench::FIGURES_HEADER;
pub use pact::{StateHook, COMPANY_STATE, FILE_NAME, PERSON_STATE, UNKNOWN_REFERENCE};
pub use proof::{attempt, fault_table, Fault, Proof, ProofConfig};

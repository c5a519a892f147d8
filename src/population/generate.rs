//! Seeded generation of a [`Population`]: one `StdRng` seeded from [`PopulationConfig::seed`]
//! drives every choice (names through `fake` with the [`NbNo`] locale, identifiers through
//! `crate::domain::identifiers`), so a seed reproduces the population byte for byte.
//!
//! The first [`MIN_PERSONS`] persons, the first company and the first banks are *reserved*:
//! they carry the mandatory edge cases ([`EdgeCaseKind`]) and no random relations, so each
//! case stays exactly what its description says. Then every bank gets, with fresh persons
//! appended after the ordinary ones, each case it does not carry yet (the disposal pair of its
//! declared alternative, the period-boundary cases), so any one bank of the pack runs every
//! data-exact scenario. Everyone else gets ordinary accounts
//! (digest 8, police test preparation: at least two accounts per relationship, 5–10
//! transactions per account).

use super::cards::TEST_BINS;
use super::edge_cases::EdgeCaseKind;
use super::lazy::TransactionTemplate;
use super::locale::{NbNo, BANK_NAMES, MERCHANTS, POST_PLACES};
use super::model::{
    AccountRecord, Address, BalancePoint, Bank, CardRecord, Company, DisposalAlternative, EdgeCase,
    GeneratedTransactions, OpenPeriod, Person, Population, Register, Relation, RoleRecord,
    POPULATION_FORMAT,
};
use crate::domain::control::{
    BankTransactionCode, CounterParty, CurrencyExchange, Identifier, PaymentCard, PostalAddress,
    Transaction, TransactionReference,
};
use crate::domain::enums::{
    AccountStatus, AccountType, CardStatus, CardType, CounterPartyType, CreditDebitIndicator,
    IdentifierType, Permission, PostalAddressType, ReferenceType, TransactionDomain,
    TransactionFamily, TransactionStatus, TransactionSubFamily,
};
use crate::domain::identifiers::{AccountNumber, OrgNumber, PersonNumber, PersonNumberKind};
use chrono::{Datelike, Days, NaiveDate};
use fake::faker::address::raw::{BuildingNumber, StreetName};
use fake::faker::company::raw::CompanyName;
use fake::faker::name::raw::{FirstName, LastName};
use fake::Fake;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use std::collections::HashSet;

/// Seed of the committed default pack (`mocks/population/default.json`).
pub(crate) const DEFAULT_SEED: u64 = 20_240_320;
/// Transactions of the lazily generated large account when none are asked for.
pub(super) const DEFAULT_LARGE_ACCOUNT_TRANSACTIONS: u64 = 1_500;
/// Stored transactions of the paging edge case (more than one page of 1000, digest 7.4).
pub(super) const PAGING_ACCOUNT_TRANSACTIONS: usize = 2_500;
/// Transactions of the paging and large-account copies at the other banks: more than one
/// page of 1000 (digest 7.4), fewer than the originals to keep the committed pack small.
pub(super) const COPY_PAGING_TRANSACTIONS: usize = 1_200;
/// Length of the default data-exact period of the bank suite, in days before its toDate
/// (inside [`HISTORY_DAYS`], so the day before its fromDate still has data).
pub(crate) const DATA_EXACT_PERIOD_DAYS: u64 = HISTORY_DAYS - 30;
/// The toDates of the data-exact periods, in days before the reference date (the bank suite's
/// scenarios use these).
pub(super) const DATA_EXACT_PERIOD_ENDS: [u64; 3] = [0, 90, 200];
/// Fewest banks a population gets (the edge cases need four).
pub(super) const MIN_BANKS: usize = 4;
/// Fewest persons a population gets (the reserved edge-case persons).
pub(super) const MIN_PERSONS: usize = 16;
/// Fewest companies a population gets.
pub(super) const MIN_COMPANIES: usize = 2;
/// How far back transactions go: about three years, so a pack stays inside the police's
/// ten-year window (digest 4.4) for years after it was generated.
pub const HISTORY_DAYS: u64 = 3 * 365;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationConfig {
    /// Seed of every random choice.
    pub seed: u64,
    /// Number of banks (at least `MIN_BANKS`).
    pub banks: usize,
    /// Number of persons (at least `MIN_PERSONS`).
    pub persons: usize,
    /// Number of companies (at least `MIN_COMPANIES`).
    pub companies: usize,
    /// The "today" of the data; every date lies on or before it.
    pub reference_date: NaiveDate,
    /// Size of the lazily generated large account; `None` gives
    /// `DEFAULT_LARGE_ACCOUNT_TRANSACTIONS`.
    pub large_account_transactions: Option<u64>,
}

impl PopulationConfig {
    /// The configuration of the committed default pack: 5 banks, 30 persons, 8 companies,
    /// reference date 2026-11-01, seed `DEFAULT_SEED`.
    pub fn default_pack() -> Self {
        Self {
            seed: DEFAULT_SEED,
            banks: 5,
            persons: 30,
            companies: 8,
            reference_date: default_reference_date(),
            large_account_transactions: None,
        }
    }

    /// The counts actually used: each raised to its minimum.
    pub fn effective(&self) -> Self {
        Self {
            banks: self.banks.max(MIN_BANKS),
            persons: self.persons.max(MIN_PERSONS),
            companies: self.companies.max(MIN_COMPANIES),
            ..self.clone()
        }
    }
}

impl Default for PopulationConfig {
    fn default() -> Self {
        Self::default_pack()
    }
}

/// Reference date of the default pack.
pub(crate) fn default_reference_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or(NaiveDate::MIN)
}

impl Population {
    /// Generates the population `config` describes (counts below the minimums are raised to
    /// them, see [`PopulationConfig::effective`]). Deterministic: the same config gives the same
    /// population, byte for byte once serialised.
    pub fn generate(config: &PopulationConfig) -> Population {
        Generator::new(&config.effective()).run()
    }
}

/// A party as the generator passes it around.
#[derive(Debug, Clone)]
struct Party {
    id: String,
    name: String,
    address: Address,
}

struct Generator {
    config: PopulationConfig,
    rng: StdRng,
    today: NaiveDate,
    banks: Vec<Bank>,
    persons: Vec<Person>,
    companies: Vec<Company>,
    accounts: Vec<AccountRecord>,
    edge_cases: Vec<EdgeCase>,
    used: HashSet<String>,
    transaction_serial: u64,
    /// Days the next [`Generator::finish`] books a transaction on, in addition to its random
    /// ones (those inside the account's open periods).
    pinned_days: Vec<NaiveDate>,
}

impl Generator {
    fn new(config: &PopulationConfig) -> Self {
        Self {
            config: config.clone(),
            rng: StdRng::seed_from_u64(config.seed),
            today: config.reference_date,
            banks: Vec::new(),
            persons: Vec::new(),
            companies: Vec::new(),
            accounts: Vec::new(),
            edge_cases: Vec::new(),
            used: HashSet::new(),
            transaction_serial: 0,
            pinned_days: Vec::new(),
        }
    }

    fn run(mut self) -> Population {
        for index in 0..self.config.banks {
            let bank = self.bank(index);
            self.banks.push(bank);
        }
        for index in 0..self.config.persons {
            // Every fifth person, and the reserved D-number holder (person 15), has a D-number
            // (digest 3.2.1 PartyID: FNR or D-number).
            let kind = if index % 5 == 4 || index == 15 {
                PersonNumberKind::DNumber
            } else {
                PersonNumberKind::BirthNumber
            };
            let person = self.person(kind);
            self.persons.push(person);
        }
        for _ in 0..self.config.companies {
            let company = self.company();
            self.companies.push(company);
        }
        self.edge_case_accounts();
        self.ordinary_accounts();
        for bank in 0..self.banks.len() {
            self.complete_bank(bank);
        }
        Population {
            format: POPULATION_FORMAT.to_owned(),
            seed: self.config.seed,
            reference_date: self.today,
            banks: self.banks,
            persons: self.persons,
            companies: self.companies,
            accounts: self.accounts,
            edge_cases: self.edge_cases,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Parties
    // -----------------------------------------------------------------------------------------

    fn unique<F: FnMut(&mut StdRng) -> String>(&mut self, mut draw: F) -> String {
        loop {
            let value = draw(&mut self.rng);
            if self.used.insert(value.clone()) {
                return value;
            }
        }
    }

    fn bank(&mut self, index: usize) -> Bank {
        let org_number = self.unique(|rng| OrgNumber::generate(rng).as_str().to_owned());
        let bank_code = self.unique(|rng| format!("{:04}", rng.random_range(1000..9900u32)));
        let base = BANK_NAMES
            .get(index % BANK_NAMES.len())
            .copied()
            .unwrap_or("Bank");
        let name = if index < BANK_NAMES.len() {
            base.to_owned()
        } else {
            format!("{base} {}", index / BANK_NAMES.len() + 1)
        };
        Bank {
            org_number,
            name,
            // Every third bank reports to KFR (digest 1.1).
            register: if index % 3 == 2 {
                Register::Kfr
            } else {
                Register::Kar
            },
            bank_code,
            // Alternating, starting with alternative 1 (digest 4.6).
            disposal_alternative: if index % 2 == 0 {
                DisposalAlternative::SignalOnly
            } else {
                DisposalAlternative::FullData
            },
        }
    }

    fn address(&mut self) -> Address {
        let street_name: String = StreetName(NbNo).fake_with_rng(&mut self.rng);
        let building_number: String = BuildingNumber(NbNo).fake_with_rng(&mut self.rng);
        let (post_code, town) = POST_PLACES
            .choose(&mut self.rng)
            .copied()
            .unwrap_or(("0150", "OSLO"));
        Address {
            street_name,
            building_number,
            post_code: post_code.to_owned(),
            town_name: town.to_owned(),
            country: "NO".to_owned(),
        }
    }

    fn person(&mut self, kind: PersonNumberKind) -> Person {
        let id = self.unique(|rng| PersonNumber::generate_synthetic_random(rng, kind).to_string());
        let first: String = FirstName(NbNo).fake_with_rng(&mut self.rng);
        let last: String = LastName(NbNo).fake_with_rng(&mut self.rng);
        let address = self.address();
        Person {
            id,
            name: format!("{first} {last}"),
            address,
            shielded: false,
        }
    }

    fn company(&mut self) -> Company {
        let org_number = self.unique(|rng| OrgNumber::generate(rng).as_str().to_owned());
        let name: String = CompanyName(NbNo).fake_with_rng(&mut self.rng);
        let address = self.address();
        Company {
            org_number,
            name,
            address,
        }
    }

    fn person_party(&self, index: usize) -> Party {
        let person = &self.persons[index];
        Party {
            id: person.id.clone(),
            name: person.name.clone(),
            address: person.address.clone(),
        }
    }

    fn company_party(&self, index: usize) -> Party {
        let company = &self.companies[index];
        Party {
            id: company.org_number.clone(),
            name: company.name.clone(),
            address: company.address.clone(),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Accounts
    // -----------------------------------------------------------------------------------------

    fn days_ago(&self, days: u64) -> NaiveDate {
        self.today
            .checked_sub_days(Days::new(days))
            .unwrap_or(self.today)
    }

    fn random_date_between(&mut self, first: NaiveDate, last: NaiveDate) -> NaiveDate {
        let span = u64::try_from((last - first).num_days()).unwrap_or(0);
        first
            .checked_add_days(Days::new(self.rng.random_range(0..=span)))
            .unwrap_or(first)
    }

    fn reference(&mut self) -> String {
        let bytes: [u8; 16] = self.rng.random();
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }

    /// Opens an account owned by `owner` at bank `bank` on `opened`; returns its index.
    fn open_account(
        &mut self,
        bank: usize,
        kind: AccountType,
        owner: &Party,
        opened: NaiveDate,
    ) -> usize {
        let bank_code = self.banks[bank].bank_code.clone();
        let account_identifier = self.unique(|rng| {
            AccountNumber::generate_for_bank(rng, &bank_code)
                .map(|number| number.as_str().to_owned())
                .unwrap_or_default()
        });
        let account_reference = self.reference();
        let currency = if kind == AccountType::CurrencyAccount {
            "EUR"
        } else {
            "NOK"
        };
        let (credit_line, credit_line_included) = match kind {
            AccountType::CreditCardAccount => (Some(25_000.0), true),
            AccountType::BusinessAccount => (Some(100_000.0), false),
            _ => (None, false),
        };
        self.accounts.push(AccountRecord {
            bank: self.banks[bank].org_number.clone(),
            account_identifier,
            account_reference,
            data_not_delivered: false,
            kind,
            currency: currency.to_owned(),
            status: AccountStatus::Enabled,
            open_periods: vec![OpenPeriod {
                start_date: opened,
                end_date: None,
            }],
            roles: vec![RoleRecord {
                party: owner.id.clone(),
                name: owner.name.clone(),
                relation: Relation::PrimaryOwner,
                permission: Permission::RightToUseAlone,
                start_date: opened,
                end_date: None,
            }],
            credit_line,
            credit_line_included,
            balances: Vec::new(),
            cards: Vec::new(),
            transactions: Vec::new(),
            generated_transactions: None,
            transactions_file: None,
        });
        self.accounts.len() - 1
    }

    fn add_role(
        &mut self,
        account: usize,
        party: &Party,
        relation: Relation,
        permission: Permission,
        start_date: NaiveDate,
        end_date: Option<NaiveDate>,
    ) {
        self.accounts[account].roles.push(RoleRecord {
            party: party.id.clone(),
            name: party.name.clone(),
            relation,
            permission,
            start_date,
            end_date,
        });
    }

    fn close_account(&mut self, account: usize, closed: NaiveDate) {
        let record = &mut self.accounts[account];
        if let Some(last) = record.open_periods.last_mut() {
            last.end_date = Some(closed);
        }
        for role in &mut record.roles {
            if role.end_date.is_none() {
                role.end_date = Some(closed);
            }
        }
        record.status = AccountStatus::Disabled;
    }

    fn record_edge_case(&mut self, kind: EdgeCaseKind, party: &str, account: Option<usize>) {
        let (bank, account_identifier, account_reference) = match account {
            Some(index) => {
                let record = &self.accounts[index];
                (
                    Some(record.bank.clone()),
                    Some(record.account_identifier.clone()),
                    Some(record.account_reference.clone()),
                )
            }
            None => (None, None, None),
        };
        self.edge_cases.push(EdgeCase {
            name: kind.as_str().to_owned(),
            party: Some(party.to_owned()),
            bank,
            account_identifier,
            account_reference,
            digest: kind.digest().to_owned(),
            description: kind.description().to_owned(),
        });
    }

    fn record_bank_edge_case(&mut self, kind: EdgeCaseKind, party: &str, bank: usize) {
        self.edge_cases.push(EdgeCase {
            name: kind.as_str().to_owned(),
            party: Some(party.to_owned()),
            bank: Some(self.banks[bank].org_number.clone()),
            account_identifier: None,
            account_reference: None,
            digest: kind.digest().to_owned(),
            description: kind.description().to_owned(),
        });
    }

    /// The reserved persons 0–15, company 0 and banks 0–3 (bank 0 and 2: alternative 1;
    /// bank 1 and 3: alternative 2).
    fn edge_case_accounts(&mut self) {
        let p: Vec<Party> = (0..MIN_PERSONS).map(|i| self.person_party(i)).collect();
        let opened = self.days_ago(HISTORY_DAYS + 400);
        let standard = TransactionMix::Standard;

        // P0: shielded, with accounts that must not be listed (digest 1.3).
        self.persons[0].shielded = true;
        let a = self.open_account(0, AccountType::SalaryAccount, &p[0], opened);
        self.finish(a, 8, standard);
        let a = self.open_account(0, AccountType::SavingsAccount, &p[0], opened);
        self.finish(a, 5, standard);
        self.record_edge_case(EdgeCaseKind::ShieldedPerson, &p[0].id, Some(a));

        // P2 owns accounts at bank 0 (alternative 1) and has disposal rights on P4's account
        // there; P1 has ONLY disposal rights at bank 0 (on P2's account) and at bank 1 (on
        // P3's account), and owns accounts at bank 2.
        let p2_salary = self.open_account(0, AccountType::SalaryAccount, &p[2], opened);
        let p2_savings = self.open_account(0, AccountType::SavingsAccount, &p[2], opened);
        let p4_at_bank0 = self.open_account(0, AccountType::SalaryAccount, &p[4], opened);
        let p3_salary = self.open_account(1, AccountType::SalaryAccount, &p[3], opened);
        let p3_savings = self.open_account(1, AccountType::SavingsAccount, &p[3], opened);
        let p5_at_bank1 = self.open_account(1, AccountType::SalaryAccount, &p[5], opened);
        let since = self.days_ago(700);
        self.add_role(
            p2_salary,
            &p[1],
            Relation::Disposal,
            Permission::RightToUseAlone,
            since,
            None,
        );
        self.add_role(
            p3_salary,
            &p[1],
            Relation::Disposal,
            Permission::RightToUseWithOther,
            since,
            None,
        );
        self.add_role(
            p4_at_bank0,
            &p[2],
            Relation::Disposal,
            Permission::RightToUseAlone,
            since,
            None,
        );
        self.add_role(
            p5_at_bank1,
            &p[3],
            Relation::Disposal,
            Permission::RightToUseAlone,
            since,
            None,
        );
        for account in [
            p2_salary,
            p2_savings,
            p4_at_bank0,
            p3_salary,
            p3_savings,
            p5_at_bank1,
        ] {
            let count = self.rng.random_range(5..=10);
            self.finish(account, count, standard);
        }
        for kind in [AccountType::SalaryAccount, AccountType::CreditCardAccount] {
            let a = self.open_account(2, kind, &p[1], opened);
            self.finish(a, 6, standard);
        }
        self.record_bank_edge_case(EdgeCaseKind::DisposalOnlySignal, &p[1].id, 0);
        self.record_bank_edge_case(EdgeCaseKind::DisposalOnlyFullData, &p[1].id, 1);
        self.record_edge_case(
            EdgeCaseKind::OwnerWithDisposalSignal,
            &p[2].id,
            Some(p4_at_bank0),
        );
        self.record_edge_case(
            EdgeCaseKind::OwnerWithDisposalFullData,
            &p[3].id,
            Some(p5_at_bank1),
        );

        // P4 owns a joint savings account at bank 2 with co-owner P5 (digest 4.5).
        let joint = self.open_account(2, AccountType::SavingsAccount, &p[4], opened);
        let joint_since = self.days_ago(900);
        self.accounts[joint].roles[0].permission = Permission::RightToUseWithOther;
        self.add_role(
            joint,
            &p[5],
            Relation::SecondaryOwner,
            Permission::RightToUseWithOther,
            joint_since,
            None,
        );
        self.finish(joint, 8, standard);
        self.record_edge_case(EdgeCaseKind::CoOwnedAccount, &p[5].id, Some(joint));

        // P4's depot-like account at bank 3 is listed as `dataNotDelivered` (digest 4.7).
        let depot = self.open_account(3, AccountType::AccountWithoutBalance, &p[4], opened);
        self.accounts[depot].data_not_delivered = true;
        let other = self.open_account(3, AccountType::OtherAccount, &p[4], opened);
        self.finish(other, 5, standard);
        self.record_edge_case(EdgeCaseKind::DataNotDelivered, &p[4].id, Some(depot));

        // P7's loan at bank 3: P6 guarantor only, P8 co-borrower (digest 8).
        let loan = self.open_account(3, AccountType::LoanAccount, &p[7], opened);
        self.add_role(
            loan,
            &p[6],
            Relation::Guarantor,
            Permission::RightToSeeOnly,
            opened,
            None,
        );
        self.add_role(
            loan,
            &p[8],
            Relation::CoBorrower,
            Permission::RightToSeeOnly,
            opened,
            None,
        );
        self.finish(loan, 8, TransactionMix::Loan);
        let p7_salary = self.open_account(3, AccountType::SalaryAccount, &p[7], opened);
        self.finish(p7_salary, 6, standard);
        let p8_salary = self.open_account(3, AccountType::SalaryAccount, &p[8], opened);
        self.finish(p8_salary, 6, standard);
        let p6_elsewhere = self.open_account(0, AccountType::SalaryAccount, &p[6], opened);
        self.finish(p6_elsewhere, 6, standard);
        self.record_edge_case(EdgeCaseKind::GuarantorOnly, &p[6].id, Some(loan));
        self.record_edge_case(EdgeCaseKind::CoBorrower, &p[8].id, Some(loan));

        // P9: an account closed ~200 days ago, inside any period covering the last year.
        let closing = self.open_account(0, AccountType::SavingsAccount, &p[9], opened);
        let closed = self.days_ago(200);
        self.close_account(closing, closed);
        self.finish(closing, 8, standard);
        let open = self.open_account(0, AccountType::SalaryAccount, &p[9], opened);
        self.finish(open, 6, standard);
        self.record_edge_case(EdgeCaseKind::ClosedInPeriod, &p[9].id, Some(closing));

        // P10: an account closed and re-opened; P12's disposal rights lost and regained
        // (digest 3.4.5: report the latest period).
        let reopened = self.reopened_account(1, &p[10], &p[12], Relation::Disposal, opened);
        let p10_savings = self.open_account(1, AccountType::SavingsAccount, &p[10], opened);
        self.finish(p10_savings, 5, standard);
        self.record_edge_case(EdgeCaseKind::ReopenedAccount, &p[10].id, Some(reopened));
        self.record_edge_case(EdgeCaseKind::RoleHistory, &p[12].id, Some(reopened));

        // P11 owned an account until 400 days ago, then P12 took it over (digest 3.4.5:
        // primaryOwner as of toDate, within the queried party's own role span).
        let transferred = self.open_account(2, AccountType::SavingsAccount, &p[11], opened);
        let handover = self.days_ago(400);
        self.accounts[transferred].roles[0].end_date = Some(handover);
        self.add_role(
            transferred,
            &p[12],
            Relation::PrimaryOwner,
            Permission::RightToUseAlone,
            handover,
            None,
        );
        self.finish(transferred, 8, standard);
        let p11_salary = self.open_account(2, AccountType::SalaryAccount, &p[11], opened);
        self.finish(p11_salary, 6, standard);
        self.record_edge_case(
            EdgeCaseKind::OwnershipTransferred,
            &p[11].id,
            Some(transferred),
        );

        // P13: 2 500 stored transactions for paging (digest 7.4).
        let paging = self.open_account(0, AccountType::SalaryAccount, &p[13], opened);
        self.finish(paging, PAGING_ACCOUNT_TRANSACTIONS, TransactionMix::Lean);
        let p13_savings = self.open_account(0, AccountType::SavingsAccount, &p[13], opened);
        self.finish(p13_savings, 5, standard);
        self.record_edge_case(EdgeCaseKind::PagingAccount, &p[13].id, Some(paging));

        // P14: the lazily generated large account (digest 7.4, 1.2 volumes).
        let large = self.open_account(1, AccountType::SalaryAccount, &p[14], opened);
        let count = self
            .config
            .large_account_transactions
            .unwrap_or(DEFAULT_LARGE_ACCOUNT_TRANSACTIONS);
        self.large_recipe(large, count);
        self.finish(large, 0, standard);
        let p14_savings = self.open_account(1, AccountType::SavingsAccount, &p[14], opened);
        self.finish(p14_savings, 5, standard);
        self.record_edge_case(EdgeCaseKind::LargeAccount, &p[14].id, Some(large));

        // P15 (a D-number holder): EUR currency account with exchanges, card transactions
        // and pending transactions (digest 3.4.9, 8).
        let currency = self.open_account(2, AccountType::CurrencyAccount, &p[15], opened);
        self.add_card(currency, &p[15], CardType::DebitCard, 1);
        self.finish(currency, 12, TransactionMix::Cards);
        let prepaid = self.open_account(2, AccountType::PrepaidCardAccount, &p[15], opened);
        self.add_card(prepaid, &p[15], CardType::DebitCard, 2);
        self.finish(prepaid, 8, TransactionMix::Cards);
        self.record_edge_case(EdgeCaseKind::DNumberHolder, &p[15].id, Some(currency));
        self.record_edge_case(EdgeCaseKind::CurrencyExchange, &p[15].id, Some(currency));
        self.record_edge_case(EdgeCaseKind::CardTransactions, &p[15].id, Some(prepaid));
        self.record_edge_case(EdgeCaseKind::PendingTransactions, &p[15].id, Some(currency));

        // Company 0: business, tax deduction and client accounts, a loan, with a person (P3)
        // as disposal party at bank 1 (alternative 2).
        let c0 = self.company_party(0);
        let mut first_business = None;
        for (bank, kind) in [
            (1, AccountType::BusinessAccount),
            (1, AccountType::TaxDeductionAccount),
            (1, AccountType::ClientAccount),
            (3, AccountType::LoanAccount),
        ] {
            let a = self.open_account(bank, kind, &c0, opened);
            let mix = if kind == AccountType::LoanAccount {
                TransactionMix::Loan
            } else {
                TransactionMix::Standard
            };
            if kind == AccountType::BusinessAccount {
                self.add_card(a, &p[3], CardType::CreditCard, 1);
                first_business = Some(a);
            }
            self.finish(a, 8, mix);
        }
        self.record_edge_case(EdgeCaseKind::CompanyWithAccounts, &c0.id, first_business);
    }

    /// A fresh person who joins no random relation (appended after the ordinary persons, so
    /// the ordinary accounts never pick them).
    fn fresh_person(&mut self, kind: PersonNumberKind) -> Party {
        let person = self.person(kind);
        self.persons.push(person);
        self.person_party(self.persons.len() - 1)
    }

    /// True when the population records `kind` at bank `bank`.
    fn has_case_at(&self, kind: EdgeCaseKind, bank: usize) -> bool {
        let org = &self.banks[bank].org_number;
        self.edge_cases
            .iter()
            .any(|c| c.name == kind.as_str() && c.bank.as_ref() == Some(org))
    }

    /// Gives bank `bank` every edge case it does not carry yet, each with fresh parties, so a
    /// bank vendor serving any one bank of the pack can run every data-exact scenario. The
    /// disposal cases are those of the bank's declared alternative (digest 4.6): the
    /// `-signal` pair at an alternative-1 bank, the `-full-data` pair at an alternative-2 bank.
    fn complete_bank(&mut self, bank: usize) {
        use EdgeCaseKind as K;
        let opened = self.days_ago(HISTORY_DAYS + 400);
        let standard = TransactionMix::Standard;
        let missing = |g: &Self, kind: K| !g.has_case_at(kind, bank);

        if missing(self, K::ShieldedPerson) {
            let p = self.fresh_person(PersonNumberKind::BirthNumber);
            if let Some(person) = self.persons.last_mut() {
                person.shielded = true;
            }
            let a = self.open_account(bank, AccountType::SalaryAccount, &p, opened);
            self.finish(a, 6, standard);
            let a = self.open_account(bank, AccountType::SavingsAccount, &p, opened);
            self.finish(a, 5, standard);
            self.record_edge_case(K::ShieldedPerson, &p.id, Some(a));
        }

        let (only, owner) = match self.banks[bank].disposal_alternative {
            DisposalAlternative::SignalOnly => (K::DisposalOnlySignal, K::OwnerWithDisposalSignal),
            DisposalAlternative::FullData => {
                (K::DisposalOnlyFullData, K::OwnerWithDisposalFullData)
            }
        };
        if missing(self, only) || missing(self, owner) {
            // O owns an account; D has only disposal rights on it; X owns an account and has
            // disposal rights on O's account too.
            let o = self.fresh_person(PersonNumberKind::BirthNumber);
            let d = self.fresh_person(PersonNumberKind::BirthNumber);
            let x = self.fresh_person(PersonNumberKind::BirthNumber);
            let disposed = self.open_account(bank, AccountType::SalaryAccount, &o, opened);
            let own = self.open_account(bank, AccountType::SalaryAccount, &x, opened);
            let since = self.days_ago(700);
            self.add_role(
                disposed,
                &d,
                Relation::Disposal,
                Permission::RightToUseAlone,
                since,
                None,
            );
            self.add_role(
                disposed,
                &x,
                Relation::Disposal,
                Permission::RightToUseWithOther,
                since,
                None,
            );
            for account in [disposed, own] {
                let count = self.rng.random_range(5..=10);
                self.finish(account, count, standard);
            }
            if missing(self, only) {
                self.record_bank_edge_case(only, &d.id, bank);
            }
            if missing(self, owner) {
                self.record_edge_case(owner, &x.id, Some(disposed));
            }
        }

        if missing(self, K::CoOwnedAccount) {
            let owner = self.fresh_person(PersonNumberKind::BirthNumber);
            let co = self.fresh_person(PersonNumberKind::BirthNumber);
            let joint = self.open_account(bank, AccountType::SavingsAccount, &owner, opened);
            self.accounts[joint].roles[0].permission = Permission::RightToUseWithOther;
            let since = self.days_ago(900);
            self.add_role(
                joint,
                &co,
                Relation::SecondaryOwner,
                Permission::RightToUseWithOther,
                since,
                None,
            );
            self.finish(joint, 8, standard);
            self.record_edge_case(K::CoOwnedAccount, &co.id, Some(joint));
        }

        if missing(self, K::DataNotDelivered) {
            let p = self.fresh_person(PersonNumberKind::BirthNumber);
            let depot = self.open_account(bank, AccountType::AccountWithoutBalance, &p, opened);
            self.accounts[depot].data_not_delivered = true;
            let other = self.open_account(bank, AccountType::OtherAccount, &p, opened);
            self.finish(other, 5, standard);
            self.record_edge_case(K::DataNotDelivered, &p.id, Some(depot));
        }

        if missing(self, K::GuarantorOnly) || missing(self, K::CoBorrower) {
            let borrower = self.fresh_person(PersonNumberKind::BirthNumber);
            let guarantor = self.fresh_person(PersonNumberKind::BirthNumber);
            let co = self.fresh_person(PersonNumberKind::BirthNumber);
            let loan = self.open_account(bank, AccountType::LoanAccount, &borrower, opened);
            self.add_role(
                loan,
                &guarantor,
                Relation::Guarantor,
                Permission::RightToSeeOnly,
                opened,
                None,
            );
            self.add_role(
                loan,
                &co,
                Relation::CoBorrower,
                Permission::RightToSeeOnly,
                opened,
                None,
            );
            self.finish(loan, 8, TransactionMix::Loan);
            for party in [&borrower, &co] {
                let a = self.open_account(bank, AccountType::SalaryAccount, party, opened);
                self.finish(a, 6, standard);
            }
            if missing(self, K::GuarantorOnly) {
                self.record_edge_case(K::GuarantorOnly, &guarantor.id, Some(loan));
            }
            if missing(self, K::CoBorrower) {
                self.record_edge_case(K::CoBorrower, &co.id, Some(loan));
            }
        }

        if missing(self, K::ClosedInPeriod) {
            let p = self.fresh_person(PersonNumberKind::BirthNumber);
            let closing = self.open_account(bank, AccountType::SavingsAccount, &p, opened);
            let closed = self.days_ago(200);
            self.close_account(closing, closed);
            self.finish(closing, 8, standard);
            let open = self.open_account(bank, AccountType::SalaryAccount, &p, opened);
            self.finish(open, 6, standard);
            self.record_edge_case(K::ClosedInPeriod, &p.id, Some(closing));
        }

        if missing(self, K::ReopenedAccount)
            || missing(self, K::RoleHistory)
            || missing(self, K::OwnershipTransferred)
        {
            let owner = self.fresh_person(PersonNumberKind::BirthNumber);
            let holder = self.fresh_person(PersonNumberKind::BirthNumber);
            let former = self.fresh_person(PersonNumberKind::BirthNumber);
            // The holder's rights lost and regained: disposal rights at an alternative-2 bank
            // (which lists disposed accounts), co-ownership at an alternative-1 bank (which
            // only signals them, so the account could not be looked up otherwise).
            let relation = match self.banks[bank].disposal_alternative {
                DisposalAlternative::FullData => Relation::Disposal,
                DisposalAlternative::SignalOnly => Relation::SecondaryOwner,
            };
            let reopened = self.reopened_account(bank, &owner, &holder, relation, opened);
            let transferred = self.open_account(bank, AccountType::SavingsAccount, &former, opened);
            let handover = self.days_ago(400);
            self.accounts[transferred].roles[0].end_date = Some(handover);
            self.add_role(
                transferred,
                &holder,
                Relation::PrimaryOwner,
                Permission::RightToUseAlone,
                handover,
                None,
            );
            self.finish(transferred, 8, standard);
            let own = self.open_account(bank, AccountType::SalaryAccount, &former, opened);
            self.finish(own, 6, standard);
            if missing(self, K::ReopenedAccount) {
                self.record_edge_case(K::ReopenedAccount, &owner.id, Some(reopened));
            }
            if missing(self, K::RoleHistory) {
                self.record_edge_case(K::RoleHistory, &holder.id, Some(reopened));
            }
            if missing(self, K::OwnershipTransferred) {
                self.record_edge_case(K::OwnershipTransferred, &former.id, Some(transferred));
            }
        }

        if missing(self, K::PagingAccount) {
            let p = self.fresh_person(PersonNumberKind::BirthNumber);
            let paging = self.open_account(bank, AccountType::SalaryAccount, &p, opened);
            self.finish(paging, COPY_PAGING_TRANSACTIONS, TransactionMix::Lean);
            self.record_edge_case(K::PagingAccount, &p.id, Some(paging));
        }

        if missing(self, K::LargeAccount) {
            // The configured size goes to the first large account only; the other banks' copies
            // have more than one page (digest 7.4), so a pack with a 1 000 000-transaction
            // account does not hold one per bank.
            let p = self.fresh_person(PersonNumberKind::BirthNumber);
            let large = self.open_account(bank, AccountType::SalaryAccount, &p, opened);
            self.large_recipe(large, COPY_PAGING_TRANSACTIONS as u64);
            self.finish(large, 0, standard);
            self.record_edge_case(K::LargeAccount, &p.id, Some(large));
        }

        let card_kinds = [
            K::DNumberHolder,
            K::CurrencyExchange,
            K::CardTransactions,
            K::PendingTransactions,
        ];
        if card_kinds.iter().any(|kind| missing(self, *kind)) {
            let p = self.fresh_person(PersonNumberKind::DNumber);
            let currency = self.open_account(bank, AccountType::CurrencyAccount, &p, opened);
            self.add_card(currency, &p, CardType::DebitCard, 1);
            self.finish(currency, 12, TransactionMix::Cards);
            let prepaid = self.open_account(bank, AccountType::PrepaidCardAccount, &p, opened);
            self.add_card(prepaid, &p, CardType::DebitCard, 2);
            self.finish(prepaid, 8, TransactionMix::Cards);
            for (kind, account) in [
                (K::DNumberHolder, currency),
                (K::CurrencyExchange, currency),
                (K::CardTransactions, prepaid),
                (K::PendingTransactions, currency),
            ] {
                if missing(self, kind) {
                    self.record_edge_case(kind, &p.id, Some(account));
                }
            }
        }

        let boundary_kinds = [
            K::PeriodBoundaries,
            K::BalanceAtPastToDate,
            K::ClosedOnToDate,
            K::RoleFromFromDate,
            K::CardFirstMonth,
        ];
        if boundary_kinds.iter().any(|kind| missing(self, *kind)) {
            self.boundary_cases(bank, opened);
        }

        if missing(self, K::CompanyWithAccounts) {
            // Company 0 carries no random relations; it gets the same set at every bank.
            let c0 = self.company_party(0);
            let manager = self.fresh_person(PersonNumberKind::BirthNumber);
            let mut business = None;
            for kind in [
                AccountType::BusinessAccount,
                AccountType::TaxDeductionAccount,
                AccountType::ClientAccount,
                AccountType::LoanAccount,
            ] {
                let a = self.open_account(bank, kind, &c0, opened);
                let mix = if kind == AccountType::LoanAccount {
                    TransactionMix::Loan
                } else {
                    if kind == AccountType::BusinessAccount {
                        self.add_card(a, &manager, CardType::CreditCard, 1);
                        business = Some(a);
                    }
                    standard
                };
                self.finish(a, 8, mix);
            }
            self.record_edge_case(K::CompanyWithAccounts, &c0.id, business);
        }
    }

    /// The data-exact period boundaries at bank `bank` (digest 3.2.1, 3.4.5, 3.4.7, 7.10): one
    /// person's account with bookings on the first and last day of every data-exact period and
    /// one day outside each end, a co-owner from the fromDate, a card valid only in the
    /// fromDate's month, and a second account closed on a toDate.
    fn boundary_cases(&mut self, bank: usize, opened: NaiveDate) {
        use EdgeCaseKind as K;
        let owner = self.fresh_person(PersonNumberKind::BirthNumber);
        let co = self.fresh_person(PersonNumberKind::BirthNumber);
        let from = self.days_ago(DATA_EXACT_PERIOD_DAYS);
        let mut pinned = vec![self.days_ago(DATA_EXACT_PERIOD_DAYS + 1), from];
        for end in DATA_EXACT_PERIOD_ENDS {
            pinned.push(self.days_ago(end));
            if end > 0 {
                pinned.push(self.days_ago(end - 1));
            }
        }
        let account = self.open_account(bank, AccountType::SalaryAccount, &owner, opened);
        self.add_role(
            account,
            &co,
            Relation::SecondaryOwner,
            Permission::RightToUseWithOther,
            from,
            None,
        );
        self.add_card(account, &owner, CardType::DebitCard, 1);
        let month = year_month(from);
        if let Some(card) = self.accounts[account].cards.first().cloned() {
            let number = super::cards::generate_test_card_number(&mut self.rng, TEST_BINS[0]);
            self.accounts[account].cards.push(CardRecord {
                card_identifier: number,
                start_date: month.clone(),
                expiry_date: month,
                card_status: CardStatus::Blocked,
                ..card
            });
        }
        self.pinned_days = pinned;
        self.finish(account, 6, TransactionMix::Standard);
        let closed_on = self.days_ago(200);
        let closing = self.open_account(bank, AccountType::SavingsAccount, &owner, opened);
        self.close_account(closing, closed_on);
        self.finish(closing, 6, TransactionMix::Standard);
        let party = owner.id.clone();
        for kind in [
            K::PeriodBoundaries,
            K::BalanceAtPastToDate,
            K::CardFirstMonth,
        ] {
            if !self.has_case_at(kind, bank) {
                self.record_edge_case(kind, &party, Some(account));
            }
        }
        if !self.has_case_at(K::RoleFromFromDate, bank) {
            self.record_edge_case(K::RoleFromFromDate, &co.id, Some(account));
        }
        if !self.has_case_at(K::ClosedOnToDate, bank) {
            self.record_edge_case(K::ClosedOnToDate, &party, Some(closing));
        }
    }

    /// Gives `account` a lazily expanded list of `count` transactions over the history.
    fn large_recipe(&mut self, account: usize, count: u64) {
        let seed = self.rng.random();
        let first_date = self.days_ago(HISTORY_DAYS);
        self.accounts[account].generated_transactions = Some(GeneratedTransactions {
            count,
            seed,
            first_date,
            last_date: self.days_ago(1),
        });
    }

    /// Ordinary persons (index ≥ [`MIN_PERSONS`]) and companies (index ≥ 1): two or three
    /// accounts at one or two banks; some persons hold disposal rights on company accounts.
    fn ordinary_accounts(&mut self) {
        const PERSON_TYPES: [AccountType; 6] = [
            AccountType::SavingsAccount,
            AccountType::CreditCardAccount,
            AccountType::LoanAccount,
            AccountType::PrepaidCardAccount,
            AccountType::OtherAccount,
            AccountType::SavingsAccount,
        ];
        const COMPANY_TYPES: [AccountType; 4] = [
            AccountType::TaxDeductionAccount,
            AccountType::CurrencyAccount,
            AccountType::ClientAccount,
            AccountType::LoanAccount,
        ];
        let earliest = self.days_ago(HISTORY_DAYS + 2_000);
        let latest = self.days_ago(400);
        let bank_count = self.banks.len();
        for index in MIN_PERSONS..self.persons.len() {
            let party = self.person_party(index);
            let bank = self.rng.random_range(0..bank_count);
            let opened = self.random_date_between(earliest, latest);
            let salary = self.open_account(bank, AccountType::SalaryAccount, &party, opened);
            self.add_card(salary, &party, CardType::DebitCard, 1);
            let count = self.rng.random_range(5..=10);
            self.finish(salary, count, TransactionMix::Cards);
            let extra = self.rng.random_range(1..=2);
            for _ in 0..extra {
                let bank = self.rng.random_range(0..bank_count);
                let kind = PERSON_TYPES
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or(AccountType::SavingsAccount);
                let opened = self.random_date_between(earliest, latest);
                let account = self.open_account(bank, kind, &party, opened);
                let mix = match kind {
                    AccountType::LoanAccount => TransactionMix::Loan,
                    AccountType::CreditCardAccount | AccountType::PrepaidCardAccount => {
                        self.add_card(account, &party, card_type_for(kind), 1);
                        TransactionMix::Cards
                    }
                    _ => TransactionMix::Standard,
                };
                let count = self.rng.random_range(5..=10);
                self.finish(account, count, mix);
            }
        }
        let ordinary_persons: Vec<usize> = (MIN_PERSONS..self.persons.len()).collect();
        for index in 1..self.companies.len() {
            let party = self.company_party(index);
            let bank = self.rng.random_range(0..bank_count);
            let opened = self.random_date_between(earliest, latest);
            let business = self.open_account(bank, AccountType::BusinessAccount, &party, opened);
            if let Some(&manager) = ordinary_persons.choose(&mut self.rng) {
                let manager = self.person_party(manager);
                let since = self.random_date_between(opened, latest);
                self.add_role(
                    business,
                    &manager,
                    Relation::Disposal,
                    Permission::RightToUseAlone,
                    since,
                    None,
                );
                self.add_card(business, &manager, CardType::CreditCard, 1);
            }
            let count = self.rng.random_range(5..=10);
            self.finish(business, count, TransactionMix::Standard);
            let kind = COMPANY_TYPES
                .choose(&mut self.rng)
                .copied()
                .unwrap_or(AccountType::TaxDeductionAccount);
            let account = self.open_account(bank, kind, &party, opened);
            let mix = if kind == AccountType::LoanAccount {
                TransactionMix::Loan
            } else {
                TransactionMix::Standard
            };
            let count = self.rng.random_range(5..=10);
            self.finish(account, count, mix);
        }
    }

    /// Adds a card (and, for `versions` > 1, its earlier, blocked versions with the same
    /// number, digest 3.4.8).
    fn add_card(&mut self, account: usize, holder: &Party, kind: CardType, versions: u8) {
        // A raw, synthetic, Luhn-valid number from a test BIN; the bank masks it when it
        // answers (digest 3.4.8).
        let bin = match kind {
            CardType::DebitCard => TEST_BINS[0],
            CardType::CreditCard => TEST_BINS[1],
        };
        let number = super::cards::generate_test_card_number(&mut self.rng, bin);
        let bank_org = self.accounts[account].bank.clone();
        let (issuer_name, issuer_org) = self
            .banks
            .iter()
            .find(|bank| bank.org_number == bank_org)
            .map(|bank| (bank.name.clone(), bank.org_number.clone()))
            .unwrap_or_default();
        let opened = self.accounts[account]
            .open_periods
            .first()
            .map(|p| p.start_date)
            .unwrap_or(self.today);
        let versions = versions.max(1);
        for version in 1..=versions {
            // Each version is valid four years; the active (last) one started at most three
            // years before the reference date, so it has not expired.
            let years_back = i32::from(versions - version + 1) * 3;
            let start = self
                .today
                .with_year(self.today.year() - years_back)
                .unwrap_or(opened)
                .max(opened)
                .min(self.today);
            let expiry = start.with_year(start.year() + 4).unwrap_or(start);
            let card_status = if version == versions {
                CardStatus::Active
            } else {
                CardStatus::Blocked
            };
            self.accounts[account].cards.push(CardRecord {
                card_identifier: number.clone(),
                holder_name: holder.name.clone(),
                start_date: year_month(start),
                expiry_date: year_month(expiry),
                card_issuer_name: issuer_name.clone(),
                card_issuer_org_number: issuer_org.clone(),
                kind,
                card_status,
                version_number: version.to_string(),
            });
        }
    }

    // -----------------------------------------------------------------------------------------
    // Transactions and balances
    // -----------------------------------------------------------------------------------------

    /// Generates `count` transactions for the account (within its open periods and the last
    /// [`HISTORY_DAYS`]), then its day-end balances.
    /// A salary account opened on `opened`, closed 500 days ago and re-opened 300 days ago
    /// (digest 3.4.5: report the latest period), owned by `owner` in both periods, with
    /// `holder`'s `relation` lost with the closing and regained with the re-opening; ten
    /// standard transactions. Returns its index.
    fn reopened_account(
        &mut self,
        bank: usize,
        owner: &Party,
        holder: &Party,
        relation: Relation,
        opened: NaiveDate,
    ) -> usize {
        let reopened = self.open_account(bank, AccountType::SalaryAccount, owner, opened);
        let first_end = self.days_ago(500);
        let second_start = self.days_ago(300);
        {
            let record = &mut self.accounts[reopened];
            record.open_periods = vec![
                OpenPeriod {
                    start_date: opened,
                    end_date: Some(first_end),
                },
                OpenPeriod {
                    start_date: second_start,
                    end_date: None,
                },
            ];
            record.roles[0].end_date = Some(first_end);
        }
        self.add_role(
            reopened,
            owner,
            Relation::PrimaryOwner,
            Permission::RightToUseAlone,
            second_start,
            None,
        );
        for (permission, start, end) in [
            (Permission::RightToUseAlone, opened, Some(first_end)),
            (Permission::RightToUseWithOther, second_start, None),
        ] {
            self.add_role(reopened, holder, relation, permission, start, end);
        }
        self.finish(reopened, 10, TransactionMix::Standard);
        reopened
    }

    fn finish(&mut self, account: usize, count: usize, mix: TransactionMix) {
        let record = self.accounts[account].clone();
        if record.data_not_delivered || record.kind == AccountType::AccountWithoutBalance {
            return;
        }
        let window_start = self.days_ago(HISTORY_DAYS);
        let mut days: Vec<NaiveDate> = Vec::with_capacity(count);
        let periods: Vec<(NaiveDate, NaiveDate)> = record
            .open_periods
            .iter()
            .filter_map(|p| {
                let first = p.start_date.max(window_start);
                let last = p.end_date.unwrap_or(self.today).min(self.days_ago(1));
                (first <= last).then_some((first, last))
            })
            .collect();
        if periods.is_empty() {
            return;
        }
        for _ in 0..count {
            let (first, last) = periods
                .choose(&mut self.rng)
                .copied()
                .unwrap_or((window_start, self.today));
            days.push(self.random_date_between(first, last));
        }
        let pinned = std::mem::take(&mut self.pinned_days);
        days.extend(pinned.into_iter().filter(|day| {
            record
                .open_periods
                .iter()
                .any(|p| p.start_date <= *day && p.end_date.is_none_or(|end| *day <= end))
        }));
        days.sort();
        let counterparties = self.counterparty_pool();
        let mut transactions = Vec::with_capacity(count + 3);
        for day in days {
            let template = mix.pick(&mut self.rng, record.kind);
            let tx = self.transaction(
                &record,
                template,
                day,
                TransactionStatus::Booked,
                &counterparties,
                mix,
            );
            // Now and then a card purchase is reversed the same day (digest 3.3.3).
            let reverse = template == TransactionTemplate::CardPurchase
                && mix != TransactionMix::Lean
                && self.rng.random_ratio(1, 6);
            let reversal = reverse.then(|| self.reversal_of(&record, &tx));
            transactions.push(tx);
            if let Some(reversal) = reversal {
                transactions.push(reversal);
            }
        }
        let open_now = record
            .open_periods
            .last()
            .is_some_and(|p| p.end_date.is_none());
        // Closing entry on the day a closed account was closed.
        if let Some(closed) = record.open_periods.last().and_then(|p| p.end_date) {
            let tx = self.transaction(
                &record,
                TransactionTemplate::Closing,
                closed,
                TransactionStatus::Booked,
                &counterparties,
                mix,
            );
            transactions.push(tx);
        }
        let mut pending_total = 0.0;
        if open_now && mix == TransactionMix::Cards {
            // Reserved card purchases: pending, no booking date (digest 8 "Transactions").
            for days_back in [2u64, 1] {
                let day = self.days_ago(days_back);
                let tx = self.transaction(
                    &record,
                    TransactionTemplate::CardPurchase,
                    day,
                    TransactionStatus::Pending,
                    &counterparties,
                    mix,
                );
                pending_total += tx.amount.unwrap_or(0.0);
                transactions.push(tx);
            }
            // An `info` entry: a scheduled payment notice (digest 3.4.9: other statuses).
            let tx = self.transaction(
                &record,
                TransactionTemplate::Giro,
                self.days_ago(1),
                TransactionStatus::Info,
                &counterparties,
                mix,
            );
            transactions.push(tx);
        }
        let balances = self.balances(&record, &transactions, pending_total);
        let target = &mut self.accounts[account];
        target.transactions = transactions;
        target.balances = balances;
    }

    fn counterparty_pool(&self) -> Vec<Party> {
        let persons = self.persons.iter().skip(MIN_PERSONS).map(|p| Party {
            id: p.id.clone(),
            name: p.name.clone(),
            address: p.address.clone(),
        });
        let companies = self.companies.iter().map(|c| Party {
            id: c.org_number.clone(),
            name: c.name.clone(),
            address: c.address.clone(),
        });
        persons.chain(companies).collect()
    }

    fn next_transaction_id(&mut self, bank_code: &str) -> String {
        self.transaction_serial += 1;
        format!("{bank_code}-{:09}", self.transaction_serial)
    }

    fn amount(&mut self, low: u32, high: u32) -> f64 {
        f64::from(self.rng.random_range(low..high)) / 100.0
    }

    #[allow(clippy::too_many_arguments)]
    fn transaction(
        &mut self,
        record: &AccountRecord,
        template: TransactionTemplate,
        day: NaiveDate,
        status: TransactionStatus,
        pool: &[Party],
        mix: TransactionMix,
    ) -> Transaction {
        let bank_code = record
            .account_identifier
            .get(..4)
            .unwrap_or("0000")
            .to_owned();
        let transaction_identifier = self.next_transaction_id(&bank_code);
        let (indicator, code, low, high) = template.code();
        let amount = self.amount(low, high);
        let hour = self.rng.random_range(6..23u32);
        let minute = self.rng.random_range(0..60u32);
        let registered = format!("{day}T{hour:02}:{minute:02}:00Z");
        let booked = status == TransactionStatus::Booked;
        let lean = mix == TransactionMix::Lean;
        let mut tx = Transaction {
            transaction_identifier,
            references: Vec::new(),
            credit_debit_indicator: Some(indicator),
            reversal_indicator: Some(false),
            status: Some(status),
            transaction_code: Some(code),
            booking_date: booked.then(|| format!("{day}T00:00:00")),
            value_date: booked.then(|| format!("{day}T00:00:00")),
            counter_parties: Vec::new(),
            additional_info: None,
            currency_exchange: None,
            merchant: None,
            payment_card: None,
            registered: Some(registered),
            amount: Some(amount),
            currency: Some(record.currency.clone()),
        };
        if !lean {
            tx.references.push(TransactionReference {
                value: format!(
                    "{:016}",
                    self.rng.random_range(0..10_000_000_000_000_000u64)
                ),
                kind: ReferenceType::ArchiveReference,
            });
        }
        match template {
            TransactionTemplate::CardPurchase | TransactionTemplate::CashWithdrawal => {
                let (merchant, country, merchant_currency) = MERCHANTS
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or(("KIWI", "NO", "NOK"));
                tx.merchant = Some(merchant.to_owned());
                tx.additional_info = Some(format!("{merchant} {country}"));
                if let Some(card) = record
                    .cards
                    .iter()
                    .find(|c| c.card_status == CardStatus::Active)
                {
                    tx.payment_card = Some(wire_card(card));
                }
                if merchant_currency != record.currency {
                    let rate = exchange_rate(merchant_currency, &record.currency);
                    tx.currency_exchange = Some(CurrencyExchange {
                        original_amount: Some(round2(amount / rate)),
                        source_currency: Some(merchant_currency.to_owned()),
                        target_currency: Some(record.currency.clone()),
                        unit_currency: Some(merchant_currency.to_owned()),
                        exchange_rate: Some(rate),
                    });
                }
            }
            TransactionTemplate::Giro
            | TransactionTemplate::DirectDebit
            | TransactionTemplate::Salary => {
                if let Some(party) = pool.choose(&mut self.rng).cloned() {
                    let bank_code = self
                        .banks
                        .choose(&mut self.rng)
                        .map(|b| b.bank_code.clone())
                        .unwrap_or_else(|| "1234".to_owned());
                    let account_identifier =
                        AccountNumber::generate_for_bank(&mut self.rng, &bank_code)
                            .map(|n| n.as_str().to_owned())
                            .ok();
                    let kind = if indicator == CreditDebitIndicator::Debit {
                        CounterPartyType::Creditor
                    } else {
                        CounterPartyType::Debtor
                    };
                    tx.counter_parties.push(CounterParty {
                        account_identifier,
                        identifier: Some(identifier_of(&party.id)),
                        name: Some(party.name.clone()),
                        kind: Some(kind),
                        postal_address: (!lean).then(|| PostalAddress {
                            post_code: Some(party.address.post_code.clone()),
                            kind: Some(if party.id.len() == 9 {
                                PostalAddressType::Business
                            } else {
                                PostalAddressType::Residential
                            }),
                            street_name: Some(party.address.street_name.clone()),
                            building_number: Some(party.address.building_number.clone()),
                            town_name: Some(party.address.town_name.clone()),
                            country: Some(party.address.country.clone()),
                            address_lines: Vec::new(),
                        }),
                    });
                    if !lean && template != TransactionTemplate::Salary {
                        tx.references.push(TransactionReference {
                            value: format!("{:010}", self.rng.random_range(0..10_000_000_000u64)),
                            kind: ReferenceType::RemittanceReference,
                        });
                    }
                }
            }
            _ => {}
        }
        tx
    }

    fn reversal_of(&mut self, record: &AccountRecord, original: &Transaction) -> Transaction {
        let bank_code = record
            .account_identifier
            .get(..4)
            .unwrap_or("0000")
            .to_owned();
        let mut reversal = original.clone();
        reversal.transaction_identifier = self.next_transaction_id(&bank_code);
        reversal.credit_debit_indicator = Some(CreditDebitIndicator::Credit);
        reversal.reversal_indicator = Some(true);
        reversal.transaction_code = Some(BankTransactionCode {
            domain: Some(TransactionDomain::Payments),
            family: Some(TransactionFamily::CustomerCardTransactions),
            sub_family: Some(TransactionSubFamily::ReversalDueToPayment),
            free_text: Some("Tilbakeføring".to_owned()),
        });
        reversal.references.push(TransactionReference {
            value: original.transaction_identifier.clone(),
            kind: ReferenceType::OtherReference,
        });
        reversal
    }

    /// Day-end balances from an opening balance and the booked transactions; the last point's
    /// available balance also subtracts pending amounts (digest 3.4.7).
    fn balances(
        &mut self,
        record: &AccountRecord,
        transactions: &[Transaction],
        pending_total: f64,
    ) -> Vec<BalancePoint> {
        let opening = match record.kind {
            AccountType::LoanAccount => -self.amount(50_000_000, 300_000_000),
            AccountType::SavingsAccount => self.amount(1_000_000, 30_000_000),
            AccountType::CreditCardAccount => -self.amount(0, 1_000_000),
            _ => self.amount(100_000, 5_000_000),
        };
        let credit = if record.credit_line_included {
            record.credit_line.unwrap_or(0.0)
        } else {
            0.0
        };
        let Some(first) = record.open_periods.first() else {
            return Vec::new();
        };
        let window_start = self.days_ago(HISTORY_DAYS);
        let mut points = vec![BalancePoint {
            date: first.start_date.max(window_start).min(self.today),
            booked: round2(opening),
            available: round2(opening + credit),
        }];
        let mut booked = opening;
        for tx in transactions {
            if tx.status != Some(TransactionStatus::Booked) {
                continue;
            }
            let Some(day) = tx.booking_date.as_deref().and_then(|d| d.get(..10)) else {
                continue;
            };
            let Ok(day) = day.parse::<NaiveDate>() else {
                continue;
            };
            let amount = tx.amount.unwrap_or(0.0);
            if tx.transaction_code.as_ref().and_then(|c| c.sub_family)
                == Some(TransactionSubFamily::AccountClosing)
            {
                booked = 0.0;
            } else if tx.credit_debit_indicator == Some(CreditDebitIndicator::Credit) {
                booked += amount;
            } else {
                booked -= amount;
            }
            let point = BalancePoint {
                date: day,
                booked: round2(booked),
                available: round2(booked + credit),
            };
            match points.last_mut() {
                Some(last) if last.date == day => *last = point,
                _ => points.push(point),
            }
        }
        if let Some(last) = points.last_mut() {
            last.available = round2(last.available - pending_total);
        }
        points
    }
}

/// Which kinds of transaction an account gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TransactionMix {
    /// Giro, direct debits, salary, fees, interest, some card purchases.
    Standard,
    /// Mostly card purchases (some abroad: currency exchange) plus pending and info entries.
    Cards,
    /// Loan instalments and interest.
    Loan,
    /// Like `Standard` without references or addresses (the 2 500-transaction account, to
    /// keep the committed pack small).
    Lean,
}

impl TransactionMix {
    fn pick(self, rng: &mut StdRng, kind: AccountType) -> TransactionTemplate {
        use TransactionTemplate as T;
        let choices: &[TransactionTemplate] = match (self, kind) {
            (TransactionMix::Loan, _) | (_, AccountType::LoanAccount) => {
                &[T::Instalment, T::Instalment, T::Interest, T::Fee]
            }
            (TransactionMix::Cards, _) => &[
                T::CardPurchase,
                T::CardPurchase,
                T::CardPurchase,
                T::CashWithdrawal,
                T::Salary,
            ],
            (_, AccountType::SavingsAccount) => &[T::Salary, T::Giro, T::Interest],
            _ => &[
                T::Salary,
                T::Giro,
                T::Giro,
                T::DirectDebit,
                T::CardPurchase,
                T::Fee,
                T::Interest,
            ],
        };
        choices.choose(rng).copied().unwrap_or(T::Giro)
    }
}

fn card_type_for(kind: AccountType) -> CardType {
    if kind == AccountType::CreditCardAccount {
        CardType::CreditCard
    } else {
        CardType::DebitCard
    }
}

fn year_month(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

pub(crate) fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Price of one unit of `from` in `to` (fixed synthetic rates).
pub(crate) fn exchange_rate(from: &str, to: &str) -> f64 {
    let in_nok = |currency: &str| match currency {
        "EUR" => 11.5,
        "SEK" => 1.0,
        "DKK" => 1.55,
        "USD" => 10.8,
        "GBP" => 13.6,
        _ => 1.0,
    };
    round4(in_nok(from) / in_nok(to))
}

fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// The DSOP `Identifier` of a party number: 9 digits is an organisation, 11 a person
/// (digest 3.4.5).
pub(crate) fn identifier_of(party: &str) -> Identifier {
    Identifier {
        country_of_residence: Some("NO".to_owned()),
        value: party.to_owned(),
        kind: if party.len() == 9 {
            IdentifierType::CountryIdentificationCode
        } else {
            IdentifierType::NationalIdentityNumber
        },
    }
}

/// A stored card in its wire shape (digest 3.3.4).
pub(crate) fn wire_card(card: &CardRecord) -> PaymentCard {
    PaymentCard {
        card_identifier: card.card_identifier.clone(),
        holder_name: Some(card.holder_name.clone()),
        start_date: Some(card.start_date.clone()),
        expiry_date: Some(card.expiry_date.clone()),
        card_issuer_name: Some(card.card_issuer_name.clone()),
        kind: Some(card.kind),
        card_status: Some(card.card_status),
        version_number: Some(card.version_number.clone()),
        card_issuer_identifier: Some(identifier_of(&card.card_issuer_org_number)),
    }
}

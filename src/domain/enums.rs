//! Every closed value list of the Control API and the registry (digest 3.4.4, 3.4.10–3.4.14),
//! as Rust enums whose serde names are the wire spellings.
//!
//! Each enum has `ALL` (in the documents' order) and `as_str()`, so tests can prove that the
//! JSON Schemas in `schemas/` list exactly the same values.

/// Declares a closed DSOP value list.
macro_rules! dsop_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// Every value, in the order the DSOP documents list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            /// The value with this exact wire spelling, if any.
            pub fn from_wire(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

dsop_enum! {
    /// `responseDetails.status` (digest 3.4.1).
    ResponseStatus { Partial = "partial", Complete = "complete" }
}

dsop_enum! {
    /// Account `status` (digest 3.4.2).
    AccountStatus { Enabled = "enabled", Disabled = "disabled", Deleted = "deleted" }
}

dsop_enum! {
    /// Account `type`: every account ever held maps to exactly one (digest 3.4.4, 7.9).
    AccountType {
        LoanAccount = "loanAccount",
        SalaryAccount = "salaryAccount",
        CurrencyAccount = "currencyAccount",
        SavingsAccount = "savingsAccount",
        ClientAccount = "clientAccount",
        TaxDeductionAccount = "taxDeductionAccount",
        BusinessAccount = "businessAccount",
        CreditCardAccount = "creditCardAccount",
        PrepaidCardAccount = "prepaidCardAccount",
        AccountWithoutBalance = "accountWithoutBalance",
        OtherAccount = "otherAccount",
    }
}

dsop_enum! {
    /// `permission` of an account role (digest 3.4.5).
    Permission {
        RightToUseAlone = "rightToUseAlone",
        RightToUseWithOther = "rightToUseWithOther",
        RightToSeeOnly = "rightToSeeOnly",
    }
}

dsop_enum! {
    /// `Identifier.type` (digest 3.4.5): organisation number or person number.
    IdentifierType {
        CountryIdentificationCode = "countryIdentificationCode",
        NationalIdentityNumber = "nationalIdentityNumber",
    }
}

dsop_enum! {
    /// `creditDebitIndicator` of balances and transactions (digest 3.4.7, 3.4.9).
    CreditDebitIndicator { Credit = "credit", Debit = "debit" }
}

dsop_enum! {
    /// Balance `type` (digest 3.4.7).
    BalanceType { AvailableBalance = "availableBalance", BookedBalance = "bookedBalance" }
}

dsop_enum! {
    /// Transaction `status` (digest 3.4.9): anything not booked or pending is `info`.
    TransactionStatus { Booked = "booked", Pending = "pending", Info = "info" }
}

dsop_enum! {
    /// Counterparty `type` (digest 3.4.14).
    CounterPartyType {
        Debtor = "debtor",
        Creditor = "creditor",
        UltimateDebtor = "ultimateDebtor",
        UltimateCreditor = "ultimateCreditor",
    }
}

dsop_enum! {
    /// Postal address `type` (digest 3.4.14).
    PostalAddressType {
        Residential = "residential",
        Business = "business",
        MailTo = "mailTo",
        DeliveryTo = "deliveryTo",
    }
}

dsop_enum! {
    /// Payment card `type` (digest 3.4.14).
    CardType { CreditCard = "creditCard", DebitCard = "debitCard" }
}

dsop_enum! {
    /// Payment card `cardStatus` (digest 3.4.14).
    CardStatus { Active = "active", Blocked = "blocked" }
}

dsop_enum! {
    /// `references[].type` of a transaction (digest 3.4.10).
    ReferenceType {
        AccountServicerReference = "accountServicerReference",
        ArchiveReference = "archiveReference",
        ChequeNumber = "chequeNumber",
        EndToEndIdentification = "endToEndIdentification",
        InstructionIdentification = "instructionIdentification",
        InvoiceNumber = "invoiceNumber",
        MandateIdentification = "mandateIdentification",
        MessageIdentification = "messageIdentification",
        OtherReference = "otherReference",
        PaymentInformationIdentification = "paymentInformationIdentification",
        RemittanceReference = "remittanceReference",
    }
}

dsop_enum! {
    /// `transactionCode.domain`, ISO 20022 Bank Transaction Code (digest 3.4.11).
    TransactionDomain {
        AccountManagement = "accountManagement",
        CashManagement = "cashManagement",
        ForeignExchange = "foreignExchange",
        Payments = "payments",
        Securities = "securities",
        TradeServices = "tradeServices",
        Extended = "extended",
    }
}

dsop_enum! {
    /// `transactionCode.family` (digest 3.4.12).
    TransactionFamily {
        AdditionalMiscellaneousCreditOperations = "additionalMiscellaneousCreditOperations",
        AdditionalMiscellaneousDebitOperations = "additionalMiscellaneousDebitOperations",
        MiscellaneousCreditOperations = "miscellaneousCreditOperations",
        MiscellaneousDebitOperations = "miscellaneousDebitOperations",
        OpeningAndClosing = "openingAndClosing",
        AccountBalancing = "accountBalancing",
        CashPooling = "cashPooling",
        NotAvailable = "notAvailable",
        CustomerCardTransactions = "customerCardTransactions",
        CounterTransactions = "counterTransactions",
        Drafts = "drafts",
        IssuedCashConcentrationTransactions = "issuedCashConcentrationTransactions",
        IssuedCreditTransfers = "issuedCreditTransfers",
        IssuedCheques = "issuedCheques",
        IssuedDirectDebits = "issuedDirectDebits",
        LockboxTransactions = "lockboxTransactions",
        MerchantCardTransactions = "merchantCardTransactions",
        Other = "other",
        ReceivedCashConcentrationTransactions = "receivedCashConcentrationTransactions",
        ReceivedCreditTransfers = "receivedCreditTransfers",
        ReceivedCheques = "receivedCheques",
        ReceivedDirectDebits = "receivedDirectDebits",
        CorporateAction = "corporateAction",
        DocumentaryCollection = "documentaryCollection",
        StandByLetterOfCredit = "standByLetterOfCredit",
    }
}

dsop_enum! {
    /// `transactionCode.subFamily` (digest 3.4.13).
    TransactionSubFamily {
        ValueDate = "valueDate",
        ChargesGeneric = "chargesGeneric",
        Commissions = "commissions",
        InterestsGeneric = "interestsGeneric",
        Other = "other",
        AccountClosing = "accountClosing",
        NotAvailable = "notAvailable",
        Sweeping = "sweeping",
        Topping = "topping",
        ZeroBalancing = "zeroBalancing",
        CashWithdrawal = "cashWithdrawal",
        DebitCardPayment = "debitCardPayment",
        CrossBorderCashWithdrawal = "crossBorderCashWithdrawal",
        CashDeposit = "cashDeposit",
        DebitAdjustmentGeneric = "debitAdjustmentGeneric",
        TravellersChequesDeposit = "travellersChequesDeposit",
        SettlementAtMaturity = "settlementAtMaturity",
        IntraCompanyTransfer = "intraCompanyTransfer",
        CorporateOwnAccountTransfer = "corporateOwnAccountTransfer",
        CrossBorderIntraCompanyTransfer = "crossBorderIntraCompanyTransfer",
        AchDebit = "achDebit",
        AchReturn = "achReturn",
        AchTransactionAtxn = "achTransactionAtxn",
        AutomaticTransfer = "automaticTransfer",
        BankCheque = "bankCheque",
        Booked = "booked",
        DomesticCreditTransfer = "domesticCreditTransfer",
        Dividend = "dividend",
        SepaCreditTransfer = "sepaCreditTransfer",
        FinancialInstitutionCreditTransfer = "financialInstitutionCreditTransfer",
        PrincipalPayment = "principalPayment",
        PriorityCreditTransfer = "priorityCreditTransfer",
        ReversalDueToPaymentReturn = "reversalDueToPaymentReturn",
        AchTransactionSala = "achTransactionSala",
        SameDayValueCreditTransfer = "sameDayValueCreditTransfer",
        StandingOrder = "standingOrder",
        Taxes = "taxes",
        CreditTransferWithAgreedCommercialInformation = "creditTransferWithAgreedCommercialInformation",
        CrossBorderCreditTransfer = "crossBorderCreditTransfer",
        CashLetter = "cashLetter",
        Cheques = "cheques",
        ChequesReversal = "chequesReversal",
        OpenCheque = "openCheque",
        UnpaidCheque = "unpaidCheque",
        CrossBorderCheque = "crossBorderCheque",
        SepaCoreDirectDebit = "sepaCoreDirectDebit",
        DirectDebitPayment = "directDebitPayment",
        ReversalDueToPayment = "reversalDueToPayment",
        ReversalDueToPaymentCancellationRequest = "reversalDueToPaymentCancellationRequest",
        ReversalDueToReturnUnpaidDirectDebit = "reversalDueToReturnUnpaidDirectDebit",
        Debit = "debit",
        Deposit = "deposit",
        Adjustments = "adjustments",
        Fees = "fees",
        CreditCardPayment = "creditCardPayment",
        PointOfSalePosPayment = "pointOfSalePosPayment",
        CreditAdjustment = "creditAdjustment",
        SettlementAfterCollection = "settlementAfterCollection",
    }
}

dsop_enum! {
    /// Registry `banks[].ownershipType` (digest 2.2).
    OwnershipType {
        PrimaryOwner = "primaryOwner",
        NotPrimaryOwner = "notPrimaryOwner",
        Unknown = "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_counts_match_the_digest() {
        assert_eq!(AccountType::ALL.len(), 11, "digest 3.4.4");
        assert_eq!(ReferenceType::ALL.len(), 11, "digest 3.4.10");
        assert_eq!(TransactionDomain::ALL.len(), 7, "digest 3.4.11");
        assert_eq!(TransactionFamily::ALL.len(), 25, "digest 3.4.12");
        assert_eq!(TransactionSubFamily::ALL.len(), 58, "digest 3.4.13");
    }

    #[test]
    fn serde_uses_the_wire_spelling() {
        for t in AccountType::ALL {
            let json = serde_json::to_string(t).expect("serialise");
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(AccountType::from_wire(t.as_str()), Some(*t));
        }
    }
}

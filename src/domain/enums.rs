//! Every closed value list of the Control API and the registry (digest 3.4.4, 3.4.10–3.4.14),
//! as Rust enums whose serde names are the wire spellings.
//!
//! Each enum has `ALL` (in the documents' order) and `as_str()`, so tests can prove that the
//! JSON Schemas in `schemas/` list exactly the same values. The spellings are the variant
//! names in camelCase, derived by strum and serde ([`named_enum`]).

/// Declares a closed list of names: an enum whose spellings strum derives from the variant
/// identifiers in the given case (`"camelCase"`: the DSOP wire values; `"kebab-case"`: the
/// harness's own CLI names), serde using the same spellings, with `ALL` (in declaration
/// order), `as_str`, `from_wire`, `Display`, and a `FromStr` whose error lists every name.
/// The one declaration of this shape in the crate (fault profiles have their own, richer one).
macro_rules! named_enum {
    ($case:tt, $(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize,
            strum::IntoStaticStr, strum::Display, strum::VariantArray,
        )]
        #[serde(rename_all = $case)]
        #[strum(serialize_all = $case)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order (for DSOP lists: the documents' order).
            pub const ALL: &'static [$name] = <$name as strum::VariantArray>::VARIANTS;

            /// The spelling (wire value or CLI name).
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            /// The value with this exact spelling, if any.
            pub fn from_wire(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value)
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, String> {
                Self::from_wire(s).ok_or_else(|| {
                    let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    format!("unknown value {s:?}; one of: {}", names.join(", "))
                })
            }
        }
    };
}
pub(crate) use named_enum;

named_enum! {
    "camelCase",
    /// `responseDetails.status` (digest 3.4.1).
    ResponseStatus { Partial, Complete }
}

named_enum! {
    "camelCase",
    /// Account `status` (digest 3.4.2).
    AccountStatus { Enabled, Disabled, Deleted }
}

named_enum! {
    "camelCase",
    /// Account `type`: every account ever held maps to exactly one (digest 3.4.4, 7.9).
    AccountType {
        LoanAccount,
        SalaryAccount,
        CurrencyAccount,
        SavingsAccount,
        ClientAccount,
        TaxDeductionAccount,
        BusinessAccount,
        CreditCardAccount,
        PrepaidCardAccount,
        AccountWithoutBalance,
        OtherAccount,
    }
}

named_enum! {
    "camelCase",
    /// `permission` of an account role (digest 3.4.5).
    Permission {
        RightToUseAlone,
        RightToUseWithOther,
        RightToSeeOnly,
    }
}

named_enum! {
    "camelCase",
    /// `Identifier.type` (digest 3.4.5): organisation number or person number.
    IdentifierType {
        CountryIdentificationCode,
        NationalIdentityNumber,
    }
}

named_enum! {
    "camelCase",
    /// `creditDebitIndicator` of balances and transactions (digest 3.4.7, 3.4.9).
    CreditDebitIndicator { Credit, Debit }
}

named_enum! {
    "camelCase",
    /// Balance `type` (digest 3.4.7).
    BalanceType { AvailableBalance, BookedBalance }
}

named_enum! {
    "camelCase",
    /// Transaction `status` (digest 3.4.9): anything not booked or pending is `info`.
    TransactionStatus { Booked, Pending, Info }
}

named_enum! {
    "camelCase",
    /// Counterparty `type` (digest 3.4.14).
    CounterPartyType {
        Debtor,
        Creditor,
        UltimateDebtor,
        UltimateCreditor,
    }
}

named_enum! {
    "camelCase",
    /// Postal address `type` (digest 3.4.14).
    PostalAddressType {
        Residential,
        Business,
        MailTo,
        DeliveryTo,
    }
}

named_enum! {
    "camelCase",
    /// Payment card `type` (digest 3.4.14).
    CardType { CreditCard, DebitCard }
}

named_enum! {
    "camelCase",
    /// Payment card `cardStatus` (digest 3.4.14).
    CardStatus { Active, Blocked }
}

named_enum! {
    "camelCase",
    /// `references[].type` of a transaction (digest 3.4.10).
    ReferenceType {
        AccountServicerReference,
        ArchiveReference,
        ChequeNumber,
        EndToEndIdentification,
        InstructionIdentification,
        InvoiceNumber,
        MandateIdentification,
        MessageIdentification,
        OtherReference,
        PaymentInformationIdentification,
        RemittanceReference,
    }
}

named_enum! {
    "camelCase",
    /// `transactionCode.domain`, ISO 20022 Bank Transaction Code (digest 3.4.11).
    TransactionDomain {
        AccountManagement,
        CashManagement,
        ForeignExchange,
        Payments,
        Securities,
        TradeServices,
        Extended,
    }
}

named_enum! {
    "camelCase",
    /// `transactionCode.family` (digest 3.4.12).
    TransactionFamily {
        AdditionalMiscellaneousCreditOperations,
        AdditionalMiscellaneousDebitOperations,
        MiscellaneousCreditOperations,
        MiscellaneousDebitOperations,
        OpeningAndClosing,
        AccountBalancing,
        CashPooling,
        NotAvailable,
        CustomerCardTransactions,
        CounterTransactions,
        Drafts,
        IssuedCashConcentrationTransactions,
        IssuedCreditTransfers,
        IssuedCheques,
        IssuedDirectDebits,
        LockboxTransactions,
        MerchantCardTransactions,
        Other,
        ReceivedCashConcentrationTransactions,
        ReceivedCreditTransfers,
        ReceivedCheques,
        ReceivedDirectDebits,
        CorporateAction,
        DocumentaryCollection,
        StandByLetterOfCredit,
    }
}

named_enum! {
    "camelCase",
    /// `transactionCode.subFamily` (digest 3.4.13).
    TransactionSubFamily {
        ValueDate,
        ChargesGeneric,
        Commissions,
        InterestsGeneric,
        Other,
        AccountClosing,
        NotAvailable,
        Sweeping,
        Topping,
        ZeroBalancing,
        CashWithdrawal,
        DebitCardPayment,
        CrossBorderCashWithdrawal,
        CashDeposit,
        DebitAdjustmentGeneric,
        TravellersChequesDeposit,
        SettlementAtMaturity,
        IntraCompanyTransfer,
        CorporateOwnAccountTransfer,
        CrossBorderIntraCompanyTransfer,
        AchDebit,
        AchReturn,
        AchTransactionAtxn,
        AutomaticTransfer,
        BankCheque,
        Booked,
        DomesticCreditTransfer,
        Dividend,
        SepaCreditTransfer,
        FinancialInstitutionCreditTransfer,
        PrincipalPayment,
        PriorityCreditTransfer,
        ReversalDueToPaymentReturn,
        AchTransactionSala,
        SameDayValueCreditTransfer,
        StandingOrder,
        Taxes,
        CreditTransferWithAgreedCommercialInformation,
        CrossBorderCreditTransfer,
        CashLetter,
        Cheques,
        ChequesReversal,
        OpenCheque,
        UnpaidCheque,
        CrossBorderCheque,
        SepaCoreDirectDebit,
        DirectDebitPayment,
        ReversalDueToPayment,
        ReversalDueToPaymentCancellationRequest,
        ReversalDueToReturnUnpaidDirectDebit,
        Debit,
        Deposit,
        Adjustments,
        Fees,
        CreditCardPayment,
        PointOfSalePosPayment,
        CreditAdjustment,
        SettlementAfterCollection,
    }
}

named_enum! {
    "camelCase",
    /// Registry `banks[].ownershipType` (digest 2.2).
    OwnershipType {
        PrimaryOwner,
        NotPrimaryOwner,
        Unknown,
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

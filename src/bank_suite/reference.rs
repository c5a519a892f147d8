//! The reference mock bank set up as a bank vendor sets up its test environment for the suite
//! (docs/bank-vendors.md): strict (caseID checked, digest 4.8) and trusting the suite's flawed
//! signing certificates beside the prosecution keys, so the certificate rows of the order matrix
//! reach the OU/CN/validity checks. Used by `demo` and the suite's own tests.

use super::FlawedSigners;
use crate::mocks::bank::{BankConfig, BankMock, BankTrust};
use crate::mocks::ecosystem::BankFactory;
use std::path::PathBuf;
use std::sync::Arc;

/// A bank factory for [`crate::mocks::ecosystem::EcosystemConfig`]; `trust_dir` is the
/// directory the suite runs with (where the flawed signers are kept).
pub fn reference_bank_factory(trust_dir: PathBuf) -> BankFactory {
    Arc::new(move |slot| {
        let mut trust =
            BankTrust::from_trust_dir(&slot.trust, Some(slot.encryption_cert_der.clone()))?;
        let flawed =
            FlawedSigners::load_or_create(&slot.trust, &trust_dir, chrono::Utc::now().timestamp())?;
        trust.prosecution_jwks.keys.extend(flawed.jwks()?.keys);
        let mut config = BankConfig::for_slot(slot, trust)?;
        config.strict = true;
        let bank: Arc<dyn crate::mocks::http::Handler> = Arc::new(BankMock::new(config)?);
        Ok(bank)
    })
}

//! A trust directory made once per fuzzing process (RSA key generation takes seconds).

use dsop_harness::trust::TrustDir;
use std::sync::OnceLock;

pub fn trust() -> &'static TrustDir {
    static TRUST: OnceLock<TrustDir> = OnceLock::new();
    TRUST.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dsop-fuzz-trust-{}", std::process::id()));
        TrustDir::init(&dir).expect("trust dir");
        TrustDir::open(&dir).expect("open trust dir")
    })
}

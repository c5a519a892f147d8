//! Trust directory: idempotent init, incremental regeneration along the dependency graph,
//! key file permissions.

use dsop_harness::{Artifact, FileOutcome, TrustDir};
use libtest_mimic::{Failed, Trial};
use std::collections::BTreeMap;
use std::path::Path;

fn snapshot(dir: &Path) -> BTreeMap<Artifact, Vec<u8>> {
    Artifact::ALL
        .iter()
        .map(|a| (*a, std::fs::read(dir.join(a.file())).expect("file exists")))
        .collect()
}

fn init_twice_is_byte_identical() -> Result<(), Failed> {
    let tmp = tempfile::tempdir()?;
    let first = TrustDir::init(tmp.path())?;
    if first
        .init_report()
        .iter()
        .any(|(_, o)| *o != FileOutcome::Created)
    {
        return Err(format!("first init: {:?}", first.init_report()).into());
    }
    let before = snapshot(tmp.path());
    let second = TrustDir::init(tmp.path())?;
    if second
        .init_report()
        .iter()
        .any(|(_, o)| *o != FileOutcome::Reused)
    {
        return Err(format!("second init: {:?}", second.init_report()).into());
    }
    if snapshot(tmp.path()) != before {
        return Err("second init changed bytes".into());
    }
    TrustDir::open(tmp.path())?;
    #[cfg(unix)]
    for a in Artifact::ALL.iter().filter(|a| a.is_private()) {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(tmp.path().join(a.file()))?
            .permissions()
            .mode()
            & 0o777;
        if mode != 0o600 {
            return Err(format!("{} has mode {mode:o}", a.file()).into());
        }
    }
    Ok(())
}

/// Deletes `victim`, re-inits, and checks that exactly it and its dependents changed.
fn delete_regenerates_only_dependents(victim: Artifact) -> Result<(), Failed> {
    let tmp = tempfile::tempdir()?;
    TrustDir::init(tmp.path())?;
    let before = snapshot(tmp.path());
    std::fs::remove_file(tmp.path().join(victim.file()))?;
    let dir = TrustDir::init(tmp.path())?;
    let after = snapshot(tmp.path());
    let expected = victim.dependents();
    for (artifact, outcome) in dir.init_report() {
        let want = if *artifact == victim {
            FileOutcome::Created
        } else if expected.contains(artifact) {
            FileOutcome::Regenerated
        } else {
            FileOutcome::Reused
        };
        if *outcome != want {
            return Err(format!("{artifact:?}: {outcome:?}, expected {want:?}").into());
        }
        if *artifact == victim {
            // Recreated; a JWKS rebuilt from an unchanged certificate is byte-identical, a
            // new key or certificate is not: either is fine for the victim itself.
            continue;
        }
        let same = before[artifact] == after[artifact];
        // Dependents embed a re-issued certificate (fresh serial), so their bytes must
        // differ; every other file must be byte-identical.
        if expected.contains(artifact) == same {
            return Err(format!("{artifact:?}: changed={} but dependent={}", !same, !same).into());
        }
    }
    // The regenerated directory still works end to end.
    let now = chrono::Utc::now();
    let built = dsop_harness::eo::OrderBuilder::valid(now).build(&dir)?;
    dsop_harness::eo::ExtraditionOrderVerifier::from_trust_dir(
        &dir,
        dsop_harness::eo::Environment::Test,
        now,
    )?
    .verify(&built.jws)
    .map_err(|e| format!("after regeneration: {e}"))?;
    Ok(())
}

pub fn trials() -> Vec<Trial> {
    let mut trials = vec![Trial::test(
        "dir::init twice leaves every file byte-identical; keys are 0600",
        init_twice_is_byte_identical,
    )];
    for victim in [
        Artifact::ProsecutionCert,
        Artifact::ProsecutionJwks,
        Artifact::RootCert,
        Artifact::RootKey,
        Artifact::ConsumerEncryptionCert,
    ] {
        trials.push(Trial::test(
            format!(
                "dir::deleting {} regenerates only it and its dependents",
                victim.file()
            ),
            move || delete_regenerates_only_dependents(victim),
        ));
    }
    trials.push(Trial::test(
        "dir::dependency graph is explicit and acyclic",
        || {
            let d = Artifact::RootKey.dependents();
            for a in [
                Artifact::RootCert,
                Artifact::IntermediateCert,
                Artifact::ProsecutionCert,
                Artifact::ProsecutionJwks,
            ] {
                if !d.contains(&a) {
                    return Err(format!("{a:?} should depend on the root key").into());
                }
            }
            if d.contains(&Artifact::TlsCa) || d.contains(&Artifact::ProsecutionKey) {
                return Err("TLS CA / keys must not depend on the root key".into());
            }
            Ok(())
        },
    ));
    trials
}

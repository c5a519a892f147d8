//! Maskinporten access tokens (`tokens.json`) and JWT grants (`grants.json`).

use crate::helpers::{failure, fixture, table};
use dsop_harness::{
    create_grant, AccessTokenValidator, Artifact, GrantBreak, GrantRequest, GrantValidator,
    ResourceIndicator, TokenBreak, TokenMinter, CONTROL_API_SCOPE,
};
use libtest_mimic::{Failed, Trial};
use serde_json::Value;

fn token_row(row: &Value, audience: &str) -> Result<(), Failed> {
    let fx = fixture();
    let now = fx.now.timestamp();
    let minter = TokenMinter::from_trust_dir(&fx.trust).map_err(|e| e.to_string())?;
    let breaks: Vec<TokenBreak> = row["break"]
        .as_str()
        .map(|b| b.parse())
        .transpose()?
        .into_iter()
        .collect();
    let scope = row["scope"].as_str().unwrap_or(CONTROL_API_SCOPE);
    let token = minter
        .mint(audience, scope, now, &breaks)
        .map_err(|e| e.to_string())?;
    let verify_audience = row["verify_audience"].as_str().unwrap_or(audience);
    let validator = AccessTokenValidator::from_trust_dir(&fx.trust, verify_audience)
        .map_err(|e| e.to_string())?;
    let at = now + row["clock"].as_i64().unwrap_or(0);
    let expect = row["expect"].as_str().unwrap_or("accepted");
    match validator.validate(&token, CONTROL_API_SCOPE, at) {
        Ok(_) if expect == "accepted" => Ok(()),
        Ok(_) => Err(failure(row, &token, "accepted").into()),
        Err(e) if e.rule() == expect => {
            if let Some(http) = row["http"].as_array() {
                let (status, code) = e.http();
                if http[0].as_u64() != Some(u64::from(status)) || http[1].as_str() != Some(code) {
                    return Err(failure(row, &token, &format!("HTTP {status} {code}")).into());
                }
            }
            Ok(())
        }
        Err(e) => Err(failure(row, &token, &format!("{}: {e}", e.rule())).into()),
    }
}

fn grant_row(row: &Value) -> Result<(), Failed> {
    let fx = fixture();
    let now = fx.now.timestamp();
    let breaks: Vec<GrantBreak> = row["break"]
        .as_str()
        .map(|b| b.parse())
        .transpose()?
        .into_iter()
        .collect();
    let request = GrantRequest {
        client_id: fx.trust.manifest().police_client_id.clone(),
        audience: fx.trust.manifest().maskinporten_issuer.clone(),
        scope: CONTROL_API_SCOPE.to_owned(),
        // `resource` in the row: its JSON (a string, an array; null = none) as the claim.
        resource: match row.get("resource") {
            None => Some(ResourceIndicator::single("https://bank.test.example/dsop/")),
            Some(Value::Null) => None,
            Some(v) => Some(serde_json::from_value(v.clone()).map_err(|e| e.to_string())?),
        },
        use_kid: row["use_kid"].as_bool().unwrap_or(false),
    };
    let key = fx
        .trust
        .key(Artifact::PoliceClientKey)
        .map_err(|e| e.to_string())?;
    let cert = fx
        .trust
        .cert_der(Artifact::PoliceClientCert)
        .map_err(|e| e.to_string())?;
    let grant = create_grant(&key, &cert, &request, now, &breaks).map_err(|e| e.to_string())?;
    // `alg` in the row: the same grant re-signed with RS384/RS512 (Maskinporten accepts both).
    let grant = match row["alg"].as_str() {
        Some(alg) => resign(&grant, alg, key.pkcs8_der())?,
        None => grant,
    };
    let validator = GrantValidator::from_trust_dir(&fx.trust).map_err(|e| e.to_string())?;
    let expect = row["expect"].as_str().unwrap_or("accepted");
    match validator.validate(&grant, now) {
        Ok(_) if expect == "accepted" => Ok(()),
        Ok(_) => Err(failure(row, &grant, "accepted").into()),
        Err(e) if e.rule() == expect => match row["oauth"].as_str() {
            Some(code) if code != e.oauth_error() => {
                Err(failure(row, &grant, &format!("oauth error {}", e.oauth_error())).into())
            }
            _ => Ok(()),
        },
        Err(e) => Err(failure(row, &grant, &format!("{}: {e}", e.rule())).into()),
    }
}

/// `grant` with its header's `alg` set to `alg` and signed again with `key` (PKCS#8 DER).
fn resign(grant: &str, alg: &str, key: &[u8]) -> Result<String, Failed> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use josekit::jws::JwsSigner;
    let mut parts = grant.split('.');
    let (header, claims) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    header["alg"] = Value::from(alg);
    let header = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).map_err(|e| e.to_string())?);
    let input = format!("{header}.{claims}");
    let signature = match alg {
        "RS384" => josekit::jws::RS384.signer_from_der(key),
        "RS512" => josekit::jws::RS512.signer_from_der(key),
        other => return Err(format!("no signer for {other}").into()),
    }
    .and_then(|s| s.sign(input.as_bytes()))
    .map_err(|e| e.to_string())?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

pub fn trials() -> Vec<Trial> {
    let doc_audience = {
        let path = format!("{}/tests/trust/tokens.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).expect("tokens.json");
        let doc: Value = serde_json::from_str(&text).expect("tokens.json");
        doc["audience"].as_str().expect("audience").to_owned()
    };
    let mut trials: Vec<Trial> = table("tokens.json")
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let audience = doc_audience.clone();
            Trial::test(
                format!("token::{i:03} {}", row["name"].as_str().unwrap_or("")),
                move || token_row(&row, &audience),
            )
        })
        .collect();
    trials.extend(
        table("grants.json")
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                Trial::test(
                    format!("grant::{i:03} {}", row["name"].as_str().unwrap_or("")),
                    move || grant_row(&row),
                )
            }),
    );
    let token_rows = table("tokens.json");
    let grant_rows = table("grants.json");
    trials.push(Trial::test("token::tables cover every break", move || {
        let used = |rows: &[Value]| -> Vec<String> {
            rows.iter()
                .filter_map(|r| r["break"].as_str().map(str::to_owned))
                .collect()
        };
        let (tu, gu) = (used(&token_rows), used(&grant_rows));
        let missing: Vec<&str> = TokenBreak::ALL
            .iter()
            .map(|b| b.as_str())
            .filter(|n| !tu.iter().any(|u| u == n))
            .chain(
                GrantBreak::ALL
                    .iter()
                    .map(|b| b.as_str())
                    .filter(|n| !gu.iter().any(|u| u == n)),
            )
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("breaks without a row: {missing:?}").into())
        }
    }));
    trials
}

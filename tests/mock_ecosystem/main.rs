//! The mock ecosystem (digest 1, 2, 6, 7.2, 9): server front ends, Maskinporten, the registry,
//! datakatalog, CertPub, the prosecution JWKS and `Ecosystem::start`. Table rows
//! (`registry.json`, `maskinporten.json`) are one trial each; a failure prints the row. Every
//! response a test sees is validated against `schemas/`. Socket tests own fresh servers on
//! port 0.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod cli;
mod fanout;
mod helpers;
mod hostile_framing;
mod hostile_next;
mod pager;
mod sockets;
mod stubs;

use dsop_harness::{
    create_grant, customer_relationships, pem_decode, AccessTokenValidator, Artifact, Catalog,
    CatalogEntry, CatalogMock, CertPubMock, GrantBreak, GrantRequest, Handler, KnownResources,
    MaskinportenMock, MessageKind, MockRequest, MockResponse, ProsecutionJwksMock, RegistryMock,
    ResourceIndicator, TokenBreak, TokenError, DSOP_PROCESS, JWT_BEARER_GRANT, PEM_CONTENT_TYPE,
    REGISTRY_BASE_PATH, SCOPE_KUNDEFORHOLD, UNRESTRICTED_AUDIENCE,
};
use helpers::*;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;
use std::collections::BTreeMap;

fn main() {
    let arguments = Arguments::from_args();
    let mut trials = registry_trials();
    trials.extend(maskinporten_trials());
    trials.extend(small_mock_trials());
    trials.extend(sockets::trials());
    trials.extend(cli::trials());
    trials.extend(fanout::trials());
    trials.extend(pager::trials());
    trials.extend(hostile_next::trials());
    trials.extend(hostile_framing::trials());
    trials.extend(stubs::trials());
    libtest_mimic::run(&arguments, trials).exit();
}

// ---------------------------------------------------------------------------------------------
// Registry (tests/mock_ecosystem/registry.json)

const REGISTRY_URL: &str = "http://registry.test/kar-ws/api/v2";

fn registry_mock() -> RegistryMock {
    let tokens = AccessTokenValidator::from_trust_dir(&trust(), REGISTRY_URL).expect("validator");
    RegistryMock::new(fixture_population(), tokens, fixed_clock())
}

fn registry_trials() -> Vec<Trial> {
    let table = read_table("registry.json");
    let mut trials: Vec<Trial> = table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            let row = row.clone();
            let name = format!(
                "registry::{}::{}",
                row["section"].as_str().unwrap(),
                row["name"].as_str().unwrap()
            );
            Trial::test(name, move || {
                registry_row(&row)
                    .map_err(|e| format!("row {row}\n{}", e.message().unwrap_or_default()).into())
            })
        })
        .collect();
    trials.push(Trial::test(
        "registry::2.2::response_is_the_population_query_answer",
        || {
            // The handler's 200 body equals `customer_relationships` for every party
            // and both onlyPrimaryOwner values, and is a valid response document.
            let mock = registry_mock();
            let population = fixture_population();
            let period =
                dsop_harness::Period::new(today() - chrono::Days::new(365), today()).unwrap();
            for party in [P1, P2, P3, C1, NOBODY] {
                for opo in [None, Some(false), Some(true)] {
                    let mut request =
                        registry_request("customerRelationships", Some(party), SCOPE_KUNDEFORHOLD);
                    request.query = vec![
                        ("fromDate".into(), period.from().to_string()),
                        ("toDate".into(), period.to().to_string()),
                    ];
                    if let Some(opo) = opo {
                        request
                            .query
                            .push(("onlyPrimaryOwner".into(), opo.to_string()));
                    }
                    let handled = mock.handle(&request);
                    let body = body_json(&handled.response)?;
                    valid(MessageKind::RegistryCustomerRelationshipsResponse, &body)?;
                    let expected = customer_relationships(&population, party, period, opo, today());
                    check(body == serde_json::to_value(&expected).unwrap(), || {
                        format!("{party} {opo:?}: served {body}, query says {expected:?}")
                    })?;
                }
            }
            Ok(())
        },
    ));
    trials
}

fn registry_request(endpoint: &str, customer: Option<&str>, scope: &str) -> MockRequest {
    let token = minter()
        .mint(REGISTRY_URL, scope, now().timestamp(), &[])
        .expect("mint");
    let mut headers = vec![
        ("Authorization".to_owned(), format!("Bearer {token}")),
        (
            "CorrelationID".to_owned(),
            "14fbc062-aacb-4449-93c1-85c352d387a4".to_owned(),
        ),
        (
            "AccountInfoRequestID".to_owned(),
            "d4a820ca-ddde-11ed-b5ea-0242ac120002".to_owned(),
        ),
        (
            "Legal-Mandate".to_owned(),
            "Straffeprosessloven%20%C2%A7210%20(3)%20f%C3%B8rste%20punktum".to_owned(),
        ),
    ];
    if let Some(customer) = customer {
        headers.push(("CustomerID".to_owned(), customer.to_owned()));
    }
    MockRequest {
        method: "GET".into(),
        path: format!("{}/customers/{endpoint}", REGISTRY_BASE_PATH),
        headers,
        ..MockRequest::default()
    }
}

fn registry_row(row: &Value) -> Result<(), Failed> {
    let endpoint = row["endpoint"].as_str().unwrap();
    let scope = if endpoint == "customerRelationships" {
        "bits:kundeforhold"
    } else {
        "bits:kundeforhold.konto"
    };
    let mut request = registry_request(endpoint, row["customer"].as_str(), scope);
    request.method = row["method"].as_str().unwrap().to_owned();
    if let Some(path) = row["path"].as_str() {
        request.path = path.to_owned();
    }
    let token = row["token"].as_str().unwrap();
    let minted = if let Some(audience) = token.strip_prefix("audience:") {
        Some(
            minter()
                .mint(audience, scope, now().timestamp(), &[])
                .unwrap(),
        )
    } else if let Some(scope) = token.strip_prefix("scope:") {
        Some(
            minter()
                .mint(REGISTRY_URL, scope, now().timestamp(), &[])
                .unwrap(),
        )
    } else if let Some(b) = token.strip_prefix("break:") {
        let b: TokenBreak = b.parse().map_err(Failed::from)?;
        Some(
            minter()
                .mint(REGISTRY_URL, scope, now().timestamp(), &[b])
                .unwrap(),
        )
    } else {
        None
    };
    match (token, minted) {
        ("none", _) => request.headers.retain(|(k, _)| k != "Authorization"),
        (_, Some(t)) => {
            request.headers.retain(|(k, _)| k != "Authorization");
            request
                .headers
                .push(("Authorization".into(), format!("Bearer {t}")));
        }
        _ => {}
    }
    for (name, value) in row["headers"].as_object().unwrap() {
        request.headers.retain(|(k, _)| k != name);
        if let Some(v) = value.as_str() {
            request.headers.push((name.clone(), v.to_owned()));
        }
    }
    request.query = row["query"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let handled = registry_mock().handle(&request);
    let expect = &row["expect"];
    let status = expect["status"].as_u64().unwrap() as u16;
    let body = body_json(&handled.response)?;
    check(handled.response.status == status, || {
        format!(
            "status {} (expected {status}); body {body}",
            handled.response.status
        )
    })?;
    if status == 200 {
        let kind = if endpoint == "customerRelationships" {
            MessageKind::RegistryCustomerRelationshipsResponse
        } else {
            MessageKind::RegistryAccountServicingProviderResponse
        };
        valid(kind, &body)?;
    } else {
        valid(MessageKind::RegistryError, &body)?;
        check(body["errorCode"] == expect["errorCode"], || {
            format!(
                "errorCode {} (expected {})",
                body["errorCode"], expect["errorCode"]
            )
        })?;
    }
    if let Some(expected) = expect.get("body") {
        check(&body == expected, || {
            format!("body {body}\nexpected {expected}")
        })?;
    }
    let rules: Vec<&str> = handled.violations.iter().map(|v| v.rule.id()).collect();
    for wanted in expect["violations"].as_array().unwrap() {
        check(rules.contains(&wanted.as_str().unwrap()), || {
            format!("violation {wanted} not journalled; got {rules:?}")
        })?;
    }
    if expect["violations"].as_array().unwrap().is_empty() {
        check(rules.is_empty(), || {
            format!("unexpected violations {rules:?}")
        })?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Maskinporten (tests/mock_ecosystem/maskinporten.json)

const MP_URL: &str = "http://maskinporten.test";

fn maskinporten_mock() -> MaskinportenMock {
    let resources = KnownResources::new();
    resources.add("http://bank.test/v2");
    resources.add(REGISTRY_URL);
    MaskinportenMock::new(&trust(), MP_URL, resources, fixed_clock()).expect("maskinporten")
}

fn grant(
    scope: &str,
    resource: Option<ResourceIndicator>,
    breaks: &[GrantBreak],
    use_kid: bool,
) -> String {
    let trust = trust();
    create_grant(
        &trust.key(Artifact::PoliceClientKey).unwrap(),
        &trust.cert_der(Artifact::PoliceClientCert).unwrap(),
        &GrantRequest {
            client_id: trust.manifest().police_client_id.clone(),
            audience: trust.manifest().maskinporten_issuer.clone(),
            scope: scope.to_owned(),
            resource,
            use_kid,
        },
        now().timestamp(),
        breaks,
    )
    .expect("grant")
}

fn token_request(form: &[(&str, &str)]) -> MockRequest {
    let body: Vec<String> = form
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect();
    MockRequest {
        method: "POST".into(),
        path: "/token".into(),
        headers: vec![(
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        body: body.join("&").into_bytes(),
        ..MockRequest::default()
    }
}

fn maskinporten_trials() -> Vec<Trial> {
    let table = read_table("maskinporten.json");
    let mut trials: Vec<Trial> = table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            let row = row.clone();
            let name = format!(
                "maskinporten::{}::{}",
                row["section"].as_str().unwrap(),
                row["name"].as_str().unwrap()
            );
            Trial::test(name, move || {
                maskinporten_row(&row)
                    .map_err(|e| format!("row {row}\n{}", e.message().unwrap_or_default()).into())
            })
        })
        .collect();
    trials.push(Trial::test("maskinporten::6.2::metadata_and_jwks", || {
        let mock = maskinporten_mock();
        let metadata = body_json(
            &mock
                .handle(&request("GET", "/.well-known/oauth-authorization-server"))
                .response,
        )?;
        valid(MessageKind::MaskinportenMetadata, &metadata)?;
        check(
            metadata["issuer"] == trust().manifest().maskinporten_issuer.as_str()
                && metadata["token_endpoint"] == format!("{MP_URL}/token").as_str()
                && metadata["jwks_uri"] == format!("{MP_URL}/jwk").as_str(),
            || format!("metadata {metadata}"),
        )?;
        let jwks = body_json(&mock.handle(&request("GET", "/jwk")).response)?;
        valid(MessageKind::Jwks, &jwks)?;
        let expected =
            serde_json::to_value(trust().jwks(Artifact::MaskinportenJwks).unwrap()).unwrap();
        check(jwks == expected, || format!("JWKS {jwks}"))?;
        let wrong = mock.handle(&request("POST", "/jwk")).response;
        valid(MessageKind::OauthError, &body_json(&wrong)?)?;
        check(wrong.status == 405, || {
            format!("POST /jwk: {}", wrong.status)
        })
    }));
    trials
}

fn maskinporten_row(row: &Value) -> Result<(), Failed> {
    let g = &row["grant"];
    let breaks: Vec<GrantBreak> = g["breaks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap().parse().unwrap())
        .collect();
    // The row's `resource`: a string or an array is sent as it is; null or absent = none.
    let resource: Option<ResourceIndicator> = match &g["resource"] {
        Value::Null => None,
        v => Some(serde_json::from_value(v.clone()).unwrap()),
    };
    let audience = match (&resource, breaks.contains(&GrantBreak::MissingResource)) {
        (Some(r), false) => r.values()[0].to_owned(),
        _ => UNRESTRICTED_AUDIENCE.to_owned(),
    };
    let scope = g["scope"].as_str().unwrap();
    let assertion = grant(scope, resource.clone(), &breaks, g["use_kid"] == true);
    let mut form: BTreeMap<String, Option<String>> = BTreeMap::from([
        ("grant_type".to_owned(), Some(JWT_BEARER_GRANT.to_owned())),
        ("assertion".to_owned(), Some(assertion)),
    ]);
    for (k, v) in row["form"].as_object().unwrap() {
        form.insert(k.clone(), v.as_str().map(str::to_owned));
    }
    let pairs: Vec<(&str, &str)> = form
        .iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k.as_str(), v)))
        .collect();
    let mut request = token_request(&pairs);
    request.method = row["method"].as_str().unwrap().to_owned();
    request.path = row["path"].as_str().unwrap().to_owned();
    request.headers = vec![(
        "Content-Type".into(),
        row["content_type"].as_str().unwrap().to_owned(),
    )];
    let mock = maskinporten_mock();
    if row["replay"] == true {
        let first = mock.handle(&request);
        check(first.response.status == 200, || {
            format!(
                "first use of the grant: {} {}",
                first.response.status,
                String::from_utf8_lossy(&first.response.body)
            )
        })?;
    }
    let handled = mock.handle(&request);
    let expect = &row["expect"];
    let body = body_json(&handled.response)?;
    let status = expect["status"].as_u64().unwrap() as u16;
    check(handled.response.status == status, || {
        format!(
            "status {} (expected {status}); body {body}",
            handled.response.status
        )
    })?;
    if status == 200 {
        valid(MessageKind::MaskinportenTokenResponse, &body)?;
        // The token is what a bank (or the registry) at `resource` accepts (digest 6.2); a
        // token without audience restriction is what the registry accepts and no bank does.
        let first_scope = scope.split(' ').next().unwrap();
        let unrestricted = audience == UNRESTRICTED_AUDIENCE;
        let validator = if unrestricted {
            let bank = AccessTokenValidator::from_trust_dir(&trust(), "http://bank.test/v2")
                .unwrap()
                .validate(
                    body["access_token"].as_str().unwrap(),
                    first_scope,
                    now().timestamp(),
                );
            check(
                matches!(bank, Err(TokenError::WrongAudience { .. })),
                || format!("a bank must refuse a token without audience restriction: {bank:?}"),
            )?;
            AccessTokenValidator::from_trust_dir(&trust(), REGISTRY_URL)
                .unwrap()
                .accepting_unrestricted()
        } else {
            AccessTokenValidator::from_trust_dir(&trust(), &audience).unwrap()
        };
        let claims = validator
            .validate(
                body["access_token"].as_str().unwrap(),
                first_scope,
                now().timestamp(),
            )
            .map_err(|e| format!("minted token refused: {e}"))?;
        check(
            claims.consumer.id == "0192:915429785"
                && claims.aud == audience
                && claims.exp - claims.iat == 120,
            || format!("claims {claims:?}"),
        )?;
        valid(
            MessageKind::MaskinportenAccessToken,
            &serde_json::to_value(&claims).unwrap(),
        )?;
        check(body["scope"] == scope && body["expires_in"] == 120, || {
            format!("body {body}")
        })?;
    } else {
        valid(MessageKind::OauthError, &body)?;
        check(body["error"] == expect["error"], || {
            format!("error {} (expected {})", body["error"], expect["error"])
        })?;
    }
    let rules: Vec<&str> = handled.violations.iter().map(|v| v.rule.id()).collect();
    let wanted: Vec<&str> = expect["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    check(rules == wanted, || {
        format!("violations {rules:?}, expected {wanted:?}")
    })
}

// ---------------------------------------------------------------------------------------------
// Datakatalog, CertPub, prosecution JWKS (handler level)

fn small_mock_trials() -> Vec<Trial> {
    vec![
        Trial::test("datakatalog::9::list_one_and_unknown", || {
            let catalog = Catalog::new();
            let entry = |org: &str, port: u16| CatalogEntry {
                org_no: org.into(),
                name: format!("Bank {org}"),
                url: format!("http://127.0.0.1:{port}/v2"),
                version: "2.0".into(),
                env: "test".into(),
            };
            catalog.register(entry(BANK_A, 40001));
            catalog.register(entry(BANK_B, 40002));
            catalog.register(entry(BANK_A, 40003)); // re-registration replaces
            let mock = CatalogMock::new(catalog);
            let list = mock.handle(&request("GET", "/datakatalog/v1/endpoints"));
            let list = body_json(&list.response)?;
            valid(MessageKind::DatakatalogEndpoints, &list)?;
            check(list.as_array().map(Vec::len) == Some(2), || {
                format!("list {list}")
            })?;
            let one = mock.handle(&request(
                "GET",
                &format!("/datakatalog/v1/endpoints/{BANK_A}"),
            ));
            let one = body_json(&one.response)?;
            valid(MessageKind::DatakatalogEntry, &one)?;
            check(one["url"] == "http://127.0.0.1:40003/v2", || {
                format!("entry {one}")
            })?;
            for (method, path, status) in [
                ("GET", "/datakatalog/v1/endpoints/999999999", 404),
                ("GET", "/datakatalog/v2/endpoints", 404),
                ("DELETE", "/datakatalog/v1/endpoints", 405),
            ] {
                let response = mock.handle(&request(method, path)).response;
                valid(MessageKind::MockError, &body_json(&response)?)?;
                check(response.status == status, || {
                    format!("{method} {path}: {}", response.status)
                })?;
            }
            Ok(())
        }),
        Trial::test("certpub::7.2::locator_publisher_and_unknowns", || {
            let cert = trust().cert_der(Artifact::ConsumerEncryptionCert).unwrap();
            let mock = CertPubMock::new(
                "http://certpub.test",
                BTreeMap::from([("0192:915429785".to_owned(), cert.clone())]),
            );
            let located = mock.handle(&request(
                "GET",
                "/lookup/v2/iso6523-actorid-upis::0192:915429785",
            ));
            let located = body_json(&located.response)?;
            valid(MessageKind::CertpubLocator, &located)?;
            check(located["difi-bcp-v1"] == "http://certpub.test/bcp", || {
                format!("{located}")
            })?;
            let published = mock
                .handle(&request(
                    "GET",
                    &format!("/bcp/api/v1/iso6523-actorid-upis::0192%3A915429785/{DSOP_PROCESS}"),
                ))
                .response;
            check(
                published.status == 200
                    && published
                        .headers
                        .contains(&("Content-Type".into(), PEM_CONTENT_TYPE.into())),
                || format!("publisher: {published:?}"),
            )?;
            check(
                pem_decode(&published.body, "CERTIFICATE").ok() == Some(cert),
                || "publisher served another certificate".into(),
            )?;
            for (method, path, status) in [
                ("GET", "/lookup/v2/iso6523-actorid-upis::0192:889640782".to_owned(), 404),
                ("GET", "/bcp/api/v1/iso6523-actorid-upis::0192:915429785/bdx-procid-dsop::urn:fdc:bits.no:2018:dsop:other:1.0".to_owned(), 404),
                ("GET", format!("/bcp/api/v1/iso6523-actorid-upis::0192:889640782/{DSOP_PROCESS}"), 404),
                ("GET", "/lookup/v2/other::0192:915429785".to_owned(), 404),
                ("PUT", "/lookup/v2/iso6523-actorid-upis::0192:915429785".to_owned(), 405),
            ] {
                let response: MockResponse = mock.handle(&request(method, &path)).response;
                valid(MessageKind::MockError, &body_json(&response)?)?;
                check(response.status == status, || format!("{method} {path}: {}", response.status))?;
            }
            Ok(())
        }),
        Trial::test("prosecution_jwks::5.5::served_with_x5c", || {
            let mock = ProsecutionJwksMock::new(&trust()).unwrap();
            let jwks = body_json(
                &mock
                    .handle(&request("GET", "/.well-known/finans-jwks.json"))
                    .response,
            )?;
            valid(MessageKind::Jwks, &jwks)?;
            check(
                jwks == serde_json::to_value(trust().prosecution_jwks().unwrap()).unwrap()
                    && jwks["keys"][0]["x5c"]
                        .as_array()
                        .is_some_and(|c| c.len() == 2),
                || format!("JWKS {jwks}"),
            )?;
            for (method, path, status) in [
                ("GET", "/jwks.json", 404),
                ("POST", "/.well-known/finans-jwks.json", 405),
            ] {
                let response = mock.handle(&request(method, path)).response;
                valid(MessageKind::MockError, &body_json(&response)?)?;
                check(response.status == status, || {
                    format!("{method} {path}: {}", response.status)
                })?;
            }
            Ok(())
        }),
    ]
}

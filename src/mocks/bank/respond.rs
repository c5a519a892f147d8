//! Encoding the bank's answers (digest 7.2, 7.6): errors as plain `application/json`
//! `{code, message}`, never encrypted; 200s as JWE compact (`application/jose`) or plain JSON
//! on the test-mode `Accept: application/json`; the body-level fault profiles.

use super::checks::{Rejection, Served};
use super::BankMock;
use crate::domain::control::{AccCode, ErrorBody};
use crate::mocks::faults::{ActiveFaults, FaultProfile};
use crate::mocks::http::{Handled, MockResponse, Payload};

/// `application/jose`: JWE compact serialisation.
pub(super) const JOSE: &str = "application/jose";
/// `application/json`.
pub(super) const JSON: &str = "application/json";

/// The plain JSON error answer for `rejection`.
pub(crate) fn error(rejection: &Rejection) -> Handled {
    let body = ErrorBody::new(rejection.code, rejection.message.clone());
    let value = serde_json::to_value(&body).unwrap_or_else(
        |_| serde_json::json!({"code": rejection.code.as_str(), "message": rejection.message}),
    );
    Handled::ok(MockResponse::json(rejection.status(), &value))
}

/// The error answer of the `error-without-message` fault profile: `{"code"}` only.
pub(crate) fn error_without_message(rejection: &Rejection) -> Handled {
    let value = serde_json::json!({ "code": rejection.code.as_str() });
    Handled::ok(MockResponse::json(rejection.status(), &value))
}

fn response(content_type: &str, body: Vec<u8>, plaintext: Payload) -> MockResponse {
    MockResponse {
        status: 200,
        headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
        body,
        plaintext: Some(plaintext),
    }
}

/// The 200 answer for `served`, after the body-level faults.
pub(crate) fn success(bank: &BankMock, served: Served, faults: &ActiveFaults) -> Handled {
    // Serialised once (serve::serve): the body, the encryption input and the journal's
    // payload are the same text.
    let payload = Payload::json(served.payload);
    let text = payload.as_bytes();
    if faults.has(FaultProfile::MalformedJson) {
        let cut = text.len() / 2;
        let mut body = text[..cut].to_vec();
        body.extend_from_slice(b",\"broken");
        return Handled::ok(response(JSON, body, payload));
    }
    let swap = faults.has(FaultProfile::WrongContentType);
    if served.plain {
        let label = if swap { JOSE } else { JSON };
        return Handled::ok(response(label, text.to_vec(), payload));
    }
    let config = bank.config();
    let encrypted = if faults.has(FaultProfile::JweWrongKey) {
        match bank.wrong_key_cert() {
            Ok(cert) => crate::trust::jwe::encrypt(text, &cert, &config.jwe_alg, &config.jwe_enc)
                .map_err(|e| e.to_string()),
            Err(reason) => return internal(&format!("jwe-wrong-key certificate: {reason}")),
        }
    } else {
        bank.encryptor()
            .and_then(|e| e.encrypt(text).map_err(|e| e.to_string()))
    };
    match encrypted {
        Ok(jwe) => {
            let label = if swap { JSON } else { JOSE };
            Handled::ok(response(label, jwe.into_bytes(), payload))
        }
        Err(e) => internal(&format!("could not encrypt the response: {e}")),
    }
}

fn internal(what: &str) -> Handled {
    error(&Rejection::new(
        AccCode::Acc100,
        format!("internal error in the mock bank: {what}"),
    ))
}

//! `mocks serve` (the binary, default front end) against hostile framing, to every mock it
//! starts (Maskinporten, registry, datakatalog, CertPub, prosecution JWKS, bank): a chunk size
//! that overflows, a body shorter than its `Content-Length` followed by a close, a body over
//! the 1 MiB limit declared by `Content-Length` (answered 413 before the body is read) and one
//! streamed chunked past the limit, and a GET with a malformed query (answered 4xx with the
//! mock's JSON error body, in each mock's own format). After each, the mock must still answer; at the end the
//! process's stderr must not contain "panicked". The settings come from `--settings FILE`
//! (the JSON file of `mocks serve`; the global `--config` is the TOML configuration).

use crate::helpers::*;
use libtest_mimic::{Failed, Trial};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Every distinct origin (`host:port`) named by a URL in the manifest.
fn origins(manifest: &Value, out: &mut Vec<SocketAddr>) {
    match manifest {
        Value::String(s) => {
            if let Some(rest) = s.strip_prefix("http://") {
                let host = rest.split('/').next().unwrap_or_default();
                if let Ok(addr) = host.parse::<SocketAddr>() {
                    if !out.contains(&addr) {
                        out.push(addr);
                    }
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| origins(v, out)),
        Value::Object(map) => map.values().for_each(|v| origins(v, out)),
        _ => {}
    }
}

/// Sends `head` (and `body`, ignoring write errors: the server may close first), then reads
/// what comes back until the server closes or 15 s pass.
fn exchange(addr: SocketAddr, head: &str, body: &[u8], half_close: bool) -> String {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(5)) else {
        return "connect failed".into();
    };
    drop(stream.set_read_timeout(Some(Duration::from_secs(15))));
    let _ = stream.write_all(head.as_bytes());
    for chunk in body.chunks(64 * 1024) {
        if stream.write_all(chunk).is_err() {
            break;
        }
    }
    if half_close {
        drop(stream.shutdown(std::net::Shutdown::Write));
    }
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 || answer.len() > 64 * 1024 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// A plain GET must still get an HTTP answer.
fn still_answers(addr: SocketAddr, after: &str) -> Result<(), Failed> {
    let answer = exchange(
        addr,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        b"",
        false,
    );
    check(answer.starts_with("HTTP/1.1 "), || {
        format!("{addr} no longer answers after {after}: {answer:?}")
    })
}

fn hostile_framing() -> Result<(), Failed> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let settings = dir.path().join("mocks.json");
    // More banks than the default 5 and the generator's minimum 4: the file must be read.
    const BANKS: usize = 6;
    std::fs::write(&settings, format!(r#"{{"banks": {BANKS}}}"#)).map_err(|e| e.to_string())?;
    let stderr_path = dir.path().join("stderr.txt");
    let stderr = std::fs::File::create(&stderr_path).map_err(|e| e.to_string())?;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dsop-harness"))
        .args(["mocks", "serve", "--settings"])
        .arg(&settings)
        .arg("--trust-dir")
        .arg(trust().path())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .map_err(|e| e.to_string())?;
    let text = read_manifest(&mut child)?;
    let outcome = (|| -> Result<(), Failed> {
        let manifest = parse_manifest(&text)?;
        check(
            manifest["banks"].as_array().map(Vec::len) == Some(BANKS),
            || format!("--settings {{\"banks\": {BANKS}}} was not applied: {manifest}"),
        )?;
        let mut addrs = Vec::new();
        origins(&manifest, &mut addrs);
        // Maskinporten, registry, datakatalog, CertPub, JWKS and every bank.
        check(addrs.len() == 5 + BANKS, || {
            format!("origins {addrs:?} in {manifest}")
        })?;
        let over = vec![b'x'; 2 * 1024 * 1024 + 17];
        let mut chunked = Vec::new();
        for piece in over.chunks(8192) {
            chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
            chunked.extend_from_slice(piece);
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        for addr in addrs {
            let answer = exchange(
                addr,
                "POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                b"FFFFFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n",
                true,
            );
            check(!answer.starts_with("HTTP/1.1 2"), || {
                format!("{addr}: an overflowing chunk size was accepted: {answer:?}")
            })?;
            still_answers(addr, "an overflowing chunk size")?;
            exchange(
                addr,
                "POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n",
                b"grant_type=short",
                true,
            );
            still_answers(addr, "a body shorter than its Content-Length, then a close")?;
            let answer = exchange(
                addr,
                "POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 800000000\r\n\r\n",
                b"",
                false,
            );
            check(answer.starts_with("HTTP/1.1 413"), || {
                format!("{addr}: an 800 MB Content-Length was not refused 413 at once: {answer:?}")
            })?;
            still_answers(addr, "an 800 MB Content-Length")?;
            let answer = exchange(
                addr,
                "POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                &chunked,
                false,
            );
            check(
                answer.is_empty() || answer.starts_with("HTTP/1.1 413"),
                || format!("{addr}: a 2 MiB chunked body was not refused 413: {answer:?}"),
            )?;
            still_answers(addr, "a 2 MiB chunked body")?;
            // A malformed query (bad percent escapes, invalid UTF-8, empty names) is parsed,
            // not refused at the socket: the mock answers it 4xx with its JSON error body
            // (each mock in its own format: DSOP, OAuth, registry).
            let answer = exchange(
                addr,
                "GET /?fromDate=%zz&%FF%FE=&&=v&% HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                b"",
                false,
            );
            let body: Option<Value> = answer
                .split_once("\r\n\r\n")
                .and_then(|(_, body)| serde_json::from_str(body).ok());
            check(
                answer.starts_with("HTTP/1.1 4")
                    && body.is_some_and(|b| b.as_object().is_some_and(|o| !o.is_empty())),
                || format!("{addr}: a malformed query got no JSON error body: {answer:?}"),
            )?;
        }
        Ok(())
    })();
    let (interrupted, status) = interrupt(&mut child)?;
    let stderr = std::fs::read_to_string(&stderr_path).map_err(|e| e.to_string())?;
    outcome.map_err(|e| {
        format!(
            "{}\nstderr of mocks serve:\n{stderr}",
            e.message().unwrap_or("")
        )
    })?;
    check(!stderr.contains("panicked"), || {
        format!("mocks serve panicked:\n{stderr}")
    })?;
    check(interrupted.success() && status.success(), || {
        format!("exit {status:?}\nstderr:\n{stderr}")
    })
}

pub fn trials() -> Vec<Trial> {
    vec![Trial::test(
        "hostile_framing::7.1::every_mock_survives_malformed_framing_and_oversized_bodies_without_a_panic",
        hostile_framing,
    )]
}

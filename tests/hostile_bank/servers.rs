//! Hostile "banks": raw TCP servers on 127.0.0.1:0 that misbehave at the transport or format
//! level. Each reads the request head and then does one thing wrong.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does once it has read a request head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Never answers, keeps the connection open.
    Hang,
    /// Closes with a TCP reset (SO_LINGER 0) without answering.
    Reset,
    /// Answers bytes that are not HTTP.
    Garbage,
    /// 200 `application/jose` with a 100 MB body (zeros), streamed as fast as the client reads.
    HugeBody,
    /// 200 with the headers at once, then one body byte per second.
    Drip,
    /// 200 with a JSON body but `Content-Type: text/plain`.
    WrongContentType,
    /// 200 `application/jose` whose body is a well-formed JWE nobody can decrypt.
    UndecryptableJwe,
    /// TLS with a self-signed certificate the harness does not trust (handshake fails).
    UntrustedTls,
    /// 200 `application/jose` with the body given to [`start_with`] (a crafted JWE).
    CraftedJwe,
}

/// Size of the [`Behaviour::HugeBody`] body.
pub const HUGE: u64 = 100 * 1024 * 1024;

/// A running hostile server.
pub struct Hostile {
    /// Base URL (`http(s)://127.0.0.1:PORT/v2`).
    pub url: String,
    /// Response bytes the kernel accepted from the server (HugeBody, Drip).
    pub written: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A JWE compact string with valid-looking parts that decrypts with no key.
const BOGUS_JWE: &str = "eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0.\
    c29tZSBlbmNyeXB0ZWQga2V5IHRoYXQgaXMgbm90.aXYxMjM0NTY3ODkwMTI.\
    Y2lwaGVydGV4dCBvZiBub3RoaW5n.dGFnMTIzNDU2Nzg5MDEy";

/// Starts a hostile server; `body` is what [`Behaviour::CraftedJwe`] answers (ignored by the
/// other behaviours).
pub async fn start_with(behaviour: Behaviour, body: String) -> Hostile {
    let body: Arc<str> = body.into();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let written = Arc::new(AtomicU64::new(0));
    let tls = (behaviour == Behaviour::UntrustedTls).then(untrusted_acceptor);
    let counter = Arc::clone(&written);
    let task = tokio::spawn(async move {
        let mut connections = tokio::task::JoinSet::new();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let counter = Arc::clone(&counter);
            let tls = tls.clone();
            let body = Arc::clone(&body);
            connections.spawn(async move {
                match tls {
                    Some(acceptor) => {
                        // The client rejects the certificate; nothing more to do.
                        drop(acceptor.accept(stream).await);
                    }
                    None => drop(misbehave(stream, behaviour, counter, &body).await),
                }
            });
        }
    });
    let scheme = if behaviour == Behaviour::UntrustedTls {
        "https"
    } else {
        "http"
    };
    Hostile {
        url: format!("{scheme}://{addr}/v2"),
        written,
        task,
    }
}

async fn read_head(stream: &mut TcpStream) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    Ok(())
}

async fn misbehave(
    mut stream: TcpStream,
    behaviour: Behaviour,
    written: Arc<AtomicU64>,
    body: &str,
) -> std::io::Result<()> {
    read_head(&mut stream).await?;
    let head = |content_type: &str, length: u64| {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\
             Connection: close\r\n\r\n"
        )
    };
    match behaviour {
        Behaviour::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Behaviour::Reset => {
            // SO_LINGER 0 makes the close a reset. tokio deprecates the setter because a
            // non-zero linger blocks the thread on drop; a zero linger does not block.
            #[allow(deprecated)]
            stream.set_linger(Some(Duration::ZERO))?;
            drop(stream);
        }
        Behaviour::Garbage => {
            stream
                .write_all(b"\x00\xff\xfe GARBAGE \x13\x37 not http at all\r\n\r\n\x00")
                .await?;
            stream.shutdown().await?;
        }
        Behaviour::HugeBody => {
            stream
                .write_all(head("application/jose", HUGE).as_bytes())
                .await?;
            let chunk = vec![b'A'; 64 * 1024];
            let mut sent = 0;
            while sent < HUGE {
                stream.write_all(&chunk).await?;
                sent += chunk.len() as u64;
                written.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            }
        }
        Behaviour::Drip => {
            let body = br#"{"responseDetails":{"status":"complete"},"accounts":[]}"#;
            stream
                .write_all(head("application/json", body.len() as u64).as_bytes())
                .await?;
            for byte in body {
                stream.write_all(&[*byte]).await?;
                written.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        Behaviour::WrongContentType => {
            let body = br#"{"responseDetails":{"status":"complete"},"accounts":[]}"#;
            stream
                .write_all(head("text/plain", body.len() as u64).as_bytes())
                .await?;
            stream.write_all(body).await?;
        }
        Behaviour::UndecryptableJwe => {
            stream
                .write_all(head("application/jose", BOGUS_JWE.len() as u64).as_bytes())
                .await?;
            stream.write_all(BOGUS_JWE.as_bytes()).await?;
        }
        Behaviour::UntrustedTls => {}
        Behaviour::CraftedJwe => {
            stream
                .write_all(head("application/jose", body.len() as u64).as_bytes())
                .await?;
            stream.write_all(body.as_bytes()).await?;
        }
    }
    Ok(())
}

/// A TLS acceptor with a self-signed certificate for 127.0.0.1 (not from the trust
/// directory's TLS CA).
fn untrusted_acceptor() -> tokio_rustls::TlsAcceptor {
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .expect("params")
        .self_signed(&key)
        .expect("self-signed");
    let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls_pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .expect("tls config");
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

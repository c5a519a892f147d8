//! Handing one case to the implementation under test (docs/police-vendors.md): a command
//! template run through `sh -c` with `{placeholders}` and `DSOP_*` variables, a URL the case is
//! POSTed to, or the reference police client in-process. Whatever the implementation does —
//! hang, crash, print garbage — ends as a [`TriggerEnd`], never as a panic.

use crate::police::case::CaseInput;
use crate::police::driver::{Driver, DriverConfig};
use crate::police::faults::FaultSet;
use crate::police::lookup::run_case;
use crate::redact::mask_text;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;

/// How the case reaches the implementation.
#[derive(Debug, Clone)]
pub enum Trigger {
    /// A command template run with `sh -c`; `{name}` placeholders are replaced by the
    /// shell-quoted case values (`PLACEHOLDERS`), and every `DSOP_*` variable is set.
    Command(String),
    /// The case's `DSOP_*` variables are POSTed as a JSON object; the implementation answers
    /// with the case result as JSON (2xx), or writes it to `DSOP_OUTPUT` and answers 204.
    Url(String),
    /// The reference police client (`police::lookup::run_case`) with these fault switches,
    /// in this process (reads the same `DSOP_*` variables).
    InProcess(FaultSet),
}

impl std::fmt::Display for Trigger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Trigger::Command(t) => write!(f, "command {t:?}"),
            Trigger::Url(u) => write!(f, "URL {u}"),
            Trigger::InProcess(faults) => {
                write!(f, "reference police client in-process {faults:?}")
            }
        }
    }
}

/// Every placeholder of a command template and the variable it stands for.
pub(crate) const PLACEHOLDERS: &[(&str, &str)] = &[
    ("maskinporten_url", "DSOP_MASKINPORTEN_URL"),
    ("registry_url", "DSOP_REGISTRY_URL"),
    ("catalog_url", "DSOP_CATALOG_URL"),
    ("trust_dir", "DSOP_TRUST_DIR"),
    ("party_id", "DSOP_PARTY_ID"),
    ("from_date", "DSOP_FROM_DATE"),
    ("to_date", "DSOP_TO_DATE"),
    ("legal_mandate", "DSOP_LEGAL_MANDATE"),
    ("only_primary_owner", "DSOP_ONLY_PRIMARY_OWNER"),
    ("case_id", "DSOP_CASE_ID"),
    ("requester_id", "DSOP_REQUESTER_ID"),
    ("extradition_order", "DSOP_EXTRADITION_ORDER"),
    ("output", "DSOP_OUTPUT"),
    ("plain_json", "DSOP_PLAIN_JSON"),
    ("direct_banks", "DSOP_DIRECT_BANKS"),
];

/// A template that cannot be used (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// Empty template.
    #[error("--trigger is empty: give the command that runs one case, e.g. 'my-client --out {{output}}'")]
    Empty,
    /// Unknown `{name}`.
    #[error("--trigger uses unknown placeholder {{{0}}}; known: {1}")]
    Unknown(String, String),
}

/// Checks a template's placeholders.
pub(crate) fn check_template(template: &str) -> Result<(), TemplateError> {
    if template.trim().is_empty() {
        return Err(TemplateError::Empty);
    }
    expand(template, &BTreeMap::new()).map(|_| ())
}

/// Replaces `{name}` (lower-case letters and `_`) by the shell-quoted value of its variable
/// (empty when unset); other braces (`{"a": 1}`, `${HOME}`) are left as they are.
pub(crate) fn expand(
    template: &str,
    vars: &BTreeMap<String, String>,
) -> Result<String, TemplateError> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        if name_len == 0 || !after[name_len..].starts_with('}') || rest[..open].ends_with('$') {
            out.push('{');
            rest = after;
            continue;
        }
        let name = &after[..name_len];
        let var = PLACEHOLDERS
            .iter()
            .find(|(p, _)| *p == name)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let known: Vec<String> = PLACEHOLDERS
                    .iter()
                    .map(|(p, _)| format!("{{{p}}}"))
                    .collect();
                TemplateError::Unknown(name.to_owned(), known.join(" "))
            })?;
        out.push_str(&shell_quote(vars.get(var).map_or("", String::as_str)));
        rest = &after[name_len + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// How a trigger ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TriggerEnd {
    /// It ran to the end. `code` is the exit code (`None`: killed by a signal); for a URL, the
    /// HTTP status.
    Finished {
        /// Exit code or HTTP status.
        code: Option<i32>,
        /// Last part of its standard output (masked).
        stdout: String,
        /// Last part of its standard error (masked).
        stderr: String,
    },
    /// It ran longer than the timeout and was killed.
    TimedOut {
        /// The timeout.
        after: Duration,
        /// Last part of its standard output (masked).
        stdout: String,
        /// Last part of its standard error (masked).
        stderr: String,
    },
    /// It could not be started at all (spawn failure, exit 126/127 from the shell, connection
    /// refused).
    CouldNotRun {
        /// Why.
        reason: String,
    },
}

impl TriggerEnd {
    /// Whether it finished with exit code 0 (HTTP 2xx for a URL).
    pub(crate) fn succeeded(&self) -> bool {
        matches!(self, TriggerEnd::Finished { code: Some(0), .. })
    }

    /// Evidence for a failed step.
    pub(crate) fn describe(&self) -> String {
        let tails = |stdout: &str, stderr: &str| {
            let mut s = String::new();
            if !stdout.trim().is_empty() {
                s.push_str(&format!(
                    "\n  stdout (end): {}",
                    stdout.trim().replace('\n', "\n    ")
                ));
            }
            if !stderr.trim().is_empty() {
                s.push_str(&format!(
                    "\n  stderr (end): {}",
                    stderr.trim().replace('\n', "\n    ")
                ));
            }
            s
        };
        match self {
            TriggerEnd::Finished {
                code,
                stdout,
                stderr,
            } => format!(
                "the trigger exited with {}{}",
                code.map_or("a signal".to_owned(), |c| format!("status {c}")),
                tails(stdout, stderr)
            ),
            TriggerEnd::TimedOut {
                after,
                stdout,
                stderr,
            } => format!(
                "the trigger did not finish within {:.1} s and was killed{}",
                after.as_secs_f64(),
                tails(stdout, stderr)
            ),
            TriggerEnd::CouldNotRun { reason } => format!("the trigger could not run: {reason}"),
        }
    }
}

const TAIL: usize = 2000;

fn tail(bytes: &[u8]) -> String {
    let start = bytes.len().saturating_sub(TAIL);
    let text = String::from_utf8_lossy(&bytes[start..]).into_owned();
    mask_text(&text)
}

/// Runs `trigger` for one case whose variables are `vars`; the case result is expected in the
/// file `vars["DSOP_OUTPUT"]` afterwards.
pub(crate) async fn run(
    trigger: &Trigger,
    vars: &BTreeMap<String, String>,
    timeout: Duration,
) -> TriggerEnd {
    match trigger {
        Trigger::Command(template) => run_command(template, vars, timeout).await,
        Trigger::Url(url) => run_url(url, vars, timeout).await,
        Trigger::InProcess(faults) => run_in_process(faults, vars, timeout).await,
    }
}

async fn read_all<R: tokio::io::AsyncRead + Unpin>(mut reader: R) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match reader.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > 4 * TAIL {
                    kept.drain(..kept.len() - 2 * TAIL);
                }
            }
        }
    }
    kept
}

async fn run_command(
    template: &str,
    vars: &BTreeMap<String, String>,
    timeout: Duration,
) -> TriggerEnd {
    let line = match expand(template, vars) {
        Ok(l) => l,
        Err(e) => {
            return TriggerEnd::CouldNotRun {
                reason: e.to_string(),
            }
        }
    };
    let mut command = tokio::process::Command::new("sh");
    command
        .arg("-c")
        .arg(&line)
        .envs(vars)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    command.process_group(0);
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) => {
            return TriggerEnd::CouldNotRun {
                reason: format!("sh -c {template:?} could not be spawned: {e}"),
            }
        }
    };
    let stdout = child.stdout.take().map(|o| tokio::spawn(read_all(o)));
    let stderr = child.stderr.take().map(|o| tokio::spawn(read_all(o)));
    let waited = tokio::time::timeout(timeout, child.wait()).await;
    let timed_out = waited.is_err();
    if timed_out {
        kill_group(&child);
        let _ = child.start_kill();
        let _ = tokio::time::timeout(Duration::from_secs(2), child.wait()).await;
    }
    // Grandchildren may keep the pipes open; do not wait for them long.
    let collect = |task: Option<tokio::task::JoinHandle<Vec<u8>>>| async move {
        match task {
            Some(t) => match tokio::time::timeout(Duration::from_secs(1), t).await {
                Ok(Ok(bytes)) => tail(&bytes),
                _ => String::new(),
            },
            None => String::new(),
        }
    };
    let (stdout, stderr) = (collect(stdout).await, collect(stderr).await);
    match waited {
        Err(_) => TriggerEnd::TimedOut {
            after: timeout,
            stdout,
            stderr,
        },
        Ok(Err(e)) => TriggerEnd::CouldNotRun {
            reason: format!("waiting for the trigger failed: {e}"),
        },
        Ok(Ok(status)) => match status.code() {
            Some(code @ (126 | 127)) => TriggerEnd::CouldNotRun {
                reason: format!(
                    "sh exited {code} ({}) for {template:?}{}",
                    if code == 127 {
                        "command not found"
                    } else {
                        "not executable"
                    },
                    if stderr.trim().is_empty() {
                        String::new()
                    } else {
                        format!(": {}", stderr.trim())
                    }
                ),
            },
            code => TriggerEnd::Finished {
                code,
                stdout,
                stderr,
            },
        },
    }
}

/// Kills the trigger's whole process group (it was started as a group leader), so a shell's
/// children die with it.
fn kill_group(child: &tokio::process::Child) {
    #[cfg(unix)]
    if let Some(pid) = child.id() {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
    #[cfg(not(unix))]
    let _ = child;
}

async fn run_url(url: &str, vars: &BTreeMap<String, String>, timeout: Duration) -> TriggerEnd {
    let client = match reqwest::Client::builder().timeout(timeout).build() {
        Ok(c) => c,
        Err(e) => {
            return TriggerEnd::CouldNotRun {
                reason: e.to_string(),
            }
        }
    };
    let response = match client.post(url).json(vars).send().await {
        Ok(r) => r,
        Err(e) if e.is_timeout() => {
            return TriggerEnd::TimedOut {
                after: timeout,
                stdout: String::new(),
                stderr: String::new(),
            }
        }
        Err(e) if e.is_connect() => {
            return TriggerEnd::CouldNotRun {
                reason: format!("POST {url}: {e}"),
            }
        }
        Err(e) => {
            return TriggerEnd::Finished {
                code: None,
                stdout: String::new(),
                stderr: mask_text(&format!("POST {url}: {e}")),
            }
        }
    };
    let status = response.status();
    let body = match response.bytes().await {
        Ok(b) => b,
        Err(e) => {
            return TriggerEnd::Finished {
                code: Some(i32::from(status.as_u16())),
                stdout: String::new(),
                stderr: mask_text(&format!("reading the answer: {e}")),
            }
        }
    };
    if status.is_success() && !body.is_empty() {
        if let Some(output) = vars.get("DSOP_OUTPUT") {
            if let Err(e) = std::fs::write(output, &body) {
                return TriggerEnd::Finished {
                    code: None,
                    stdout: String::new(),
                    stderr: format!("writing the answer to {output}: {e}"),
                };
            }
        }
    }
    TriggerEnd::Finished {
        code: Some(if status.is_success() {
            0
        } else {
            i32::from(status.as_u16())
        }),
        stdout: if status.is_success() {
            String::new()
        } else {
            tail(&body)
        },
        stderr: String::new(),
    }
}

async fn run_in_process(
    faults: &FaultSet,
    vars: &BTreeMap<String, String>,
    timeout: Duration,
) -> TriggerEnd {
    let failed = |why: String| TriggerEnd::Finished {
        code: Some(1),
        stdout: String::new(),
        stderr: mask_text(&why),
    };
    let get = |k: &str| vars.get(k).cloned();
    let case = match CaseInput::from_vars(get) {
        Ok(c) => c,
        Err(e) => return failed(format!("case: {e}")),
    };
    let need = |k: &str| get(k).unwrap_or_default();
    let trust = match crate::trust::dir::TrustDir::open(need("DSOP_TRUST_DIR")) {
        Ok(t) => t,
        Err(e) => return failed(format!("trust directory: {e}")),
    };
    let mut config = DriverConfig::new(
        &need("DSOP_MASKINPORTEN_URL"),
        &need("DSOP_REGISTRY_URL"),
        &need("DSOP_CATALOG_URL"),
    );
    config.faults = faults.clone();
    config.request_timeout = timeout;
    let driver = match Driver::new(config, &trust) {
        Ok(d) => d,
        Err(e) => return failed(format!("driver: {e}")),
    };
    let started = Instant::now();
    let run = match tokio::time::timeout(timeout, run_case(&driver, &case)).await {
        Err(_) => {
            return TriggerEnd::TimedOut {
                after: timeout,
                stdout: String::new(),
                stderr: String::new(),
            }
        }
        Ok(Err(e)) => return failed(format!("running the case: {e}")),
        Ok(Ok(run)) => run,
    };
    let output = need("DSOP_OUTPUT");
    let json = match serde_json::to_vec_pretty(&run.result) {
        Ok(j) => j,
        Err(e) => return failed(e.to_string()),
    };
    if let Err(e) = std::fs::write(Path::new(&output), json) {
        return failed(format!("writing {output}: {e}"));
    }
    TriggerEnd::Finished {
        code: Some(0),
        stdout: format!(
            "{} request(s) in {:?}",
            run.transcript.len(),
            started.elapsed()
        ),
        stderr: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_expand_quoted_and_reject_unknown_placeholders() {
        let vars: BTreeMap<String, String> = [
            ("DSOP_PARTY_ID".to_owned(), "123".to_owned()),
            ("DSOP_OUTPUT".to_owned(), "/tmp/it's.json".to_owned()),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            expand("c --p {party_id} --o {output}", &vars).expect("expands"),
            r"c --p '123' --o '/tmp/it'\''s.json'"
        );
        assert!(matches!(
            check_template("c {nope}"),
            Err(TemplateError::Unknown(..))
        ));
        assert_eq!(
            expand(r#"printf '{"a": 1}' > ${HOME}/x {output"#, &vars).expect("literal braces"),
            r#"printf '{"a": 1}' > ${HOME}/x {output"#
        );
        assert_eq!(check_template(" "), Err(TemplateError::Empty));
        assert!(check_template("c --o {output}").is_ok());
    }
}

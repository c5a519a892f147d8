//! `dsop-harness.toml`: optional configuration (schema `schemas/config.schema.json`,
//! docs/quickstart.md).
//!
//! Every flag of every subcommand has an environment variable (`DSOP_HARNESS_*`, or `DSOP_*`
//! for the older commands and the police client's environment contract). The file is a flat
//! TOML table whose keys are those variables' names without the prefix, in lower case with `-`
//! for `_`: `report-dir = "out"` is `DSOP_HARNESS_REPORT_DIR=out`, `trust-dir = "trust"` is
//! `DSOP_TRUST_DIR=trust`. Before the command line is parsed, each key becomes the default
//! value of the flags that read its variable ([`layer`]); clap then takes a flag's value from
//! the command line, else from its environment variable, else from that default, so the
//! precedence is command line > environment > file. The process environment is never written
//! (a police implementation started by `test police` sees only the variables of its case).
//! A key no flag reads is an error (exit 2) that lists the valid keys.
//!
//! The file is `--config FILE` (or `DSOP_HARNESS_CONFIG`), else `./dsop-harness.toml` when it
//! exists.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The file read from the working directory when no `--config` is given.
pub(crate) const DEFAULT_FILE: &str = "dsop-harness.toml";
/// The variable naming the file.
pub(crate) const CONFIG_ENV: &str = "DSOP_HARNESS_CONFIG";

/// Why the configuration file cannot be used (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Unreadable.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Not TOML.
    #[error("{path}: not TOML: {message}")]
    Toml {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// Not the documented shape (nested tables, bad key syntax...).
    #[error("{path}: {violations} (see docs/quickstart.md)")]
    Schema {
        /// The file.
        path: PathBuf,
        /// The violations.
        violations: String,
    },
    /// Keys no flag reads.
    #[error("{path}: unknown key(s) {unknown:?}; valid keys: {valid}")]
    UnknownKeys {
        /// The file.
        path: PathBuf,
        /// The unknown keys.
        unknown: Vec<String>,
        /// Every valid key, comma-separated.
        valid: String,
    },
}

/// Every environment variable a flag of `command` or its subcommands reads.
pub fn env_vars(command: &clap::Command) -> Vec<String> {
    let mut out: Vec<String> = command
        .get_arguments()
        .filter_map(|a| a.get_env())
        .map(|e| e.to_string_lossy().into_owned())
        .collect();
    for sub in command.get_subcommands() {
        out.extend(env_vars(sub));
    }
    out.sort();
    out.dedup();
    out
}

/// The configuration key of an environment variable: `DSOP_HARNESS_REPORT_DIR` → `report-dir`.
pub(crate) fn key_of(env: &str) -> String {
    env.strip_prefix("DSOP_HARNESS_")
        .or_else(|| env.strip_prefix("DSOP_"))
        .unwrap_or(env)
        .to_ascii_lowercase()
        .replace('_', "-")
}

/// Parses a configuration file's text into `(variable, value)` pairs, given the variables the
/// command line reads (`known`).
pub fn parse(
    path: &Path,
    text: &str,
    known: &[String],
) -> Result<Vec<(String, String)>, ConfigError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| ConfigError::Toml {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let json = serde_json::to_value(&table).map_err(|e| ConfigError::Toml {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    crate::schema::validate(crate::schema::MessageKind::Config, &json).map_err(|v| {
        ConfigError::Schema {
            path: path.to_owned(),
            violations: v
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        }
    })?;
    // Several variables can share a key (`seed`: DSOP_HARNESS_SEED and DSOP_SEED); the key
    // sets them all.
    let mut by_key: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for env in known {
        by_key.entry(key_of(env)).or_default().push(env);
    }
    let unknown: Vec<String> = table
        .keys()
        .filter(|k| !by_key.contains_key(*k))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(ConfigError::UnknownKeys {
            path: path.to_owned(),
            unknown,
            valid: by_key.keys().cloned().collect::<Vec<_>>().join(", "),
        });
    }
    Ok(table
        .into_iter()
        .flat_map(|(key, value)| {
            let text = match value {
                toml::Value::String(s) => s,
                toml::Value::Array(items) => items
                    .iter()
                    .map(|i| match i {
                        toml::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            by_key
                .get(&key)
                .into_iter()
                .flatten()
                .map(|env| ((*env).clone(), text.clone()))
                .collect::<Vec<_>>()
        })
        .collect())
}

/// The configuration file named by `--config FILE`/`--config=FILE` in `args`, or by
/// `DSOP_HARNESS_CONFIG`, or `./dsop-harness.toml` if it exists.
pub(crate) fn locate(args: &[OsString]) -> Option<PathBuf> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let arg = arg.to_string_lossy();
        if arg == "--config" {
            return iter.next().map(PathBuf::from);
        }
        if let Some(path) = arg.strip_prefix("--config=") {
            return Some(PathBuf::from(path));
        }
    }
    if let Some(path) = std::env::var_os(CONFIG_ENV) {
        return Some(PathBuf::from(path));
    }
    Some(PathBuf::from(DEFAULT_FILE)).filter(|p| p.is_file())
}

/// The command line `command` with the configuration file's values (if a file is found, see
/// [`locate`]) as the default values of the flags whose environment variables they name.
/// Returns the command and the file used.
pub(crate) fn layer(
    args: &[OsString],
    command: clap::Command,
) -> Result<(clap::Command, Option<PathBuf>), ConfigError> {
    let Some(path) = locate(args) else {
        return Ok((command, None));
    };
    let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
        path: path.clone(),
        source,
    })?;
    let values: BTreeMap<String, String> = parse(&path, &text, &env_vars(&command))?
        .into_iter()
        .collect();
    Ok((with_defaults(command, &values), Some(path)))
}

/// Sets, in `command` and every subcommand, the default of each flag whose environment
/// variable `values` names (a required flag with a default is satisfied by it).
fn with_defaults(mut command: clap::Command, values: &BTreeMap<String, String>) -> clap::Command {
    let defaults: Vec<(clap::Id, String)> = command
        .get_arguments()
        .filter_map(|arg| {
            let env = arg.get_env()?.to_str()?;
            Some((arg.get_id().clone(), values.get(env)?.clone()))
        })
        .collect();
    for (id, value) in defaults {
        command = command.mut_arg(id, |arg| arg.default_value(value).required(false));
    }
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    for name in subcommands {
        command = command.mut_subcommand(name, |sub| with_defaults(sub, values));
    }
    command
}

//! Companion transaction files of a pack: one account's transactions as NDJSON (one DSOP wire
//! transaction per line, ascending by booking day), referenced from the pack by
//! `accounts[].transactionsFile` (`docs/test-data-pack.md`).
//!
//! Written streaming (one transaction in memory at a time) and read through an index of byte
//! offsets and booking days built while loading ([`TransactionIndex`], 12 bytes a
//! transaction), so a 1 000 000-transaction account is served page by page without holding
//! its transactions in memory (digest 7.4).

use super::lazy::generated_transaction;
use super::model::{AccountRecord, GeneratedTransactions};
use crate::domain::control::Transaction;
use crate::schema::{validate, MessageKind};
use chrono::NaiveDate;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How many lines are schema-validated together while indexing (as one `Transactions` body).
const VALIDATION_BATCH: usize = 1_000;

/// The index of a loaded companion file: where each line starts and its booking day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionIndex {
    file: PathBuf,
    offsets: Vec<u64>,
    days: Vec<NaiveDate>,
    end: u64,
}

impl TransactionIndex {
    /// The indexed file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Number of transactions in the file.
    pub fn len(&self) -> usize {
        self.days.len()
    }

    /// True when the file holds no transaction.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// Indices of the transactions booked from `from` to `to`, both included (digest 3.2.1).
    pub fn range(&self, from: NaiveDate, to: NaiveDate) -> Range<usize> {
        let start = self.days.partition_point(|d| *d < from);
        let end = self.days.partition_point(|d| *d <= to);
        start..end.max(start)
    }

    /// The transactions at `range` (read from the file, one seek).
    pub fn read(&self, range: Range<usize>) -> Result<Vec<Transaction>, String> {
        let (Some(&start), Some(last)) = (
            self.offsets.get(range.start),
            range.end.checked_sub(1).filter(|l| *l >= range.start),
        ) else {
            return Ok(Vec::new());
        };
        let stop = self.offsets.get(last + 1).copied().unwrap_or(self.end);
        let mut file =
            std::fs::File::open(&self.file).map_err(|e| format!("{}: {e}", self.file.display()))?;
        file.seek(SeekFrom::Start(start))
            .map_err(|e| format!("{}: {e}", self.file.display()))?;
        let mut bytes = Vec::new();
        file.take(stop - start)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{}: {e}", self.file.display()))?;
        bytes
            .split(|b| *b == b'\n')
            .filter(|line| !line.is_empty())
            .map(|line| {
                serde_json::from_slice(line).map_err(|e| format!("{}: {e}", self.file.display()))
            })
            .collect()
    }

    /// Reads and checks `file`: every line a DSOP wire transaction (schema-validated), booking
    /// days ascending, `count` lines.
    pub fn build(file: &Path, count: u64) -> Result<Self, String> {
        let name = file.display();
        let handle = std::fs::File::open(file).map_err(|e| format!("{name}: {e}"))?;
        let mut reader = BufReader::with_capacity(1 << 20, handle);
        let mut offsets = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
        let mut days: Vec<NaiveDate> = Vec::with_capacity(offsets.capacity());
        let mut batch: Vec<serde_json::Value> = Vec::with_capacity(VALIDATION_BATCH);
        let mut line = String::new();
        let mut offset = 0u64;
        loop {
            line.clear();
            let read = reader
                .read_line(&mut line)
                .map_err(|e| format!("{name}: {e}"))?;
            if read == 0 {
                break;
            }
            let number = days.len() + 1;
            let text = line.trim_end();
            if text.is_empty() {
                return Err(format!("{name}:{number}: empty line"));
            }
            let value: serde_json::Value =
                serde_json::from_str(text).map_err(|e| format!("{name}:{number}: {e}"))?;
            let tx: Transaction = serde_json::from_value(value.clone())
                .map_err(|e| format!("{name}:{number}: {e}"))?;
            let day = super::query::transaction_day(&tx).ok_or_else(|| {
                format!("{name}:{number}: neither bookingDate nor registered is a date")
            })?;
            if days.last().is_some_and(|last| *last > day) {
                return Err(format!(
                    "{name}:{number}: booking days must ascend ({day} after {})",
                    days.last().map(ToString::to_string).unwrap_or_default()
                ));
            }
            offsets.push(offset);
            days.push(day);
            offset += u64::try_from(read).unwrap_or(0);
            // Validated in the shape a bank serves it: the raw card number masked (the wire
            // schema requires masked numbers, digest 3.4.8).
            let mut shaped = value;
            super::file::mask_payment_card(&mut shaped);
            batch.push(shaped);
            if batch.len() == VALIDATION_BATCH {
                validate_batch(&mut batch, file, number)?;
            }
        }
        validate_batch(&mut batch, file, days.len())?;
        if u64::try_from(days.len()).ok() != Some(count) {
            return Err(format!(
                "{name}: {} transactions, the pack says count {count}",
                days.len()
            ));
        }
        Ok(Self {
            file: file.to_owned(),
            offsets,
            days,
            end: offset,
        })
    }
}

/// Validates the lines in `batch` (ending at line `last`) as one `Transactions` body.
fn validate_batch(
    batch: &mut Vec<serde_json::Value>,
    file: &Path,
    last: usize,
) -> Result<(), String> {
    if batch.is_empty() {
        return Ok(());
    }
    let first = last + 1 - batch.len();
    let body = serde_json::json!({
        "responseDetails": {"status": "complete"},
        "transactions": std::mem::take(batch),
        "links": [{"rel": "self", "href": "/accounts/x/transactions"}],
    });
    validate(MessageKind::Transactions, &body).map_err(|violations| {
        let list: Vec<String> = violations.iter().take(5).map(ToString::to_string).collect();
        format!(
            "{}: lines {first}–{last} do not match schemas/transactions.schema.json (an item \
             of transactions): {}",
            file.display(),
            list.join("; ")
        )
    })
}

/// Writes the transactions of `recipe` for `account` to `file` as NDJSON, one at a time.
/// Returns the number written.
pub(crate) fn write_generated(
    account: &AccountRecord,
    recipe: &GeneratedTransactions,
    file: &Path,
) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(file)?);
    for index in 0..recipe.count {
        serde_json::to_writer(&mut out, &generated_transaction(account, recipe, index))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(recipe.count)
}

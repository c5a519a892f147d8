//! What the mock bank has already verified, so a police client that sends the same access
//! token for its lifetime and the same extradition order for a whole case (digest 6.1, 5.1)
//! does not pay for parsing keys and checking signatures on every request — as a real bank
//! would cache, and as the mock bank's throughput target (`dsop-harness bench`) needs.
//!
//! Soundness: an entry is the exact text of a token or order that passed *every* check at some
//! time `t`, for this bank (its audience, issuer, trust anchors, environment). Verification is
//! deterministic in the text and the bank's configuration except for time, so a hit is only
//! accepted while the time-dependent checks still hold: a token until its `exp`; an order until
//! its `exp`, at most 60 s after it was verified and on the same calendar day (the ten-year
//! rule moves at midnight). Anything else — a tolerated failure under a fault profile, a
//! rejection — is never cached. The request-against-order checks (digest 5.6) still run on
//! every request. The cache is bounded (cleared when full).
//!
//! Keys are whole tokens and orders (1–5 KB), looked up once per request by the one pass of
//! `checks`, so the maps hash with foldhash rather than SipHash, whose cost over
//! these keys showed in the throughput profile (`docs/performance.md`). The seed is random per
//! map, and the maps are bounded, so a client choosing keys cannot degrade them for long.

use crate::domain::order::ExtraditionOrderPayload;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

type Map<V> = HashMap<String, V, foldhash::fast::RandomState>;

/// Entries per map before it is cleared.
const CAPACITY: usize = 4096;
/// Longest time an order is trusted without verifying it again.
const ORDER_TTL_SECS: i64 = 60;

/// Verified tokens and orders of one bank.
#[derive(Debug, Default)]
pub(crate) struct Verified {
    tokens: Mutex<Map<i64>>,
    orders: Mutex<Map<(ExtraditionOrderPayload, i64, NaiveDate)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Verified {
    /// The token passed every check before and has not expired at `now`.
    pub(crate) fn token(&self, token: &str, now: i64) -> bool {
        lock(&self.tokens).get(token).is_some_and(|&exp| now < exp)
    }

    /// Remembers a token that passed every check; `exp` is its expiry.
    pub(crate) fn remember_token(&self, token: &str, exp: i64) {
        let mut map = lock(&self.tokens);
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert(token.to_owned(), exp);
    }

    /// The payload of an order that passed every check and may still be trusted at `now`.
    pub(crate) fn order(&self, jws: &str, now: DateTime<Utc>) -> Option<ExtraditionOrderPayload> {
        let map = lock(&self.orders);
        let (payload, until, day) = map.get(jws)?;
        (now.timestamp() < *until && now.date_naive() == *day).then(|| payload.clone())
    }

    /// Remembers an order that passed every check at `now`.
    pub(crate) fn remember_order(
        &self,
        jws: &str,
        payload: &ExtraditionOrderPayload,
        now: DateTime<Utc>,
    ) {
        let until = payload.exp.min(now.timestamp() + ORDER_TTL_SECS);
        let mut map = lock(&self.orders);
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert(jws.to_owned(), (payload.clone(), until, now.date_naive()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn payload(exp: i64) -> ExtraditionOrderPayload {
        let now = Utc.timestamp_opt(exp - 3600, 0).single().expect("time");
        let mut map = crate::trust::eo::OrderBuilder::valid(now).payload().clone();
        map.insert("exp".into(), exp.into());
        serde_json::from_value(serde_json::Value::Object(map)).expect("payload")
    }

    #[test]
    fn tokens_hit_only_before_their_expiry() {
        let v = Verified::default();
        assert!(!v.token("t", 0));
        v.remember_token("t", 100);
        assert!(v.token("t", 99));
        assert!(!v.token("t", 100));
        assert!(!v.token("other", 50));
    }

    #[test]
    fn orders_hit_within_ttl_expiry_and_the_same_day() {
        let v = Verified::default();
        let at = Utc
            .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
            .single()
            .expect("time");
        let p = payload(at.timestamp() + 3600);
        v.remember_order("o", &p, at);
        assert_eq!(
            v.order("o", at + chrono::Duration::seconds(59)),
            Some(p.clone())
        );
        assert_eq!(
            v.order("o", at + chrono::Duration::seconds(60)),
            None,
            "ttl"
        );
        assert_eq!(v.order("x", at), None);
        // Expiry before the TTL ends.
        let short = payload(at.timestamp() + 10);
        v.remember_order("s", &short, at);
        assert_eq!(
            v.order("s", at + chrono::Duration::seconds(10)),
            None,
            "exp"
        );
        // Midnight: the ten-year rule moves, the entry no longer counts.
        let late = Utc
            .with_ymd_and_hms(2026, 11, 23, 23, 59, 50)
            .single()
            .expect("time");
        let long = payload(late.timestamp() + 86_400);
        v.remember_order("m", &long, late);
        assert!(v.order("m", late + chrono::Duration::seconds(5)).is_some());
        assert_eq!(
            v.order("m", late + chrono::Duration::seconds(15)),
            None,
            "day"
        );
    }

    #[test]
    fn the_cache_is_bounded() {
        let v = Verified::default();
        for i in 0..(CAPACITY + 10) {
            v.remember_token(&i.to_string(), i64::MAX);
        }
        assert!(lock(&v.tokens).len() <= CAPACITY);
        assert!(v.token(&(CAPACITY + 9).to_string(), 0));
    }
}

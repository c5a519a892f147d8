//! Card numbers (digest 3.4.8): the pack holds raw, synthetic, Luhn-valid numbers from test
//! BIN ranges; a bank masks them when it answers. This module is the one place that decides
//! what a masked number is ([`is_masked_card_number`]), how the reference bank masks
//! ([`mask_card_number`]) and whether a served mask matches a stored number
//! ([`is_masking_of`]); the loader, the oracle, the mock bank and the bank suite all use it.

use rand::{Rng, RngExt};

/// Issuer prefixes (BINs) the pack's card numbers use: widely used test ranges (a Visa test
/// range for debit cards, a Mastercard test range for credit cards), never issued to customers.
pub(super) const TEST_BINS: [&str; 2] = ["400000", "555555"];

/// The Luhn check digit for `digits` (the number without its check digit).
fn luhn_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(*d);
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    u8::try_from((10 - sum % 10) % 10).unwrap_or(0)
}

/// True when `number` is all digits and passes the Luhn check.
pub(super) fn luhn_valid(number: &str) -> bool {
    let Some(digits) = number
        .chars()
        .map(|c| c.to_digit(10).and_then(|d| u8::try_from(d).ok()))
        .collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    match digits.split_last() {
        Some((check, body)) => luhn_check_digit(body) == *check,
        None => false,
    }
}

/// True for a synthetic card number the pack may hold: 16 digits, Luhn-valid, from a test BIN.
pub fn is_test_card_number(number: &str) -> bool {
    number.len() == 16 && luhn_valid(number) && TEST_BINS.iter().any(|b| number.starts_with(b))
}

/// A fresh synthetic card number: `bin` (one of [`TEST_BINS`]), nine random digits and the
/// Luhn check digit.
pub(super) fn generate_test_card_number<R: Rng + ?Sized>(rng: &mut R, bin: &str) -> String {
    let mut digits: Vec<u8> = bin
        .chars()
        .filter_map(|c| c.to_digit(10).and_then(|d| u8::try_from(d).ok()))
        .collect();
    while digits.len() < 15 {
        digits.push(rng.random_range(0..10u8));
    }
    let check = luhn_check_digit(&digits);
    digits.push(check);
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// How the reference bank masks a stored number: the first six and last four digits shown,
/// every digit between them `X` (digest 3.4.8). Shorter inputs are masked entirely but the
/// last four.
pub(crate) fn mask_card_number(raw: &str) -> String {
    let len = raw.chars().count();
    let head = if len >= 14 { 6 } else { 0 };
    raw.chars()
        .enumerate()
        .map(|(i, c)| if i < head || i + 4 >= len { c } else { 'X' })
        .collect()
}

/// True for a card number masked as digest 3.4.8 requires: at most the first six and the last
/// four digits shown, everything between them `X` (at least one), no spaces.
pub fn is_masked_card_number(value: &str) -> bool {
    let head = value.chars().take_while(char::is_ascii_digit).count();
    let rest = &value[head..];
    let masked = rest.chars().take_while(|c| *c == 'X').count();
    let tail = &rest[masked..];
    head <= 6 && masked >= 1 && tail.len() <= 4 && tail.chars().all(|c| c.is_ascii_digit())
}

/// True for a mask that shows exactly the first six and last four digits: the most digest
/// 3.4.8 allows, which the reference bank shows (the harness's preference, checked at
/// `@strict`).
pub(crate) fn shows_six_and_four(value: &str) -> bool {
    let head = value.chars().take_while(char::is_ascii_digit).count();
    let tail = value.chars().rev().take_while(char::is_ascii_digit).count();
    is_masked_card_number(value) && head == 6 && tail == 4
}

/// True when `masked` is a digest-3.4.8 masking of the stored number `raw`: a valid mask of
/// the same length whose shown digits are those of `raw`.
pub(crate) fn is_masking_of(masked: &str, raw: &str) -> bool {
    is_masked_card_number(masked)
        && masked.len() == raw.len()
        && masked
            .chars()
            .zip(raw.chars())
            .all(|(m, r)| m == 'X' || m == r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn generated_numbers_are_luhn_valid_test_numbers_and_mask_six_and_four() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for bin in TEST_BINS {
            let raw = generate_test_card_number(&mut rng, bin);
            assert!(is_test_card_number(&raw), "{raw}");
            let masked = mask_card_number(&raw);
            assert_eq!(&masked[..6], bin);
            assert_eq!(&masked[12..], &raw[12..]);
            assert!(is_masked_card_number(&masked) && is_masking_of(&masked, &raw));
            assert!(!is_masked_card_number(&raw), "a raw number is not masked");
        }
        assert!(luhn_valid("4111111111111111"));
        assert!(!luhn_valid("4111111111111112"));
    }

    #[test]
    fn the_preferred_mask_shows_exactly_six_and_four() {
        assert!(shows_six_and_four("123456XXXXXX1234"));
        assert!(!shows_six_and_four("1234XXXXXXXXXX34"));
        assert!(!shows_six_and_four("XXXXXXXXXXXX1234"));
    }

    #[test]
    fn masks_show_at_most_six_and_four() {
        assert!(is_masked_card_number("123456XXXXXX1234"));
        assert!(is_masked_card_number("XXXXXXXXXXXX1234"));
        assert!(is_masked_card_number("1234XXXXXXXXXX12"));
        assert!(!is_masked_card_number("1234567XXXXX1234"));
        assert!(!is_masked_card_number("123456XXXXX12345"));
        assert!(!is_masked_card_number("1234561234561234"));
        assert!(!is_masked_card_number("123456 XXXXX1234"));
        assert!(is_masking_of("XXXXXXXXXXXX1234", "5555551234561234"));
        assert!(!is_masking_of("XXXXXXXXXXXX9999", "5555551234561234"));
        assert!(!is_masking_of("XXXXXXXX1234", "5555551234561234"));
    }
}

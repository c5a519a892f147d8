//! Maskinporten (digest 6).

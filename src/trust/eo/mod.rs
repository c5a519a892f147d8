//! Extradition orders (digest 5).

//! Deterministic test PKI for the default simulator profile. Being written.

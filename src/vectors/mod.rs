//! Golden vectors: per use case, the command and the expected response as hex and decoded
//! JSON, with masks for the fields that legitimately vary (ARCHITECTURE.md, Golden vectors).

pub mod record;

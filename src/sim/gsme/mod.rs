//! GSME / GPF device model (ZCL clusters and attributes). Being written.

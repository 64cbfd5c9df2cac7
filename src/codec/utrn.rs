//! UTRN prepayment top-up tokens. PLACEHOLDER: being written.

//! DLMS/COSEM content (ESME and comms-hub use cases): access-request, access-response and
//! data-notification APDUs with their A-XDR data, per dlms.md.

pub mod apdu;
pub mod data;
pub mod names;
pub mod obis;

#[cfg(test)]
mod tests;

pub use apdu::{
    decode, invoke_id_from_counter, long_invoke_id_and_priority, read_supply_status, AccessRequest,
    AccessResponse, AccessResult, ApduKind, DataNotification, DlmsApdu, DlmsBody, RequestSpec,
    Selection, SpecKind,
};
pub use data::{BitString, CipheredData, CompactArray, CompactContents, Data, TypeDesc};
pub use obis::ObisCode;

//! The DCC emulator (`simulate --duis`): DUIS service requests in, checked the way the DCC
//! checks them, transformed into GBCS commands for the project's device simulators, and the
//! devices' responses and alerts delivered back to the User as signed DUIS.

pub mod transform;

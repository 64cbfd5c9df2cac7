//! The DCC emulator (`simulate --duis`): DUIS service requests in, checked the way the DCC
//! checks them, transformed into GBCS commands for the project's device simulators, and the
//! devices' responses and alerts delivered back to the User as signed DUIS.
//!
//! - [`emulator`]: the HTTP interface (DCC Boxed's endpoints), the checks and the flows.
//! - [`lab`]: who the emulator's devices and DCC Users are (the default lab or the RTDS ids).
//! - [`precommand`]: the CV 4 pre-command and the check of its CV 5 signature.
//! - [`delivery`]: asynchronous delivery to the User's response URL.
//! - [`faults`]: deliberate misbehaviour (`--duis-faults`).
//! - [`journal`]: every request received and the verdict of the checks (a head-end under test
//!   is judged from it).
//! - [`transform`]: the DUIS request → GBCS command transform.

pub mod delivery;
pub mod emulator;
pub mod faults;
pub mod journal;
pub mod lab;
pub mod precommand;
pub mod transform;

//! Moving GBCS frames to and from targets. So far: the length-prefixed framing shared by the
//! `tcp://` and `exec:` transports and the simulator's servers.

pub mod framing;

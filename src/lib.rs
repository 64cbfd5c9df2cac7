pub mod codec;
pub mod corpus;
pub mod crypto;
pub mod inspect;
pub mod report;
pub mod sim;
pub mod transport;

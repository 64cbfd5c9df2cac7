pub mod codec;
pub mod corpus;

//! Why a command did not go through DUIS, or why what came back is not accepted.

use crate::codec::EntityId;

/// What the `duis://` transport refuses, or how the DCC's answer failed it.
#[derive(Debug, thiserror::Error)]
pub enum DuisError {
    #[error("DUIS cannot express this command: {0}")]
    Inexpressible(#[from] Inexpressible),
    #[error("no DUIS request template for {use_case} (message code {code}) in {dir}")]
    NoTemplate {
        use_case: String,
        code: String,
        dir: String,
    },
    #[error("DUIS template {file}: {reason}")]
    Template { file: String, reason: String },
    #[error("cannot read the templates folder {dir}: {reason}")]
    Templates { dir: String, reason: String },
    #[error("XML key store {dir}: {reason}")]
    XmlKeys { dir: String, reason: String },
    #[error("GBCS key store {dir}: {reason}")]
    GbcsKeys { dir: String, reason: String },
    #[error("no XML-signing key for the originator {eui} in {dir}")]
    NoXmlKey { eui: EntityId, dir: String },
    #[error("cannot sign the request {request_id}: {reason}")]
    Sign { request_id: String, reason: String },
    #[error("the DCC answered {code} ({description}) to {request_id} on {endpoint}")]
    Refused {
        code: String,
        description: String,
        request_id: String,
        endpoint: String,
    },
    #[error("the DCC's {what} is not an acceptable DUIS response: {reason}")]
    BadResponse { what: &'static str, reason: String },
    #[error("the DCC's {what} is not signed by the DCC: {reason}")]
    BadSignature { what: &'static str, reason: String },
    #[error("the pre-command for {request_id} does not say what the command says: {difference}")]
    PreCommandDiffers {
        request_id: String,
        difference: String,
    },
    #[error("cannot sign the pre-command for {request_id} as {originator}: {reason}")]
    PreCommandSign {
        request_id: String,
        originator: EntityId,
        reason: String,
    },
    #[error("{limit} requests already await their asynchronous response")]
    Busy { limit: usize },
    #[error(
        "no acceptable response to {request_id} within {ms} ms; the callback listener refused \
         {refused} document(s) meanwhile, the last because: {reason}"
    )]
    RefusedDelivery {
        request_id: String,
        ms: u128,
        refused: u64,
        reason: String,
    },
    #[error("the request {request_id} is already awaiting its response")]
    DuplicateRequest { request_id: String },
}

/// A GBCS command that has no DUIS service request: the DCC builds, MACs and counts the
/// commands itself, so what a scenario does to them on purpose cannot be sent through it.
#[derive(Debug, thiserror::Error)]
pub enum Inexpressible {
    #[error("it is not a GBCS frame: {0}")]
    NotGbcs(String),
    #[error("it is not a command (CRA flag {0})")]
    NotACommand(String),
    #[error("its message code {0} names no known use case")]
    UnknownUseCase(String),
    #[error(
        "its originator {originator} ({role}) is not a DCC User: the DCC itself originates \
         such commands, no service request asks for them"
    )]
    NotAUser { originator: EntityId, role: String },
    #[error(
        "its MAC does not verify: the DCC computes the MAC, a User cannot send a tampered one"
    )]
    BadMac,
    #[error(
        "it is a critical command whose signature is {0}: through DUIS the User signs the \
         DCC's pre-command, so a bad or missing signature cannot be sent"
    )]
    BadSignature(&'static str),
    #[error(
        "its counter {counter} is not above {last}, the last sent for {originator}: the DCC \
         takes the RequestID counter as the GBCS counter and refuses a stale one"
    )]
    StaleCounter {
        originator: EntityId,
        counter: u64,
        last: u64,
    },
}

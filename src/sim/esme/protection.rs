//! Data Protection (IC 30) get_protected_attributes, dlms.md §7: read the objects the
//! request lists, encode their values as one A-XDR structure and return it encrypted for
//! the data recipient, behind protection parameters naming the ESME as originator.

use crate::codec::ciphered::CipheredBlock;
use crate::codec::dlms::{CipheredData, Data, ObisCode};
use crate::sim::context::CommandContext;

use super::model::{encoded_size, result, Outcome, MAX_RESPONSE_DATA};
use super::objects::os;
use super::time::parse_date_time;
use super::Esme;

/// Protection type 2: authenticated and encrypted.
const AUTHENTICATED_ENCRYPTION: u8 = 2;
/// Key info type 2 (agreed key) with key parameters `02`, as every corpus request asks.
fn default_key_info() -> Data {
    Data::Structure(vec![
        Data::Enum(2),
        Data::Structure(vec![os(&[0x02]), os(&[])]),
    ])
}

/// One object-list entry: what to read, and the optional date restriction of a buffer.
struct Wanted {
    class: u16,
    obis: ObisCode,
    attr: i8,
    /// Inclusive time window; bounds the request leaves open are `None`.
    window: Option<(Option<u32>, Option<u32>)>,
}

fn parse_entry(d: &Data) -> Result<Wanted, u8> {
    let [Data::LongUnsigned(class), Data::OctetString(name), Data::Integer(attr), _, restriction] =
        d.items().ok_or(result::TYPE_UNMATCHED)?
    else {
        return Err(result::TYPE_UNMATCHED);
    };
    let obis = ObisCode(
        name.as_slice()
            .try_into()
            .map_err(|_| result::TYPE_UNMATCHED)?,
    );
    let window = match restriction.items() {
        Some([Data::Enum(0), _]) => None,
        Some([Data::Enum(1), Data::Structure(bounds)]) => match bounds.as_slice() {
            [Data::OctetString(from), Data::OctetString(to)] => Some((
                parse_date_time(from.as_slice()),
                parse_date_time(to.as_slice()),
            )),
            _ => return Err(result::TYPE_UNMATCHED),
        },
        _ => return Err(result::TYPE_UNMATCHED),
    };
    Ok(Wanted {
        class: *class,
        obis,
        attr: *attr,
        window,
    })
}

impl Esme {
    pub(super) fn get_protected_attributes(
        &self,
        ctx: &CommandContext,
        param: &Data,
        encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
    ) -> Outcome {
        let [Data::Array(list), Data::Array(protection)] =
            param.items().ok_or(result::TYPE_UNMATCHED)?
        else {
            return Err(result::TYPE_UNMATCHED);
        };
        if list.is_empty() {
            return Err(result::TYPE_UNMATCHED);
        }
        let mut values = Vec::with_capacity(list.len());
        for entry in list {
            let w = parse_entry(entry)?;
            let value = match w.window {
                None => self.read(ctx.now, w.class, w.obis, w.attr)?,
                Some((from, to)) => self.read_range(
                    ctx.now,
                    w.class,
                    w.obis,
                    w.attr,
                    from.unwrap_or(0),
                    to.unwrap_or(u32::MAX),
                )?,
            };
            values.push(value);
        }
        let plaintext = Data::Structure(values);
        if encoded_size(&plaintext) > MAX_RESPONSE_DATA {
            return Err(result::SCOPE_OF_ACCESS_VIOLATED);
        }
        let block = encrypt(&plaintext.encoded());

        // The answer's parameters mirror the request's, with the parties swapped.
        let (protection_type, key_info) = protection
            .first()
            .and_then(Data::items)
            .and_then(|p| match p {
                [Data::Enum(t), Data::Structure(opts)] => Some((*t, opts.get(4).cloned())),
                _ => None,
            })
            .unwrap_or((AUTHENTICATED_ENCRYPTION, None));
        let mut transaction_id = vec![0x04];
        transaction_id.extend_from_slice(&ctx.counter.to_be_bytes());
        let parameters = Data::Structure(vec![
            Data::Enum(protection_type),
            Data::Structure(vec![
                os(&transaction_id),
                os(ctx.device.as_bytes()),
                os(ctx.data_recipient.as_bytes()),
                os(&[]),
                key_info.unwrap_or_else(default_key_info),
            ]),
        ]);
        Ok(Data::Structure(vec![
            Data::Array(vec![parameters]),
            Data::Ciphered(CipheredData {
                block,
                decrypted: Some(Box::new(plaintext)),
            }),
        ]))
    }
}

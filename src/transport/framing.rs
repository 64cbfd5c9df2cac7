//! Length-prefixed framing: a 4-byte big-endian length, then that many bytes of GBCS frame,
//! in both directions; alerts travel the same way, unsolicited.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The largest frame accepted by default: GBCS lengths stop at 65535 bytes of content,
/// so a whole frame with its wrappers stays well below this.
pub const DEFAULT_MAX_FRAME: usize = 70_000;

#[derive(Debug, thiserror::Error)]
pub enum FramingError {
    #[error("peer announced a {announced}-byte frame, above the {limit}-byte limit")]
    TooLarge { announced: usize, limit: usize },
    #[error("connection closed {0}")]
    Closed(&'static str),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Reads one frame; `Ok(None)` when the peer closed cleanly between frames.
pub async fn read_frame<R: AsyncRead + Unpin>(
    r: &mut R,
    max: usize,
) -> Result<Option<Vec<u8>>, FramingError> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        let n = r.read(&mut len[got..]).await?;
        if n == 0 {
            return if got == 0 {
                Ok(None)
            } else {
                Err(FramingError::Closed("inside a length prefix"))
            };
        }
        got += n;
    }
    let announced = u32::from_be_bytes(len) as usize;
    if announced > max {
        return Err(FramingError::TooLarge {
            announced,
            limit: max,
        });
    }
    let mut frame = vec![0u8; announced];
    r.read_exact(&mut frame).await.map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => FramingError::Closed("inside a frame"),
        _ => FramingError::Io(e),
    })?;
    Ok(Some(frame))
}

pub async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, frame: &[u8]) -> io::Result<()> {
    let len = u32::try_from(frame.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "frame longer than 4 GiB"))?;
    let mut buf = Vec::with_capacity(4 + frame.len());
    buf.extend_from_slice(&len.to_be_bytes());
    buf.extend_from_slice(frame);
    w.write_all(&buf).await?;
    w.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_round_trip_and_limits_hold() {
        let mut wire = Vec::new();
        write_frame(&mut wire, b"\xDF\x09").await.unwrap();
        write_frame(&mut wire, b"").await.unwrap();
        let mut r = wire.as_slice();
        assert_eq!(read_frame(&mut r, 10).await.unwrap().unwrap(), b"\xDF\x09");
        assert_eq!(read_frame(&mut r, 10).await.unwrap().unwrap(), b"");
        assert!(read_frame(&mut r, 10).await.unwrap().is_none());

        let mut r: &[u8] = &[0, 0, 0, 11, 1, 2];
        assert!(matches!(
            read_frame(&mut r, 10).await,
            Err(FramingError::TooLarge {
                announced: 11,
                limit: 10
            })
        ));
        let mut r: &[u8] = &[0, 0, 0, 5, 1, 2];
        assert!(matches!(
            read_frame(&mut r, 10).await,
            Err(FramingError::Closed(_))
        ));
        let mut r: &[u8] = &[0, 0];
        assert!(matches!(
            read_frame(&mut r, 10).await,
            Err(FramingError::Closed(_))
        ));
    }
}

//! `replay:DIR`: recorded exchanges, e.g. the RTDS corpus. Each `X_COMMAND_GBCS.HEX` is
//! answered with `X_RESPONSE_GBCS.HEX` from the same folder, and the alerts recorded for
//! that variant (`UC_VER[_CODE]_VARIANT_ALERT…_GBCS.HEX`) come back as alerts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use walkdir::WalkDir;

use crate::corpus::{alert_variant, read_hex_file};

use super::{BoxFuture, Limits, Received, TimedFrame, Transport, TransportError};

#[derive(Debug, Clone, Default)]
struct Recording {
    response: Option<Vec<u8>>,
    alerts: Vec<Vec<u8>>,
}

pub struct ReplayTransport {
    dir: PathBuf,
    by_command: HashMap<Vec<u8>, Recording>,
}

impl ReplayTransport {
    pub fn load(dir: &Path) -> Result<Self, TransportError> {
        let target = format!("replay:{}", dir.display());
        let fail = |reason: String| TransportError::Replay {
            target: target.clone(),
            reason,
        };
        if !dir.is_dir() {
            return Err(fail("not a folder".into()));
        }
        // Folder → file stems, so a command's siblings can be found.
        let mut folders: HashMap<PathBuf, Vec<String>> = HashMap::new();
        for entry in WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| fail(e.to_string()))?;
            let name = entry.file_name().to_string_lossy();
            if let Some(stem) = name.strip_suffix("_GBCS.HEX") {
                let parent = entry.path().parent().unwrap_or(dir).to_path_buf();
                folders.entry(parent).or_default().push(stem.to_string());
            }
        }
        let read = |folder: &Path, stem: &str| {
            read_hex_file(&folder.join(format!("{stem}_GBCS.HEX"))).map_err(|e| fail(e.to_string()))
        };
        let mut by_command = HashMap::new();
        let mut folder_list: Vec<_> = folders.into_iter().collect();
        folder_list.sort();
        for (folder, stems) in folder_list {
            for stem in &stems {
                let Some(base) = stem.strip_suffix("_COMMAND") else {
                    continue;
                };
                // The use-case prefix is the first two fields: `ECS08_2.1_`.
                let mut fields = base.splitn(3, '_');
                let (Some(uc), Some(ver), Some(variant)) =
                    (fields.next(), fields.next(), fields.next())
                else {
                    continue;
                };
                let prefix = format!("{uc}_{ver}_");
                let response_stem = format!("{base}_RESPONSE");
                let response = if stems.contains(&response_stem) {
                    Some(read(&folder, &response_stem)?)
                } else {
                    None
                };
                let mut alerts = Vec::new();
                for s in &stems {
                    if alert_variant(s, &prefix) == Some(variant) {
                        alerts.push(read(&folder, s)?);
                    }
                }
                let command = read(&folder, stem)?;
                // Identical commands in two variants: the first, in path order, answers.
                by_command
                    .entry(command)
                    .or_insert(Recording { response, alerts });
            }
        }
        Ok(ReplayTransport {
            dir: dir.to_path_buf(),
            by_command,
        })
    }

    /// How many commands have a recording.
    pub fn len(&self) -> usize {
        self.by_command.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_command.is_empty()
    }
}

impl Transport for ReplayTransport {
    fn exchange<'a>(
        &'a mut self,
        frame: &'a [u8],
        _limits: &'a Limits,
    ) -> BoxFuture<'a, Result<Received, TransportError>> {
        let result = match self.by_command.get(frame) {
            Some(rec) if rec.response.is_some() || !rec.alerts.is_empty() => {
                let mut r = Received::default();
                if let Some(resp) = &rec.response {
                    r.responses.push(TimedFrame::now(resp.clone()));
                }
                r.alerts = rec
                    .alerts
                    .iter()
                    .map(|a| TimedFrame::now(a.clone()))
                    .collect();
                Ok(r)
            }
            _ => Err(TransportError::NoRecordedResponse {
                target: self.describe(),
                command: short_hex(frame),
            }),
        };
        Box::pin(async move { result })
    }

    fn alerts(&mut self, wait: Duration) -> BoxFuture<'_, Result<Vec<TimedFrame>, TransportError>> {
        // Recordings hold no unsolicited alerts; waiting keeps the caller's timing honest.
        Box::pin(async move {
            tokio::time::sleep(wait).await;
            Ok(Vec::new())
        })
    }

    fn describe(&self) -> String {
        format!("replay:{}", self.dir.display())
    }
}

/// The first bytes of a frame in hex, enough to recognise it in a one-line error.
pub(super) fn short_hex(frame: &[u8]) -> String {
    let shown = &frame[..frame.len().min(16)];
    let mut s = hex::encode_upper(shown);
    if frame.len() > shown.len() {
        s.push_str(&format!("… ({} bytes)", frame.len()));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::alert_variant;

    #[test]
    fn alert_files_map_to_their_variant() {
        assert_eq!(
            alert_variant(
                "ECS08_2.1_8F66_FUTURE_DATED_SUCCESS_ALERT_CALENDAR",
                "ECS08_2.1_"
            ),
            Some("FUTURE_DATED_SUCCESS")
        );
        assert_eq!(
            alert_variant("ECS08_2.1_IMMEDIATE_SUCCESS_ALERT", "ECS08_2.1_"),
            Some("IMMEDIATE_SUCCESS")
        );
        assert_eq!(alert_variant("ECS08_2.1_X_RESPONSE", "ECS08_2.1_"), None);
        assert_eq!(
            alert_variant("DBCH04_6.28_NA_SUCCESS_ALERT_DBCH09", "DBCH04_6.28_"),
            Some("SUCCESS")
        );
    }
}

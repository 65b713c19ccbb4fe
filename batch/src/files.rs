//! Result files: downloading a task's (with the client's resumable
//! downloads) and checking the ones a journal says were downloaded.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path};
use std::sync::{Arc, Mutex, PoisonError};

use orux_client::{Client, DownloadError, DownloadOptions, TaskStatusResponse};
use sha2::{Digest, Sha256};

use crate::identity::hex;
use crate::journal::FileRecord;
use crate::progress::{Event, Progress};

/// Downloads every result of a successful task into `dir`, as
/// `<task_id>.<ext>` (or `<task_id>-<n>.<ext>`), resuming a `.part` file a
/// previous run left; returns the files as the journal records them (paths
/// relative to `dir`). Bytes are reported as they arrive ([`Event::Bytes`]).
///
/// A file already there under its final name is replaced: it was not
/// recorded, so it cannot be trusted (a run that stopped between the
/// rename and the journal's commit leaves one).
pub async fn download(
    client: &Client,
    task: &TaskStatusResponse,
    dir: &Path,
    progress: &Arc<dyn Progress>,
) -> Result<Vec<FileRecord>, DownloadError> {
    let sink = Arc::clone(progress);
    // The last (file, bytes) reported: progress gives totals per file.
    let last = Mutex::new((usize::MAX, 0u64));
    let options = DownloadOptions::default().overwrite(true).on_progress(
        move |now: orux_client::Progress| {
            let mut last = last.lock().unwrap_or_else(PoisonError::into_inner);
            let (file, bytes) = *last;
            // A new file, or the same one started over, counts from zero.
            let new = if file == now.file && now.bytes >= bytes {
                now.bytes - bytes
            } else {
                now.bytes
            };
            *last = (now.file, now.bytes);
            if new > 0 {
                sink.event(&Event::Bytes { bytes: new });
            }
        },
    );
    let files = client.download_task(task, dir, &options).await?;
    Ok(files
        .into_iter()
        .map(|file| FileRecord {
            path: file
                .path
                .strip_prefix(dir)
                .unwrap_or(&file.path)
                .to_string_lossy()
                .into_owned(),
            bytes: file.bytes,
            sha256: file.sha256,
        })
        .collect())
}

/// Whether every recorded file is in `dir` with its recorded size and
/// SHA-256. A path that would leave `dir` (absolute, or with `..`) is never
/// read: the journal is a file a person can edit.
pub fn all_intact(dir: &Path, files: &[FileRecord]) -> bool {
    !files.is_empty() && files.iter().all(|file| intact(dir, file))
}

fn intact(dir: &Path, file: &FileRecord) -> bool {
    let relative = Path::new(&file.path);
    let inside = relative
        .components()
        .all(|part| matches!(part, Component::Normal(_)));
    if !inside {
        return false;
    }
    let path = dir.join(relative);
    let same_size =
        std::fs::metadata(&path).is_ok_and(|meta| meta.is_file() && meta.len() == file.bytes);
    same_size && sha256_of(&path).is_ok_and(|digest| digest == file.sha256)
}

/// The SHA-256 of a file, as lowercase hex, read in chunks.
pub fn sha256_of(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut chunk = vec![0u8; 256 * 1024];
    loop {
        match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => hasher.update(&chunk[..n]),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(hex(&hasher.finalize().into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::sha256_hex;

    fn record(path: &str, bytes: &[u8]) -> FileRecord {
        FileRecord {
            path: path.to_owned(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }

    #[test]
    fn a_file_counts_only_with_its_size_and_hash() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.mp4"), b"video").unwrap();
        assert!(all_intact(dir.path(), &[record("a.mp4", b"video")]));
        assert!(
            !all_intact(dir.path(), &[record("a.mp4", b"vidEo")]),
            "same size, other bytes"
        );
        assert!(
            !all_intact(dir.path(), &[record("a.mp4", b"videos")]),
            "other size"
        );
        assert!(
            !all_intact(dir.path(), &[record("b.mp4", b"video")]),
            "missing"
        );
        assert!(!all_intact(dir.path(), &[]), "a download has files");
    }

    #[test]
    fn a_recorded_path_never_leaves_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("out");
        std::fs::create_dir(&inner).unwrap();
        std::fs::write(dir.path().join("outside.mp4"), b"video").unwrap();
        assert!(!all_intact(&inner, &[record("../outside.mp4", b"video")]));
        let absolute = dir.path().join("outside.mp4").display().to_string();
        assert!(!all_intact(&inner, &[record(&absolute, b"video")]));
    }
}

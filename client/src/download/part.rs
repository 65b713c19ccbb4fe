//! The `.part` file and the thread that writes it.
//!
//! A download streams into `<name>.part` beside its target, with a small
//! `<name>.part.meta` beside it that records the version being fetched (the
//! validator for `If-Range`, the total length, the content type), so that a
//! later run can resume. One thread per download owns both files: it
//! writes each chunk and feeds it to SHA-256 while the network side
//! receives the next, and does the slow steps (fsync, rename, the
//! directory's fsync) off the async runtime. The two sides talk through a
//! bounded channel, so memory stays flat whatever the size.
//!
//! The thread holds an exclusive lock on the `.part` file (`File::try_lock`)
//! until the file has its final name: a second download of the same target,
//! in this process or another, is refused instead of writing into it.
//!
//! A download that fails closes its [`Writer`] and waits for the thread to
//! finish, so the files are settled when the error is returned. Dropping a
//! `Writer` (the download's future was dropped) lets the thread write what
//! it already received, sync it and exit on its own: the `.part` file
//! stays, complete up to where it stopped, for the next attempt.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::{mpsc, oneshot};

use super::error::DownloadError;
use super::head::Validator;

/// Chunks in flight between the network and the disk (each at most a few
/// hundred KiB, as hyper reads them).
const CHANNEL_CHUNKS: usize = 16;

/// How often (in bytes written) free space is checked against the reserve.
const SPACE_CHECK_EVERY: u64 = 64 * 1024 * 1024;

/// The version of a `.part.meta` file this code writes and reads.
const META_VERSION: u32 = 1;

/// What the `.part.meta` file records about the bytes in `.part`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Meta {
    version: u32,
    pub validator: Validator,
    pub total: Option<u64>,
    pub content_type: Option<String>,
}

impl Meta {
    pub fn new(validator: Validator, total: Option<u64>, content_type: Option<String>) -> Meta {
        Meta {
            version: META_VERSION,
            validator,
            total,
            content_type,
        }
    }
}

/// Where the two files live.
#[derive(Clone, Debug)]
pub(crate) struct PartPaths {
    pub part: PathBuf,
    pub meta: PathBuf,
    pub dir: PathBuf,
}

impl PartPaths {
    /// `<dir>/<name>.part` and `<dir>/<name>.part.meta`.
    pub fn new(dir: &Path, name: &str) -> PartPaths {
        PartPaths {
            part: dir.join(format!("{name}.part")),
            meta: dir.join(format!("{name}.part.meta")),
            dir: dir.to_owned(),
        }
    }
}

/// What a previous run left: the bytes in `.part` and what they are.
#[derive(Debug)]
pub(crate) struct Resumed {
    pub offset: u64,
    pub meta: Meta,
}

/// The file once complete and in place.
#[derive(Debug)]
pub(crate) struct Finished {
    pub bytes: u64,
    pub sha256: [u8; 32],
}

enum Command {
    /// Forget everything written: truncate, reset the hash, record `Meta`.
    Restart(Meta),
    /// Append and hash.
    Chunk(Bytes),
    /// Sync, move into place, and answer.
    Finish {
        target: PathBuf,
        overwrite: bool,
        reply: oneshot::Sender<Result<Finished, DownloadError>>,
    },
    /// Remove both files and stop.
    Discard,
}

/// The network side's handle on the writing thread.
pub(crate) struct Writer {
    commands: mpsc::Sender<Command>,
    failure: Arc<Mutex<Option<DownloadError>>>,
    /// Completes (with an error: its sender is dropped) when the thread ends.
    exited: oneshot::Receiver<()>,
}

impl Writer {
    /// Starts the thread: it opens (or creates) the `.part` file, reads the
    /// `.meta` beside it and hashes the bytes already there. Without a
    /// readable `.meta` matching the file, it starts from zero.
    pub async fn open(paths: PartPaths, min_free: u64) -> Result<(Writer, Resumed), DownloadError> {
        let (commands, receiver) = mpsc::channel(CHANNEL_CHUNKS);
        let (opened, opened_reply) = oneshot::channel();
        let (exiting, exited) = oneshot::channel::<()>();
        let failure = Arc::new(Mutex::new(None));
        let thread_failure = Arc::clone(&failure);
        let thread_paths = paths.clone();
        std::thread::Builder::new()
            .name("orux-download".to_owned())
            .spawn(move || {
                run(thread_paths, min_free, receiver, opened, thread_failure);
                drop(exiting);
            })
            .map_err(|source| DownloadError::Io {
                path: paths.part.clone(),
                action: "start a writer thread for",
                source,
            })?;
        let resumed = opened_reply.await.map_err(|_| gone(&paths.part))??;
        Ok((
            Writer {
                commands,
                failure,
                exited,
            },
            resumed,
        ))
    }

    pub async fn restart(&self, meta: Meta) -> Result<(), DownloadError> {
        self.send(Command::Restart(meta)).await
    }

    pub async fn write(&self, chunk: Bytes) -> Result<(), DownloadError> {
        self.send(Command::Chunk(chunk)).await
    }

    pub async fn finish(self, target: PathBuf, overwrite: bool) -> Result<Finished, DownloadError> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Finish {
            target,
            overwrite,
            reply,
        })
        .await?;
        match answer.await {
            Ok(result) => result,
            Err(_) => Err(self.failure()),
        }
    }

    /// Removes both files; the writer takes nothing more.
    pub async fn discard(&self) {
        let _ = self.commands.send(Command::Discard).await;
    }

    /// Sends nothing more and waits until the thread has written what it
    /// had, synced it and let go of the files.
    pub async fn close(self) {
        drop(self.commands);
        let _ = self.exited.await;
    }

    async fn send(&self, command: Command) -> Result<(), DownloadError> {
        self.commands
            .send(command)
            .await
            .map_err(|_| self.failure())
    }

    /// The error that stopped the thread.
    fn failure(&self) -> DownloadError {
        lock(&self.failure)
            .take()
            .unwrap_or_else(|| DownloadError::Io {
                path: PathBuf::new(),
                action: "write",
                source: io::Error::other("the writer thread stopped"),
            })
    }
}

fn gone(part: &Path) -> DownloadError {
    DownloadError::Io {
        path: part.to_owned(),
        action: "open",
        source: io::Error::other("the writer thread stopped"),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The thread: open, then follow commands until finished, discarded or
/// abandoned (the channel closed). A failure is left in `failure` and the
/// thread stops, which the network side sees at its next send.
fn run(
    paths: PartPaths,
    min_free: u64,
    mut commands: mpsc::Receiver<Command>,
    opened: oneshot::Sender<Result<Resumed, DownloadError>>,
    failure: Arc<Mutex<Option<DownloadError>>>,
) {
    let mut part = match PartState::open(paths, min_free) {
        Ok((part, resumed)) => {
            let _ = opened.send(Ok(resumed));
            part
        }
        Err(error) => {
            let _ = opened.send(Err(error));
            return;
        }
    };
    while let Some(command) = commands.blocking_recv() {
        let outcome = match command {
            Command::Restart(meta) => part.restart(&meta),
            Command::Chunk(chunk) => part.append(&chunk),
            Command::Finish {
                target,
                overwrite,
                reply,
            } => {
                let _ = reply.send(part.finish(&target, overwrite));
                return;
            }
            Command::Discard => {
                part.discard();
                return;
            }
        };
        if let Err(error) = outcome {
            *lock(&failure) = Some(error);
            return;
        }
    }
    // Abandoned: keep what arrived, on disk, for the next attempt.
    let _ = part.file.sync_data();
}

struct PartState {
    paths: PartPaths,
    file: File,
    hasher: Sha256,
    written: u64,
    since_space_check: u64,
    min_free: u64,
}

impl PartState {
    fn open(paths: PartPaths, min_free: u64) -> Result<(PartState, Resumed), DownloadError> {
        let io = |action, source| DownloadError::Io {
            path: paths.part.clone(),
            action,
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&paths.part)
            .map_err(|source| io("open", source))?;
        // One writer per `.part` file, across threads and processes; the
        // lock goes with the file handle.
        file.try_lock().map_err(|error| match error {
            fs::TryLockError::WouldBlock => io(
                "lock",
                io::Error::new(
                    io::ErrorKind::WouldBlock,
                    "another download is writing this file",
                ),
            ),
            fs::TryLockError::Error(source) => io("lock", source),
        })?;
        let length = file
            .metadata()
            .map_err(|source| io("read the size of", source))?
            .len();
        let meta = read_meta(&paths.meta)
            .filter(|meta| meta.version == META_VERSION)
            .filter(|meta| meta.validator.if_range().is_some())
            .filter(|meta| meta.total.is_none_or(|total| length <= total));
        let mut hasher = Sha256::new();
        let (offset, meta) = match meta {
            Some(meta) if length > 0 => {
                hash_prefix(&mut file, &mut hasher).map_err(|source| io("read", source))?;
                (length, meta)
            }
            _ => {
                file.set_len(0).map_err(|source| io("truncate", source))?;
                (0, Meta::default())
            }
        };
        file.seek(SeekFrom::End(0))
            .map_err(|source| io("seek in", source))?;
        let state = PartState {
            paths,
            file,
            hasher,
            written: offset,
            since_space_check: 0,
            min_free,
        };
        if let Some(total) = meta.total {
            state.check_space(Some(total.saturating_sub(offset)))?;
        }
        Ok((state, Resumed { offset, meta }))
    }

    fn restart(&mut self, meta: &Meta) -> Result<(), DownloadError> {
        self.file
            .set_len(0)
            .and_then(|()| self.file.seek(SeekFrom::Start(0)).map(drop))
            .map_err(|source| self.io("truncate", source))?;
        self.hasher = Sha256::new();
        self.written = 0;
        // The meta describes the bytes that follow; the file is empty now,
        // so a crash between these two steps leaves nothing to misread.
        write_meta(&self.paths.meta, meta).map_err(|source| DownloadError::Io {
            path: self.paths.meta.clone(),
            action: "write",
            source,
        })?;
        if let Some(total) = meta.total {
            self.check_space(Some(total))?;
        }
        Ok(())
    }

    fn append(&mut self, chunk: &[u8]) -> Result<(), DownloadError> {
        self.file
            .write_all(chunk)
            .map_err(|source| self.io("write", source))?;
        self.hasher.update(chunk);
        let length = chunk.len() as u64;
        self.written += length;
        self.since_space_check += length;
        if self.since_space_check >= SPACE_CHECK_EVERY {
            self.since_space_check = 0;
            self.check_space(None)?;
        }
        Ok(())
    }

    fn finish(self, target: &Path, overwrite: bool) -> Result<Finished, DownloadError> {
        self.file
            .sync_all()
            .map_err(|source| self.io("sync", source))?;
        let sha256: [u8; 32] = self.hasher.clone().finalize().into();
        let bytes = self.written;
        // The file stays open (and locked) until it has its final name, so
        // no other writer can take the `.part` name's file in between;
        // Windows cannot rename an open file.
        #[cfg(windows)]
        drop(self.file);
        persist(&self.paths.part, target, overwrite)?;
        let _ = fs::remove_file(&self.paths.meta);
        sync_dir(&self.paths.dir).map_err(|source| DownloadError::Io {
            path: self.paths.dir.clone(),
            action: "sync the directory",
            source,
        })?;
        Ok(Finished { bytes, sha256 })
    }

    fn discard(self) {
        drop(self.file);
        let _ = fs::remove_file(&self.paths.part);
        let _ = fs::remove_file(&self.paths.meta);
    }

    /// Fails when the disk has less free space than `needed` (bytes still
    /// to write) plus the reserve, or, with no length known, less than the
    /// reserve.
    fn check_space(&self, needed: Option<u64>) -> Result<(), DownloadError> {
        let Some(available) = available_space(&self.paths.dir) else {
            return Ok(());
        };
        let want = needed.unwrap_or(0).saturating_add(self.min_free);
        if available < want {
            return Err(DownloadError::NoSpace {
                path: self.paths.dir.clone(),
                needed,
                available,
            });
        }
        Ok(())
    }

    fn io(&self, action: &'static str, source: io::Error) -> DownloadError {
        DownloadError::Io {
            path: self.paths.part.clone(),
            action,
            source,
        }
    }
}

fn hash_prefix(file: &mut File, hasher: &mut Sha256) -> io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    let mut buffer = vec![0; 1024 * 1024];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(n) => hasher.update(&buffer[..n]),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
}

/// The `.meta` file, if it is there and readable; anything else means
/// "start over".
fn read_meta(path: &Path) -> Option<Meta> {
    let text = fs::read(path).ok()?;
    if text.len() > 16 * 1024 {
        return None;
    }
    serde_json::from_slice(&text).ok()
}

fn write_meta(path: &Path, meta: &Meta) -> io::Result<()> {
    let text = serde_json::to_vec(meta).map_err(io::Error::other)?;
    let mut file = File::create(path)?;
    file.write_all(&text)?;
    file.sync_data()
}

/// Moves the complete `.part` file to `target`. Without `overwrite` the
/// target is never replaced: a hard link fails if it exists (atomically),
/// then the `.part` name is removed. A file system without hard links gets
/// a check followed by a rename.
fn persist(part: &Path, target: &Path, overwrite: bool) -> Result<(), DownloadError> {
    let rename = |part: &Path| {
        fs::rename(part, target).map_err(|source| DownloadError::Io {
            path: target.to_owned(),
            action: "rename into place",
            source,
        })
    };
    if overwrite {
        return rename(part);
    }
    match fs::hard_link(part, target) {
        Ok(()) => {
            let _ = fs::remove_file(part);
            Ok(())
        }
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Err(DownloadError::Exists {
            path: target.to_owned(),
        }),
        Err(_) if target.exists() => Err(DownloadError::Exists {
            path: target.to_owned(),
        }),
        Err(_) => rename(part),
    }
}

/// Makes a rename durable: on Unix the directory entry is synced too.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Bytes an unprivileged writer may still use on the file system of `dir`.
fn available_space(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        let stat = rustix::fs::statvfs(dir).ok()?;
        Some(stat.f_bavail.saturating_mul(stat.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn meta() -> Meta {
        Meta::new(
            Validator {
                etag: Some("\"v1\"".into()),
                last_modified: None,
            },
            Some(11),
            Some("video/mp4".into()),
        )
    }

    #[tokio::test]
    async fn writes_hashes_and_resumes_across_writers() {
        let dir = tempfile::tempdir().unwrap();
        let paths = PartPaths::new(dir.path(), "t");
        let (writer, resumed) = Writer::open(paths.clone(), 0).await.unwrap();
        assert_eq!(resumed.offset, 0);
        writer.restart(meta()).await.unwrap();
        writer.write(Bytes::from_static(b"hello ")).await.unwrap();
        writer.close().await;
        // A new run finds the bytes and what they are.
        let (writer, found) = Writer::open(paths.clone(), 0).await.unwrap();
        assert_eq!(found.offset, 6);
        assert_eq!(found.meta, meta());
        writer.write(Bytes::from_static(b"world")).await.unwrap();
        let target = dir.path().join("t.mp4");
        let done = writer.finish(target.clone(), false).await.unwrap();
        assert_eq!(done.bytes, 11);
        assert_eq!(fs::read(&target).unwrap(), b"hello world");
        assert_eq!(
            hex(&done.sha256),
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        assert!(!paths.part.exists() && !paths.meta.exists());
    }

    #[tokio::test]
    async fn without_a_meta_file_the_bytes_are_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let paths = PartPaths::new(dir.path(), "t");
        fs::write(&paths.part, b"stale bytes").unwrap();
        let (writer, resumed) = Writer::open(paths.clone(), 0).await.unwrap();
        assert_eq!(resumed.offset, 0);
        writer.close().await;
        fs::write(&paths.meta, b"{not json").unwrap();
        fs::write(&paths.part, b"stale bytes").unwrap();
        let (_writer, resumed) = Writer::open(paths, 0).await.unwrap();
        assert_eq!(resumed.offset, 0);
    }

    #[tokio::test]
    async fn one_writer_per_part_file() {
        let dir = tempfile::tempdir().unwrap();
        let paths = PartPaths::new(dir.path(), "t");
        let (first, _) = Writer::open(paths.clone(), 0).await.unwrap();
        let second = Writer::open(paths.clone(), 0).await;
        assert!(
            matches!(&second, Err(DownloadError::Io { action: "lock", .. })),
            "{:?}",
            second.as_ref().err()
        );
        first.close().await;
        assert!(Writer::open(paths, 0).await.is_ok());
    }

    #[tokio::test]
    async fn an_existing_target_is_kept_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.mp4");
        fs::write(&target, b"mine").unwrap();
        let (writer, _) = Writer::open(PartPaths::new(dir.path(), "t"), 0)
            .await
            .unwrap();
        writer.write(Bytes::from_static(b"theirs")).await.unwrap();
        let outcome = writer.finish(target.clone(), false).await;
        assert!(
            matches!(&outcome, Err(DownloadError::Exists { path }) if *path == target),
            "{outcome:?}"
        );
        assert_eq!(fs::read(&target).unwrap(), b"mine");
        let (writer, _) = Writer::open(PartPaths::new(dir.path(), "t"), 0)
            .await
            .unwrap();
        writer.write(Bytes::from_static(b"theirs")).await.unwrap();
        writer.finish(target.clone(), true).await.unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"theirs");
    }

    #[tokio::test]
    async fn a_declared_length_beyond_the_free_space_is_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let (writer, _) = Writer::open(PartPaths::new(dir.path(), "t"), 0)
            .await
            .unwrap();
        let mut huge = meta();
        huge.total = Some(u64::MAX / 2);
        // The thread answers through the next command that waits for it.
        let outcome = match writer.restart(huge).await {
            Ok(()) => writer.finish(dir.path().join("t"), false).await.map(drop),
            error => error,
        };
        assert!(
            matches!(
                &outcome,
                Err(DownloadError::NoSpace {
                    needed: Some(_),
                    ..
                })
            ),
            "{outcome:?}"
        );
    }
}

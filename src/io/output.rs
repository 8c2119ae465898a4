//! Output that never leaves a half-written file behind and never destroys
//! what the user has.
//!
//! - Everything goes to a temporary file in the target's directory and is
//!   renamed into place only after the last byte is written and synced, so an
//!   error midway leaves the user's existing file untouched.
//! - An output that is one of the command's own inputs (the same file by
//!   device and inode, so through symlinks and hard links too) is refused:
//!   inputs are read through [`read_input`], which remembers them.
//! - An existing read-only output is refused unless `--force` ([`set_force`]):
//!   a rename would replace it whatever its mode.
//! - A symlinked output is written through to the link's target, so the link
//!   stays a link.
//! - Temporary files are removed when the run is interrupted
//!   ([`install_signal_cleanup`]).

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::error::{Error, Result, WriteFailure};

/// The UTF-8 byte-order mark. Excel on Windows reads a CSV file without it in
/// the system code page (GBK on Chinese Windows), which garbles UTF-8 text.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The name standard output goes by in messages.
pub const STDOUT_NAME: &str = "stdout";

/// What identifies a file whatever path names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    dev: u64,
    ino: u64,
}

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some(FileId {
        dev: meta.dev(),
        ino: meta.ino(),
    })
}

#[cfg(not(unix))]
fn file_id(_meta: &std::fs::Metadata) -> Option<FileId> {
    None
}

/// Files read so far by this process, with the name they were read by.
static INPUTS: Mutex<Vec<(FileId, PathBuf)>> = Mutex::new(Vec::new());
/// Temporary output files not yet renamed into place.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// `--force`: replace read-only outputs.
static FORCE: AtomicBool = AtomicBool::new(false);

/// A poisoned lock still holds good data here (plain lists).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Let outputs replace existing read-only files (`--force`).
pub fn set_force(force: bool) {
    FORCE.store(force, Ordering::Relaxed);
}

/// Remember that `path` is an input of this run, so no output may replace it.
pub fn protect(path: &Path) {
    if let Ok(meta) = std::fs::metadata(path) {
        remember(&meta, path);
    }
}

fn remember(meta: &std::fs::Metadata, path: &Path) {
    if let Some(id) = file_id(meta) {
        let mut inputs = lock(&INPUTS);
        // Keyed by file and name: a name of a deleted input whose inode was
        // reused must not hide the new file's own entry.
        if !inputs.iter().any(|(i, p)| *i == id && p == path) {
            inputs.push((id, path.to_path_buf()));
        }
    }
}

/// Read a whole input file once, remembering it as an input (see [`protect`]).
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = f.metadata().map_err(|e| Error::io(path, e))?;
    remember(&meta, path);
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    f.read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// The input an existing output file is, if it is one. The input's path must
/// still name that file: an input deleted since it was read may have its
/// inode number reused by a new, unrelated file.
fn input_named_by(meta: &std::fs::Metadata) -> Option<PathBuf> {
    let id = file_id(meta)?;
    lock(&INPUTS)
        .iter()
        .find(|(i, p)| *i == id && std::fs::metadata(p).ok().and_then(|m| file_id(&m)) == Some(id))
        .map(|(_, p)| p.clone())
}

/// Follow a chain of symlinks to the path that will be written. A dangling
/// link resolves to the file it names, which the output then creates.
fn resolve_links(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    // The kernel's own limit on links in a path (Linux MAXSYMLINKS).
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p).map_err(|e| Error::write(path, e))?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(Error::input(path, "too many levels of symbolic links"))
}

/// Removes its temporary file's name from the cleanup list when the file is
/// renamed into place or dropped.
struct Registered(PathBuf);

impl Registered {
    fn new(path: &Path) -> Registered {
        lock(&TEMPORARIES).push(path.to_path_buf());
        Registered(path.to_path_buf())
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        lock(&TEMPORARIES).retain(|p| *p != self.0);
    }
}

/// Delete every temporary output file not yet renamed into place.
pub fn remove_temporaries() {
    for p in lock(&TEMPORARIES).drain(..) {
        let _ = std::fs::remove_file(p);
    }
}

/// On SIGINT, SIGTERM or SIGHUP, remove temporary output files before the
/// process ends as the signal would end it. Call once, before any output is
/// created.
#[cfg(unix)]
pub fn install_signal_cleanup() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    // A thread, not a signal handler: removing files is not async-signal-safe.
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            remove_temporaries();
            let _ = signal_hook::low_level::emulate_default_handler(sig);
            std::process::exit(128 + sig);
        }
    });
}

#[cfg(not(unix))]
pub fn install_signal_cleanup() {}

/// Where a command writes: stdout, or a file replaced atomically on success.
pub struct Sink(Target);

enum Target {
    Stdout(BufWriter<io::Stdout>),
    /// An existing path that is not a regular file (`/dev/null`, a named
    /// pipe): written in place like stdout. Renaming a temporary file over
    /// it would replace the device or pipe itself.
    Stream {
        file: BufWriter<File>,
        path: PathBuf,
    },
    File {
        tmp: tempfile::NamedTempFile,
        /// The name the user gave, for messages.
        path: PathBuf,
        /// Where the file goes: `path` with symlinks followed.
        target: PathBuf,
        _registered: Registered,
    },
}

/// A finished output file not yet renamed into place (see [`Sink::prepare`]).
pub struct Prepared {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    target: PathBuf,
    _registered: Registered,
}

impl Sink {
    /// `None` or `-` means stdout.
    pub fn create(path: Option<&Path>) -> Result<Sink> {
        let p = match path {
            None => return Ok(Sink(Target::Stdout(BufWriter::new(io::stdout())))),
            Some(p) if p.as_os_str() == "-" => {
                return Ok(Sink(Target::Stdout(BufWriter::new(io::stdout()))))
            }
            Some(p) => p,
        };
        let target = resolve_links(p)?;
        match std::fs::metadata(&target) {
            Ok(m) if m.is_dir() => return Err(Error::input(p, "output path is a directory")),
            Ok(m) if !m.is_file() => {
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(|e| Error::write(p, e))?;
                return Ok(Sink(Target::Stream {
                    file: BufWriter::new(f),
                    path: p.to_path_buf(),
                }));
            }
            Ok(m) => {
                if let Some(input) = input_named_by(&m) {
                    let same = if input == p {
                        String::new()
                    } else {
                        format!(" ({})", input.display())
                    };
                    return Err(Error::input(
                        p,
                        format!(
                            "is also an input of this command{same}; writing the output there \
                             would destroy it: choose another output file"
                        ),
                    ));
                }
                if m.permissions().readonly() && !FORCE.load(Ordering::Relaxed) {
                    return Err(Error::input(
                        p,
                        "exists and is read-only; pass --force to replace it",
                    ));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::write(p, e)),
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(Error::write(
                p,
                io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("the directory {} does not exist", dir.display()),
                ),
            ));
        }
        // tempfile's own errors name the temporary file, which the user never
        // asked for: keep only what went wrong.
        let tmp = tempfile::Builder::new()
            .prefix(".policy-themes-")
            .tempfile_in(&dir)
            .map_err(|e| Error::write(p, io::Error::from(e.kind())))?;
        let registered = Registered::new(tmp.path());
        Ok(Sink(Target::File {
            tmp,
            path: p.to_path_buf(),
            target,
            _registered: registered,
        }))
    }

    /// The name of the output in messages.
    pub fn name(&self) -> &Path {
        match &self.0 {
            Target::Stdout(_) => Path::new(STDOUT_NAME),
            Target::Stream { path, .. } | Target::File { path, .. } => path,
        }
    }

    /// Make the output visible. Until this is called, a file target is untouched.
    pub fn finish(self) -> Result<()> {
        match self.prepare()? {
            Some(p) => p.commit(),
            None => Ok(()),
        }
    }

    /// Write out and sync a file output without renaming it into place yet,
    /// so that several outputs can be replaced together ([`commit_all`]).
    /// Streams and stdout are flushed and give `None`.
    pub fn prepare(self) -> Result<Option<Prepared>> {
        match self.0 {
            Target::Stdout(mut w) => w
                .flush()
                .map(|_| None)
                .map_err(|e| Error::write(STDOUT_NAME, e)),
            Target::Stream { mut file, path } => file
                .flush()
                .map(|_| None)
                .map_err(|e| Error::write(path, e)),
            Target::File {
                tmp,
                path,
                target,
                _registered,
            } => {
                tmp.as_file()
                    .sync_all()
                    .map_err(|e| Error::write(&path, e))?;
                if let Some(perms) = replacement_permissions(&target) {
                    tmp.as_file()
                        .set_permissions(perms)
                        .map_err(|e| Error::write(&path, e))?;
                }
                Ok(Some(Prepared {
                    tmp,
                    path,
                    target,
                    _registered,
                }))
            }
        }
    }
}

impl Prepared {
    /// Where the finished content can be read before it is renamed into place.
    pub fn temp_path(&self) -> &Path {
        self.tmp.path()
    }

    /// Rename the file into place.
    pub fn commit(self) -> Result<()> {
        let Prepared {
            tmp, path, target, ..
        } = self;
        tmp.persist(&target)
            .map(|_| ())
            .map_err(|e| Error::write(&path, e.error))
    }
}

/// Rename several prepared outputs into place, after all of them were
/// written: a run that fails before this leaves every old output as it was.
pub fn commit_all(prepared: Vec<Prepared>) -> Result<()> {
    prepared.into_iter().try_for_each(Prepared::commit)
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = match &mut self.0 {
            Target::Stdout(w) => w.write(buf),
            Target::Stream { file, .. } => file.write(buf),
            Target::File { tmp, .. } => tmp.as_file_mut().write(buf),
        };
        r.map_err(|e| WriteFailure::wrap(self.name(), e))
    }
    fn flush(&mut self) -> io::Result<()> {
        let r = match &mut self.0 {
            Target::Stdout(w) => w.flush(),
            Target::Stream { file, .. } => file.flush(),
            Target::File { tmp, .. } => tmp.as_file_mut().flush(),
        };
        r.map_err(|e| WriteFailure::wrap(self.name(), e))
    }
}

/// The permissions a file written whole to replace `target` should get: a
/// temporary file is private (0600), and the result should keep the
/// permissions the file had, or get the usual 0644 when it is new.
pub(crate) fn replacement_permissions(target: &Path) -> Option<std::fs::Permissions> {
    match std::fs::metadata(target) {
        Ok(m) => Some(m.permissions()),
        Err(_) => default_permissions(),
    }
}

/// Permissions for a new output file: 0644 on Unix (the temporary file is 0600).
#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

/// Elsewhere a new temporary file already has ordinary permissions.
#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

/// Write a whole file atomically from a closure.
pub fn write_atomic(path: &Path, f: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let mut sink = Sink::create(Some(path))?;
    {
        let mut w = BufWriter::new(&mut sink);
        f(&mut w)?;
        w.flush().map_err(|e| Error::write(path, e))?;
    }
    sink.finish()
}

/// Print text on stdout; a failed write is an error naming stdout (a closed
/// pipe ends the process quietly, as `main` sets SIGPIPE up).
pub fn print_stdout(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| Error::write(STDOUT_NAME, e))
}

/// Print a line on stderr. A stderr that cannot be written (full, closed)
/// never stops the run: the line is lost, the work goes on.
pub fn print_stderr(line: impl std::fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_existing_file_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        std::fs::write(&p, "old").unwrap();
        let r = write_atomic(&p, |w| {
            w.write_all(b"partial").unwrap();
            Err(Error::Other("boom".into()))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        write_atomic(&p, |w| w.write_all(b"new").map_err(|e| Error::io("x", e))).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        // No temporary files left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o644);
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
            write_atomic(&p, |w| w.write_all(b"again").map_err(|e| Error::io("x", e))).unwrap();
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "existing permissions are kept");
        }
    }

    /// `-o /dev/null` or a named pipe is written to, not replaced: renaming
    /// a temporary file over `/dev/null` as root would delete the device.
    #[cfg(unix)]
    #[test]
    fn special_files_are_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        write_atomic(&fifo, |w| {
            w.write_all(b"rows").map_err(|e| Error::io("x", e))
        })
        .unwrap();
        // Checked before joining: had the pipe been replaced, the reader
        // would wait on it forever.
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(reader.join().unwrap(), "rows");
        // Nothing else was created beside it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

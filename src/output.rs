//! Output that never leaves a half-written file behind.
//!
//! Everything goes to a temporary file in the target's directory and is
//! renamed into place only after the last byte is written and flushed, so an
//! error midway leaves the user's existing file untouched.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The UTF-8 byte-order mark. Excel on Windows reads a CSV file without it in
/// the system code page (GBK on Chinese Windows), which garbles UTF-8 text.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where a command writes: stdout, or a file replaced atomically on success.
pub enum Sink {
    Stdout(BufWriter<io::Stdout>),
    /// An existing path that is not a regular file (`/dev/null`, a named
    /// pipe): written in place like stdout. Renaming a temporary file over
    /// it would replace the device or pipe itself.
    Stream(BufWriter<File>),
    File {
        tmp: tempfile::NamedTempFile,
        path: PathBuf,
    },
}

impl Sink {
    /// `None` or `-` means stdout.
    pub fn create(path: Option<&Path>) -> Result<Sink> {
        match path {
            None => Ok(Sink::Stdout(BufWriter::new(io::stdout()))),
            Some(p) if p.as_os_str() == "-" => Ok(Sink::Stdout(BufWriter::new(io::stdout()))),
            Some(p) => {
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                // One stat decides: a directory is refused, any other
                // existing non-regular file is written in place.
                if let Ok(m) = std::fs::metadata(p) {
                    if m.is_dir() {
                        return Err(Error::input(p, "output path is a directory"));
                    }
                    if !m.is_file() {
                        let f = std::fs::OpenOptions::new()
                            .write(true)
                            .open(p)
                            .map_err(|e| Error::io(p, e))?;
                        return Ok(Sink::Stream(BufWriter::new(f)));
                    }
                }
                let tmp = tempfile::Builder::new()
                    .prefix(".policy-themes-")
                    .tempfile_in(&dir)
                    .map_err(|e| Error::io(p, e))?;
                Ok(Sink::File {
                    tmp,
                    path: p.to_path_buf(),
                })
            }
        }
    }

    /// Make the output visible. Until this is called, a file target is untouched.
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush().map_err(|e| Error::io("<stdout>", e)),
            Sink::Stream(mut w) => w.flush().map_err(|e| Error::io("<output stream>", e)),
            Sink::File { tmp, path } => {
                tmp.as_file().sync_all().map_err(|e| Error::io(&path, e))?;
                // The temporary file is private (0600); the result should have
                // the permissions the file had, or the usual 0644 when new.
                let perms = match std::fs::metadata(&path) {
                    Ok(m) => Some(m.permissions()),
                    Err(_) => default_permissions(),
                };
                if let Some(perms) = perms {
                    tmp.as_file()
                        .set_permissions(perms)
                        .map_err(|e| Error::io(&path, e))?;
                }
                tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
                Ok(())
            }
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::Stream(w) => w.write(buf),
            Sink::File { tmp, .. } => tmp.as_file_mut().write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::Stream(w) => w.flush(),
            Sink::File { tmp, .. } => tmp.as_file_mut().flush(),
        }
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
        w.flush().map_err(|e| Error::io(path, e))?;
    }
    sink.finish()
}

/// Open a file for buffered reading with the path in the error.
pub fn open(path: &Path) -> Result<io::BufReader<File>> {
    File::open(path)
        .map(io::BufReader::new)
        .map_err(|e| Error::io(path, e))
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

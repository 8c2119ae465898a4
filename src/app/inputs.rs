//! Reading inputs: check every file before any output is written, then stream.

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Ui;
use crate::cli::SegmentArgs;
use crate::corpus::{self, csv_out, decode, Document, Manifest};
use crate::error::{Error, Result};
use crate::output::Sink;

/// Input files that passed the up-front check.
pub struct Inputs {
    pub files: Vec<PathBuf>,
    pub manifest: Option<Manifest>,
    pub total_bytes: u64,
    /// Files skipped under `--keep-going`.
    pub skipped: Vec<Error>,
    /// Standard input, read once when `-` is among the inputs.
    stdin: Option<Vec<u8>>,
}

/// Expand paths and decode every file once, so a bad file fails the command
/// before anything is written (or is skipped and listed with `--keep-going`).
pub fn open(paths: &[PathBuf], keep_going: bool, ui: Ui) -> Result<Inputs> {
    let manifest = corpus::find_manifest(paths)?;
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut total_bytes = 0;
    let candidates = match corpus::collect_inputs(paths) {
        Ok(c) => c,
        Err(e) if keep_going => {
            // A missing path among several: keep the ones that exist.
            skipped.push(e);
            let existing: Vec<PathBuf> = paths
                .iter()
                .filter(|p| p.exists() || corpus::is_stdin(p))
                .cloned()
                .collect();
            if existing.is_empty() {
                return Err(Error::Other("no readable inputs".into()));
            }
            corpus::collect_inputs(&existing)?
        }
        Err(e) => return Err(e),
    };
    // Checked on all cores (the files are independent); results are taken
    // in input order, so errors and skips are reported as before.
    let mut checked: Vec<Result<u64>> = candidates
        .par_iter()
        .map(|f| {
            if corpus::is_stdin(f) {
                Ok(0)
            } else {
                check_file(f)
            }
        })
        .collect();
    // Standard input can be read only once: keep it for the reading pass.
    let mut stdin = None;
    if let Some(i) = candidates.iter().position(|f| corpus::is_stdin(f)) {
        checked[i] = read_stdin().map(|bytes| {
            let n = bytes.len() as u64;
            stdin = Some(bytes);
            n
        });
    }
    for (f, r) in candidates.into_iter().zip(checked) {
        match r {
            Ok(n) => {
                total_bytes += n;
                files.push(f);
            }
            Err(e) if keep_going => skipped.push(e),
            Err(e) => return Err(e),
        }
    }
    for e in &skipped {
        ui.warn(format!("skipped {e}"));
    }
    if files.is_empty() {
        return Err(Error::Other("no readable inputs".into()));
    }
    Ok(Inputs {
        files,
        manifest,
        total_bytes,
        skipped,
        stdin,
    })
}

/// All of standard input, checked like a file.
fn read_stdin() -> Result<Vec<u8>> {
    let name = Path::new(corpus::STDIN_NAME);
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(name, e))?;
    check_bytes(name, &bytes)?;
    Ok(bytes)
}

fn check_file(path: &Path) -> Result<u64> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    check_bytes(path, &bytes)
}

fn check_bytes(path: &Path, bytes: &[u8]) -> Result<u64> {
    let (text, _) = decode(bytes).map_err(|e| Error::input(path, e.to_string()))?;
    if text.trim().is_empty() {
        return Err(Error::input(path, "no text"));
    }
    Ok(bytes.len() as u64)
}

impl Inputs {
    /// Read and segment one checked file, reporting metadata warnings.
    pub fn read(&self, path: &Path, ui: Ui) -> Result<Vec<Document>> {
        let (docs, name) = match (&self.stdin, corpus::is_stdin(path)) {
            (Some(bytes), true) => {
                let name = Path::new(corpus::STDIN_NAME);
                (
                    corpus::parse_file(name, bytes, self.manifest.as_ref())?,
                    name,
                )
            }
            _ => (corpus::read_file(path, self.manifest.as_ref())?, path),
        };
        for d in &docs {
            for w in &d.warnings {
                ui.warn(format!("{} ({}): {w}", d.doc_id, name.display()));
            }
        }
        Ok(docs)
    }

    /// Size in bytes of one checked input, for progress.
    pub fn size(&self, path: &Path) -> u64 {
        match (&self.stdin, corpus::is_stdin(path)) {
            (Some(bytes), true) => bytes.len() as u64,
            _ => std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        }
    }

    /// Exit code: 1 when files were skipped, so scripts notice.
    pub fn exit_code(&self) -> i32 {
        i32::from(!self.skipped.is_empty())
    }
}

/// Read all documents of the given paths (no skipping).
pub fn read_documents(paths: &[PathBuf], ui: Ui) -> Result<Vec<Document>> {
    let inputs = open(paths, false, ui)?;
    let mut docs = Vec::new();
    for f in &inputs.files {
        docs.extend(inputs.read(f, ui)?);
    }
    Ok(docs)
}

/// `policy-themes segment`.
pub fn run_segment(args: &SegmentArgs, ui: Ui) -> Result<i32> {
    let inputs = open(&args.input.inputs, args.input.keep_going, ui)?;
    let mut sink = Sink::create(args.output.as_deref())?;
    let mut dropped = match &args.dropped {
        Some(p) => {
            let mut d = Sink::create(Some(p))?;
            ui.start_csv(&mut d)?;
            Some(csv_out::dropped_writer(d)?)
        }
        None => None,
    };
    ui.start_csv(&mut sink)?;
    {
        let mut w = csv::Writer::from_writer(&mut sink);
        w.write_record([
            "doc_id", "para_id", "region", "year", "kind", "section", "text",
        ])
        .map_err(|e| Error::Other(e.to_string()))?;
        let inner = w.into_inner().map_err(|e| Error::Other(e.to_string()))?;
        for f in &inputs.files {
            let docs = inputs.read(f, ui)?;
            for d in docs.iter().filter(|d| !d.dropped.is_empty()) {
                let name = if corpus::is_stdin(f) {
                    Path::new(corpus::STDIN_NAME)
                } else {
                    f.as_path()
                };
                ui.info(format!(
                    "{} ({}): {}",
                    d.doc_id,
                    name.display(),
                    csv_out::dropped_summary(d)
                ));
            }
            if let Some(w) = dropped.as_mut() {
                csv_out::write_dropped(&docs, w)?;
            }
            csv_out::write_segments_no_header(&docs, &mut *inner)?;
        }
    }
    sink.finish()?;
    if let Some(w) = dropped {
        w.into_inner()
            .map_err(|e| Error::Other(format!("writing CSV: {e}")))?
            .finish()?;
    }
    Ok(inputs.exit_code())
}

//! Reading inputs: every file is read once and checked whole (decoded and
//! segmented) before any output is written; the processing pass then works
//! from what was checked.
//!
//! Documents of inputs are kept in memory up to [`HOLD_BUDGET`]; beyond it a
//! regular text file is read again in the processing pass and must be what
//! was checked (its size and hash), so a file still being written cannot slip
//! in half-checked. A web page, PDF or docx beyond it is not extracted again:
//! its extracted text goes to an unnamed temporary file (deleted when the run
//! ends) and is read back from there. Streams (pipes, process substitution,
//! stdin) can be read only once and are always kept.

use std::hash::Hasher;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};

use super::Ui;
use std::io::Write;

use crate::codebook::Codebook;
use crate::corpus::formats::{Extracted, Format};
use crate::corpus::{self, Document, Manifest};
use crate::error::{Error, Result};
use crate::io::decode;
use crate::labelling::rows::{gold_rows, read_labelled, read_paragraph_file, LabelledRow};
use crate::labelling::Unit;

/// Estimated memory the checked documents may hold until they are processed.
/// `label`'s peak RSS target is 300 MB whatever the input; with the model and
/// the batches in flight this leaves a wide margin. Typical runs (hundreds of
/// reports) fit, and are segmented once.
pub const HOLD_BUDGET: u64 = 128 << 20;

/// What the check pass kept of one input for the processing pass.
enum Held {
    Documents(Vec<Document>),
    /// Beyond the budget: read again, and it must be these bytes.
    Reread {
        len: u64,
        hash: u64,
    },
    /// Beyond the budget, a format whose extraction is costly (web page,
    /// PDF, docx): its extracted text, `len` bytes at `at` of the spill file;
    /// `meta` is the rest of the extraction (title, notes, dropped lines).
    Spilled {
        meta: Box<Extracted>,
        at: u64,
        len: usize,
    },
    /// Handed to the processing pass already.
    Taken,
}

/// One unnamed temporary file holding the extracted text of inputs beyond
/// the budget, created on first use; the system deletes it when it is closed.
#[derive(Default)]
struct Spill {
    file: Mutex<Option<std::fs::File>>,
}

impl Spill {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Option<std::fs::File>>> {
        self.file
            .lock()
            .map_err(|_| Error::Other("the temporary file of extracted text was lost".into()))
    }

    /// Append `text`; its offset.
    fn put(&self, text: &str) -> Result<u64> {
        let fail = |e: std::io::Error| {
            Error::Other(format!(
                "cannot write the temporary file that holds extracted text: {e}"
            ))
        };
        let mut slot = self.lock()?;
        let file = match slot.as_mut() {
            Some(f) => f,
            None => slot.insert(tempfile::tempfile().map_err(fail)?),
        };
        let at = file.seek(SeekFrom::End(0)).map_err(fail)?;
        file.write_all(text.as_bytes()).map_err(fail)?;
        Ok(at)
    }

    /// The text of `len` bytes at `at`.
    fn get(&self, at: u64, len: usize) -> Result<String> {
        let fail = |e: std::io::Error| {
            Error::Other(format!(
                "cannot read back the temporary file that holds extracted text: {e}"
            ))
        };
        let mut slot = self.lock()?;
        let file = slot
            .as_mut()
            .ok_or_else(|| Error::Other("the temporary file of extracted text was lost".into()))?;
        file.seek(SeekFrom::Start(at)).map_err(fail)?;
        let mut bytes = vec![0; len];
        file.read_exact(&mut bytes).map_err(fail)?;
        String::from_utf8(bytes)
            .map_err(|e| fail(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
    }
}

/// One input that passed the check.
struct Checked {
    path: PathBuf,
    size: u64,
    /// The documents' ids after clashes were resolved, in document order.
    ids: Vec<String>,
    held: Mutex<Held>,
}

/// Input files that passed the up-front check.
pub struct Inputs {
    pub manifest: Option<Manifest>,
    pub total_bytes: u64,
    /// Inputs skipped under `--keep-going`.
    pub skipped: Vec<Error>,
    checked: Vec<Checked>,
    spill: Spill,
}

/// What checking one input gave, before ids are made unique.
struct Outcome {
    size: u64,
    ids: Vec<String>,
    /// Warnings by document index.
    warnings: Vec<(usize, String)>,
    held: Held,
}

/// Expand paths, read every input once and parse it whole, so a bad input
/// fails the command before anything is written (or is skipped and listed
/// with `--keep-going`). Warnings about inputs are given here, in input order.
pub fn open(paths: &[PathBuf], keep_going: bool, ui: Ui) -> Result<Inputs> {
    open_within(paths, keep_going, ui, HOLD_BUDGET)
}

/// [`open`], holding documents up to `budget` bytes.
fn open_within(paths: &[PathBuf], keep_going: bool, ui: Ui, budget: u64) -> Result<Inputs> {
    let manifest = corpus::find_manifest(paths)?;
    let scan = corpus::scan_inputs(paths)?;
    for e in &scan.skipped {
        ui.warn(e);
    }
    let mut skipped = Vec::new();
    for e in scan.errors {
        if !keep_going {
            return Err(e);
        }
        ui.warn(format!("skipped {e}"));
        skipped.push(e);
    }
    // Checked on all cores (the files are independent); results are taken
    // in input order, so errors, skips and warnings come in that order.
    let held_bytes = AtomicU64::new(0);
    let spill = Spill::default();
    let outcomes: Vec<Result<Outcome>> = scan
        .files
        .par_iter()
        .map(|f| check(f, manifest.as_ref(), &held_bytes, budget, &spill))
        .collect();
    let mut files = Vec::new();
    let mut checked = Vec::new();
    let mut total_bytes = 0;
    // Each doc id taken so far, with the input that has it.
    let mut owners: FxHashMap<String, PathBuf> = FxHashMap::default();
    for (path, outcome) in scan.files.into_iter().zip(outcomes) {
        let mut outcome = match outcome {
            Ok(o) => o,
            Err(e) if keep_going => {
                ui.warn(format!("skipped {e}"));
                skipped.push(e);
                continue;
            }
            Err(e) => return Err(e),
        };
        let shown = display_name(&path);
        if !crate::io::is_stdin(&path) && !corpus::name_is_utf8(&path) {
            ui.warn(format!(
                "{}: the file name is not valid UTF-8; its documents are named {}",
                path.display(),
                outcome.ids.first().map(String::as_str).unwrap_or("")
            ));
        }
        let mut renamed = false;
        for id in &mut outcome.ids {
            if let Some(first) = owners.get(id.as_str()) {
                let unique = (2..)
                    .map(|k| format!("{id}~{k}"))
                    .find(|c| !owners.contains_key(c))
                    .unwrap_or_default();
                ui.warn(format!(
                    "{}: doc id `{id}` is also that of {}; its document is named `{unique}`",
                    shown.display(),
                    first.display()
                ));
                *id = unique;
                renamed = true;
            }
            owners.insert(id.clone(), shown.clone());
        }
        if renamed {
            if let Held::Documents(docs) = &mut outcome.held {
                for (d, id) in docs.iter_mut().zip(&outcome.ids) {
                    rename(d, id);
                }
            }
        }
        for (i, w) in &outcome.warnings {
            let id = outcome.ids.get(*i).map(String::as_str).unwrap_or("");
            ui.warn(format!("{id} ({}): {w}", shown.display()));
        }
        total_bytes += outcome.size;
        files.push(path.clone());
        checked.push(Checked {
            path,
            size: outcome.size,
            ids: outcome.ids,
            held: Mutex::new(outcome.held),
        });
    }
    if files.is_empty() {
        return Err(Error::Other("no readable inputs".into()));
    }
    Ok(Inputs {
        manifest,
        total_bytes,
        skipped,
        checked,
        spill,
    })
}

/// The name an input's documents and messages go by.
fn display_name(path: &Path) -> PathBuf {
    if crate::io::is_stdin(path) {
        PathBuf::from(crate::io::STDIN_NAME)
    } else {
        path.to_path_buf()
    }
}

/// Give a document (and its paragraphs) another id.
fn rename(doc: &mut Document, id: &str) {
    doc.doc_id = id.to_string();
    for p in &mut doc.paragraphs {
        p.doc_id = id.to_string();
    }
}

/// Read all of an input; whether it is a regular file (one that can be read again).
fn read_input(path: &Path) -> Result<(Vec<u8>, bool)> {
    let mut bytes = Vec::new();
    if crate::io::is_stdin(path) {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(crate::io::STDIN_NAME, e))?;
        return Ok((bytes, false));
    }
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    // No output of this run may replace it.
    crate::io::output::protect(path);
    let regular = file.metadata().map(|m| m.is_file()).unwrap_or(false);
    file.read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    Ok((bytes, regular))
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// Estimated heap bytes of parsed documents.
fn held_size(docs: &[Document]) -> u64 {
    let para = std::mem::size_of::<corpus::Paragraph>();
    docs.iter()
        .map(|d| {
            let paragraphs: usize = d
                .paragraphs
                .iter()
                .map(|p| p.text.capacity() + p.doc_id.capacity() + para)
                .sum();
            let warnings: usize = d.warnings.iter().map(String::capacity).sum();
            (d.body.capacity() + paragraphs + warnings + std::mem::size_of::<Document>() + 256)
                as u64
        })
        .sum()
}

/// Read one input once and parse it whole; keep its documents while the
/// budget allows (always for a stream), else what it takes to know it again.
fn check(
    path: &Path,
    manifest: Option<&Manifest>,
    held_bytes: &AtomicU64,
    budget: u64,
    spill: &Spill,
) -> Result<Outcome> {
    let (bytes, regular) = read_input(path)?;
    let name = display_name(path);
    let mut extracted = corpus::formats::extract(&name, &bytes)?;
    let docs = corpus::parse_extracted(&name, &extracted, manifest)?;
    let mut warnings = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        warnings.extend(d.warnings.iter().map(|w| (i, w.clone())));
        warnings.extend(decode::damage_warning(&d.body).map(|w| (i, w)));
    }
    let ids = docs.iter().map(|d| d.doc_id.clone()).collect();
    let cost = held_size(&docs);
    let keep = !regular || {
        let before = held_bytes.fetch_add(cost, Ordering::Relaxed);
        before + cost <= budget || {
            held_bytes.fetch_sub(cost, Ordering::Relaxed);
            false
        }
    };
    let costly = matches!(extracted.format, Format::Html | Format::Pdf | Format::Docx);
    let held = if keep {
        Held::Documents(docs)
    } else if costly {
        let text = std::mem::take(&mut extracted.text);
        Held::Spilled {
            at: spill.put(&text)?,
            len: text.len(),
            meta: Box::new(extracted),
        }
    } else {
        Held::Reread {
            len: bytes.len() as u64,
            hash: hash(&bytes),
        }
    };
    Ok(Outcome {
        size: bytes.len() as u64,
        ids,
        warnings,
        held,
    })
}

impl Inputs {
    /// Number of inputs that passed the check.
    pub fn len(&self) -> usize {
        self.checked.len()
    }

    /// The documents of input `i` (of [`Inputs::files`]), once: kept from the
    /// check, or read again and verified unchanged. Their warnings were given
    /// by [`open`].
    pub fn documents(&self, i: usize) -> Result<Vec<Document>> {
        let c = self
            .checked
            .get(i)
            .ok_or_else(|| Error::Other(format!("no input number {i}")))?;
        let held = {
            let mut slot = c
                .held
                .lock()
                .map_err(|_| Error::Other("input lost".into()))?;
            match &*slot {
                Held::Reread { len, hash } => Held::Reread {
                    len: *len,
                    hash: *hash,
                },
                _ => std::mem::replace(&mut *slot, Held::Taken),
            }
        };
        match held {
            Held::Documents(docs) => Ok(docs),
            Held::Taken => Err(Error::Other(format!(
                "{}: already processed",
                c.path.display()
            ))),
            Held::Spilled { meta, at, len } => {
                let extracted = Extracted {
                    text: self.spill.get(at, len)?,
                    ..*meta
                };
                let name = display_name(&c.path);
                let mut docs = corpus::parse_extracted(&name, &extracted, self.manifest.as_ref())?;
                if docs.len() != c.ids.len() {
                    return Err(Error::Other(format!(
                        "{}: its extracted text gave other documents when read back",
                        c.path.display()
                    )));
                }
                for (d, id) in docs.iter_mut().zip(&c.ids) {
                    if d.doc_id != *id {
                        rename(d, id);
                    }
                }
                Ok(docs)
            }
            Held::Reread { len, hash: h } => {
                let changed = || {
                    Error::input(
                        &c.path,
                        "changed while it was being read (it is not what was checked); \
                         run again once it is complete",
                    )
                };
                let (bytes, _) = read_input(&c.path)?;
                if bytes.len() as u64 != len || hash(&bytes) != h {
                    return Err(changed());
                }
                let mut docs = corpus::parse_file(&c.path, &bytes, self.manifest.as_ref())?;
                if docs.len() != c.ids.len() {
                    return Err(changed());
                }
                for (d, id) in docs.iter_mut().zip(&c.ids) {
                    if d.doc_id != *id {
                        rename(d, id);
                    }
                }
                Ok(docs)
            }
        }
    }

    /// Size in bytes of input `i`, for progress.
    pub fn size_of(&self, i: usize) -> u64 {
        self.checked.get(i).map(|c| c.size).unwrap_or(0)
    }

    /// After the output is written: which inputs were skipped (each was
    /// listed with why when it was checked), so a long run ends with it.
    pub fn report_skipped(&self, ui: Ui) {
        if self.skipped.is_empty() {
            return;
        }
        let names: Vec<String> = self
            .skipped
            .iter()
            .map(|e| match e {
                Error::Io { path, .. } | Error::Input { path, .. } => path.display().to_string(),
                other => other.to_string(),
            })
            .collect();
        ui.warn(format!(
            "skipped {} input(s), not in the output: {}",
            names.len(),
            names.join(", ")
        ));
    }

    /// Exit code: 1 when inputs were skipped, so scripts notice.
    pub fn exit_code(&self) -> i32 {
        i32::from(!self.skipped.is_empty())
    }
}

/// Read all documents of the given paths (no skipping).
pub fn read_documents(paths: &[PathBuf], ui: Ui) -> Result<Vec<Document>> {
    let inputs = open(paths, false, ui)?;
    let mut docs = Vec::new();
    for i in 0..inputs.len() {
        docs.extend(inputs.documents(i)?);
    }
    Ok(docs)
}

fn is_csv(p: &std::path::Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Units from reports, or from a segmented CSV (`segment`'s output).
pub fn units(inputs: &[PathBuf], keep_going: bool, ui: Ui) -> Result<(Vec<Unit>, i32)> {
    if inputs.len() == 1 && is_csv(&inputs[0]) {
        let file = read_paragraph_file(&inputs[0])?;
        let units = file
            .rows
            .into_iter()
            .map(|r| Unit {
                doc_id: r.doc_id,
                para_id: r.para_id,
                region: r.region,
                year: r.year,
                section: r.section,
                text: r.text,
            })
            .collect();
        return Ok((units, 0));
    }
    let opened = open(inputs, keep_going, ui)?;
    let mut units = Vec::new();
    for i in 0..opened.len() {
        for d in opened.documents(i)? {
            for p in d.paragraphs {
                units.push(Unit {
                    doc_id: p.doc_id,
                    para_id: p.para_id,
                    region: d.meta.region.clone(),
                    year: d.meta.year,
                    section: p.section.id().to_string(),
                    text: p.text,
                });
            }
        }
    }
    opened.report_skipped(ui);
    Ok((units, opened.exit_code()))
}

/// Labelled rows for a command: the labelled CSV, or the gold labels with corpus metadata.
pub fn load_rows(
    input: Option<&Path>,
    gold: bool,
    labels: &Path,
    corpus: &Path,
    codebook: &Codebook,
    ui: Ui,
) -> Result<Vec<LabelledRow>> {
    if gold {
        super::need_default(labels, super::DEFAULT_LABELS, super::HINT_LABELS)?;
        super::need_default(corpus, super::DEFAULT_CORPUS, super::HINT_CORPUS)?;
        let docs = read_documents(&[corpus.to_path_buf()], ui)?;
        gold_rows(labels, &docs, codebook)
    } else {
        let input = input.ok_or_else(|| Error::Other("give a labelled CSV or --gold".into()))?;
        super::need_default(input, super::DEFAULT_PARAGRAPHS, super::HINT_PARAGRAPHS)?;
        read_labelled(input, codebook)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "2022年某某县政府工作报告\n各位代表:\n一、过去一年工作回顾\n我们坚持乡村振兴,建设高标准农田十万亩。\n";

    fn quiet() -> Ui {
        Ui {
            quiet: true,
            bom: false,
        }
    }

    fn texts(docs: &[Document]) -> Vec<(String, String)> {
        docs.iter()
            .flat_map(|d| d.paragraphs.iter())
            .map(|p| (p.doc_id.clone(), p.text.clone()))
            .collect()
    }

    #[test]
    fn beyond_the_budget_files_are_read_again_and_must_be_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
        std::fs::write(&a, REPORT).unwrap();
        std::fs::write(&b, REPORT.replace("十万", "二十万")).unwrap();
        let paths = [a.clone(), b.clone()];
        let held = open_within(&paths, false, quiet(), HOLD_BUDGET).unwrap();
        let reread = open_within(&paths, false, quiet(), 0).unwrap();
        assert!(matches!(
            *held.checked[0].held.lock().unwrap(),
            Held::Documents(_)
        ));
        assert!(matches!(
            *reread.checked[0].held.lock().unwrap(),
            Held::Reread { .. }
        ));
        for i in 0..2 {
            assert_eq!(
                texts(&held.documents(i).unwrap()),
                texts(&reread.documents(i).unwrap())
            );
        }
        // Held documents are handed out once.
        assert!(held.documents(0).is_err());
        // A file that changes between the check and the processing pass, even
        // keeping its size, is refused by name.
        let reread = open_within(&paths, false, quiet(), 0).unwrap();
        std::fs::write(&b, REPORT.replace("十万", "九万")).unwrap();
        assert!(reread.documents(0).is_ok());
        let err = reread.documents(1).unwrap_err().to_string();
        assert!(
            err.contains("b.txt: changed while it was being read"),
            "{err}"
        );
    }

    #[test]
    fn beyond_the_budget_web_pages_are_extracted_once() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("a.html");
        let body: String = REPORT.lines().map(|l| format!("<p>{l}</p>")).collect();
        let html = format!(
            "<html><head><title>某区政府工作报告</title></head><body>\
             <div class=\"nav\"><a href=\"/\">首页</a></div><article>{body}</article></body></html>"
        );
        std::fs::write(&page, &html).unwrap();
        let paths = [page.clone()];
        let held = open_within(&paths, false, quiet(), HOLD_BUDGET).unwrap();
        let spilled = open_within(&paths, false, quiet(), 0).unwrap();
        assert!(matches!(
            *spilled.checked[0].held.lock().unwrap(),
            Held::Spilled { .. }
        ));
        // The page is gone before the processing pass: its documents come
        // from the text extracted at the check, not from a second extraction.
        std::fs::remove_file(&page).unwrap();
        let docs = spilled.documents(0).unwrap();
        assert!(!docs.is_empty() && !docs[0].paragraphs.is_empty());
        assert_eq!(texts(&held.documents(0).unwrap()), texts(&docs));
        assert!(spilled.documents(0).is_err());
    }

    #[test]
    fn clashing_doc_ids_get_a_suffix_also_when_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for sub in ["dupA", "dupB", "dupC"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
            let p = dir.path().join(sub).join("2022.txt");
            std::fs::write(&p, REPORT).unwrap();
            paths.push(p);
        }
        for budget in [HOLD_BUDGET, 0] {
            let inputs = open_within(&paths, false, quiet(), budget).unwrap();
            let ids: Vec<String> = (0..3)
                .flat_map(|i| inputs.documents(i).unwrap())
                .flat_map(|d| {
                    let mut ids = vec![d.doc_id.clone()];
                    ids.extend(d.paragraphs.iter().map(|p| p.doc_id.clone()));
                    ids.dedup();
                    ids
                })
                .collect();
            assert_eq!(ids, ["2022", "2022~2", "2022~3"]);
        }
    }
}

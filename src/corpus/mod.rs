//! Stage 1: read files, decode, split records, detect metadata, segment.

pub(crate) mod chrome;
pub(crate) mod csv_out;
pub(crate) mod divisions;
pub(crate) mod formats;
mod label_row;
pub(crate) mod manifest;
pub(crate) mod metadata;
pub(crate) mod records;
pub mod script;
pub(crate) mod segment;
pub(crate) mod unwrap;

use std::path::{Path, PathBuf};

pub use crate::io::decode::{decode, Encoding};
pub use csv_out::SEGMENT_COLUMNS;
pub use formats::{extract, Extracted, Format};
pub use label_row::LabelRow;
pub use manifest::Manifest;
pub use metadata::{Kind, Metadata};
pub use segment::{without_whitespace, Section};

use crate::error::{Error, Result};
use crate::io::is_stdin;

/// One paragraph of one document, with everything downstream stages need.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub doc_id: String,
    /// 0-based position in the document.
    pub para_id: usize,
    pub section: Section,
    pub text: String,
    /// 1-based line in the source file where the paragraph starts.
    pub line: usize,
    /// Simplified copy of `text` when the document is in traditional
    /// characters: what the model reads (see [`Paragraph::model_text`]).
    pub simplified: Option<String>,
}

impl Paragraph {
    /// The text the model reads: the simplified copy of a traditional-character
    /// paragraph, else the text as written.
    pub fn model_text(&self) -> &str {
        self.simplified.as_deref().unwrap_or(&self.text)
    }
}

/// A segmented document.
#[derive(Debug, Clone)]
pub struct Document {
    pub doc_id: String,
    pub source: PathBuf,
    /// 1-based record number inside a scraped page.
    pub record: Option<usize>,
    pub meta: Metadata,
    pub paragraphs: Vec<Paragraph>,
    /// Body text as read (lines joined by `\n`; the lines of wrapped text
    /// joined back, without page numbers): the reference for the no-loss property.
    pub body: String,
    pub warnings: Vec<String>,
    /// Site chrome taken out of the source, in line order (`segment --dropped`).
    pub dropped: Vec<chrome::Dropped>,
}

/// Document id: the file stem, plus `-NN` for records of a scraped page.
///
/// A stem that is not valid UTF-8 keeps its valid parts and writes each
/// invalid byte as `%XX`, so `bad\xff.txt` and `bad\xfe.txt` stay apart
/// (`bad%FF`, `bad%FE`) and the same file gets the same id every run.
pub fn doc_id(path: &Path, record: Option<usize>) -> String {
    let stem = path
        .file_stem()
        .map(stem_text)
        .unwrap_or_else(|| "doc".to_string());
    match record {
        Some(r) => format!("{stem}-{r:02}"),
        None => stem,
    }
}

/// Whether a path's file name is valid UTF-8 (its doc id is then its stem as is).
pub fn name_is_utf8(path: &Path) -> bool {
    path.file_name().is_none_or(|n| n.to_str().is_some())
}

#[cfg(unix)]
fn stem_text(stem: &std::ffi::OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in stem.as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(not(unix))]
fn stem_text(stem: &std::ffi::OsStr) -> String {
    stem.to_string_lossy().into_owned()
}

/// Extract (web page, PDF, docx) or decode (text), split and segment the bytes of one file.
pub fn parse_file(path: &Path, bytes: &[u8], manifest: Option<&Manifest>) -> Result<Vec<Document>> {
    parse_extracted(path, &formats::extract(path, bytes)?, manifest)
}

/// Split and segment the text extracted from one file ([`parse_file`]
/// after [`formats::extract`]).
pub fn parse_extracted(
    path: &Path,
    extracted: &formats::Extracted,
    manifest: Option<&Manifest>,
) -> Result<Vec<Document>> {
    let raws = records::split_records(&extracted.text);
    let mut docs = Vec::with_capacity(raws.len());
    for mut raw in raws {
        let id = doc_id(path, raw.record);
        let mut warnings = extracted.notes.clone();
        // The title a page or file declares stands in for a body whose first
        // lines are not a report title.
        if let Some(t) = &extracted.title {
            if raw.record.is_none() && t.contains("报告") && !raw.title.contains("报告") {
                raw.title = t.clone();
            }
        }
        let mut dropped = raw.dropped;
        let removed: Vec<usize> = dropped.iter().map(|d| d.line).collect();
        let lines = match unwrap::unwrap_lines_around(&raw.lines, &removed) {
            Some((wrap, joined)) => {
                warnings.push(format!(
                    "lines look wrapped at {} {} (text copied from a PDF?): \
                     joined {} lines into {}",
                    wrap.width,
                    wrap.measure.unit(),
                    raw.lines.len(),
                    joined.len()
                ));
                dropped.extend(
                    raw.lines
                        .iter()
                        .filter(|(_, l)| unwrap::is_page_number(l))
                        .map(|(n, l)| chrome::Dropped {
                            line: *n,
                            text: l.trim().to_string(),
                            reason: "page-number",
                            whole_line: true,
                        }),
                );
                dropped.sort_by_key(|d| d.line);
                joined
            }
            None => raw.lines,
        };
        let body = lines
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        // Everything the tool reads (metadata, markers, the model) reads the
        // simplified copy of a traditional-character document.
        let simplified = script::simplified_lines(&lines);
        if simplified.is_some() {
            warnings.push(
                "document is in traditional characters: read as simplified for metadata, \
                 sections and the model; text written as it is"
                    .into(),
            );
        }
        let view = simplified.as_deref().unwrap_or(&lines);
        let title = match simplified {
            Some(_) => script::to_simplified(&raw.title),
            None => raw.title.clone(),
        };
        let opening: String = view
            .iter()
            .flat_map(|(_, l)| l.chars().chain(std::iter::once('\n')))
            .take(400)
            .collect();
        let context: String = view
            .iter()
            .flat_map(|(_, l)| l.chars().chain(std::iter::once('\n')))
            .take(metadata::CONTEXT_CHARS)
            .collect();
        let (mut meta, meta_warnings) = metadata::detect_in(&title, &opening, &context);
        warnings.extend(meta_warnings);
        if let Some(m) = manifest.and_then(|m| m.get(&id)) {
            m.apply(&mut meta);
            if let Some(r) = &m.region {
                // A manifest region is normalised like a detected one.
                warnings.retain(|w| !w.starts_with("region"));
                metadata::set_region(&mut meta, r, &context, &mut warnings);
            }
        }
        warnings.extend(metadata::missing_warnings(&id, &meta));
        let track = meta.kind != Some(Kind::Article);
        let view_lines: Vec<(usize, &str)> = view.iter().map(|(n, l)| (*n, l.as_str())).collect();
        let segments = match raw.record {
            None => segment::segment_plain(&view_lines, track),
            Some(_) => segment::segment_lines(view_lines, track),
        };
        let mut restorer = simplified
            .as_deref()
            .map(|s| script::Restorer::new(s, &lines));
        let paragraphs = segments
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let (text, simplified) = match restorer.as_mut() {
                    Some(r) => match r.original(&s.text, s.line) {
                        Some(orig) => (orig, Some(s.text)),
                        None => (s.text.clone(), Some(s.text)),
                    },
                    None => (s.text, None),
                };
                Paragraph {
                    doc_id: id.clone(),
                    para_id: i,
                    section: s.section,
                    text,
                    line: s.line,
                    simplified,
                }
            })
            .collect();
        docs.push(Document {
            doc_id: id,
            source: path.to_path_buf(),
            record: raw.record,
            meta,
            paragraphs,
            body,
            warnings,
            dropped,
        });
    }
    if docs.iter().all(|d| d.paragraphs.is_empty()) {
        let chrome: usize = docs.iter().map(|d| d.dropped.len()).sum();
        if chrome > 0 {
            return Err(Error::input(
                path,
                format!(
                    "no text paragraphs found: all {chrome} lines look like site chrome (navigation, buttons, notices); is this the report's page?"
                ),
            ));
        }
        return Err(Error::input(path, "no text paragraphs found"));
    }
    // What extraction itself removed (markup-only lines, a PDF's running
    // headers) is accounted for like chrome; a PDF header stood on no line of
    // the extracted text and goes by line 0.
    if let Some(first) = docs.first_mut() {
        let from_extraction = extracted.dropped.iter().map(|d| chrome::Dropped {
            line: d.line,
            text: match d.page {
                0 => d.text.clone(),
                p => format!("(page {p}) {}", d.text),
            },
            reason: if d.page > 0 { "page-header" } else { "markup" },
            whole_line: true,
        });
        first.dropped.extend(from_extraction);
        first.dropped.sort_by_key(|d| d.line);
    }
    // The file's encoding, when guessed from its content, is told once.
    let guessed = extracted.encoding.and_then(|e| e.warning());
    if let (Some(w), Some(first)) = (guessed, docs.first_mut()) {
        first.warnings.insert(0, w.to_string());
    }
    Ok(docs)
}

/// Read one file from disk.
pub fn read_file(path: &Path, manifest: Option<&Manifest>) -> Result<Vec<Document>> {
    let bytes = crate::io::output::read_input(path)?;
    parse_file(path, &bytes, manifest)
}

/// The extensions a directory contributes files with (compared without case).
pub const INPUT_EXTENSIONS: [&str; 5] = ["txt", "html", "htm", "pdf", "docx"];

/// Old document formats found in a directory: listed as skipped, with how to
/// convert them.
const OLD_FORMATS: [(&str, &str); 3] = [
    ("doc", "an old Word .doc file"),
    ("wps", "a WPS Office .wps file"),
    ("rtf", "an RTF file"),
];

/// The command line's paths expanded into input files ([`scan_inputs`]).
#[derive(Debug, Default)]
pub struct Scan {
    /// Input files in command-line order (a directory's sorted), `-` for stdin.
    pub files: Vec<PathBuf>,
    /// Paths given that cannot be read: missing, or a directory without inputs.
    pub errors: Vec<Error>,
    /// Directory entries not read, each with why (a warning, not an error).
    pub skipped: Vec<Error>,
}

/// Expand the command line's files and directories into input files.
///
/// A directory contributes its files with one of [`INPUT_EXTENSIONS`] (not
/// recursively, sorted); entries it cannot use (a dangling link, a link loop,
/// an unreadable entry, an old `.doc`) are listed in `skipped`. A file named
/// on the command line is taken whatever its extension; `-` is standard
/// input, at most once (an error otherwise, the only one returned at once).
pub fn scan_inputs(paths: &[PathBuf]) -> Result<Scan> {
    if paths.iter().filter(|p| is_stdin(p)).count() > 1 {
        return Err(Error::Other(
            "standard input (`-`) can be read only once".into(),
        ));
    }
    let mut scan = Scan::default();
    for p in paths {
        if is_stdin(p) {
            scan.files.push(p.clone());
            continue;
        }
        match std::fs::metadata(p) {
            Err(e) => scan.errors.push(Error::io(p, e)),
            Ok(meta) if meta.is_dir() => match scan_dir(p, &mut scan.skipped) {
                Ok(in_dir) if in_dir.is_empty() => scan.errors.push(Error::input(
                    p,
                    format!("directory holds no .{} files", INPUT_EXTENSIONS.join(", .")),
                )),
                Ok(in_dir) => scan.files.extend(in_dir),
                Err(e) => scan.errors.push(e),
            },
            Ok(_) => scan.files.push(p.clone()),
        }
    }
    Ok(scan)
}

/// The input files of one directory, sorted; entries not read go to `skipped`.
fn scan_dir(dir: &Path, skipped: &mut Vec<Error>) -> Result<Vec<PathBuf>> {
    let mut in_dir = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = match entry {
            Ok(entry) => entry.path(),
            Err(e) => {
                skipped.push(Error::input(dir, format!("an entry cannot be read: {e}")));
                continue;
            }
        };
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if let Some((_, kind)) = OLD_FORMATS.iter().find(|(e, _)| *e == ext) {
            skipped.push(Error::input(
                &path,
                format!(
                    "not read: {kind}; open it in Word or WPS and save it as .docx \
                     (or PDF, or plain text), then read that"
                ),
            ));
            continue;
        }
        if !INPUT_EXTENSIONS.contains(&ext.as_str()) {
            continue;
        }
        let why = match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => {
                in_dir.push(path);
                continue;
            }
            Ok(m) if m.is_dir() => "a directory (directories are not read recursively)".into(),
            Ok(_) => "not a regular file (name it on the command line to read it)".into(),
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                "a symbolic link loop (the link leads back to itself)".into()
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                "a dangling symbolic link (its target does not exist)".into()
            }
            Err(e) => format!("cannot read: {e}"),
        };
        skipped.push(Error::input(&path, format!("not read: {why}")));
    }
    in_dir.sort();
    Ok(in_dir)
}

/// Expand the command line's files and directories into input files
/// ([`scan_inputs`]), failing on the first path that cannot be read.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut scan = scan_inputs(paths)?;
    if !scan.errors.is_empty() {
        return Err(scan.errors.remove(0));
    }
    Ok(scan.files)
}

/// The manifest that applies to inputs: `manifest.csv` in the first directory given.
pub fn find_manifest(paths: &[PathBuf]) -> Result<Option<Manifest>> {
    for p in paths.iter().filter(|p| !is_stdin(p)) {
        let candidate = if p.is_dir() {
            p.join("manifest.csv")
        } else {
            p.parent()
                .map(|d| d.join("manifest.csv"))
                .unwrap_or_default()
        };
        if candidate.is_file() {
            return Manifest::read(&candidate).map(Some);
        }
    }
    Ok(None)
}

/// Read and segment every input, failing on the first bad file.
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<Document>> {
    let manifest = find_manifest(paths)?;
    let mut docs = Vec::new();
    for f in collect_inputs(paths)? {
        docs.extend(read_file(&f, manifest.as_ref())?);
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_ids() {
        assert_eq!(doc_id(Path::new("a/001_x.txt"), Some(3)), "001_x-03");
        assert_eq!(doc_id(Path::new("a/000_y.txt"), None), "000_y");
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_names_keep_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let id = |b: &[u8]| doc_id(Path::new(std::ffi::OsStr::from_bytes(b)), None);
        assert_eq!(id(b"d/bad\xff.txt"), "bad%FF");
        assert_eq!(id(b"d/bad\xfe.txt"), "bad%FE");
        assert_eq!(id("报告\u{2}.txt".as_bytes()), "报告\u{2}");
        assert!(!name_is_utf8(Path::new(std::ffi::OsStr::from_bytes(
            b"x\xff.txt"
        ))));
        assert!(name_is_utf8(Path::new("报告.txt")));
    }

    #[test]
    fn parse_file_errors_name_the_file() {
        let err = parse_file(Path::new("bad.txt"), b"", None).unwrap_err();
        assert!(err.to_string().starts_with("bad.txt: "), "{err}");
    }
}

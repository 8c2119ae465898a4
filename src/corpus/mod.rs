//! Stage 1: read files, decode, split records, detect metadata, segment.

pub mod chrome;
pub mod csv_out;
pub mod decode;
pub mod manifest;
pub mod metadata;
pub mod records;
pub mod segment;
pub mod unwrap;

use std::path::{Path, PathBuf};

pub use decode::{decode, Encoding};
pub use manifest::Manifest;
pub use metadata::{Kind, Metadata};
pub use segment::Section;

use crate::error::{Error, Result};

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
pub fn doc_id(path: &Path, record: Option<usize>) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "doc".to_string());
    match record {
        Some(r) => format!("{stem}-{r:02}"),
        None => stem,
    }
}

/// Decode, split and segment the bytes of one file.
pub fn parse_file(path: &Path, bytes: &[u8], manifest: Option<&Manifest>) -> Result<Vec<Document>> {
    let (text, _encoding) = decode(bytes).map_err(|e| Error::input(path, e.to_string()))?;
    let raws = records::split_records(&text);
    let mut docs = Vec::with_capacity(raws.len());
    for raw in raws {
        let id = doc_id(path, raw.record);
        let mut warnings = Vec::new();
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
        let opening: String = lines
            .iter()
            .flat_map(|(_, l)| l.chars().chain(std::iter::once('\n')))
            .take(400)
            .collect();
        let (mut meta, meta_warnings) = metadata::detect(&raw.title, &opening);
        warnings.extend(meta_warnings);
        if let Some(m) = manifest.and_then(|m| m.get(&id)) {
            m.apply(&mut meta);
            warnings.retain(|w| !w.starts_with("region") || meta.region.is_empty());
        }
        let track = meta.kind != Some(Kind::Article);
        let segments = segment::segment_lines(lines.iter().map(|(n, l)| (*n, l.as_str())), track);
        let paragraphs = segments
            .into_iter()
            .enumerate()
            .map(|(i, s)| Paragraph {
                doc_id: id.clone(),
                para_id: i,
                section: s.section,
                text: s.text,
                line: s.line,
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
    Ok(docs)
}

/// Read one file from disk.
pub fn read_file(path: &Path, manifest: Option<&Manifest>) -> Result<Vec<Document>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_file(path, &bytes, manifest)
}

/// The command-line name of standard input.
pub const STDIN: &str = "-";
/// The name standard input's document and messages go by.
pub const STDIN_NAME: &str = "stdin";

/// Whether a command-line path means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

/// Expand the command line's files and directories into input files, sorted.
///
/// A directory contributes its `*.txt` files (not recursively); a file named
/// on the command line is taken whatever its extension; `-` is standard
/// input, at most once. A missing path is an error.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if paths.iter().filter(|p| is_stdin(p)).count() > 1 {
        return Err(Error::Other(
            "standard input (`-`) can be read only once".into(),
        ));
    }
    for p in paths {
        if is_stdin(p) {
            files.push(p.clone());
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if meta.is_dir() {
            let mut in_dir = Vec::new();
            for entry in std::fs::read_dir(p).map_err(|e| Error::io(p, e))? {
                let entry = entry.map_err(|e| Error::io(p, e))?;
                let path = entry.path();
                let is_txt = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
                if is_txt && path.is_file() {
                    in_dir.push(path);
                }
            }
            in_dir.sort();
            if in_dir.is_empty() {
                return Err(Error::input(p, "directory holds no .txt files"));
            }
            files.extend(in_dir);
        } else {
            files.push(p.clone());
        }
    }
    Ok(files)
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

    #[test]
    fn parse_file_errors_name_the_file() {
        let err = parse_file(Path::new("bad.txt"), b"", None).unwrap_err();
        assert!(err.to_string().starts_with("bad.txt: "), "{err}");
    }
}

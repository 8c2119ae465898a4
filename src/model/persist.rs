//! Model files: JSON with a magic string and a format version checked on load.

use std::path::Path;

use serde::Deserialize;

use super::{Model, FORMAT_VERSION};
use crate::error::{Error, Result};
use crate::output::write_atomic;

/// Identifies a policy-themes model file.
pub const MAGIC: &str = "policy-themes-model";

#[derive(serde::Serialize)]
struct FileOut<'a> {
    magic: &'static str,
    #[serde(flatten)]
    model: &'a Model,
}

#[derive(Deserialize)]
struct Header {
    magic: Option<String>,
    format_version: Option<u32>,
}

#[derive(Deserialize)]
struct FileIn {
    #[serde(flatten)]
    model: Model,
}

/// Write a model atomically.
pub fn save(model: &Model, path: &Path) -> Result<()> {
    write_atomic(path, |w| {
        serde_json::to_writer(
            &mut *w,
            &FileOut {
                magic: MAGIC,
                model,
            },
        )
        .map_err(|e| Error::Other(format!("{}: writing model: {e}", path.display())))?;
        w.write_all(b"\n").map_err(|e| Error::io(path, e))
    })
}

/// Read a model, refusing other formats and versions with a clear message.
pub fn load(path: &Path) -> Result<Model> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    from_bytes(path, &bytes)
}

pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Model> {
    let bad = |m: String| Error::Model {
        path: path.to_path_buf(),
        message: m,
    };
    let header: Header = serde_json::from_slice(bytes).map_err(|e| {
        bad(format!(
            "cannot parse ({e}); the file is truncated, corrupted or not a model"
        ))
    })?;
    if header.magic.as_deref() != Some(MAGIC) {
        return Err(bad("missing the policy-themes model marker".into()));
    }
    match header.format_version {
        Some(FORMAT_VERSION) => {}
        Some(v) => {
            return Err(bad(format!(
                "model format version {v}, this build reads version {FORMAT_VERSION}; retrain with `policy-themes train`"
            )))
        }
        None => return Err(bad("no format_version".into())),
    }
    let file: FileIn =
        serde_json::from_slice(bytes).map_err(|e| bad(format!("invalid model: {e}")))?;
    let mut model = file.model;
    model.vectorizer.reindex();
    if model.vectorizer.idf.len() != model.vectorizer.terms.len() || model.themes.len() < 2 {
        return Err(bad("inconsistent vocabulary or theme list".into()));
    }
    Ok(model)
}

//! The model `label` and `explain` use without `--model`: `out/model.json`
//! when there is one (what `analyze` leaves), else the default model trained
//! on the label files embedded in the binary, so one installed binary works
//! from any folder with nothing beside it. Training takes a few seconds, so
//! the model is cached in the user's cache directory, under a name keyed by
//! a hash of what it is trained from; a cached file is checked on loading
//! and rebuilt when it does not hold exactly that model.

use std::path::{Path, PathBuf};

use super::Ui;
use crate::cli::DEFAULT_MODEL;
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::labelling::labels::{Columns, LabelSet};
use crate::labelling::train_on;
use crate::model::{persist, Model, Predictor, TrainParams, FORMAT_VERSION};
use crate::text::tokenize::sha256_hex;
use crate::text::Tokenizer;

mod embedded {
    // `FILES`: (name, bytes) of every labels/*.csv, written by build.rs.
    include!(concat!(env!("OUT_DIR"), "/bundled_labels.rs"));
}

/// The label files embedded in the binary, as if read from `labels/`.
pub fn bundled_labels(codebook: &Codebook) -> Result<LabelSet> {
    let files: Vec<(PathBuf, &[u8])> = embedded::FILES
        .iter()
        .map(|(name, bytes)| (Path::new("labels").join(name), *bytes))
        .collect();
    LabelSet::from_contents(&files, Columns::Codebook, codebook).into_strict()
}

/// What names the cached model: everything it is trained from and how (the
/// tool version, the model format, the default settings, the codebook and
/// the bytes of every bundled label file). Another build with other labels
/// or settings uses another file rather than a stale one.
pub fn cache_key(codebook: &Codebook) -> Result<String> {
    let mut data = format!(
        "policy-themes {} model format {FORMAT_VERSION}\0",
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes();
    let json = |e: serde_json::Error| Error::Other(format!("hashing the default model: {e}"));
    data.extend(serde_json::to_vec(&TrainParams::default()).map_err(json)?);
    data.push(0);
    data.extend(serde_json::to_vec(codebook).map_err(json)?);
    data.push(0);
    for (name, bytes) in embedded::FILES {
        data.extend(name.as_bytes());
        data.push(0);
        data.extend(*bytes);
        data.push(0);
    }
    Ok(sha256_hex(&data).chars().take(16).collect())
}

/// `$XDG_CACHE_HOME/policy-themes`, else `$HOME/.cache/policy-themes`
/// (a relative XDG_CACHE_HOME is ignored, as the XDG spec says).
pub fn cache_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(xdg) = var("XDG_CACHE_HOME").map(PathBuf::from) {
        if xdg.is_absolute() {
            return Some(xdg.join("policy-themes"));
        }
    }
    var("HOME").map(|h| PathBuf::from(h).join(".cache").join("policy-themes"))
}

/// The model to use and the path naming it: `--model`, else
/// `out/model.json` when present, else the bundled default model.
pub fn resolve(given: Option<&Path>, ui: Ui) -> Result<(Predictor, PathBuf)> {
    if let Some(p) = given {
        return Ok((Predictor::load(p)?, p.to_path_buf()));
    }
    let beside = Path::new(DEFAULT_MODEL);
    if std::fs::metadata(beside).is_ok() {
        let p = Predictor::load(beside)?;
        ui.info(format!(
            "using {DEFAULT_MODEL} (the model analyze left here; --model FILE for another)"
        ));
        return Ok((p, beside.to_path_buf()));
    }
    let (model, name) = bundled(ui)?;
    Ok((Predictor::new(model)?, name))
}

/// The default model trained on the bundled labels, from the cache when it
/// holds it, else trained now and cached.
pub fn bundled(ui: Ui) -> Result<(Model, PathBuf)> {
    let codebook = Codebook::bundled()?;
    let set = bundled_labels(&codebook)?;
    let path = cache_dir()
        .map(|d| -> Result<PathBuf> {
            Ok(d.join(format!("default-model-{}.json", cache_key(&codebook)?)))
        })
        .transpose()?;
    if let Some(p) = path.as_deref().filter(|p| std::fs::metadata(p).is_ok()) {
        match load_cached(p, &set, &codebook) {
            Ok(m) => {
                ui.info(format!(
                    "using the default model (trained on the {} labelled paragraphs bundled in \
                     this binary; cached in {})",
                    set.rows.len(),
                    p.display()
                ));
                return Ok((m, p.to_path_buf()));
            }
            Err(why) => ui.warn(format!(
                "the cached default model is not usable ({why}); rebuilding it"
            )),
        }
    }
    ui.info(format!(
        "no --model and no {DEFAULT_MODEL} here: training the default model on the {} labelled \
         paragraphs bundled in this binary{}",
        set.rows.len(),
        match &path {
            Some(p) => format!(" (once: cached in {})", p.display()),
            None => " (not cached: neither XDG_CACHE_HOME nor HOME is set)".into(),
        }
    ));
    let model = train_on(
        &set,
        &TrainParams::default(),
        &Tokenizer::bundled(),
        &codebook,
    )?;
    match path {
        Some(p) => {
            if let Err(e) = store(&p, &model) {
                ui.warn(format!("the default model was not cached: {e}"));
            }
            Ok((model, p))
        }
        None => Ok((model, PathBuf::from("(the bundled default model)"))),
    }
}

/// A cached model, if it is a valid model file trained on exactly these
/// labels, codebook and settings; else why not.
fn load_cached(
    path: &Path,
    set: &LabelSet,
    codebook: &Codebook,
) -> std::result::Result<Model, String> {
    let m = persist::load(path).map_err(|e| e.to_string())?;
    let name = path.display();
    if m.provenance.labels_hash != set.hash {
        return Err(format!("{name}: trained on other labels"));
    }
    if m.provenance.params != TrainParams::default() || m.codebook != *codebook {
        return Err(format!("{name}: other settings or codebook"));
    }
    Ok(m)
}

/// Write the model to the cache, atomically: a temporary file in the same
/// directory renamed over the old one, so a reader (another run at the same
/// time) never sees half a file. Not `output::write_atomic`: that refuses to
/// replace a file the run has read, as the corrupt cache file it replaces.
fn store(path: &Path, model: &Model) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".default-model")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        persist::write(model, path, &mut w)?;
        std::io::Write::flush(&mut w).map_err(|e| Error::write(path, e))?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::write(path, e))?;
    tmp.persist(path).map_err(|e| Error::write(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_labels_are_those_of_the_labels_directory() {
        let cb = Codebook::bundled().unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("labels");
        let on_disk = LabelSet::read_strict(&dir, &cb).unwrap();
        let bundled = bundled_labels(&cb).unwrap();
        assert_eq!(bundled.hash, on_disk.hash);
        assert_eq!(bundled.file_hashes, on_disk.file_hashes);
        assert_eq!(bundled.rows.len(), on_disk.rows.len());
        assert!(bundled.rows.len() > 1000);
        let key = cache_key(&cb).unwrap();
        assert_eq!(key.len(), 16);
        assert_eq!(key, cache_key(&cb).unwrap());
    }
}

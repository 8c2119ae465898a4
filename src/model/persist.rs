//! Model files: JSON with a magic string and a format version checked on load.

use std::io::Write;
use std::path::Path;

use serde::Deserialize;

use super::{Model, CODEBOOK_FORMAT_VERSION, FORMAT_VERSION, OLDEST_FORMAT_VERSION};
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::io::output::write_atomic;

/// Identifies a policy-themes model file.
pub const MAGIC: &str = "policy-themes-model";

/// The file: a small header, then the model. Not `#[serde(flatten)]`: flattening
/// buffers the model and breaks its integer-keyed maps.
#[derive(serde::Serialize)]
struct FileOut<'a> {
    magic: &'static str,
    format_version: u32,
    model: &'a Model,
}

#[derive(Deserialize)]
struct Header {
    magic: Option<String>,
    format_version: Option<u32>,
}

#[derive(Deserialize)]
struct FileIn {
    model: Model,
}

/// `{"magic":"policy-themes-model","format_version":N,` at the start of the file.
fn quick_header(bytes: &[u8]) -> Option<Header> {
    let prefix = format!("{{\"magic\":\"{MAGIC}\",\"format_version\":");
    let rest = bytes.strip_prefix(prefix.as_bytes())?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if rest.get(digits) != Some(&b',') {
        return None;
    }
    let version = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
    Some(Header {
        magic: Some(MAGIC.to_string()),
        format_version: Some(version),
    })
}

/// Write a model atomically.
pub fn save(model: &Model, path: &Path) -> Result<()> {
    write_atomic(path, |w| write(model, path, w))
}

/// Write a model file's content to `w` (`path` names it in messages).
pub fn write(model: &Model, path: &Path, w: &mut dyn Write) -> Result<()> {
    serde_json::to_writer(
        &mut *w,
        &FileOut {
            magic: MAGIC,
            format_version: model.format_version,
            model,
        },
    )
    .map_err(|e| {
        if e.is_io() {
            Error::write(path, std::io::Error::from(e))
        } else {
            Error::Other(format!("{}: writing model: {e}", path.display()))
        }
    })?;
    w.write_all(b"\n").map_err(|e| Error::write(path, e))
}

/// Read a model, refusing other formats and versions with a clear message.
pub fn load(path: &Path) -> Result<Model> {
    let bytes = crate::io::output::read_input(path)?;
    from_bytes(path, &bytes)
}

pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Model> {
    let bad = |m: String| Error::Model {
        path: path.to_path_buf(),
        message: m,
    };
    // Files written by `save` start with the header; recognising it from the
    // first bytes avoids parsing the whole model twice. Anything else gets the
    // full (slower) header parse, which yields the precise error.
    let header = match quick_header(bytes) {
        Some(h) => h,
        None => serde_json::from_slice(bytes).map_err(|e| {
            bad(format!(
                "not a policy-themes model, or truncated or corrupted: cannot parse ({e})"
            ))
        })?,
    };
    if header.magic.as_deref() != Some(MAGIC) {
        return Err(bad(
            "not a policy-themes model (no policy-themes model marker)".into(),
        ));
    }
    match header.format_version {
        Some(v) if (OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&v) => {}
        Some(v) => {
            return Err(bad(format!(
                "model format version {v}, this build reads versions {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION}; retrain with `policy-themes train`"
            )))
        }
        None => return Err(bad("no format_version".into())),
    }
    let file: FileIn = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_eof() {
            bad(format!("the file is truncated ({e})"))
        } else {
            bad(format!("invalid model: {e}; the file is corrupted"))
        }
    })?;
    let mut model = file.model;
    if Some(model.format_version) != header.format_version {
        return Err(bad(
            "format version of the header and the model differ".into()
        ));
    }
    if model.format_version < CODEBOOK_FORMAT_VERSION {
        // Made before codebooks were data: the bundled themes were the only ones.
        model.codebook = Codebook::bundled()?;
    } else if model.codebook.len() < 2 {
        return Err(bad(
            "its codebook has fewer than 2 themes; the file is damaged or was edited: train the model again with `policy-themes train`".into(),
        ));
    }
    model.themes = model
        .theme_ids
        .iter()
        .map(|id| {
            model.codebook.parse(id).map_err(|e| {
                bad(format!(
                    "{e} in the model's codebook {}; the file is damaged or was edited: train the model again with `policy-themes train`",
                    model.codebook.describe()
                ))
            })
        })
        .collect::<Result<_>>()?;
    model.vectorizer.reindex();
    if let Some(why) = super::validate::problem(&model) {
        return Err(bad(format!(
            "{why}; the file is damaged or was edited: train the model again with `policy-themes train`"
        )));
    }
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{fit, Example, TrainParams};
    use crate::text::Tokenizer;
    use crate::themes::Theme;

    fn tiny_model() -> Model {
        let ex = |t: &str, th| Example {
            text: t.into(),
            theme: th,
            group: t.into(),
        };
        let examples = vec![
            ex(
                "大力推进乡村振兴,建设高标准农田,保障粮食安全。",
                Theme::Rural,
            ),
            ex(
                "乡村振兴战略深入实施,高标准农田建设加快,粮食安全得到保障。",
                Theme::Rural,
            ),
            ex(
                "招商引资成效显著,引进项目签约落地,到位资金增长。",
                Theme::Investment,
            ),
            ex(
                "扎实开展招商引资,签约引进项目,到位资金大幅增长。",
                Theme::Investment,
            ),
        ];
        fit(
            &examples,
            &TrainParams::default(),
            &Tokenizer::bundled(),
            &Codebook::bundled().unwrap(),
            Default::default(),
        )
        .unwrap()
    }

    #[test]
    fn save_and_load_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.json");
        let m = tiny_model();
        save(&m, &p).unwrap();
        let back = load(&p).unwrap();
        assert_eq!(back.themes, m.themes);
        assert_eq!(back.vectorizer.terms, m.vectorizer.terms);
        assert_eq!(back.provenance, m.provenance);
    }

    #[test]
    fn other_versions_truncation_and_garbage_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.json");
        save(&tiny_model(), &p).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        let current = format!("\"format_version\":{FORMAT_VERSION}");
        let other = text.replacen(&current, "\"format_version\":99", 1);
        let e = from_bytes(&p, other.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("format version 99"), "{e}");
        let e = from_bytes(&p, &text.as_bytes()[..text.len() / 2])
            .unwrap_err()
            .to_string();
        assert!(e.contains("truncated"), "{e}");
        let e = from_bytes(&p, b"{\"hello\": 1}").unwrap_err().to_string();
        assert!(e.contains("marker"), "{e}");
        assert!(e.starts_with(&p.display().to_string()));
    }

    #[test]
    fn a_model_carries_its_codebook_and_older_files_get_the_bundled_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.json");
        let m = tiny_model();
        save(&m, &p).unwrap();
        let back = load(&p).unwrap();
        assert_eq!(back.codebook, m.codebook);
        assert_eq!(back.theme_ids, ["rural", "investment"]);
        // A version-4 file: no codebook, themes as the bundled ids.
        let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        v["format_version"] = 4.into();
        v["model"]["format_version"] = 4.into();
        v["model"].as_object_mut().unwrap().remove("codebook");
        let old = serde_json::to_vec(&v).unwrap();
        let back = from_bytes(&p, &old).unwrap();
        assert!(back.codebook.bundled);
        assert_eq!(back.themes, m.themes);
        // A theme the model's codebook does not have is a damaged file.
        let text = std::fs::read_to_string(&p).unwrap();
        let edited = text.replacen("\"themes\":[\"rural\"", "\"themes\":[\"digital\"", 1);
        let e = from_bytes(&p, edited.as_bytes()).unwrap_err().to_string();
        assert!(
            e.contains("`digital`") && e.contains("train the model again"),
            "{e}"
        );
    }
}

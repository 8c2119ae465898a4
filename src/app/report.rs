//! `report`: the self-contained HTML report of a labelled CSV.

use std::path::Path;

use super::Ui;
use crate::cli::ReportArgs;
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::io::output::write_atomic;
use crate::labelling::rows::{read_labelled, LabelledRow};
use crate::model::{persist, Model};
use crate::render::html_legacy::{self as html, ReportOptions};
use crate::shares::table::Resampling;

/// One line naming a model and what it was trained on.
pub fn describe_model(m: &Model, path: &Path) -> String {
    let p = &m.provenance;
    // The classifier as `kind key=value …`, from its serialized form (robust to new kinds).
    let classifier = match serde_json::to_value(p.params.classifier) {
        Ok(serde_json::Value::Object(map)) => {
            let kind = map
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or("classifier")
                .to_string();
            let rest: Vec<String> = map
                .iter()
                .filter(|(k, _)| k.as_str() != "kind")
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            if rest.is_empty() {
                kind
            } else {
                format!("{kind} ({})", rest.join(", "))
            }
        }
        _ => "classifier".to_string(),
    };
    let f = &m.vectorizer.config;
    let features: Vec<&str> = [
        (f.words, "words"),
        (f.word_bigrams, "word bigrams"),
        (f.char_bigrams, "character bigrams"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| *name)
    .collect();
    let hash: String = p.labels_hash.chars().take(12).collect();
    // Labels depend on the rest of their document under a document prior:
    // a reader citing the shares should know.
    let prior = match &m.document_prior {
        Some(d) => format!(", document prior {}", d.strength),
        None => String::new(),
    };
    format!(
        "{}: {classifier} on {}{prior}, trained on {} paragraphs of {} label file{} (SHA-256 {hash}…) with policy-themes {}",
        path.display(),
        features.join(" + "),
        p.n_train,
        p.label_files.len(),
        if p.label_files.len() == 1 { "" } else { "s" },
        p.tool_version
    )
}

/// The model to name for an input: the one given, or a `model.json` beside the
/// input that is not newer than it (what `analyze` leaves behind), with the
/// line naming it.
fn find_model(input: &Path, given: Option<&Path>, ui: Ui) -> Result<Option<(Model, String)>> {
    if let Some(p) = given {
        let m = persist::load(p)?;
        let line = describe_model(&m, p);
        return Ok(Some((m, line)));
    }
    let dir = input.parent().unwrap_or(Path::new(""));
    let beside = dir.join("model.json");
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (mtime(&beside), mtime(input)) {
        (Some(m), Some(i)) if m <= i => match persist::load(&beside) {
            Ok(model) => {
                let line = format!(
                    "{} (found beside the input)",
                    describe_model(&model, &beside)
                );
                Ok(Some((model, line)))
            }
            Err(e) => {
                ui.warn(format!("not naming the model: {e}"));
                Ok(None)
            }
        },
        _ => Ok(None),
    }
}

/// Write the HTML report of `rows` (themes of `codebook`) to `path` atomically.
pub fn write_report(
    path: &Path,
    rows: &[LabelledRow],
    opts: &ReportOptions,
    codebook: &Codebook,
) -> Result<()> {
    let page = html::render(rows, opts, codebook);
    write_atomic(path, |w| {
        w.write_all(page.as_bytes()).map_err(|e| Error::io(path, e))
    })
}

/// `policy-themes report`.
pub fn run(args: &ReportArgs, ui: Ui) -> Result<i32> {
    if args.samples == 0 {
        return Err(Error::Other("--samples must be at least 1".into()));
    }
    super::need_default(
        &args.input,
        super::DEFAULT_PARAGRAPHS,
        super::HINT_PARAGRAPHS,
    )?;
    let model = find_model(&args.input, args.model.as_deref(), ui)?;
    // The themes: --codebook, else those of the model that labelled the
    // input, else the bundled ones.
    let codebook = match (&args.codebook.codebook, model) {
        (None, Some((m, line))) => (m.codebook, Some(line)),
        (_, model) => {
            let cb = args.codebook.load()?;
            if let (Some(p), Some((m, _))) = (&args.model, &model) {
                m.codebook.check_matches(&cb, p)?;
            }
            (cb, model.map(|(_, line)| line))
        }
    };
    let (codebook, model_line) = codebook;
    let rows = read_labelled(&args.input, &codebook)?;
    let rows = crate::shares::kinds::only(rows, args.kind.as_deref(), &args.input)?;
    let opts = ReportOptions {
        source: args.input.display().to_string(),
        model: model_line,
        weight: args.weight,
        examples: args.examples,
        resampling: Resampling {
            samples: args.samples,
            seed: args.seed,
        },
    };
    write_report(&args.output, &rows, &opts, &codebook)?;
    ui.info(format!(
        "wrote {} ({} paragraphs)",
        args.output.display(),
        rows.len()
    ));
    Ok(0)
}

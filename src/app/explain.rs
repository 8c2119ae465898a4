//! `explain`: the terms that weigh most for each theme of a model.

use super::Ui;
use crate::cli::ExplainArgs;
use crate::error::{Error, Result};
use crate::io::output::Sink;
use crate::themes::Theme;

/// `policy-themes explain`.
pub fn run(args: &ExplainArgs, ui: Ui) -> Result<i32> {
    let (predictor, name) = super::default_model::resolve(args.model.as_deref(), ui)?;
    let codebook = predictor.codebook();
    args.codebook.check_model(codebook, &name)?;
    let themes: Vec<Theme> = match &args.theme {
        Some(t) => vec![codebook.parse(t).map_err(|e| Error::Other(e.to_string()))?],
        None => predictor.model.themes.clone(),
    };
    // Checked before anything is written: an error leaves stdout empty.
    if let Some(&t) = themes.iter().find(|t| !predictor.model.themes.contains(t)) {
        return Err(Error::Other(format!(
            "the model has no paragraphs of theme `{}`",
            codebook.id(t)
        )));
    }
    let mut sink = Sink::create(None)?;
    ui.start_csv(&mut sink)?;
    let mut w = csv::Writer::from_writer(&mut sink);
    w.write_record(["theme", "rank", "term", "weight"])
        .map_err(|e| Error::Other(e.to_string()))?;
    for t in themes {
        for (i, (term, s)) in predictor.top_terms(t, args.top).into_iter().enumerate() {
            w.write_record([
                codebook.id(t),
                &(i + 1).to_string(),
                &term,
                &format!("{s:.4}"),
            ])
            .map_err(|e| Error::Other(e.to_string()))?;
        }
    }
    w.flush().map_err(|e| Error::Other(e.to_string()))?;
    drop(w);
    sink.finish()?;
    Ok(0)
}

//! `train`: fit a model on label files and save it.

use super::params::params_from;
use super::Ui;
use crate::cli::TrainArgs;
use crate::error::{Error, Result};
use crate::labelling::labels::LabelSet;
use crate::labelling::train_on;
use crate::model::{self, persist};
use crate::text::Tokenizer;

/// `policy-themes train`.
pub fn run(args: &TrainArgs, ui: Ui) -> Result<i32> {
    super::need_default(&args.labels, super::DEFAULT_LABELS, super::HINT_LABELS)?;
    let params = params_from(&args.model);
    let tokenizer = Tokenizer::bundled();
    let started = std::time::Instant::now();
    params.validate()?;
    let codebook = args.codebook.load()?;
    let set = LabelSet::read_strict(&args.labels, &codebook)?;
    super::note_unlabelled(&set, &args.labels);
    let model = train_on(&set, &params, &tokenizer, &codebook)?;
    // Never write a model that `label` would refuse.
    if let Some(why) = model::validate::problem(&model) {
        return Err(Error::Other(format!(
            "the fitted model is unusable ({why}); {} was not written; try other settings",
            args.output.display()
        )));
    }
    persist::save(&model, &args.output)?;
    ui.info(format!(
        "trained on {} paragraphs, {} themes, {} terms in {:.2}s → {}",
        model.provenance.n_train,
        model.themes.len(),
        model.vectorizer.n_features(),
        started.elapsed().as_secs_f64(),
        args.output.display()
    ));
    Ok(0)
}

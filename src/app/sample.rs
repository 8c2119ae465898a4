//! `sample`: the next paragraphs to label, as a label-file CSV to fill in.

use super::Ui;
use crate::cli::SampleArgs;
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::io::output::Sink;
use crate::labelling::labels::LabelSet;
use crate::labelling::{self, Proposal, Reason, SelectParams};
use crate::model::Predictor;

/// The columns `sample` writes: the label-file format first (so the file
/// reads back as labels once `theme` is filled in), then the help.
pub const SAMPLE_COLUMNS: [&str; 11] = [
    "doc_id",
    "para_id",
    "text",
    "theme",
    "secondary",
    "suggested",
    "confidence",
    "reason",
    "region",
    "year",
    "section",
];

pub fn run(args: &SampleArgs, ui: Ui) -> Result<i32> {
    let given = match &args.model {
        Some(p) => Some(Predictor::load(p)?),
        None => None,
    };
    // The themes: the model's own when one is given (--codebook must match
    // it), else --codebook or the bundled codebook.
    let codebook = match (&given, &args.model) {
        (Some(m), Some(p)) => {
            args.codebook.check_model(m.codebook(), p)?;
            m.codebook().clone()
        }
        _ => args.codebook.load()?,
    };
    let labels = match &args.labels {
        Some(p) => {
            let set = LabelSet::read_strict(p, &codebook)?;
            super::note_unlabelled(&set, p);
            set.rows
        }
        None => Vec::new(),
    };
    let (units, code) = super::inputs::units(&args.inputs, args.keep_going, ui)?;
    if units.is_empty() {
        return Err(Error::Other("no paragraphs in the inputs".into()));
    }
    let from_file = given.is_some();
    let model = labelling::guide(&labels, given, &codebook)?;
    match (&model, from_file) {
        (Some(_), true) => ui.info("choosing by the model's uncertainty (--model)"),
        (Some(_), false) => ui.info(format!(
            "choosing by the uncertainty of a model fitted on the {} labels",
            labels.len()
        )),
        (None, _) => ui.info(format!(
            "cold start ({} labels, a model needs {}): spreading over regions, years, documents and sections",
            labels.len(),
            labelling::MIN_LABELS_FOR_MODEL
        )),
    }
    let params = SelectParams {
        n: args.n,
        seed: args.seed,
        ..SelectParams::default()
    };
    let proposals = labelling::propose(&units, &labels, model.as_ref(), &params);
    if proposals.len() < args.n {
        ui.warn(format!(
            "only {} unlabelled paragraphs to propose (asked for {})",
            proposals.len(),
            args.n
        ));
    }
    let mut sink = Sink::create(args.output.as_deref())?;
    ui.start_csv(&mut sink)?;
    write(&proposals, &codebook, &mut sink).map_err(|e| Error::write(sink.name(), e))?;
    sink.finish()?;
    Ok(code)
}

fn write(
    proposals: &[Proposal],
    codebook: &Codebook,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(SAMPLE_COLUMNS)?;
    for p in proposals {
        let u = &p.unit;
        let (suggested, confidence) = match p.suggestion {
            Some((t, c)) => (codebook.id(t).to_string(), format!("{c:.3}")),
            None => (String::new(), String::new()),
        };
        let reason = match p.reason {
            Reason::Spread => "spread".to_string(),
            Reason::Uncertain { margin } => format!("uncertain (margin {margin:.2})"),
        };
        w.write_record([
            u.doc_id.as_str(),
            &u.para_id.to_string(),
            &u.text,
            "",
            "",
            &suggested,
            &confidence,
            &reason,
            &u.region,
            &u.year.map(|y| y.to_string()).unwrap_or_default(),
            &u.section,
        ])?;
    }
    w.flush()
}

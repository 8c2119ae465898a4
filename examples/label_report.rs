//! The library on its own: label reports with a trained model and print each
//! document's theme shares, as `label` and `summary --by doc` would.
//!
//! ```sh
//! cargo run --release -- train -o model.json
//! cargo run --release --example label_report -- model.json corpus/003_cbd66c4364d6c9dc.txt
//! ```

use std::path::PathBuf;

use policy_themes::corpus;
use policy_themes::labelling::{label_documents, LabelOptions};
use policy_themes::model::Predictor;
use policy_themes::shares::{GroupBy, ShareTable, Weight};

fn main() {
    if let Err(e) = run() {
        eprintln!("label_report: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let Some((model, reports)) = args.split_first().filter(|(_, r)| !r.is_empty()) else {
        return Err("usage: label_report MODEL REPORT_OR_DIR...".into());
    };
    let predictor = Predictor::load(model)?;
    // Read, decode, split records and segment; then label each document as a
    // whole, so the model's document prior sees all of its paragraphs.
    let documents = corpus::read_all(reports)?;
    let rows = label_documents(&predictor, documents, LabelOptions::default());
    let by: GroupBy = "doc".parse()?;
    let codebook = predictor.codebook();
    print!(
        "{}",
        ShareTable::compute(&rows, &by, Weight::Chars, codebook).render(codebook)
    );
    Ok(())
}

//! `policy-themes labels agree`.

use super::Ui;
use crate::cli::{AgreeArgs, OutputFormat};
use crate::error::{Error, Result};
use crate::labelling::labels::{compare_coders, LabelSet};

/// Compare a second coder's labels with the first's and print the report.
pub fn run(args: &AgreeArgs, ui: Ui) -> Result<i32> {
    let format = ui.format(&args.format, OutputFormat::Table);
    let codebook = args.codebook.load()?;
    let first = LabelSet::read_strict(&args.first, &codebook)?;
    let report = compare_coders(&first, &args.second, &codebook)?;
    let text = match format {
        OutputFormat::Table => report.render(),
        OutputFormat::Jsonl => {
            let json = serde_json::to_string(&report).map_err(|e| Error::Other(e.to_string()))?;
            format!("{json}\n")
        }
        OutputFormat::Csv => {
            let err = |e: csv::Error| Error::Other(format!("writing CSV: {e}"));
            let mut c = csv::Writer::from_writer(Vec::new());
            c.write_record(["theme", "first", "second", "both", "specific_agreement"])
                .map_err(err)?;
            for t in &report.per_theme {
                c.write_record([
                    t.theme.clone(),
                    t.first.to_string(),
                    t.second.to_string(),
                    t.both.to_string(),
                    t.specific_agreement
                        .map(|x| format!("{x:.6}"))
                        .unwrap_or_default(),
                ])
                .map_err(err)?;
            }
            let bytes = c.into_inner().map_err(|e| Error::Other(e.to_string()))?;
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    crate::io::output::print_stdout(&text)?;
    Ok(0)
}

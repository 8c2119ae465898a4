//! `policy-themes labels agree`.

use std::path::PathBuf;

use super::Ui;
use crate::cli::AgreeArgs;
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::labels::{agree, problems_error, Columns, LabelSet};

/// Compare a second coder's labels with the first's and print the report.
pub fn run(args: &AgreeArgs, _ui: Ui) -> Result<i32> {
    let codebook = args.codebook.load()?;
    let first = LabelSet::read_strict(&args.first, &codebook)?;
    let report = compare_paths(&first, &args.second, &codebook)?;
    if args.json {
        let json =
            serde_json::to_string_pretty(&report).map_err(|e| Error::Other(e.to_string()))?;
        crate::output::print_stdout(&format!("{json}\n"))?;
    } else {
        crate::output::print_stdout(&report.render())?;
    }
    Ok(0)
}

/// Read a second coder's label files (`doc_id,para_id,theme` at least) and
/// compare them with `first`; every problem is listed in the error.
pub fn compare_paths(
    first: &LabelSet,
    second: &[PathBuf],
    codebook: &Codebook,
) -> Result<agree::AgreementReport> {
    let mut rows = Vec::new();
    for path in second {
        rows.extend(
            LabelSet::read_columns(path, Columns::Judgements, codebook)?
                .into_strict()?
                .rows,
        );
    }
    agree::compare(&first.rows, &rows, codebook)
        .map_err(|problems| problems_error("comparing the labels", &problems))
}

//! `policy-themes labels agree`.

use super::Ui;
use crate::cli::AgreeArgs;
use crate::error::{Error, Result};
use crate::labels::{agree, Columns, LabelSet};

/// Compare a second coder's labels with the first's and print the report.
pub fn run(args: &AgreeArgs, _ui: Ui) -> Result<i32> {
    let first = LabelSet::read_strict(&args.first)?;
    let mut second = Vec::new();
    for path in &args.second {
        second.extend(
            LabelSet::read_columns(path, Columns::Judgements)?
                .into_strict()?
                .rows,
        );
    }
    let report = agree::compare(&first.rows, &second).map_err(|problems| {
        let shown: Vec<String> = problems.iter().take(20).map(|e| e.to_string()).collect();
        Error::Other(format!(
            "{} problem(s) comparing the labels:\n  {}{}",
            problems.len(),
            shown.join("\n  "),
            if problems.len() > 20 { "\n  …" } else { "" }
        ))
    })?;
    if args.json {
        let json =
            serde_json::to_string_pretty(&report).map_err(|e| Error::Other(e.to_string()))?;
        println!("{json}");
    } else {
        print!("{}", report.render());
    }
    Ok(0)
}

//! `labels check`: the label files' problems and counts.

use super::Ui;
use crate::cli::CheckArgs;
use crate::error::{Error, Result};
use crate::io::output::{print_stderr, print_stdout};
use crate::labelling::labels::{check, LabelSet};

/// `policy-themes labels check`.
pub fn run(args: &CheckArgs, ui: Ui) -> Result<i32> {
    super::need_default(
        &args.labels,
        super::DEFAULT_LABELS,
        "pass the label file or directory: labels check DIR",
    )?;
    if !args.no_corpus {
        super::need_default(
            &args.corpus,
            super::DEFAULT_CORPUS,
            "pass --corpus DIR, or --no-corpus",
        )?;
    }
    let codebook = args.codebook.load()?;
    let set = LabelSet::read(&args.labels, &codebook)?;
    super::note_unlabelled(&set, &args.labels);
    let mut problems: Vec<String> = set.problems.iter().map(|e| e.to_string()).collect();
    if !args.no_corpus {
        let docs = super::inputs::read_documents(std::slice::from_ref(&args.corpus), ui)?;
        problems.extend(
            check::against_corpus(&set, &docs)
                .iter()
                .map(|e| e.to_string()),
        );
    }
    print_stdout(&check::counts_table(
        &check::counts(&set, &codebook),
        &codebook,
    ))?;
    if problems.is_empty() {
        print_stdout(&format!(
            "ok: {} labelled paragraphs in {} file(s)\n",
            set.rows.len(),
            set.files.len()
        ))?;
        Ok(0)
    } else {
        for p in &problems {
            print_stderr(format_args!("error: {p}"));
        }
        Err(Error::Other(format!(
            "{} problem(s) in the labels",
            problems.len()
        )))
    }
}

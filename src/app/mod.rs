//! Command implementations: what each subcommand does, on top of the library stages.
//!
//! One file per subcommand, dispatched by [`run`]. What several of them share
//! is in this file or a helper (`default_model`, `emit`, `inputs`, `params`,
//! `stream`), never in another subcommand's file: `tests/layers.rs` checks it.

pub(crate) mod agree;
pub(crate) mod analyze;
pub(crate) mod annotate;
pub(crate) mod check;
pub(crate) mod compare;
pub(crate) mod default_model;
pub(crate) mod emit;
pub(crate) mod eval;
pub(crate) mod explain;
pub(crate) mod inputs;
pub(crate) mod label;
pub(crate) mod params;
pub(crate) mod report;
pub(crate) mod sample;
pub(crate) mod segment;
pub(crate) mod show;
pub(crate) mod stream;
pub(crate) mod summary;
pub(crate) mod train;

use std::io::IsTerminal;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::cli::{Cli, Command, FormatArgs, LabelsCommand, OutputFormat};
use crate::error::Result;

/// Warnings of one kind printed in full before the rest are only counted.
pub const WARNINGS_SHOWN: usize = 3;

/// How often each kind of warning came, and an example, in order of first
/// appearance: one process runs one command, so process-wide state is the
/// run's state.
static WARNINGS: Mutex<Vec<(String, usize, String)>> = Mutex::new(Vec::new());

/// The progress bar on screen, cleared while a warning is printed so the two
/// do not interleave.
static PROGRESS: Mutex<Option<indicatif::ProgressBar>> = Mutex::new(None);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What makes two warnings "the same": the message without its subject
/// (the `DOC (FILE): ` before the first `): `), without path-like words, and
/// with numbers masked, so 300 files with the same problem are one kind.
pub fn warning_kind(msg: &str) -> String {
    let body = match msg.find("): ") {
        Some(i) => &msg[i + 3..],
        None => msg,
    };
    let words: Vec<&str> = body
        .split(' ')
        .filter(|w| !(w.contains('/') || w.contains('\\') || has_file_extension(w)))
        .collect();
    let mut key = String::new();
    let mut in_number = false;
    for c in words.join(" ").chars() {
        if c.is_ascii_digit() {
            if !in_number {
                key.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            key.push(c);
        }
    }
    key
}

fn has_file_extension(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    matches!(
        w.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()),
        Some(e) if ["txt", "csv", "jsonl", "json", "html", "htm", "pdf", "docx"].contains(&e.as_str())
    )
}

/// Print a line on stderr with the progress bar (if any) out of the way.
fn print_above_progress(line: &str) {
    let bar = lock(&PROGRESS).clone();
    match bar {
        Some(pb) if !pb.is_hidden() && !pb.is_finished() => {
            pb.suspend(|| crate::io::output::print_stderr(line))
        }
        _ => crate::io::output::print_stderr(line),
    }
}

/// The closing `… and N more like this` lines for warnings of a kind shown
/// [`WARNINGS_SHOWN`] times; resets the count.
pub fn flush_warnings(ui: Ui) {
    let kinds = std::mem::take(&mut *lock(&WARNINGS));
    if ui.quiet {
        return;
    }
    for (_, n, example) in kinds {
        if n > WARNINGS_SHOWN {
            print_above_progress(&format!(
                "warning: … and {} more like this ({example})",
                n - WARNINGS_SHOWN
            ));
        }
    }
}

/// How a command talks to the user: warnings and progress on stderr, and
/// whether CSV output starts with a byte-order mark for Excel.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ui {
    pub quiet: bool,
    pub bom: bool,
}

impl Ui {
    /// Begin a CSV output: the UTF-8 byte-order mark when `--bom` asked for it.
    pub fn start_csv(&self, w: &mut dyn std::io::Write) -> Result<()> {
        if self.bom {
            w.write_all(crate::io::output::UTF8_BOM)
                .map_err(|e| crate::error::Error::write(crate::io::output::STDOUT_NAME, e))?;
        }
        Ok(())
    }

    /// A warning on stderr; after [`WARNINGS_SHOWN`] of one kind (see
    /// [`warning_kind`]) the rest are counted and summed up at the end.
    pub fn warn(&self, msg: impl std::fmt::Display) {
        if self.quiet {
            return;
        }
        let msg = msg.to_string();
        let kind = warning_kind(&msg);
        let shown = {
            let mut kinds = lock(&WARNINGS);
            match kinds.iter_mut().find(|(k, _, _)| *k == kind) {
                Some(entry) => {
                    entry.1 += 1;
                    entry.1 <= WARNINGS_SHOWN
                }
                None => {
                    let example = match msg.find("): ") {
                        Some(i) => msg[i + 3..].to_string(),
                        None => msg.clone(),
                    };
                    kinds.push((kind, 1, example));
                    true
                }
            }
        };
        if shown {
            print_above_progress(&format!("warning: {msg}"));
        }
    }
    pub fn info(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            print_above_progress(&msg.to_string());
        }
    }

    /// The output format from `--format`, or from the deprecated `--csv`/`--json`
    /// (with a note saying so), or the command's default.
    pub fn format(&self, f: &FormatArgs, default: OutputFormat) -> OutputFormat {
        if f.csv {
            self.note_deprecated("--csv", "--format csv");
            return OutputFormat::Csv;
        }
        if f.json {
            self.note_deprecated("--json", "--format jsonl");
            return OutputFormat::Jsonl;
        }
        f.format.unwrap_or(default)
    }

    fn note_deprecated(&self, old: &str, new: &str) {
        if !self.quiet {
            crate::io::output::print_stderr(format_args!(
                "note: {old} is deprecated and will go; use {new}"
            ));
        }
    }
    /// A progress bar on stderr when it is a terminal, hidden otherwise.
    pub fn progress(&self, total: u64, what: &str) -> indicatif::ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let pb = indicatif::ProgressBar::new(total);
        let style = indicatif::ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
        pb.set_style(style);
        pb.set_message(what.to_string());
        *lock(&PROGRESS) = Some(pb.clone());
        pb
    }
}

/// Say that rows without a theme were skipped (a `sample` file partly
/// filled in), once per label set; even under --quiet, since a skipped row
/// changes what is trained or checked.
pub fn note_unlabelled(set: &crate::labelling::labels::LabelSet, path: &std::path::Path) {
    if set.unlabelled > 0 {
        crate::io::output::print_stderr(format_args!(
            "note: {}: {} row(s) without a theme skipped (not labelled yet)",
            path.display(),
            set.unlabelled
        ));
    }
}

/// The default label directory (`--labels`).
pub const DEFAULT_LABELS: &str = "labels";
/// The default corpus directory (`--corpus`).
pub const DEFAULT_CORPUS: &str = "corpus";
/// Where `analyze` leaves the labelled paragraphs (`report`, `compare`).
pub const DEFAULT_PARAGRAPHS: &str = "out/paragraphs.csv";

/// What to pass when a default path is missing.
pub const HINT_LABELS: &str = "pass --labels DIR (label files in the codebook format)";
pub const HINT_CORPUS: &str = "pass --corpus DIR (the reports the labels were made from)";
pub const HINT_PARAGRAPHS: &str = "pass LABELLED.csv (the output of `label`) or run analyze";

/// Fail with a hint when `path` is the default `default` and is not there:
/// the user never named it, so "cannot read" alone would not say what to do.
pub fn need_default(path: &std::path::Path, default: &str, hint: &str) -> Result<()> {
    if path == std::path::Path::new(default) && std::fs::metadata(path).is_err() {
        let here = std::env::current_dir()
            .map(|d| format!(" in {}", d.display()))
            .unwrap_or_default();
        return Err(crate::error::Error::input(
            path,
            format!("the default, not found{here}; {hint}"),
        ));
    }
    Ok(())
}

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let ui = Ui {
        quiet: cli.quiet,
        bom: cli.bom,
    };
    crate::io::output::set_force(cli.force);
    let result = match cli.command {
        Command::Analyze(a) => analyze::run(&a, ui),
        Command::Segment(a) => segment::run(&a, ui),
        Command::Train(a) => train::run(&a, ui),
        Command::Label(a) => label::run(&a, ui),
        Command::Summary(a) => summary::run(&a, ui),
        Command::Compare(a) => compare::run(&a, ui),
        Command::Report(a) => report::run(&a, ui),
        Command::Labels(LabelsCommand::Check(a)) => check::run(&a, ui),
        Command::Labels(LabelsCommand::Agree(a)) => agree::run(&a, ui),
        Command::Eval(a) => eval::run(&a, ui),
        Command::Explain(a) => explain::run(&a, ui),
        Command::Sample(a) => sample::run(&a, ui),
        Command::Annotate(a) => annotate::run(&a, ui),
        Command::Show(a) => show::run(&a, ui),
    };
    flush_warnings(ui);
    result
}

impl crate::cli::CodebookArgs {
    /// The codebook in use: `--codebook FILE`, or the bundled one.
    pub fn load(&self) -> Result<crate::codebook::Codebook> {
        crate::codebook::Codebook::load(self.codebook.as_deref())
    }

    /// Check `--codebook`, if given, against the codebook a model (read
    /// from `model`) carries: a model labels only with its own themes.
    pub fn check_model(
        &self,
        model_codebook: &crate::codebook::Codebook,
        model: &std::path::Path,
    ) -> Result<()> {
        match &self.codebook {
            Some(p) => model_codebook.check_matches(&crate::codebook::Codebook::read(p)?, model),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_of_one_kind_differ_only_in_subject_paths_and_numbers() {
        let a = warning_kind(
            "a1 (corpus/a.txt): only 34% of its terms are in the model's vocabulary (below 50%)",
        );
        let b = warning_kind(
            "b2 (other dir/b.txt): only 7% of its terms are in the model's vocabulary (below 50%)",
        );
        assert_eq!(a, b);
        assert_ne!(
            a,
            warning_kind("a1 (corpus/a.txt): in traditional characters")
        );
        assert_eq!(
            warning_kind("skipped corpus/x.txt: cannot read"),
            warning_kind("skipped y.txt: cannot read")
        );
    }
}

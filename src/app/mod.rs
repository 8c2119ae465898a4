//! Command implementations: what each subcommand does, on top of the library stages.

pub mod agree;
pub mod analyze;
pub mod compare;
pub mod eval;
pub mod inputs;
pub mod label;
pub mod report;
pub mod summary;
pub mod train;

use std::io::IsTerminal;

use crate::cli::{Cli, Command, LabelsCommand};
use crate::error::Result;

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
            w.write_all(crate::output::UTF8_BOM)
                .map_err(|e| crate::error::Error::write(crate::output::STDOUT_NAME, e))?;
        }
        Ok(())
    }

    pub fn warn(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            crate::output::print_stderr(format_args!("warning: {msg}"));
        }
    }
    pub fn info(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            crate::output::print_stderr(msg);
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
        pb
    }
}

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let ui = Ui {
        quiet: cli.quiet,
        bom: cli.bom,
    };
    crate::output::set_force(cli.force);
    match cli.command {
        Command::Analyze(a) => analyze::run(&a, ui),
        Command::Segment(a) => inputs::run_segment(&a, ui),
        Command::Train(a) => train::run(&a, ui),
        Command::Label(a) => label::run(&a, ui),
        Command::Summary(a) => summary::run(&a, ui),
        Command::Compare(a) => compare::run(&a, ui),
        Command::Report(a) => report::run(&a, ui),
        Command::Labels(LabelsCommand::Check(a)) => train::run_check(&a, ui),
        Command::Labels(LabelsCommand::Agree(a)) => agree::run(&a, ui),
        Command::Eval(a) => eval::run(&a, ui),
        Command::Explain(a) => train::run_explain(&a, ui),
    }
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

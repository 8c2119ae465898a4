//! Writing a command's table: to `-o` and to stdout in the chosen `--format`.

use std::io::Write;
use std::path::PathBuf;

use super::Ui;
use crate::cli::OutputFormat;
use crate::error::{Error, Result};
use crate::io::output::{write_atomic, Sink};
use crate::render::format::csv_to_jsonl;

/// Write a table to `-o` (CSV, or JSON Lines with `--format jsonl`) and to
/// stdout in the chosen format: `table` is its readable form (`summary`,
/// `compare`, `show`).
pub(super) fn emit(
    output: Option<&PathBuf>,
    format: OutputFormat,
    ui: Ui,
    write: impl Fn(&mut dyn std::io::Write) -> Result<()>,
    render: impl FnOnce() -> String,
) -> Result<()> {
    let csv = || -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        Ok(bytes)
    };
    let encoded = |format: OutputFormat| -> Result<Vec<u8>> {
        match format {
            OutputFormat::Jsonl => csv_to_jsonl(&csv()?),
            _ => {
                let mut bytes = Vec::new();
                ui.start_csv(&mut bytes)?;
                bytes.extend(csv()?);
                Ok(bytes)
            }
        }
    };
    if let Some(out) = output {
        let bytes = encoded(format)?;
        write_atomic(out, |w| {
            w.write_all(&bytes).map_err(|e| Error::write(out, e))
        })?;
    }
    match format {
        OutputFormat::Table => crate::io::output::print_stdout(&render())?,
        f => {
            let bytes = encoded(f)?;
            let mut sink = Sink::create(None)?;
            sink.write_all(&bytes)
                .map_err(|e| Error::write(crate::io::output::STDOUT_NAME, e))?;
            sink.finish()?;
        }
    }
    Ok(())
}

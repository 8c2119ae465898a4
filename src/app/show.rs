//! `show`: the paragraphs behind a share. Parses the command line and calls
//! [`crate::shares::drill`], where the selection and the share are computed.

use std::collections::BTreeSet;

use super::Ui;
use crate::cli::{OutputFormat, ShowArgs};
use crate::error::{Error, Result};
use crate::labelling::rows::read_labelled;
use crate::shares::drill::{drill, per_kind, Filter};

/// `policy-themes show`.
pub fn run(args: &ShowArgs, ui: Ui) -> Result<i32> {
    let format = ui.format(&args.format, OutputFormat::Table);
    let codebook = args.codebook.load()?;
    let theme = match &args.theme {
        Some(t) => Some(
            codebook
                .parse(t)
                .map_err(|e| Error::Other(format!("--theme: {e}")))?,
        ),
        None => None,
    };
    let filter = Filter {
        region: args.region.clone(),
        theme,
        doc: args.doc.clone(),
        year: args.year,
        kind: args.kinds.kind.clone(),
    };
    let rows = read_labelled(&args.input, &codebook)?;
    let d = drill(&rows, &filter, args.weight);
    if d.context_paragraphs == 0 {
        let regions: BTreeSet<String> = rows.iter().map(|r| r.region_key()).collect();
        let shown: Vec<&str> = regions.iter().map(String::as_str).take(20).collect();
        let more = if regions.len() > shown.len() {
            ", …"
        } else {
            ""
        };
        let name = if crate::io::is_stdin(&args.input) {
            std::path::Path::new(crate::io::STDIN_NAME)
        } else {
            args.input.as_path()
        };
        return Err(Error::input(
            name,
            format!(
                "no paragraph matches {}; regions: {}{more}",
                filter.context(),
                shown.join(", ")
            ),
        ));
    }
    let parts = if args.kinds.pool_kinds {
        Vec::new()
    } else {
        per_kind(&rows, &filter, args.weight)
    };
    let footer = if parts.is_empty() {
        d.footer(&codebook)
    } else {
        d.footer_by_kind(&parts, &codebook)
    };
    // The table is built first so that an error leaves stdout empty.
    let table = if format == OutputFormat::Table {
        let mut csv = Vec::new();
        d.write_csv(&mut csv, &codebook)?;
        format!("{}({footer})\n", crate::render::format::csv_to_table(&csv)?)
    } else {
        String::new()
    };
    super::emit::emit(None, format, ui, |w| d.write_csv(w, &codebook), || table)?;
    if format != OutputFormat::Table {
        ui.info(&footer);
    }
    Ok(0)
}

//! `annotate`: arguments only; the page, its state and the server are in
//! `labelling::annotate`.

use super::Ui;
use crate::cli::AnnotateArgs;
use crate::error::{Error, Result};
use crate::labelling::annotate::{self, server, Annotator, LabelFile};

pub fn run(args: &AnnotateArgs, ui: Ui) -> Result<i32> {
    let codebook = args.codebook.load()?;
    let path = match &args.coder {
        Some(name) => annotate::coder_file(&args.labels, name)?,
        None => args.labels.clone(),
    };
    let file = LabelFile::open(&path, &codebook)?;
    let (mut units, code) = if args.inputs.is_empty() {
        (Vec::new(), 0)
    } else {
        super::inputs::units(&args.inputs, args.keep_going, ui)?
    };
    let mut a = match args.disagreements.as_slice() {
        [first, second] => {
            let (coders, their_units) = annotate::read_coders(first, second, &codebook)?;
            if units.is_empty() {
                units = their_units;
            }
            Annotator::settle(file, units, codebook, coders)?
        }
        _ => {
            if units.is_empty() {
                units = annotate::units_from_file(&file, &codebook);
            }
            if units.is_empty() {
                return Err(Error::input(
                    &path,
                    "no paragraphs to propose: give REPORTS (or a paragraphs CSV from `segment`), \
                     or a label file from `sample` with rows still to label",
                ));
            }
            Annotator::new(file, units, codebook, args.refit_every, args.seed)
        }
    };
    let listener = server::bind(args.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Other(format!("listening socket: {e}")))?;
    // Always printed, even with --quiet: without it the page cannot be found.
    crate::io::output::print_stderr(format_args!(
        "annotate: open http://{addr}/ in a browser; labels are written to {} as you go \
         (Ctrl-C stops; nothing is lost, and starting again resumes)",
        path.display()
    ));
    server::serve(&mut a, listener)?;
    Ok(code)
}

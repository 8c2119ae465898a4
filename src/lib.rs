//! policy-themes: label paragraphs of Chinese government work reports with
//! policy themes and measure how much attention each region gives each theme.
//!
//! Data flows one way, through layers. A module may use its own layer and
//! those below it, never one above; `tests/layers.rs` reads this list and
//! fails, naming the file and line, on an import from a higher layer.
//!
//! 0. [`error`], [`rng`]: foundation: the error type, the one random generator
//! 1. [`io`]: decoding text, standard input, CSV and JSON Lines reading, protected inputs, atomic outputs, stdout and stderr
//! 2. [`codebook`], [`themes`]: foundation: the theme scheme (read through `io`) and theme values
//! 3. [`corpus`]: read, extract, split records, metadata, segment; the labelled-paragraph type
//! 4. [`text`]: tokenize, features, vocabulary, TF-IDF
//! 5. [`model`]: train, predict, persist, validate model files
//! 6. [`eval`]: cross-validation, metrics, the measured confusion, learning curve, coder agreement
//! 7. [`labelling`]: label files, checks, a model from a label set, coders compared, the labelled-rows and paragraphs CSVs, choosing what to label next
//! 8. [`shares`]: share tables, bootstrap intervals, adjustment, dictionary measure, drill-down, the panel
//! 9. [`render`]: table formats (CSV, JSON Lines, terminal) and the HTML report with its options
//! 10. [`app`], [`cli`]: the command line: flags, and one file per subcommand (no subcommand uses another)

// User data must never panic the tool: no unwrap/expect outside tests.
#![deny(clippy::unwrap_used, clippy::expect_used)]
// Every write to stdout and stderr goes through `output`, which checks it:
// `print!` panics when stdout is full or closed.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod app;
mod cli;
pub mod codebook;
pub mod corpus;
pub mod error;
pub mod eval;
pub mod io;
pub mod labelling;
pub mod model;
pub mod render;
pub mod rng;
pub mod shares;
pub mod text;
pub mod themes;

pub use app::run;
pub use cli::Cli;
pub use codebook::Codebook;
pub use error::{Error, Result};
pub use themes::Theme;

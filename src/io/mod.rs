//! Layer 1: bytes in and out. Decoding text, standard input, reading CSV and
//! JSON Lines, protected inputs, atomic output files, stdout and stderr.

pub(crate) mod csv_input;
pub(crate) mod decode;
pub(crate) mod output;

pub use csv_input::check_quotes;
pub use output::{install_signal_cleanup, print_stderr};

use std::path::Path;

/// The command-line name of standard input.
pub const STDIN: &str = "-";
/// The name standard input's document and messages go by.
pub const STDIN_NAME: &str = "stdin";

/// Whether a command-line path means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

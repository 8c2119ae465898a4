//! The `policy-themes` command: parse arguments, call the library.

#![deny(clippy::print_stdout, clippy::print_stderr)]

use clap::Parser;

fn main() {
    // Die quietly when stdout is closed early (`policy-themes label … | head`),
    // as Unix filters do, instead of reporting a broken pipe as an error.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE disposition before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    policy_themes::io::install_signal_cleanup();
    let cli = policy_themes::Cli::parse();
    match policy_themes::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            // Never a panic, even when stderr itself cannot be written.
            policy_themes::io::print_stderr(format_args!("error: {e}"));
            std::process::exit(2);
        }
    }
}

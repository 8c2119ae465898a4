//! The `policy-themes` command: parse arguments, call the library.

use clap::Parser;

fn main() {
    let cli = policy_themes::cli::Cli::parse();
    match policy_themes::app::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}

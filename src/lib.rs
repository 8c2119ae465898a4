//! policy-themes: label paragraphs of Chinese government work reports with
//! policy themes and measure how much attention each region gives each theme.
//!
//! Data flows one way: [`corpus`] (read, decode, split records, metadata,
//! segment) → [`text`] (tokenize, vocabulary, TF-IDF) → [`model`] (train,
//! predict, persist) → [`report`] (shares, tables) → [`render`] (the HTML report).

// User data must never panic the tool: no unwrap/expect outside tests.
#![deny(clippy::unwrap_used, clippy::expect_used)]
// Every write to stdout and stderr goes through `output`, which checks it:
// `print!` panics when stdout is full or closed.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod app;
pub mod cli;
pub mod codebook;
pub mod corpus;
pub mod csv_input;
pub mod error;
pub mod labelling;
pub mod labels;
pub mod model;
pub mod output;
pub mod render;
pub mod report;
pub mod rng;
pub mod text;
pub mod themes;

pub use codebook::Codebook;
pub use error::{Error, Result};
pub use themes::Theme;

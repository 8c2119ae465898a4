//! A paragraph as a coder labelled it. The type sits here, below `model` and
//! `eval`, which train and score on labelled paragraphs; reading label files
//! is `labelling::labels`.

use std::path::PathBuf;

use crate::themes::Theme;

/// One labelled paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelRow {
    pub doc_id: String,
    pub para_id: usize,
    pub text: String,
    pub theme: Theme,
    pub secondary: Option<Theme>,
    pub file: PathBuf,
    /// 1-based line of the record in its file.
    pub line: u64,
}

//! What a paragraph weighs in the shares; its own file so that the share
//! table and the adjustment (which the table uses) both take it from below.

use crate::labelling::rows::LabelledRow;
use crate::shares::bootstrap::Contribution;

/// What a paragraph weighs in its group's shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Weight {
    /// Characters of text (long paragraphs count more).
    #[default]
    Chars,
    /// Each paragraph counts once.
    Paragraphs,
}

impl Weight {
    pub fn of(self, r: &LabelledRow) -> f64 {
        match self {
            Weight::Chars => r.text.chars().count() as f64,
            Weight::Paragraphs => 1.0,
        }
    }

    /// What a row adds to its group's theme weights (`themes` of them): its
    /// weight in the slot of its theme, nothing when it is `uncertain`.
    pub fn contribution(self, r: &LabelledRow, themes: usize) -> Contribution {
        let mut c = vec![0.0; themes];
        if let Some(t) = r.theme {
            c[t.index()] = self.of(r);
        }
        c
    }
}

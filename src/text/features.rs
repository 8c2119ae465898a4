//! Which terms a paragraph contributes: words, optionally word bigrams and
//! character bigrams.

use serde::{Deserialize, Serialize};

/// Feature extraction settings; stored in the model so prediction extracts
/// exactly what training saw.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// The words jieba cuts. Off, the model reads only character bigrams
    /// and labelling never runs jieba.
    #[serde(default = "yes")]
    pub words: bool,
    /// Adjacent content-word pairs (`乡村 振兴`), joined by a space.
    pub word_bigrams: bool,
    /// Adjacent CJK character pairs of the raw text, prefixed with `#`.
    pub char_bigrams: bool,
    /// Terms in fewer training paragraphs than this are dropped.
    pub min_df: u32,
    /// Use 1 + ln(tf) instead of raw counts.
    pub sublinear_tf: bool,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            words: true,
            word_bigrams: false,
            char_bigrams: false,
            min_df: 2,
            sublinear_tf: true,
        }
    }
}

fn yes() -> bool {
    true
}

/// CJK ideographs: the characters character bigrams are made of.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF)
}

/// Adjacent pairs of CJK ideographs in a text, in order: the character
/// bigrams. A non-CJK character breaks a pair.
pub fn cjk_pairs(text: &str) -> impl Iterator<Item = (char, char)> + '_ {
    let mut prev: Option<char> = None;
    text.chars().filter_map(move |c| {
        if is_cjk(c) {
            let pair = prev.map(|p| (p, c));
            prev = Some(c);
            pair
        } else {
            prev = None;
            None
        }
    })
}

impl FeatureConfig {
    /// Whether any feature is made of jieba's words. When not, nothing needs
    /// the text cut into words, and callers skip jieba altogether.
    pub fn uses_words(&self) -> bool {
        self.words || self.word_bigrams
    }

    /// Call `f` once per term occurrence. `scratch` avoids allocating per bigram.
    pub fn for_each_term(
        &self,
        tokens: &[&str],
        text: &str,
        scratch: &mut String,
        mut f: impl FnMut(&str),
    ) {
        if self.words {
            for t in tokens {
                f(t);
            }
        }
        if self.word_bigrams {
            for pair in tokens.windows(2) {
                scratch.clear();
                scratch.push_str(pair[0]);
                scratch.push(' ');
                scratch.push_str(pair[1]);
                f(scratch);
            }
        }
        if self.char_bigrams {
            for (p, c) in cjk_pairs(text) {
                scratch.clear();
                scratch.push('#');
                scratch.push(p);
                scratch.push(c);
                f(scratch);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(cfg: FeatureConfig, tokens: &[&str], text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut s = String::new();
        cfg.for_each_term(tokens, text, &mut s, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn words_bigrams_and_char_bigrams() {
        let base = FeatureConfig::default();
        assert_eq!(
            collect(base, &["乡村", "振兴"], "乡村振兴"),
            ["乡村", "振兴"]
        );
        let wb = FeatureConfig {
            word_bigrams: true,
            ..base
        };
        assert_eq!(
            collect(wb, &["乡村", "振兴"], ""),
            ["乡村", "振兴", "乡村 振兴"]
        );
        let cb = FeatureConfig {
            char_bigrams: true,
            ..base
        };
        assert_eq!(collect(cb, &[], "乡村,振兴"), ["#乡村", "#振兴"]);
        let cb_only = FeatureConfig { words: false, ..cb };
        assert!(!cb_only.uses_words());
        assert_eq!(
            collect(cb_only, &["乡村", "振兴"], "乡村振兴"),
            ["#乡村", "#村振", "#振兴"]
        );
    }

    #[test]
    fn models_saved_before_the_words_switch_keep_their_words() {
        let old = r#"{"word_bigrams":false,"char_bigrams":true,"min_df":2,"sublinear_tf":true}"#;
        let cfg: FeatureConfig = serde_json::from_str(old).unwrap();
        assert!(cfg.words && cfg.uses_words());
    }
}

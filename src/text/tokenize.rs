//! Chinese tokenization: jieba-rs precise mode with HMM, a project user
//! dictionary of policy terms, a stop-word list, numbers and punctuation dropped.

use jieba_rs::Jieba;
use rustc_hash::FxHashSet;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The bundled user dictionary (policy terms kept whole).
pub const USER_DICT: &str = include_str!("userdict.txt");
/// The bundled stop words.
pub const STOP_WORDS: &str = include_str!("stopwords.txt");

/// jieba's default dictionary, built by `build.rs`: restoring this snapshot
/// takes under 20 ms (mostly page faults on fresh memory) where `Jieba::new()`
/// takes 0.1 s or more.
static JIEBA_SNAPSHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jieba.snapshot"));

/// jieba with its default dictionary, as `Jieba::new()` would build it.
fn default_jieba() -> Result<Jieba> {
    Jieba::from_snapshot(JIEBA_SNAPSHOT).map_err(|e| {
        Error::Other(format!(
            "embedded jieba dictionary snapshot is corrupt: {e}"
        ))
    })
}

/// A configured tokenizer. Building one restores jieba's dictionary and adds
/// the user dictionary (~20 ms), so build it once and share it (it is `Sync`).
pub struct Tokenizer {
    jieba: Jieba,
    stop: FxHashSet<String>,
    dict_hash: String,
    user_dict: String,
    stop_words: String,
}

fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Hex SHA-256 of some bytes: how models record what they were built from.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Tokenizer {
    /// The tokenizer with the bundled dictionary and stop words.
    pub fn bundled() -> Tokenizer {
        // The bundled files and the snapshot are part of the binary and
        // tested to load.
        Tokenizer::with_dictionary(USER_DICT, STOP_WORDS).unwrap_or_else(|e| {
            unreachable!("bundled dictionaries load: {e}");
        })
    }

    /// A tokenizer with a custom user dictionary (`term [freq]` per line) and stop words.
    pub fn with_dictionary(user_dict: &str, stop_words: &str) -> Result<Tokenizer> {
        Tokenizer::with_base(default_jieba()?, user_dict, stop_words)
    }

    /// [`Tokenizer::with_dictionary`] on top of a given jieba.
    fn with_base(mut jieba: Jieba, user_dict: &str, stop_words: &str) -> Result<Tokenizer> {
        for (i, line) in user_dict.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let word = parts.next().unwrap_or_default();
            let freq = match parts.next() {
                Some(f) => Some(f.parse::<usize>().map_err(|_| {
                    Error::line(
                        "user dictionary",
                        i as u64 + 1,
                        format!("bad frequency `{f}`"),
                    )
                })?),
                None => None,
            };
            // Without a frequency, jieba's suggested frequency makes the term win
            // over its parts, which is the point of listing it.
            let freq = freq.unwrap_or_else(|| jieba.suggest_freq(word).max(10_000));
            jieba.add_word(word, Some(freq), None);
        }
        let stop = entries(stop_words).map(str::to_string).collect();
        let mut hashed = Vec::new();
        hashed.extend_from_slice(user_dict.as_bytes());
        hashed.push(0);
        hashed.extend_from_slice(stop_words.as_bytes());
        Ok(Tokenizer {
            jieba,
            stop,
            dict_hash: sha256_hex(&hashed),
            user_dict: user_dict.to_string(),
            stop_words: stop_words.to_string(),
        })
    }

    /// Hash of the user dictionary and stop words this tokenizer uses.
    pub fn dictionary_hash(&self) -> &str {
        &self.dict_hash
    }

    /// The user dictionary and stop-word texts this tokenizer was built from.
    pub fn sources(&self) -> (&str, &str) {
        (&self.user_dict, &self.stop_words)
    }

    /// Content words of a text, in order.
    pub fn tokens<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let mut out = Vec::new();
        self.tokens_into(text, &mut out);
        out
    }

    /// Like [`Tokenizer::tokens`], reusing a buffer.
    pub fn tokens_into<'a>(&self, text: &'a str, out: &mut Vec<&'a str>) {
        out.clear();
        for tok in self.jieba.cut(text, true) {
            let w = tok.word;
            if self.is_content_word(w) {
                out.push(w);
            }
        }
    }

    /// Every word jieba cuts, content words or not, in order, reusing a buffer.
    pub fn words_into<'a>(&self, text: &'a str, out: &mut Vec<&'a str>) {
        out.clear();
        out.extend(self.jieba.cut(text, true).into_iter().map(|t| t.word));
    }

    /// Whether [`Tokenizer::tokens`] keeps this word.
    pub fn is_content_word(&self, w: &str) -> bool {
        keep(w) && !self.stop.contains(w)
    }
}

/// A token is kept when it has at least two characters and at least one of
/// them is a letter or CJK ideograph: drops numbers, punctuation, single characters.
fn keep(w: &str) -> bool {
    // Most jieba tokens are one character (at most 4 bytes): reject them first.
    if w.len() <= 1 || (w.len() <= 4 && w.chars().nth(1).is_none()) {
        return false;
    }
    let mut n = 0;
    let mut wordy = false;
    for c in w.chars() {
        n += 1;
        // CJK first: `is_alphabetic` takes a slow table lookup for ideographs.
        if crate::text::features::is_cjk(c) || c.is_alphabetic() {
            wordy = true;
        }
    }
    n >= 2
        && wordy
        && !w
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '%')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_policy_terms_whole_and_drops_noise() {
        let t = Tokenizer::bundled();
        let toks =
            t.tokens("巩固拓展脱贫攻坚成果,2022年招商引资到位资金增长15.3%。我们要优化营商环境!");
        assert!(toks.contains(&"巩固拓展脱贫攻坚成果"), "{toks:?}");
        assert!(toks.contains(&"招商引资"), "{toks:?}");
        assert!(toks.contains(&"营商环境"), "{toks:?}");
        assert!(
            !toks.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())),
            "{toks:?}"
        );
        assert!(!toks.contains(&"我们"));
        assert!(!toks.iter().any(|w| w.chars().count() < 2));
    }

    #[test]
    fn dictionary_hash_changes_with_the_dictionary() {
        let a = Tokenizer::with_dictionary("乡村振兴\n", "").unwrap();
        let b = Tokenizer::with_dictionary("乡村振兴\n碳达峰\n", "").unwrap();
        assert_ne!(a.dictionary_hash(), b.dictionary_hash());
        assert!(Tokenizer::with_dictionary("乡村振兴 abc\n", "").is_err());
    }

    /// Every paragraph of the bundled corpus and labels.
    fn bundled_texts() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let docs = crate::corpus::read_all(&[root.join("corpus")]).unwrap();
        let labels = crate::labelling::labels::LabelSet::read_strict(
            &root.join("labels"),
            &crate::codebook::Codebook::bundled().unwrap(),
        )
        .unwrap();
        docs.into_iter()
            .flat_map(|d| d.paragraphs)
            .map(|p| p.text)
            .chain(labels.rows.into_iter().map(|r| r.text))
            .collect()
    }

    fn words<'a>(jieba: &Jieba, text: &'a str) -> Vec<&'a str> {
        jieba.cut(text, true).into_iter().map(|t| t.word).collect()
    }

    #[test]
    fn snapshot_cuts_like_jieba_new() {
        let texts = bundled_texts();
        assert!(texts.len() > 1000, "{}", texts.len());
        let new = Jieba::new();
        let restored = default_jieba().unwrap();
        for text in &texts {
            assert_eq!(words(&restored, text), words(&new, text), "{text}");
        }

        // With the user dictionary added: the same dictionary state, byte for
        // byte, and the same cuts and tokens.
        let from_new = Tokenizer::with_base(Jieba::new(), USER_DICT, STOP_WORDS).unwrap();
        let bundled = Tokenizer::bundled();
        assert!(bundled.jieba.to_snapshot() == from_new.jieba.to_snapshot());
        for text in &texts {
            assert_eq!(words(&bundled.jieba, text), words(&from_new.jieba, text));
            assert_eq!(bundled.tokens(text), from_new.tokens(text), "{text}");
        }
    }
}

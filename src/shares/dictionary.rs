//! The dictionary measure of attention, as the literature computes it: keyword
//! hits per theme divided by the words of the text, from a user-editable
//! keyword list per theme (`dictionaries/themes.txt`, built into the binary).
//!
//! Keywords are matched in the text itself, leftmost-longest and without
//! overlap, so a keyword is found however the tokenizer would cut it and a long
//! keyword is never also counted as the shorter keywords inside it. Words (the
//! denominator) are the project tokenizer's content words.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::codebook::{dictionary_terms, Codebook};
use crate::error::{Error, Result};
use crate::labelling::rows::LabelledRow;
use crate::shares::bootstrap::{stream_seed, Interval, Strata};
use crate::shares::table::{
    aligned_keys, key_label, percent, push_shares, render_blocks, Block, Field, GroupBy, Line,
    Resampling,
};
use crate::text::Tokenizer;
use crate::themes::Theme;

/// Keywords per theme.
#[derive(Debug, Clone)]
pub struct Dictionary {
    words: HashMap<String, Theme>,
    /// Longest keyword, in characters.
    max_len: usize,
    /// Themes of the codebook the keywords belong to.
    themes: usize,
}

impl Dictionary {
    /// From keywords per theme, in codebook order; `source` names where they
    /// come from in errors. A keyword may belong to one theme only.
    pub fn from_terms(terms: &[Vec<String>], source: &str) -> Result<Dictionary> {
        let mut words: HashMap<String, Theme> = HashMap::new();
        for (i, list) in terms.iter().enumerate() {
            let theme = Theme::from_index(i);
            for w in list {
                if let Some(prev) = words.insert(w.clone(), theme) {
                    if prev != theme {
                        return Err(Error::Other(format!(
                            "{source}: keyword `{w}` is listed under two themes; a keyword counts for one theme only"
                        )));
                    }
                }
            }
        }
        if words.is_empty() {
            return Err(Error::Other(format!(
                "{source}: the dictionary has no keywords"
            )));
        }
        let max_len = words.keys().map(|w| w.chars().count()).max().unwrap_or(0);
        Ok(Dictionary {
            words,
            max_len,
            themes: terms.len(),
        })
    }

    /// Parse the dictionary format (see the header of `dictionaries/themes.txt`)
    /// with the themes of `codebook`; `source` names the file in errors.
    pub fn parse(text: &str, source: &Path, codebook: &Codebook) -> Result<Dictionary> {
        let terms = dictionary_terms(text, source, codebook)?;
        Dictionary::from_terms(&terms, &source.display().to_string())
    }

    /// The codebook's own keywords (the bundled codebook's are the built-in
    /// `dictionaries/themes.txt`).
    pub fn of_codebook(codebook: &Codebook) -> Result<Dictionary> {
        let terms: Vec<Vec<String>> = codebook.all().map(|t| codebook.terms(t).to_vec()).collect();
        if terms.iter().all(Vec::is_empty) {
            return Err(Error::Other(format!(
                "the codebook {} has no dictionary terms for --method dictionary: add a `terms` column to its theme table (keywords separated by spaces or 、) or pass a dictionary file with --dictionary FILE (format in the header of dictionaries/themes.txt)",
                codebook.describe()
            )));
        }
        Dictionary::from_terms(&terms, &codebook.describe())
    }

    /// Read a dictionary file for the themes of `codebook`.
    pub fn read(path: &Path, codebook: &Codebook) -> Result<Dictionary> {
        let bytes = crate::io::output::read_input(path)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::input(path, "the dictionary is not UTF-8"))?;
        Dictionary::parse(&text, path, codebook)
    }

    /// Keywords of a theme, sorted (for the tests).
    #[cfg(test)]
    pub fn keywords(&self, theme: Theme) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .words
            .iter()
            .filter(|(_, t)| **t == theme)
            .map(|(w, _)| w.as_str())
            .collect();
        v.sort_unstable();
        v
    }

    /// Keyword hits per theme in a text: leftmost-longest, non-overlapping.
    pub fn hits(&self, text: &str) -> Vec<usize> {
        let mut out = vec![0usize; self.themes];
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        let n = bounds.len() - 1;
        let mut i = 0;
        while i < n {
            let longest = self.max_len.min(n - i);
            let found = (1..=longest).rev().find_map(|len| {
                self.words
                    .get(&text[bounds[i]..bounds[i + len]])
                    .map(|t| (len, *t))
            });
            match found {
                Some((len, t)) => {
                    out[t.index()] += 1;
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// One group's dictionary measure.
#[derive(Debug, Clone, PartialEq)]
pub struct DictRow {
    pub key: Vec<String>,
    pub paragraphs: usize,
    /// Content words (tokenizer tokens) of the group's text.
    pub words: usize,
    /// Keyword hits per theme.
    pub hits: Vec<usize>,
    /// Hits per word, per theme: the literature's attention measure.
    pub rates: Vec<f64>,
    /// Each theme's share of all keyword hits (sums to 1 unless there are none).
    pub shares: Vec<f64>,
    /// 95% bootstrap interval of `shares`.
    pub ci: Option<Interval>,
}

impl DictRow {
    /// Whether no keyword of the dictionary occurs in the group's text: its
    /// shares are undefined, not zero.
    pub fn is_empty(&self) -> bool {
        self.hits.iter().all(|&h| h == 0)
    }
}

/// The dictionary measure for every group.
#[derive(Debug, Clone, PartialEq)]
pub struct DictTable {
    pub group: Vec<Field>,
    pub rows: Vec<DictRow>,
}

impl DictTable {
    /// Count words and keyword hits of every paragraph and sum them per group.
    pub fn compute(
        rows: &[LabelledRow],
        by: &GroupBy,
        dict: &Dictionary,
        tokenizer: &Tokenizer,
        ci: Option<Resampling>,
    ) -> DictTable {
        let n = dict.themes;
        let counts: Vec<(usize, Vec<usize>)> = rows
            .par_iter()
            .map(|r| (tokenizer.tokens(&r.text).len(), dict.hits(&r.text)))
            .collect();
        type Acc<'a> = (usize, usize, Vec<usize>, Vec<(&'a str, Vec<f64>)>);
        let mut groups: BTreeMap<Vec<String>, Acc> = BTreeMap::new();
        for (r, (words, hits)) in rows.iter().zip(&counts) {
            let e = groups
                .entry(by.key_of(r))
                .or_insert_with(|| (0, 0, vec![0; n], Vec::new()));
            e.0 += 1;
            e.1 += words;
            for (sum, h) in e.2.iter_mut().zip(hits) {
                *sum += h;
            }
            e.3.push((r.doc_id.as_str(), hits.iter().map(|&h| h as f64).collect()));
        }
        let rows = groups
            .into_iter()
            .map(|(key, (paragraphs, words, hits, pairs))| {
                let strata = Strata::from_pairs(n, pairs);
                let total: usize = hits.iter().sum();
                let rates = hits
                    .iter()
                    .map(|&h| {
                        if words > 0 {
                            h as f64 / words as f64
                        } else {
                            0.0
                        }
                    })
                    .collect();
                let shares = hits
                    .iter()
                    .map(|&h| {
                        if total > 0 {
                            h as f64 / total as f64
                        } else {
                            0.0
                        }
                    })
                    .collect();
                // Without hits there are no shares to put an interval on.
                let ci = ci.filter(|_| total > 0).map(|rs| {
                    Interval::from_replicates(
                        &strata.replicates(rs.samples, stream_seed(rs.seed, &by.seed_key(&key))),
                    )
                });
                DictRow {
                    key,
                    paragraphs,
                    words,
                    hits,
                    rates,
                    shares,
                    ci,
                }
            })
            .collect();
        DictTable {
            group: by.0.clone(),
            rows,
        }
    }

    /// CSV: group columns, `paragraphs,words,hits`, one share column per theme
    /// (share of keyword hits, rows sum to 1), `<theme>_lo,<theme>_hi` with intervals,
    /// then `<theme>_rate` (hits per word).
    pub fn write_csv<W: Write>(&self, out: W, codebook: &Codebook) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        let n = codebook.len();
        let ids = codebook.ids();
        let mut header: Vec<String> = self.group.iter().map(|f| f.name().to_string()).collect();
        header.extend(["paragraphs", "words", "hits"].map(String::from));
        header.extend(ids.iter().map(|id| id.to_string()));
        let has_ci = self.rows.iter().any(|r| r.ci.is_some());
        if has_ci {
            for id in &ids {
                header.push(format!("{id}_lo"));
                header.push(format!("{id}_hi"));
            }
        }
        header.extend(ids.iter().map(|id| format!("{id}_rate")));
        w.write_record(&header).map_err(csv_err)?;
        for r in &self.rows {
            let mut rec = r.key.clone();
            rec.push(r.paragraphs.to_string());
            rec.push(r.words.to_string());
            rec.push(r.hits.iter().sum::<usize>().to_string());
            push_shares(&mut rec, (!r.is_empty()).then_some(&r.shares), n);
            if has_ci {
                for t in 0..n {
                    match &r.ci {
                        Some(c) => {
                            rec.push(format!("{:.6}", c.lo[t]));
                            rec.push(format!("{:.6}", c.hi[t]));
                        }
                        None => rec.extend([String::new(), String::new()]),
                    }
                }
            }
            rec.extend(r.rates.iter().map(|s| format!("{s:.6}")));
            w.write_record(&rec).map_err(csv_err)?;
        }
        w.flush().map_err(|e| Error::Other(e.to_string()))
    }

    /// Rows without keyword hits, by their display key.
    pub fn empty_rows(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|r| r.is_empty())
            .map(|r| key_label(&r.key))
            .collect()
    }

    /// What the table says about rows shown without shares, if there are any.
    pub fn empty_note(&self) -> Option<String> {
        let n = self.rows.iter().filter(|r| r.is_empty()).count();
        (n > 0).then(|| {
            format!(
                "-: {n} row(s) where no keyword of the dictionary occurs, so without shares; \
                 the other rows' first lines sum to 100"
            )
        })
    }

    /// A readable table: share of keyword hits in percent, and hits per 1000 words.
    pub fn render(&self, codebook: &Codebook) -> String {
        let (title, keys) = aligned_keys(&self.group, self.rows.iter().map(|r| &r.key));
        let blocks: Vec<Block> = self
            .rows
            .iter()
            .zip(keys)
            .map(|(r, key)| Block {
                key,
                count: r.paragraphs,
                lines: vec![
                    Line {
                        label: String::new(),
                        values: (!r.is_empty()).then(|| percent(&r.shares)),
                        ci: r.ci.as_ref().map(|c| (percent(&c.lo), percent(&c.hi))),
                    },
                    Line {
                        label: "  per 1000 words".into(),
                        values: Some(r.rates.iter().map(|x| x * 1000.0).collect()),
                        ci: None,
                    },
                ],
            })
            .collect();
        let mut notes = vec![
            "dictionary measure: first line, percent of the group's keyword hits per theme (sums to 100); second line, keyword hits per 1000 words".to_string(),
        ];
        if let Some(note) = self.empty_note() {
            notes.push(note);
        }
        if self.rows.iter().any(|r| r.ci.is_some()) {
            notes.push(
                "[lo-hi]: 95% bootstrap interval of the percent, paragraphs resampled within documents"
                    .into(),
            );
        }
        render_blocks(&title, "paras", &blocks, &notes, codebook)
    }
}

fn csv_err(e: csv::Error) -> Error {
    Error::Other(format!("writing CSV: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> Codebook {
        Codebook::bundled().unwrap()
    }

    fn dict(text: &str) -> Result<Dictionary> {
        Dictionary::parse(text, Path::new("test.txt"), &bundled())
    }

    #[test]
    fn builtin_dictionary_parses_and_covers_every_theme() {
        let cb = bundled();
        let d = Dictionary::of_codebook(&cb).unwrap();
        let parsed = Dictionary::parse(
            crate::codebook::BUNDLED_DICTIONARY,
            Path::new("themes.txt"),
            &cb,
        )
        .unwrap();
        assert_eq!(d.words, parsed.words);
        for t in cb.all() {
            assert!(d.keywords(t).len() >= 10, "{t:?}: {:?}", d.keywords(t));
        }
    }

    #[test]
    fn a_codebook_without_terms_needs_a_dictionary_file() {
        let cb = Codebook::parse_markdown(
            "| id | 中文 | English |\n|---|---|---|\n| a | 甲 | A |\n| b | 乙 | B |\n",
            Path::new("cb.md"),
        )
        .unwrap();
        let e = Dictionary::of_codebook(&cb).unwrap_err().to_string();
        assert!(e.contains("cb.md") && e.contains("--dictionary"), "{e}");
        let d = Dictionary::parse("[a]\n甲乙\n[乙]\n丙\n", Path::new("d.txt"), &cb).unwrap();
        assert_eq!(d.hits("甲乙丙丙"), [1, 2]);
    }

    #[test]
    fn counts_leftmost_longest_without_overlap() {
        let d = dict("# comment\n[poverty]\n脱贫攻坚 巩固拓展脱贫攻坚成果\n[rural]\n乡村旅游、农业\n[industry]\n旅游, 工业 # trailing comment\n").unwrap();
        let h = d.hits("巩固拓展脱贫攻坚成果,打赢脱贫攻坚战。发展乡村旅游和工业旅游,农业农业。");
        assert_eq!(h[Theme::Poverty.index()], 2);
        assert_eq!(h[Theme::Rural.index()], 3);
        assert_eq!(h[Theme::Industry.index()], 2);
        assert_eq!(h.iter().sum::<usize>(), 7);
        assert_eq!(d.hits(""), vec![0; Theme::BUNDLED]);
    }

    #[test]
    fn malformed_dictionaries_name_the_line() {
        let e = dict("[poverty]\n扶贫\n[rural]\n扶贫\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("test.txt:4") && e.contains("poverty"), "{e}");
        let e = dict("扶贫\n").unwrap_err().to_string();
        assert!(e.contains("test.txt:1"), "{e}");
        let e = dict("[povrety]\n扶贫\n").unwrap_err().to_string();
        assert!(e.contains("unknown theme"), "{e}");
        assert!(dict("[poverty]\n").is_err());
        assert!(dict("[poverty\n扶贫").is_err());
    }

    #[test]
    fn table_gives_rates_per_word_and_shares_summing_to_one() {
        let d = dict("[ecology]\n污染防治\n[rural]\n高标准农田\n").unwrap();
        let tok = Tokenizer::bundled();
        let row = |doc: &str, text: &str| LabelledRow {
            doc_id: doc.into(),
            para_id: 0,
            region: "甲市".into(),
            region_code: String::new(),
            province: String::new(),
            prefecture: String::new(),
            year: Some(2022),
            kind: String::new(),
            section: String::new(),
            theme: None,
            confidence: 1.0,
            secondary: None,
            text: text.into(),
            explain: None,
        };
        let text = "坚决打好污染防治攻坚战,建设高标准农田,污染防治成效明显。";
        let words = tok.tokens(text).len();
        let rows = vec![row("a", text), row("b", "没有关键词的段落。")];
        let by: GroupBy = "region".parse().unwrap();
        let t = DictTable::compute(
            &rows,
            &by,
            &d,
            &tok,
            Some(Resampling {
                samples: 100,
                seed: 3,
            }),
        );
        let r = &t.rows[0];
        assert_eq!(r.hits[Theme::Ecology.index()], 2);
        assert_eq!(r.hits[Theme::Rural.index()], 1);
        let all_words = words + tok.tokens("没有关键词的段落。").len();
        assert_eq!(r.words, all_words);
        assert!((r.rates[Theme::Ecology.index()] - 2.0 / all_words as f64).abs() < 1e-12);
        assert!((r.shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!((r.shares[Theme::Ecology.index()] - 2.0 / 3.0).abs() < 1e-12);
        let mut csv = Vec::new();
        t.write_csv(&mut csv, &bundled()).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert!(
            csv.starts_with("region,paragraphs,words,hits,poverty,"),
            "{csv}"
        );
        assert!(csv.contains("ecology_rate"));
        assert!(t.render(&bundled()).contains("per 1000 words"));
    }
}

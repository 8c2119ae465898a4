//! The codebook as data: the themes a run labels with, read from the Markdown
//! file coders read (the theme table in the layout of `labels/CODEBOOK.md`).
//!
//! A [`Theme`] is an index into one [`Codebook`]; ids, names, column labels,
//! colours and dictionary terms are looked up here, so nothing else knows how
//! many themes there are.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::themes::{Theme, UnknownTheme};

/// The bundled codebook, `labels/CODEBOOK.md`.
pub const BUNDLED_MARKDOWN: &str = include_str!("../labels/CODEBOOK.md");
/// How errors and messages name the bundled codebook.
pub const BUNDLED_NAME: &str = "labels/CODEBOOK.md (built in)";
/// The bundled codebook's dictionary terms (`dictionaries/themes.txt`).
pub const BUNDLED_DICTIONARY: &str = include_str!("../dictionaries/themes.txt");
pub const BUNDLED_DICTIONARY_NAME: &str = "dictionaries/themes.txt (built in)";

/// Colours given in order to themes without a `colour` column, cycled after
/// the last (categorical, tells 13 apart; the bundled themes get them in order).
pub const PALETTE: &[&str] = &[
    "#e15759", "#b6992d", "#59a14f", "#f28e2b", "#ff9da7", "#b07aa1", "#4e79a7", "#76b7b2",
    "#9c755f", "#79706e", "#edc948", "#a0cbe8", "#d4d4d4",
];

/// The bundled themes' terminal column heads, kept as they were before the
/// codebook was data (two differ from the derived six-letter prefix), without
/// adding a column to the shared codebook file.
const BUNDLED_SHORT: [(&str, &str); 2] = [("innovation", "innov"), ("overview", "overvw")];

/// Characters a derived column head keeps.
const SHORT_LEN: usize = 6;

/// One theme of a codebook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeInfo {
    /// The stable id used in files.
    pub id: String,
    /// The Chinese name.
    pub zh: String,
    pub english: String,
    /// The column head of terminal tables.
    pub short: String,
    /// `#rrggbb` (or `#rgb`) for charts.
    pub colour: String,
    /// The "typical content" column.
    #[serde(default)]
    pub content: String,
    /// Keywords of the dictionary measure.
    #[serde(default)]
    pub terms: Vec<String>,
}

/// A theme scheme: its themes in table order (the column order of every output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Codebook {
    /// Where it was read from (a file name, or [`BUNDLED_NAME`]).
    pub source: String,
    /// The version the file states in its title (`v1.2` → `1.2`), if any.
    #[serde(default)]
    pub version: Option<String>,
    pub themes: Vec<ThemeInfo>,
    /// The decision rules: the file's text around the theme table.
    #[serde(default)]
    pub rules: String,
    /// Whether this is the bundled codebook (its dictionary is the bundled one).
    #[serde(default)]
    pub bundled: bool,
}

/// Which column of the theme table holds what.
#[derive(Debug, Default)]
struct Columns {
    id: Option<usize>,
    zh: Option<usize>,
    english: Option<usize>,
    content: Option<usize>,
    short: Option<usize>,
    colour: Option<usize>,
    terms: Option<usize>,
}

impl Columns {
    fn from_header(cells: &[String]) -> Columns {
        let mut c = Columns::default();
        for (i, cell) in cells.iter().enumerate() {
            let slot = match cell.to_lowercase().as_str() {
                "id" => &mut c.id,
                "中文" | "zh" | "chinese" => &mut c.zh,
                "english" | "en" => &mut c.english,
                "typical content" | "content" => &mut c.content,
                "short" | "label" => &mut c.short,
                "colour" | "color" => &mut c.colour,
                "terms" | "keywords" | "dictionary" => &mut c.terms,
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        c
    }
}

/// The cells of a Markdown table row, trimmed and without code backticks;
/// `None` for a line that is not a row.
fn cells(line: &str) -> Option<Vec<String>> {
    let inner = line.trim().strip_prefix('|')?;
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(
        inner
            .split('|')
            .map(|c| c.trim().trim_matches('`').trim().to_string())
            .collect(),
    )
}

fn is_separator_row(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// Ids go into CSV headers (`<id>_lo`) and file formats: a letter, then
/// ASCII letters, digits, `_` or `-`.
fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn valid_colour(c: &str) -> bool {
    c.strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6) && h.chars().all(|ch| ch.is_ascii_hexdigit()))
}

/// `v1.2` in the first heading.
fn version_of(text: &str) -> Option<String> {
    let title = text.lines().find(|l| l.trim_start().starts_with('#'))?;
    title
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | '[' | ']'))
        .find_map(|w| {
            let v = w.strip_prefix('v').or_else(|| w.strip_prefix('V'))?;
            (v.starts_with(|c: char| c.is_ascii_digit())
                && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
            .then(|| v.to_string())
        })
}

fn split_terms(s: &str) -> Vec<String> {
    s.split(is_term_separator)
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

fn is_term_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '、' | ',' | '\u{ff0c}')
}

/// The keywords per theme (in `cb` order) of a dictionary file (format in the
/// header of `dictionaries/themes.txt`); `source` names it in errors. A
/// keyword may be listed under one theme only.
pub fn dictionary_terms(text: &str, source: &Path, cb: &Codebook) -> Result<Vec<Vec<String>>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut terms: Vec<Vec<String>> = vec![Vec::new(); cb.len()];
    let mut first: std::collections::HashMap<&str, (Theme, usize)> = Default::default();
    let mut current: Option<Theme> = None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest.strip_suffix(']').ok_or_else(|| {
                Error::line(source, line_no as u64, format!("unclosed section `{line}`"))
            })?;
            let theme = cb
                .parse(name)
                .map_err(|e| Error::line(source, line_no as u64, e.to_string()))?;
            current = Some(theme);
            continue;
        }
        let theme = current.ok_or_else(|| {
            Error::line(
                source,
                line_no as u64,
                "keywords before the first `[theme]` line",
            )
        })?;
        for w in line.split(is_term_separator).filter(|w| !w.is_empty()) {
            if let Some(&(prev, at)) = first.get(w) {
                return Err(Error::line(
                    source,
                    line_no as u64,
                    format!(
                        "keyword `{w}` is already listed under `{}` (line {at}); a keyword counts for one theme only",
                        cb.id(prev)
                    ),
                ));
            }
            first.insert(w, (theme, line_no));
            terms[theme.index()].push(w.to_string());
        }
    }
    if first.is_empty() {
        return Err(Error::input(source, "the dictionary has no keywords"));
    }
    Ok(terms)
}

impl Codebook {
    /// Parse a Markdown codebook; `source` names the file in errors.
    pub fn parse_markdown(text: &str, source: &Path) -> Result<Codebook> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = text.lines().collect();
        let line_err = |i: usize, m: String| Error::line(source, i as u64 + 1, m);
        // The theme table: the first table whose header has an `id` column.
        let mut found = None;
        for (i, line) in lines.iter().enumerate() {
            if let Some(head) = cells(line) {
                let cols = Columns::from_header(&head);
                let next_is_sep = lines
                    .get(i + 1)
                    .and_then(|l| cells(l))
                    .is_some_and(|c| is_separator_row(&c));
                if cols.id.is_some() && next_is_sep {
                    found = Some((i, head.len(), cols));
                    break;
                }
            }
        }
        let (head_line, width, cols) = found.ok_or_else(|| {
            Error::input(
                source,
                "no theme table: the codebook needs a Markdown table with the columns `| id | 中文 | English |` (and optionally `typical content`, `short`, `colour`, `terms`)",
            )
        })?;
        let (Some(id_col), Some(zh_col), Some(en_col)) = (cols.id, cols.zh, cols.english) else {
            let missing: Vec<&str> = [
                (cols.zh.is_none(), "中文"),
                (cols.english.is_none(), "English"),
            ]
            .into_iter()
            .filter_map(|(m, name)| m.then_some(name))
            .collect();
            return Err(line_err(
                head_line,
                format!(
                    "the theme table has no {} column",
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            ));
        };
        let mut themes: Vec<ThemeInfo> = Vec::new();
        let mut theme_lines: Vec<usize> = Vec::new();
        let mut end = head_line + 2;
        for (i, line) in lines.iter().enumerate().skip(head_line + 2) {
            let Some(row) = cells(line) else { break };
            end = i + 1;
            if row.len() != width {
                return Err(line_err(
                    i,
                    format!(
                        "the theme table's row has {} cells, its header {width}",
                        row.len()
                    ),
                ));
            }
            let cell = |c: Option<usize>| c.and_then(|c| row.get(c)).cloned().unwrap_or_default();
            let id = cell(Some(id_col));
            if !valid_id(&id) {
                return Err(line_err(
                    i,
                    format!("theme id `{id}`: an id is a letter followed by ASCII letters, digits, `_` or `-`"),
                ));
            }
            let zh = cell(Some(zh_col));
            if zh.is_empty() {
                return Err(line_err(i, format!("theme `{id}` has no Chinese name")));
            }
            for (prev, at) in themes.iter().zip(&theme_lines) {
                let clash = if prev.id == id {
                    Some(format!(
                        "duplicate theme id `{id}` (first on line {})",
                        at + 1
                    ))
                } else if prev.zh == zh || prev.id == zh || prev.zh == id {
                    Some(format!(
                        "theme `{id}`: the name `{zh}` is already used by `{}` (line {})",
                        prev.id,
                        at + 1
                    ))
                } else {
                    None
                };
                if let Some(m) = clash {
                    return Err(line_err(i, m));
                }
            }
            let colour = cell(cols.colour);
            let colour = if colour.is_empty() {
                PALETTE[themes.len() % PALETTE.len()].to_string()
            } else if valid_colour(&colour) {
                colour
            } else {
                return Err(line_err(
                    i,
                    format!("theme `{id}`: colour `{colour}` is not `#rrggbb` or `#rgb`"),
                ));
            };
            let short = match cell(cols.short) {
                s if s.is_empty() => id.chars().take(SHORT_LEN).collect(),
                s => s,
            };
            themes.push(ThemeInfo {
                english: cell(Some(en_col)),
                content: cell(cols.content),
                terms: split_terms(&cell(cols.terms)),
                id,
                zh,
                short,
                colour,
            });
            theme_lines.push(i);
        }
        if themes.len() < 2 {
            return Err(line_err(
                head_line,
                format!(
                    "the theme table has {} theme(s); a codebook needs at least 2",
                    themes.len()
                ),
            ));
        }
        if themes.len() > usize::from(u16::MAX) {
            return Err(line_err(head_line, "too many themes".into()));
        }
        let mut rules = lines[..head_line].join("\n");
        rules.push('\n');
        rules.push_str(&lines[end.min(lines.len())..].join("\n"));
        Ok(Codebook {
            source: source.display().to_string(),
            version: version_of(text),
            themes,
            rules: rules.trim().to_string(),
            bundled: false,
        })
    }

    /// Read a Markdown codebook file.
    pub fn read(path: &Path) -> Result<Codebook> {
        let bytes = crate::io::output::read_input(path)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::input(path, "the codebook is not UTF-8"))?;
        Codebook::parse_markdown(&text, path)
    }

    /// The bundled codebook with its dictionary terms (`dictionaries/themes.txt`).
    pub fn bundled() -> Result<Codebook> {
        let mut cb = Codebook::parse_markdown(BUNDLED_MARKDOWN, Path::new(BUNDLED_NAME))?;
        for (id, short) in BUNDLED_SHORT {
            if let Some(t) = cb.themes.iter_mut().find(|t| t.id == id) {
                t.short = short.to_string();
            }
        }
        cb.bundled = true;
        let terms = dictionary_terms(BUNDLED_DICTIONARY, Path::new(BUNDLED_DICTIONARY_NAME), &cb)?;
        for (t, words) in cb.themes.iter_mut().zip(terms) {
            t.terms = words;
        }
        Ok(cb)
    }

    /// `--codebook FILE`, or the bundled codebook.
    pub fn load(path: Option<&Path>) -> Result<Codebook> {
        match path {
            Some(p) => Codebook::read(p),
            None => Codebook::bundled(),
        }
    }

    /// A codebook with no themes: what a model file from before codebooks
    /// were stored reads as, until the bundled one is put in.
    pub fn missing() -> Codebook {
        Codebook {
            source: String::new(),
            version: None,
            themes: Vec::new(),
            rules: String::new(),
            bundled: false,
        }
    }

    /// Number of themes.
    pub fn len(&self) -> usize {
        self.themes.len()
    }

    /// A codebook always has at least two themes.
    pub fn is_empty(&self) -> bool {
        self.themes.is_empty()
    }

    /// All themes in table order.
    pub fn all(&self) -> impl ExactSizeIterator<Item = Theme> + Clone {
        (0..self.themes.len()).map(Theme::from_index)
    }

    fn info(&self, t: Theme) -> &ThemeInfo {
        // A Theme is made only by this codebook's parse or `all`, or checked
        // against its length (model files), so the index is in range.
        &self.themes[t.index()]
    }

    pub fn id(&self, t: Theme) -> &str {
        &self.info(t).id
    }
    pub fn zh(&self, t: Theme) -> &str {
        &self.info(t).zh
    }
    pub fn short(&self, t: Theme) -> &str {
        &self.info(t).short
    }
    pub fn colour(&self, t: Theme) -> &str {
        &self.info(t).colour
    }
    pub fn terms(&self, t: Theme) -> &[String] {
        &self.info(t).terms
    }

    /// The theme with this id or Chinese name.
    pub fn parse(&self, s: &str) -> std::result::Result<Theme, UnknownTheme> {
        let key = s.trim();
        self.themes
            .iter()
            .position(|t| t.id == key)
            .or_else(|| self.themes.iter().position(|t| t.zh == key))
            .map(Theme::from_index)
            .ok_or_else(|| UnknownTheme {
                given: s.to_string(),
                known: self.ids().join(", "),
            })
    }

    /// The ids in table order.
    pub fn ids(&self) -> Vec<&str> {
        self.themes.iter().map(|t| t.id.as_str()).collect()
    }

    /// How this codebook is named in messages.
    pub fn describe(&self) -> String {
        match &self.version {
            Some(v) => format!("{} (v{v})", self.source),
            None => self.source.clone(),
        }
    }

    /// Whether two codebooks label with the same themes in the same order
    /// (what models and label files depend on).
    pub fn same_themes(&self, other: &Codebook) -> bool {
        self.ids() == other.ids()
    }

    /// An error unless `other` (given with `--codebook`) has the same themes
    /// as this one (a model's).
    pub fn check_matches(&self, other: &Codebook, model: &Path) -> Result<()> {
        if self.same_themes(other) {
            return Ok(());
        }
        Err(Error::input(
            model,
            format!(
                "the model was trained with the codebook {} (themes: {}), not with {} (themes: {}); use the model's codebook or retrain with `policy-themes train --codebook {}`",
                self.describe(),
                self.ids().join(", "),
                other.describe(),
                other.ids().join(", "),
                other.source
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# Thesis scheme (v0.3)\n\
\n\
Intro text.\n\
\n\
| id | 中文 | English | typical content | short | colour | terms |\n\
|---|---|---|---|---|---|---|\n\
| `growth` | 增长 | Growth | GDP | grow | #112233 | 增长 GDP |\n\
| `green` | 绿色 | Green | 环保 |  |  | 环保、减排 |\n\
| `people` | 民生 | People | 就业 | ppl | #abc |  |\n\
\n\
## Rules\n\
\n\
1. Be careful.\n";

    fn parse(s: &str) -> Result<Codebook> {
        Codebook::parse_markdown(s, Path::new("cb.md"))
    }

    fn err_of(s: &str) -> String {
        match parse(s) {
            Ok(cb) => panic!("parsed: {cb:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_good_file_gives_its_themes_in_order() {
        let cb = parse(GOOD).unwrap();
        assert_eq!(cb.ids(), ["growth", "green", "people"]);
        assert_eq!(cb.version.as_deref(), Some("0.3"));
        let green = cb.parse("green").unwrap();
        assert_eq!(green.index(), 1);
        assert_eq!(cb.parse("绿色").unwrap(), green);
        assert_eq!(cb.zh(green), "绿色");
        assert_eq!(cb.short(green), "green");
        assert_eq!(cb.colour(green), PALETTE[1]);
        assert_eq!(cb.terms(green), ["环保", "减排"]);
        let growth = cb.parse("growth").unwrap();
        assert_eq!((cb.short(growth), cb.colour(growth)), ("grow", "#112233"));
        assert_eq!(cb.terms(cb.parse("people").unwrap()), [] as [String; 0]);
        assert!(cb.rules.contains("Intro text.") && cb.rules.contains("1. Be careful."));
        assert!(!cb.rules.contains("growth"));
        let e = cb.parse("poverty").unwrap_err().to_string();
        assert!(
            e.contains("`poverty`") && e.contains("growth, green, people"),
            "{e}"
        );
    }

    #[test]
    fn short_labels_are_derived_and_colours_cycle() {
        let mut s = String::from("| id | 中文 | English |\n|---|---|---|\n");
        for i in 0..15 {
            s.push_str(&format!("| theme_{i} | 主题{i} | T{i} |\n"));
        }
        let cb = parse(&s).unwrap();
        assert_eq!(cb.len(), 15);
        let t = cb.parse("theme_14").unwrap();
        assert_eq!(cb.short(t), "theme_");
        assert_eq!(cb.colour(t), PALETTE[1]);
        assert_eq!(cb.version, None);
    }

    #[test]
    fn errors_name_the_line() {
        let e = err_of("# x\n\nno table here\n");
        assert!(e.starts_with("cb.md: no theme table"), "{e}");
        let e = err_of("# x\n| id | English |\n|---|---|\n| a | A |\n| b | B |\n");
        assert!(e.starts_with("cb.md:2: ") && e.contains("`中文`"), "{e}");
        let head = "# x\n| id | 中文 | English | colour |\n|---|---|---|---|\n";
        let e = err_of(&format!("{head}| a | 甲 | A | |\n| a | 乙 | B | |\n"));
        assert!(e.starts_with("cb.md:5: duplicate theme id `a`"), "{e}");
        let e = err_of(&format!("{head}| a | 甲 | A | |\n| b c | 乙 | B | |\n"));
        assert!(e.starts_with("cb.md:5: theme id `b c`"), "{e}");
        let e = err_of(&format!("{head}| 甲 | 甲 | A | |\n"));
        assert!(e.starts_with("cb.md:4: theme id `甲`"), "{e}");
        let e = err_of(&format!("{head}| a | 甲 | A | red |\n| b | 乙 | B | |\n"));
        assert!(e.starts_with("cb.md:4: theme `a`: colour `red`"), "{e}");
        let e = err_of(&format!("{head}| a | 甲 | A | |\n"));
        assert!(
            e.starts_with("cb.md:2: ") && e.contains("at least 2"),
            "{e}"
        );
        let e = err_of(&format!("{head}| a | 甲 | A | |\n| b | 甲 | B | |\n"));
        assert!(
            e.starts_with("cb.md:5: ") && e.contains("already used by `a`"),
            "{e}"
        );
        let e = err_of(&format!("{head}| a | 甲 | A |\n"));
        assert!(e.starts_with("cb.md:4: ") && e.contains("3 cells"), "{e}");
    }

    #[test]
    fn the_bundled_codebook_keeps_todays_names_labels_and_colours() {
        let cb = Codebook::bundled().unwrap();
        assert!(cb.bundled);
        assert_eq!(cb.version.as_deref(), Some("1.2"));
        assert_eq!(
            cb.ids(),
            [
                "poverty",
                "rural",
                "ecology",
                "investment",
                "livelihood",
                "social",
                "industry",
                "innovation",
                "reform",
                "urban",
                "safety",
                "government",
                "overview"
            ]
        );
        let shorts: Vec<&str> = cb.all().map(|t| cb.short(t)).collect();
        assert_eq!(
            shorts,
            [
                "povert", "rural", "ecolog", "invest", "liveli", "social", "indust", "innov",
                "reform", "urban", "safety", "govern", "overvw"
            ]
        );
        let colours: Vec<&str> = cb.all().map(|t| cb.colour(t)).collect();
        assert_eq!(colours, PALETTE);
        let p = cb.parse("脱贫攻坚").unwrap();
        assert_eq!(cb.id(p), "poverty");
        assert!(cb.terms(p).iter().any(|w| w == "精准扶贫"));
        assert!(cb.rules.contains("## Decision rules"));
    }
}

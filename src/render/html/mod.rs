//! The HTML report: one self-contained file (inline CSS, inline SVG, a few
//! lines of inline script for sorting; nothing loaded from anywhere) built
//! with `maud` templates, which escape every interpolated value.
//!
//! Views: a region × kind × theme heatmap (absolute shares, shares against
//! the theme's mean, and the keyword-dictionary measure), each cell linking to
//! the paragraphs behind it; one card per theme ranking the rows with
//! intervals; year trends of one kind of document; a learning curve when
//! given; a methods section and the data as downloads.

mod charts;
mod heatmap;
mod options;
pub mod scales;

use std::collections::BTreeSet;

use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::{Deserialize, Serialize};

use crate::codebook::Codebook;
use crate::eval::learning::CurvePoint;
use crate::labelling::rows::LabelledRow;
use crate::shares::dictionary::DictTable;
use crate::shares::table::{Field, GroupBy, Resampling, ShareTable, Weight};
use crate::themes::Theme;
pub use options::{model_facts, report_options, Extras};
pub(crate) use options::{validation_beside, VALIDATION_FILE};
use scales::{base64, pct};

const CSS: &str = include_str!("report.css");
const SORT_JS: &str = include_str!("sort.js");

/// The rows of the heatmap: one per region and kind of document, so a
/// region's work report and its promotional articles are never pooled.
pub fn row_grouping() -> GroupBy {
    GroupBy(vec![Field::Region, Field::Kind])
}

/// What the report says about the model that labelled the paragraphs.
#[derive(Debug, Clone)]
pub struct ModelFacts {
    /// One line naming the model file (base name only) and its training.
    pub summary: String,
    pub classifier: String,
    pub features: String,
    /// SHA-256 of the label files, in full.
    pub labels_hash: String,
    pub n_train: usize,
    pub label_files: usize,
    pub tool_version: String,
}

/// Cross-validated figures of one grouping (`eval` or `eval --group region`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvFigures {
    /// Distinct groups the folds were cut by (documents or regions).
    pub groups: usize,
    pub paragraphs: usize,
    pub documents: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    /// Mean over documents of the mean absolute share error, percentage points.
    pub share_mae_pp: f64,
    pub share_mae_worst_pp: f64,
}

/// Grouped cross-validation of the model's training recipe on its labels,
/// as `analyze` measures and caches it (out/validation.json).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    /// The labels it was measured on (the model's `labels_hash`).
    pub labels_hash: String,
    pub folds: usize,
    pub by_document: CvFigures,
    pub by_region: Option<CvFigures>,
}

/// A file embedded in the report as a `data:` link.
#[derive(Debug, Clone)]
pub struct Download {
    pub name: String,
    pub what: String,
    pub bytes: Vec<u8>,
}

/// What the report shows besides the labelled rows.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The labelled input's file name (never a path of the user's machine).
    pub source: String,
    pub model: Option<ModelFacts>,
    pub weight: Weight,
    /// Example paragraphs per theme.
    pub examples: usize,
    pub resampling: Resampling,
    pub validation: Option<Validation>,
    /// The keyword-dictionary measure, grouped by [`row_grouping`].
    pub dictionary: Option<DictTable>,
    pub downloads: Vec<Download>,
    /// `eval --learning-curve --format csv`, when given.
    pub curve: Option<Vec<CurvePoint>>,
    /// `YYYY-MM-DD`.
    pub date: String,
}

fn weight_noun(w: Weight) -> &'static str {
    match w {
        Weight::Chars => "text (characters)",
        Weight::Paragraphs => "paragraphs",
    }
}

/// English and Chinese names of a kind of document.
pub fn kind_label(kind: &str) -> (&str, &str) {
    match kind {
        "work_report" => ("work report", "工作报告"),
        "plan_report" => ("plan report", "计划报告"),
        "article" => ("article", "文章"),
        "" => ("kind unknown", "类型不明"),
        k => (k, k),
    }
}

/// The whole report as one HTML document; `rows` are labelled with the themes of `cb`.
pub fn render(rows: &[LabelledRow], opts: &ReportOptions, cb: &Codebook) -> String {
    let by = row_grouping();
    let mut table = ShareTable::compute(rows, &by, opts.weight, cb);
    table.annotate(rows, &by, opts.weight, Some(opts.resampling), None, cb);
    let lines = heatmap::lines(rows, &table, opts.dictionary.as_ref());
    let page = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Policy theme shares · 政策主题注意力" }
                style { (PreEscaped(CSS)) }
            }
            body {
                (header(rows, opts, cb, lines.len()))
                (heatmap::section(&lines, opts, cb))
                (heatmap::listings(rows, &lines, opts.weight, cb))
                (charts::multiples(&lines, opts, cb))
                (charts::trends(rows, opts, cb))
                @if let Some(curve) = &opts.curve {
                    (charts::learning_curve(curve))
                }
                (examples(rows, opts.examples, cb))
                (methods(rows, opts, cb))
                (downloads(&opts.downloads))
                footer {
                    "Generated by policy-themes " (env!("CARGO_PKG_VERSION")) " on " (opts.date)
                    ". Self-contained: no fonts, images or scripts are loaded from anywhere; "
                    "the only script sorts the heatmap and everything works without it."
                }
                script { (PreEscaped(SORT_JS)) }
            }
        }
    };
    page.into_string()
}

fn header(rows: &[LabelledRow], opts: &ReportOptions, cb: &Codebook, n_lines: usize) -> Markup {
    let docs: BTreeSet<&str> = rows.iter().map(|r| r.doc_id.as_str()).collect();
    let regions: BTreeSet<String> = rows.iter().map(|r| r.region_key()).collect();
    let years: BTreeSet<u16> = rows.iter().filter_map(|r| r.year).collect();
    let uncertain = rows.iter().filter(|r| r.theme.is_none()).count();
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a == b => format!(", {a}"),
        (Some(a), Some(b)) => format!(", {a}–{b}"),
        _ => String::new(),
    };
    let scheme = if cb.bundled {
        "the project codebook".to_string()
    } else {
        format!("the codebook {}", cb.describe())
    };
    html! {
        header {
            h1 { "Policy theme shares " span lang="zh" { "政策主题注意力" } }
            p.lead {
                "Every paragraph of every report carries one of the " (cb.len()) " policy themes of " (scheme)
                ". A row's " b { "share" } " of a theme is the fraction of its labelled " (weight_noun(opts.weight))
                " in paragraphs of that theme: how much of what the government wrote was about it. "
                "Each row is one region and one kind of document (work reports, plan reports and articles are kept apart); "
                "its shares sum to 100%. Every share comes with its 95% bootstrap interval, and every heatmap cell "
                "links to the paragraphs behind it."
            }
            dl.facts {
                dt { "Input" } dd { (opts.source) }
                dt { "Text" } dd {
                    (rows.len()) " paragraphs in " (docs.len()) " documents from " (regions.len())
                    " regions" (span) "; " (n_lines) " rows (region × kind)"
                }
                @if uncertain > 0 {
                    dt { "Uncertain" } dd { (uncertain) " paragraphs below the confidence threshold, left out of the shares" }
                }
                dt { "Labels from" } dd {
                    @match &opts.model {
                        Some(m) => (m.summary),
                        None => "not recorded (run `report --model MODEL` to name the model)",
                    }
                }
                dt { "Weighting" } dd {
                    @match opts.weight {
                        Weight::Chars => "characters: long paragraphs count more",
                        Weight::Paragraphs => "paragraphs: each paragraph counts once",
                    }
                }
                dt { "Date" } dd { (opts.date) }
            }
            nav.toc {
                a href="#heatmap" { "Heatmap" }
                a href="#bars" { "Each theme, ranked" }
                a href="#trends" { "Year trends" }
                @if opts.curve.is_some() { a href="#curve" { "Learning curve" } }
                @if opts.examples > 0 { a href="#examples" { "Example paragraphs" } }
                a href="#methods" { "Methods and citation" }
                a href="#data" { "Data" }
            }
        }
    }
}

/// The `n` most confident paragraphs of a theme: substantial paragraphs
/// (40 characters or more) before short ones such as headings, one per
/// document before a second from the same document.
pub fn top_examples(rows: &[LabelledRow], theme: Theme, n: usize) -> Vec<&LabelledRow> {
    let mut cands: Vec<&LabelledRow> = rows.iter().filter(|r| r.theme == Some(theme)).collect();
    cands.sort_by(|a, b| {
        let long = |r: &LabelledRow| r.text.chars().count() >= 40;
        long(b)
            .cmp(&long(a))
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.doc_id.cmp(&b.doc_id))
            .then(a.para_id.cmp(&b.para_id))
    });
    let mut picked: Vec<&LabelledRow> = Vec::new();
    let mut docs: BTreeSet<&str> = BTreeSet::new();
    for r in &cands {
        if picked.len() >= n {
            break;
        }
        if docs.insert(r.doc_id.as_str()) {
            picked.push(r);
        }
    }
    for r in &cands {
        if picked.len() >= n {
            break;
        }
        if !picked.iter().any(|p| std::ptr::eq(*p, *r)) {
            picked.push(r);
        }
    }
    picked
}

fn examples(rows: &[LabelledRow], n: usize, cb: &Codebook) -> Markup {
    if n == 0 {
        return html! {};
    }
    html! {
        section #examples.examples {
            h2 { "Example paragraphs" }
            p.lead {
                "For each theme, the paragraphs the model was most sure about (full paragraphs before headings, "
                "different documents first), in full: a check that the theme means what its name says."
            }
            div.cards {
                @for t in cb.all() {
                    @let ex = top_examples(rows, t, n);
                    div.card id={ "ex-" (cb.id(t)) } {
                        h3 { (cb.id(t)) " · " (cb.zh(t)) " " small { (rows.iter().filter(|r| r.theme == Some(t)).count()) " paragraphs" } }
                        @if ex.is_empty() {
                            p.empty { "No paragraph carries this theme." }
                        } @else {
                            ol {
                                @for r in ex {
                                    li {
                                        blockquote { (r.text) }
                                        p.src {
                                            (heatmap::region_label(&r.region_key()))
                                            @if let Some(y) = r.year { " " (y) }
                                            " · " (kind_label(&r.kind).0) " · " (r.doc_id) " ¶" (r.para_id)
                                            " · confidence " (format!("{:.2}", r.confidence))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn cv_row(label: &str, f: &CvFigures, folds: usize) -> Markup {
    html! {
        tr {
            td { (label) }
            td.n { (folds) " folds, " (f.groups) " groups" }
            td.n { (format!("{:.3}", f.macro_f1)) }
            td.n { (format!("{:.3}", f.accuracy)) }
            td.n { (format!("{:.2}", f.share_mae_pp)) }
            td.n { (format!("{:.2}", f.share_mae_worst_pp)) }
        }
    }
}

fn methods(rows: &[LabelledRow], opts: &ReportOptions, cb: &Codebook) -> Markup {
    let docs: BTreeSet<&str> = rows.iter().map(|r| r.doc_id.as_str()).collect();
    let version = env!("CARGO_PKG_VERSION");
    let hash12 = opts
        .model
        .as_ref()
        .map(|m| m.labels_hash.chars().take(12).collect::<String>());
    let citation = format!(
        "Policy theme shares of {} ({} paragraphs in {} documents), labelled with policy-themes {version}{}{}; codebook: {}. Report generated {}.",
        opts.source,
        rows.len(),
        docs.len(),
        opts.model
            .as_ref()
            .map(|m| format!(" ({} on {})", m.classifier, m.features))
            .unwrap_or_default(),
        hash12
            .as_ref()
            .map(|h| format!(", labels SHA-256 {h}…"))
            .unwrap_or_default(),
        cb.describe(),
        opts.date
    );
    html! {
        section #methods {
            h2 { "Methods and citation" }
            dl.facts {
                @if let Some(m) = &opts.model {
                    dt { "Model" } dd { (m.classifier) }
                    dt { "Features" } dd { (m.features) }
                    dt { "Trained on" } dd {
                        (m.n_train) " labelled paragraphs from " (m.label_files) " label file(s), SHA-256 "
                        code { (m.labels_hash) } ", policy-themes " (m.tool_version)
                    }
                } @else {
                    dt { "Model" } dd { "not recorded: pass " code { "report --model MODEL" } " to describe it here" }
                }
                dt { "Codebook" } dd { (cb.describe()) ", " (cb.len()) " themes" }
                dt { "Intervals" } dd {
                    "95% bootstrap intervals, " (opts.resampling.samples) " resamples of the paragraphs within each document (seed "
                    (opts.resampling.seed) "): they show how much a share rests on few paragraphs, not the classifier's error."
                }
                dt { "Date" } dd { (opts.date) }
            }
            h3 { "Cross-validated error of the model" }
            @match &opts.validation {
                Some(v) => {
                    table.plain {
                        thead { tr {
                            th { "folds cut by" } th { "" } th { "macro-F1" } th { "accuracy" }
                            th { "share error, mean per document (pp)" } th { "worst document (pp)" }
                        } }
                        tbody {
                            (cv_row("document", &v.by_document, v.folds))
                            @if let Some(r) = &v.by_region { (cv_row("region", r, v.folds)) }
                        }
                    }
                    p.note {
                        "Grouped cross-validation of the same training recipe on the same labels (" (v.by_document.paragraphs)
                        " paragraphs of " (v.by_document.documents) " documents): the model is refitted with one group of documents "
                        "(or of regions) held out and scored on it. The share error is the mean absolute difference, in percentage "
                        "points, between a held-out document's predicted and hand-labelled character shares."
                    }
                }
                None => p.note {
                    "Not measured for this report. " code { "policy-themes eval" } " (folds by document) and "
                    code { "eval --group region" } " give it; " code { "analyze" } " measures both and shows them here."
                }
            }
            h3 { "Caveat: in-sample labels" }
            p {
                "Where the labelled paragraphs come from the reports analysed here (as with the bundled corpus, whose labels "
                "were made on these reports), the model has seen those paragraphs in training: their labels fit better than "
                "a new report's would, so the shares of those documents are closer to the hand labels than the cross-validated "
                "error above suggests. For new reports, the cross-validated figures are the estimate to quote."
            }
            h3 { "Suggested citation" }
            p.cite { (citation) }
        }
    }
}

fn downloads(files: &[Download]) -> Markup {
    html! {
        section #data {
            h2 { "Data" }
            @if files.is_empty() {
                p.note { "No data files embedded." }
            } @else {
                p.lead { "The numbers behind this page, embedded in it (nothing is fetched): CSV, UTF-8, one header line." }
                ul.downloads {
                    @for f in files {
                        li {
                            a download=(f.name) href={ "data:text/csv;charset=utf-8;base64," (base64(&f.bytes)) } { (f.name) }
                            " — " (f.what) " (" (f.bytes.len()) " bytes)"
                        }
                    }
                }
            }
        }
    }
}

/// A theme's English name.
pub fn english(cb: &Codebook, t: Theme) -> &str {
    cb.themes.get(t.index()).map_or("", |i| i.english.as_str())
}

/// One share with its interval in words, for titles.
pub fn share_words(s: f64, ci: Option<(f64, f64)>) -> String {
    match ci {
        Some((lo, hi)) => format!("{} (95% interval {})", pct(s), scales::pct_range(lo, hi)),
        None => pct(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn row(
        doc: &str,
        region: &str,
        year: u16,
        theme: Theme,
        conf: f64,
        text: &str,
    ) -> LabelledRow {
        LabelledRow {
            doc_id: doc.into(),
            para_id: 0,
            region: region.into(),
            region_code: String::new(),
            province: String::new(),
            prefecture: String::new(),
            year: Some(year),
            kind: "work_report".into(),
            section: "plan".into(),
            theme: Some(theme),
            confidence: conf,
            secondary: None,
            text: text.into(),
            explain: None,
        }
    }

    pub(super) fn opts() -> ReportOptions {
        ReportOptions {
            source: "in<put>.csv".into(),
            model: None,
            weight: Weight::Chars,
            examples: 3,
            resampling: Resampling {
                samples: 50,
                seed: 1,
            },
            validation: None,
            dictionary: None,
            downloads: vec![Download {
                name: "shares.csv".into(),
                what: "shares".into(),
                bytes: b"a,b\n1,2\n".to_vec(),
            }],
            curve: None,
            date: "2026-12-04".into(),
        }
    }

    #[test]
    fn examples_prefer_long_confident_paragraphs_from_different_documents() {
        let long = "这是一个足够长的段落,用来说明生态环境保护工作取得的成效,污染防治攻坚战取得明显进展,空气质量持续改善。";
        let rows = vec![
            row("a", "甲", 2022, Theme::Ecology, 0.99, "三、生态环保"),
            row("a", "甲", 2022, Theme::Ecology, 0.95, long),
            row("a", "甲", 2022, Theme::Ecology, 0.94, long),
            row("b", "乙", 2022, Theme::Ecology, 0.80, long),
            row("b", "乙", 2022, Theme::Rural, 0.99, long),
        ];
        let ex = top_examples(&rows, Theme::Ecology, 3);
        let got: Vec<(&str, f64)> = ex
            .iter()
            .map(|r| (r.doc_id.as_str(), r.confidence))
            .collect();
        assert_eq!(got, [("a", 0.95), ("b", 0.80), ("a", 0.94)]);
        assert!(top_examples(&rows, Theme::Poverty, 3).is_empty());
    }

    #[test]
    fn report_holds_rows_themes_listings_and_escaped_text() {
        let mut rows = vec![
            row(
                "a",
                "甲市",
                2021,
                Theme::Ecology,
                0.9,
                "<script>alert(1)</script> & 污染防治",
            ),
            row("b", "甲市", 2023, Theme::Rural, 0.8, "乡村振兴"),
            row("b", "甲市", 2023, Theme::Rural, 0.8, "乡村振兴<&>"),
            row("c", "乙县", 2022, Theme::Industry, 0.7, "制造业"),
        ];
        rows[3].kind = "article".into();
        let cb = Codebook::bundled().unwrap();
        let html = render(&rows, &opts(), &cb);
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; 污染防治"));
        assert!(html.contains("in&lt;put&gt;.csv"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        for s in [
            "甲市",
            "乙县",
            "id=\"trends\"",
            "id=\"methods\"",
            "2026-12-04",
        ] {
            assert!(html.contains(s), "{s}");
        }
        // Two rows (甲市 work report, 乙县 article), a listing per row and theme.
        assert_eq!(html.matches("class=\"listing\"").count(), 2 * cb.len());
        assert!(html.contains("id=\"p-0-ecology\"") && html.contains("href=\"#p-0-ecology\""));
        for t in cb.all() {
            assert!(html.contains(cb.id(t)) && html.contains(cb.zh(t)), "{t:?}");
        }
        assert!(html.contains("one of the 13 policy themes of the project codebook"));
        assert!(html.contains("data:text/csv;charset=utf-8;base64,YSxiCjEsMgo="));
        assert!(!html.contains("http://") && !html.contains("https://"));
    }
}

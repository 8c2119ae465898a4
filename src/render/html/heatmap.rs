//! The heatmap (three views in one table, switched by radio buttons without
//! script) and the listing of paragraphs behind every cell.

use std::collections::{BTreeMap, BTreeSet};

use maud::{html, Markup};

use super::scales::{diverging, pct, pct_range, sequential, Swatch};
use super::{kind_label, ReportOptions};
use crate::codebook::Codebook;
use crate::corpus::divisions::{self, Level};
use crate::labelling::rows::LabelledRow;
use crate::shares::dictionary::{DictRow, DictTable};
use crate::shares::drill::{drill, Filter};
use crate::shares::table::{ShareRow, ShareTable, Weight};

/// One row of the heatmap: a region and a kind of document.
pub struct Line<'a> {
    /// Position in display order; anchors use it (`c-3-ecology`, `p-3-ecology`).
    pub index: usize,
    pub region: String,
    pub kind: String,
    /// 0 province-level, 1 prefecture-level, 2 county-level, 3 unknown.
    pub level: u8,
    pub province: String,
    pub code: String,
    pub share: &'a ShareRow,
    pub dict: Option<&'a DictRow>,
    pub docs: usize,
    pub years: BTreeSet<u16>,
}

impl Line<'_> {
    /// `region · kind` for chart labels (Chinese kind names, short).
    pub fn short_label(&self) -> String {
        format!(
            "{}·{}",
            region_label(&self.region),
            kind_label(&self.kind).1
        )
    }

    pub fn ci(&self, t: usize) -> Option<(f64, f64)> {
        self.share.ci.as_ref().map(|c| (c.lo[t], c.hi[t]))
    }

    pub fn dict_share(&self, t: usize) -> Option<f64> {
        self.dict.filter(|d| !d.is_empty()).map(|d| d.shares[t])
    }
}

pub fn region_label(key: &str) -> &str {
    if key.is_empty() {
        "(no region)"
    } else {
        key
    }
}

fn level_of(code: &str) -> u8 {
    match divisions::by_code(code).map(|d| d.level()) {
        Some(Level::Province) => 0,
        Some(Level::Prefecture) => 1,
        Some(Level::County) => 2,
        None => 3,
    }
}

fn level_name(level: u8) -> &'static str {
    match level {
        0 => "Province-level units · 省级",
        1 => "Prefecture-level units · 地级",
        2 => "County-level units (districts, counties, county-level cities) · 县级",
        _ => "Level unknown (no division code)",
    }
}

/// The table's rows in display order: grouped by administrative level, then
/// by province (division code order), region and kind.
pub fn lines<'a>(
    rows: &[LabelledRow],
    table: &'a ShareTable,
    dict: Option<&'a DictTable>,
) -> Vec<Line<'a>> {
    #[derive(Default)]
    struct Meta {
        code: String,
        province: String,
        docs: BTreeSet<String>,
        years: BTreeSet<u16>,
    }
    let mut meta: BTreeMap<(String, String), Meta> = BTreeMap::new();
    for r in rows {
        let m = meta.entry((r.region_key(), r.kind.clone())).or_default();
        if m.code.is_empty() {
            m.code = r.region_code.clone();
        }
        if m.province.is_empty() {
            m.province = r.province.clone();
        }
        m.docs.insert(r.doc_id.clone());
        if let Some(y) = r.year {
            m.years.insert(y);
        }
    }
    let mut out: Vec<Line> = table
        .rows
        .iter()
        .map(|s| {
            let region = s.key.first().cloned().unwrap_or_default();
            let kind = s.key.get(1).cloned().unwrap_or_default();
            let m = meta
                .remove(&(region.clone(), kind.clone()))
                .unwrap_or_default();
            Line {
                index: 0,
                level: level_of(&m.code),
                province: m.province,
                code: m.code,
                dict: dict.and_then(|d| d.rows.iter().find(|r| r.key == s.key)),
                share: s,
                docs: m.docs.len(),
                years: m.years,
                region,
                kind,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (a.level, &a.code, &a.region, &a.kind).cmp(&(b.level, &b.code, &b.region, &b.kind))
    });
    for (i, l) in out.iter_mut().enumerate() {
        l.index = i;
    }
    out
}

fn years_text(years: &BTreeSet<u16>) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "year unknown".into(),
    }
}

/// A dot at the share and a line over its interval, on a 0..top scale.
pub fn whisker(class: &str, s: f64, ci: Option<(f64, f64)>, top: f64) -> Markup {
    const W: f64 = 56.0;
    let x = |v: f64| 2.0 + (v / top).clamp(0.0, 1.0) * (W - 4.0);
    let (lo, hi) = ci.unwrap_or((s, s));
    html! {
        svg class={ "whisker " (class) } viewBox="0 0 56 8" aria-hidden="true" {
            line x1="2" x2="54" y1="4" y2="4" stroke="currentColor" stroke-opacity="0.25" stroke-width="1" {}
            line x1=(format!("{:.1}", x(lo))) x2=(format!("{:.1}", x(hi) + 0.01)) y1="4" y2="4"
                stroke="currentColor" stroke-width="2" stroke-linecap="round" {}
            circle cx=(format!("{:.1}", x(s))) cy="4" r="2.6" fill="currentColor" {}
        }
    }
}

fn style_of(abs: &Swatch, rel: &Swatch, dict: &Swatch) -> String {
    format!(
        "--abs:{};--abs-ink:{};--rel:{};--rel-ink:{};--dict:{};--dict-ink:{}",
        abs.fill, abs.ink, rel.fill, rel.ink, dict.fill, dict.ink
    )
}

fn gradient(f: impl Fn(f64) -> Swatch, from: f64, to: f64) -> Markup {
    let stops: Vec<(f64, String)> = (0..=10)
        .map(|k| {
            let t = k as f64 / 10.0;
            (t, f(from + (to - from) * t).fill)
        })
        .collect();
    html! {
        svg viewBox="0 0 220 14" aria-hidden="true" {
            @for (i, (_, c)) in stops.iter().enumerate() {
                rect x=(i * 20) y="0" width="21" height="14" fill=(c) {}
            }
        }
    }
}

/// The heatmap section.
pub fn section(lines: &[Line], opts: &ReportOptions, cb: &Codebook) -> Markup {
    let n = cb.len();
    let with_shares: Vec<&Line> = lines.iter().filter(|l| !l.share.is_empty()).collect();
    // The theme's mean over rows: what the relative view divides by.
    let mean: Vec<f64> = (0..n)
        .map(|t| {
            with_shares.iter().map(|l| l.share.shares[t]).sum::<f64>()
                / with_shares.len().max(1) as f64
        })
        .collect();
    let top_abs = with_shares
        .iter()
        .flat_map(|l| l.share.shares.iter().copied())
        .fold(0.0f64, f64::max)
        .max(0.01);
    let col_top: Vec<f64> = (0..n)
        .map(|t| {
            lines
                .iter()
                .map(|l| l.ci(t).map_or(l.share.shares[t], |c| c.1))
                .fold(0.0f64, f64::max)
                .max(0.01)
        })
        .collect();
    let has_dict = lines.iter().any(|l| l.dict_share(0).is_some());
    let top_dict = lines
        .iter()
        .filter_map(|l| l.dict.filter(|d| !d.is_empty()))
        .flat_map(|d| d.shares.iter().copied())
        .fold(0.0f64, f64::max)
        .max(0.01);
    let dict_col_top: Vec<f64> = (0..n)
        .map(|t| {
            lines
                .iter()
                .filter_map(|l| l.dict.filter(|d| !d.is_empty()))
                .map(|d| d.ci.as_ref().map_or(d.shares[t], |c| c.hi[t]))
                .fold(0.0f64, f64::max)
                .max(0.01)
        })
        .collect();
    let mut groups: Vec<(u8, Vec<&Line>)> = Vec::new();
    for l in lines {
        match groups.last_mut() {
            Some((lv, g)) if *lv == l.level => g.push(l),
            _ => groups.push((l.level, vec![l])),
        }
    }
    let none = Swatch {
        fill: "#ffffff".into(),
        ink: "#57606a",
    };
    html! {
        section #heatmap {
            h2 { "Region × theme" }
            p.lead {
                "One row per region and kind of document, grouped by administrative level and ordered by province. "
                "Under each share, its 95% bootstrap interval as a line (" (opts.resampling.samples)
                " resamples of the paragraphs within each document) and in figures: a long line means too little text "
                "to pin the share down. Every cell links to its paragraphs. Headers link to the theme's ranking"
                "; with scripts on, their buttons sort the rows within each group."
            }
            input type="radio" name="view" id="view-abs" checked;
            label for="view-abs" { " Share " }
            input type="radio" name="view" id="view-rel";
            label for="view-rel" { " Against the theme's mean " }
            @if has_dict {
                input type="radio" name="view" id="view-dict";
                label for="view-dict" { " Keyword dictionary " }
            }
            p.viewnote.abs.note {
                "Share of the row's labelled " (super::weight_noun(opts.weight)) " per theme; darker is more (0 to "
                (pct(top_abs)) ", the largest share)."
            }
            p.viewnote.rel.note {
                "The share divided by the theme's mean over all rows: ×1 is average emphasis, orange above, blue below "
                "(the scale saturates at ×4 and ×¼). Shows what each row stresses more than the others, whatever the theme's size."
            }
            @if has_dict {
                p.viewnote.dict.note {
                    "The keyword-dictionary measure beside the model: each theme's share of the row's codebook keyword hits "
                    "(with its interval). Where it differs much from the model's share, read the paragraphs."
                }
            }
            div.scale-key.abs { "0%" (gradient(sequential, 0.0, 1.0)) (pct(top_abs)) }
            div.scale-key.rel { "×¼" (gradient(diverging, -1.0, 1.0)) "×4" }
            @if has_dict { div.scale-key.dict { "0%" (gradient(sequential, 0.0, 1.0)) (pct(top_dict)) } }
            div.scroll {
                table #heat.heat {
                    thead {
                        tr {
                            th.rowhead data-col="-1" { "region · kind" small { "documents · years · paragraphs" } }
                            @for t in cb.all() {
                                th data-col=(t.index()) title=(super::english(cb, t)) {
                                    a href={ "#theme-" (cb.id(t)) } { (cb.short(t)) }
                                    small { (cb.zh(t)) }
                                }
                            }
                        }
                    }
                    @for (level, group) in &groups {
                        tbody {
                            tr.group { th colspan=(n + 1) { (level_name(*level)) } }
                            @for l in group {
                                tr.r data-o=(l.index) {
                                    th {
                                        (region_label(&l.region)) " · " (kind_label(&l.kind).0)
                                        small {
                                            @if !l.province.is_empty() && l.province != l.region { (l.province) " · " }
                                            (l.docs) " doc" @if l.docs != 1 { "s" } " · " (years_text(&l.years))
                                            " · " (l.share.paragraphs) " ¶"
                                        }
                                    }
                                    @for t in cb.all() {
                                        @let i = t.index();
                                        @let s = l.share.shares[i];
                                        @let empty = l.share.is_empty();
                                        @let d = l.dict_share(i);
                                        @let abs = if empty { none.clone() } else { sequential(s / top_abs) };
                                        @let ratio = s / mean[i].max(1e-12);
                                        @let rel = if empty { none.clone() } else { diverging((ratio.max(1.0 / 16.0)).log2() / 2.0) };
                                        @let dsw = d.map_or_else(|| none.clone(), |d| sequential(d / top_dict));
                                        td.none[empty] id={ "c-" (l.index) "-" (cb.id(t)) }
                                            style=(style_of(&abs, &rel, &dsw))
                                            data-v=(if empty { "-1".to_string() } else { format!("{s:.6}") })
                                            data-d=(d.map_or("-1".to_string(), |d| format!("{d:.6}"))) {
                                            a href={ "#p-" (l.index) "-" (cb.id(t)) }
                                                title=(format!("{} · {} · {}: {}", region_label(&l.region), kind_label(&l.kind).0, cb.id(t),
                                                    if empty { "no labelled text".to_string() } else { super::share_words(s, l.ci(i)) })) {
                                                @if empty {
                                                    span.v.abs { "–" } span.v.rel { "–" }
                                                } @else {
                                                    span.v.abs { (pct(s)) }
                                                    span.v.rel { "×" (format!("{ratio:.2}")) }
                                                    (whisker("abs", s, l.ci(i), col_top[i]))
                                                    @if let Some((lo, hi)) = l.ci(i) { span.ci.abs { (pct_range(lo, hi)) } }
                                                }
                                                @match d {
                                                    Some(d) => {
                                                        span.v.dict { (pct(d)) }
                                                        (whisker("dict", d, l.dict.and_then(|x| x.ci.as_ref()).map(|c| (c.lo[i], c.hi[i])), dict_col_top[i]))
                                                        @if let Some(c) = l.dict.and_then(|x| x.ci.as_ref()) { span.ci.dict { (pct_range(c.lo[i], c.hi[i])) } }
                                                    }
                                                    None => span.v.dict { "–" },
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
            @let empty: Vec<&Line> = lines.iter().filter(|l| l.share.is_empty()).collect();
            @if !empty.is_empty() {
                p.note { "–: " (empty.len()) " row(s) without labelled text (every paragraph uncertain), so without shares." }
            }
        }
    }
}

/// The paragraphs behind every cell, each listing shown when its anchor is
/// the target (no script), with what they weigh and the share they make.
pub fn listings(rows: &[LabelledRow], lines: &[Line], weight: Weight, cb: &Codebook) -> Markup {
    let unit = match weight {
        Weight::Chars => "labelled characters",
        Weight::Paragraphs => "labelled paragraphs",
    };
    html! {
        section #paragraphs {
            h2 { "Paragraphs behind each cell" }
            p.lead {
                "Choose a heatmap cell (or a bar of a theme's ranking) to list its paragraphs here: full text, the most "
                "confident first, with their count, their characters and the share they add up to, "
                "as " code { "policy-themes show --region R --kind K --theme T" } " lists them."
            }
            @for l in lines {
                @for t in cb.all() {
                    @let f = Filter { region: Some(l.region.clone()), theme: Some(t), kind: Some(l.kind.clone()), ..Filter::default() };
                    @let d = drill(rows, &f, weight);
                    section.listing id={ "p-" (l.index) "-" (cb.id(t)) }
                        data-share=(format!("{:.6}", d.share().unwrap_or(0.0)))
                        data-context=(d.weight_context) {
                        h3 { (region_label(&l.region)) " · " (kind_label(&l.kind).0) " — " (cb.id(t)) " " (cb.zh(t)) }
                        p {
                            span.count { (d.rows.len()) } " paragraph(s), "
                            span.chars { (d.chars) } " characters: "
                            b { (d.share().map_or("no share".to_string(), pct)) }
                            " of the row's " (d.weight_context) " " (unit) " (" (d.context_paragraphs) " paragraphs)."
                            " " a.back href={ "#c-" (l.index) "-" (cb.id(t)) } { "back to the heatmap" }
                        }
                        @if d.rows.is_empty() {
                            p.empty { "No paragraph of this row is labelled " (cb.id(t)) "." }
                        } @else {
                            ol {
                                @for r in &d.rows {
                                    li data-w=(weight.of(r)) data-chars=(r.text.chars().count()) {
                                        blockquote { (r.text) }
                                        p.src {
                                            (r.doc_id) " ¶" (r.para_id)
                                            @if let Some(y) = r.year { " · " (y) }
                                            " · " (r.section) " · confidence " (format!("{:.3}", r.confidence))
                                            " · " (r.text.chars().count()) " characters"
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

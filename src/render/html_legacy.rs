//! The HTML report: one self-contained file (inline CSS and SVG, no scripts,
//! no network assets) with a region × theme heatmap, stacked bars of each
//! region's shares, a year trend per region where a region has several years,
//! and the most confident example paragraphs of each theme.

use std::collections::{BTreeMap, BTreeSet};

use crate::codebook::Codebook;
use crate::labelling::rows::LabelledRow;
use crate::shares::table::{GroupBy, Resampling, ShareRow, ShareTable, Weight};
use crate::themes::Theme;

/// Years with fewer paragraphs than this are left out of the trend charts.
const THIN_YEAR: usize = 20;

/// What the report says about where its numbers come from.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The labelled input, as the user named it.
    pub source: String,
    /// The model that labelled it, if known (one line).
    pub model: Option<String>,
    pub weight: Weight,
    /// Example paragraphs per theme.
    pub examples: usize,
    pub resampling: Resampling,
}

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in HTML text.
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A compact interval in percent: one decimal below 10, whole numbers above.
fn pct_range(lo: f64, hi: f64) -> String {
    let (lo, hi) = (lo * 100.0, hi * 100.0);
    if hi < 9.95 {
        format!("{lo:.1}–{hi:.1}")
    } else if lo < 9.95 {
        format!("{lo:.1}–{hi:.0}")
    } else {
        format!("{lo:.0}–{hi:.0}")
    }
}

fn hex(c: &str) -> (f64, f64, f64) {
    let v = u32::from_str_radix(c.trim_start_matches('#'), 16).unwrap_or(0);
    (
        f64::from((v >> 16) & 0xff),
        f64::from((v >> 8) & 0xff),
        f64::from(v & 0xff),
    )
}

/// Dark text on light colours, white on dark ones.
fn text_on(c: &str) -> &'static str {
    let (r, g, b) = hex(c);
    if 0.299 * r + 0.587 * g + 0.114 * b > 150.0 {
        "#1f2328"
    } else {
        "#ffffff"
    }
}

/// Sequential blue scale for the heatmap; `t` in [0, 1].
fn heat(t: f64) -> String {
    let stops = [
        (0.0, (247.0, 251.0, 255.0)),
        (0.35, (158.0, 202.0, 225.0)),
        (0.7, (49.0, 130.0, 189.0)),
        (1.0, (8.0, 48.0, 107.0)),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut k = 0;
    while k + 2 < stops.len() && t > stops[k + 1].0 {
        k += 1;
    }
    let (t0, c0) = stops[k];
    let (t1, c1) = stops[k + 1];
    let f = ((t - t0) / (t1 - t0)).clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * f).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(c0.0, c1.0),
        mix(c0.1, c1.1),
        mix(c0.2, c1.2)
    )
}

/// The Chinese theme name on at most two lines (split before 与, or after four characters).
fn zh_lines(name: &str) -> (String, String) {
    let name: Vec<char> = name.chars().collect();
    if name.len() <= 5 {
        return (name.iter().collect(), String::new());
    }
    let cut = name
        .iter()
        .position(|&c| c == '与')
        .filter(|&p| p > 0)
        .unwrap_or(4);
    (name[..cut].iter().collect(), name[cut..].iter().collect())
}

fn region_label(key: &str) -> &str {
    if key.is_empty() {
        "(no region)"
    } else {
        key
    }
}

/// Per region: documents and distinct years.
struct RegionFacts {
    docs: BTreeSet<String>,
    years: BTreeSet<u16>,
}

fn facts(rows: &[LabelledRow]) -> BTreeMap<String, RegionFacts> {
    let mut m: BTreeMap<String, RegionFacts> = BTreeMap::new();
    for r in rows {
        let e = m.entry(r.region_key()).or_insert_with(|| RegionFacts {
            docs: BTreeSet::new(),
            years: BTreeSet::new(),
        });
        e.docs.insert(r.doc_id.clone());
        if let Some(y) = r.year {
            e.years.insert(y);
        }
    }
    m
}

const CSS: &str = r#"
:root { --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body {
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
    "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, -apple-system,
    "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; line-height: 1.6;
  max-width: 1240px; margin: 0 auto; padding: 28px 32px 64px;
}
h1 { font-size: 28px; margin: 0 0 6px; }
h2 { font-size: 21px; margin: 40px 0 8px; padding-top: 12px; border-top: 1px solid var(--line); }
h3 { font-size: 16px; margin: 0 0 8px; display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
p { margin: 6px 0 10px; }
.lead { color: var(--muted); max-width: 980px; }
.note { color: var(--muted); font-size: 13px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 14px 0;
  padding: 12px 16px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; font-size: 14px; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
nav.toc { font-size: 14px; margin: 10px 0; }
nav.toc a { margin-right: 16px; color: #0969da; text-decoration: none; }
svg { font-family: inherit; max-width: 100%; height: auto; display: block; }
.figure { overflow-x: auto; margin: 10px 0; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 13px; margin: 8px 0 4px; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.sw { display: inline-block; width: 14px; height: 14px; border-radius: 3px; border: 1px solid rgba(0,0,0,.15); flex: none; }
.trends { display: flex; flex-wrap: wrap; gap: 20px; }
.trends figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; max-width: 566px; }
.trends figure p.note { margin: 4px 0 0; }
.trends figcaption { font-weight: 600; font-size: 15px; }
.examples { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 18px; }
.theme-ex { border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; }
.theme-ex h3 small { font-weight: 400; color: var(--muted); font-size: 13px; }
.theme-ex ol { margin: 0; padding-left: 20px; }
.theme-ex li { margin: 0 0 10px; }
.theme-ex blockquote { margin: 0; font-size: 14px; }
.theme-ex .src { margin: 2px 0 0; font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
.empty { color: var(--muted); font-style: italic; font-size: 14px; }
footer { margin-top: 40px; font-size: 12px; color: var(--muted); }
"#;

/// The whole report as one HTML document.
/// `rows` are labelled with the themes of `cb`.
pub fn render(rows: &[LabelledRow], opts: &ReportOptions, cb: &Codebook) -> String {
    let by_region = GroupBy(vec![crate::shares::table::Field::Region]);
    let mut regions = ShareTable::compute(rows, &by_region, opts.weight, cb);
    regions.annotate(
        rows,
        &by_region,
        opts.weight,
        Some(opts.resampling),
        None,
        cb,
    );
    let by_year = GroupBy(vec![
        crate::shares::table::Field::Region,
        crate::shares::table::Field::Year,
    ]);
    let region_years = ShareTable::compute(rows, &by_year, opts.weight, cb);
    let facts = facts(rows);
    let all = ShareTable::compute(rows, &GroupBy(vec![]), opts.weight, cb);
    let overall = all
        .rows
        .first()
        .map_or_else(|| vec![0.0; cb.len()], |r| r.shares.clone());

    let mut h = String::with_capacity(256 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>Policy theme shares · 政策主题注意力</title>\n<style>");
    h.push_str(CSS);
    h.push_str("</style>\n</head>\n<body>\n");
    header(&mut h, rows, opts, &facts, cb);
    h.push_str("<section id=\"heatmap\">\n<h2>Region × theme</h2>\n");
    h.push_str(&format!(
        "<p class=\"lead\">Each cell is the share of the region's labelled {} given to the theme; each row sums to 100%. \
         The small line under each share is its 95% bootstrap interval ({} resamples of the paragraphs within each document): \
         a wide interval means the region has too little text to pin the share down.</p>\n",
        weight_noun(opts.weight),
        opts.resampling.samples
    ));
    heatmap(&mut h, &regions.rows, &facts, cb);
    h.push_str("</section>\n");
    h.push_str("<section id=\"bars\">\n<h2>Shares by region</h2>\n");
    h.push_str("<p class=\"lead\">The same shares as stacked bars: each bar is one region's labelled text, split by theme in codebook order.</p>\n");
    legend(&mut h, cb);
    bars(&mut h, &regions.rows, cb);
    h.push_str("</section>\n");
    trends(&mut h, &region_years.rows, &facts, cb);
    examples(&mut h, rows, opts.examples, &overall, cb);
    h.push_str(&format!(
        "<footer>Generated by policy-themes {}. Self-contained: no scripts, fonts or images are loaded from anywhere.</footer>\n",
        esc(env!("CARGO_PKG_VERSION"))
    ));
    h.push_str("</body>\n</html>\n");
    h
}

fn weight_noun(w: Weight) -> &'static str {
    match w {
        Weight::Chars => "text (characters)",
        Weight::Paragraphs => "paragraphs",
    }
}

fn header(
    h: &mut String,
    rows: &[LabelledRow],
    opts: &ReportOptions,
    facts: &BTreeMap<String, RegionFacts>,
    cb: &Codebook,
) {
    let docs: BTreeSet<&str> = rows.iter().map(|r| r.doc_id.as_str()).collect();
    let years: BTreeSet<u16> = rows.iter().filter_map(|r| r.year).collect();
    let uncertain = rows.iter().filter(|r| r.theme.is_none()).count();
    h.push_str("<header>\n<h1>Policy theme shares <span lang=\"zh\">政策主题注意力</span></h1>\n");
    let scheme = if cb.bundled {
        "the project codebook".to_string()
    } else {
        format!("the codebook {}", esc(&cb.describe()))
    };
    h.push_str(&format!(
        "<p class=\"lead\">Every paragraph of every report carries one of the {} policy themes of {scheme}. \
         A region's <b>share</b> of a theme is the fraction of its labelled {} in paragraphs of that theme: how much of what the \
         government wrote was about it. Shares of a region sum to 100%.</p>\n",
        cb.len(),
        weight_noun(opts.weight)
    ));
    h.push_str("<dl class=\"facts\">\n");
    h.push_str(&format!("<dt>Input</dt><dd>{}</dd>\n", esc(&opts.source)));
    let year_span = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a == b => format!(", {a}"),
        (Some(a), Some(b)) => format!(", {a}–{b}"),
        _ => String::new(),
    };
    h.push_str(&format!(
        "<dt>Text</dt><dd>{} paragraphs in {} documents from {} regions{}</dd>\n",
        rows.len(),
        docs.len(),
        facts.len(),
        year_span
    ));
    if uncertain > 0 {
        h.push_str(&format!(
            "<dt>Uncertain</dt><dd>{uncertain} paragraphs below the confidence threshold, left out of the shares</dd>\n"
        ));
    }
    h.push_str(&format!(
        "<dt>Labels from</dt><dd>{}</dd>\n",
        esc(opts
            .model
            .as_deref()
            .unwrap_or("not recorded (run `report --model MODEL` to name the model)"))
    ));
    h.push_str(&format!(
        "<dt>Weighting</dt><dd>{}</dd>\n",
        match opts.weight {
            Weight::Chars => "characters: long paragraphs count more",
            Weight::Paragraphs => "paragraphs: each paragraph counts once",
        }
    ));
    h.push_str("</dl>\n");
    h.push_str(
        "<nav class=\"toc\"><a href=\"#heatmap\">Heatmap</a><a href=\"#bars\">Stacked bars</a>",
    );
    if facts.values().any(|f| f.years.len() >= 2) {
        h.push_str("<a href=\"#trends\">Year trends</a>");
    }
    if opts.examples > 0 {
        h.push_str("<a href=\"#examples\">Example paragraphs</a>");
    }
    h.push_str("</nav>\n</header>\n");
}

fn legend(h: &mut String, cb: &Codebook) {
    h.push_str("<div class=\"legend\">");
    for t in cb.all() {
        h.push_str(&format!(
            "<span><i class=\"sw\" style=\"background:{}\"></i>{} {}</span>",
            cb.colour(t),
            cb.id(t),
            cb.zh(t)
        ));
    }
    h.push_str("</div>\n");
}

fn heatmap(
    h: &mut String,
    rows: &[ShareRow],
    facts: &BTreeMap<String, RegionFacts>,
    cb: &Codebook,
) {
    const LABEL_W: f64 = 170.0;
    const COL_W: f64 = 78.0;
    const HEAD_H: f64 = 66.0;
    const ROW_H: f64 = 44.0;
    const LEGEND_H: f64 = 64.0;
    let width = LABEL_W + cb.len() as f64 * COL_W + 2.0;
    let grid_h = rows.len() as f64 * ROW_H;
    let height = HEAD_H + grid_h + LEGEND_H;
    let max = rows
        .iter()
        .flat_map(|r| r.shares.iter().copied())
        .fold(0.0f64, f64::max)
        .max(0.01);
    // Scale top: the largest share rounded up to 5 points.
    let top = ((max * 20.0).ceil() / 20.0).min(1.0);
    h.push_str(&format!(
        "<div class=\"figure\"><svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Heatmap of theme shares per region\">\n"
    ));
    h.push_str("<defs><linearGradient id=\"heat-scale\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">");
    for k in 0..=10 {
        let t = k as f64 / 10.0;
        h.push_str(&format!(
            "<stop offset=\"{t}\" stop-color=\"{}\"/>",
            heat(t)
        ));
    }
    h.push_str("</linearGradient></defs>\n");
    for t in cb.all() {
        let x = LABEL_W + (t.index() as f64 + 0.5) * COL_W;
        let (a, b) = zh_lines(cb.zh(t));
        h.push_str(&format!(
            "<text x=\"{x}\" y=\"18\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"600\">{}</text>",
            cb.id(t)
        ));
        h.push_str(&format!(
            "<text x=\"{x}\" y=\"37\" text-anchor=\"middle\" font-size=\"12\" fill=\"#57606a\">{}</text>",
            esc(&a)
        ));
        if !b.is_empty() {
            h.push_str(&format!(
                "<text x=\"{x}\" y=\"54\" text-anchor=\"middle\" font-size=\"12\" fill=\"#57606a\">{}</text>",
                esc(&b)
            ));
        }
        h.push('\n');
    }
    for (i, r) in rows.iter().enumerate() {
        let key = r.key.first().map(String::as_str).unwrap_or("");
        let y = HEAD_H + i as f64 * ROW_H;
        let ndocs = facts.get(key).map_or(0, |f| f.docs.len());
        h.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"15\" font-weight=\"600\">{}</text>",
            LABEL_W - 12.0,
            y + 19.0,
            esc(region_label(key))
        ));
        h.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\" fill=\"#57606a\">{} paras · {} doc{}</text>\n",
            LABEL_W - 12.0,
            y + 35.0,
            r.paragraphs,
            ndocs,
            if ndocs == 1 { "" } else { "s" }
        ));
        for t in cb.all() {
            let s = r.shares[t.index()];
            let x = LABEL_W + t.index() as f64 * COL_W;
            let fill = heat(s / top);
            let ink = text_on(&fill);
            let ci = r.ci.as_ref().map(|c| (c.lo[t.index()], c.hi[t.index()]));
            let tip = match ci {
                Some((lo, hi)) => format!(
                    "{} · {} {}: {} (95% interval {}–{})",
                    region_label(key),
                    cb.id(t),
                    cb.zh(t),
                    pct(s),
                    pct(lo),
                    pct(hi)
                ),
                None => format!(
                    "{} · {} {}: {}",
                    region_label(key),
                    cb.id(t),
                    cb.zh(t),
                    pct(s)
                ),
            };
            h.push_str(&format!(
                "<g><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{COL_W}\" height=\"{ROW_H}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>",
                esc(&tip)
            ));
            // A theme no paragraph has cannot vary: no interval to show.
            let ci = ci.filter(|&(_, hi)| hi > 0.0);
            h.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\" fill=\"{ink}\">{}</text>",
                x + COL_W / 2.0,
                y + if ci.is_some() { 20.0 } else { 27.0 },
                pct(s)
            ));
            if let Some((lo, hi)) = ci {
                h.push_str(&format!(
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" fill=\"{ink}\" fill-opacity=\"0.8\">{}</text>",
                    x + COL_W / 2.0,
                    y + 35.0,
                    pct_range(lo, hi)
                ));
            }
            h.push_str("</g>\n");
        }
    }
    // Legend: the colour scale.
    let ly = HEAD_H + grid_h + 22.0;
    let lw = 260.0;
    h.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" fill=\"#57606a\">share of text</text>",
        LABEL_W - 12.0,
        ly + 12.0
    ));
    h.push_str(&format!(
        "<rect x=\"{LABEL_W}\" y=\"{ly}\" width=\"{lw}\" height=\"14\" fill=\"url(#heat-scale)\" stroke=\"#d0d7de\"/>"
    ));
    // Five steps: the top is a multiple of 5%, so every tick is a whole percent.
    for k in 0..=5 {
        let f = k as f64 / 5.0;
        let x = LABEL_W + f * lw;
        h.push_str(&format!(
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"#57606a\"/>",
            ly + 14.0,
            ly + 19.0
        ));
        h.push_str(&format!(
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#57606a\">{:.0}%</text>",
            ly + 31.0,
            f * top * 100.0
        ));
    }
    h.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#57606a\">Big number: share. Small numbers: 95% bootstrap interval (percent).</text>\n",
        LABEL_W + lw + 24.0,
        ly + 12.0
    ));
    h.push_str("</svg></div>\n");
}

fn bars(h: &mut String, rows: &[ShareRow], cb: &Codebook) {
    const LABEL_W: f64 = 170.0;
    const BAR_W: f64 = 980.0;
    const ROW_H: f64 = 32.0;
    const BAR_H: f64 = 24.0;
    const TOP: f64 = 22.0;
    let width = LABEL_W + BAR_W + 20.0;
    let height = TOP + rows.len() as f64 * ROW_H + 6.0;
    h.push_str(&format!(
        "<div class=\"figure\"><svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Stacked bars of theme shares per region\">\n"
    ));
    for k in 0..=4 {
        let x = LABEL_W + k as f64 / 4.0 * BAR_W;
        h.push_str(&format!(
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"#d0d7de\"/>",
            TOP - 4.0,
            height - 4.0
        ));
        h.push_str(&format!(
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#57606a\">{}%</text>\n",
            TOP - 8.0,
            k * 25
        ));
    }
    for (i, r) in rows.iter().enumerate() {
        let key = r.key.first().map(String::as_str).unwrap_or("");
        let y = TOP + i as f64 * ROW_H + (ROW_H - BAR_H) / 2.0;
        h.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"14\">{}</text>\n",
            LABEL_W - 12.0,
            y + BAR_H / 2.0 + 5.0,
            esc(region_label(key))
        ));
        let mut x = LABEL_W;
        for t in cb.all() {
            let s = r.shares[t.index()];
            if s <= 0.0 {
                continue;
            }
            let w = s * BAR_W;
            let c = cb.colour(t);
            h.push_str(&format!(
                "<g><title>{} · {} {}: {}</title><rect x=\"{x:.2}\" y=\"{y}\" width=\"{w:.2}\" height=\"{BAR_H}\" fill=\"{c}\"/>",
                esc(region_label(key)),
                cb.id(t),
                cb.zh(t),
                pct(s)
            ));
            if w >= 34.0 {
                h.push_str(&format!(
                    "<text x=\"{:.2}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{}\">{:.0}%</text>",
                    x + w / 2.0,
                    y + BAR_H / 2.0 + 4.0,
                    text_on(c),
                    s * 100.0
                ));
            }
            h.push_str("</g>");
            x += w;
        }
        h.push('\n');
    }
    h.push_str("</svg></div>\n");
}

/// A region's shares in one year.
type YearRow<'a> = &'a (u16, &'a ShareRow);

fn trends(h: &mut String, rows: &[ShareRow], facts: &BTreeMap<String, RegionFacts>, cb: &Codebook) {
    // rows are keyed (region, year), sorted.
    let mut per_region: BTreeMap<&str, Vec<(u16, &ShareRow)>> = BTreeMap::new();
    for r in rows {
        let (Some(region), Some(year)) = (r.key.first(), r.key.get(1)) else {
            continue;
        };
        if let Ok(y) = year.parse::<u16>() {
            per_region.entry(region.as_str()).or_default().push((y, r));
        }
    }
    per_region.retain(|_, v| v.len() >= 2);
    if per_region.is_empty() {
        return;
    }
    let year_list = |v: &[&(u16, &ShareRow)]| {
        v.iter()
            .map(|(y, r)| {
                let n = r.paragraphs;
                format!("{y} ({n} paragraph{})", if n == 1 { "" } else { "s" })
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    h.push_str("<section id=\"trends\">\n<h2>Year trend per region</h2>\n");
    h.push_str(&format!(
        "<p class=\"lead\">Regions with text for several years: each line is one theme's share of that year's text, \
         labelled where it ends when the share is at least 4%. Years with fewer than {THIN_YEAR} paragraphs \
         (typically a few short articles) are left out: their shares swing on one or two paragraphs.</p>\n"
    ));
    legend(h, cb);
    h.push_str("<div class=\"trends\">\n");
    let mut too_thin: Vec<String> = Vec::new();
    for (region, years) in &per_region {
        let (kept, thin): (Vec<YearRow>, Vec<YearRow>) =
            years.iter().partition(|(_, r)| r.paragraphs >= THIN_YEAR);
        if kept.len() < 2 {
            too_thin.push(format!(
                "<li><b>{}</b>: {}</li>",
                esc(region_label(region)),
                esc(&year_list(&years.iter().collect::<Vec<_>>()))
            ));
            continue;
        }
        let ndocs = facts.get(*region).map_or(0, |f| f.docs.len());
        h.push_str(&format!(
            "<figure><figcaption>{} <span class=\"note\">{} years · {} documents</span></figcaption>\n",
            esc(region_label(region)),
            kept.len(),
            ndocs
        ));
        let kept: Vec<(u16, &ShareRow)> = kept.into_iter().copied().collect();
        trend_chart(h, region, &kept, cb);
        if !thin.is_empty() {
            h.push_str(&format!(
                "<p class=\"note\">Left out: {}.</p>\n",
                esc(&year_list(&thin))
            ));
        }
        h.push_str("</figure>\n");
    }
    h.push_str("</div>\n");
    if !too_thin.is_empty() {
        h.push_str(&format!(
            "<p class=\"note\">No trend drawn (fewer than two years with {THIN_YEAR} paragraphs or more):</p>\n<ul class=\"note\">{}</ul>\n",
            too_thin.join("")
        ));
    }
    h.push_str("</section>\n");
}

fn trend_chart(h: &mut String, region: &str, years: &[(u16, &ShareRow)], cb: &Codebook) {
    const W: f64 = 540.0;
    const H: f64 = 300.0;
    const L: f64 = 46.0;
    const R: f64 = 120.0;
    const T: f64 = 14.0;
    const B: f64 = 46.0;
    let y_min = years.first().map_or(0, |y| y.0);
    let y_max = years.last().map_or(1, |y| y.0);
    let span = f64::from(y_max.saturating_sub(y_min)).max(1.0);
    let max = years
        .iter()
        .flat_map(|(_, r)| r.shares.iter().copied())
        .fold(0.0f64, f64::max);
    let top = ((max * 10.0).ceil() / 10.0).clamp(0.1, 1.0);
    let px = |y: u16| L + f64::from(y - y_min) / span * (W - L - R);
    let py = |s: f64| T + (1.0 - s / top) * (H - T - B);
    h.push_str(&format!(
        "<svg viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"Theme shares by year, {}\">\n",
        esc(region)
    ));
    let step = if top <= 0.3 { 0.05 } else { 0.1 };
    let mut g = 0.0;
    while g <= top + 1e-9 {
        let y = py(g);
        h.push_str(&format!(
            "<line x1=\"{L}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#eaeef2\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#57606a\">{:.0}%</text>\n",
            W - R,
            L - 6.0,
            y + 4.0,
            g * 100.0
        ));
        g += step;
    }
    for (y, r) in years {
        let x = px(*y);
        h.push_str(&format!(
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{T}\" y2=\"{}\" stroke=\"#eaeef2\"/>",
            H - B
        ));
        h.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"600\">{y}</text>",
            H - B + 17.0
        ));
        h.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#57606a\">{} paras</text>\n",
            H - B + 33.0,
            r.paragraphs
        ));
    }
    // Draw small themes first so the big ones are on top.
    let mut order: Vec<Theme> = cb.all().collect();
    let peak = |t: Theme| {
        years
            .iter()
            .map(|(_, r)| r.shares[t.index()])
            .fold(0.0, f64::max)
    };
    order.sort_by(|a, b| peak(*a).total_cmp(&peak(*b)));
    for &t in &order {
        if peak(t) <= 0.0 {
            continue;
        }
        let c = cb.colour(t);
        let pts: Vec<String> = years
            .iter()
            .map(|(y, r)| format!("{:.1},{:.1}", px(*y), py(r.shares[t.index()])))
            .collect();
        h.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" stroke-linejoin=\"round\"/>",
            pts.join(" ")
        ));
        for (y, r) in years {
            let s = r.shares[t.index()];
            h.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{c}\"><title>{} {y} · {} {}: {} ({} paragraphs)</title></circle>",
                px(*y),
                py(s),
                esc(region_label(region)),
                cb.id(t),
                cb.zh(t),
                pct(s),
                r.paragraphs
            ));
        }
        h.push('\n');
    }
    // End labels, pushed apart so they do not overlap.
    let last = years
        .last()
        .map_or_else(|| vec![0.0; cb.len()], |(_, r)| r.shares.clone());
    let mut labels: Vec<(f64, Theme)> = cb
        .all()
        .filter(|t| last[t.index()] >= 0.04)
        .map(|t| (py(last[t.index()]), t))
        .collect();
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let gap = 13.0;
    for i in 1..labels.len() {
        if labels[i].0 < labels[i - 1].0 + gap {
            labels[i].0 = labels[i - 1].0 + gap;
        }
    }
    let bottom = H - B;
    if let Some(l) = labels.last() {
        let over = l.0 - bottom;
        if over > 0.0 {
            for x in labels.iter_mut() {
                x.0 -= over;
            }
        }
    }
    let lx = W - R + 8.0;
    for (y, t) in labels {
        h.push_str(&format!(
            "<text x=\"{lx}\" y=\"{:.1}\" font-size=\"11\" fill=\"#1f2328\"><tspan fill=\"{}\">■</tspan> {} {:.0}%</text>\n",
            y + 4.0,
            cb.colour(t),
            cb.id(t),
            last[t.index()] * 100.0
        ));
    }
    h.push_str("</svg>\n");
}

/// Truncate to `n` characters, adding an ellipsis.
fn clip(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n).collect();
        out.push('…');
        out
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

fn examples(h: &mut String, rows: &[LabelledRow], n: usize, overall: &[f64], cb: &Codebook) {
    if n == 0 {
        return;
    }
    h.push_str("<section id=\"examples\">\n<h2>Example paragraphs</h2>\n");
    h.push_str("<p class=\"lead\">For each theme, the paragraphs the model was most sure about (preferring full paragraphs over headings, and different documents), with where they come from: a check that the theme means what its name says.</p>\n");
    h.push_str("<div class=\"examples\">\n");
    for t in cb.all() {
        let count = rows.iter().filter(|r| r.theme == Some(t)).count();
        h.push_str(&format!(
            "<div class=\"theme-ex\" id=\"theme-{}\"><h3><i class=\"sw\" style=\"background:{}\"></i>{} · {} <small>{} paragraphs, {} of all labelled text</small></h3>\n",
            cb.id(t),
            cb.colour(t),
            cb.id(t),
            cb.zh(t),
            count,
            pct(overall[t.index()])
        ));
        let ex = top_examples(rows, t, n);
        if ex.is_empty() {
            h.push_str("<p class=\"empty\">No paragraph carries this theme.</p>\n");
        } else {
            h.push_str("<ol>\n");
            for r in ex {
                let year = r.year.map(|y| format!(" {y}")).unwrap_or_default();
                h.push_str(&format!(
                    "<li><blockquote>{}</blockquote><p class=\"src\">{}{} · {} ¶{} · confidence {:.2}</p></li>\n",
                    esc(&clip(&r.text, 240)),
                    esc(region_label(&r.region_key())),
                    year,
                    esc(&r.doc_id),
                    r.para_id,
                    r.confidence
                ));
            }
            h.push_str("</ol>\n");
        }
        h.push_str("</div>\n");
    }
    h.push_str("</div>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(doc: &str, region: &str, year: u16, theme: Theme, conf: f64, text: &str) -> LabelledRow {
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

    #[test]
    fn escapes_markup_in_text() {
        assert_eq!(esc("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(esc("a\u{0}b"), "a b");
    }

    #[test]
    fn heat_scale_runs_light_to_dark() {
        assert_eq!(heat(0.0), "#f7fbff");
        assert_eq!(heat(1.0), "#08306b");
        assert_eq!(heat(f64::NAN), "#f7fbff");
        assert_eq!(text_on(&heat(1.0)), "#ffffff");
        assert_eq!(text_on(&heat(0.0)), "#1f2328");
    }

    #[test]
    fn theme_names_split_into_two_short_lines() {
        let cb = Codebook::bundled().unwrap();
        assert_eq!(
            zh_lines(cb.zh(Theme::Investment)),
            ("招商引资".to_string(), "与对外开放".to_string())
        );
        assert_eq!(
            zh_lines(cb.zh(Theme::Poverty)),
            ("脱贫攻坚".to_string(), String::new())
        );
        for t in cb.all() {
            let (a, b) = zh_lines(cb.zh(t));
            assert_eq!(format!("{a}{b}"), cb.zh(t));
            assert!(a.chars().count() <= 5 && b.chars().count() <= 5, "{t:?}");
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
    fn report_holds_regions_themes_and_escaped_text() {
        let rows = vec![
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
        let opts = ReportOptions {
            source: "in<put>.csv".into(),
            model: None,
            weight: Weight::Chars,
            examples: 3,
            resampling: Resampling {
                samples: 50,
                seed: 1,
            },
        };
        let cb = Codebook::bundled().unwrap();
        let html = render(&rows, &opts, &cb);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("in&lt;put&gt;.csv"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        for s in ["甲市", "乙县", "id=\"trends\""] {
            assert!(html.contains(s), "{s}");
        }
        for t in cb.all() {
            assert!(html.contains(cb.id(t)) && html.contains(cb.zh(t)), "{t:?}");
        }
        assert!(html.contains("one of the 13 policy themes of the project codebook"));
        assert!(!html.contains("http://") && !html.contains("https://"));
    }
}

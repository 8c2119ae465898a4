//! SVG charts: each theme's ranking of the rows (small multiples), year
//! trends of one kind of document, and the learning curve. Every point has
//! its interval drawn; themes are told apart by position and name, never
//! by colour alone.

use std::collections::BTreeMap;

use maud::{html, Markup};

use super::heatmap::{region_label, Line};
use super::scales::{pct, pct_range};
use super::{kind_label, share_words, ReportOptions};
use crate::codebook::Codebook;
use crate::eval::learning::CurvePoint;
use crate::labelling::rows::LabelledRow;
use crate::shares::table::{Field, GroupBy, ShareRow, ShareTable};

/// Years with fewer paragraphs than this are drawn hollow in the trends.
const THIN_YEAR: usize = 20;
/// Years with fewer paragraphs than this are left out of the trends (and
/// listed): a share of one or two paragraphs is 0% or 100% and flattens
/// every other point onto the axis.
const MIN_YEAR: usize = 5;

const INK: &str = "#08306b";
const BAR: &str = "#c6dbef";
const GRID: &str = "#d8dee4";
const MUTED: &str = "#57606a";

/// A round top for a 0..top axis: the next 5 points (10 above 50%).
fn nice_top(max: f64) -> f64 {
    let step = if max > 0.5 { 0.1 } else { 0.05 };
    ((max / step).ceil() * step).clamp(step, 1.0)
}

fn f1(x: f64) -> String {
    format!("{x:.1}")
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n - 1).collect();
        out.push('…');
        out
    }
}

/// Rows by their share of theme `i`, largest first (display order on ties).
fn ranked<'a, 'b>(lines: &[&'a Line<'b>], i: usize) -> Vec<&'a Line<'b>> {
    let mut order = lines.to_vec();
    order.sort_by(|a, b| {
        b.share.shares[i]
            .total_cmp(&a.share.shares[i])
            .then(a.index.cmp(&b.index))
    });
    order
}

/// One card per theme: every row's share with its interval, largest first
/// (the ranking that sorting the heatmap by the theme would give).
pub fn multiples(lines: &[Line], opts: &ReportOptions, cb: &Codebook) -> Markup {
    const W: f64 = 360.0;
    const LW: f64 = 122.0;
    const VW: f64 = 78.0;
    const RH: f64 = 18.0;
    const TOP: f64 = 4.0;
    const AXIS: f64 = 22.0;
    let shown: Vec<&Line> = lines.iter().filter(|l| !l.share.is_empty()).collect();
    html! {
        section #bars {
            h2 { "Each theme, rows ranked" }
            p.lead {
                "One card per theme: each row's share of its labelled " (super::weight_noun(opts.weight))
                " as a bar, with a dot at the share and a line over its 95% interval, the largest first. "
                "Each bar links to its paragraphs."
            }
            div.cards {
                @for t in cb.all() {
                    @let i = t.index();
                    @let order = ranked(&shown, i);
                    @let top = nice_top(order.iter().map(|l| l.ci(i).map_or(l.share.shares[i], |c| c.1)).fold(0.0, f64::max));
                    @let x = |v: f64| LW + (v / top).clamp(0.0, 1.0) * (W - LW - VW);
                    @let h = TOP + order.len() as f64 * RH + AXIS;
                    div.card id={ "theme-" (cb.id(t)) } {
                        // The codebook's colour names the theme beside its id; no
                        // chart reads meaning from it (colour-blind readers lose nothing).
                        h3 { i.sw style={ "background:" (cb.colour(t)) } {} (cb.id(t)) " · " (cb.zh(t)) " " small { (super::english(cb, t)) } }
                        svg viewBox={ "0 0 " (W) " " (f1(h)) } width=(W) height=(f1(h)) role="img"
                            aria-label={ "Share of " (cb.id(t)) " per row, with 95% intervals" } {
                            @for k in 0..=2 {
                                @let gx = x(top * k as f64 / 2.0);
                                line x1=(f1(gx)) x2=(f1(gx)) y1=(TOP) y2=(f1(h - AXIS + 4.0)) stroke=(GRID) {}
                                text x=(f1(gx)) y=(f1(h - 6.0)) text-anchor="middle" font-size="10" fill=(MUTED) {
                                    (format!("{:.0}%", top * k as f64 / 2.0 * 100.0))
                                }
                            }
                            @for (j, l) in order.iter().enumerate() {
                                @let y = TOP + j as f64 * RH;
                                @let s = l.share.shares[i];
                                @let (lo, hi) = l.ci(i).unwrap_or((s, s));
                                a href={ "#p-" (l.index) "-" (cb.id(t)) } {
                                    g {
                                        title { (l.short_label()) ": " (share_words(s, l.ci(i))) }
                                        text x=(LW - 4.0) y=(f1(y + 13.0)) text-anchor="end" font-size="11" fill="#1f2328" {
                                            (clip(&l.short_label(), 11))
                                        }
                                        rect x=(LW) y=(f1(y + 4.0)) width=(f1(x(s) - LW)) height="10" fill=(BAR) {}
                                        line x1=(f1(x(lo))) x2=(f1(x(hi) + 0.01)) y1=(f1(y + 9.0)) y2=(f1(y + 9.0))
                                            stroke=(INK) stroke-width="2" stroke-linecap="round" {}
                                        circle cx=(f1(x(s))) cy=(f1(y + 9.0)) r="3" fill=(INK) {}
                                        text x=(W - VW + 6.0) y=(f1(y + 13.0)) font-size="10.5" fill="#1f2328" {
                                            (pct(s)) " " tspan fill=(MUTED) { (pct_range(lo, hi)) }
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

/// Year trends: one card per region and kind of document with two years or
/// more, one small line chart per theme, an interval on every point.
pub fn trends(rows: &[LabelledRow], opts: &ReportOptions, cb: &Codebook) -> Markup {
    let by = GroupBy(vec![Field::Region, Field::Kind, Field::Year]);
    let mut table = ShareTable::compute(rows, &by, opts.weight, cb);
    table.annotate(rows, &by, opts.weight, Some(opts.resampling), None, cb);
    let mut series: BTreeMap<(String, String), Vec<(u16, &ShareRow)>> = BTreeMap::new();
    let mut left_out: Vec<String> = Vec::new();
    for r in &table.rows {
        let (Some(region), Some(kind), Some(year)) = (r.key.first(), r.key.get(1), r.key.get(2))
        else {
            continue;
        };
        if let Ok(y) = year.parse::<u16>() {
            if r.paragraphs < MIN_YEAR {
                left_out.push(format!(
                    "{} · {} {y} ({} paragraph{})",
                    region_label(region),
                    kind_label(kind).0,
                    r.paragraphs,
                    if r.paragraphs == 1 { "" } else { "s" }
                ));
            } else if !r.is_empty() {
                series
                    .entry((region.clone(), kind.clone()))
                    .or_default()
                    .push((y, r));
            }
        }
    }
    let (drawn, single): (Vec<_>, Vec<_>) = series.into_iter().partition(|(_, v)| v.len() >= 2);
    html! {
        section #trends {
            h2 { "Year trends, one kind of document at a time" }
            p.lead {
                "Rows with text for two years or more of the same kind of document (a work report is never set against a "
                "plan report or an article). Each theme has its own strip on a shared scale: a dot per year with its 95% interval. "
                "Years of fewer than " (THIN_YEAR) " paragraphs are drawn hollow: one or two paragraphs swing their shares, "
                "and an interval from one short document understates that."
            }
            @if drawn.is_empty() {
                p.empty { "No region has two years of the same kind of document, so no trend is drawn." }
            }
            div.cards.trends {
                @for ((region, kind), years) in &drawn {
                    div.card {
                        h3 { (region_label(region)) " · " (kind_label(kind).0) " " small { (years.len()) " years" } }
                        (trend_chart(years, cb))
                    }
                }
            }
            @if !left_out.is_empty() {
                p.note { "Left out (under " (MIN_YEAR) " paragraphs): " (left_out.join("; ")) "." }
            }
            @if !single.is_empty() {
                p.note {
                    "One year only (no trend): "
                    @for (k, ((region, kind), years)) in single.iter().enumerate() {
                        @if k > 0 { "; " }
                        (region_label(region)) " · " (kind_label(kind).0) " "
                        @for (y, _) in years { (y) }
                    }
                    "."
                }
            }
        }
    }
}

fn trend_chart(years: &[(u16, &ShareRow)], cb: &Codebook) -> Markup {
    const W: f64 = 360.0;
    const LW: f64 = 64.0;
    const RW: f64 = 48.0;
    const RH: f64 = 28.0;
    const AXIS: f64 = 34.0;
    let n = cb.len();
    let top = nice_top(
        years
            .iter()
            .flat_map(|(_, r)| (0..n).map(move |t| r.ci.as_ref().map_or(r.shares[t], |c| c.hi[t])))
            .fold(0.0, f64::max),
    );
    let y0 = years.first().map_or(0, |y| y.0);
    let y1 = years.last().map_or(1, |y| y.0);
    let span = f64::from(y1.saturating_sub(y0)).max(1.0);
    let px = |y: u16| LW + 8.0 + f64::from(y - y0) / span * (W - LW - RW - 16.0);
    let h = n as f64 * RH + AXIS;
    html! {
        svg viewBox={ "0 0 " (W) " " (f1(h)) } width=(W) height=(f1(h)) role="img" aria-label="Theme shares by year with 95% intervals" {
            @for t in cb.all() {
                @let i = t.index();
                @let base = (i as f64 + 1.0) * RH - 3.0;
                @let py = |s: f64| base - (s / top).clamp(0.0, 1.0) * (RH - 6.0);
                line x1=(LW) x2=(W - RW) y1=(f1(base)) y2=(f1(base)) stroke=(GRID) {}
                text x=(LW - 4.0) y=(f1(base - 4.0)) text-anchor="end" font-size="11" fill="#1f2328" { (cb.short(t)) }
                polyline fill="none" stroke=(INK) stroke-opacity="0.5" stroke-width="1.2"
                    points=(years.iter().map(|(y, r)| format!("{:.1},{:.1}", px(*y), py(r.shares[i]))).collect::<Vec<_>>().join(" ")) {}
                @for (y, r) in years {
                    @let s = r.shares[i];
                    @let (lo, hi) = r.ci.as_ref().map_or((s, s), |c| (c.lo[i], c.hi[i]));
                    g {
                        title { (cb.id(t)) " " (y) ": " (share_words(s, Some((lo, hi)))) ", " (r.paragraphs) " paragraphs" }
                        line x1=(f1(px(*y))) x2=(f1(px(*y))) y1=(f1(py(lo) + 0.01)) y2=(f1(py(hi))) stroke=(INK) stroke-width="1.6" {}
                        @if r.paragraphs < THIN_YEAR {
                            circle cx=(f1(px(*y))) cy=(f1(py(s))) r="3" fill="#ffffff" stroke=(INK) stroke-width="1.4" {}
                        } @else {
                            circle cx=(f1(px(*y))) cy=(f1(py(s))) r="3" fill=(INK) {}
                        }
                    }
                }
                @if let Some((_, last)) = years.last() {
                    text x=(W - RW + 4.0) y=(f1(base - 4.0)) font-size="10.5" fill=(MUTED) { (pct(last.shares[i])) }
                }
            }
            @for (y, r) in years {
                text x=(f1(px(*y))) y=(f1(h - 18.0)) text-anchor="middle" font-size="11" font-weight="600" fill="#1f2328" { (y) }
                text x=(f1(px(*y))) y=(f1(h - 5.0)) text-anchor="middle" font-size="10" fill=(MUTED) { (r.paragraphs) " ¶" }
            }
            text x=(LW) y=(f1(h - 5.0)) font-size="10" fill=(MUTED) text-anchor="end" { "0–" (format!("{:.0}%", top * 100.0)) }
        }
    }
}

/// One panel of the learning curve: a value and its interval per step.
fn curve_panel(title: &str, points: &[(f64, f64, f64, f64)], fmt: fn(f64) -> String) -> Markup {
    const W: f64 = 360.0;
    const H: f64 = 220.0;
    const L: f64 = 46.0;
    const R: f64 = 14.0;
    const T: f64 = 12.0;
    const B: f64 = 36.0;
    let xmax = points.iter().map(|p| p.0).fold(0.0, f64::max).max(1.0);
    let ymax = points.iter().map(|p| p.3.max(p.1)).fold(0.0, f64::max);
    let ymin = points
        .iter()
        .map(|p| p.2.min(p.1))
        .fold(f64::INFINITY, f64::min);
    let (ymin, ymax) = if ymin.is_finite() && ymax > ymin {
        let pad = (ymax - ymin) * 0.1;
        ((ymin - pad).max(0.0), ymax + pad)
    } else {
        (0.0, ymax.max(1.0))
    };
    let px = |x: f64| L + x / xmax * (W - L - R);
    let py = |y: f64| T + (1.0 - (y - ymin) / (ymax - ymin)) * (H - T - B);
    html! {
        div.card {
            h3 { (title) }
            svg viewBox={ "0 0 " (W) " " (H) } width=(W) height=(H) role="img" aria-label=(title) {
                @for k in 0..=4 {
                    @let v = ymin + (ymax - ymin) * k as f64 / 4.0;
                    line x1=(L) x2=(W - R) y1=(f1(py(v))) y2=(f1(py(v))) stroke=(GRID) {}
                    text x=(L - 4.0) y=(f1(py(v) + 4.0)) text-anchor="end" font-size="10" fill=(MUTED) { (fmt(v)) }
                }
                polyline fill="none" stroke=(INK) stroke-opacity="0.5" stroke-width="1.2"
                    points=(points.iter().map(|p| format!("{:.1},{:.1}", px(p.0), py(p.1))).collect::<Vec<_>>().join(" ")) {}
                @for p in points {
                    g {
                        title { (format!("{:.0}", p.0)) " labels: " (fmt(p.1)) " (95% interval " (fmt(p.2)) "–" (fmt(p.3)) ")" }
                        line x1=(f1(px(p.0))) x2=(f1(px(p.0))) y1=(f1(py(p.2) + 0.01)) y2=(f1(py(p.3))) stroke=(INK) stroke-width="1.6" {}
                        circle cx=(f1(px(p.0))) cy=(f1(py(p.1))) r="3" fill=(INK) {}
                        text x=(f1(px(p.0))) y=(f1(H - B + 14.0)) text-anchor="middle" font-size="10" fill=(MUTED) { (format!("{:.0}", p.0)) }
                    }
                }
                text x=(f1((L + W - R) / 2.0)) y=(f1(H - 6.0)) text-anchor="middle" font-size="11" fill="#1f2328" { "labels per training fold" }
            }
        }
    }
}

/// `eval --learning-curve`'s steps: macro-F1 and share error against labels.
pub fn learning_curve(points: &[CurvePoint]) -> Markup {
    let f1s: Vec<(f64, f64, f64, f64)> = points
        .iter()
        .map(|p| (p.labels, p.macro_f1, p.macro_f1_low, p.macro_f1_high))
        .collect();
    let errs: Vec<(f64, f64, f64, f64)> = points
        .iter()
        .map(|p| {
            (
                p.labels,
                p.share_error_pp,
                p.share_error_low,
                p.share_error_high,
            )
        })
        .collect();
    html! {
        section #curve {
            h2 { "Learning curve" }
            p.lead {
                "Grouped cross-validation with each training fold cut to a fraction of its labels (from "
                code { "eval --learning-curve" } "): the mean over repeats with its 95% interval. A curve still rising "
                "at the right says more labels would still pay."
            }
            div.cards {
                (curve_panel("Macro-F1", &f1s, |v| format!("{v:.3}")))
                (curve_panel("Share error per document (percentage points)", &errs, |v| format!("{v:.2}")))
            }
            table.plain {
                thead { tr { th { "labels" } th { "fraction" } th { "repeats" } th { "macro-F1 (95% interval)" } th { "share error pp (95% interval)" } } }
                tbody {
                    @for p in points {
                        tr {
                            td.n { (format!("{:.0}", p.labels)) }
                            td.n { (format!("{:.0}%", p.fraction * 100.0)) }
                            td.n { (p.repeats) }
                            td.n { (format!("{:.3} ({:.3}–{:.3})", p.macro_f1, p.macro_f1_low, p.macro_f1_high)) }
                            td.n { (format!("{:.2} ({:.2}–{:.2})", p.share_error_pp, p.share_error_low, p.share_error_high)) }
                        }
                    }
                }
            }
        }
    }
}

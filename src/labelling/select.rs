//! Which paragraphs to label next: the choice behind `sample` and `annotate`.
//!
//! Two regimes. At a cold start (no model yet) the choice is spread: round
//! robin over strata of region × year, over the documents inside each, and
//! over the sections inside each document, so the first labels cover the
//! corpus instead of its first file. Once a model exists the most
//! informative paragraphs come first (smallest margin between the two most
//! probable themes, the usual uncertainty measure of active learning),
//! weighed up when the predicted theme is rare among the labels so far, and
//! kept diverse: at most a fair share per document in one round and no
//! near-duplicate (character-bigram Jaccard) of a paragraph already chosen.
//!
//! The functions here see themes only as indices into probability vectors,
//! so any codebook works.

use std::collections::{HashMap, HashSet};

/// One paragraph that may be proposed.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub doc_id: &'a str,
    pub para_id: usize,
    /// Empty when unknown.
    pub region: &'a str,
    pub year: Option<u16>,
    pub section: &'a str,
    pub text: &'a str,
}

/// How to choose.
#[derive(Debug, Clone)]
pub struct SelectParams {
    /// How many paragraphs to choose.
    pub n: usize,
    /// Breaks ties and orders the cold start; the same seed gives the same choice.
    pub seed: u64,
    /// Two paragraphs whose character-bigram sets overlap more than this
    /// (Jaccard) are near-duplicates: only the first is chosen.
    pub max_similarity: f64,
    /// Paragraphs shorter than this (characters) are proposed only when
    /// nothing longer is left: a heading alone says little about its theme
    /// that its section does not.
    pub min_chars: usize,
}

impl Default for SelectParams {
    fn default() -> Self {
        SelectParams {
            n: 50,
            seed: 1,
            max_similarity: 0.6,
            min_chars: 12,
        }
    }
}

/// Why a paragraph was chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reason {
    /// Cold start: spread over strata, documents and sections.
    Spread,
    /// The model is unsure: `margin` between its two most probable themes.
    Uncertain { margin: f64 },
}

/// One chosen paragraph: its index in the candidates and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pick {
    pub index: usize,
    pub reason: Reason,
}

/// A deterministic 64-bit mix (splitmix64's first output from state `z`): a
/// stable per-item random key from the seed, with no state to carry.
fn mix(z: u64) -> u64 {
    crate::rng::SplitMix64::new(z).next_u64()
}

/// A stable pseudo-random key of a paragraph under a seed.
pub fn stable_key(seed: u64, doc_id: &str, para_id: usize) -> u64 {
    let mut h = mix(seed);
    for b in doc_id.bytes() {
        h = mix(h ^ u64::from(b));
    }
    mix(h ^ para_id as u64)
}

/// Character bigrams of a paragraph, hashed: what near-duplicates share.
fn bigrams(text: &str) -> HashSet<u64> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    chars
        .windows(2)
        .map(|w| (u64::from(w[0] as u32) << 32) | u64::from(w[1] as u32))
        .collect()
}

fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count() as f64;
    inter / ((a.len() + b.len()) as f64 - inter)
}

/// Keeps chosen paragraphs' bigram sets to refuse near-duplicates.
struct Diversity {
    max: f64,
    chosen: Vec<HashSet<u64>>,
}

impl Diversity {
    fn admits(&self, set: &HashSet<u64>) -> bool {
        self.chosen.iter().all(|c| jaccard(c, set) <= self.max)
    }
}

/// The cold-start choice: spread over region × year strata, their
/// documents and the documents' sections; `labelled` are skipped and count
/// toward the strata, documents and sections they belong to, so a second
/// round fills what the first left thin.
pub fn spread(
    cands: &[Candidate],
    labelled: &HashSet<(&str, usize)>,
    params: &SelectParams,
) -> Vec<Pick> {
    // stratum -> documents -> sections -> candidate indices (in key order).
    type Sections<'a> = Vec<(&'a str, Vec<usize>)>;
    let mut strata: HashMap<(&str, Option<u16>), Vec<&str>> = HashMap::new();
    let mut docs: HashMap<&str, Sections> = HashMap::new();
    // Count of labelled paragraphs per stratum, document and (document, section).
    let mut done_stratum: HashMap<(&str, Option<u16>), usize> = HashMap::new();
    let mut done_doc: HashMap<&str, usize> = HashMap::new();
    let mut done_section: HashMap<(&str, &str), usize> = HashMap::new();
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by_key(|&i| stable_key(params.seed, cands[i].doc_id, cands[i].para_id));
    for &i in &order {
        let c = &cands[i];
        let stratum = (c.region, c.year);
        if labelled.contains(&(c.doc_id, c.para_id)) {
            *done_stratum.entry(stratum).or_default() += 1;
            *done_doc.entry(c.doc_id).or_default() += 1;
            *done_section.entry((c.doc_id, c.section)).or_default() += 1;
            continue;
        }
        let sections = docs.entry(c.doc_id).or_insert_with(|| {
            strata.entry(stratum).or_default().push(c.doc_id);
            Vec::new()
        });
        match sections.iter_mut().find(|(s, _)| *s == c.section) {
            Some((_, v)) => v.push(i),
            None => sections.push((c.section, vec![i])),
        }
    }
    // Short paragraphs go to the back of their section's queue.
    for sections in docs.values_mut() {
        for (_, v) in sections.iter_mut() {
            v.sort_by_key(|&i| usize::from(cands[i].text.chars().count() < params.min_chars));
            v.reverse(); // popped from the back
        }
    }
    let mut picks = Vec::new();
    let mut diversity = Diversity {
        max: params.max_similarity,
        chosen: Vec::new(),
    };
    let mut stratum_keys: Vec<(&str, Option<u16>)> = strata.keys().copied().collect();
    stratum_keys.sort();
    while picks.len() < params.n {
        // The thinnest stratum, then its thinnest document, then that
        // document's thinnest section.
        let Some(stratum) = stratum_keys
            .iter()
            .filter(|s| strata[*s].iter().any(|d| has_any(&docs[d])))
            .min_by_key(|s| {
                (
                    done_stratum.get(*s).copied().unwrap_or(0),
                    // At equal counts, a stratum with a document not yet sampled first.
                    !strata[*s].iter().any(|d| !done_doc.contains_key(d)),
                    stable_key(params.seed, s.0, usize::from(s.1.unwrap_or(0))),
                )
            })
            .copied()
        else {
            break;
        };
        let Some(doc) = strata[&stratum]
            .iter()
            .filter(|d| has_any(&docs[*d]))
            .min_by_key(|d| {
                (
                    done_doc.get(*d).copied().unwrap_or(0),
                    stable_key(params.seed, d, 0),
                )
            })
            .copied()
        else {
            break;
        };
        let sections = docs
            .get_mut(doc)
            .map(|s| s.as_mut_slice())
            .unwrap_or(&mut []);
        let Some((section, queue)) = sections
            .iter_mut()
            .filter(|(_, v)| !v.is_empty())
            .min_by_key(|(s, v)| {
                (
                    done_section.get(&(doc, *s)).copied().unwrap_or(0),
                    v.last().map(|&i| stable_key(params.seed, doc, i)),
                )
            })
        else {
            break;
        };
        let section: &str = section;
        let Some(i) = queue.pop() else { break };
        // A near-duplicate is dropped without counting: its stratum,
        // document and section are still owed a paragraph.
        let set = bigrams(cands[i].text);
        if !diversity.admits(&set) {
            continue;
        }
        *done_stratum.entry(stratum).or_default() += 1;
        *done_doc.entry(doc).or_default() += 1;
        *done_section.entry((doc, section)).or_default() += 1;
        diversity.chosen.push(set);
        picks.push(Pick {
            index: i,
            reason: Reason::Spread,
        });
    }
    picks
}

fn has_any(sections: &[(&str, Vec<usize>)]) -> bool {
    sections.iter().any(|(_, v)| !v.is_empty())
}

/// The margin between the two most probable themes: 0 when the model cannot
/// tell them apart, 1 when it is sure.
pub fn margin(probs: &[f64]) -> f64 {
    let (mut a, mut b) = (0.0f64, 0.0f64);
    for &p in probs {
        if p > a {
            b = a;
            a = p;
        } else if p > b {
            b = p;
        }
    }
    a - b
}

fn argmax(probs: &[f64]) -> usize {
    let mut best = 0;
    for (i, &p) in probs.iter().enumerate() {
        if p > probs[best] {
            best = i;
        }
    }
    best
}

/// The model-guided choice. `probs[i]` are the calibrated probabilities of
/// candidate `i` over the codebook's themes; `label_counts[t]` how many
/// labels theme `t` has so far. Already-labelled candidates are never chosen.
pub fn informative(
    cands: &[Candidate],
    probs: &[Vec<f64>],
    label_counts: &[usize],
    labelled: &HashSet<(&str, usize)>,
    params: &SelectParams,
) -> Vec<Pick> {
    let themes = label_counts.len().max(1);
    let mut scored: Vec<(f64, u64, usize)> = (0..cands.len())
        .filter(|&i| !labelled.contains(&(cands[i].doc_id, cands[i].para_id)))
        .filter_map(|i| {
            let p = probs.get(i)?;
            let short = cands[i].text.chars().count() < params.min_chars;
            let s = (1.0 - margin(p)) * if short { 0.1 } else { 1.0 };
            Some((
                s,
                stable_key(params.seed, cands[i].doc_id, cands[i].para_id),
                i,
            ))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));

    let docs: HashSet<&str> = scored.iter().map(|&(_, _, i)| cands[i].doc_id).collect();
    // A fair share per document, so one hard document does not take the round.
    let cap = params.n.div_ceil(docs.len().max(1)).max(1);
    // One queue per predicted theme, least sure first; the round takes from
    // the queues in turn, themes with the fewest labels first, so a round
    // spends its labels across the themes the model confuses instead of on
    // the one large theme it is unsure about most often (macro-F1 and the
    // shares of small themes are what the labels are for).
    let mut queues: Vec<std::collections::VecDeque<usize>> =
        vec![Default::default(); themes.max(probs.first().map_or(0, |p| p.len()))];
    for &(_, _, i) in &scored {
        queues[argmax(&probs[i])].push_back(i);
    }
    let mut theme_order: Vec<usize> = (0..queues.len()).collect();
    theme_order.sort_by_key(|&t| (label_counts.get(t).copied().unwrap_or(0), t));
    let mut per_doc: HashMap<&str, usize> = HashMap::new();
    let mut diversity = Diversity {
        max: params.max_similarity,
        chosen: Vec::new(),
    };
    let mut picks = Vec::new();
    let mut taken = vec![false; cands.len()];
    let mut take = |i: usize, picks: &mut Vec<Pick>, capped: bool| -> bool {
        if taken[i] {
            return false;
        }
        let n = per_doc.get(cands[i].doc_id).copied().unwrap_or(0);
        if capped && n >= cap {
            return false;
        }
        let set = bigrams(cands[i].text);
        if !diversity.admits(&set) {
            return false;
        }
        diversity.chosen.push(set);
        taken[i] = true;
        *per_doc.entry(cands[i].doc_id).or_default() += 1;
        picks.push(Pick {
            index: i,
            reason: Reason::Uncertain {
                margin: margin(&probs[i]),
            },
        });
        true
    };
    // Round robin over the themes' queues under the per-document cap ...
    while picks.len() < params.n && queues.iter().any(|q| !q.is_empty()) {
        for &t in &theme_order {
            if picks.len() >= params.n {
                break;
            }
            while let Some(i) = queues[t].pop_front() {
                if take(i, &mut picks, true) {
                    break;
                }
            }
        }
    }
    // ... then, when the cap left the round short, by uncertainty alone.
    for &(_, _, i) in &scored {
        if picks.len() >= params.n {
            break;
        }
        take(i, &mut picks, false);
    }
    picks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand<'a>(
        doc: &'a str,
        para: usize,
        region: &'a str,
        section: &'a str,
        text: &'a str,
    ) -> Candidate<'a> {
        Candidate {
            doc_id: doc,
            para_id: para,
            region,
            year: Some(2022),
            section,
            text,
        }
    }

    const TEXTS: [&str; 6] = [
        "推进乡村振兴战略，建设高标准农田十万亩，粮食产量稳定。",
        "深化放管服改革，优化营商环境，企业开办时间压缩到一天。",
        "加强生态环境保护，打好蓝天碧水净土保卫战，空气质量改善。",
        "招商引资成效明显，签约项目一百二十个，到位资金三百亿元。",
        "办好民生实事，新增城镇就业两万人，养老服务体系更加完善。",
        "推动科技创新，新认定高新技术企业五十家，研发投入增长。",
    ];

    #[test]
    fn spread_covers_every_stratum_before_repeating_one() {
        let mut cands = Vec::new();
        // Region A has 3 documents of 6 paragraphs, region B one.
        for (d, region) in [("a1", "A"), ("a2", "A"), ("a3", "A"), ("b1", "B")] {
            for (p, t) in TEXTS.iter().enumerate() {
                cands.push(cand(d, p, region, if p < 3 { "review" } else { "plan" }, t));
            }
        }
        let picks = spread(
            &cands,
            &HashSet::new(),
            &SelectParams {
                n: 4,
                ..Default::default()
            },
        );
        let regions: Vec<&str> = picks.iter().map(|p| cands[p.index].region).collect();
        assert_eq!(
            regions.iter().filter(|r| **r == "B").count(),
            2,
            "{regions:?}"
        );
        let docs: HashSet<&str> = picks.iter().map(|p| cands[p.index].doc_id).collect();
        assert_eq!(docs.len(), 3, "{docs:?}");
    }

    #[test]
    fn spread_alternates_sections_inside_a_document() {
        let cands: Vec<Candidate> = TEXTS
            .iter()
            .enumerate()
            .map(|(p, t)| cand("d", p, "A", if p < 3 { "review" } else { "plan" }, t))
            .collect();
        let picks = spread(
            &cands,
            &HashSet::new(),
            &SelectParams {
                n: 2,
                ..Default::default()
            },
        );
        let sections: HashSet<&str> = picks.iter().map(|p| cands[p.index].section).collect();
        assert_eq!(sections.len(), 2);
    }

    #[test]
    fn labelled_paragraphs_are_never_proposed_again() {
        let cands: Vec<Candidate> = TEXTS
            .iter()
            .enumerate()
            .map(|(p, t)| cand("d", p, "A", "review", t))
            .collect();
        let labelled: HashSet<(&str, usize)> = [("d", 0), ("d", 3)].into_iter().collect();
        let all = spread(
            &cands,
            &labelled,
            &SelectParams {
                n: 10,
                ..Default::default()
            },
        );
        assert_eq!(all.len(), 4);
        assert!(all
            .iter()
            .all(|p| ![0, 3].contains(&cands[p.index].para_id)));
        let probs = vec![vec![0.5, 0.5]; cands.len()];
        let inf = informative(
            &cands,
            &probs,
            &[1, 1],
            &labelled,
            &SelectParams {
                n: 10,
                ..Default::default()
            },
        );
        assert_eq!(inf.len(), 4);
        assert!(inf
            .iter()
            .all(|p| ![0, 3].contains(&cands[p.index].para_id)));
    }

    #[test]
    fn informative_takes_the_least_sure_first_and_caps_each_document() {
        let mut cands = Vec::new();
        for d in ["x", "y"] {
            for (p, t) in TEXTS.iter().enumerate() {
                cands.push(cand(d, p, "A", "review", t));
            }
        }
        // Document x is where the model is unsure; y is sure except paragraph 5.
        let probs: Vec<Vec<f64>> = cands
            .iter()
            .map(|c| match (c.doc_id, c.para_id) {
                ("x", p) => vec![0.5 + 0.02 * p as f64, 0.5 - 0.02 * p as f64],
                ("y", 5) => vec![0.7, 0.3],
                _ => vec![0.99, 0.01],
            })
            .collect();
        let picks = informative(
            &cands,
            &probs,
            &[10, 10],
            &HashSet::new(),
            &SelectParams {
                n: 4,
                ..Default::default()
            },
        );
        let chosen: Vec<(&str, usize)> = picks
            .iter()
            .map(|p| (cands[p.index].doc_id, cands[p.index].para_id))
            .collect();
        // Fair share 2 per document: x's two least sure, then y's least sure two.
        assert_eq!(chosen[..2], [("x", 0), ("x", 1)]);
        assert!(chosen.contains(&("y", 5)), "{chosen:?}");
        assert_eq!(chosen.iter().filter(|c| c.0 == "x").count(), 2);
    }

    #[test]
    fn near_duplicates_are_chosen_once() {
        let same = "推进乡村振兴战略，建设高标准农田十万亩，粮食产量稳定。";
        let cands: Vec<Candidate> = (0..5).map(|p| cand("d", p, "A", "review", same)).collect();
        let probs = vec![vec![0.5, 0.5]; 5];
        let picks = informative(
            &cands,
            &probs,
            &[0, 0],
            &HashSet::new(),
            &SelectParams {
                n: 5,
                ..Default::default()
            },
        );
        assert_eq!(picks.len(), 1);
    }

    #[test]
    fn rare_predicted_themes_come_first_at_equal_uncertainty() {
        let cands: Vec<Candidate> = TEXTS[..2]
            .iter()
            .enumerate()
            .map(|(p, t)| cand(if p == 0 { "a" } else { "b" }, p, "A", "review", t))
            .collect();
        // Same margin; paragraph 1 is predicted as theme 1, which has no labels.
        let probs = vec![vec![0.6, 0.4, 0.0], vec![0.4, 0.6, 0.0]];
        let picks = informative(
            &cands,
            &probs,
            &[40, 0, 20],
            &HashSet::new(),
            &SelectParams {
                n: 1,
                ..Default::default()
            },
        );
        assert_eq!(cands[picks[0].index].para_id, 1);
    }

    #[test]
    fn margin_and_jaccard() {
        assert!((margin(&[0.2, 0.5, 0.3]) - 0.2).abs() < 1e-12);
        assert_eq!(margin(&[1.0, 0.0]), 1.0);
        let a = bigrams("乡村振兴");
        assert!((jaccard(&a, &a) - 1.0).abs() < 1e-12);
        assert_eq!(jaccard(&a, &bigrams("营商环境")), 0.0);
    }
}

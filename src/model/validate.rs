//! Checks on a model read from a file, before it labels anything.
//!
//! A model file is JSON a user can edit, truncate or damage. A number that
//! parses but is out of range does not fail loudly later: it turns into
//! `inf`, then `inf − inf = NaN`, and paragraphs come out labelled
//! `poverty,NaN`. So every number is checked here, with a message naming the
//! theme or term it belongs to.

use super::{Classifier, Model};

/// The largest magnitude accepted for a weight, intercept, idf, smoothing or
/// document-prior strength.
///
/// Fitted models are far below it: on the bundled labels the largest weight
/// is 9.2, the intercepts lie within ±1.3, idf within 1.7–7.2. A paragraph's
/// score sums an intercept and a few thousand weights times TF-IDF values of
/// at most 1, so with every number within ±1e6 a score stays below about
/// 1e10: far from where the f32 weights (3.4e38) or the softmax's f64
/// arithmetic (1.8e308, after dividing by the temperature) overflow into
/// `inf`. A number beyond it is damage or editing, not a fit.
pub const MAX_MAGNITUDE: f64 = 1e6;

/// The smallest softmax temperature accepted. Training fits it on a grid
/// from 1e-8 to 115; scores of up to 1e10 divided by 1e-12 stay finite.
pub const MIN_TEMPERATURE: f64 = 1e-12;

/// The largest summed feature value of a naive Bayes class: each training
/// paragraph adds at most 1 per term (its TF-IDF row has unit length), so
/// this is a trillion paragraphs.
pub const MAX_FEATURE_COUNT: f64 = 1e12;

/// `x` as the message shows it.
fn show(x: f64) -> String {
    if x.is_nan() {
        "not a number".into()
    } else if x.is_finite() && x != 0.0 && !(1e-4..1e7).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Why `x` is not a usable number within ±[`MAX_MAGNITUDE`], if it is not.
fn out_of_range(x: f64) -> Option<String> {
    if !x.is_finite() {
        Some(format!("is {}, not a finite number", show(x)))
    } else if x.abs() > MAX_MAGNITUDE {
        Some(format!(
            "is {}, beyond ±{MAX_MAGNITUDE} (no fitted model comes near it)",
            show(x)
        ))
    } else {
        None
    }
}

/// The theme of class column `c`, for messages.
fn theme_name(themes: &[String], c: usize) -> String {
    themes
        .get(c)
        .map_or_else(|| format!("column {c}"), |t| format!("`{t}`"))
}

/// Why the model cannot be used, if it cannot: the first problem found.
pub fn problem(model: &Model) -> Option<String> {
    let themes = &model.theme_ids;
    let n = themes.len();
    if n < 2 {
        return Some(format!("the model lists {n} theme(s); it needs at least 2"));
    }
    for (i, t) in themes.iter().enumerate() {
        if themes[..i].contains(t) {
            return Some(format!("theme `{t}` listed twice"));
        }
    }
    let t = model.temperature;
    if !(t.is_finite() && (MIN_TEMPERATURE..=MAX_MAGNITUDE).contains(&t)) {
        return Some(format!(
            "temperature {} is not a positive number in {MIN_TEMPERATURE}..{MAX_MAGNITUDE} \
             (scores are divided by it; 1 means no calibration)",
            show(t)
        ));
    }
    if let Some(why) = vocabulary_problem(model) {
        return Some(why);
    }
    if let Some(why) = classifier_problem(model) {
        return Some(why);
    }
    model.document_prior.as_ref().and_then(|d| d.invalid(n))
}

fn vocabulary_problem(model: &Model) -> Option<String> {
    let v = &model.vectorizer;
    if v.idf.len() != v.terms.len() {
        return Some(format!(
            "the vocabulary has {} terms but {} idf values",
            v.terms.len(),
            v.idf.len()
        ));
    }
    for (i, (term, &idf)) in v.terms.iter().zip(&v.idf).enumerate() {
        let idf = f64::from(idf);
        if !(idf.is_finite() && idf > 0.0 && idf <= MAX_MAGNITUDE) {
            return Some(format!(
                "idf of term `{term}` is {}, not a positive number up to {MAX_MAGNITUDE}",
                show(idf)
            ));
        }
        // The index keeps one position per term: a repeated term's other
        // columns would never be read.
        if v.term_index(term) != Some(i as u32) {
            return Some(format!("term `{term}` listed twice in the vocabulary"));
        }
    }
    None
}

/// The first out-of-range entry of an `n_features × n_classes` weight matrix.
fn weights_problem(model: &Model, w: &ndarray::Array2<f64>, what: &str) -> Option<String> {
    let terms = &model.vectorizer.terms;
    if w.ncols() != model.theme_ids.len() {
        return Some(format!(
            "{} themes, {what} weights for {}",
            model.theme_ids.len(),
            w.ncols()
        ));
    }
    if w.nrows() != terms.len() {
        return Some(format!(
            "{} terms in the vocabulary, {what} weights for {}",
            terms.len(),
            w.nrows()
        ));
    }
    for ((t, c), &x) in w.indexed_iter() {
        if let Some(why) = out_of_range(x) {
            return Some(format!(
                "{what}: weight of term `{}` for theme {} {why}",
                terms[t],
                theme_name(&model.theme_ids, c)
            ));
        }
    }
    None
}

fn intercepts_problem(model: &Model, bias: &[f64]) -> Option<String> {
    if bias.len() != model.theme_ids.len() {
        return Some(format!(
            "{} intercepts for {} themes",
            bias.len(),
            model.theme_ids.len()
        ));
    }
    bias.iter().enumerate().find_map(|(c, &b)| {
        out_of_range(b).map(|why| {
            format!(
                "intercept of theme {} {why}",
                theme_name(&model.theme_ids, c)
            )
        })
    })
}

fn classifier_problem(model: &Model) -> Option<String> {
    let n = model.theme_ids.len();
    let n_terms = model.vectorizer.terms.len();
    match &model.classifier {
        Classifier::SparseLogistic { weights, bias } => {
            weights_problem(model, weights, "logistic").or_else(|| intercepts_problem(model, bias))
        }
        Classifier::ComplementNb { weights } => {
            weights_problem(model, weights, "complement naive Bayes")
        }
        Classifier::Logistic { lr } => {
            let classes = lr.classes();
            let (params, intercept) = (lr.params(), lr.intercept());
            if params.nrows() != n_terms
                || params.ncols() != classes.len()
                || intercept.len() != classes.len()
            {
                return Some(format!(
                    "logistic regression has {} × {} weights and {} intercepts for {} classes \
                     and {n_terms} terms",
                    params.nrows(),
                    params.ncols(),
                    intercept.len(),
                    classes.len()
                ));
            }
            for (j, &c) in classes.iter().enumerate() {
                if c >= n || classes[..j].contains(&c) {
                    return Some(format!(
                        "logistic regression class {c} is repeated or not one of the {n} themes"
                    ));
                }
            }
            for ((t, j), &x) in params.indexed_iter() {
                if let Some(why) = out_of_range(x) {
                    return Some(format!(
                        "logistic regression: weight of term `{}` for theme {} {why}",
                        model.vectorizer.terms[t],
                        theme_name(&model.theme_ids, classes[j])
                    ));
                }
            }
            intercept.iter().zip(classes).find_map(|(&b, &c)| {
                out_of_range(b).map(|why| {
                    format!(
                        "intercept of theme {} {why}",
                        theme_name(&model.theme_ids, c)
                    )
                })
            })
        }
        Classifier::MultinomialNb { nb, uniform_prior } => {
            if let Some(why) = out_of_range(nb.alpha) {
                return Some(format!("naive Bayes smoothing {why}"));
            }
            let mut seen = vec![false; n];
            for (&c, _rows, prior, counts) in nb.nb.class_counts() {
                if c >= n || seen[c] {
                    return Some(format!(
                        "naive Bayes class {c} is repeated or not one of the {n} themes"
                    ));
                }
                seen[c] = true;
                let theme = theme_name(&model.theme_ids, c);
                // A zero prior is a theme never predicted, unless priors are
                // replaced by uniform ones.
                let usable = prior > 0.0 && prior <= 1.0;
                if !(*uniform_prior || usable) {
                    return Some(format!(
                        "naive Bayes prior of theme {theme} is {}, not in (0, 1]",
                        show(prior)
                    ));
                }
                if counts.len() != n_terms {
                    return Some(format!(
                        "naive Bayes theme {theme} has {} feature counts for {n_terms} terms",
                        counts.len()
                    ));
                }
                if let Some((t, &x)) = counts
                    .iter()
                    .enumerate()
                    .find(|(_, &x)| !(x.is_finite() && (0.0..=MAX_FEATURE_COUNT).contains(&x)))
                {
                    return Some(format!(
                        "naive Bayes count of term `{}` for theme {theme} is {}, not in 0..{MAX_FEATURE_COUNT}",
                        model.vectorizer.terms[t],
                        show(x)
                    ));
                }
            }
            if let Some(c) = seen.iter().position(|s| !s) {
                return Some(format!(
                    "naive Bayes has no counts for theme {}",
                    theme_name(&model.theme_ids, c)
                ));
            }
            None
        }
    }
}

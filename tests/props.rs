//! Property tests: arbitrary input never panics ingestion or segmentation, and
//! no content is lost; the document prior keeps probabilities probabilities.

use std::path::Path;

use policy_themes::corpus::{decode, parse_file, without_whitespace};
use policy_themes::io::check_quotes;
use policy_themes::model::{DocumentPrior, Prediction};
use policy_themes::Theme;
use proptest::prelude::*;

/// Text built from the pieces real reports and scraped pages are made of, so
/// the generator reaches record splitting, markers and sentence grouping.
fn report_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("-\n".to_string()),
        Just("2025-07-02\n".to_string()),
        Just("有想补充的信息?点我投稿\n".to_string()),
        Just("- 联系我们\n".to_string()),
        Just("一、".to_string()),
        Just("(二)".to_string()),
        Just("三是".to_string()),
        Just("。".to_string()),
        Just(":".to_string()),
        Just("各位代表:".to_string()),
        Just("2020年工作回顾".to_string()),
        Just("指标 |\n".to_string()),
        Just("\n".to_string()),
        Just(" ".to_string()),
        "[\\u{4e00}-\\u{4e80}]{1,40}",
        "\\PC{0,30}",
    ];
    prop::collection::vec(piece, 0..200).prop_map(|v| v.concat())
}

fn check_no_loss(text: &str) {
    match parse_file(Path::new("p.txt"), text.as_bytes(), None) {
        Ok(docs) => {
            for d in docs {
                let joined: String = d.paragraphs.iter().map(|p| p.text.as_str()).collect();
                assert_eq!(without_whitespace(&joined), without_whitespace(&d.body));
                for p in &d.paragraphs {
                    assert!(p.text.chars().count() <= 600);
                    assert!(!p.text.trim().is_empty());
                }
            }
        }
        // Refusals are fine (empty, binary); they must be errors, not panics.
        Err(e) => assert!(e.to_string().starts_with("p.txt: ")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode_never_panics_and_loses_nothing(text in "\\PC*") {
        check_no_loss(&text);
    }

    #[test]
    fn report_shaped_text_never_panics_and_loses_nothing(text in report_like()) {
        check_no_loss(&text);
    }

    #[test]
    fn wrapped_text_never_panics_and_loses_nothing(
        text in report_like(),
        width in 8usize..40,
        page_every in 0usize..30,
        indent: bool,
    ) {
        // Lines cut at `width` characters, some indented, page numbers between.
        let mut wrapped = String::new();
        let mut n = 0;
        for line in text.lines() {
            let chars: Vec<char> = line.chars().collect();
            for (i, piece) in chars.chunks(width).enumerate() {
                if indent && i == 0 {
                    wrapped.push('\u{3000}');
                }
                wrapped.extend(piece);
                wrapped.push('\n');
                n += 1;
                if page_every > 0 && n % page_every == 0 {
                    wrapped.push_str(&format!("- {} -\n", n / page_every));
                }
            }
        }
        check_no_loss(&wrapped);
    }

    #[test]
    fn arbitrary_bytes_never_panic_decoding(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = decode(&bytes);
        let _ = parse_file(Path::new("b.txt"), &bytes, None);
    }
}

/// A document for the document prior: the model's classes (the first `k`
/// themes), per-paragraph probabilities over them (zeros included) and
/// character weights (zero included), and a strength.
fn prior_case() -> impl Strategy<Value = (usize, Vec<Vec<f64>>, Vec<f64>, f64)> {
    (2usize..=13, 1usize..30).prop_flat_map(|(k, n)| {
        let row = prop::collection::vec(prop_oneof![Just(0.0), 0.0f64..1.0], k)
            .prop_filter("some probability", |r| r.iter().sum::<f64>() > 1e-6);
        (
            Just(k),
            prop::collection::vec(row, n),
            prop::collection::vec(prop_oneof![Just(0.0), 1.0f64..600.0], n),
            0.0f64..2.0,
        )
    })
}

/// Themes of the bundled codebook.
const BUNDLED_THEMES: usize = 13;

fn predictions(k: usize, rows: &[Vec<f64>]) -> Vec<Prediction> {
    rows.iter()
        .map(|r| {
            let total: f64 = r.iter().sum();
            // Probabilities over a codebook of the bundled size.
            let mut probs = vec![0.0; BUNDLED_THEMES];
            for (i, x) in r.iter().enumerate().take(k) {
                probs[Theme::from_index(i).index()] = x / total;
            }
            Prediction { probs }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the probabilities: distributions stay distributions, a theme
    /// a paragraph ruled out stays ruled out, and the order of the paragraphs
    /// does not matter.
    #[test]
    fn document_prior_keeps_distributions_and_ignores_order((k, rows, weights, strength) in prior_case()) {
        let classes: Vec<Theme> = (0..k).map(Theme::from_index).collect();
        let prior = DocumentPrior::fitted(strength, &classes, &[], true);
        let before = predictions(k, &rows);
        let mut after = before.clone();
        prior.apply(&classes, &mut after, &weights);
        for (a, b) in after.iter().zip(&before) {
            let total: f64 = a.probs.iter().sum();
            prop_assert!((total - 1.0).abs() < 1e-9, "sums to {}", total);
            for (x, y) in a.probs.iter().zip(&b.probs) {
                prop_assert!(x.is_finite() && (0.0..=1.0).contains(x));
                if *y == 0.0 {
                    prop_assert_eq!(*x, 0.0);
                }
            }
        }
        let mut reversed: Vec<Prediction> = before.iter().rev().cloned().collect();
        let reversed_weights: Vec<f64> = weights.iter().rev().copied().collect();
        prior.apply(&classes, &mut reversed, &reversed_weights);
        for (a, b) in after.iter().zip(reversed.iter().rev()) {
            for (x, y) in a.probs.iter().zip(&b.probs) {
                prop_assert!((x - y).abs() < 1e-6, "{} vs {}", x, y);
            }
        }
    }
}

/// Cells with the characters that make CSV quoting hard.
fn csv_cells() -> impl Strategy<Value = Vec<Vec<String>>> {
    let cell = prop::collection::vec(
        prop_oneof![
            Just("\"".to_string()),
            Just(",".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            "[a-z乡村振兴 ]{0,4}",
        ],
        0..5,
    )
    .prop_map(|v| v.concat());
    prop::collection::vec(prop::collection::vec(cell, 3), 1..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// What a CSV writer writes passes the open-quote check, and is refused
    /// once cut just inside any quoted cell: the cut leaves that cell open.
    #[test]
    fn written_csv_passes_and_cut_inside_a_quote_fails(rows in csv_cells()) {
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in &rows {
            w.write_record(r).unwrap();
        }
        let bytes = w.into_inner().unwrap();
        let path = Path::new("t.csv");
        prop_assert!(check_quotes(path, &bytes).is_ok());
        // In a writer's output a quote outside a quoted cell opens one; inside,
        // `""` is a quote and a lone `"` closes the cell.
        let (mut i, mut inside) = (0, false);
        while i < bytes.len() {
            if bytes[i] == b'"' {
                if !inside {
                    let err = check_quotes(path, &bytes[..=i]).unwrap_err().to_string();
                    let line = 1 + bytes[..i].iter().filter(|&&c| c == b'\n').count();
                    prop_assert!(err.starts_with(&format!("t.csv:{line}: ")), "{}", err);
                    inside = true;
                } else if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    inside = false;
                }
            }
            i += 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The check agrees with the csv reader itself on any bytes: a cell is
    /// left open exactly when a line appended after the data is read into the
    /// data's last cell instead of as a record of its own.
    #[test]
    fn open_quote_check_agrees_with_the_csv_reader(
        data in prop::collection::vec(prop::sample::select(b"\",\n\ra".to_vec()), 0..40)
    ) {
        const SENTINEL: &[u8] = b"SENTINEL";
        let mut probe = data.clone();
        probe.push(b'\n');
        probe.extend_from_slice(SENTINEL);
        let records: Vec<csv::ByteRecord> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(probe.as_slice())
            .byte_records()
            .collect::<Result<_, _>>()
            .unwrap();
        let last = records.last().unwrap();
        let own_record = last.len() == 1 && &last[0] == SENTINEL;
        prop_assert_eq!(check_quotes(Path::new("t.csv"), &data).is_ok(), own_record);
    }
}

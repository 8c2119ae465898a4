//! Faults of the "accepted although bad" and "refused although fine" kinds:
//! model files with numbers out of range, flags out of range, conflicting
//! sources, manifest and label CSV quirks, in-sample evaluation, summaries
//! of rows with no labelled text. Every case runs the binary, as a user's
//! script would.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use predicates::prelude::*;
use serde_json::Value;

mod common;
use common::{bin, root, train_on};

const REPORT: &str = "2022年某某县政府工作报告\n——2022年1月8日在某某县第十八届人民代表大会第一次会议上\n各位代表:\n一、过去一年工作回顾\n我们坚持乡村振兴,建设高标准农田十万亩。\n二、2022年工作安排\n大力推进招商引资,引进项目三十个。\n";

/// One bundled label file (one document): small enough to train in a moment.
fn small_labels() -> PathBuf {
    root().join("labels/000_948226ca6efd262f.csv")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A default model trained on [`small_labels`], once per test binary.
fn small_model() -> &'static Path {
    static MODEL: OnceLock<PathBuf> = OnceLock::new();
    MODEL.get_or_init(|| {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("faults-validation-small.json");
        train_on(&small_labels(), &path);
        path
    })
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// `label` with the model at `model` on a small report into `-o`: must exit
/// 2 naming the model file and `needle`, with nothing written.
fn label_refuses(model: &Path, needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let report = write(dir.path(), "r.txt", REPORT.as_bytes());
    let out = dir.path().join("out.csv");
    bin()
        .args(["label", "--model"])
        .arg(model)
        .arg(&report)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(model.display().to_string()))
        .stderr(predicate::str::contains(needle));
    assert!(!out.exists(), "{needle}: output written");
}

/// The small model with `edit` applied to its JSON, written into `dir`.
fn edited(dir: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let mut v = read_json(small_model());
    edit(&mut v["model"]);
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
    p
}

#[test]
fn model_numbers_out_of_range_are_refused_on_load() {
    let dir = tempfile::tempdir().unwrap();
    // The unedited model labels the report: the edits below are what fails.
    let good = edited(dir.path(), "good.json", |_| {});
    bin()
        .args(["label", "-q", "--model"])
        .arg(&good)
        .arg(root().join("corpus/000_948226ca6efd262f.txt"))
        .assert()
        .success()
        .stdout(predicate::str::contains("NaN").not());
    let themes: Vec<String> = read_json(small_model())["model"]["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    let first = themes[0].clone();

    // Intercepts of 1e308 overflowed to inf in the softmax: `poverty,NaN`.
    let m = edited(dir.path(), "bias.json", |m| {
        for b in m["classifier"]["sparse_logistic"]["bias"]
            .as_array_mut()
            .unwrap()
        {
            *b = Value::from(1e308);
        }
    });
    label_refuses(
        &m,
        &format!("intercept of theme `{first}` is 1e308, beyond ±1000000"),
    );
    let m = edited(dir.path(), "weight.json", |m| {
        m["classifier"]["sparse_logistic"]["weights"]["data"][0] = Value::from(-2e7);
    });
    label_refuses(&m, "weight of term `");
    label_refuses(&m, "is -2e7, beyond ±1000000");

    // A theme listed twice labelled one theme's paragraphs as the other.
    let m = edited(dir.path(), "dup.json", |m| {
        m["themes"][1] = Value::from(first.clone());
    });
    label_refuses(&m, &format!("theme `{first}` listed twice"));

    // A temperature ≤ 0 was silently replaced by 1.
    for t in [0.0, -1.0] {
        let m = edited(dir.path(), "temperature.json", |m| {
            m["temperature"] = Value::from(t);
        });
        label_refuses(&m, &format!("temperature {t} is not a positive number"));
    }
    let m = edited(dir.path(), "idf.json", |m| {
        m["vectorizer"]["idf"][3] = Value::from(-1.0);
    });
    label_refuses(&m, "idf of term `");

    // A document prior of strength 0 gave every paragraph confidence 1.
    let k = themes.len();
    let m = edited(dir.path(), "prior.json", |m| {
        m["document_prior"] = serde_json::json!({
            "strength": 0.0,
            "base": vec![1.0 / k as f64; k],
        });
    });
    label_refuses(&m, "document prior strength 0 is not a positive number");
    // The message says what to do.
    label_refuses(&m, "train the model again with `policy-themes train`");
}

#[test]
fn naive_bayes_files_with_a_zero_prior_or_missing_theme_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("nb.json");
    bin()
        .args([
            "train",
            "-q",
            "--classifier",
            "nb",
            "--balanced=false",
            "--labels",
        ])
        .arg(small_labels())
        .arg("-o")
        .arg(&model)
        .assert()
        .success();
    let mut v = read_json(&model);
    let theme = v["model"]["themes"][0].as_str().unwrap().to_string();
    v["model"]["classifier"]["multinomial_nb"]["nb"]["classes"][0]["prior"] = Value::from(0.0);
    let zero = write(dir.path(), "zero.json", &serde_json::to_vec(&v).unwrap());
    label_refuses(
        &zero,
        &format!("naive Bayes prior of theme `{theme}` is 0, not in (0, 1]"),
    );
    let mut v = read_json(&model);
    v["model"]["classifier"]["multinomial_nb"]["nb"]["classes"]
        .as_array_mut()
        .unwrap()
        .remove(0);
    let missing = write(dir.path(), "missing.json", &serde_json::to_vec(&v).unwrap());
    label_refuses(
        &missing,
        &format!("naive Bayes has no counts for theme `{theme}`"),
    );
}

/// `train ARGS` on the small labels must exit 2 naming `needle`, writing no model.
fn train_refuses(args: &[&str], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.json");
    bin()
        .arg("train")
        .args(args)
        .arg("--labels")
        .arg(small_labels())
        .arg("-o")
        .arg(&model)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(needle))
        .stderr(predicate::str::contains("too few labels").not());
    assert!(!model.exists(), "{args:?}: a model was written");
}

#[test]
fn training_flags_out_of_range_are_refused_naming_the_flag() {
    // Each of these wrote a model that `label` then refused as corrupted.
    for (classifier, alpha) in [
        ("nb", "NaN"),
        ("nb", "0"),
        ("nb", "inf"),
        ("cnb", "-1"),
        ("cnb", "NaN"),
        ("cnb", "0"),
        ("logistic", "0"),
        ("sparse-logistic", "-0.5"),
    ] {
        train_refuses(
            &["--classifier", classifier, "--alpha", alpha],
            &format!("invalid value '{alpha}' for '--alpha <ALPHA>': must be a positive number"),
        );
    }
    train_refuses(
        &["--document-prior", "0"],
        "invalid value '0' for '--document-prior <STRENGTH|off>'",
    );
    train_refuses(
        &["--chi2", "0"],
        "invalid value '0' for '--chi2 <K>': must be a whole number of terms, at least 1",
    );
    // Blamed on the labels ("too few labels?") before.
    train_refuses(
        &["--char-bigrams=false"],
        "--char-bigrams=false turns off the only feature family in use; add --words or --word-bigrams",
    );
    // `off` and a positive strength are fine.
    let dir = tempfile::tempdir().unwrap();
    for prior in ["off", "0.1"] {
        let model = dir.path().join("ok.json");
        bin()
            .args(["train", "-q", "--document-prior", prior, "--labels"])
            .arg(small_labels())
            .arg("-o")
            .arg(&model)
            .assert()
            .success();
        assert!(model.exists());
    }
}

#[test]
fn run_size_flags_out_of_range_are_refused_naming_the_flag() {
    let cases: [(&[&str], &str); 9] = [
        // A capacity overflow panic, then a 10 TB allocation abort.
        (
            &[
                "summary",
                "--gold",
                "--ci",
                "--samples",
                "18446744073709551615",
            ],
            "'--samples <B>'",
        ),
        (
            &["summary", "--gold", "--ci", "--samples", "100000000000"],
            "100000000000 is not in 1..=1000000",
        ),
        (
            &["summary", "--gold", "--ci", "--samples", "0"],
            "'--samples <B>'",
        ),
        (
            &["compare", "--gold", "a", "b", "--samples", "0"],
            "'--samples <B>'",
        ),
        (
            &["report", "x.csv", "--samples", "2000000"],
            "'--samples <B>'",
        ),
        (
            &["report", "x.csv", "--examples", "5000"],
            "'--examples <N>'",
        ),
        (&["eval", "--folds", "1"], "'--folds <FOLDS>'"),
        (
            &["explain", "--model", "m.json", "--top", "0"],
            "'--top <N>'",
        ),
        (
            &[
                "label",
                "--model",
                "m.json",
                "x.txt",
                "--min-confidence",
                "NaN",
            ],
            "'--min-confidence <X>': must be a number from 0 to 1",
        ),
    ];
    for (args, needle) in cases {
        bin()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(needle));
    }
    for bad in ["-0.1", "1.5"] {
        bin()
            .args([
                "label",
                "--model",
                "m.json",
                "x.txt",
                "--min-confidence",
                bad,
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("'--min-confidence <X>'"));
    }
}

#[test]
fn summary_of_a_file_and_gold_is_refused() {
    // The file was silently ignored in favour of the gold labels.
    bin()
        .args(["summary", "some.csv", "--gold"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("cannot be used with '--gold'"));
    bin()
        .args(["compare", "some.csv", "a", "b", "--gold"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "with --gold give only the two names",
        ));
}

#[test]
fn manifest_rows_name_documents_or_files_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "r.txt", REPORT.as_bytes());
    // A row naming the file `r.txt` (not the stem `r`) matched nothing.
    write(
        dir.path(),
        "manifest.csv",
        "doc_id,region,year\nr.txt,测试市,2031\n,,\n".as_bytes(),
    );
    let out = dir.path().join("out.csv");
    bin()
        .args(["segment", "-q"])
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let (h, rows) = common::read_csv(&out);
    let region = h.iter().position(|c| c == "region").unwrap();
    let year = h.iter().position(|c| c == "year").unwrap();
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(&r[region], "测试市");
        assert_eq!(&r[year], "2031");
    }
    // Two rows for one document: the last silently won.
    let manifest = write(
        dir.path(),
        "manifest.csv",
        "doc_id,region\nr,甲市\nq,乙县\nr.txt,丙县\n".as_bytes(),
    );
    std::fs::remove_file(&out).unwrap();
    bin()
        .arg("segment")
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:4: a second row for document `r`; line 2 already sets it",
            manifest.display()
        )));
    assert!(!out.exists());
}

#[test]
fn empty_rows_at_the_end_of_csv_inputs_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    // The small label file as a spreadsheet saves it: CRLF, `,,,,` rows at the end.
    let mut text = std::fs::read_to_string(small_labels())
        .unwrap()
        .replace('\n', "\r\n");
    text.push_str(",,,,\r\n,,,,\r\n,,,,\r\n");
    let labels = write(dir.path(), "labels.csv", text.as_bytes());
    bin()
        .args(["labels", "check", "--no-corpus"])
        .arg(&labels)
        .assert()
        .success()
        .stderr(predicate::str::contains("empty doc_id").not());
    let model = dir.path().join("m.json");
    train_on(&labels, &model);
    // The same for a paragraphs CSV given to `label --paragraphs`.
    let paragraphs = write(
        dir.path(),
        "p.csv",
        "doc_id,para_id,text\r\nd,0,\"大力推进乡村振兴,建设高标准农田。\"\r\n,,\r\n,,\r\n"
            .as_bytes(),
    );
    bin()
        .args(["label", "-q", "--model"])
        .arg(&model)
        .arg("--paragraphs")
        .arg(&paragraphs)
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| s.lines().count() == 2));
}

#[test]
fn eval_on_the_labels_a_model_was_trained_on_warns_that_it_is_in_sample() {
    let dir = tempfile::tempdir().unwrap();
    let warning = "the figures are in-sample";
    let eval = |test: &Path| {
        bin()
            .args(["eval", "--model"])
            .arg(small_model())
            .arg("--test")
            .arg(test)
            .assert()
            .success()
    };
    // The very file, and a renamed copy of it.
    eval(&small_labels()).stderr(predicate::str::contains(format!(
        "{}: the model was trained on this very file; {warning}",
        small_labels().display()
    )));
    let copy = write(
        dir.path(),
        "copy.csv",
        &std::fs::read(small_labels()).unwrap(),
    );
    eval(&copy).stderr(predicate::str::contains(warning));
    // A directory holding it among others names it.
    std::fs::copy(
        root().join("labels/003_cbd66c4364d6c9dc.csv"),
        dir.path().join("other.csv"),
    )
    .unwrap();
    eval(dir.path()).stderr(predicate::str::contains(
        "1 of its 2 file(s) are label files the model was trained on (copy.csv)",
    ));
    // Held-out labels get no warning.
    eval(&root().join("labels/003_cbd66c4364d6c9dc.csv"))
        .stderr(predicate::str::contains(warning).not());
}

#[test]
fn summary_rows_without_labelled_text_or_keyword_hits_show_no_shares() {
    let dir = tempfile::tempdir().unwrap();
    let labelled = write(
        dir.path(),
        "labelled.csv",
        "doc_id,para_id,region,theme,confidence,text\n\
         a,0,甲市,uncertain,0.20,不确定的段落\n\
         a,1,甲市,uncertain,0.31,也不确定的段落\n\
         b,0,乙县,rural,0.90,推进乡村振兴建设高标准农田\n"
            .as_bytes(),
    );
    let row_of = |out: &str, key: &str| -> String {
        out.lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("no {key} row in {out}"))
            .to_string()
    };
    let run = |args: &[&str]| {
        let a = bin()
            .arg("summary")
            .arg(&labelled)
            .args(args)
            .assert()
            .success();
        let o = a.get_output();
        (
            String::from_utf8(o.stdout.clone()).unwrap(),
            String::from_utf8(o.stderr.clone()).unwrap(),
        )
    };
    // All `uncertain`: rows of 0.0 under "each row sums to 100" before.
    let (table, stderr) = run(&[]);
    let jia = row_of(&table, "甲市");
    assert_eq!(jia.matches(" -").count(), 13, "{jia}");
    assert!(!jia.contains("0.0"), "{jia}");
    assert!(table.contains("1 row(s) without labelled text"), "{table}");
    assert!(stderr.contains("warning: no labelled text"), "{stderr}");
    assert!(stderr.contains("1 group(s): 甲市"), "{stderr}");
    assert!(row_of(&table, "乙县").contains("100.0"));
    let (csv, _) = run(&["--csv"]);
    assert_eq!(
        row_of(&csv, "甲市"),
        format!("甲市,2,13,2{}", ",".repeat(13))
    );
    // A dictionary that matches nothing in a row.
    let dict = write(dir.path(), "dict.txt", "[rural]\n乡村振兴\n".as_bytes());
    let dict_args = ["--method", "dictionary", "--dictionary"];
    let mut args: Vec<&str> = dict_args.to_vec();
    args.push(dict.to_str().unwrap());
    let (table, stderr) = run(&args);
    let jia = row_of(&table, "甲市");
    assert_eq!(jia.matches(" -").count(), 13, "{jia}");
    assert!(
        table.contains("no keyword of the dictionary occurs"),
        "{table}"
    );
    assert!(stderr.contains("no keyword of the dictionary occurs in the text of 1 group(s): 甲市"));
    args.push("--csv");
    let (csv, _) = run(&args);
    let jia = row_of(&csv, "甲市");
    let cells: Vec<&str> = jia.split(',').collect();
    // Key, paragraphs, words, hits, then 13 empty shares; the rates stay 0.
    assert_eq!(cells[3], "0");
    assert!(cells[4..17].iter().all(|c| c.is_empty()), "{jia}");
    assert!(cells[17..].iter().all(|c| *c == "0.000000"), "{jia}");
}

#[test]
fn a_label_file_naming_a_column_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A spreadsheet with a second `theme` column (a coder's revision, say):
    // the first one was read without a word.
    let labels = write(
        dir.path(),
        "l.csv",
        "doc_id,para_id,text,theme,secondary,theme\nd,0,推进乡村振兴,rural,,ecology\n".as_bytes(),
    );
    bin()
        .args(["labels", "check", "--no-corpus"])
        .arg(&labels)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:1: column `theme` appears 2 times in the header (columns 4, 6); keep one",
            labels.display()
        )));
    // A minimum document frequency no term reaches names the flag.
    let model = dir.path().join("m.json");
    bin()
        .args(["train", "--min-df", "100000", "--labels"])
        .arg(small_labels())
        .arg("-o")
        .arg(&model)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no term occurs in 100000 or more training paragraphs (--min-df)",
        ));
    assert!(!model.exists());
}

#[test]
fn eval_refuses_training_flags_it_would_ignore() {
    for args in [
        &[
            "eval", "--model", "m.json", "--test", "t.csv", "--alpha", "0.1",
        ][..],
        &["eval", "--compare", "--chi2", "100", "--words"][..],
    ] {
        bin()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(
                "set how cross-validation trains a model, and",
            ))
            .stderr(predicate::str::contains("they would be ignored; drop them"));
    }
}

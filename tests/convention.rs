//! One CLI convention: the `--format` flag on every command that writes rows,
//! round trips between commands (CSV and JSON Lines, files and stdin), the
//! `show` drill-down, de-duplicated warnings and hints for missing defaults.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod common;
use common::{bin, default_model, root};

const REPORT: &str = "corpus/000_948226ca6efd262f.txt";

fn run_ok(args: &[&str], stdin: Option<&[u8]>) -> (String, String) {
    let mut c = bin();
    c.args(args);
    if let Some(input) = stdin {
        c.write_stdin(input.to_vec());
    }
    let out = c.assert().success().get_output().clone();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn stdout_of(args: &[&str]) -> String {
    run_ok(args, None).0
}

fn csv_of(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let h = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (h, rows)
}

fn jsonl_of(text: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    text.lines()
        .map(|l| match serde_json::from_str(l).unwrap() {
            serde_json::Value::Object(m) => m,
            other => panic!("not an object: {other}"),
        })
        .collect()
}

/// The bundled corpus labelled by the default model, as CSV: made once.
fn labelled_csv() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("convention-labelled.csv");
        let model = default_model().to_string_lossy().into_owned();
        let p = path.to_string_lossy().into_owned();
        run_ok(
            &["label", "-q", "--model", &model, "corpus", "-o", &p],
            None,
        );
        path
    })
}

fn model() -> String {
    default_model().to_string_lossy().into_owned()
}

/// CSV, JSON Lines and table carry the same rows; the deprecated flags still
/// work and say they are deprecated.
#[test]
fn every_row_writing_command_takes_the_one_format_flag() {
    let labelled = labelled_csv().to_string_lossy().into_owned();
    let model = model();
    let commands: Vec<Vec<&str>> = vec![
        vec!["segment", "-q", REPORT],
        vec!["label", "-q", "--model", &model, REPORT],
        vec!["summary", "-q", &labelled],
        vec!["compare", "-q", &labelled, "厦门市", "东丽区"],
        vec!["show", "-q", &labelled, "--region", "九原区"],
        vec!["labels", "agree", "labels", "labels"],
    ];
    for cmd in &commands {
        let with = |f: &str| {
            let mut a = cmd.clone();
            a.extend(["--format", f]);
            stdout_of(&a)
        };
        let (csv, jsonl, table) = (with("csv"), with("jsonl"), with("table"));
        let (h, rows) = csv_of(&csv);
        let objects = jsonl_of(&jsonl);
        assert!(!rows.is_empty(), "{cmd:?}");
        if cmd[1] == "agree" {
            // The whole report is one object; CSV is its per-theme part.
            assert_eq!(objects.len(), 1);
            assert_eq!(
                objects[0]["per_theme"].as_array().unwrap().len(),
                rows.len()
            );
        } else {
            assert_eq!(objects.len(), rows.len(), "{cmd:?}");
            for (obj, row) in objects.iter().zip(&rows) {
                for (k, v) in h.iter().zip(row) {
                    let j = &obj[k];
                    let as_text = match j {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    if as_text != *v {
                        // Numbers may print differently (CSV rounds confidence to 4 decimals).
                        let (a, b) = (as_text.parse::<f64>(), v.parse::<f64>());
                        assert!(
                            matches!((a, b), (Ok(a), Ok(b)) if (a - b).abs() < 1e-4),
                            "{cmd:?} {k}: {as_text} vs {v}"
                        );
                    }
                }
            }
        }
        assert!(!table.contains(",,"), "{cmd:?}: a table, not CSV");
        assert_ne!(table, csv, "{cmd:?}");
    }
    // Defaults unchanged: CSV for segment and label, the table for the others.
    assert_eq!(
        stdout_of(&["segment", "-q", REPORT]),
        stdout_of(&["segment", "-q", REPORT, "--format", "csv"])
    );
    assert_eq!(
        stdout_of(&["summary", "-q", &labelled]),
        stdout_of(&["summary", "-q", &labelled, "--format", "table"])
    );
    // The old flags.
    for (old, new, cmd) in [
        // One kind, so the only note is the deprecation's (not the kinds').
        (
            "--csv",
            "csv",
            vec!["summary", &labelled, "--kind", "work_report"],
        ),
        (
            "--csv",
            "csv",
            vec!["compare", &labelled, "厦门市", "东丽区"],
        ),
        (
            "--json",
            "jsonl",
            vec!["labels", "agree", "labels", "labels"],
        ),
    ] {
        let mut a = cmd.clone();
        a.push(old);
        let (out, err) = run_ok(&a, None);
        let mut b = cmd.clone();
        b.extend(["--format", new]);
        assert_eq!(out, stdout_of(&b), "{old}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(&format!("{old} is deprecated")), "{err}");
    }
    // Both at once is refused.
    bin()
        .args(["summary", &labelled, "--csv", "--format", "jsonl"])
        .assert()
        .failure();
}

#[test]
fn eval_takes_the_format_flag_too() {
    let csv = stdout_of(&["eval", "-q", "--folds", "2", "--format", "csv"]);
    let (h, rows) = csv_of(&csv);
    assert_eq!(h, ["theme", "precision", "recall", "f1", "support"]);
    assert_eq!(rows.len(), 13);
    let support: usize = rows.iter().map(|r| r[4].parse::<usize>().unwrap()).sum();
    assert_eq!(support, 1452);
    let json = stdout_of(&["eval", "-q", "--folds", "2", "--format", "jsonl"]);
    let v = jsonl_of(&json);
    assert_eq!(v.len(), 1);
    let f1: Vec<f64> = rows.iter().map(|r| r[3].parse().unwrap()).collect();
    let per_theme = v[0]["per_theme"].as_array().unwrap();
    for (a, b) in f1.iter().zip(per_theme) {
        assert!((a - b["f1"].as_f64().unwrap()).abs() < 1e-6);
    }
}

/// segment -> label -> summary / compare / show, in CSV and in JSON Lines,
/// through files and through stdin: every path gives the same numbers.
#[test]
fn commands_read_what_the_others_write() {
    let dir = tempfile::tempdir().unwrap();
    let model = model();
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (seg_csv, seg_jsonl) = (path("seg.csv"), path("seg.jsonl"));
    run_ok(&["segment", "-q", "corpus", "-o", &seg_csv], None);
    run_ok(
        &[
            "segment", "-q", "corpus", "--format", "jsonl", "-o", &seg_jsonl,
        ],
        None,
    );
    let seg_stdin = std::fs::read(&seg_jsonl).unwrap();
    let mut labelled = Vec::new();
    for (i, (seg, fmt)) in [
        (&seg_csv, "csv"),
        (&seg_jsonl, "jsonl"),
        (&seg_csv, "jsonl"),
        (&seg_jsonl, "csv"),
    ]
    .into_iter()
    .enumerate()
    {
        // The JSON Lines file is named .txt once: detected by its first byte.
        let out = path(&format!("lab{i}.{}", if i == 2 { "txt" } else { fmt }));
        run_ok(
            &[
                "label",
                "-q",
                "--model",
                &model,
                "--paragraphs",
                seg,
                "--format",
                fmt,
                "-o",
                &out,
            ],
            None,
        );
        labelled.push(out);
    }
    // From stdin too: segment JSON Lines piped into label.
    let (piped, _) = run_ok(
        &[
            "label",
            "-q",
            "--model",
            &model,
            "--paragraphs",
            "-",
            "--format",
            "jsonl",
        ],
        Some(&seg_stdin),
    );
    let summary = stdout_of(&["summary", "-q", "--format", "csv", &labelled[0]]);
    assert!(summary.lines().count() > 10);
    for l in &labelled[1..] {
        assert_eq!(
            stdout_of(&["summary", "-q", "--format", "csv", l]),
            summary,
            "{l}"
        );
    }
    let (from_stdin, _) = run_ok(
        &["summary", "-q", "--format", "csv", "-"],
        Some(piped.as_bytes()),
    );
    assert_eq!(from_stdin, summary);
    // Straight from files, as the example: label --format jsonl | summary -.
    let (direct, _) = run_ok(
        &[
            "label", "-q", "--model", &model, "corpus", "--format", "jsonl",
        ],
        None,
    );
    let (direct_summary, _) = run_ok(
        &["summary", "-q", "--format", "csv", "-"],
        Some(direct.as_bytes()),
    );
    assert_eq!(direct_summary, summary);
    let cmp = |input: &str, stdin: Option<&[u8]>| {
        run_ok(
            &[
                "compare",
                "-q",
                "--format",
                "csv",
                input,
                "厦门市",
                "东丽区",
            ],
            stdin,
        )
        .0
    };
    let compared = cmp(&labelled[0], None);
    assert_eq!(cmp(&labelled[1], None), compared);
    assert_eq!(cmp("-", Some(piped.as_bytes())), compared);
    let show = |input: &str, stdin: Option<&[u8]>| {
        run_ok(
            &[
                "show",
                "-q",
                "--format",
                "csv",
                input,
                "--region",
                "九原区",
                "--theme",
                "ecology",
            ],
            stdin,
        )
        .0
    };
    let sorted = |s: String| {
        let mut lines: Vec<String> = s.lines().map(String::from).collect();
        lines.sort();
        lines
    };
    let shown = show(&labelled[0], None);
    assert!(shown.lines().count() > 2);
    // CSV rounds confidence to 4 decimals, JSON Lines keeps it whole, so
    // near ties may be ordered differently: the same rows all the same.
    let from_jsonl = show(&labelled[1], None);
    assert_eq!(sorted(from_jsonl.clone()), sorted(shown));
    assert_eq!(show("-", Some(piped.as_bytes())), from_jsonl);
}

#[test]
fn a_bad_json_line_is_named_by_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.jsonl");
    std::fs::write(
        &p,
        "{\"doc_id\":\"a\",\"theme\":\"rural\",\"text\":\"x\"}\n{\"doc_id\":\n",
    )
    .unwrap();
    let out = bin().arg("summary").arg(&p).assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("bad.jsonl:2"), "{err}");
    assert!(out.get_output().stdout.is_empty());
}

fn col(h: &[String], name: &str) -> usize {
    h.iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {h:?}"))
}

/// The summary CSV as (group key, theme) -> share.
fn summary_shares(args: &[&str]) -> HashMap<(Vec<String>, String), f64> {
    let (h, rows) = csv_of(&stdout_of(args));
    let first_theme = col(&h, "poverty");
    let key_cols = col(&h, "paragraphs");
    let mut out = HashMap::new();
    for r in rows {
        for (i, t) in h.iter().enumerate().skip(first_theme).take(13) {
            out.insert((r[..key_cols].to_vec(), t.clone()), r[i].parse().unwrap());
        }
    }
    out
}

/// The share on `show`'s closing line.
fn footer_share(stderr: &str) -> f64 {
    let i = stderr.find("(share ").unwrap_or_else(|| panic!("{stderr}")) + 7;
    stderr[i..i + 8].parse().unwrap()
}

/// The paragraphs `show` lists add up to the share `summary` reports, for
/// every region and theme, and for region × year and for a document.
#[test]
fn show_lists_the_paragraphs_behind_summarys_share() {
    let labelled = labelled_csv().to_string_lossy().into_owned();
    // Rows are region × kind of document: a region's work report and
    // articles are apart.
    let by_region = summary_shares(&["summary", "-q", "--format", "csv", &labelled]);
    let themes = common::BUNDLED_THEMES;
    let regions: std::collections::BTreeSet<(String, String)> = by_region
        .keys()
        .map(|(k, _)| (k[0].clone(), k[1].clone()))
        .collect();
    assert!(regions.len() > 10);
    let mut listed = 0;
    for (region, kind) in &regions {
        for theme in themes {
            let (out, err) = run_ok(
                &[
                    "show", &labelled, "--region", region, "--kind", kind, "--theme", theme,
                    "--format", "csv",
                ],
                None,
            );
            let (h, rows) = csv_of(&out);
            let want = by_region[&(vec![region.clone(), kind.clone()], theme.to_string())];
            assert!(
                (footer_share(&err) - want).abs() < 2e-6,
                "{region} {theme}: {err} vs {want}"
            );
            // Only that region and theme, most confident first.
            let conf: Vec<f64> = rows
                .iter()
                .map(|r| r[col(&h, "confidence")].parse().unwrap())
                .collect();
            assert!(conf.windows(2).all(|w| w[0] >= w[1]), "{conf:?}");
            assert!(rows
                .iter()
                .all(|r| r[col(&h, "region")] == *region && r[col(&h, "theme")] == theme));
            // The characters listed give the share over the region's labelled characters.
            let chars: usize = rows
                .iter()
                .map(|r| r[col(&h, "chars")].parse::<usize>().unwrap())
                .sum();
            let text_chars: usize = rows
                .iter()
                .map(|r| r[col(&h, "text")].chars().count())
                .sum();
            assert_eq!(chars, text_chars);
            assert_eq!(want == 0.0, rows.is_empty(), "{region} {theme}");
            listed += rows.len();
        }
    }
    let (_, all) = csv_of(&std::fs::read_to_string(labelled_csv()).unwrap());
    assert_eq!(
        listed,
        all.len(),
        "every paragraph is behind exactly one cell"
    );

    // region × year, and a document.
    let by_year = summary_shares(&[
        "summary",
        "-q",
        "--format",
        "csv",
        "--by",
        "region,year",
        &labelled,
    ]);
    let (_, err) = run_ok(
        &[
            "show",
            &labelled,
            "--region",
            "九原区",
            "--year",
            "2022",
            "--theme",
            "industry",
            "--format",
            "jsonl",
        ],
        None,
    );
    let want = by_year[&(
        vec!["九原区".into(), "work_report".into(), "2022".into()],
        "industry".into(),
    )];
    assert!((footer_share(&err) - want).abs() < 2e-6, "{err} vs {want}");
    let by_doc = summary_shares(&["summary", "-q", "--format", "csv", "--by", "doc", &labelled]);
    let doc = "000_948226ca6efd262f";
    let (out, err) = run_ok(
        &[
            "show", &labelled, "--doc", doc, "--theme", "rural", "--format", "jsonl",
        ],
        None,
    );
    assert!((footer_share(&err) - by_doc[&(vec![doc.into()], "rural".into())]).abs() < 2e-6);
    assert!(jsonl_of(&out)
        .iter()
        .all(|o| o["doc_id"] == doc && o["theme"] == "rural"));
}

#[test]
fn show_filters_combine_and_the_table_ends_with_the_share() {
    let labelled = labelled_csv().to_string_lossy().into_owned();
    let (out, _) = run_ok(
        &[
            "show",
            &labelled,
            "--kind",
            "work_report",
            "--year",
            "2022",
            "--format",
            "jsonl",
        ],
        None,
    );
    let rows = jsonl_of(&out);
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|r| r["kind"] == "work_report" && r["year"] == 2022));
    let table = stdout_of(&[
        "show",
        "-q",
        &labelled,
        "--region",
        "九原区",
        "--theme",
        "ecology",
    ]);
    let last = table.lines().last().unwrap();
    assert!(
        last.contains("labelled ecology") && last.contains("(share "),
        "{last}"
    );
    // Full text: the longest paragraph appears whole.
    let (h, csv_rows) = csv_of(&stdout_of(&[
        "show",
        "-q",
        &labelled,
        "--region",
        "九原区",
        "--theme",
        "ecology",
        "--format",
        "csv",
    ]));
    for r in &csv_rows {
        assert!(table.contains(&r[col(&h, "text")]));
    }
    // Unknown region or theme: an error, nothing on stdout.
    for bad in [
        vec!["--region", "无此地"],
        vec!["--theme", "weather"],
        vec!["--region", "九原区", "--year", "1999"],
    ] {
        let mut a = vec!["show", &labelled];
        a.extend(bad.iter().copied());
        let out = bin().args(&a).assert().failure();
        assert!(out.get_output().stdout.is_empty(), "{bad:?}");
    }
}

/// Many files with the same problem: the first few warnings, then one line
/// counting the rest.
#[test]
fn the_same_warning_from_many_files_is_counted_not_repeated() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..9 {
        std::fs::write(
            dir.path().join(format!("english_{i}.txt")),
            format!("This report number {i} is written in English, not in Chinese, so no term is known.\n"),
        )
        .unwrap();
    }
    let out = bin()
        .args(["label", "--model", &model()])
        .arg(dir.path())
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let shown = err
        .lines()
        .filter(|l| l.starts_with("warning:") && l.contains("no Chinese text"))
        .count();
    assert_eq!(shown, 4, "{err}");
    assert!(err.contains("… and 6 more like this"), "{err}");
}

/// Run outside the repository, a missing default says what to pass.
#[test]
fn a_missing_default_names_the_flag_to_pass() {
    let dir = tempfile::tempdir().unwrap();
    let report = root().join(REPORT);
    // (`label` and `explain` need no default: they fall back on the model
    // bundled in the binary; tests/default_model.rs.)
    let _ = &report;
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["train".into()], "pass --labels DIR"),
        (vec!["eval".into()], "pass --labels DIR"),
        (vec!["summary".into(), "--gold".into()], "pass --labels DIR"),
        (
            vec![
                "analyze".into(),
                root().join("corpus").to_string_lossy().into_owned(),
            ],
            "pass --labels DIR",
        ),
        (vec!["analyze".into()], "analyze FILES|DIRS"),
        (vec!["report".into()], "pass LABELLED.csv"),
    ];
    for (args, hint) in cases {
        let out = bin().current_dir(dir.path()).args(&args).assert().failure();
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.contains(hint), "{args:?}: {err}");
    }
    // An explicit path that is missing is reported as such, without the hint.
    let out = bin()
        .current_dir(dir.path())
        .args(["train", "--labels", "mine"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("mine") && !err.contains("pass --labels"),
        "{err}"
    );
}

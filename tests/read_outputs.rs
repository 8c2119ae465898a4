//! Every CSV the tool writes loads in pandas with `pandas.read_csv(path)` and
//! no options, with the columns and rows the tool says it wrote
//! (tests/read_outputs.py does the loading). Without pandas the test is
//! skipped with a notice, or fails when POLICY_THEMES_REQUIRE_PANDAS=1 (CI).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{bin, default_model, root};

/// Whether pandas can be imported; `Err` says why not.
fn pandas() -> Result<(), String> {
    match Command::new("python3")
        .args(["-c", "import pandas"])
        .output()
    {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(String::from_utf8_lossy(&o.stderr).trim().to_string()),
        Err(e) => Err(format!("cannot run python3: {e}")),
    }
}

/// Run a command from the repository root; its stdout and stderr.
fn run(args: &[&str]) -> (Vec<u8>, String) {
    let o = bin().args(args).assert().success().get_output().clone();
    (o.stdout, String::from_utf8(o.stderr).unwrap())
}

/// One manifest line: what the strict CSV reader of this crate finds.
fn describe(path: &Path) -> (serde_json::Value, usize) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let numeric: Vec<&String> = header
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let cells: Vec<&str> = rows.iter().filter_map(|r| r.get(*i)).collect();
            cells.iter().any(|c| !c.is_empty())
                && cells
                    .iter()
                    .all(|c| c.is_empty() || c.parse::<f64>().is_ok_and(f64::is_finite))
        })
        .map(|(_, h)| h)
        .collect();
    let line = serde_json::json!({
        "path": path.to_string_lossy(),
        "columns": header,
        "rows": rows.len(),
        "numeric": numeric,
    });
    (line, rows.len())
}

/// The number after `word` in `text` (`labelled 1452 paragraphs`).
fn number_after(text: &str, word: &str) -> usize {
    let i = text
        .find(word)
        .unwrap_or_else(|| panic!("no `{word}` in {text}"))
        + word.len();
    text[i..]
        .trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after `{word}` in {text}"))
}

#[test]
fn pandas_reads_every_csv_the_tool_writes_with_no_options() {
    if let Err(why) = pandas() {
        if std::env::var("POLICY_THEMES_REQUIRE_PANDAS").as_deref() == Ok("1") {
            panic!(
                "POLICY_THEMES_REQUIRE_PANDAS=1 but python3 cannot import pandas ({why}); \
                 install it with `python3 -m pip install pandas`"
            );
        }
        println!(
            "skipping: pandas is not available ({why}); `python3 -m pip install pandas` to run \
             this test (set POLICY_THEMES_REQUIRE_PANDAS=1 to make it fail instead)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| -> PathBuf { dir.path().join(name) };
    let s = |p: &PathBuf| p.to_string_lossy().into_owned();
    let model = s(&default_model().to_path_buf());
    let mut files: Vec<PathBuf> = Vec::new();
    // Files the commands write, with what they say about them.
    let out = d("out");
    let (_, err) = run(&["analyze", "corpus", "--out", &s(&out)]);
    let said = number_after(&err, "paragraphs.csv (");
    files.extend(["paragraphs.csv", "shares.csv", "panel.csv"].map(|f| out.join(f)));
    let (seg, dropped) = (d("segment.csv"), d("dropped.csv"));
    run(&[
        "segment",
        "-q",
        "corpus",
        "-o",
        &s(&seg),
        "--dropped",
        &s(&dropped),
    ]);
    files.extend([seg, dropped]);
    let lab = d("label.csv");
    let (_, err) = run(&["label", "corpus", "--model", &model, "-o", &s(&lab)]);
    let labelled = number_after(&err, "labelled");
    assert_eq!(labelled, said);
    files.push(lab.clone());
    let bom = d("label-bom.csv");
    run(&[
        "label",
        "-q",
        "--bom",
        "corpus",
        "--model",
        &model,
        "-o",
        &s(&bom),
    ]);
    files.push(bom);
    let sample = d("sample.csv");
    run(&["sample", "-q", "corpus", "-n", "20", "-o", &s(&sample)]);
    files.push(sample.clone());
    let predictions = d("predictions.csv");
    let (eval, _) = run(&[
        "eval",
        "-q",
        "--folds",
        "3",
        "--format",
        "csv",
        "--predictions",
        &s(&predictions),
    ]);
    files.push(predictions.clone());
    let l = s(&lab);
    // Commands whose CSV goes to stdout, saved as they print it.
    let mut stdout_files = vec![("eval.csv", eval)];
    for (name, args) in [
        ("summary.csv", vec!["summary", "-q", &l, "--format", "csv"]),
        (
            "summary-ci.csv",
            vec![
                "summary",
                "-q",
                &l,
                "--by",
                "region,year",
                "--ci",
                "--samples",
                "100",
                "--format",
                "csv",
            ],
        ),
        (
            "summary-long.csv",
            vec![
                "summary",
                "-q",
                &l,
                "--by",
                "region,year",
                "--ci",
                "--samples",
                "100",
                "--format",
                "long",
            ],
        ),
        (
            "summary-pooled.csv",
            vec!["summary", "-q", &l, "--pool-kinds", "--format", "csv"],
        ),
        (
            "dictionary.csv",
            vec![
                "summary",
                "-q",
                &l,
                "--method",
                "dictionary",
                "--format",
                "csv",
            ],
        ),
        (
            "compare.csv",
            vec!["compare", "-q", &l, "厦门市", "东丽区", "--format", "csv"],
        ),
        (
            "show.csv",
            vec!["show", "-q", &l, "--region", "九原区", "--format", "csv"],
        ),
        (
            "agree.csv",
            vec!["labels", "agree", "labels", "labels", "--format", "csv"],
        ),
        (
            "explain.csv",
            vec!["explain", "-q", "--model", &model, "--top", "5"],
        ),
    ] {
        stdout_files.push((name, run(&args).0));
    }
    for (name, bytes) in stdout_files {
        let p = d(name);
        std::fs::write(&p, bytes).unwrap();
        files.push(p);
    }
    // The manifest, and what the tool said beside what the files hold.
    let mut manifest = String::new();
    let mut rows = std::collections::HashMap::new();
    for f in &files {
        let (line, n) = describe(f);
        assert!(n > 0, "{} is empty", f.display());
        manifest.push_str(&line.to_string());
        manifest.push('\n');
        rows.insert(f.file_name().unwrap().to_string_lossy().into_owned(), n);
    }
    assert_eq!(rows["paragraphs.csv"], said);
    assert_eq!(rows["label.csv"], labelled);
    assert_eq!(rows["sample.csv"], 20);
    assert_eq!(rows["compare.csv"], 13);
    assert_eq!(rows["explain.csv"], 13 * 5);
    // The panel of analyze and of summary --format long: 13 rows per row of
    // the region × kind × year table.
    assert_eq!(rows["panel.csv"], 13 * rows["summary-ci.csv"]);
    assert_eq!(rows["summary-long.csv"], 13 * rows["summary-ci.csv"]);
    assert_eq!(rows["predictions.csv"], 1452);
    let m = d("manifest.jsonl");
    std::fs::write(&m, manifest).unwrap();
    let o = Command::new("python3")
        .arg(root().join("tests/read_outputs.py"))
        .arg(&m)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&o.stdout);
    println!("{report}");
    assert!(
        o.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        report.contains(&format!("{} file(s) loaded, 0 problem(s)", files.len())),
        "{report}"
    );
}

//! A user's own codebook end to end: `tests/codebook/CODEBOOK.md` has five
//! themes whose ids are not in the bundled codebook. Its label files in
//! `tests/codebook/labels/` are test data for the scheme plumbing, not gold
//! data: two seed label files with each bundled theme mapped to the coarser
//! fixture theme that contains it (see the fixture codebook's text).

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{bin, read_csv, root};

const IDS: [&str; 5] = ["growth", "land", "green", "people", "state"];
const BUNDLED_IDS: [&str; 13] = common::BUNDLED_THEMES;
const SEEDS: [&str; 2] = ["000_948226ca6efd262f", "004_6437f29fd503ac4d"];

fn codebook() -> PathBuf {
    root().join("tests/codebook/CODEBOOK.md")
}

fn labels() -> PathBuf {
    root().join("tests/codebook/labels")
}

fn tmp() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("codebook-test")
}

/// The two seed reports the fixture labels cover, as a corpus of their own.
fn corpus() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tmp().join("corpus");
        std::fs::create_dir_all(&dir).unwrap();
        for s in SEEDS {
            let name = format!("{s}.txt");
            std::fs::copy(root().join("corpus").join(&name), dir.join(&name)).unwrap();
        }
        dir
    })
}

/// A model trained on the fixture labels with the fixture codebook.
fn model() -> &'static Path {
    static MODEL: OnceLock<PathBuf> = OnceLock::new();
    MODEL.get_or_init(|| {
        std::fs::create_dir_all(tmp()).unwrap();
        let path = tmp().join("model.json");
        bin()
            .args(["train", "-q", "--codebook"])
            .arg(codebook())
            .arg("--labels")
            .arg(labels())
            .arg("-o")
            .arg(&path)
            .assert()
            .success();
        path
    })
}

/// The corpus labelled by [`model`].
fn labelled() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let path = tmp().join("labelled.csv");
        bin()
            .args(["label", "-q", "-m"])
            .arg(model())
            .arg(corpus())
            .arg("-o")
            .arg(&path)
            .assert()
            .success();
        path
    })
}

fn stdout(args: &[&std::ffi::OsStr]) -> String {
    let out = bin().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

/// Every fixture id is among `words` and no bundled id is.
fn names_only_fixture_themes(words: &[&str], what: &str) {
    for id in IDS {
        assert!(words.contains(&id), "{what}: no `{id}` in {words:?}");
    }
    for id in BUNDLED_IDS {
        assert!(!words.contains(&id), "{what}: bundled `{id}` in {words:?}");
    }
}

/// The words of a text (ids are ASCII words; CJK and punctuation split them).
fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn labels_check_accepts_the_fixture_and_the_bundled_codebook_refuses_it() {
    let out = stdout(&[
        os("labels"),
        os("check"),
        labels().as_os_str(),
        os("--corpus"),
        corpus().as_os_str(),
        os("--codebook"),
        codebook().as_os_str(),
    ]);
    let head = out.lines().next().unwrap();
    assert_eq!(
        words(head),
        ["doc_id", "growt", "land", "green", "peopl", "state", "total"]
    );
    assert!(
        out.contains("ok: 359 labelled paragraphs in 2 file(s)"),
        "{out}"
    );
    // The same files against the bundled codebook: every row named, with the known ids.
    let out = bin()
        .args(["labels", "check", "--no-corpus"])
        .arg(labels())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err.lines().next().unwrap();
    assert!(
        first.contains("000_948226ca6efd262f.csv:2: unknown theme id `state`")
            && first.contains("expected one of: poverty, rural,"),
        "{err}"
    );
}

#[test]
fn the_model_carries_the_codebook_and_labels_with_its_themes() {
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(model()).unwrap()).unwrap();
    assert_eq!(m["format_version"], 5);
    let themes: Vec<&str> = m["model"]["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(themes, IDS);
    let cb = &m["model"]["codebook"];
    assert_eq!(cb["version"], "0.1");
    assert_eq!(cb["themes"][2]["zh"], "绿色生态");
    assert_eq!(cb["themes"][0]["short"], "grow");
    let (h, rows) = read_csv(labelled());
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (t, s) = (col("theme"), col("secondary"));
    assert_eq!(rows.len(), 359);
    for r in &rows {
        assert!(IDS.contains(&&r[t]), "{r:?}");
        assert!(r[s].is_empty() || IDS.contains(&&r[s]), "{r:?}");
    }
    let used: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[t]).collect();
    assert!(used.len() >= 4, "{used:?}");
    // JSON Lines name the same themes.
    let out = stdout(&[
        os("label"),
        os("-q"),
        os("-m"),
        model().as_os_str(),
        os("--format"),
        os("jsonl"),
        corpus().join("000_948226ca6efd262f.txt").as_os_str(),
    ]);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert!(IDS.contains(&first["theme"].as_str().unwrap()), "{first}");
}

#[test]
fn a_codebook_other_than_the_models_is_refused() {
    let out = bin()
        .args(["label", "-q", "-m"])
        .arg(model())
        .arg("--codebook")
        .arg(root().join("labels/CODEBOOK.md"))
        .arg(corpus())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the model was trained with the codebook")
            && err.contains("growth, land, green, people, state")
            && err.contains("poverty"),
        "{err}"
    );
    // The model's own codebook is accepted.
    bin()
        .args(["explain", "-q", "--top", "1", "-m"])
        .arg(model())
        .arg("--codebook")
        .arg(codebook())
        .assert()
        .success();
}

#[test]
fn summary_with_intervals_and_adjustment_names_the_fixture_themes() {
    let out = stdout(&[
        os("summary"),
        labelled().as_os_str(),
        os("--codebook"),
        codebook().as_os_str(),
        os("--labels"),
        labels().as_os_str(),
        os("--ci"),
        os("--adjust"),
        os("--samples"),
        os("200"),
        os("--csv"),
    ]);
    let header: Vec<&str> = out.lines().next().unwrap().split(',').collect();
    // Kinds of document are kept apart: `kind` follows `region`.
    let mut want = vec!["region", "kind", "paragraphs", "chars", "uncertain"];
    want.extend(IDS);
    for id in IDS {
        assert!(header.contains(&format!("{id}_lo").as_str()), "{header:?}");
        assert!(header.contains(&format!("{id}_adj").as_str()), "{header:?}");
        assert!(
            header.contains(&format!("{id}_adj_hi").as_str()),
            "{header:?}"
        );
    }
    assert_eq!(&header[..10], want.as_slice());
    assert_eq!(header.len(), 5 + 5 * 6);
    names_only_fixture_themes(&words(&out), "summary --csv");
    // Each row's shares sum to 1.
    for line in out.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let sum: f64 = cells[5..10].iter().map(|c| c.parse::<f64>().unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-5, "{line}");
    }
    // The readable table uses the short labels (given or derived).
    let table = stdout(&[
        os("summary"),
        labelled().as_os_str(),
        os("--codebook"),
        codebook().as_os_str(),
        os("--ci"),
        os("--samples"),
        os("100"),
    ]);
    assert_eq!(
        words(table.lines().next().unwrap()),
        ["region", "kind", "paras", "grow", "land", "green", "ppl", "state"]
    );
}

#[test]
fn summary_of_the_gold_labels_and_the_dictionary_measure_use_the_codebook() {
    let out = stdout(&[
        os("summary"),
        os("--gold"),
        os("--labels"),
        labels().as_os_str(),
        os("--corpus"),
        corpus().as_os_str(),
        os("--codebook"),
        codebook().as_os_str(),
        os("--by"),
        os("doc"),
        os("--csv"),
    ]);
    assert_eq!(out.lines().count(), 12, "{out}");
    names_only_fixture_themes(&words(out.lines().next().unwrap()), "summary --gold");
    // The codebook's `terms` column is the dictionary.
    let out = stdout(&[
        os("summary"),
        labelled().as_os_str(),
        os("--method"),
        os("dictionary"),
        os("--codebook"),
        codebook().as_os_str(),
        os("--csv"),
    ]);
    let header = out.lines().next().unwrap();
    assert!(
        header.contains(",growth,land,green,people,state,"),
        "{header}"
    );
    assert!(header.ends_with("growth_rate,land_rate,green_rate,people_rate,state_rate"));
    let hits: usize = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap().parse::<usize>().unwrap())
        .sum();
    assert!(hits > 50, "{out}");
}

#[test]
fn a_codebook_without_terms_needs_a_dictionary_file() {
    let dir = tmp().join("no-terms");
    std::fs::create_dir_all(&dir).unwrap();
    let cb = dir.join("cb.md");
    std::fs::write(
        &cb,
        "| id | 中文 | English |\n|---|---|---|\n| growth | 经济发展 | Growth |\n| green | 绿色生态 | Green |\n",
    )
    .unwrap();
    let out = bin()
        .args(["summary", "--method", "dictionary", "--codebook"])
        .arg(&cb)
        .arg(labelled())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no dictionary terms") && err.contains("--dictionary FILE"),
        "{err}"
    );
    let dict = dir.join("d.txt");
    std::fs::write(&dict, "[growth]\n产业\n[绿色生态]\n生态\n").unwrap();
    let rows = dir.join("rows.csv");
    std::fs::write(
        &rows,
        "doc_id,region,theme,text\nd,甲市,growth,产业兴旺生态美\nd,甲市,green,生态优先\n",
    )
    .unwrap();
    let out = stdout(&[
        os("summary"),
        os("--method"),
        os("dictionary"),
        os("--codebook"),
        cb.as_os_str(),
        os("--dictionary"),
        dict.as_os_str(),
        os("--csv"),
        rows.as_os_str(),
    ]);
    assert!(
        out.starts_with("region,paragraphs,words,hits,growth,green,"),
        "{out}"
    );
    // 产业 once, 生态 twice: shares 1/3 and 2/3.
    let row = out.lines().nth(1).unwrap();
    assert!(
        row.starts_with("甲市,2,") && row.contains(",3,0.333333,0.666667,"),
        "{row}"
    );
}

#[test]
fn compare_names_the_fixture_themes() {
    let out = stdout(&[
        os("compare"),
        labelled().as_os_str(),
        os("004_6437f29fd503ac4d-01"),
        os("004_6437f29fd503ac4d-02"),
        os("--codebook"),
        codebook().as_os_str(),
        os("--samples"),
        os("200"),
        os("--csv"),
    ]);
    let rows: Vec<Vec<&str>> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 5);
    let mut themes: Vec<&str> = rows.iter().map(|r| r[2]).collect();
    themes.sort_unstable();
    let mut want = IDS.to_vec();
    want.sort_unstable();
    assert_eq!(themes, want);
    assert!(rows.iter().any(|r| r[3] == "治理与总述"), "{out}");
}

#[test]
fn explain_takes_an_id_or_a_chinese_name() {
    let by_name = stdout(&[
        os("explain"),
        os("-m"),
        model().as_os_str(),
        os("--theme"),
        os("绿色生态"),
        os("--top"),
        os("3"),
    ]);
    let by_id = stdout(&[
        os("explain"),
        os("-m"),
        model().as_os_str(),
        os("--theme"),
        os("green"),
        os("--top"),
        os("3"),
    ]);
    assert_eq!(by_name, by_id);
    assert_eq!(by_name.lines().count(), 4);
    assert!(
        by_name.lines().skip(1).all(|l| l.starts_with("green,")),
        "{by_name}"
    );
    let all = stdout(&[
        os("explain"),
        os("-m"),
        model().as_os_str(),
        os("--top"),
        os("2"),
    ]);
    let themes: Vec<&str> = all
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        themes,
        [
            "growth", "growth", "land", "land", "green", "green", "people", "people", "state",
            "state"
        ]
    );
    let out = bin()
        .args(["explain", "-m"])
        .arg(model())
        .args(["--theme", "poverty"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown theme id `poverty`") && err.contains("growth, land"),
        "{err}"
    );
}

#[test]
fn report_shows_the_fixture_themes_in_their_colours() {
    let out = tmp().join("report.html");
    bin()
        .args(["report", "-q", "--samples", "50", "-m"])
        .arg(model())
        .arg(labelled())
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    for id in IDS {
        assert!(html.contains(&format!("id=\"theme-{id}\"")), "{id}");
    }
    for zh in [
        "经济发展",
        "城乡与农村",
        "绿色生态",
        "民生社会",
        "治理与总述",
    ] {
        assert!(html.contains(zh), "{zh}");
    }
    for id in BUNDLED_IDS {
        assert!(!html.contains(&format!("id=\"theme-{id}\"")), "{id}");
    }
    assert!(html.contains("one of the 5 policy themes of the codebook"));
    // Given colours, and the palette's for the theme without one.
    assert!(html.contains("background:#4e79a7\"></i>growth"));
    assert!(html.contains("background:#59a14f\"></i>green"));
}

#[test]
fn eval_cross_validates_and_scores_a_held_out_file_with_the_fixture_themes() {
    let out = stdout(&[
        os("eval"),
        os("--json"),
        os("--folds"),
        os("3"),
        os("--labels"),
        labels().as_os_str(),
        os("--codebook"),
        codebook().as_os_str(),
    ]);
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let themes: Vec<&str> = r["per_theme"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["theme"].as_str().unwrap())
        .collect();
    assert_eq!(themes, IDS);
    assert_eq!(r["confusion"].as_array().unwrap().len(), 5);
    assert_eq!(r["paragraphs"], 359);
    let text = stdout(&[
        os("eval"),
        os("-q"),
        os("--model"),
        model().as_os_str(),
        os("--test"),
        labels().join("000_948226ca6efd262f.csv").as_os_str(),
    ]);
    names_only_fixture_themes(&words(&text), "eval --model --test");
}

#[test]
fn analyze_runs_the_whole_job_with_the_fixture_codebook() {
    let out = tmp().join("analyze");
    let table = stdout(&[
        os("analyze"),
        os("-q"),
        corpus().as_os_str(),
        os("--labels"),
        labels().as_os_str(),
        os("--codebook"),
        codebook().as_os_str(),
        os("--out"),
        out.as_os_str(),
    ]);
    assert_eq!(
        words(table.lines().next().unwrap()),
        ["region", "kind", "paras", "grow", "land", "green", "ppl", "state"]
    );
    let (h, _) = read_csv(&out.join("shares.csv"));
    let header: Vec<&str> = h.iter().collect();
    names_only_fixture_themes(&header, "analyze shares.csv");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"theme-state\""));
}

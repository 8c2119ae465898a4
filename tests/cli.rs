//! End-to-end tests of the `policy-themes` command on the bundled seeds.

use predicates::prelude::*;

mod common;
use common::{bin, default_model, read_csv, root, segment_corpus, train_on};

#[test]
fn segment_writes_the_documented_columns_for_all_documents() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seg.csv");
    segment_corpus(&out);
    let (h, rows) = read_csv(&out);
    assert_eq!(
        h.iter().collect::<Vec<_>>(),
        policy_themes::corpus::SEGMENT_COLUMNS
    );
    let docs: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    assert_eq!(docs.len(), 23);
    assert!(
        rows.iter().all(|r| !r.get(2).unwrap().is_empty()),
        "every document has a region"
    );
    assert!(rows
        .iter()
        .all(|r| r.get(9).unwrap().chars().count() <= 600));
    assert!(rows.iter().all(|r| !r.get(9).unwrap().contains("点我投稿")));
    let sections: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.get(8).unwrap()).collect();
    assert_eq!(
        sections.into_iter().collect::<Vec<_>>(),
        ["other", "plan", "review"]
    );
}

#[test]
fn labels_check_passes_on_the_bundled_labels() {
    bin()
        .args(["labels", "check", "-q"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok: 1452 labelled paragraphs"));
}

#[test]
fn train_label_summary_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.json");
    let labelled = dir.path().join("labelled.csv");
    let shares = dir.path().join("shares.csv");
    bin()
        .args(["train", "-q", "-o"])
        .arg(&model)
        .assert()
        .success();
    bin()
        .args(["label", "-q", "--model"])
        .arg(&model)
        .arg("corpus")
        .arg("-o")
        .arg(&labelled)
        .assert()
        .success();
    let (h, rows) = read_csv(&labelled);
    for col in [
        "doc_id",
        "para_id",
        "region",
        "year",
        "section",
        "theme",
        "confidence",
        "text",
    ] {
        assert!(h.iter().any(|c| c == col), "missing {col}");
    }
    assert_eq!(rows.len(), 1452);
    // In-sample, the default model gives every paragraph its gold theme, as
    // the README says of analyze's table (it equals `summary --gold`).
    let gold = gold_themes();
    let (d, pi, t) = (col(&h, "doc_id"), col(&h, "para_id"), col(&h, "theme"));
    let same = rows
        .iter()
        .filter(|r| gold.get(&(r[d].to_string(), r[pi].to_string())) == Some(&r[t].to_string()))
        .count();
    assert_eq!(same, 1452);
    let conf = h.iter().position(|c| c == "confidence").unwrap();
    assert!(rows
        .iter()
        .all(|r| (0.0..=1.0).contains(&r.get(conf).unwrap().parse::<f64>().unwrap())));
    for by in ["region", "doc", "region,year", "region,section"] {
        bin()
            .args(["summary", "-q", "--by", by])
            .arg(&labelled)
            .arg("-o")
            .arg(&shares)
            .assert()
            .success();
        let (h, rows) = read_csv(&shares);
        let first_theme = col(&h, "poverty");
        assert_eq!(h.len(), first_theme + 13);
        assert!(!rows.is_empty());
        for r in &rows {
            let sum: f64 = r
                .iter()
                .skip(first_theme)
                .map(|x| x.parse::<f64>().unwrap())
                .sum();
            assert!((sum - 1.0).abs() < 1e-4, "{by}: row sums to {sum}");
        }
    }
    // 15 regions, 17 rows: kinds of document are kept apart, and 九原区 has a
    // work and a plan report, 呼和浩特市 a report and seven articles.
    bin()
        .args(["summary", "-q", "--by", "region", "--csv"])
        .arg(&labelled)
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| s.lines().count() == 1 + 17));
    bin()
        .args(["summary", "-q", "--by", "region", "--csv", "--pool-kinds"])
        .arg(&labelled)
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| s.lines().count() == 1 + 15));
    // JSON Lines output and --paragraphs input agree with CSV labelling.
    let seg = dir.path().join("seg.csv");
    segment_corpus(&seg);
    let out = bin()
        .args(["label", "-q", "--format", "jsonl", "--model"])
        .arg(&model)
        .arg("--paragraphs")
        .arg(&seg)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1452);
    let theme_col = col(&h, "theme");
    for (j, r) in lines.iter().zip(&rows) {
        assert_eq!(j["theme"].as_str().unwrap(), r.get(theme_col).unwrap());
    }
}

/// Index of a column in a header already read.
/// The bundled gold theme of every paragraph, by (doc_id, para_id).
fn gold_themes() -> std::collections::HashMap<(String, String), String> {
    let mut gold = std::collections::HashMap::new();
    for entry in std::fs::read_dir(root().join("labels")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            let (h, rows) = read_csv(&path);
            for r in rows {
                gold.insert(
                    (
                        r[col(&h, "doc_id")].to_string(),
                        r[col(&h, "para_id")].to_string(),
                    ),
                    r[col(&h, "theme")].to_string(),
                );
            }
        }
    }
    gold
}

fn col(header: &csv::StringRecord, name: &str) -> usize {
    header.iter().position(|c| c == name).unwrap()
}

#[test]
fn summary_gold_gives_shares_per_region() {
    bin()
        .args(["summary", "-q", "--gold", "--csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("呼和浩特市").and(predicate::str::contains("九原区")));
}

#[test]
fn analyze_trains_once_then_reuses_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = || {
        bin()
            .args(["analyze", "corpus", "--out"])
            .arg(&out)
            .assert()
            .success()
    };
    let first = run();
    assert!(
        String::from_utf8_lossy(&first.get_output().stderr).contains("training the default model")
    );
    let stdout = String::from_utf8_lossy(&first.get_output().stdout).to_string();
    assert!(stdout.contains("咸阳市") && stdout.contains("overvw"));
    for f in ["paragraphs.csv", "shares.csv", "panel.csv", "model.json"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let second = run();
    assert!(String::from_utf8_lossy(&second.get_output().stderr).contains("using cached model"));
}

/// Issue 4's floor for the default model, in both groupings: grouped 5-fold
/// macro-F1 of at least 0.80 and a mean share error per document within 3 pp
/// (measured 0.868 / 0.873 and 1.54 / 1.57 pp). A change to the model or the
/// features that falls below it fails here, not only in BENCHMARKS.
#[test]
fn default_model_keeps_the_quality_floor() {
    for group in ["doc", "region"] {
        let v = json_of(&["eval", "-q", "--json", "--group", group], &[]);
        let f1 = v["macro_f1"].as_f64().unwrap();
        let mae = v["share_mae_pp"].as_f64().unwrap();
        assert!(f1 >= 0.80, "{group}: macro-F1 {f1}");
        assert!(mae <= 3.0, "{group}: share error {mae} pp");
    }
}

#[test]
fn eval_reports_grouped_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let preds = dir.path().join("oof.csv");
    bin()
        .args(["eval", "-q", "--folds", "3", "--json", "--predictions"])
        .arg(&preds)
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| {
            let v: serde_json::Value = serde_json::from_str(s).unwrap();
            let f1 = v["macro_f1"].as_f64().unwrap();
            // Every document's share error, worst first, the first being the worst.
            let docs = v["per_document"].as_array().unwrap();
            let errs: Vec<f64> = docs
                .iter()
                .map(|d| d["share_mae_pp"].as_f64().unwrap())
                .collect();
            v["paragraphs"] == 1452
                && f1 > 0.5
                && f1 <= 1.0
                && v["confusion"].as_array().unwrap().len() == 13
                && docs.len() == 23
                && errs.windows(2).all(|w| w[0] >= w[1])
                && errs[0] == v["share_mae_worst_pp"].as_f64().unwrap()
        }));
    // One row per labelled paragraph, a probability per theme that sums to
    // one, and the predicted theme is the most probable one.
    let (h, rows) = read_csv(&preds);
    assert_eq!(rows.len(), 1452);
    let p_cols: Vec<usize> = (0..h.len()).filter(|&i| h[i].starts_with("p_")).collect();
    assert_eq!(p_cols.len(), 13);
    let predicted = col(&h, "theme");
    let (gold, para, region) = (col(&h, "gold_theme"), col(&h, "para_id"), col(&h, "region"));
    // The gold labels' paragraphs, so the file joins with `label` output.
    let gold_themes = gold_themes();
    for r in &rows {
        let key = (r[col(&h, "doc_id")].to_string(), r[para].to_string());
        assert_eq!(gold_themes[&key], r[gold], "{r:?}");
        assert!(!r[region].is_empty(), "{r:?}");
        let p: Vec<f64> = p_cols.iter().map(|&i| r[i].parse().unwrap()).collect();
        let total: f64 = p.iter().sum();
        assert!((total - 1.0).abs() < 1e-4, "{total}");
        let max = p.iter().copied().fold(0.0, f64::max);
        let col = p_cols
            .iter()
            .position(|&i| h[i][2..] == r[predicted])
            .unwrap();
        // Printed to 6 decimals: equal within rounding.
        assert!(p[col] >= max - 1e-6, "{:?}", r);
    }
}

#[test]
fn every_subcommand_documents_its_flags() {
    for sub in [
        "analyze", "segment", "train", "label", "summary", "eval", "explain",
    ] {
        bin()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage:"));
    }
    for sub in ["check", "agree"] {
        bin()
            .args(["labels", sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage:"));
    }
}

#[test]
fn output_is_identical_on_one_and_two_threads() {
    let model = default_model();
    let run = |threads: &str| {
        bin()
            .env("RAYON_NUM_THREADS", threads)
            .args(["label", "-q", "--model"])
            .arg(model)
            .arg("corpus")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn min_confidence_explain_and_held_out_eval() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.json");
    // Train on everything but one file, evaluate on that file.
    let train_dir = dir.path().join("train");
    std::fs::create_dir(&train_dir).unwrap();
    for f in std::fs::read_dir(root().join("labels")).unwrap() {
        let p = f.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_file() && name.ends_with(".csv") && !name.starts_with("003_") {
            std::fs::copy(&p, train_dir.join(&name)).unwrap();
        }
    }
    train_on(&train_dir, &model);
    bin()
        .args(["eval", "-q", "--json", "--model"])
        .arg(&model)
        .args(["--test", "labels/003_cbd66c4364d6c9dc.csv"])
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| {
            let v: serde_json::Value = serde_json::from_str(s).unwrap();
            v["paragraphs"] == 63 && v["accuracy"].as_f64().unwrap() > 0.5
        }));
    let out = bin()
        .args([
            "label",
            "-q",
            "--min-confidence",
            "0.9",
            "--explain",
            "--model",
        ])
        .arg(&model)
        .arg("corpus/003_cbd66c4364d6c9dc.txt")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut rdr = csv::Reader::from_reader(out.as_slice());
    let h = rdr.headers().unwrap().clone();
    let (ti, ci, ei) = (
        h.iter().position(|c| c == "theme").unwrap(),
        h.iter().position(|c| c == "confidence").unwrap(),
        h.iter().position(|c| c == "explain").unwrap(),
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert!(rows.iter().any(|r| &r[ti] == "uncertain"));
    for r in &rows {
        let c: f64 = r[ci].parse().unwrap();
        assert_eq!(&r[ti] == "uncertain", c < 0.9);
    }
    assert!(rows.iter().any(|r| r[ei].contains(':')));
    bin()
        .args(["explain", "--theme", "ecology", "--top", "5", "--model"])
        .arg(&model)
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| {
            s.lines().count() == 6 && s.contains("ecology,1,")
        }));
}

#[test]
fn manifest_overrides_detection_and_unknown_region_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "关于推进工作的说明\n各位代表:\n一、2020年工作回顾\n我们坚持乡村振兴,建设高标准农田。\n";
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    std::fs::write(dir.path().join("b.txt"), text).unwrap();
    // Without a manifest the region cannot be found: empty, with a warning naming the document.
    let out = bin().arg("segment").arg(dir.path()).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("a (") && stderr.contains("region not found"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout
        .lines()
        .skip(1)
        .all(|l| l.split(',').nth(2) == Some("")));
    // The manifest fills in what detection could not, for the documents it
    // names; saved by a spreadsheet with a byte-order mark, it reads the same.
    for bom in ["", "\u{feff}"] {
        std::fs::write(
            dir.path().join("manifest.csv"),
            format!("{bom}doc_id,region,year,kind,title\na,某某县,2021,work_report,\n"),
        )
        .unwrap();
        let out = bin()
            .args(["segment", "-q"])
            .arg(dir.path())
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(
            stdout.contains("a,0,某某县,,,,2021,work_report,"),
            "{stdout}"
        );
        assert!(stdout.contains("b,0,,"), "{stdout}");
    }
    // A title left with an open quote would swallow the rows after it.
    std::fs::write(
        dir.path().join("manifest.csv"),
        "doc_id,region,title\na,某某县,\"报告\nb,某某市,\n",
    )
    .unwrap();
    bin()
        .arg("segment")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "manifest.csv:2: a quoted field opens here",
        ));
    // A bad manifest is an error naming file and line.
    std::fs::write(
        dir.path().join("manifest.csv"),
        "doc_id,region,year\na,某某县,twenty\n",
    )
    .unwrap();
    bin()
        .arg("segment")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("manifest.csv:2: bad year"));
}

#[test]
fn wrapped_text_is_joined_back_with_a_warning() {
    // The first seed report cut into lines of 36 characters, as a fixed-width dump would.
    let source = std::fs::read_to_string(root().join("corpus/000_948226ca6efd262f.txt")).unwrap();
    let mut wrapped = String::new();
    for line in source.lines() {
        let chars: Vec<char> = line.trim().chars().collect();
        for piece in chars.chunks(36) {
            wrapped.extend(piece);
            wrapped.push('\n');
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.txt");
    std::fs::write(&file, &wrapped).unwrap();
    let out = bin().arg("segment").arg(&file).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("report (") && stderr.contains("lines look wrapped at 36 characters"),
        "{stderr}"
    );
    let rows = String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .count()
        - 1;
    let original = bin()
        .args(["segment", "-q", "corpus/000_948226ca6efd262f.txt"])
        .assert()
        .success();
    let want = String::from_utf8_lossy(&original.get_output().stdout)
        .lines()
        .count()
        - 1;
    // Unindented, a full line that ends a sentence ends its paragraph, which
    // sometimes cuts one in two; read line by line it would be about 280.
    assert!(
        rows * 100 >= want * 85 && rows * 100 <= want * 115,
        "{rows} paragraphs, not about {want}"
    );
    assert!(wrapped.lines().count() > 3 * want);
}

#[test]
fn standard_input_is_read_as_a_document_named_stdin() {
    let path = "corpus/000_948226ca6efd262f.txt";
    let source = std::fs::read(root().join(path)).unwrap();
    let from_file = bin().args(["segment", "-q", path]).assert().success();
    let want = String::from_utf8_lossy(&from_file.get_output().stdout)
        .replace("\n000_948226ca6efd262f,", "\nstdin,");
    let from_stdin = bin()
        .args(["segment", "-q", "-"])
        .write_stdin(source.clone())
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&from_stdin.get_output().stdout),
        want
    );
    // Beside files, in command-line order, through `label` too.
    let out = bin()
        .args(["label", "-q", "--model"])
        .arg(default_model())
        .args(["-", "corpus/002_d156648063b80b79.txt"])
        .write_stdin(source)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let docs: Vec<&str> = stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(docs.first(), Some(&"stdin"));
    assert_eq!(docs.last(), Some(&"002_d156648063b80b79"));
    // A labelled CSV piped into `summary -` gives what the saved file gives.
    let dir = tempfile::tempdir().unwrap();
    let labelled = dir.path().join("labelled.csv");
    std::fs::write(&labelled, &out.get_output().stdout).unwrap();
    let summary = |input: &std::path::Path, stdin: Vec<u8>| {
        let out = bin()
            .args(["summary", "-q", "--csv"])
            .arg(input)
            .write_stdin(stdin)
            .assert()
            .success();
        out.get_output().stdout.clone()
    };
    let piped = summary(std::path::Path::new("-"), out.get_output().stdout.clone());
    assert_eq!(piped, summary(&labelled, Vec::new()));
    // Header and 九原区, the region of both documents, one row per kind.
    assert!(String::from_utf8_lossy(&piped).starts_with("region,kind,"));
    assert_eq!(String::from_utf8_lossy(&piped).lines().count(), 3);
    // A bad row read from stdin is named by `stdin` and its line.
    bin()
        .args(["summary", "-q", "-"])
        .write_stdin("doc_id,theme,text\nd,bad,x\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("stdin:2: unknown theme id `bad`"));
    // Empty input and a second `-` are errors, with nothing on stdout.
    for (args, message) in [
        (&["segment", "-"][..], "stdin: empty file"),
        (
            &["segment", "-", "-"][..],
            "standard input (`-`) can be read only once",
        ),
    ] {
        bin()
            .args(args)
            .write_stdin("")
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn text_the_model_cannot_read_is_labelled_with_a_warning() {
    let simplified = "各位代表:现在,我代表区人民政府向大会报告工作,请予审议,并请区政协各位委员和列席会议的同志提出意见。\n过去一年,我们坚持稳中求进工作总基调,全力以赴稳增长、促改革、调结构、惠民生、防风险,经济社会发展主要目标任务较好完成。\n坚定不移推进招商引资,全年引进亿元以上项目四十二个,到位资金一百八十亿元。\n";
    // The same report in traditional characters, and in English.
    let traditional = "各位代表:現在,我代表區人民政府向大會報告工作,請予審議,並請區政協各位委員和列席會議的同志提出意見。\n過去一年,我們堅持穩中求進工作總基調,全力以赴穩增長、促改革、調結構、惠民生、防風險,經濟社會發展主要目標任務較好完成。\n堅定不移推進招商引資,全年引進億元以上項目四十二個,到位資金一百八十億元。\n";
    let english = "Report on the work of the government\nLast year we kept growth stable and pushed reform forward.\nWe attracted forty-two projects worth more than 100 million yuan each.\n";
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("s", simplified), ("t", traditional), ("e", english)] {
        std::fs::write(dir.path().join(format!("{name}.txt")), text).unwrap();
    }
    let out = bin()
        .args(["label", "--model"])
        .arg(default_model())
        .arg(dir.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let warned = |doc: &str, what: &str| {
        stderr
            .lines()
            .any(|l| l.contains(&format!("{doc} (")) && l.contains(what))
    };
    // Traditional characters are read through a simplified copy.
    assert!(warned("t", "traditional characters"), "{stderr}");
    assert!(!warned("t", "vocabulary"), "{stderr}");
    assert!(
        warned("e", "no Chinese text the model can read"),
        "{stderr}"
    );
    assert!(
        !warned("s", "vocabulary") && !warned("s", "Chinese"),
        "{stderr}"
    );
    // The rows are still written: a warning, not a refusal.
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for doc in ["s,", "t,", "e,"] {
        assert!(stdout.lines().any(|l| l.starts_with(doc)), "{doc}");
    }
    // The same from a paragraphs file, document by document.
    let csv_path = dir.path().join("p.csv");
    let mut w = csv::Writer::from_path(&csv_path).unwrap();
    w.write_record(["doc_id", "para_id", "text"]).unwrap();
    for (doc, text) in [("s", simplified), ("t", traditional)] {
        for (i, line) in text.lines().enumerate() {
            w.write_record([doc, &i.to_string(), line]).unwrap();
        }
    }
    w.flush().unwrap();
    let out = bin()
        .args(["label", "--model"])
        .arg(default_model())
        .arg("--paragraphs")
        .arg(&csv_path)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("t (") && stderr.contains("traditional") && !stderr.contains("s ("),
        "{stderr}"
    );
    assert!(!stderr.contains("vocabulary"), "{stderr}");
    // Read from standard input, the file is named `stdin` in the warning.
    let out = bin()
        .args(["label", "--model"])
        .arg(default_model())
        .args(["--paragraphs", "-"])
        .write_stdin(std::fs::read(&csv_path).unwrap())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("t (stdin): in traditional"), "{stderr}");
}

/// `(doc_id, para_id) -> (theme, confidence)` of `label` CSV output.
fn labels_by_paragraph(
    csv_bytes: &[u8],
) -> std::collections::BTreeMap<(String, String), (String, String)> {
    let mut rdr = csv::Reader::from_reader(csv_bytes);
    let h = rdr.headers().unwrap().clone();
    let (d, p, t, c) = (
        col(&h, "doc_id"),
        col(&h, "para_id"),
        col(&h, "theme"),
        col(&h, "confidence"),
    );
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (
                (r[d].to_string(), r[p].to_string()),
                (r[t].to_string(), r[c].to_string()),
            )
        })
        .collect()
}

#[test]
fn document_prior_sees_whole_documents_and_version_2_models_label_paragraphs_alone() {
    let dir = tempfile::tempdir().unwrap();
    let label = |model: &std::path::Path, input: &[&str]| {
        bin()
            .args(["label", "-q", "--model"])
            .arg(model)
            .args(input)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    // A naive Bayes model (the kind format-2 files held) with the prior and
    // one without it; the first rewritten as a format-2 file (which had no
    // prior) must label as the second.
    let train = |prior: &str, name: &str| {
        let path = dir.path().join(name);
        bin()
            .args([
                "train",
                "-q",
                "--classifier",
                "nb",
                "--document-prior",
                prior,
            ])
            .arg("-o")
            .arg(&path)
            .assert()
            .success();
        path
    };
    let with_prior = train("0.1", "prior.json");
    let off = train("off", "off.json");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&with_prior).unwrap()).unwrap();
    assert!(v["model"]["document_prior"]["strength"].as_f64() == Some(0.1));
    v["format_version"] = 2.into();
    v["model"]["format_version"] = 2.into();
    v["model"].as_object_mut().unwrap().remove("document_prior");
    v["model"]["provenance"]["params"]
        .as_object_mut()
        .unwrap()
        .remove("document_prior");
    let v2 = dir.path().join("v2.json");
    std::fs::write(&v2, serde_json::to_vec(&v).unwrap()).unwrap();
    let by_off = label(&off, &["corpus"]);
    assert_eq!(by_off, label(&v2, &["corpus"]));
    // The prior changes labels.
    let by_prior = label(&with_prior, &["corpus"]);
    let (a, b) = (labels_by_paragraph(&by_prior), labels_by_paragraph(&by_off));
    assert_eq!(a.len(), b.len());
    let changed = a.iter().filter(|(k, x)| b[*k].0 != x.0).count();
    assert!(changed > 0, "the document prior changed no theme");
    // A paragraphs CSV groups rows by doc_id wherever they are: the same
    // labels as the documents, in reverse row order too.
    let seg = dir.path().join("seg.csv");
    segment_corpus(&seg);
    let text = std::fs::read_to_string(&seg).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let reversed = dir.path().join("reversed.csv");
    std::fs::write(&reversed, format!("{header}\n{}\n", lines.join("\n"))).unwrap();
    let seg_arg = seg.to_str().unwrap();
    let rev_arg = reversed.to_str().unwrap();
    let from_csv = labels_by_paragraph(&label(&with_prior, &["--paragraphs", seg_arg]));
    let from_reversed = labels_by_paragraph(&label(&with_prior, &["--paragraphs", rev_arg]));
    assert_eq!(from_csv, a);
    assert_eq!(from_reversed, a);
}

/// The eight files of the second, blind annotation of the corpus.
fn second_annotation() -> Vec<std::path::PathBuf> {
    (1..=8)
        .map(|n| common::root().join(format!("labels/annotation/second/batch_{n}.csv")))
        .collect()
}

/// Run the command with `args` and then `files`; parse its JSON output.
fn json_of(args: &[&str], files: &[std::path::PathBuf]) -> serde_json::Value {
    let out = bin()
        .args(args)
        .args(files)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

/// The second, blind annotation of the corpus against the gold labels: the
/// agreement `labels agree` reports equals a direct count over the files.
#[test]
fn labels_agree_on_the_second_annotation_matches_a_direct_count() {
    let batches = second_annotation();
    let gold = gold_themes();
    let (mut same, mut total) = (0usize, 0usize);
    for b in &batches {
        let (h, rows) = read_csv(b);
        for r in rows {
            let key = (
                r[col(&h, "doc_id")].to_string(),
                r[col(&h, "para_id")].to_string(),
            );
            total += 1;
            same += usize::from(gold[&key] == r[col(&h, "theme")]);
        }
    }
    let v = json_of(&["labels", "agree", "--json", "labels"], &batches);
    assert_eq!(v["paragraphs"].as_u64().unwrap() as usize, total);
    assert_eq!(total, gold.len(), "the second annotation covers the corpus");
    let agreement = v["agreement"].as_f64().unwrap();
    assert!((agreement - same as f64 / total as f64).abs() < 1e-12);
    assert!(same < total, "the two annotations are not identical");
    let kappa = v["cohen_kappa"].as_f64().unwrap();
    assert!(kappa > 0.0 && kappa < agreement, "kappa {kappa}");
    let docs = v["per_document"].as_array().unwrap();
    assert_eq!(docs.len(), 23);
    let maes: Vec<f64> = docs
        .iter()
        .map(|d| d["share_mae_pp"].as_f64().unwrap())
        .collect();
    assert!(
        maes.windows(2).all(|w| w[0] >= w[1]),
        "worst first: {maes:?}"
    );
}

/// `eval --second-coder` puts, beside each document's share error, the same
/// difference between the gold labels and a second coder that
/// `labels agree` reports.
#[test]
fn eval_sets_each_document_beside_the_second_coder() {
    let batches = second_annotation();
    let agree = json_of(&["labels", "agree", "--json", "labels"], &batches);
    let eval = json_of(&["eval", "-q", "--json", "--second-coder"], &batches);
    assert_eq!(eval["second_coder"]["agreement"], agree["agreement"]);
    let by_doc: std::collections::HashMap<&str, f64> = agree["per_document"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["doc_id"].as_str().unwrap(),
                d["share_mae_pp"].as_f64().unwrap(),
            )
        })
        .collect();
    let docs = eval["per_document"].as_array().unwrap();
    assert_eq!(docs.len(), by_doc.len());
    for d in docs {
        let doc = d["doc_id"].as_str().unwrap();
        assert_eq!(
            d["coders_share_mae_pp"].as_f64().unwrap(),
            by_doc[doc],
            "{doc}"
        );
    }
    // Without the flag the report is as before: no coder fields.
    let plain = json_of(&["eval", "-q", "--json"], &[]);
    assert!(plain.get("second_coder").is_none());
    assert!(plain["per_document"][0]
        .get("coders_share_mae_pp")
        .is_none());
}

#[test]
fn bom_flag_starts_csv_output_with_a_byte_order_mark_that_is_read_back() {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let dir = tempfile::tempdir().unwrap();
    let report = "corpus/002_d156648063b80b79.txt";
    let stdout_of = |args: &[&str]| {
        let out = bin().args(args).assert().success();
        out.get_output().stdout.clone()
    };
    let model = default_model().to_string_lossy().to_string();
    for args in [
        &["segment", "-q", report][..],
        &["label", "-q", "--model", &model, report][..],
        &["summary", "-q", "--gold", "--csv"][..],
        &["compare", "-q", "--gold", "--csv", "东丽区", "厦门市"][..],
        &["explain", "-q", "--top", "2", "--model", &model][..],
    ] {
        let plain = stdout_of(args);
        let with = stdout_of(&[args, &["--bom"]].concat());
        assert!(!plain.starts_with(BOM), "{args:?}");
        assert_eq!(with, [BOM, &plain[..]].concat(), "{args:?}");
    }
    // JSON Lines gets none.
    let jsonl = stdout_of(&[
        "label", "-q", "--bom", "--format", "jsonl", "--model", &model, report,
    ]);
    assert!(jsonl.starts_with(b"{"));
    // Files written with -o get it too, and every reader of this tool takes it.
    let labelled = dir.path().join("l.csv");
    let shares = dir.path().join("s.csv");
    bin()
        .args(["label", "-q", "--bom", "--model", &model, report, "-o"])
        .arg(&labelled)
        .assert()
        .success();
    bin()
        .args(["summary", "-q", "--bom", "-o"])
        .arg(&shares)
        .arg(&labelled)
        .assert()
        .success();
    assert!(std::fs::read(&shares).unwrap().starts_with(BOM));
    let from_bom = stdout_of(&["summary", "-q", "--csv", &labelled.to_string_lossy()]);
    let plain_labels = stdout_of(&["label", "-q", "--model", &model, report]);
    let plain_path = dir.path().join("plain.csv");
    std::fs::write(&plain_path, plain_labels).unwrap();
    assert_eq!(
        from_bom,
        stdout_of(&["summary", "-q", "--csv", &plain_path.to_string_lossy()])
    );
}

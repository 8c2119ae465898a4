//! Bad input gets a clear error naming the file (and line), a non-zero exit
//! and no partial output; encodings that must work do.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

mod common;
use common::{bin, default_model, train_on};

const REPORT: &str = "2022年某某县政府工作报告\n——2022年1月8日在某某县第十八届人民代表大会第一次会议上\n各位代表:\n一、过去一年工作回顾\n我们坚持乡村振兴,建设高标准农田十万亩。\n二、2022年工作安排\n大力推进招商引资,引进项目三十个。\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Run `segment` on inputs into `out`; assert failure naming `needle`, and no output file.
fn segment_fails(inputs: &[&Path], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    bin()
        .arg("segment")
        .args(inputs)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(needle));
    assert!(!out.exists(), "partial output written");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "temporary file left behind"
    );
}

#[test]
fn empty_and_binary_files_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.txt", b"");
    segment_fails(&[&empty], "empty.txt: empty file");
    let bin_file = write(
        dir.path(),
        "image.txt",
        &[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe, 0, 1],
    );
    segment_fails(&[&bin_file], "image.txt: binary data");
    // An old Word file cannot be read (saved web pages, PDFs and .docx can:
    // tests/formats.rs); with a good file before it, nothing is written either.
    let doc = write(
        dir.path(),
        "report.doc",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0",
    );
    let good = write(dir.path(), "good.txt", REPORT.as_bytes());
    segment_fails(&[&good, &doc], "report.doc: an old Word document (.doc)");
    let pdf = write(
        dir.path(),
        "report.txt.pdf",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n",
    );
    segment_fails(&[&pdf], "report.txt.pdf: cannot read this PDF");
}

#[test]
fn missing_path_is_an_error() {
    segment_fails(&[Path::new("no/such/report.txt")], "no/such/report.txt");
}

#[test]
fn gbk_and_utf16_files_work_like_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(REPORT);
    write(dir.path(), "a_gbk.txt", &gbk);
    let mut le = vec![0xFF, 0xFE];
    le.extend(REPORT.encode_utf16().flat_map(|u| u.to_le_bytes()));
    write(dir.path(), "b_utf16.txt", &le);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(REPORT.as_bytes());
    write(dir.path(), "c_utf8bom.txt", &bom);
    let out = bin()
        .args(["segment", "-q"])
        .arg(dir.path())
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let bodies: Vec<Vec<&str>> = ["a_gbk", "b_utf16", "c_utf8bom"]
        .iter()
        .map(|id| {
            text.lines()
                .filter(|l| l.starts_with(&format!("{id},")))
                .map(|l| l.split_once(",某某县,").unwrap().1)
                .collect()
        })
        .collect();
    assert_eq!(bodies[0].len(), 7);
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(bodies[0], bodies[2]);
    assert!(text.contains("review,\"我们坚持乡村振兴"));
}

#[test]
fn csv_saved_by_a_chinese_spreadsheet_in_gbk_reads_like_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let labels = "doc_id,para_id,text,theme,secondary\n\
                  d,0,推进乡村振兴，建设高标准农田。,rural,\n\
                  d,1,\"加强生态环境保护,打好蓝天保卫战。\",ecology,\n\
                  e,0,招商引资签约项目四十二个。,investment,\n";
    let paragraphs = "doc_id,para_id,text\nd,0,推进乡村振兴，建设高标准农田。\n";
    let run = |args: &[&str], file: &Path| {
        let out = bin().args(args).arg(file).assert().success();
        out.get_output().stdout.clone()
    };
    let mut outputs = Vec::new();
    for (name, encode) in [("utf8", false), ("gbk", true)] {
        let bytes = |s: &str| {
            if encode {
                encoding_rs::GBK.encode(s).0.into_owned()
            } else {
                s.as_bytes().to_vec()
            }
        };
        let l = write(dir.path(), &format!("labels_{name}.csv"), &bytes(labels));
        let p = write(dir.path(), &format!("p_{name}.csv"), &bytes(paragraphs));
        outputs.push((
            run(&["labels", "check", "-q", "--no-corpus"], &l),
            run(
                &[
                    "label",
                    "-q",
                    "--model",
                    &default_model().to_string_lossy(),
                    "--paragraphs",
                ],
                &p,
            ),
        ));
    }
    assert_eq!(outputs[0], outputs[1]);
    assert!(String::from_utf8_lossy(&outputs[1].0).contains("ok: 3 labelled paragraphs"));
    assert!(String::from_utf8_lossy(&outputs[1].1).contains("推进乡村振兴，建设高标准农田。"));
    // A workbook is not CSV: refused with what to do.
    let xlsx = write(dir.path(), "book.xlsx", b"PK\x03\x04\x14\x00\x06\x00");
    bin()
        .args(["summary"])
        .arg(&xlsx)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "book.xlsx: not CSV text: a ZIP archive",
        ))
        .stderr(predicate::str::contains("must be saved as CSV"));
}

#[test]
fn mixed_directory_needs_keep_going_and_lists_the_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.txt", REPORT.as_bytes());
    write(dir.path(), "bad.txt", &[0, 1, 2, 3, 0xff]);
    write(dir.path(), "empty.txt", b"");
    segment_fails(&[dir.path()], "bad.txt");
    let outdir = tempfile::tempdir().unwrap();
    let out = outdir.path().join("out.csv");
    bin()
        .args(["segment", "--keep-going"])
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.txt").and(predicate::str::contains("empty.txt")));
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("good,"));
    assert!(!written.contains("bad,"));
}

#[test]
fn ten_megabyte_line_without_sentence_ends_segments() {
    let dir = tempfile::tempdir().unwrap();
    let line = "无标点的长文本".repeat(10 * 1024 * 1024 / 21);
    let p = write(dir.path(), "long.txt", line.as_bytes());
    let out = bin().args(["segment", "-q"]).arg(&p).assert().success();
    let mut rdr = csv::Reader::from_reader(out.get_output().stdout.as_slice());
    let mut total = 0;
    for r in rdr.records() {
        let r = r.unwrap();
        let n = r.get(9).unwrap().chars().count();
        assert!(n <= 600);
        total += n;
    }
    assert_eq!(total, line.chars().count());
}

#[test]
fn unwritable_output_is_an_error_and_existing_output_survives() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.txt", REPORT.as_bytes());
    // Parent is a file: cannot create anything there, even as root.
    let blocker = write(dir.path(), "blocker", b"x");
    bin()
        .arg("segment")
        .arg(&good)
        .arg("-o")
        .arg(blocker.join("out.csv"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("out.csv"));
    // An existing output is left as it was when the run fails.
    let existing = write(dir.path(), "existing.csv", b"keep me");
    let bad = write(dir.path(), "bad.txt", b"");
    bin()
        .arg("segment")
        .arg(&good)
        .arg(&bad)
        .arg("-o")
        .arg(&existing)
        .assert()
        .code(2);
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
}

fn train_fails(csv_text: &str, needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let labels = write(dir.path(), "labels.csv", csv_text.as_bytes());
    let model = dir.path().join("model.json");
    bin()
        .args(["train", "--labels"])
        .arg(&labels)
        .arg("-o")
        .arg(&model)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(needle));
    assert!(!model.exists());
}

#[test]
fn bad_label_files_name_file_and_line() {
    let h = "doc_id,para_id,text,theme,secondary\n";
    train_fails(
        &format!("{h}d,0,乡村振兴,rural,\nd,1,招商引资,invest,\n"),
        "labels.csv:3: unknown theme id `invest`",
    );
    train_fails(
        "doc_id,para_id,text,theme\nd,0,乡村振兴,rural\n",
        "labels.csv:1: missing column `secondary`",
    );
    train_fails(&format!("{h}d,0,,rural,\n"), "labels.csv:2: empty text");
    train_fails(
        &format!("{h}d,0,乡村振兴,rural,\nd,0,乡村振兴,rural,\n"),
        "labels.csv:3: duplicate label for (d, 0)",
    );
    train_fails(&format!("{h}d,0,\"乡村振兴,rural,\n"), "labels.csv");
    // An open quote in the last column would merge the rows after it into one cell.
    train_fails(
        &format!("{h}d,0,乡村振兴,rural,\"ecology\nd,1,招商引资,investment,\n"),
        "labels.csv:2: a quoted field opens here and is never closed",
    );
    train_fails(
        &format!("{h}d,0,乡村振兴,rural,,extra\n"),
        "labels.csv:2: malformed CSV",
    );
}

#[test]
fn labels_agree_refuses_paragraphs_it_cannot_pair() {
    let dir = tempfile::tempdir().unwrap();
    let h = "doc_id,para_id,text,theme,secondary\n";
    let first = write(
        dir.path(),
        "first.csv",
        format!("{h}d,0,乡村振兴,rural,\nd,1,招商引资,investment,\n").as_bytes(),
    );
    let agree_fails = |second: &str, needle: &str| {
        let path = write(dir.path(), "second.csv", second.as_bytes());
        bin()
            .args(["labels", "agree"])
            .arg(&first)
            .arg(&path)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(needle));
    };
    agree_fails(
        "doc_id,para_id,theme\nd,0,rural\nd,5,rural\n",
        "second.csv:3: (d, 5) is not in the first labels",
    );
    agree_fails(
        "doc_id,para_id,text,theme\nd,1,引进项目,investment\n",
        "second.csv:2: text of (d, 1) differs from the first labels",
    );
    agree_fails(
        "doc_id,para_id,theme\nd,0,rurl\n",
        "second.csv:2: unknown theme id",
    );
    agree_fails(
        "doc_id,para_id,text\nd,0,x\n",
        "second.csv:1: missing column `theme`",
    );
    // eval refuses the same file before fitting anything.
    let path = write(
        dir.path(),
        "second.csv",
        b"doc_id,para_id,theme\nd,9,rural\n",
    );
    bin()
        .args(["eval", "--labels"])
        .arg(&first)
        .arg("--second-coder")
        .arg(&path)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "second.csv:2: (d, 9) is not in the first labels",
        ));
    // A sample of the first labels is fine.
    let path = write(
        dir.path(),
        "second.csv",
        b"doc_id,para_id,theme\nd,1,industry\n",
    );
    bin()
        .args(["labels", "agree"])
        .arg(&first)
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "paragraphs compared 1  documents 1  only in the first labels 1",
        ));
}

#[test]
fn bad_model_files_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let good = default_model();
    let text = std::fs::read_to_string(good).unwrap();
    let current = format!(
        "\"format_version\":{}",
        policy_themes::model::FORMAT_VERSION
    );
    assert!(text.contains(&current));
    // The default model has no document prior: give it one with a bad strength.
    let n_themes = serde_json::from_str::<serde_json::Value>(&text).unwrap()["model"]["themes"]
        .as_array()
        .unwrap()
        .len();
    let bad_prior = format!(
        "\"document_prior\":{{\"strength\":-1.0,\"base\":{:?}}},",
        vec![1.0 / n_themes as f64; n_themes]
    );
    assert_eq!(text.matches("\"document_prior\":null,").count(), 1);
    let cases = [
        (
            "truncated.json",
            text[..text.len() / 3].to_string(),
            "truncated",
        ),
        (
            "corrupted.json",
            text.replacen("\"idf\":[", "\"idf\":[\"x\",", 1),
            "invalid model",
        ),
        (
            "other.json",
            text.replacen(&current, "\"format_version\":99", 1),
            "format version 99",
        ),
        (
            "oldest.json",
            text.replacen(&current, "\"format_version\":1", 1),
            "format version 1",
        ),
        (
            "badprior.json",
            text.replacen("\"document_prior\":null,", &bad_prior, 1),
            "document prior strength -1",
        ),
        (
            "fewthemes.json",
            text.replacen("\"themes\":[\"poverty\",", "\"themes\":[", 1),
            "12 themes, logistic weights for 13",
        ),
        (
            "notamodel.json",
            "[1,2,3]".to_string(),
            "not a policy-themes model",
        ),
    ];
    for (name, body, needle) in cases {
        let m = write(dir.path(), name, body.as_bytes());
        let out = dir.path().join(format!("{name}.out.csv"));
        bin()
            .args(["label", "--model"])
            .arg(&m)
            .arg("corpus/003_cbd66c4364d6c9dc.txt")
            .arg("-o")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(name).and(predicate::str::contains(needle)));
        assert!(!out.exists());
    }
}

#[test]
fn bad_paragraph_csv_names_line() {
    // Each bad file fails with nothing on stdout and its file and line on stderr.
    for (name, csv_text, needle) in [
        (
            "p.csv",
            "doc_id,para_id,text\nd,0,乡村振兴\nd,x,招商引资\n",
            "p.csv:3: bad para_id",
        ),
        // An open quote in the text column: refused, not three paragraphs read as one.
        (
            "q.csv",
            "doc_id,para_id,text\nd,0,\"乡村振兴\nd,1,生态保护\nd,2,营商环境\n",
            "q.csv:2: a quoted field opens here",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), name, csv_text.as_bytes());
        bin()
            .args(["label", "--model"])
            .arg(default_model())
            .arg("--paragraphs")
            .arg(&p)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(needle));
    }
}

#[test]
fn eval_needs_two_folds_and_two_documents() {
    bin()
        .args(["eval", "--folds", "1"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "invalid value '1' for '--folds <FOLDS>'",
        ));
    let dir = tempfile::tempdir().unwrap();
    let labels = write(
        dir.path(),
        "one.csv",
        "doc_id,para_id,text,theme,secondary\nd,0,乡村振兴,rural,\nd,1,招商引资,investment,\n"
            .as_bytes(),
    );
    bin()
        .args(["eval", "--labels"])
        .arg(&labels)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("at least two documents"));
}

#[test]
fn explain_of_a_theme_the_model_lacks_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let labels = write(
        dir.path(),
        "two.csv",
        "doc_id,para_id,text,theme,secondary\n\
         d,0,推进乡村振兴建设高标准农田,rural,\n\
         d,1,推进乡村振兴保障粮食安全,rural,\n\
         d,2,加强生态环境保护打好蓝天保卫战,ecology,\n\
         d,3,加强生态环境保护打好碧水保卫战,ecology,\n"
            .as_bytes(),
    );
    let model = dir.path().join("m.json");
    train_on(&labels, &model);
    bin()
        .args(["explain", "--theme", "poverty", "--model"])
        .arg(&model)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "the model has no paragraphs of theme `poverty`",
        ));
}

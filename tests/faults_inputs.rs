//! Faults on the input side: streams read once, no partial output,
//! `--keep-going`, directory entries, doc ids, encodings and damage.
//! Fixtures are made from the seeds in `corpus/`.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

mod common;
use common::{bin, default_model, root};

const SEED: &str = "corpus/000_948226ca6efd262f.txt";

fn seed() -> String {
    std::fs::read_to_string(root().join(SEED)).unwrap()
}

/// The first lines of a seed: a small report.
fn small() -> String {
    seed().lines().take(12).map(|l| format!("{l}\n")).collect()
}

/// A scraped page layout holding no record: decodes, but has no paragraphs.
const EMPTY_PAGE: &str = "-\n-\n-\n";

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// `segment -q ARGS`: (exit code, stdout, stderr).
fn segment(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = bin().arg("segment").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The (doc_id, text) pairs of a segment CSV.
fn rows(csv_text: &str) -> Vec<(String, String)> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[6].to_string())
        })
        .collect()
}

fn texts(csv_text: &str) -> Vec<String> {
    rows(csv_text).into_iter().map(|(_, t)| t).collect()
}

#[test]
fn process_substitution_and_fifos_are_read_once() {
    let bin_path = assert_cmd::cargo::cargo_bin("policy-themes");
    let file = bin().args(["segment", "-q", SEED]).output().unwrap();
    let want = texts(&String::from_utf8_lossy(&file.stdout));
    assert!(want.len() > 20);
    let sub = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' segment -q <(cat {SEED}) {SEED}",
            bin_path.display()
        ))
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        sub.status.success(),
        "{}",
        String::from_utf8_lossy(&sub.stderr)
    );
    let got = texts(&String::from_utf8_lossy(&sub.stdout));
    assert_eq!(got.len(), 2 * want.len());
    assert_eq!(got[..want.len()], want[..]);
    // A named FIFO, written by another process, through `label` too.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let writer = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("cat {SEED} > '{}'", fifo.display()))
        .current_dir(root())
        .spawn()
        .unwrap();
    let out = bin()
        .args(["label", "-q", "--model"])
        .arg(default_model())
        .arg(&fifo)
        .output()
        .unwrap();
    assert!(out.status.success());
    let labelled = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(labelled.lines().count(), want.len() + 1);
    assert!(labelled.lines().nth(1).unwrap().starts_with("report,0,"));
    let mut writer = writer;
    let _ = writer.kill(); // in case `label` never opened the FIFO
    let _ = writer.wait();
}

#[test]
fn a_bad_input_after_a_good_one_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let small = write(dir.path(), "small.txt", small());
    let empty = write(dir.path(), "empty_page.txt", EMPTY_PAGE);
    let (code, stdout, stderr) = segment(&[small.as_os_str(), empty.as_os_str()]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "", "partial output");
    assert!(
        stderr.contains("empty_page.txt: no text paragraphs found"),
        "{stderr}"
    );
    let out = bin()
        .args(["label", "-q", "--model"])
        .arg(default_model())
        .arg(&small)
        .arg(&empty)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty_page.txt"));
    assert!(out.get_output().stdout.is_empty(), "partial output");
}

#[test]
fn keep_going_skips_bad_and_missing_inputs_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let small = write(dir.path(), "small.txt", small());
    let empty = write(dir.path(), "empty_page.txt", EMPTY_PAGE);
    let blank = write(dir.path(), "blank.txt", "  \n");
    let missing = dir.path().join("missing.txt");
    let out = dir.path().join("out.csv");
    let alone = bin().args(["segment", "-q"]).arg(&small).output().unwrap();
    let want = texts(&String::from_utf8_lossy(&alone.stdout));
    let mut cmd = bin();
    cmd.args(["segment", "--keep-going"])
        .args([&empty, &small, &missing, &blank])
        .arg("-o")
        .arg(&out);
    let run = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    for name in ["empty_page.txt", "missing.txt", "blank.txt"] {
        assert!(
            stderr.contains(&format!("skipped {}", dir.path().join(name).display())),
            "{name}: {stderr}"
        );
    }
    assert!(stderr.contains("skipped 3 input(s)"), "{stderr}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(texts(&written), want);
    // `label` likewise.
    let labelled = dir.path().join("labelled.csv");
    bin()
        .args(["label", "-q", "--keep-going", "--model"])
        .arg(default_model())
        .args([&empty, &small, &missing])
        .arg("-o")
        .arg(&labelled)
        .assert()
        .code(1);
    let (_, rows) = common::read_csv(&labelled);
    assert_eq!(rows.len(), want.len());
    // Nothing readable at all is an error, with nothing written.
    let none = dir.path().join("none.csv");
    bin()
        .args(["segment", "-q", "--keep-going"])
        .args([&empty, &missing])
        .arg("-o")
        .arg(&none)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no readable inputs"));
    assert!(!none.exists());
}

#[cfg(unix)]
#[test]
fn skipped_directory_entries_are_listed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "good.txt", small());
    write(d, "UPPER.TXT", small().replace("各位代表", "各位委员"));
    write(d, "notes.md", "not an input");
    symlink("loop.txt", d.join("loop.txt")).unwrap();
    symlink("nowhere/report.txt", d.join("dangling.txt")).unwrap();
    std::fs::create_dir(d.join("sub.txt")).unwrap();
    for (name, bytes) in [
        ("old.doc", &b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"[..]),
        ("old.WPS", b"\xD0\xCF\x11\xE0"),
        ("old.rtf", b"{\\rtf1 x}"),
    ] {
        write(d, name, bytes);
    }
    let (code, stdout, stderr) = segment(&[d.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    let ids: Vec<String> = rows(&stdout).into_iter().map(|(id, _)| id).collect();
    assert!(ids.contains(&"good".to_string()) && ids.contains(&"UPPER".to_string()));
    for (name, why) in [
        ("loop.txt", "symbolic link loop"),
        ("dangling.txt", "dangling symbolic link"),
        ("sub.txt", "a directory"),
        ("old.doc", "save it as .docx"),
        ("old.WPS", "save it as .docx"),
        ("old.rtf", "save it as .docx"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(&format!("{name}: not read")))
            .unwrap_or_else(|| panic!("{name} not listed: {stderr}"));
        assert!(
            line.starts_with("warning: ") && line.contains(why),
            "{line}"
        );
    }
    assert!(!stderr.contains("notes.md"), "{stderr}");
    // Web pages, PDFs and Word files in a directory are inputs, whatever
    // the case of their extension.
    write(
        d,
        "page.HTML",
        "<!DOCTYPE html><html><body><p>x</p></body></html>",
    );
    let (code, stdout, stderr) = segment(&[d.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.lines().any(|l| l.starts_with("page,0,")), "{stdout}");
    // A directory with none of them is an error naming the extensions.
    let other = tempfile::tempdir().unwrap();
    write(other.path(), "old.doc", b"\xD0\xCF\x11\xE0");
    let (code, _, stderr) = segment(&[other.path().as_os_str()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("directory holds no .txt, .html, .htm, .pdf, .docx files"),
        "{stderr}"
    );
}

#[test]
fn clashing_doc_ids_get_a_suffix_and_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["dupA", "dupB"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    let a = write(&dir.path().join("dupA"), "2022.txt", small());
    let b = write(&dir.path().join("dupB"), "2022.txt", seed());
    let (code, stdout, stderr) = segment(&[a.as_os_str(), b.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    let rows = rows(&stdout);
    let first: Vec<_> = rows.iter().filter(|(id, _)| id == "2022").collect();
    let second: Vec<_> = rows.iter().filter(|(id, _)| id == "2022~2").collect();
    assert_eq!(first.len() + second.len(), rows.len());
    assert!(first.len() < second.len() && !first.is_empty());
    let warning = stderr
        .lines()
        .find(|l| l.contains("`2022~2`"))
        .unwrap_or("");
    assert!(
        warning.contains(&b.display().to_string()) && warning.contains(&a.display().to_string()),
        "{stderr}"
    );
    // In the other order, the other file keeps the plain id.
    let (_, stdout, _) = segment(&[b.as_os_str(), a.as_os_str()]);
    assert_eq!(rows_of(&stdout, "2022").len(), second.len());
}

fn rows_of(csv_text: &str, id: &str) -> Vec<(String, String)> {
    rows(csv_text)
        .into_iter()
        .filter(|(d, _)| d == id)
        .collect()
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_stay_apart_with_a_warning() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = |b: &[u8]| dir.path().join(std::ffi::OsStr::from_bytes(b));
    let (ff, fe) = (name(b"bad\xff.txt"), name(b"bad\xfe.txt"));
    std::fs::write(&ff, small()).unwrap();
    std::fs::write(&fe, small().replace("各位代表", "各位委员")).unwrap();
    let (code, stdout, stderr) = segment(&[dir.path().as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    let ids: std::collections::BTreeSet<String> =
        rows(&stdout).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids.into_iter().collect::<Vec<_>>(), ["bad%FE", "bad%FF"]);
    assert_eq!(
        stderr.matches("file name is not valid UTF-8").count(),
        2,
        "{stderr}"
    );
}

/// Segment bytes written to a file named `name`: (stdout, stderr).
fn segment_bytes(name: &str, bytes: &[u8]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), name, bytes);
    let (code, stdout, stderr) = segment(&[p.as_os_str()]);
    assert_eq!(code, 0, "{name}: {stderr}");
    (stdout, stderr)
}

#[test]
fn encodings_are_recognised_and_damage_is_flagged() {
    let seed = seed();
    let (utf8, _) = segment_bytes("r.txt", seed.as_bytes());
    let want = texts(&utf8);
    // GBK: as before, no warning about the encoding.
    let (gbk, _, _) = encoding_rs::GB18030.encode(&seed);
    let (out, err) = segment_bytes("r.txt", &gbk);
    assert_eq!(out, utf8);
    assert!(!err.contains("read as"), "{err}");
    // Big5: the seed's characters Big5 can encode, read back as such.
    let mut buf = [0u8; 4];
    let subset: String = seed
        .chars()
        .filter(|c| !encoding_rs::BIG5.encode(c.encode_utf8(&mut buf)).2)
        .collect();
    let (big5, _, _) = encoding_rs::BIG5.encode(&subset);
    let (from_utf8, _) = segment_bytes("r.txt", subset.as_bytes());
    let (out, err) = segment_bytes("r.txt", &big5);
    assert_eq!(out, from_utf8);
    assert!(err.contains("read as Big5"), "{err}");
    // UTF-16LE without BOM, with and without newlines.
    let one_line: String = seed.lines().collect::<Vec<_>>().join("");
    for text in [seed.as_str(), one_line.as_str()] {
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (expected, _) = segment_bytes("r.txt", text.as_bytes());
        let (out, err) = segment_bytes("r.txt", &le);
        assert_eq!(out, expected);
        assert!(
            err.contains("UTF-16 (little-endian) without a byte-order mark"),
            "{err}"
        );
    }
    // Lone CR line endings: the same paragraphs.
    let (out, _) = segment_bytes("r.txt", seed.replace('\n', "\r").as_bytes());
    assert_eq!(texts(&out), want);
    // The seed's UTF-8 bytes read as GBK somewhere upstream, then saved as UTF-8.
    let (mojibake, _, _) = encoding_rs::GBK.decode(seed.as_bytes());
    let (_, err) = segment_bytes("garbled.txt", mojibake.as_bytes());
    let line = err
        .lines()
        .find(|l| l.contains("of characters look damaged"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        line.starts_with("warning: garbled (") && line.contains('%'),
        "{line}"
    );
    // A few lines lost to `?`: flagged, with a small share.
    let lost: String = seed
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i % 10 == 3 {
                l.chars()
                    .map(|c| if c.is_ascii() { c } else { '?' })
                    .collect::<String>()
                    + "\n"
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let (_, err) = segment_bytes("lost.txt", lost.as_bytes());
    assert!(
        err.lines()
            .any(|l| l.starts_with("warning: lost (") && l.contains("look damaged")),
        "{err}"
    );
    // The seeds themselves are not flagged.
    let (code, _, err) = segment(&[root().join("corpus").as_os_str()]);
    assert_eq!(code, 0);
    assert!(!err.contains("look damaged"), "{err}");
}

#[test]
fn standard_input_once_beside_files() {
    let source = std::fs::read(root().join(SEED)).unwrap();
    let out = bin()
        .args(["segment", "-q", "-", SEED])
        .write_stdin(source)
        .assert()
        .success();
    let rows = rows(&String::from_utf8_lossy(&out.get_output().stdout));
    let stdin: Vec<_> = rows.iter().filter(|(id, _)| id == "stdin").collect();
    assert_eq!(stdin.len() * 2, rows.len());
    assert_eq!(rows.first().map(|r| r.0.as_str()), Some("stdin"));
}

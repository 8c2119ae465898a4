//! Fault battery, outputs: nothing the user has is overwritten or lost.
//! An `-o` that names an input, a read-only or symlinked output, a missing
//! directory, a full disk or stdout, a closed stderr, an interrupted run, an
//! `analyze` that fails half-way.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

mod common;
use common::{bin, default_model, root};

const SEED: &str = "corpus/000_948226ca6efd262f.txt";

fn copy_seed(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::copy(root().join(SEED), &p).unwrap();
    p
}

/// The bundled label file of the first seed, copied into `dir`.
fn copy_labels(dir: &Path) -> PathBuf {
    let p = dir.join("labels.csv");
    std::fs::copy(root().join("labels/000_948226ca6efd262f.csv"), &p).unwrap();
    p
}

/// `segment SEED -o dir/name`, which must succeed.
fn segmented(dir: &Path) -> PathBuf {
    let seed = copy_seed(dir, "r.txt");
    let out = dir.join("seg.csv");
    bin()
        .args(["segment", "-q"])
        .arg(&seed)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    out
}

/// Labelled paragraphs of two seeds (九原区 2022 and 2024), by the default model.
fn labelled(dir: &Path) -> PathBuf {
    let out = dir.join("L.csv");
    bin()
        .args(["label", "-q", "--model"])
        .arg(default_model())
        .args([SEED, "corpus/002_d156648063b80b79.txt"])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    out
}

/// Run a command that must refuse because its output is one of its inputs;
/// the input must come out byte-identical and no temporary file may remain.
fn refuses_to_overwrite(args: &[&std::ffi::OsStr], victim: &Path) {
    let before = std::fs::read(victim).unwrap();
    let listing = |d: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    let dir = victim.parent().unwrap();
    let files = listing(dir);
    bin()
        .args(args)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is also an input"));
    assert_eq!(std::fs::read(victim).unwrap(), before, "{victim:?} changed");
    assert_eq!(listing(dir), files, "files appeared or vanished");
}

/// The command as a plain process, for what assert_cmd cannot set up
/// (stdout or stderr on a given file, signals).
fn raw() -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("policy-themes"));
    c.current_dir(root());
    c
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

#[test]
fn an_output_that_is_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let labels = copy_labels(d);
    refuses_to_overwrite(
        &[
            os("train"),
            os("--labels"),
            labels.as_os_str(),
            os("-o"),
            labels.as_os_str(),
        ],
        &labels,
    );
    let report = copy_seed(d, "report.txt");
    refuses_to_overwrite(
        &[
            os("segment"),
            report.as_os_str(),
            os("-o"),
            report.as_os_str(),
        ],
        &report,
    );
    let model = d.join("m.json");
    std::fs::copy(default_model(), &model).unwrap();
    refuses_to_overwrite(
        &[
            os("label"),
            os("--model"),
            model.as_os_str(),
            report.as_os_str(),
            os("-o"),
            model.as_os_str(),
        ],
        &model,
    );
    let l = labelled(d);
    refuses_to_overwrite(&[os("summary"), l.as_os_str(), os("-o"), l.as_os_str()], &l);
    refuses_to_overwrite(&[os("report"), l.as_os_str(), os("-o"), l.as_os_str()], &l);
}

#[test]
fn an_input_reached_through_a_symlink_or_directory_is_refused_too() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let labs = d.join("labs");
    std::fs::create_dir(&labs).unwrap();
    let gold = copy_labels(&labs);
    std::fs::copy(
        root().join("labels/002_d156648063b80b79.csv"),
        labs.join("other.csv"),
    )
    .unwrap();
    // `eval --predictions` naming a gold file of its own --labels directory.
    refuses_to_overwrite(
        &[
            os("eval"),
            os("--labels"),
            labs.as_os_str(),
            os("--folds"),
            os("2"),
            os("--predictions"),
            gold.as_os_str(),
        ],
        &gold,
    );
    #[cfg(unix)]
    {
        let link = d.join("link.txt");
        let report = copy_seed(d, "report.txt");
        std::os::unix::fs::symlink(&report, &link).unwrap();
        refuses_to_overwrite(
            &[
                os("segment"),
                report.as_os_str(),
                os("-o"),
                link.as_os_str(),
            ],
            &report,
        );
        // A hard link is the same file under another name.
        let hard = d.join("hard.txt");
        std::fs::hard_link(&report, &hard).unwrap();
        refuses_to_overwrite(
            &[
                os("segment"),
                hard.as_os_str(),
                os("-o"),
                report.as_os_str(),
            ],
            &report,
        );
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_output_is_kept_unless_forced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seed = copy_seed(d, "r.txt");
    let out = d.join("out.csv");
    std::fs::write(&out, "precious").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o444)).unwrap();
    bin()
        .arg("segment")
        .arg(&seed)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("read-only").and(predicate::str::contains("--force")));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    bin()
        .args(["--force", "-q", "segment"])
        .arg(&seed)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("doc_id,"), "{text:.40}");
    // The file keeps its mode when forced.
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_written_through_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seed = copy_seed(d, "r.txt");
    let target = d.join("runs").join("2026.csv");
    std::fs::create_dir(d.join("runs")).unwrap();
    std::fs::write(&target, "old").unwrap();
    let link = d.join("latest.csv");
    std::os::unix::fs::symlink("runs/2026.csv", &link).unwrap();
    bin()
        .args(["segment", "-q"])
        .arg(&seed)
        .arg("-o")
        .arg(&link)
        .assert()
        .success();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(
        text.starts_with("doc_id,"),
        "target not updated: {text:.40}"
    );
    // A dangling link creates the file it names.
    let dangling = d.join("next.csv");
    std::os::unix::fs::symlink("runs/2027.csv", &dangling).unwrap();
    bin()
        .args(["segment", "-q"])
        .arg(&seed)
        .arg("-o")
        .arg(&dangling)
        .assert()
        .success();
    assert!(std::fs::read_to_string(d.join("runs/2027.csv"))
        .unwrap()
        .starts_with("doc_id,"));
}

#[test]
fn write_errors_say_write_and_name_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seed = copy_seed(d, "r.txt");
    let missing = d.join("nodir").join("out.csv");
    bin()
        .arg("segment")
        .arg(&seed)
        .arg("-o")
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("out.csv: cannot write")
                .and(predicate::str::contains("does not exist"))
                .and(predicate::str::contains(".policy-themes-").not())
                .and(predicate::str::contains("cannot read").not()),
        );
    assert_eq!(std::fs::read_dir(d).unwrap().count(), 1);
}

/// `/dev/full` accepts the open and fails every write with ENOSPC.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_or_stdout_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let l = labelled(d);
    let seg = segmented(d);
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["summary".into(), l.clone().into()],
        vec![
            "compare".into(),
            l.clone().into(),
            "九原区:2022".into(),
            "九原区:2024".into(),
            "--pool-kinds".into(),
        ],
        vec!["segment".into(), root().join(SEED).into()],
        vec![
            "labels".into(),
            "check".into(),
            root().join("labels/000_948226ca6efd262f.csv").into(),
            "--no-corpus".into(),
        ],
        vec![
            "label".into(),
            "--model".into(),
            default_model().into(),
            "--paragraphs".into(),
            seg.clone().into(),
        ],
        vec![
            "explain".into(),
            "--model".into(),
            default_model().into(),
            "--top".into(),
            "3".into(),
        ],
    ];
    for args in &cases {
        let out = raw().args(args).stdout(full()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("stdout: cannot write"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    bin()
        .arg("segment")
        .arg(root().join(SEED))
        .args(["-o", "/dev/full"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/dev/full: cannot write"));
}

/// Warnings to a stderr that cannot be written are lost; the run is not.
#[cfg(target_os = "linux")]
#[test]
fn a_full_stderr_never_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    // The corpus gives a metadata warning (厦门), so stderr is written to.
    let status = raw()
        .args(["label", "--model"])
        .arg(default_model())
        .arg("corpus")
        .arg("-o")
        .arg(&out)
        .stderr(full)
        .status()
        .unwrap();
    assert!(status.success(), "{status:?}");
    assert!(std::fs::read_to_string(&out).unwrap().lines().count() > 1000);
}

/// SIGINT or SIGTERM while `label -o` writes removes the temporary file and
/// leaves the old output as it was.
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let inputs = d.join("in");
    std::fs::create_dir(&inputs).unwrap();
    // Enough text that labelling takes a while even in a release build.
    let text = std::fs::read(root().join("corpus/001_88e7c62cb5127eba.txt")).unwrap();
    for i in 0..150 {
        std::fs::write(inputs.join(format!("r{i:03}.txt")), &text).unwrap();
    }
    let out_dir = d.join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let out = out_dir.join("labelled.csv");
    std::fs::write(&out, "old").unwrap();
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let mut child = raw()
            .args(["label", "-q", "--model"])
            .arg(default_model())
            .arg(&inputs)
            .arg("-o")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the temporary output exists and has content.
        let started = std::time::Instant::now();
        let temp_written = loop {
            let written = std::fs::read_dir(&out_dir).unwrap().any(|e| {
                let e = e.unwrap();
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".policy-themes-")
                    && e.metadata().unwrap().len() > 0
            });
            if written || started.elapsed().as_secs() > 60 {
                break written;
            }
            if child.try_wait().unwrap().is_some() {
                break false;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        assert!(temp_written, "the run ended before it could be interrupted");
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
        let status = child.wait().unwrap();
        assert!(!status.success());
        let left: Vec<_> = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            vec![std::ffi::OsString::from("labelled.csv")],
            "signal {signal}"
        );
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
    }
}

/// `analyze` replaces its outputs all together or not at all.
#[test]
fn a_failed_analyze_leaves_every_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    for f in ["paragraphs.csv", "shares.csv", "panel.csv"] {
        std::fs::write(out.join(f), "old").unwrap();
    }
    // The report cannot be written: its path is a directory.
    std::fs::create_dir(out.join("report.html")).unwrap();
    bin()
        .args(["analyze", "-q", "corpus/000_948226ca6efd262f.txt", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("report.html"));
    for f in ["paragraphs.csv", "shares.csv", "panel.csv"] {
        assert_eq!(std::fs::read_to_string(out.join(f)).unwrap(), "old", "{f}");
    }
    let mut left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["panel.csv", "paragraphs.csv", "report.html", "shares.csv"]
    );
}

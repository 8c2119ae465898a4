//! Helpers shared by the end-to-end tests; each test file has `mod common;`.
#![allow(dead_code)] // not every test file uses every helper

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;

/// The theme ids of the bundled codebook (labels/CODEBOOK.md), in its order.
pub const BUNDLED_THEMES: [&str; 13] = [
    "poverty",
    "rural",
    "ecology",
    "investment",
    "livelihood",
    "social",
    "industry",
    "innovation",
    "reform",
    "urban",
    "safety",
    "government",
    "overview",
];

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The command, run from the repository root so the bundled defaults apply.
pub fn bin() -> Command {
    let mut c = Command::cargo_bin("policy-themes").unwrap();
    c.current_dir(root());
    c
}

/// `policy-themes segment corpus -o out`.
pub fn segment_corpus(out: &Path) {
    bin()
        .args(["segment", "corpus", "-q", "-o"])
        .arg(out)
        .assert()
        .success();
}

/// `policy-themes train -q --labels LABELS -o MODEL`, which must succeed.
pub fn train_on(labels: &Path, model: &Path) {
    bin()
        .args(["train", "-q", "--labels"])
        .arg(labels)
        .arg("-o")
        .arg(model)
        .assert()
        .success();
}

pub fn read_csv(path: &Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().clone();
    let rows = r.records().map(|x| x.unwrap()).collect();
    (h, rows)
}

/// A model trained by `policy-themes train` on the bundled labels with the
/// default settings: trained once per test binary, shared read-only.
pub fn default_model() -> &'static Path {
    static MODEL: OnceLock<PathBuf> = OnceLock::new();
    MODEL.get_or_init(|| {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{}-default-model.json", env!("CARGO_CRATE_NAME")));
        bin()
            .args(["train", "-q", "-o"])
            .arg(&path)
            .assert()
            .success();
        path
    })
}

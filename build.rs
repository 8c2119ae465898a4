//! Builds jieba's default dictionary once, here, and saves it as a snapshot
//! that `Tokenizer` restores in milliseconds instead of spending ~0.1 s in
//! `Jieba::new()` at every start (see vendor/jieba-rs/README.vendor.md).
//!
//! The snapshot is fixed-width little-endian, so it is valid for any target;
//! its `ln(freq)` values come from the build host's libm, the same as the
//! target's unless cross-compiling.

use std::path::PathBuf;

fn main() {
    // The snapshot depends only on this script and the jieba-rs build
    // dependency, and cargo reruns the script when that changes (or when
    // labels/ does, for the bundled labels).
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let path = out.join("jieba.snapshot");
    let snapshot = jieba_rs::Jieba::new().to_snapshot();
    std::fs::write(&path, snapshot)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    bundle_labels(&out);
}

/// The label files of labels/ (its `*.csv`, in name order, as `labels::label_files`
/// lists them) embedded in the binary, so that `label` and `explain` can
/// train the default model anywhere: `bundled_labels.rs` holds one
/// `(name, include_bytes!(path))` pair per file.
fn bundle_labels(out: &std::path::Path) {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("labels");
    // A directory is scanned for changes to any file in it.
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    let mut code = String::from("pub const FILES: &[(&str, &[u8])] = &[\n");
    for f in &files {
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .expect("label file names are UTF-8");
        code.push_str(&format!(
            "    ({name:?}, include_bytes!({:?})),\n",
            f.display().to_string()
        ));
    }
    code.push_str("];\n");
    let path = out.join("bundled_labels.rs");
    std::fs::write(&path, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

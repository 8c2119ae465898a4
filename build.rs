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
    // dependency, and cargo reruns the script when that changes.
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let path = out.join("jieba.snapshot");
    let snapshot = jieba_rs::Jieba::new().to_snapshot();
    std::fs::write(&path, snapshot)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

//! Decoding + record splitting + segmentation on arbitrary bytes: must never
//! panic, and every accepted document's paragraphs must give back its body.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use policy_themes::corpus::{parse_file, without_whitespace};

fuzz_target!(|data: &[u8]| {
    if let Ok(docs) = parse_file(Path::new("fuzz.txt"), data, None) {
        for d in docs {
            let joined: String = d.paragraphs.iter().map(|p| p.text.as_str()).collect();
            assert_eq!(without_whitespace(&joined), without_whitespace(&d.body));
            assert!(d.paragraphs.iter().all(|p| p.text.chars().count() <= 600));
        }
    }
});

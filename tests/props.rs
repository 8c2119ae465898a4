//! Property tests: arbitrary input never panics ingestion or segmentation, and
//! no content is lost.

use std::path::Path;

use policy_themes::corpus::{decode, parse_file, segment::without_whitespace};
use proptest::prelude::*;

/// Text built from the pieces real reports and scraped pages are made of, so
/// the generator reaches record splitting, markers and sentence grouping.
fn report_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("-\n".to_string()),
        Just("2025-07-02\n".to_string()),
        Just("有想补充的信息?点我投稿\n".to_string()),
        Just("- 联系我们\n".to_string()),
        Just("一、".to_string()),
        Just("(二)".to_string()),
        Just("三是".to_string()),
        Just("。".to_string()),
        Just(":".to_string()),
        Just("各位代表:".to_string()),
        Just("2020年工作回顾".to_string()),
        Just("指标 |\n".to_string()),
        Just("\n".to_string()),
        Just(" ".to_string()),
        "[\\u{4e00}-\\u{4e80}]{1,40}",
        "\\PC{0,30}",
    ];
    prop::collection::vec(piece, 0..200).prop_map(|v| v.concat())
}

fn check_no_loss(text: &str) {
    match parse_file(Path::new("p.txt"), text.as_bytes(), None) {
        Ok(docs) => {
            for d in docs {
                let joined: String = d.paragraphs.iter().map(|p| p.text.as_str()).collect();
                assert_eq!(without_whitespace(&joined), without_whitespace(&d.body));
                for p in &d.paragraphs {
                    assert!(p.text.chars().count() <= 600);
                    assert!(!p.text.trim().is_empty());
                }
            }
        }
        // Refusals are fine (empty, binary); they must be errors, not panics.
        Err(e) => assert!(e.to_string().starts_with("p.txt: ")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode_never_panics_and_loses_nothing(text in "\\PC*") {
        check_no_loss(&text);
    }

    #[test]
    fn report_shaped_text_never_panics_and_loses_nothing(text in report_like()) {
        check_no_loss(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic_decoding(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = decode(&bytes);
        let _ = parse_file(Path::new("b.txt"), &bytes, None);
    }
}

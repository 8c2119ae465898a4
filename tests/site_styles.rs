//! A seed report as other sites serve it: wrapped in page furniture we write
//! here (generic, from no real page), wrapped like a PDF, or pasted as one
//! line. Each page must drop exactly the furniture and give the seed's metadata.

use std::path::{Path, PathBuf};

use policy_themes::corpus::{self, Document};

fn seed(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

/// Seed 003: title, meeting line wrapped over two lines, greeting, body.
const PLAN: &str = "003_cbd66c4364d6c9dc.txt";
/// Seed 000: opens at the meeting line, speaker line, greeting.
const WORK: &str = "000_948226ca6efd262f.txt";

fn parse(name: &str, text: &str) -> Document {
    let mut docs = corpus::parse_file(Path::new(name), text.as_bytes(), None).unwrap();
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

fn meta(d: &Document) -> (String, Option<u16>, Option<corpus::Kind>) {
    (d.meta.region.clone(), d.meta.year, d.meta.kind)
}

fn texts(d: &Document) -> Vec<String> {
    d.paragraphs.iter().map(|p| p.text.clone()).collect()
}

/// A page: `top` lines, the seed's lines with `inside` lines inserted after
/// the given seed line indexes, `bottom` lines. Returns the text and the
/// line numbers of every inserted line.
fn page(
    seed_text: &str,
    top: &[&str],
    inside: &[(usize, &str)],
    bottom: &[&str],
) -> (String, Vec<usize>) {
    let mut out: Vec<String> = Vec::new();
    let mut chrome = Vec::new();
    for l in top {
        out.push(l.to_string());
        chrome.push(out.len());
    }
    for (i, l) in seed_text.lines().enumerate() {
        out.push(l.to_string());
        for (_, c) in inside.iter().filter(|(at, _)| *at == i) {
            out.push(c.to_string());
            chrome.push(out.len());
        }
    }
    for l in bottom {
        out.push(l.to_string());
        chrome.push(out.len());
    }
    (out.join("\n"), chrome)
}

fn dropped_lines(d: &Document) -> Vec<usize> {
    let mut v: Vec<usize> = d.dropped.iter().map(|x| x.line).collect();
    v.dedup();
    v
}

fn check_page(seed_name: &str, top: &[&str], inside: &[(usize, &str)], bottom: &[&str]) {
    let original = parse(seed_name, &seed(seed_name));
    let (text, chrome) = page(&seed(seed_name), top, inside, bottom);
    let d = parse(seed_name, &text);
    assert_eq!(dropped_lines(&d), chrome, "{:#?}", d.dropped);
    assert_eq!(meta(&d), meta(&original));
    assert_eq!(texts(&d), texts(&original));
}

#[test]
fn government_portal_with_breadcrumb_nav_share_buttons_and_footer() {
    check_page(
        PLAN,
        &[
            "无障碍 | 登录 | 注册",
            "首页 政务公开 新闻中心 办事服务 互动交流",
            "关闭",
            "政务公开",
            "规划计划",
            "当前位置:首页 > 政务公开 > 规划计划",
        ],
        &[
            (0, "发布时间:2021-03-20 10:15 来源:区人民政府办公室"),
            (0, "【字号: 大 中 小】 打印 分享 收藏"),
        ],
        &[
            "打印本页 关闭窗口",
            "返回顶部",
            "网站地图 | 联系我们 | 关于我们",
            "版权所有:某某区人民政府办公室",
        ],
    );
}

#[test]
fn e_paper_with_jump_markers() {
    // Markers on lines of their own and at the end of a paragraph.
    let original = parse(WORK, &seed(WORK));
    let mut lines: Vec<String> = seed(WORK).lines().map(str::to_string).collect();
    lines[5].push_str("(下转第二版)");
    lines.insert(6, "(上接第一版)".to_string());
    lines.insert(0, "第1版:要闻".to_string());
    lines.insert(1, "2022年1月10日 星期一".to_string());
    let d = parse(WORK, &lines.join("\n"));
    let got: Vec<(usize, &str, bool)> = d
        .dropped
        .iter()
        .map(|x| (x.line, x.reason, x.whole_line))
        .collect();
    assert_eq!(
        got,
        [
            (1, "page-number", true),
            (2, "date-source", true),
            (8, "jump-marker", false),
            (9, "jump-marker", true)
        ],
        "{:#?}",
        d.dropped
    );
    assert_eq!(meta(&d), meta(&original));
    assert_eq!(texts(&d), texts(&original));
}

#[test]
fn mirror_site_with_ads_and_teaser() {
    check_page(
        WORK,
        &[
            "设为首页 | 加入收藏 | 手机版",
            "www.example-mirror.com",
            "热门推荐 热点专题 排行榜",
        ],
        &[(20, "广告:会员免费下载本站全部文档,VIP专享在线阅读")],
        &[
            "上一篇 下一篇",
            "免责声明:本站文档由网友上传,如有侵权请联系客服删除",
        ],
    );
}

/// The seed's paragraphs wrapped at `chars` characters, as a document site's
/// preview shows text copied from a PDF.
fn wrapped(text: &str, chars: usize) -> Vec<String> {
    let mut out = Vec::new();
    for p in text.lines().filter(|l| !l.trim().is_empty()) {
        let cs: Vec<char> = p.chars().collect();
        for piece in cs.chunks(chars) {
            out.push(piece.iter().collect());
        }
    }
    out
}

#[test]
fn document_site_preview_with_header_block_notices_and_wrapped_lines() {
    let original = parse(PLAN, &seed(PLAN));
    let mut lines: Vec<String> = [
        "ID:20240501",
        "大小:36.5KB",
        "页数:12页",
        "上传时间:2024-05-01",
        "提示:本文档由会员上传,仅供在线预览,下载文档后查看完整内容",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let header = lines.len();
    let body = wrapped(&seed(PLAN), 34);
    let mut chrome: Vec<usize> = (1..=header).collect();
    for (i, l) in body.iter().enumerate() {
        if i > 0 && i % 40 == 0 {
            lines.push(format!("- {} -", i / 40));
            chrome.push(lines.len());
        }
        lines.push(l.clone());
    }
    lines.push("侵权投诉 | 下载文档 | 收藏".to_string());
    chrome.push(lines.len());
    let d = parse(PLAN, &lines.join("\n"));
    assert_eq!(dropped_lines(&d), chrome, "{:#?}", d.dropped);
    assert!(
        d.warnings.iter().any(|w| w.contains("wrapped")),
        "{:?}",
        d.warnings
    );
    assert_eq!(meta(&d), meta(&original));
    // Unindented wrapped text cannot always tell where a paragraph ends (see
    // unwrap.rs); most come back whole.
    let orig = texts(&original);
    let same = texts(&d).iter().filter(|p| orig.contains(p)).count();
    assert!(same * 10 >= orig.len() * 7, "{same} of {}", orig.len());
}

#[test]
fn one_line_paste_drops_nothing_and_keeps_the_metadata() {
    for name in [PLAN, WORK] {
        let original = parse(name, &seed(name));
        let one: String = seed(name).lines().collect::<Vec<_>>().join(" ");
        let d = parse(name, &one);
        assert!(d.dropped.is_empty(), "{name}: {:#?}", d.dropped);
        assert_eq!(meta(&d), meta(&original), "{name}");
    }
}

#[test]
fn every_seed_line_survives_the_chrome_pass() {
    // The rules must never drop report text: no seed line is dropped.
    for name in [PLAN, WORK, "002_d156648063b80b79.txt"] {
        let d = parse(name, &seed(name));
        assert!(d.dropped.is_empty(), "{name}: {:#?}", d.dropped);
    }
}

#[test]
fn seeds_joined_into_one_line_keep_metadata_and_lead_in_items() {
    for name in [PLAN, WORK, "002_d156648063b80b79.txt"] {
        let original = parse(name, &seed(name));
        let one: String = seed(name).lines().collect::<Vec<_>>().join("");
        let d = parse(name, &one);
        let orig = texts(&original);
        let got = texts(&d);
        assert_eq!(meta(&d), meta(&original), "{name}");
        // Every `——` lead-in item of the original opens a paragraph again.
        for p in orig
            .iter()
            .filter(|p| p.starts_with("——") && p.chars().count() > 40)
        {
            assert!(
                got.iter()
                    .any(|g| g.starts_with(p.chars().take(20).collect::<String>().as_str())),
                "{name}: {p}"
            );
        }
    }
}

#[test]
fn traditional_characters_page_reads_as_the_seed_and_writes_as_given() {
    // The seed converted with the project's own OpenCC path (s2t), as a
    // Taiwan or Hong Kong mirror serves it.
    for name in [PLAN, WORK] {
        let original = parse(name, &seed(name));
        let trad = corpus::script::to_traditional(&seed(name));
        assert_ne!(trad, seed(name), "{name}: conversion changed nothing");
        let d = parse(name, &trad);
        assert_eq!(meta(&d), meta(&original), "{name}");
        assert!(d.meta.region.chars().count() > 1, "{name}: no region");
        assert!(
            d.warnings.iter().any(|w| w.contains("traditional")),
            "{name}: {:?}",
            d.warnings
        );
        // Headings are recognised: the same sections as the seed.
        let sections: Vec<_> = d.paragraphs.iter().map(|p| p.section).collect();
        let want: Vec<_> = original.paragraphs.iter().map(|p| p.section).collect();
        assert_eq!(sections, want, "{name}");
        assert!(sections.contains(&corpus::Section::Review), "{name}");
        assert!(sections.contains(&corpus::Section::Plan), "{name}");
        // The text stays as the user wrote it: each paragraph is the
        // traditional form of the seed's, and the model reads the simplified.
        assert_eq!(d.paragraphs.len(), original.paragraphs.len(), "{name}");
        for (p, o) in d.paragraphs.iter().zip(&original.paragraphs) {
            assert_eq!(p.text, corpus::script::to_traditional(&o.text), "{name}");
            assert!(p.simplified.is_some(), "{name}");
        }
    }
}

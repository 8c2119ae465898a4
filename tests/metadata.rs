//! Metadata of reports as users bring them, built from the seeds: spaced
//! titles and dates, a review heading as the only year, a region named only
//! in the body, namesake districts, traditional characters, and documents
//! without a region kept apart in the tables.

mod common;

use std::path::Path;

use policy_themes::corpus::{parse_file, script, Document, Kind, Manifest};

fn seed(prefix: &str) -> String {
    let dir = common::root().join("corpus");
    let entry = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    std::fs::read_to_string(entry).unwrap()
}

fn parse(name: &str, text: &str) -> Document {
    parse_with(name, text, None)
}

fn parse_with(name: &str, text: &str, manifest: Option<&Manifest>) -> Document {
    let mut docs = parse_file(Path::new(name), text.as_bytes(), manifest).unwrap();
    assert_eq!(docs.len(), 1, "{name}: one document expected");
    docs.remove(0)
}

/// Seed 000 (九原区, 2022) with its first line replaced.
fn seed000_with_first_line(first: &str) -> String {
    let s = seed("000_");
    let rest = s.split_once('\n').unwrap().1;
    format!("{first}\n{rest}")
}

/// Record 1 of seed 004 (新城区, 2021) as a plain file: its title, then its body.
fn xincheng_report() -> (String, String) {
    let s = seed("004_");
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines[0], "-");
    let title = lines[1].trim_start_matches("【新城区招商】").to_string();
    (title, lines[2].to_string())
}

#[test]
fn seed_regions_get_codes_province_and_prefecture() {
    let d = parse("000.txt", &seed("000_"));
    assert_eq!(
        (
            d.meta.region.as_str(),
            d.meta.region_code.as_str(),
            d.meta.province.as_str(),
            d.meta.prefecture.as_str()
        ),
        ("九原区", "150207", "内蒙古自治区", "包头市")
    );
    assert_eq!(d.meta.year, Some(2022));
}

#[test]
fn spaces_inside_title_and_dates_are_tolerated() {
    let text = seed000_with_first_line(
        "2022 年九原区政府工作报告\n——2022 年 1 月 8 日在九原区第十八届人民代表大会第一次会议上",
    );
    let d = parse("spaced.txt", &text);
    assert_eq!(d.meta.region, "九原区");
    assert_eq!(d.meta.region_code, "150207");
    assert_eq!(d.meta.year, Some(2022));
    assert!(
        d.warnings.iter().all(|w| !w.contains("not found")),
        "{:?}",
        d.warnings
    );

    // 年 and 月 lost as spaces, as in some PDF text; a December session
    // delivers the next year's report.
    let text = seed000_with_first_line("——2021 12 20 日在九原区第十八届人民代表大会第一次会议上");
    let d = parse("december.txt", &text);
    assert_eq!(d.meta.year, Some(2022));
    assert_eq!(d.meta.region, "九原区");

    // A region after a spaced year is not read as `年九原区`.
    let text = seed000_with_first_line("2022 年包头市九原区政府工作报告");
    let d = parse("title.txt", &text);
    assert_eq!(
        (d.meta.region.as_str(), d.meta.year),
        ("九原区", Some(2022))
    );
}

#[test]
fn a_review_heading_means_the_next_year() {
    // No meeting line, no title: the year comes from `2021年工作回顾`.
    let s = seed000_with_first_line("");
    let text = s.replacen("一、过去四年工作回顾", "一、2021年工作回顾", 1);
    assert_ne!(text, s);
    let d = parse("review.txt", &text);
    assert_eq!(d.meta.year, Some(2022));
    assert_eq!(d.meta.kind, Some(Kind::WorkReport));
}

#[test]
fn a_region_named_only_in_the_body_is_found() {
    // Without the meeting line the report says `区人民政府`, `我区`, `全区`
    // and names 九原区 in the body.
    let text = seed000_with_first_line("");
    assert!(!text.lines().take(3).any(|l| l.contains("九原区")));
    let d = parse("body.txt", &text);
    assert_eq!(d.meta.region, "九原区");
    assert_eq!(d.meta.region_code, "150207");
}

#[test]
fn a_namesake_district_is_resolved_from_context_or_left_without_a_code() {
    let (title, body) = xincheng_report();
    // As written: the text speaks of 自治区, which only Hohhot's 新城区 lies in.
    let d = parse("xc.txt", &format!("{title}\n{body}\n"));
    assert_eq!(d.meta.region, "新城区");
    assert_eq!(d.meta.region_code, "150102");
    assert_eq!(d.meta.prefecture, "呼和浩特市");

    // With nothing that tells the namesakes apart: no code, and a warning.
    let bare = ["自治区", "呼和浩特", "内蒙古", "首府"]
        .iter()
        .fold(body.clone(), |b, w| b.replace(w, "本地"));
    let d = parse("xc-bare.txt", &format!("{title}\n{bare}\n"));
    assert_eq!(d.meta.region, "新城区");
    assert_eq!(d.meta.region_code, "", "guessed a code");
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("新城区") && w.contains("150102") && w.contains("610102")),
        "{:?}",
        d.warnings
    );

    // The city named beside it decides.
    let d = parse(
        "xc-city.txt",
        &format!("2021年呼和浩特市新城区政府工作报告\n{bare}\n"),
    );
    assert_eq!(d.meta.region_code, "150102");

    // So does a manifest row naming the city.
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("manifest.csv");
    std::fs::write(
        &m,
        "doc_id,region,year,kind,title\nxc-bare,呼和浩特市新城区,,,\n",
    )
    .unwrap();
    let manifest = Manifest::read(&m).unwrap();
    let d = parse_with(
        "xc-bare.txt",
        &format!("{title}\n{bare}\n"),
        Some(&manifest),
    );
    assert_eq!(
        (d.meta.region.as_str(), d.meta.region_code.as_str()),
        ("新城区", "150102")
    );
    assert!(
        d.warnings.iter().all(|w| !w.contains("610102")),
        "{:?}",
        d.warnings
    );
}

#[test]
fn a_missing_region_warns_with_the_manifest_line_to_add() {
    let text = "二〇二二年工作报告\n各位代表:\n现在,我代表政府向大会报告工作。\n一、2021年工作回顾\n过去一年,经济运行稳中有进。\n";
    let d = parse("noregion.txt", text);
    assert_eq!(d.meta.region, "");
    assert!(
        d.warnings
            .iter()
            .any(|w| w.ends_with("add to manifest.csv: noregion,<region>,2022,,")),
        "{:?}",
        d.warnings
    );
}

#[test]
fn a_traditional_document_reads_like_its_simplified_original() {
    let original = seed("000_");
    let traditional = script::to_traditional(&original);
    assert_ne!(traditional, original);
    let a = parse("simp.txt", &original);
    let b = parse("trad.txt", &traditional);
    assert_eq!(a.meta.region, b.meta.region);
    assert_eq!(a.meta.region_code, b.meta.region_code);
    assert_eq!(a.meta.year, b.meta.year);
    assert_eq!(a.meta.kind, b.meta.kind);
    assert!(
        b.warnings.iter().any(|w| w.contains("traditional")),
        "{:?}",
        b.warnings
    );
    assert!(a.warnings.iter().all(|w| !w.contains("traditional")));
    assert_eq!(a.paragraphs.len(), b.paragraphs.len());
    let (mut same, mut total) = (0usize, 0usize);
    for (pa, pb) in a.paragraphs.iter().zip(&b.paragraphs) {
        assert_eq!(pa.section, pb.section, "¶{}", pa.para_id);
        // The text is written as the user wrote it…
        assert!(
            traditional.contains(&pb.text),
            "¶{} not from the input",
            pb.para_id
        );
        // …and the model reads the simplified copy.
        let model = pb.model_text();
        assert_eq!(model.chars().count(), pb.text.chars().count());
        assert_eq!(script::to_simplified(model), model);
        assert_eq!(pa.model_text(), pa.text);
        total += model.chars().count();
        same += model
            .chars()
            .zip(pa.text.chars())
            .filter(|(x, y)| x == y)
            .count();
    }
    assert!(same as f64 >= 0.995 * total as f64, "{same}/{total}");
}

#[test]
fn documents_without_a_region_are_never_pooled() {
    let dir = tempfile::tempdir().unwrap();
    let labelled = dir.path().join("labelled.csv");
    let mut csv =
        String::from("doc_id,para_id,region,year,kind,section,theme,confidence,secondary,text\n");
    for (doc, theme) in [("d1", "ecology"), ("d2", "industry")] {
        for i in 0..3 {
            csv.push_str(&format!(
                "{doc},{i},,2022,work_report,review,{theme},0.9,,这是第{i}段关于本地工作的文字\n"
            ));
        }
    }
    csv.push_str("d3,0,某某县,2022,work_report,review,rural,0.9,,乡村振兴的文字\n");
    std::fs::write(&labelled, csv).unwrap();
    let out = common::bin()
        .args(["summary", "-q"])
        .arg(&labelled)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = stdout.lines().skip(1).collect();
    let unknown = rows.iter().filter(|r| r.starts_with("(unknown: ")).count();
    assert_eq!(unknown, 2, "{stdout}");
    assert!(rows.iter().any(|r| r.starts_with("某某县")), "{stdout}");
    assert!(
        rows.iter().any(|r| r.starts_with("(unknown: d1)")),
        "{stdout}"
    );
    assert!(
        rows.iter().any(|r| r.starts_with("(unknown: d2)")),
        "{stdout}"
    );

    // compare can name each of them.
    let out = common::bin()
        .args(["compare", "-q"])
        .arg(&labelled)
        .args(["(unknown: d1)", "(unknown: d2)"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn segment_output_carries_the_division_columns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seg.csv");
    common::segment_corpus(&out);
    let (h, rows) = common::read_csv(&out);
    let cols: Vec<&str> = h.iter().collect();
    assert_eq!(
        &cols[..6],
        &[
            "doc_id",
            "para_id",
            "region",
            "region_code",
            "province",
            "prefecture"
        ]
    );
    let coded = rows.iter().filter(|r| !r[3].is_empty()).count();
    assert_eq!(coded, rows.len(), "every seed region has a code");
    assert!(rows
        .iter()
        .any(|r| &r[2] == "新城区" && &r[3] == "150102" && &r[5] == "呼和浩特市"));
}

#[test]
fn the_model_labels_a_traditional_document_like_its_original() {
    let dir = tempfile::tempdir().unwrap();
    let original = seed("000_");
    let (simp, trad) = (dir.path().join("simp.txt"), dir.path().join("trad.txt"));
    std::fs::write(&simp, &original).unwrap();
    std::fs::write(&trad, script::to_traditional(&original)).unwrap();
    let label = |input: &Path, out: &Path| {
        let o = common::bin()
            .args(["label", "--model"])
            .arg(common::default_model())
            .arg(input)
            .arg("-o")
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stderr).unwrap()
    };
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    label(&simp, &a);
    let warnings = label(&trad, &b);
    assert!(warnings.contains("traditional"), "{warnings}");
    assert!(!warnings.contains("vocabulary"), "{warnings}");
    let ((ha, ra), (_, rb)) = (common::read_csv(&a), common::read_csv(&b));
    let col = |n: &str| ha.iter().position(|h| h == n).unwrap();
    let (theme, text, code) = (col("theme"), col("text"), col("region_code"));
    assert_eq!(ra.len(), rb.len());
    let same = ra
        .iter()
        .zip(&rb)
        .filter(|(x, y)| x[theme] == y[theme])
        .count();
    assert!(same * 100 >= ra.len() * 95, "{same}/{}", ra.len());
    // The text column is the input as written, in traditional characters.
    assert!(rb.iter().zip(&ra).any(|(y, x)| y[text] != x[text]));
    assert!(rb.iter().all(|y| y[code] == *"150207"));
}

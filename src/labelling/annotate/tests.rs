//! The annotator over a real label file: label, skip, undo, back, resume.

use super::*;

fn units(n: usize) -> Vec<Unit> {
    const TEXTS: [&str; 6] = [
        "推进乡村振兴战略，建设高标准农田十万亩，粮食产量稳定。",
        "深化放管服改革，优化营商环境，企业开办时间压缩到一天。",
        "加强生态环境保护，打好蓝天碧水净土保卫战，空气质量改善。",
        "招商引资成效明显，签约项目一百二十个，到位资金三百亿元。",
        "办好民生实事，新增城镇就业两万人，养老服务体系更加完善。",
        "推动科技创新，新认定高新技术企业五十家，研发投入增长。",
    ];
    (0..n)
        .map(|i| Unit {
            doc_id: format!("d{}", i / 6),
            para_id: i % 6,
            region: "某县".into(),
            year: Some(2022),
            section: "review".into(),
            text: format!("{}（{i}）", TEXTS[i % 6]),
        })
        .collect()
}

fn form(a: &Annotator, action: &str, theme: &str) -> Form {
    let k = a.session().current().cloned().unwrap_or_default();
    Form {
        action: action.into(),
        doc: k.0,
        para: k.1.to_string(),
        theme: theme.into(),
        ..Form::default()
    }
}

fn open(p: &Path, n: usize) -> Annotator {
    let cb = Codebook::bundled().unwrap();
    let f = LabelFile::open(p, &cb).unwrap();
    Annotator::new(f, units(n), cb, 5, 1)
}

fn file_labels(p: &Path) -> Vec<(String, usize, String)> {
    let cb = Codebook::bundled().unwrap();
    let mut v: Vec<_> = LabelSet::read_strict(p, &cb)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| (r.doc_id, r.para_id, cb.id(r.theme).to_string()))
        .collect();
    v.sort();
    v
}

#[test]
fn every_decision_is_in_the_file_at_once_and_a_restart_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("l.csv");
    let mut a = open(&p, 12);
    let mut made = Vec::new();
    for theme in ["rural", "reform", "ecology"] {
        let k = a.session().current().cloned().unwrap();
        a.apply(&form(&a, "label", theme)).unwrap();
        made.push((k.0, k.1, theme.to_string()));
        made.sort();
        assert_eq!(file_labels(&p), made);
    }
    // Skip one, undo the last label, relabel it differently.
    let skipped = a.session().current().cloned().unwrap();
    a.apply(&form(&a, "skip", "")).unwrap();
    assert_ne!(a.session().current(), Some(&skipped));
    a.apply(&form(&a, "undo", "")).unwrap();
    let undone = a.session().current().cloned().unwrap();
    made.retain(|m| (m.0.as_str(), m.1) != (undone.0.as_str(), undone.1));
    assert_eq!(file_labels(&p), made);
    a.apply(&form(&a, "label", "social")).unwrap();
    made.push((undone.0.clone(), undone.1, "social".into()));
    made.sort();
    assert_eq!(file_labels(&p), made);
    assert_eq!(a.written(), 3);
    // A new run over the same file proposes none of the labelled paragraphs.
    drop(a);
    let mut b = open(&p, 12);
    let mut seen = Vec::new();
    while let Some(k) = b.session().current().cloned() {
        assert!(
            !made
                .iter()
                .any(|m| (m.0.as_str(), m.1) == (k.0.as_str(), k.1)),
            "{k:?} was labelled already"
        );
        seen.push(k);
        b.apply(&form(&b, "skip", "")).unwrap();
    }
    assert_eq!(
        seen.len(),
        12 - 3,
        "every unlabelled paragraph once: {seen:?}"
    );
    assert_eq!(file_labels(&p), made);
}

#[test]
fn back_then_relabel_replaces_the_row_and_bad_posts_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("l.csv");
    let mut a = open(&p, 6);
    let first = a.session().current().cloned().unwrap();
    a.apply(&form(&a, "label", "rural")).unwrap();
    a.apply(&form(&a, "back", "")).unwrap();
    assert_eq!(a.session().current(), Some(&first));
    assert_eq!(
        a.decision(&first).map(|d| d.theme),
        a.codebook.parse("rural").ok()
    );
    a.apply(&form(&a, "label", "investment")).unwrap();
    assert_eq!(
        file_labels(&p),
        vec![(first.0.clone(), first.1, "investment".into())]
    );
    let before = std::fs::read(&p).unwrap();
    // A page for another paragraph, an unknown theme, a secondary equal to the primary.
    let mut stale = form(&a, "label", "rural");
    stale.para = "99".into();
    assert!(a
        .apply(&stale)
        .unwrap_err()
        .to_string()
        .contains("out of date"));
    assert!(a.apply(&form(&a, "label", "nope")).is_err());
    let mut same = form(&a, "label", "rural");
    same.secondary = "rural".into();
    assert!(a.apply(&same).is_err());
    assert_eq!(std::fs::read(&p).unwrap(), before);
    // Undo the relabelling: the first label comes back.
    a.apply(&form(&a, "undo", "")).unwrap();
    assert_eq!(file_labels(&p), vec![(first.0, first.1, "rural".into())]);
}

#[test]
fn an_edit_elsewhere_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("l.csv");
    let mut a = open(&p, 6);
    a.apply(&form(&a, "label", "rural")).unwrap();
    let edited = "doc_id,para_id,text,theme,secondary,note\nx,0,他人的编辑,social,,\n";
    std::fs::write(&p, edited).unwrap();
    let on_screen = a.session().current().cloned();
    let err = a
        .apply(&form(&a, "label", "reform"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("changed on disk"), "{err}");
    assert_eq!(std::fs::read_to_string(&p).unwrap(), edited);
    assert_eq!(
        a.session().current().cloned(),
        on_screen,
        "still on the same paragraph"
    );
    assert!(a.apply(&form(&a, "undo", "")).is_err());
    assert_eq!(std::fs::read_to_string(&p).unwrap(), edited);
}

#[test]
fn the_model_is_refitted_in_the_background_once_there_are_enough_labels() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("l.csv");
    let themes = [
        "rural",
        "reform",
        "ecology",
        "investment",
        "livelihood",
        "innovation",
    ];
    let mut a = open(&p, 60);
    assert!(a.model_status().starts_with("cold start"));
    for _ in 0..MIN_LABELS + 5 {
        let k = a.session().current().cloned().unwrap();
        let u = a.unit(&k).unwrap();
        // The oracle: each text's own theme.
        let t = themes[u.para_id % 6];
        a.apply(&form(&a, "label", t)).unwrap();
    }
    a.wait_for_fit();
    assert!(
        a.model_status().starts_with("model fitted on"),
        "{}",
        a.model_status()
    );
    let k = a.session().current().cloned().unwrap();
    let (t, p) = a.suggestion(&k).unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert!(a.codebook.id(t).len() > 1);
    // The page shows the suggestion but selects nothing.
    let html = page::render(&a, "tok");
    assert!(html.contains("id=\"suggestion\""));
    assert!(!html.contains(" checked"));
}

const MIN_LABELS: usize = crate::labelling::MIN_LABELS_FOR_MODEL;

#[test]
fn disagreements_are_walked_and_settled_into_a_gold_file_seeded_with_the_agreements() {
    let dir = tempfile::tempdir().unwrap();
    let (pa, pb, gold) = (
        dir.path().join("a.csv"),
        dir.path().join("b.csv"),
        dir.path().join("gold.csv"),
    );
    std::fs::write(
        &pa,
        "doc_id,para_id,text,theme,secondary\nd,0,乡村振兴。,rural,\nd,1,营商环境。,reform,\nd,2,蓝天保卫战。,ecology,\n",
    )
    .unwrap();
    std::fs::write(
        &pb,
        "doc_id,para_id,theme\nd,0,rural\nd,1,investment\nd,2,social\n",
    )
    .unwrap();
    let cb = Codebook::bundled().unwrap();
    let (coders, units) = read_coders(&pa, &pb, &cb).unwrap();
    let f = LabelFile::open(&gold, &cb).unwrap();
    let mut a = Annotator::settle(f, units, cb, coders).unwrap();
    assert_eq!(file_labels(&gold), vec![("d".into(), 0, "rural".into())]);
    assert_eq!(a.session().current(), Some(&("d".to_string(), 1)));
    let html = page::render(&a, "tok");
    assert!(html.contains("id=\"coders\""), "both choices shown");
    assert!(!html.contains(" checked"));
    a.apply(&form(&a, "label", "investment")).unwrap();
    a.apply(&form(&a, "label", "ecology")).unwrap();
    assert!(a.session().current().is_none());
    assert_eq!(
        file_labels(&gold),
        vec![
            ("d".into(), 0, "rural".into()),
            ("d".into(), 1, "investment".into()),
            ("d".into(), 2, "ecology".into())
        ]
    );
    // Resuming: nothing left, and the agreements are not added twice.
    let cb = Codebook::bundled().unwrap();
    let (coders, units) = read_coders(&pa, &pb, &cb).unwrap();
    let f = LabelFile::open(&gold, &cb).unwrap();
    let a = Annotator::settle(f, units, cb, coders).unwrap();
    assert!(a.session().current().is_none());
    assert_eq!(file_labels(&gold).len(), 3);
}

#[test]
fn forms_decode_and_coder_files_are_named() {
    let f = Form::parse(
        "action=label&doc=%E6%B2%B3%E5%8C%97+1&para=3&theme=rural&note=a%2Bb+c&token=t",
    );
    assert_eq!(f.doc, "河北 1");
    assert_eq!(f.note, "a+b c");
    assert_eq!(
        (f.action.as_str(), f.para.as_str(), f.token.as_str()),
        ("label", "3", "t")
    );
    assert_eq!(url_decode("100%"), "100%");
    assert_eq!(url_decode("%zz"), "%zz");
    assert_eq!(
        coder_file(Path::new("x/round1.csv"), "alice").unwrap(),
        Path::new("x/round1.alice.csv")
    );
    assert!(coder_file(Path::new("l.csv"), "../b").is_err());
    assert!(coder_file(Path::new("l.csv"), "").is_err());
}

#[test]
fn the_page_escapes_text_and_names_the_keys() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("l.csv");
    let cb = Codebook::bundled().unwrap();
    let f = LabelFile::open(&p, &cb).unwrap();
    let mut us = units(2);
    us[0].text = "<script>alert(1)</script> & 乡村".into();
    us[1].text = "<script>alert(1)</script> & 乡村".into();
    let a = Annotator::new(f, us, cb, 5, 1);
    let html = page::render(&a, "tok");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; 乡村"));
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only the page's own script"
    );
    assert!(html.contains("data-key=\"1\""));
    assert!(html.contains("value=\"tok\""));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external resources"
    );
}

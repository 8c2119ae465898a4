//! The browser harness itself works: a page is served, keys reach it, scripts
//! run, and a screenshot is a PNG. When this fails in CI, the other browser
//! tests' failures are about the browser, not the tool.

#[path = "common/browser.rs"]
mod browser;

use browser::{serve_static, Browser};

#[test]
fn a_served_page_takes_keys_runs_scripts_and_gives_a_screenshot() {
    let Some(b) = Browser::start() else { return };
    let page = r#"<!doctype html><meta charset="utf-8"><title>harness</title>
<p id="out">none</p>
<script>
document.addEventListener('keydown', e => {
  document.getElementById('out').textContent = 'key ' + e.key;
});
</script>"#;
    let base = serve_static(vec![("/", page.to_string())]);
    b.goto(&format!("{base}/"));
    assert_eq!(b.text("#out"), "none");
    b.press("7");
    assert_eq!(b.text("#out"), "key 7");
    let w = b.execute("return window.innerWidth;", vec![]);
    assert_eq!(w.as_u64(), Some(1400), "window width as asked");
    b.set_window_size(390, 800);
    let w = b.execute("return window.innerWidth;", vec![]);
    assert_eq!(w.as_u64(), Some(390), "narrow window width");
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("harness.png");
    let n = b.screenshot(&shot);
    let bytes = std::fs::read(&shot).unwrap();
    assert!(
        n > 100 && bytes.starts_with(b"\x89PNG"),
        "a PNG was written"
    );
}

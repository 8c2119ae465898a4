//! The HTML report in a real browser (headless Chromium through the harness):
//! screenshots at 1400 and 390 px, every heatmap cell's link lands on a
//! listing whose paragraphs give that cell's share, no horizontal overflow at
//! 390 px outside the scrolling heatmap, nothing loaded from elsewhere.
//!
//! The report is made from the bundled labels and corpus as a user would:
//! `train`, `label`, `report`.

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::path::{Path, PathBuf};

use browser::Browser;
use common::{bin, root};

/// `train` → `label` → `report` in `dir`; returns the report's path.
fn make_report(dir: &Path) -> PathBuf {
    let model = dir.join("model.json");
    let paragraphs = dir.join("paragraphs.csv");
    let report = dir.join("report.html");
    bin()
        .current_dir(dir)
        .args(["train", "--labels"])
        .arg(root().join("labels"))
        .arg("-o")
        .arg(&model)
        .assert()
        .success();
    bin()
        .current_dir(dir)
        .arg("label")
        .arg(root().join("corpus"))
        .arg("-m")
        .arg(&model)
        .arg("-o")
        .arg(&paragraphs)
        .assert()
        .success();
    // Fewer resamples than the default: the intervals' width is not what is
    // tested here, and the report is made faster.
    bin()
        .current_dir(dir)
        .arg("report")
        .arg(&paragraphs)
        .arg("-m")
        .arg(&model)
        .args(["--samples", "200", "-o"])
        .arg(&report)
        .assert()
        .success();
    report
}

fn screenshots_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots")
}

#[test]
fn the_report_in_a_browser_links_cells_to_their_paragraphs_fits_390_px_and_loads_nothing() {
    let Some(b) = Browser::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let report = make_report(dir.path());
    b.set_window_size(1400, 900);
    b.open_file(&report);
    b.wait_for("table", 10);

    // Screenshot at 1400 px, the whole page.
    let wide = screenshots_dir().join("report-1400.png");
    let n = b.screenshot_full(&wide, 1400);
    assert!(n > 10_000, "a real screenshot at 1400 px ({n} bytes)");
    assert!(std::fs::read(&wide).unwrap().starts_with(b"\x89PNG"));

    // Every heatmap cell with a share: its link's target, reached by a click,
    // is a visible listing whose paragraphs' weights over the row's weight
    // give the cell's share.
    let cells = b.execute(
        r##"return [...document.querySelectorAll('td[data-v] > a[href^="#p-"]')]
              .filter(a => parseFloat(a.parentElement.dataset.v) >= 0)
              .map(a => [a.parentElement.id, a.getAttribute('href').slice(1),
                         parseFloat(a.parentElement.dataset.v)]);"##,
        vec![],
    );
    let cells = cells.as_array().expect("cells").clone();
    assert!(
        cells.len() >= 100,
        "the bundled corpus gives many cells, found {}",
        cells.len()
    );
    let mut nonzero = 0;
    for c in &cells {
        let (cell, target, share) = (
            c[0].as_str().unwrap(),
            c[1].as_str().unwrap(),
            c[2].as_f64().unwrap(),
        );
        b.click(&format!("#{cell} > a"));
        let landed = b.execute(
            r#"const id = arguments[0];
               const l = document.getElementById(id);
               if (!l) return null;
               const w = [...l.querySelectorAll('li[data-w]')]
                   .reduce((s, li) => s + parseFloat(li.dataset.w), 0);
               return { hash: location.hash.slice(1),
                        shown: getComputedStyle(l).display !== 'none',
                        top: l.getBoundingClientRect().top,
                        items: l.querySelectorAll('li[data-w]').length,
                        weight: w,
                        context: parseFloat(l.dataset.context) };"#,
            vec![serde_json::Value::from(target)],
        );
        assert!(!landed.is_null(), "{cell}: no listing #{target}");
        assert_eq!(
            landed["hash"], target,
            "{cell}: the click went to #{target}"
        );
        assert_eq!(landed["shown"], true, "{cell}: listing #{target} is shown");
        let top = landed["top"].as_f64().unwrap();
        assert!(
            (-2.0..900.0).contains(&top),
            "{cell}: listing #{target} is scrolled into view (top {top})"
        );
        let (weight, context) = (
            landed["weight"].as_f64().unwrap(),
            landed["context"].as_f64().unwrap(),
        );
        assert!(context > 0.0, "{cell}: the row's weight is known");
        let from_listing = weight / context;
        assert!(
            (from_listing - share).abs() < 1e-5,
            "{cell}: the listing's {} paragraphs give {from_listing:.6}, the cell says {share:.6}",
            landed["items"]
        );
        if share > 0.0 {
            nonzero += 1;
            assert!(
                landed["items"].as_u64().unwrap() > 0,
                "{cell}: a share without paragraphs"
            );
        }
    }
    assert!(nonzero >= 50, "most cells have a share ({nonzero})");

    // Nothing is loaded from anywhere else: every resource the page fetched,
    // and every src/href that would fetch, is the page itself or data:.
    let external = b.execute(
        r#"const urls = performance.getEntriesByType('resource').map(e => e.name);
           for (const e of document.querySelectorAll('[src], link[href], [srcset]'))
               urls.push(e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('srcset'));
           return urls.filter(u => !(u.startsWith('data:') || u.startsWith('#')
               || u.startsWith(location.href.split('#')[0])));"#,
        vec![],
    );
    assert_eq!(external, serde_json::json!([]), "external resources");
    let source = b.source();
    assert!(
        !source.contains(&dir.path().display().to_string()),
        "the report names no absolute path of this machine"
    );

    // 390 px: nothing but the heatmap's own scroller is wider than the page.
    b.set_window_size(390, 800);
    b.open_file(&report);
    b.wait_for("table", 10);
    let overflow = b.execute(
        r#"const vw = document.documentElement.clientWidth;
           const bad = [];
           for (const e of document.body.querySelectorAll('*')) {
               if (e.closest('.scroll')) continue;
               const st = getComputedStyle(e);
               if (st.display === 'none' || st.visibility === 'hidden') continue;
               const r = e.getBoundingClientRect();
               if (r.width === 0 && r.height === 0) continue;
               if (r.right > vw + 1 || r.left < -1)
                   bad.push(e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')
                            + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
           }
           return { vw: vw, page: document.documentElement.scrollWidth,
                    bad: bad.slice(0, 10), scroller: !!document.querySelector('.scroll') };"#,
        vec![],
    );
    assert_eq!(overflow["vw"], 390, "the page is 390 px wide");
    assert_eq!(
        overflow["scroller"], true,
        "the heatmap scrolls in its own box"
    );
    assert_eq!(
        overflow["bad"],
        serde_json::json!([]),
        "elements past the right edge at 390 px"
    );
    assert!(
        overflow["page"].as_u64().unwrap() <= 391,
        "no horizontal overflow of the page at 390 px: {overflow}"
    );
    // A listing opened at 390 px fits too.
    let first = cells[0][0].as_str().unwrap();
    b.click(&format!("#{first} > a"));
    let wide_listing = b.execute("return document.documentElement.scrollWidth;", vec![]);
    assert!(
        wide_listing.as_u64().unwrap() <= 391,
        "a listing at 390 px fits"
    );
    let narrow = screenshots_dir().join("report-390.png");
    b.open_file(&report);
    let n = b.screenshot_full(&narrow, 390);
    assert!(n > 10_000, "a real screenshot at 390 px ({n} bytes)");
}

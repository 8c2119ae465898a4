//! `annotate` in a real browser (headless Chromium through chromedriver):
//! label paragraphs with the keyboard, undo one, kill the server mid-way,
//! restart, and check the label file holds exactly the decisions made; a
//! screenshot of the page goes to the test's temporary target folder.

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use browser::Browser;

struct Server {
    child: Child,
    port: u16,
}

fn serve(labels: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policy-themes"))
        .current_dir(common::root())
        .args([
            "annotate",
            labels.to_str().unwrap(),
            "corpus/000_948226ca6efd262f.txt",
        ])
        .args(["--port", "0", "-q"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("annotate printed no address");
        };
        if let Some(i) = line.find("http://127.0.0.1:") {
            let rest = &line[i + 17..];
            break rest[..rest.find('/').unwrap()].parse().unwrap();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, port }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn labels(path: &Path) -> BTreeMap<(String, usize), String> {
    let (head, rows) = common::read_csv(path);
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (d, p, t) = (col("doc_id"), col("para_id"), col("theme"));
    rows.iter()
        .map(|r| ((r[d].to_string(), r[p].parse().unwrap()), r[t].to_string()))
        .collect()
}

/// The paragraph on the page, waiting until it differs from `not` (the
/// page reloads after each key).
fn on_page(b: &Browser, not: Option<&(String, usize)>) -> (String, usize) {
    let t0 = Instant::now();
    loop {
        let v = b.execute(
            "var d=document.getElementById('doc'),p=document.getElementById('para');\
             return d&&p&&document.readyState==='complete'?[d.textContent,p.textContent]:null;",
            vec![],
        );
        if let (Some(d), Some(p)) = (v[0].as_str(), v[1].as_str()) {
            let k = (d.to_string(), p.parse().unwrap());
            if Some(&k) != not {
                return k;
            }
        }
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "the page did not move on"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn labelling_with_the_keyboard_survives_a_kill_and_resumes() {
    let Some(b) = Browser::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.csv");
    let ids = common::BUNDLED_THEMES;
    let mut made: BTreeMap<(String, usize), String> = BTreeMap::new();

    let s = serve(&file);
    b.goto(&format!("http://127.0.0.1:{}/", s.port));
    let mut key = on_page(&b, None);
    // Keys 1, 3, 7: poverty, ecology, industry (the bundled order).
    for (k, theme) in [("1", 0), ("3", 2), ("7", 6)] {
        b.press(k);
        made.insert(key.clone(), ids[theme].to_string());
        key = on_page(&b, Some(&key));
        assert_eq!(labels(&file), made, "written at once");
    }
    // Undo the last one with `u`: it is on screen again and out of the file.
    b.press("u");
    let undone = on_page(&b, Some(&key));
    assert_eq!(made.remove(&undone).as_deref(), Some(ids[6]));
    assert_eq!(labels(&file), made);
    // Label it again with a letter key (`a`, the tenth theme), then one more.
    b.press("a");
    made.insert(undone.clone(), ids[9].to_string());
    key = on_page(&b, Some(&undone));
    b.press("2");
    made.insert(key.clone(), ids[1].to_string());
    key = on_page(&b, Some(&key));
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("annotate-browser.png");
    assert!(b.screenshot(&shot) > 1000);
    assert!(std::fs::read(&shot).unwrap().starts_with(b"\x89PNG"));
    // Kill the server mid-way.
    drop(s);
    assert_eq!(labels(&file), made, "after the kill");

    // Restart: the page resumes on a paragraph not labelled yet.
    let s = serve(&file);
    b.goto(&format!("http://127.0.0.1:{}/", s.port));
    let resumed = on_page(&b, None);
    assert!(!made.contains_key(&resumed), "{resumed:?} was labelled");
    let _ = key;
    b.press("5");
    made.insert(resumed.clone(), ids[4].to_string());
    on_page(&b, Some(&resumed));
    drop(s);
    assert_eq!(labels(&file), made);
}

//! `annotate` over plain HTTP: start the server on a free port, post
//! decisions as the page's forms do (no JavaScript), kill it mid-way,
//! restart, and check the label file holds exactly the decisions made.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// A running `annotate` and its stderr lines.
struct Server {
    child: Child,
    port: u16,
    stderr: Receiver<String>,
}

fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policy-themes"))
        .current_dir(common::root())
        .arg("annotate")
        .args(args)
        .args(["--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    loop {
        let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("annotate printed no address");
        };
        if let Some(i) = line.find("http://127.0.0.1:") {
            let rest = &line[i + "http://127.0.0.1:".len()..];
            let port = rest[..rest.find('/').unwrap()].parse().unwrap();
            return Server {
                child,
                port,
                stderr: rx,
            };
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

fn request(port: u16, method: &str, body: &str, extra: &str) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "{method} / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n{extra}\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    Reply {
        status: head[9..12].parse().unwrap(),
        headers: head.to_string(),
        body: body.to_string(),
    }
}

/// What a page shows: the form's token and the paragraph's key.
struct Page {
    token: String,
    key: Option<(String, usize)>,
    html: String,
}

fn attr_after<'a>(html: &'a str, marker: &str) -> Option<&'a str> {
    let i = html.find(marker)? + marker.len();
    let rest = &html[i..];
    rest.find('"').map(|j| &rest[..j])
}

fn get(port: u16) -> Page {
    let r = request(port, "GET", "", "");
    assert_eq!(r.status, 200);
    assert!(r.headers.contains("default-src 'none'"), "{}", r.headers);
    let html = r.body;
    let token = attr_after(&html, "name=\"token\" value=\"")
        .unwrap()
        .to_string();
    let key = attr_after(&html, "name=\"doc\" value=\"").map(|d| {
        let p = attr_after(&html, "name=\"para\" value=\"").unwrap();
        (html_unescape(d), p.parse().unwrap())
    });
    Page { token, key, html }
}

fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn post(port: u16, page: &Page, action: &str, theme: &str) -> Reply {
    let (doc, para) = page.key.clone().unwrap_or_default();
    let body = format!(
        "token={}&doc={}&para={para}&theme={theme}&secondary=&note=&action={action}",
        page.token,
        enc(&doc)
    );
    request(port, "POST", &body, "")
}

/// The labels in a file: key → theme.
fn labels(path: &Path) -> BTreeMap<(String, usize), String> {
    if !path.exists() {
        return BTreeMap::new();
    }
    let (head, rows) = common::read_csv(path);
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (d, p, t) = (col("doc_id"), col("para_id"), col("theme"));
    rows.iter()
        .filter(|r| !r[t].is_empty())
        .map(|r| ((r[d].to_string(), r[p].parse().unwrap()), r[t].to_string()))
        .collect()
}

const THEMES: [&str; 4] = ["rural", "industry", "reform", "livelihood"];

fn report() -> PathBuf {
    PathBuf::from("corpus/000_948226ca6efd262f.txt")
}

#[test]
fn decisions_posted_over_http_survive_a_kill_and_a_restart_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.csv");
    let f = file.to_str().unwrap();
    let rep = report();
    let r = rep.to_str().unwrap();
    let mut made: BTreeMap<(String, usize), String> = BTreeMap::new();

    let s = start(&[f, r]);
    // Not ours: a post without the page's token.
    let page = get(s.port);
    let forged = format!(
        "token=x&doc={}&para=0&theme=rural&action=label",
        enc(&page.key.clone().unwrap().0)
    );
    assert_eq!(request(s.port, "POST", &forged, "").status, 403);
    assert!(!file.exists(), "nothing written by refused requests");

    for (i, theme) in THEMES.iter().enumerate() {
        let page = get(s.port);
        let key = page.key.clone().unwrap();
        assert!(!made.contains_key(&key), "{key:?} proposed twice");
        let reply = post(s.port, &page, "label", theme);
        assert_eq!(reply.status, 303, "redirect after post");
        assert!(reply.headers.contains("Location: /"));
        made.insert(key, theme.to_string());
        // Written at once.
        assert_eq!(labels(&file), made, "after decision {i}");
    }
    // Skip one, then undo the last label.
    let page = get(s.port);
    post(s.port, &page, "skip", "");
    let page = get(s.port);
    post(s.port, &page, "undo", "");
    let page = get(s.port);
    let undone = page.key.clone().unwrap();
    assert_eq!(
        made.remove(&undone).as_deref(),
        Some(THEMES[3]),
        "undo shows the last labelled again"
    );
    assert!(page.html.contains("undone:"));
    assert_eq!(labels(&file), made);
    // Relabel it, then kill the server without warning.
    post(s.port, &page, "label", "ecology");
    made.insert(undone, "ecology".into());
    drop(s);
    assert_eq!(labels(&file), made, "the file after the kill");
    // No temporary file left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");

    // Restart: resumes on a paragraph not labelled yet.
    let s = start(&[f, r]);
    let page = get(s.port);
    assert!(page
        .html
        .contains(&format!("<b id=\"labelled\">{}</b>", made.len())));
    for theme in ["social", "government"] {
        let page = get(s.port);
        let key = page.key.clone().unwrap();
        assert!(
            !made.contains_key(&key),
            "{key:?} was labelled before the restart"
        );
        post(s.port, &page, "label", theme);
        made.insert(key, theme.to_string());
    }
    // Someone edits the file elsewhere: the next decision is refused, the edit kept.
    let mut edited = std::fs::read_to_string(&file).unwrap();
    edited.push_str("x,0,别处加的一行,social,,\n");
    std::fs::write(&file, &edited).unwrap();
    let page = get(s.port);
    post(s.port, &page, "label", "urban");
    let after = get(s.port);
    assert!(after.html.contains("changed on disk"), "the page says so");
    assert_eq!(after.key, page.key, "still on the same paragraph");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);
    let mut warned = false;
    while let Ok(l) = s.stderr.recv_timeout(Duration::from_secs(5)) {
        if l.contains("changed on disk") && l.contains("mine.csv") {
            warned = true;
            break;
        }
    }
    assert!(warned, "stderr says so too");
    drop(s);
    made.insert(("x".into(), 0), "social".into());
    assert_eq!(labels(&file), made);
}

#[cfg(target_os = "linux")]
#[test]
fn the_server_listens_on_127_0_0_1_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("l.csv");
    let s = start(&[file.to_str().unwrap(), report().to_str().unwrap()]);
    let tcp = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let port = format!(":{:04X} ", s.port);
    let listening: Vec<&str> = tcp
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .nth(1)
                .is_some_and(|a| format!("{a} ").ends_with(&port))
        })
        .filter(|l| l.split_whitespace().nth(3) == Some("0A"))
        .collect();
    assert_eq!(listening.len(), 1, "{listening:?}");
    assert!(listening[0]
        .split_whitespace()
        .nth(1)
        .unwrap()
        .starts_with("0100007F:"));
    let tcp6 = std::fs::read_to_string("/proc/net/tcp6").unwrap_or_default();
    assert!(!tcp6.contains(&port), "nothing on IPv6");
}

#[test]
fn a_bad_label_file_stops_before_serving_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    std::fs::write(
        &file,
        "doc_id,para_id,text,theme,secondary\nd,0,x,social,\nd,1,y,socal,\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_policy-themes"))
        .current_dir(common::root())
        .args([
            "annotate",
            file.to_str().unwrap(),
            report().to_str().unwrap(),
            "--port",
            "0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv:3: unknown theme id `socal`"), "{err}");
    assert!(!err.contains("http://"), "no server started: {err}");
    // --coder writes the coder's own file beside it.
    let good = dir.path().join("r.csv");
    let s = start(&[
        good.to_str().unwrap(),
        report().to_str().unwrap(),
        "--coder",
        "alice",
    ]);
    let page = get(s.port);
    post(s.port, &page, "label", "rural");
    drop(s);
    assert!(!good.exists());
    assert_eq!(labels(&dir.path().join("r.alice.csv")).len(), 1);
}

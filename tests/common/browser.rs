//! Headless Chromium for end-to-end tests, driven through chromedriver
//! (WebDriver) with fantoccini, behind a blocking API so tests stay plain
//! `#[test]` functions.
//!
//! Use it with `#[path = "common/browser.rs"] mod browser;` (it is not part
//! of `common/mod.rs`, so test binaries without a browser do not link the
//! WebDriver client).
//!
//! Chromium and chromedriver come from Debian's `chromium` and
//! `chromium-driver` (`.ci/run` installs them). When they are missing,
//! [`Browser::start`] returns `None` and the test says it was skipped —
//! unless `POLICY_THEMES_REQUIRE_BROWSER=1` is set (CI sets it), which turns
//! a missing browser into a failure.
#![allow(dead_code)] // not every browser test uses every helper

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[allow(unused_imports)] // for tests that press special keys
pub use fantoccini::key::Key;
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// A headless Chromium session; dropping it closes the browser and stops
/// chromedriver.
pub struct Browser {
    rt: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free local port")
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile, at
    /// 1400×900. `None` (with a notice on stderr) when they are not installed
    /// and the environment does not require them.
    pub fn start() -> Option<Browser> {
        let chrome = find_program("CHROME", &["chromium", "chromium-browser", "google-chrome"]);
        let driver = find_program("CHROMEDRIVER", &["chromedriver"]);
        let (chrome, driver) = match (chrome, driver) {
            (Some(c), Some(d)) => (c, d),
            _ => {
                let msg = "chromium and chromedriver are needed for browser tests \
                           (Debian: apt-get install chromium chromium-driver)";
                if std::env::var_os("POLICY_THEMES_REQUIRE_BROWSER").is_some_and(|v| v != "0") {
                    panic!("{msg}");
                }
                eprintln!("skipped: {msg}");
                return None;
            }
        };
        let port = free_port();
        let mut driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                let _ = driver.kill();
                panic!("chromedriver did not listen on port {port} within 20 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().expect("temp dir");
        // The flags keep Chromium off the network: this machine's network is
        // closed, and background connections would be refused at every start.
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--hide-scrollbars".into(),
            "--window-size=1400,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chrome.display().to_string(), "args": args },
        });
        let caps = match caps {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let client = rt.block_on(async {
            ClientBuilder::new(HttpConnector::new())
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
        });
        let client = match client {
            Ok(c) => c,
            Err(e) => {
                let _ = driver.kill();
                panic!("cannot start a Chromium session: {e}");
            }
        };
        Some(Browser {
            rt,
            client: Some(client),
            driver,
            _profile: profile,
        })
    }

    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("session open")
    }

    /// Runs any fantoccini call: `b.run(b.client().title())`.
    pub fn run<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    pub fn goto(&self, url: &str) {
        self.run(self.client().goto(url))
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Opens a file on disk.
    pub fn open_file(&self, path: &Path) {
        let abs = std::fs::canonicalize(path).expect("file to open exists");
        self.goto(&format!("file://{}", abs.display()));
    }

    pub fn current_url(&self) -> String {
        self.run(self.client().current_url())
            .expect("current url")
            .to_string()
    }

    /// The outer window size; the page's own width (`innerWidth`) follows it
    /// because the flags hide scrollbars.
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.run(self.client().set_window_size(width, height))
            .expect("set window size");
    }

    pub fn find(&self, css: &str) -> Element {
        self.run(self.client().find(Locator::Css(css)))
            .unwrap_or_else(|e| panic!("no element matches {css:?}: {e}"))
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        self.run(self.client().find_all(Locator::Css(css)))
            .unwrap_or_else(|e| panic!("cannot search for {css:?}: {e}"))
    }

    pub fn exists(&self, css: &str) -> bool {
        !self.find_all(css).is_empty()
    }

    /// Waits up to `secs` for an element to appear.
    pub fn wait_for(&self, css: &str, secs: u64) -> Element {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(e) = self.find_all(css).into_iter().next() {
                return e;
            }
            if Instant::now() > deadline {
                panic!("no element matches {css:?} after {secs} s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn click(&self, css: &str) {
        let e = self.find(css);
        self.run(e.click())
            .unwrap_or_else(|err| panic!("cannot click {css:?}: {err}"));
    }

    pub fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.run(e.text()).expect("element text")
    }

    pub fn attr(&self, css: &str, name: &str) -> Option<String> {
        let e = self.find(css);
        self.run(e.attr(name)).expect("element attribute")
    }

    /// Types into an element (focusing it first).
    pub fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.run(e.send_keys(text))
            .unwrap_or_else(|err| panic!("cannot type into {css:?}: {err}"));
    }

    /// Presses keys on whatever has the focus (the page body when nothing
    /// does), as a user at the keyboard would. Special keys: `Key::Enter`
    /// etc. as chars (`&Key::Enter.to_string()`).
    pub fn press(&self, keys: &str) {
        let active = self
            .run(self.client().active_element())
            .expect("active element");
        self.run(active.send_keys(keys))
            .unwrap_or_else(|e| panic!("cannot press {keys:?}: {e}"));
    }

    /// Runs JavaScript in the page (`return …;` gives the value).
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.run(self.client().execute(script, args))
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    pub fn source(&self) -> String {
        self.run(self.client().source()).expect("page source")
    }

    /// Writes a PNG of the viewport to `path` and returns its size in bytes.
    pub fn screenshot(&self, path: &Path) -> usize {
        let png = self.run(self.client().screenshot()).expect("screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot folder");
        }
        std::fs::write(path, &png).expect("write screenshot");
        png.len()
    }

    /// A PNG of the whole page, not just the viewport: the window is
    /// stretched to the page's height for the shot, then restored.
    pub fn screenshot_full(&self, path: &Path, width: u32) -> usize {
        let h = self
            .execute("return document.documentElement.scrollHeight;", vec![])
            .as_u64()
            .unwrap_or(900)
            .clamp(200, 16_000) as u32;
        self.set_window_size(width, h);
        let n = self.screenshot(path);
        self.set_window_size(width, 900);
        n
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(c) = self.client.take() {
            let _ = self.rt.block_on(c.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Serves fixed pages on 127.0.0.1 from a thread (for testing the harness
/// itself and static pages): returns the base URL.
pub fn serve_static(pages: Vec<(&'static str, String)>) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // Drain the headers.
            let mut line = String::new();
            while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let (status, body) = match pages.iter().find(|(p, _)| *p == path) {
                Some((_, b)) => ("200 OK", b.clone()),
                None => ("404 Not Found", String::from("not found")),
            };
            let mut s = &stream;
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

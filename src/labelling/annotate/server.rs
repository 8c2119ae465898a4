//! Serving the page on 127.0.0.1 only.
//!
//! `tiny_http` (synchronous, a few small dependencies): one thread answers
//! the requests one after another, which is what a page used by one coder
//! needs, and the state needs no locks. The listener is bound to 127.0.0.1;
//! a request from any other address is refused (403) all the same, as is
//! one whose `Host` is not this server (a web page elsewhere resolving its
//! own name to 127.0.0.1) and a post without this run's token (a form on
//! another site posting here).

use std::hash::{BuildHasher, Hasher};
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::time::Duration;

use super::{page, Annotator, Form};
use crate::error::{Error, Result};

/// The only address served.
pub const HOST: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// Posts are small (a theme, a note): anything larger is refused unread.
const MAX_BODY: usize = 64 << 10;

/// Whether a request from `peer` may be answered: loopback only.
pub fn peer_allowed(peer: Option<&SocketAddr>) -> bool {
    peer.is_some_and(|a| match a.ip() {
        IpAddr::V4(ip) => ip.is_loopback(),
        IpAddr::V6(ip) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    })
}

/// Whether a `Host` header names this server (`127.0.0.1:PORT` or `localhost:PORT`).
pub fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(h) = host else {
        // HTTP/1.0 clients may send none; the peer check still applies.
        return true;
    };
    let h = h.trim().to_ascii_lowercase();
    [format!("127.0.0.1:{port}"), format!("localhost:{port}")].contains(&h)
}

/// A random token for this run, from the standard library's per-process
/// random hash keys: enough to tell our own page's posts from forged ones.
pub fn new_token() -> String {
    let mut a = std::collections::hash_map::RandomState::new().build_hasher();
    a.write_u64(std::process::id().into());
    let mut b = std::collections::hash_map::RandomState::new().build_hasher();
    b.write_u64(a.finish());
    format!("{:016x}{:016x}", a.finish(), b.finish())
}

/// Bind 127.0.0.1:`port` (0: a free port).
pub fn bind(port: u16) -> Result<TcpListener> {
    TcpListener::bind(SocketAddr::new(IpAddr::V4(HOST), port)).map_err(|e| {
        Error::Other(format!(
            "cannot listen on {HOST}:{port}: {e}{}",
            if e.kind() == std::io::ErrorKind::AddrInUse {
                " (another program has it: pass --port N, or --port 0 for any free port)"
            } else {
                ""
            }
        ))
    })
}

type Response = tiny_http::Response<std::io::Cursor<Vec<u8>>>;

fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn with_headers(mut r: Response, headers: &[(&str, &str)]) -> Response {
    for (n, v) in headers {
        if let Some(h) = header(n, v) {
            r.add_header(h);
        }
    }
    r
}

fn plain(code: u16, msg: &str) -> Response {
    with_headers(
        tiny_http::Response::from_string(msg).with_status_code(code),
        &[("Content-Type", "text/plain; charset=utf-8")],
    )
}

fn html(body: String) -> Response {
    with_headers(
        tiny_http::Response::from_string(body),
        &[
            ("Content-Type", "text/html; charset=utf-8"),
            // Nothing from elsewhere: only the page's own inline style and script.
            (
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
}

fn redirect() -> Response {
    with_headers(
        tiny_http::Response::from_string("").with_status_code(303),
        &[("Location", "/"), ("Cache-Control", "no-store")],
    )
}

/// Answer one request.
fn respond(a: &mut Annotator, req: &mut tiny_http::Request, port: u16, token: &str) -> Response {
    if !peer_allowed(req.remote_addr()) {
        return plain(403, "annotate answers only this computer (127.0.0.1)\n");
    }
    let host = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    if !host_allowed(host.as_deref(), port) {
        return plain(403, "wrong Host: open the address annotate printed\n");
    }
    let path = req.url().split('?').next().unwrap_or("").to_string();
    match (req.method(), path.as_str()) {
        (tiny_http::Method::Get, "/") | (tiny_http::Method::Head, "/") => {
            a.poll();
            let body = page::render(a, token);
            // A message is shown once.
            a.flash = None;
            html(body)
        }
        (tiny_http::Method::Post, "/") => {
            let mut body = Vec::new();
            let read = req
                .as_reader()
                .take(MAX_BODY as u64 + 1)
                .read_to_end(&mut body);
            if read.is_err() || body.len() > MAX_BODY {
                return plain(413, "request too large\n");
            }
            let form = Form::parse(&String::from_utf8_lossy(&body));
            if form.token != token {
                return plain(
                    403,
                    "this form is not from this annotate run (reload the page it printed)\n",
                );
            }
            if let Err(e) = a.apply(&form) {
                crate::io::output::print_stderr(format_args!("annotate: {e}"));
                a.flash = Some(e.to_string());
            }
            redirect()
        }
        _ => plain(404, "not found\n"),
    }
}

/// Serve `a` on `listener` until the process is stopped.
pub fn serve(a: &mut Annotator, listener: TcpListener) -> Result<()> {
    let port = listener
        .local_addr()
        .map_err(|e| Error::Other(format!("listening socket: {e}")))?
        .port();
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| Error::Other(format!("cannot serve on {HOST}:{port}: {e}")))?;
    let token = new_token();
    loop {
        // Wake up now and then to take a finished refit even while nobody posts.
        let req = server
            .recv_timeout(Duration::from_millis(250))
            .map_err(|e| Error::Other(format!("serving {HOST}:{port}: {e}")))?;
        let Some(mut req) = req else {
            a.poll();
            continue;
        };
        let resp = respond(a, &mut req, port, &token);
        // A client that went away is its own business.
        let _ = req.respond(resp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_peers_are_answered() {
        let p = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert!(peer_allowed(Some(&p("127.0.0.1:5000"))));
        assert!(peer_allowed(Some(&p("127.3.2.1:5000"))));
        assert!(peer_allowed(Some(&p("[::1]:5000"))));
        assert!(peer_allowed(Some(&p("[::ffff:127.0.0.1]:5000"))));
        assert!(!peer_allowed(Some(&p("192.168.1.20:5000"))));
        assert!(!peer_allowed(Some(&p("10.0.0.1:80"))));
        assert!(!peer_allowed(Some(&p("[::ffff:192.168.1.20]:5000"))));
        assert!(!peer_allowed(Some(&p("[2001:db8::1]:5000"))));
        assert!(!peer_allowed(None));
    }

    #[test]
    fn only_this_servers_host_names_are_answered() {
        assert!(host_allowed(Some("127.0.0.1:8123"), 8123));
        assert!(host_allowed(Some("localhost:8123"), 8123));
        assert!(!host_allowed(Some("127.0.0.1:8124"), 8123));
        assert!(!host_allowed(Some("evil.example:8123"), 8123));
        assert!(host_allowed(None, 8123));
    }

    #[test]
    fn the_listener_is_bound_to_loopback_only() {
        let l = bind(0).unwrap();
        let addr = l.local_addr().unwrap();
        assert_eq!(addr.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_ne!(addr.port(), 0);
        assert_ne!(new_token(), new_token());
    }
}

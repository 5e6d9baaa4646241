//! The CLI and the HTTP API answer the same request alike: the same JSON, or an error with the
//! same message, from the one set of request rules in `pustaka::api`. Each row of [`ROWS`] is
//! a request the two used to disagree on (issue 12's drift table) or one that shows a default.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::common;

/// One request: the CLI's arguments, the API's method, path and body, and whether it is
/// refused.
struct Row {
    cli: &'static [&'static str],
    stdin: Option<&'static str>,
    http: &'static str,
    body: Option<&'static str>,
    refused: bool,
}

const DRAFT: &str = "Kota Tapachula yang terletak di negara bagian Chiapas menjadi pintu gerbang \
utama bagi para migran dari Amerika Tengah yang hendak menuju Amerika Serikat.";

const ROWS: &[Row] = &[
    // `search --limit 500` was a 400 over HTTP and silently 100 in the CLI.
    row(
        &["search", "perdagangan", "--limit", "500"],
        "/api/search?q=perdagangan&limit=500",
        true,
    ),
    row(
        &["search", "perdagangan", "--offset", "20000"],
        "/api/search?q=perdagangan&offset=20000",
        true,
    ),
    row(
        &["search", "perdagangan", "--limit", "0"],
        "/api/search?q=perdagangan&limit=0",
        false,
    ),
    row(
        &["search", "perdagangan"],
        "/api/search?q=perdagangan",
        false,
    ),
    // `context` was bounded only over HTTP.
    row(
        &["show", "003_232135048410f2ab.txt#7", "--context", "11"],
        "/api/passages/003_232135048410f2ab.txt%237?context=11",
        true,
    ),
    row(
        &["show", "003_232135048410f2ab.txt#7"],
        "/api/passages/003_232135048410f2ab.txt%237",
        false,
    ),
    row(
        &["show", "003_nothing.txt#7"],
        "/api/passages/003_nothing.txt%237",
        true,
    ),
    row(&["cites", "--top", "0"], "/api/cites/top?n=0", true),
    row(&["cites", "--top", "1001"], "/api/cites/top?n=1001", true),
    row(&["cites", "--top", "5"], "/api/cites/top?n=5", false),
    row(
        &["cites", "--top", "5", "--author", "UNODC"],
        "/api/cites/top?n=5&author=UNODC",
        false,
    ),
    row(
        &["cites", "--author", "UNODC", "--limit", "1001"],
        "/api/cites?author=UNODC&limit=1001",
        true,
    ),
    row(
        &["cites", "--author", "UNODC", "--limit", "3"],
        "/api/cites?author=UNODC&limit=3",
        false,
    ),
    row(&["refs", "004", "--format", "json"], "/api/refs/004", false),
    row(
        &["refs", "004", "--format", "json"],
        "/api/refs?doc=004&format=json",
        false,
    ),
    // One list of format names for both (issue 14).
    row(
        &["refs", "004", "--format", "endnote"],
        "/api/refs?doc=004&format=endnote",
        true,
    ),
    row(&["refs", ""], "/api/refs?format=bibtex", true),
    // Citations and the document list, issue 13.
    row(&["docs"], "/api/docs", false),
    row(
        &["cite", "004_ee0b6ec72090fab7.txt#12"],
        "/api/cite?id=004_ee0b6ec72090fab7.txt%2312",
        false,
    ),
    row(
        &["cite", "004_nothing.txt#12"],
        "/api/cite?id=004_nothing.txt%2312",
        true,
    ),
    row(
        &["search", "perdagangan", "--cite", "--limit", "2"],
        "/api/search?q=perdagangan&cite=1&limit=2",
        false,
    ),
    row(
        &["dupes", "--min-similarity", "1.5"],
        "/api/dupes?min_similarity=1.5",
        true,
    ),
    row(&["dupes", "--limit", "1001"], "/api/dupes?limit=1001", true),
    row(&["dupes", "--limit", "0"], "/api/dupes?limit=0", true),
    row(
        &["dupes", "--kind", "copied"],
        "/api/dupes?kind=copied",
        true,
    ),
    row(
        &["dupes", "--kind", "translated", "--limit", "3"],
        "/api/dupes?kind=translated&limit=3",
        false,
    ),
    // Without --limit the CLI listed every pair, the API 100.
    row(&["dupes"], "/api/dupes", false),
    // `check --min-similarity 7` was a 400 over HTTP and accepted by the CLI.
    Row {
        cli: &["check", "-", "--min-similarity", "7"],
        stdin: Some(DRAFT),
        http: "POST /api/check?min_similarity=7",
        body: Some(DRAFT),
        refused: true,
    },
    Row {
        cli: &["check", "-"],
        stdin: Some("   \n"),
        http: "POST /api/check",
        body: Some("   \n"),
        refused: true,
    },
    Row {
        cli: &["check", "-"],
        stdin: Some(DRAFT),
        http: "POST /api/check",
        body: Some(DRAFT),
        refused: false,
    },
];

const fn row(cli: &'static [&'static str], http: &'static str, refused: bool) -> Row {
    Row {
        cli,
        stdin: None,
        http,
        body: None,
        refused,
    }
}

#[test]
fn the_cli_and_the_api_give_the_same_answer_or_the_same_error() {
    let index = common::seed_index();
    let server = Server::start(index);
    for r in ROWS {
        let mut args: Vec<&str> = r.cli.to_vec();
        if !matches!(args[0], "refs") {
            args.push("--json");
        }
        let (out, err, success) = common::run_cli(index, &args, r.stdin.map(str::as_bytes));
        let (status, reply) = server.request(r.http, r.body);
        let what = format!("{:?} / {}", r.cli, r.http);
        assert_eq!(!success, r.refused, "{what}: CLI: {out}{err}");
        if r.refused {
            assert!(
                (400..500).contains(&status),
                "{what}: HTTP {status} {reply}"
            );
            let message = reply["error"].as_str().unwrap();
            assert!(
                err.contains(message),
                "{what}: the CLI says {err:?}, the API {message:?}"
            );
        } else {
            assert_eq!(status, 200, "{what}: {reply}");
            let cli: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(without_timing(cli), without_timing(reply), "{what}");
        }
    }
}

/// Every bibliography format, byte for byte the same from the CLI and the API, and served with
/// the media type reference managers know it by.
#[test]
fn refs_formats_are_the_same_bytes_from_cli_and_api() {
    let index = common::seed_index();
    let server = Server::start(index);
    for format in pustaka::api::RefsFormat::ALL {
        let name = format.name();
        let (out, err, ok) = common::run_cli(index, &["refs", "004", "--format", name], None);
        assert!(ok, "{name}: {err}");
        let path = format!("/api/refs?doc=004&format={name}");
        let (status, head, body) =
            common::request_as(server.port, &server.addr, "GET", &path, None);
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            out.as_bytes(),
            &body[..],
            "{name}: the CLI and the API differ"
        );
        let mime = format.content_type().split(';').next().unwrap();
        assert!(
            head.to_ascii_lowercase()
                .contains(&format!("content-type: {mime}")),
            "{name}: {head}"
        );
    }
    let (_, head, _) = common::request_as(
        server.port,
        &server.addr,
        "GET",
        "/api/refs/004?format=ris",
        None,
    );
    assert!(
        head.contains("application/x-research-info-systems"),
        "{head}"
    );
}

/// The answer without the fields that measure time, which differ from run to run.
fn without_timing(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.retain(|k, _| !k.starts_with("took"));
    }
    v
}

/// `pustaka serve` on a free port, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    port: u16,
}

impl Server {
    fn start(index: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pustaka"))
            .arg("--index")
            .arg(index)
            .args(["serve", "--addr", "127.0.0.1:0", "--no-cache"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap_or_else(|| panic!("serve said {line:?}"))
            .to_string();
        let port = addr.rsplit(':').next().unwrap().parse().unwrap();
        Server { child, addr, port }
    }

    /// `target` is a path, or `POST path`; the status and the JSON answered.
    fn request(&self, target: &str, body: Option<&str>) -> (u16, Value) {
        let (method, path) = target.split_once(' ').unwrap_or(("GET", target));
        let (status, _, json) =
            common::request_as(self.port, &self.addr, method, path, body.map(str::as_bytes));
        (status, serde_json::from_slice(&json).unwrap_or(Value::Null))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

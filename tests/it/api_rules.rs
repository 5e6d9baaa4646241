//! The CLI and the HTTP API answer the same request alike: the same JSON, or an error with the
//! same message, from the one set of request rules in `pustaka::api`. Each row of [`ROWS`] is
//! a request the two used to disagree on (issue 12's drift table) or one that shows a default.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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
    // The weight of meaning against words: bounded alike, and harmless on an index without
    // embeddings (the seed index here), which ranks by words.
    row(
        &["search", "perdagangan", "--dense-weight", "11"],
        "/api/search?q=perdagangan&dense_weight=11",
        true,
    ),
    row(
        &["search", "perdagangan", "--dense-weight", "1"],
        "/api/search?q=perdagangan&dense_weight=1",
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
    // The editor's options, under their new names and the old one.
    row(
        &["dupes", "--include-formulaic", "--limit", "5"],
        "/api/dupes?include_formulaic=true&limit=5",
        false,
    ),
    row(
        &["dupes", "--formulaic", "--count-all", "--limit", "5"],
        "/api/dupes?formulaic=1&count_all=1&limit=5",
        false,
    ),
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

/// A manuscript file checked by `pustaka check FILE` and sent to `POST /api/check` as a
/// browser or curl sends it: its bytes, with a media type, or named with `filename=`.
struct Sent<'a> {
    file: PathBuf,
    media_type: &'a str,
    /// The query string after `/api/check`.
    query: String,
    /// The CLI's options that say what `query` says.
    options: &'a [&'a str],
}

fn sent<'a>(file: PathBuf, media_type: &'a str, query: &str) -> Sent<'a> {
    Sent {
        file,
        media_type,
        query: query.to_string(),
        options: &[],
    }
}

/// A paragraph of 003's conclusion.
const COPIED: &str = "Prostitusi anak berawal dari anak-anak yang diperdagangkan, baik secara \
domestik, maupun internasional. Korban perdagangan anak, baik untuk tenaga kerja, perdagangan \
seksual atau perdagangan organ.";

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The files a manuscript comes as, good and bad; `filename=` names the file as the CLI is
/// given it (its last part), so that the two name it alike in a refusal.
fn manuscripts(dir: &Path) -> (Vec<Sent<'static>>, Vec<(Sent<'static>, &'static str)>) {
    let data = common::manifest_dir().join("tests/data");
    // A draft in Windows-1252 (é, “ ”), as an old editor saves it: decoded alike.
    let md = dir.join("draf.md");
    let cp1252 = format!("# Draf \u{2014} catatan \u{201c}awal\u{201d}\n\n{COPIED}\n");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&cp1252);
    std::fs::write(&md, &bytes).unwrap();
    let pdf = Sent {
        options: &["--min-words", "5", "--include-bibliography"],
        ..sent(
            data.join("pdf/004-1col.pdf"),
            "application/pdf",
            "?min_words=5&include_bibliography=true",
        )
    };
    let good = vec![
        sent(data.join("docx/naskah.docx"), DOCX, ""),
        sent(
            data.join("docx/naskah.odt"),
            "application/octet-stream",
            "?filename=naskah.odt",
        ),
        pdf,
        sent(md, "text/markdown", ""),
    ];
    let named = |name: &str, bytes: &[u8]| {
        std::fs::write(dir.join(name), bytes).unwrap();
        dir.join(name)
    };
    let doc97 = std::fs::read(data.join("docx/naskah.doc")).unwrap();
    let panics = crate::pdf::bad_pdfs(dir)
        .into_iter()
        .find(|(p, _)| p.ends_with("panics.pdf"));
    let bad = vec![
        (
            sent(
                named("catatan.pdf", DRAFT.as_bytes()),
                "application/pdf",
                "?filename=catatan.pdf",
            ),
            "not a PDF although named .pdf",
        ),
        (
            sent(
                named("biner.txt", b"Kota\0\x01\x02"),
                "text/plain",
                "?filename=biner.txt",
            ),
            "binary file",
        ),
        (
            sent(named("kosong.docx", b""), DOCX, "?filename=kosong.docx"),
            "empty file",
        ),
        (
            sent(named("lama.docx", &doc97), DOCX, "?filename=lama.docx"),
            "Word 97-2003 .doc is not supported",
        ),
        (
            sent(
                data.join("pdf/scanned-004.pdf"),
                "application/pdf",
                "?filename=scanned-004.pdf",
            ),
            "no text layer",
        ),
        (
            sent(panics.unwrap().0, "application/pdf", "?filename=panics.pdf"),
            "no page of the PDF could be read",
        ),
    ];
    (good, bad)
}

/// The same file gives the same report from `check FILE` and from `POST /api/check`, or the
/// same refusal, never a 500: the two read a manuscript by one rule (`api::Manuscript`).
#[test]
fn a_manuscript_file_is_read_alike_by_the_cli_and_the_api() {
    let index = common::seed_index();
    let dir = common::scratch("api_rules_manuscripts");
    let server = Server::start(index);
    let (good, bad) = manuscripts(&dir);
    for m in &good {
        let path = m.file.to_str().unwrap();
        let mut args = vec!["check", path, "--json"];
        args.extend(m.options);
        let (out, err, _) = common::run_cli(index, &args, None);
        let (status, reply) = server.post(&format!("/api/check{}", m.query), m.media_type, &m.file);
        assert_eq!(status, 200, "{path}: {reply}");
        let cli: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{path}: {err}"));
        assert_eq!(without_timing(cli), without_timing(reply.clone()), "{path}");
        let report = &reply["report"];
        assert!(
            report["similarity_index"].as_f64().unwrap() > 0.5,
            "{path}: {report}"
        );
        let first = report["sources"][0]["doc"].as_str().unwrap_or("");
        let want = if path.ends_with(".pdf") {
            "004_"
        } else {
            "003_"
        };
        assert!(first.starts_with(want), "{path}: {first}");
    }
    for (m, reason) in &bad {
        let path = m.file.to_str().unwrap();
        let (_, err, ok) = common::run_cli(index, &["check", path, "--json"], None);
        assert!(!ok && err.contains(reason), "{path}: {err}");
        let (status, reply) = server.post(&format!("/api/check{}", m.query), m.media_type, &m.file);
        assert_eq!(status, 400, "{path}: {reply}");
        let message = reply["error"].as_str().unwrap();
        assert!(
            err.contains(message),
            "the CLI says {err:?}, the API {message:?}"
        );
    }
}

/// A PDF that would take the server's memory, or its time, costs only its own request: its
/// reader (a child process under a memory budget) is stopped, the request answered 400 or
/// 503 with why, and the server answers the next request.
#[test]
fn a_pdf_that_would_exhaust_the_server_costs_only_its_request() {
    let index = common::seed_index();
    let dir = common::scratch("api_rules_bomb");
    // A page of a million drawing operations (4 MiB of content in a few KiB): over 500 MiB
    // to read, over a 200 MiB budget.
    let bomb = crate::pdf::pdf_with_a_big_page(&dir, b"0 w\n", 1 << 20);
    let memory = [(pustaka::ingest::pdf::worker::MEMORY_ENV, "200")];
    let server = Server::start_with(index, &[], &memory);
    let (status, reply) = server.post("/api/check", "application/pdf", &bomb);
    assert_eq!(status, 400, "{reply}");
    let why = reply["error"].as_str().unwrap();
    assert!(why.contains("more than its 200 MiB of memory"), "{why}");
    assert_eq!(server.request("/health", None).0, 200);
    // Twenty pages of a quarter of a million each: within its memory (160 MB), but 4 s to
    // read on the machine this was written on. Within a request timeout of a second it is a
    // 503, and its reader is stopped then (here at 1.03 s), not when it is done, nor when the
    // time its size earns (30 s) runs out.
    let slow_dir = common::scratch("api_rules_slow");
    let slow = crate::pdf::pdf_with_big_pages(&slow_dir, b"0 w\n", 1 << 18, 20);
    let server = Server::start_with(index, &["--request-timeout", "1"], &[]);
    let started = Instant::now();
    let (status, reply) = server.post("/api/check", "application/pdf", &slow);
    // Whether the server's timer or the reader's budget (the request's time left) runs out
    // first is a race; either way the request took too long, not the file is damaged.
    assert_eq!(status, 503, "{reply}");
    let why = reply["error"].as_str().unwrap();
    assert!(why.contains("the request took longer than"), "{why}");
    let readers = || common::children_running(server.child.id(), pustaka::ingest::pdf::worker::ARG);
    while readers() > 0 && started.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(readers(), 0, "a reader outlived its request by a second");
    eprintln!(
        "api_rules: the reader stopped {:?} after the request began",
        started.elapsed()
    );
    assert_eq!(server.request("/health", None).0, 200);
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
        Server::start_with(index, &[], &[])
    }

    /// With more options for `serve`, and this environment.
    fn start_with(index: &Path, options: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pustaka"))
            .arg("--index")
            .arg(index)
            .args(["serve", "--addr", "127.0.0.1:0", "--no-cache"])
            .args(options)
            .envs(env.iter().copied())
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

    /// POST the file at `file` to `path` as `media_type`; the status and the JSON answered.
    fn post(&self, path: &str, media_type: &str, file: &Path) -> (u16, Value) {
        let bytes = std::fs::read(file).unwrap();
        let (status, _, json) = common::post_typed(self.port, path, media_type, &bytes);
        (status, serde_json::from_slice(&json).unwrap_or(Value::Null))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

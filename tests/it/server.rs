//! The HTTP server on a free loopback port: every endpoint, its errors (400, 404, 405, 413),
//! that nothing outside the API and the page is served, that the answers equal the library's
//! (what the CLI prints), and that a re-index is picked up without a restart; that no client
//! can starve it (connection timeouts and cap, heavy requests queued and cancelled, bounded
//! replies and cache); the Host check, the security headers and HEAD.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crate::common::{self, manifest_dir, request, request_as};
use pustaka::index::{self, Engine};
use pustaka::server::{self, ServerConfig, Shared};

/// Start a server on an index of `corpus`; returns its port.
fn start(name: &str, corpus: &Path) -> (u16, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    index::build(&dir.join("index"), &[corpus.to_path_buf()], &mut |_| {}).unwrap();
    (
        serve_index(&dir.join("index"), ServerConfig::default()).0,
        dir,
    )
}

/// Serve the index at `index` with `config`; its port and state.
fn serve_index(index: &Path, config: ServerConfig) -> (u16, Arc<Shared>) {
    let engine = Engine::open(index).unwrap();
    let shared = Arc::new(Shared::new(engine).with_config(config));
    let serving = shared.clone();
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = std_listener.local_addr().unwrap().port();
    std_listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
            server::serve(serving, listener, std::future::pending()).await;
        });
    });
    (port, shared)
}

fn seed_port() -> u16 {
    static P: OnceLock<u16> = OnceLock::new();
    *P.get_or_init(|| serve_index(common::seed_index(), ServerConfig::default()).0)
}

/// Timeouts of a second, for tests that wait for them.
fn short() -> ServerConfig {
    ServerConfig {
        header_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        ..ServerConfig::default()
    }
}

fn get_json(path: &str) -> (u16, serde_json::Value) {
    let (status, _, body) = request(seed_port(), "GET", path, None);
    let v = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("{path}: {e}: {}", String::from_utf8_lossy(&body)));
    (status, v)
}

#[test]
fn search_answers_as_the_library_does() {
    let (status, v) = get_json("/api/search?q=perdagangan+manusia&limit=5&lang=id");
    assert_eq!(status, 200);
    let engine = Engine::open(common::seed_index()).unwrap();
    // The same request through the library's one set of request rules (and defaults).
    let lib = pustaka::api::Search {
        query: "perdagangan manusia".into(),
        limit: Some(5),
        lang: Some("id".into()),
        ..pustaka::api::Search::default()
    }
    .answer(&engine)
    .unwrap();
    let ids: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    let lib_ids: Vec<&str> = lib.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, lib_ids);
    assert_eq!(v["total"], lib.total);
    for key in ["query", "total", "took_ms", "hits"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    for key in common::HIT_KEYS {
        assert!(v["hits"][0].get(key).is_some(), "hit.{key}");
    }
    // Filters and paging as parameters.
    let (_, v) = get_json("/api/search?q=ECPAT&kind=footnote&limit=3&offset=1");
    assert!(v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["kind"] == "footnote"));
    let (_, v) = get_json("/api/search?q=cites:%22Correa-Cabrera%22+year:2016");
    assert!(v["total"].as_u64().unwrap() >= 2);
}

/// A search is tried first on the thread that read the request, for a slice of time; one that
/// outruns it (here every one: the slice is zero) is started again on a blocking thread and
/// answered the same. A search given no time at all is refused (the slice ends with the
/// request's time), and the library answers it cancelled, never half.
#[test]
fn a_search_that_outruns_its_slice_is_answered_the_same() {
    let config = ServerConfig {
        search_slice: Duration::ZERO,
        ..ServerConfig::default()
    };
    let (port, _) = serve_index(common::seed_index(), config);
    for path in [
        "/api/search?q=perdagangan+manusia&limit=5",
        "/api/search?q=human+trafficking&per_doc=0&limit=20",
        "/api/search?q=eksploitasi&docs=true",
        "/api/search?q=%22tindak+pidana%22+lang:id&limit=3&offset=2",
    ] {
        let (status, _, body) = request(port, "GET", path, None);
        let mut sliced: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let (_, mut inline) = get_json(path);
        assert_eq!(status, 200, "{path}: {sliced}");
        for v in [&mut sliced, &mut inline] {
            v.as_object_mut().unwrap().remove("took_ms");
        }
        assert_eq!(sliced, inline, "{path}");
        assert!(inline["total"].as_u64().unwrap() > 0, "{path}");
    }
    // No time at all: refused with the timeout's message, on either thread.
    let config = ServerConfig {
        request_timeout: Duration::ZERO,
        ..ServerConfig::default()
    };
    let (port, _) = serve_index(common::seed_index(), config);
    let (status, _, body) = request(port, "GET", "/api/search?q=perdagangan", None);
    let body = String::from_utf8_lossy(&body);
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("took longer than 0 s"), "{body}");
    let engine = Engine::open(common::seed_index()).unwrap();
    let refused = pustaka::api::Search {
        query: "perdagangan manusia".into(),
        cancel: pustaka::search::cancel::Cancel::until(Instant::now()),
        ..pustaka::api::Search::default()
    };
    assert!(matches!(
        refused.answer(&engine),
        Err(pustaka::Error::Cancelled)
    ));
    assert!(matches!(
        refused.answer_docs(&engine),
        Err(pustaka::Error::Cancelled)
    ));
}

#[test]
fn every_endpoint_answers() {
    let (s, v) = get_json("/health");
    assert_eq!((s, v["status"].as_str()), (200, Some("ok")));
    let (s, v) = get_json("/api/passages/003_232135048410f2ab.txt%2387?context=2");
    assert_eq!(s, 200);
    assert_eq!(v["passage"]["id"], "003_232135048410f2ab.txt#87");
    assert_eq!(v["before"].as_array().unwrap().len(), 2);
    let (s, v) = get_json("/api/cites?author=unodc&year=2020");
    assert_eq!(s, 200);
    assert_eq!(v["citations"].as_array().unwrap().len(), 4);
    let (s, v) = get_json("/api/cites/top?n=3");
    assert_eq!((s, v["works"].as_array().unwrap().len()), (200, 3));
    let (s, v) = get_json("/api/refs/004");
    assert_eq!((s, v["entries"].as_array().unwrap().len()), (200, 27));
    let (s, v) = get_json("/api/refs?doc=004&format=csl-json");
    assert_eq!((s, v.as_array().unwrap().len()), (200, 27));
    let (s, v) = get_json("/api/dupes?min_similarity=0.5&limit=2");
    assert_eq!((s, v["pairs"].as_array().unwrap().len()), (200, 2));
    let (s, v) = get_json("/api/dupes?cross_doc=true");
    assert_eq!(s, 200);
    assert!(v["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["a"]["doc"] != p["b"]["doc"]));
    // Restated claims on request, each pair saying its kind.
    let (s, v) = get_json("/api/dupes?claims=true&cross_doc=true&limit=1000");
    assert_eq!(s, 200);
    let pairs = v["pairs"].as_array().unwrap();
    assert!(pairs
        .iter()
        .any(|p| p["kind"] == "restated" && p["claims"].is_array()));
    assert!(pairs
        .iter()
        .all(|p| p["kind"] == "restated" || p["kind"] == "reuse"));
    let (s, v) = get_json("/api/dupes?claims=true&min_claim=0.9");
    assert_eq!(s, 200);
    assert!(v["restated"].as_u64().unwrap() < 20);
    let (s, v) = get_json("/api/stats");
    assert_eq!((s, v["documents"].as_u64()), (200, Some(5)));
    let (s, v) = get_json("/api/docs");
    assert_eq!((s, v["docs"].as_array().unwrap().len()), (200, 5));
    let (s, v) = get_json("/api/openapi.json");
    assert_eq!(s, 200);
    for path in [
        "/health",
        "/api/search",
        "/api/passages/{id}",
        "/api/cites",
        "/api/cites/top",
        "/api/refs",
        "/api/refs/{doc}",
        "/api/dupes",
        "/api/check",
        "/api/stats",
        "/api/docs",
        "/api/docs/{doc}/file",
        "/api/cite",
    ] {
        assert!(v["paths"].get(path).is_some(), "openapi lacks {path}");
    }
    let text = "Prostitusi anak berawal dari anak-anak yang diperdagangkan, baik secara domestik, maupun internasional. Korban perdagangan anak, baik untuk tenaga kerja, perdagangan seksual atau perdagangan organ.";
    let (s, _, body) = request(seed_port(), "POST", "/api/check", Some(text.as_bytes()));
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(s, 200);
    assert!(v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["doc"] == "003_232135048410f2ab.txt"));
    // The report in it, and as the self-contained page `check --format html` writes.
    assert!(v["report"]["similarity_index"].as_f64().unwrap() > 0.5);
    assert_eq!(v["report"]["sources"][0]["doc"], "003_232135048410f2ab.txt");
    let (s, head, body) = request(
        seed_port(),
        "POST",
        "/api/check?format=html&min_words=5",
        Some(text.as_bytes()),
    );
    assert_eq!(s, 200);
    assert!(head.to_ascii_lowercase().contains("text/html"), "{head}");
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains(r#"<meta name="generator" content="pustaka">"#));
    assert!(page.contains("003_232135048410f2ab.txt"));
    let (s, _, body) = request(seed_port(), "POST", "/api/check?format=pdf", Some(b"x"));
    assert_eq!(s, 400, "{}", String::from_utf8_lossy(&body));
    // The page and its assets, from the binary.
    let (s, head, body) = request(seed_port(), "GET", "/", None);
    assert_eq!(s, 200);
    assert!(head.to_ascii_lowercase().contains("text/html"));
    assert!(String::from_utf8_lossy(&body).contains("/assets/app.js"));
    let (s, _, body) = request(seed_port(), "GET", "/assets/app.js", None);
    assert_eq!(s, 200);
    let js = String::from_utf8_lossy(&body);
    assert!(js.contains("/api/search"));
    // The page refuses a file over the body limit before sending it: the server's limit.
    assert!(
        js.contains(&format!("const MAX_BODY = {};", server::MAX_BODY)),
        "app.js's MAX_BODY is not the server's {}",
        server::MAX_BODY
    );
}

#[test]
fn errors_are_json_with_the_right_status() {
    for (path, status, says) in [
        ("/api/search", 400, "q is missing"),
        ("/api/search?q=a&limit=abc", 400, "not a number"),
        ("/api/search?q=a&limit=100000", 400, "between 0 and 100"),
        ("/api/search?q=a&kind=chapter", 400, "kind"),
        ("/api/search?q=a&colour=red", 400, "unknown parameter"),
        ("/api/search?q=cites:x+year:20x6", 400, "four digits"),
        ("/api/passages/nope%23999", 404, "no passage"),
        ("/api/passages/x?context=99", 400, "context"),
        ("/api/refs/zzz", 404, "no document"),
        ("/api/refs/00", 400, "ambiguous"),
        (
            "/api/refs?doc=004&format=endnote",
            400,
            "format must be one of",
        ),
        ("/api/refs?format=bibtex", 400, "name a document"),
        ("/api/refs/004?doc=004", 400, "unknown parameter"),
        ("/api/cites?year=soon", 400, "four digits"),
        ("/api/cites/top?n=0", 400, "between 1"),
        ("/api/dupes?min_similarity=2", 400, "between 0 and 1"),
        ("/api/dupes?cross_doc=maybe", 400, "true or false"),
        ("/api/dupes?claims=maybe", 400, "true or false"),
        (
            "/api/dupes?kind=copied",
            400,
            "kind must be one of reuse, restated, translated",
        ),
        ("/api/dupes?claims=true&min_claim=2", 400, "between 0 and 1"),
        ("/api/stats?doc=003", 400, "takes no parameters"),
        ("/api/docs?lang=id", 400, "takes no parameters"),
        ("/health?verbose=1", 400, "takes no parameters"),
        (
            "/api/docs/001_a.txt/file?page=2",
            400,
            "unknown parameter \"page\"; this endpoint takes no parameters",
        ),
        ("/nope", 404, "no such path"),
        ("/assets/../Cargo.toml", 404, "no such path"),
        ("/index/meta.json", 404, "no such path"),
    ] {
        let (s, head, body) = request(seed_port(), "GET", path, None);
        assert_eq!(s, status, "{path}: {}", String::from_utf8_lossy(&body));
        assert!(
            head.to_ascii_lowercase().contains("application/json"),
            "{path}"
        );
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(v["error"].as_str().unwrap().contains(says), "{path}: {v}");
        assert_eq!(v["status"], status);
    }
    let (s, _, _) = request(seed_port(), "DELETE", "/api/search?q=a", None);
    assert_eq!(s, 405);
    let big = vec![b'a'; server::MAX_BODY as usize + 10];
    let (s, _, body) = request(seed_port(), "POST", "/api/check", Some(&big));
    assert_eq!(s, 413, "{}", String::from_utf8_lossy(&body));
    // Bytes that are no text, sent as text: refused with why, as `check FILE` refuses them.
    let (s, _, body) = request(
        seed_port(),
        "POST",
        "/api/check",
        Some(&[0x00, 0x9f, 0x92, 0x96, 0x00, 0x01]),
    );
    assert_eq!(s, 400);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let why = v["error"].as_str().unwrap();
    assert!(
        why.starts_with("the request body (sent as text/plain): binary file"),
        "{why}"
    );
    let (s, _, _) = request(seed_port(), "POST", "/api/check", Some(b"   "));
    assert_eq!(s, 400);
    // A query tantivy would reject is still answered.
    let (s, v) = get_json("/api/search?q=%22unbalanced+quote");
    assert_eq!(s, 200, "{v}");
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A manuscript uploaded as a Word file gets the report its text gets pasted, with the same
/// parameters honoured; bytes that are not what they are sent as are a 400 saying why.
#[test]
fn an_uploaded_manuscript_is_checked_as_its_pasted_text() {
    let port = seed_port();
    let docx = fs::read(manifest_dir().join("tests/data/docx/naskah.docx")).unwrap();
    let json = |(s, _, body): (u16, String, Vec<u8>)| {
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        (s, v)
    };
    let (s, uploaded) = json(common::post_typed(port, "/api/check", DOCX, &docx));
    assert_eq!(s, 200, "{uploaded}");
    let report = &uploaded["report"];
    assert!(
        report["similarity_index"].as_f64().unwrap() > 0.5,
        "{report}"
    );
    assert_eq!(report["sources"][0]["doc"], "003_232135048410f2ab.txt");
    // The same text pasted: the same answer.
    let text = pustaka::api::Manuscript {
        name: "naskah.docx".into(),
        media_type: None,
        bytes: docx.clone(),
    }
    .read(Default::default())
    .unwrap()
    .text;
    let (s, pasted) = json(request(port, "POST", "/api/check", Some(text.as_bytes())));
    assert_eq!(s, 200);
    let timeless = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("took_ms");
        v
    };
    assert_eq!(timeless(uploaded), timeless(pasted));
    // The parameters work on an upload as on pasted text.
    let (s, without) = json(common::post_typed(
        port,
        "/api/check?exclude_docs=003&filename=naskah.docx",
        "application/octet-stream",
        &docx,
    ));
    assert_eq!(s, 200, "{without}");
    let sources = without["report"]["sources"].as_array().unwrap();
    assert!(sources
        .iter()
        .all(|s| s["doc"] != "003_232135048410f2ab.txt"));
    let (s, head, page) = common::post_typed(
        port,
        "/api/check?format=html&filename=naskah.docx",
        DOCX,
        &docx,
    );
    assert_eq!(s, 200);
    assert!(head.to_ascii_lowercase().contains("text/html"), "{head}");
    let page = String::from_utf8_lossy(&page);
    assert!(page.contains("<title>Similarity report: naskah.docx</title>"));
    // The API's description lists every media type a manuscript is read from.
    let (_, spec) = get_json("/api/openapi.json");
    let check = &spec["paths"]["/api/check"]["post"];
    for (media_type, _) in pustaka::api::MEDIA_TYPES {
        let content = &check["requestBody"]["content"];
        assert!(
            content.get(media_type).is_some(),
            "openapi lacks {media_type}"
        );
    }
    let params = check["parameters"].as_array().unwrap();
    assert!(params.iter().any(|p| p["name"] == "filename"));
    // What the bytes are sent as is what they must be.
    for (path, media_type, says) in [
        ("/api/check", "text/plain", "binary file (a ZIP archive"),
        ("/api/check", "application/pdf", "not a PDF"),
        ("/api/check", "image/png", "check does not read image/png"),
        (
            "/api/check?filename=naskah.pdf",
            DOCX,
            "naskah.pdf: not a PDF",
        ),
    ] {
        let (s, v) = json(common::post_typed(port, path, media_type, &docx));
        assert_eq!(s, 400, "{path} {media_type}: {v}");
        let why = v["error"].as_str().unwrap();
        assert!(why.contains(says), "{path} {media_type}: {why}");
    }
}

#[test]
fn a_reindex_is_picked_up_without_a_restart() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("server_reindex_corpus");
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir_all(&tmp).unwrap();
    fs::copy(
        manifest_dir().join("corpus/002_82c8e82c87f6ea65.txt"),
        tmp.join("002.txt"),
    )
    .unwrap();
    let (port, dir) = start("server_reindex", &tmp);
    // The stats count the documents of the commit the searcher reads; the list of documents is
    // the manifest's, kept by the engine per table of files: both must move with each commit.
    let docs = |port| -> u64 {
        let (_, _, body) = request(port, "GET", "/api/stats", None);
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let counted = v["documents"].as_u64().unwrap();
        let (_, _, body) = request(port, "GET", "/api/docs", None);
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let listed = v["docs"].as_array().unwrap().len() as u64;
        if counted == listed {
            counted
        } else {
            0
        }
    };
    assert_eq!(docs(port), 1);
    // Searches are cached per index generation: a repeat is a hit, a new commit is not stale.
    let total = |port| -> (u64, bool) {
        let (_, head, body) = request(port, "GET", "/api/search?q=IOM+Indonesia", None);
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        (
            v["total"].as_u64().unwrap(),
            head.to_ascii_lowercase().contains("x-pustaka-cache: hit"),
        )
    };
    let (before, hit) = total(port);
    assert!(!hit);
    assert_eq!(total(port), (before, true));
    // An incremental update commits into the same index.
    fs::copy(
        manifest_dir().join("corpus/001_b45e124878fca27f.txt"),
        tmp.join("001.txt"),
    )
    .unwrap();
    index::build(&dir.join("index"), std::slice::from_ref(&tmp), &mut |_| {}).unwrap();
    let seen = (0..40).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        docs(port) == 2
    });
    assert!(seen, "the new document did not show");
    // A rebuild swaps the directory: the server reopens it.
    fs::copy(
        manifest_dir().join("corpus/004_ee0b6ec72090fab7.txt"),
        tmp.join("004.txt"),
    )
    .unwrap();
    index::rebuild(&dir.join("index"), std::slice::from_ref(&tmp), &mut |_| {}).unwrap();
    let seen = (0..40).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        docs(port) == 3
    });
    assert!(seen, "the rebuilt index did not show");
    let (after, hit) = total(port);
    assert!(!hit, "a response of the old index was served");
    assert!(after > before, "{before} → {after}");
}

/// More searches at once than the server computes at once (a few per core): every one waits for
/// its turn and gets its own answer, none is dropped or mixed up, and a slow request in flight
/// (dupes over the whole corpus) does not hold them back.
#[test]
fn many_searches_at_once_each_get_their_own_answer() {
    let port = seed_port();
    let words = [
        "perdagangan",
        "manusia",
        "feminist",
        "kebijakan",
        "trafficking",
        "Meksiko",
        "perempuan",
        "eksploitasi",
    ];
    let dupes = std::thread::spawn(move || request(port, "GET", "/api/dupes", None).0);
    let clients: Vec<_> = (0..48)
        .map(|i| {
            // Distinct requests, so none is answered from the response cache.
            let q = format!(
                "{}+{}",
                words[i % words.len()],
                words[(i / 8 + 1) % words.len()]
            );
            let path = format!("/api/search?q={q}&limit={}", 1 + i % 7);
            std::thread::spawn(move || {
                let (status, _, body) = request(port, "GET", &path, None);
                (path, status, body)
            })
        })
        .collect();
    for c in clients {
        let (path, status, body) = c.join().unwrap();
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let q = path.split("q=").nth(1).unwrap().split('&').next().unwrap();
        assert_eq!(
            v["query"],
            q.replace('+', " "),
            "{path} got another's answer"
        );
        let limit: usize = path.rsplit('=').next().unwrap().parse().unwrap();
        let n = v["hits"].as_array().unwrap().len();
        assert!(n >= 1 && n <= limit, "{path}: {n} hits");
    }
    assert_eq!(dupes.join().unwrap(), 200);
}

/// Reads `s` until the server closes it; how long that took, or `None` if it was still open
/// after `within`.
fn closed_after(s: &mut TcpStream, within: Duration) -> Option<Duration> {
    let t = Instant::now();
    let mut buf = [0u8; 4096];
    while t.elapsed() < within {
        s.set_read_timeout(Some(
            within - t.elapsed().min(within) + Duration::from_millis(1),
        ))
        .unwrap();
        match s.read(&mut buf) {
            Ok(0) => return Some(t.elapsed()),
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return None
            }
            Err(_) => return Some(t.elapsed()), // reset: closed as well
        }
    }
    None
}

/// One response off a kept-alive connection (Content-Length framed).
fn read_response(s: &mut TcpStream) -> (u16, Vec<u8>) {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if raw.len() >= end + 4 + len {
                let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
                return (status, raw[end + 4..end + 4 + len].to_vec());
            }
        }
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "closed before the response ended");
        raw.extend_from_slice(&buf[..n]);
    }
}

/// Half a request line, headers trickled byte by byte, an idle keep-alive connection and a
/// body that stops half-way are each closed within about a second (the timeouts set), where
/// they used to stay open for as long as the client liked.
#[test]
fn stalled_connections_are_closed_by_their_timeouts() {
    let (port, _) = serve_index(common::seed_index(), short());
    let limit = Duration::from_secs(8);
    let connect = move || TcpStream::connect(("127.0.0.1", port)).unwrap();
    // Half a request line, then nothing.
    let half = std::thread::spawn(move || {
        let mut s = connect();
        s.write_all(b"GET /api/sea").unwrap();
        closed_after(&mut s, limit)
    });
    // Headers trickled: bytes keep moving, only the header timeout ends it.
    let trickle = std::thread::spawn(move || {
        let mut s = connect();
        let mut w = s.try_clone().unwrap();
        let writer = std::thread::spawn(move || {
            let head = format!("GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ");
            for b in head.bytes().chain(std::iter::repeat(b'a')).take(60) {
                if w.write_all(&[b]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(150));
            }
        });
        let r = closed_after(&mut s, limit);
        let _ = writer.join();
        r
    });
    // A kept-alive connection after its answer.
    let idle = std::thread::spawn(move || {
        let mut s = connect();
        let req = format!("GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
        s.write_all(req.as_bytes()).unwrap();
        assert_eq!(read_response(&mut s).0, 200);
        closed_after(&mut s, limit)
    });
    // A body that stops half-way: 408, then closed.
    let body = std::thread::spawn(move || {
        let mut s = connect();
        let req = format!(
            "POST /api/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nPerdagangan"
        );
        s.write_all(req.as_bytes()).unwrap();
        let t = Instant::now();
        let mut raw = Vec::new();
        s.set_read_timeout(Some(limit)).unwrap();
        let _ = s.read_to_end(&mut raw);
        (t.elapsed(), String::from_utf8_lossy(&raw).into_owned())
    });
    for (what, h) in [("half a request line", half), ("trickled headers", trickle)] {
        let took = h.join().unwrap();
        assert!(took.is_some(), "{what}: still open after {limit:?}");
        assert!(took.unwrap() < Duration::from_secs(6), "{what}: {took:?}");
    }
    let took = idle.join().unwrap();
    assert!(
        took.is_some_and(|t| t < Duration::from_secs(6)),
        "idle: {took:?}"
    );
    let (took, answer) = body.join().unwrap();
    assert!(
        took < Duration::from_secs(6),
        "partial body: open for {took:?}"
    );
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "partial body: {answer:?}"
    );
    assert!(answer.contains("did not arrive within 1 s"), "{answer}");
}

/// With the cap at four and more idle connections than that, the server holds at most four
/// at once; a search waits for a slot (the idle ones time out) and is answered.
#[test]
fn connections_are_capped_and_idle_ones_make_room() {
    let config = ServerConfig {
        max_connections: 4,
        ..short()
    };
    let (port, shared) = serve_index(common::seed_index(), config);
    let idle: Vec<TcpStream> = (0..6)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let t = Instant::now();
    while shared.connections().now() < 4 && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        shared.connections().now(),
        4,
        "the idle ones were not accepted"
    );
    let t = Instant::now();
    let (status, _, body) = request(port, "GET", "/api/search?q=perdagangan", None);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(
        t.elapsed() >= Duration::from_millis(500),
        "answered in {:?}: the cap did not hold it back",
        t.elapsed()
    );
    assert!(
        shared.connections().peak() <= 4,
        "{}",
        shared.connections().peak()
    );
    drop(idle);
}

/// A corpus where dupes takes seconds: the seed documents 36 times, each copy with other
/// words changed (fingerprints shared by at most 36 passages, so not boilerplate).
fn heavy_index() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("server_heavy");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("corpus")).unwrap();
        for entry in fs::read_dir(manifest_dir().join("corpus")).unwrap() {
            let path = entry.unwrap().path();
            let text = fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            for k in 0..36u64 {
                let mut x = k.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
                let words: Vec<String> = text
                    .split(' ')
                    .map(|w| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        if x % 33 == 0 {
                            format!("{w}x{k}")
                        } else {
                            w.to_string()
                        }
                    })
                    .collect();
                fs::write(dir.join(format!("corpus/{k}_{name}")), words.join(" ")).unwrap();
            }
        }
        index::build(&dir.join("index"), &[dir.join("corpus")], &mut |_| {}).unwrap();
        dir.join("index")
    })
    .clone()
}

/// CPU seconds the process `pid` has used (user + system; 100 ticks a second).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<u64> = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .map(|v| v.parse().unwrap())
        .collect();
    (f[0] + f[1]) as f64 / 100.0
}

/// A dupes past the request timeout is answered 503 and stops computing: the server process
/// uses (almost) no CPU afterwards, where it used to compute on for minutes.
#[test]
fn timed_out_dupes_stop_computing() {
    let index = heavy_index();
    let (mut child, port) = common::spawn_server(
        &["--index".as_ref(), index.as_os_str()],
        &["--request-timeout", "0.05"],
    );
    let pid = child.id();
    // Several at once: uncancelled, they kept both cores busy for seconds.
    let asks: Vec<_> = (5..9)
        .map(|n| {
            let path = format!("/api/dupes?claims=true&limit={n}");
            std::thread::spawn(move || request(port, "GET", &path, None))
        })
        .collect();
    for a in asks {
        let (status, _, body) = a.join().unwrap();
        let body = String::from_utf8_lossy(&body);
        assert_eq!(status, 503, "{body}");
        assert!(body.contains("took longer than 50 ms"), "{body}");
    }
    // Cancelled work notices within a few milliseconds; allow the machine to be slow.
    std::thread::sleep(Duration::from_millis(200));
    let before = cpu_seconds(pid);
    std::thread::sleep(Duration::from_millis(1500));
    let used = cpu_seconds(pid) - before;
    child.kill().unwrap();
    let _ = child.wait();
    assert!(
        used < 0.3,
        "the server used {used:.2} s of CPU after answering 503"
    );
}

/// Dupes run one at a time (their own small limit) while searches keep being answered.
#[test]
fn searches_are_answered_while_dupes_wait_their_turn() {
    let config = ServerConfig {
        heavy_at_once: 1,
        request_timeout: Duration::from_secs(120),
        ..ServerConfig::default()
    };
    let (port, shared) = serve_index(&heavy_index(), config);
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let dupes: Vec<_> = (0..3)
        .map(|i| {
            let done = done.clone();
            std::thread::spawn(move || {
                let path = format!("/api/dupes?claims=true&limit={}", 3 + i);
                let status = request(port, "GET", &path, None).0;
                done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                status
            })
        })
        .collect();
    let t = Instant::now();
    while shared.heavy_running().now() == 0 && t.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    for i in 0..10 {
        let path = format!("/api/search?q=perdagangan+manusia&limit={}", 1 + i);
        let t = Instant::now();
        let (status, _, _) = request(port, "GET", &path, None);
        assert_eq!(status, 200);
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "{path}: {:?}",
            t.elapsed()
        );
    }
    let finished = done.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        finished < 3,
        "the searches were only answered after the dupes"
    );
    for d in dupes {
        assert_eq!(d.join().unwrap(), 200);
    }
    assert_eq!(shared.heavy_running().peak(), 1);
}

/// `/api/cites` and `cites` page alike: limit, offset, total; the same bounds and messages.
#[test]
fn cites_are_paged_in_the_api_and_the_cli() {
    let (_, all) = get_json("/api/cites?limit=1000");
    let total = all["total"].as_u64().unwrap() as usize;
    let every = all["citations"].as_array().unwrap();
    assert!(total > 100 && every.len() == total.min(1000), "{total}");
    let (s, v) = get_json("/api/cites");
    assert_eq!(s, 200);
    assert_eq!(
        v["citations"].as_array().unwrap().len(),
        100,
        "the default page"
    );
    assert_eq!(
        (v["limit"].as_u64(), v["offset"].as_u64()),
        (Some(100), Some(0))
    );
    let (_, page) = get_json("/api/cites?limit=3&offset=5");
    assert_eq!(page["total"].as_u64().unwrap() as usize, total);
    assert_eq!(page["citations"].as_array().unwrap()[..], every[5..8]);
    let (s, v) = get_json("/api/cites?limit=1001");
    assert_eq!(s, 400);
    let says = v["error"].as_str().unwrap().to_string();
    assert!(says.contains("between 0 and 1000"), "{says}");
    let (out, _, ok) = common::run_cli(
        common::seed_index(),
        &["cites", "--limit", "3", "--offset", "5", "--json"],
        None,
    );
    assert!(ok);
    let cli: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(cli, page);
    let (_, err, ok) = common::run_cli(common::seed_index(), &["cites", "--limit", "1001"], None);
    assert!(!ok && err.contains(&says), "{err}");
}

/// The response cache stays within its byte budget however many distinct searches come, and
/// still answers a repeat.
#[test]
fn the_response_cache_is_bounded_in_bytes() {
    let budget = 256 << 10;
    let config = ServerConfig {
        cache_bytes: budget,
        ..ServerConfig::default()
    };
    let (port, shared) = serve_index(common::seed_index(), config);
    let mut sent = 0;
    let mut last = String::new();
    for word in [
        "perdagangan",
        "manusia",
        "perempuan",
        "trafficking",
        "policy",
        "hukum",
    ] {
        for offset in 0..20 {
            last = format!("/api/search?q={word}&limit=5&offset={offset}");
            let (s, _, body) = request(port, "GET", &last, None);
            assert_eq!(s, 200);
            sent += body.len();
            assert!(shared.cache_bytes() <= budget, "{}", shared.cache_bytes());
        }
    }
    assert!(sent > 2 * budget, "the test sent only {sent} bytes");
    let (_, head, _) = request(port, "GET", &last, None);
    assert!(head.to_ascii_lowercase().contains("x-pustaka-cache: hit"));
}

/// Under re-indexing every `/api/stats` reply describes one commit (its languages add up to
/// its passages), and it names the index directory without its absolute path.
#[test]
fn stats_read_one_generation_and_hide_the_path() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("server_stats_corpus");
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir_all(&tmp).unwrap();
    let corpus = manifest_dir().join("corpus");
    fs::copy(corpus.join("002_82c8e82c87f6ea65.txt"), tmp.join("002.txt")).unwrap();
    let (port, dir) = start("server_stats", &tmp);
    let (_, _, body) = request(port, "GET", "/api/stats", None);
    let text = String::from_utf8_lossy(&body);
    assert!(!text.contains(&*dir.to_string_lossy()), "{text}");
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["dir"], "index");
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poll = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut replies = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let (s, _, body) = request(port, "GET", "/api/stats", None);
                if s == 200 {
                    replies.push(serde_json::from_slice::<serde_json::Value>(&body).unwrap());
                }
            }
            replies
        })
    };
    for _ in 0..4 {
        fs::copy(corpus.join("001_b45e124878fca27f.txt"), tmp.join("001.txt")).unwrap();
        index::build(&dir.join("index"), std::slice::from_ref(&tmp), &mut |_| {}).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        fs::remove_file(tmp.join("001.txt")).unwrap();
        index::build(&dir.join("index"), std::slice::from_ref(&tmp), &mut |_| {}).unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let replies = poll.join().unwrap();
    assert!(replies.len() > 20, "{} replies", replies.len());
    let sum = |v: &serde_json::Value| -> u64 {
        v.as_object()
            .unwrap()
            .values()
            .map(|n| n.as_u64().unwrap())
            .sum()
    };
    let mut states = std::collections::BTreeSet::new();
    for v in &replies {
        let passages = v["passages"].as_u64().unwrap();
        assert_eq!(sum(&v["languages"]), passages, "two commits mixed: {v}");
        assert_eq!(sum(&v["kinds"]), passages, "{v}");
        states.insert((v["documents"].as_u64().unwrap(), passages));
    }
    assert!(states.len() <= 2, "{states:?}");
}

/// Only this server's own names pass the Host check; others get a 421 that says why.
#[test]
fn only_the_servers_own_host_names_are_answered() {
    let port = seed_port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (s, _, _) = request_as(port, &host, "GET", "/health", None);
        assert_eq!(s, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "localhost".to_string(),
        String::new(),
    ] {
        let (s, head, body) = request_as(port, &host, "GET", "/api/search?q=a", None);
        assert_eq!(s, 421, "{host:?}");
        assert!(head.to_ascii_lowercase().contains("application/json"));
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let says = v["error"].as_str().unwrap();
        assert!(says.contains("Host"), "{says}");
        if !host.is_empty() {
            assert!(says.contains("--allow-host"), "{says}");
        }
    }
    // A name allowed with --allow-host passes.
    let config = ServerConfig {
        allowed_hosts: vec!["pustaka.example".into()],
        ..ServerConfig::default()
    };
    let (port, _) = serve_index(common::seed_index(), config);
    let (s, _, _) = request_as(port, "pustaka.example", "GET", "/health", None);
    assert_eq!(s, 200);
    let (s, _, _) = request_as(port, "other.example", "GET", "/health", None);
    assert_eq!(s, 421);
}

/// The page, the API and the errors carry the security headers, and the page works under
/// its policy (no inline script or style).
#[test]
fn security_headers_on_every_answer() {
    for path in ["/", "/assets/app.js", "/api/search?q=perdagangan", "/nope"] {
        let (_, head, _) = request(seed_port(), "GET", path, None);
        let head = head.to_ascii_lowercase();
        for h in [
            "content-security-policy: default-src 'self'; frame-ancestors 'none'",
            "x-content-type-options: nosniff",
            "referrer-policy: no-referrer",
        ] {
            assert!(head.contains(h), "{path} lacks {h}: {head}");
        }
    }
    let (_, _, page) = request(seed_port(), "GET", "/", None);
    let page = String::from_utf8_lossy(&page).to_ascii_lowercase();
    assert_eq!(
        page.matches("<script").count(),
        page.matches("<script src=").count()
    );
    assert!(!page.contains("<style") && !page.contains(" style=") && !page.contains(" onclick="));
}

/// HEAD is answered wherever GET is: the same status and headers, no body.
#[test]
fn head_is_answered_like_get_without_a_body() {
    for path in [
        "/",
        "/assets/style.css",
        "/api/search?q=perdagangan",
        "/api/stats",
        "/health",
    ] {
        let (gs, ghead, gbody) = request(seed_port(), "GET", path, None);
        let (hs, hhead, hbody) = request(seed_port(), "HEAD", path, None);
        assert_eq!((gs, hs), (200, 200), "{path}");
        assert!(hbody.is_empty(), "{path}: a body");
        let field = |head: &str, name: &str| {
            head.to_ascii_lowercase()
                .lines()
                .find(|l| l.starts_with(name))
                .map(str::to_string)
        };
        assert_eq!(
            field(&hhead, "content-type"),
            field(&ghead, "content-type"),
            "{path}"
        );
        if path.starts_with("/assets") || path == "/" {
            let len = field(&hhead, "content-length").expect("a length");
            assert_eq!(len, format!("content-length: {}", gbody.len()), "{path}");
        }
    }
}

/// `limit` means the same in the CLI and the API: 0 counts without listing, above the most
/// one page may hold is the same error.
#[test]
fn the_cli_and_the_api_agree_on_limit() {
    let (s, api) = get_json("/api/search?q=perdagangan+manusia&limit=0");
    assert_eq!(s, 200, "{api}");
    assert!(api["hits"].as_array().unwrap().is_empty());
    assert!(api["total"].as_u64().unwrap() > 0);
    let (out, err, ok) = common::run_cli(
        common::seed_index(),
        &["search", "perdagangan", "manusia", "--limit", "0", "--json"],
        None,
    );
    assert!(ok, "{err}");
    let cli: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((&cli["total"], &cli["hits"]), (&api["total"], &api["hits"]));
    for (flag, value) in [("limit", "101"), ("offset", "10001")] {
        let (s, api) = get_json(&format!("/api/search?q=perdagangan&{flag}={value}"));
        assert_eq!(s, 400);
        let says = api["error"].as_str().unwrap();
        let (_, err, ok) = common::run_cli(
            common::seed_index(),
            &["search", "perdagangan", &format!("--{flag}"), value],
            None,
        );
        assert!(!ok && err.contains(says), "CLI: {err} API: {says}");
    }
}

#[test]
fn a_document_s_original_file_is_served_and_nothing_else() {
    let doc = "003_232135048410f2ab.txt";
    let (s, head, body) = request(seed_port(), "GET", &format!("/api/docs/{doc}/file"), None);
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&body));
    assert!(
        head.to_lowercase()
            .contains("content-type: text/plain; charset=utf-8"),
        "{head}"
    );
    assert_eq!(
        body,
        std::fs::read(common::manifest_dir().join("corpus").join(doc)).unwrap()
    );
    // A path is never taken from the request: a traversal names no document.
    for bad in [
        "..%2F..%2FCargo.toml",
        "%2Fetc%2Fpasswd",
        "Cargo.toml",
        "003",
    ] {
        let (s, _, body) = request(seed_port(), "GET", &format!("/api/docs/{bad}/file"), None);
        assert_eq!(s, 404, "{bad}: {}", String::from_utf8_lossy(&body));
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(v["error"].as_str().unwrap().contains("no document"), "{v}");
    }
}

#[test]
fn a_record_has_no_file_of_its_own_and_a_changed_file_is_not_served() {
    let root = common::scratch("source-file");
    let corpus = root.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    let text = corpus.join("catatan.txt");
    fs::write(
        &text,
        "Perdagangan orang di perbatasan Meksiko dibahas di sini.\n",
    )
    .unwrap();
    fs::write(
        corpus.join("records.jsonl"),
        "{\"id\":\"rec-1\",\"text\":\"Putusan tentang perdagangan orang.\"}\n",
    )
    .unwrap();
    let idx = root.join("idx");
    index::build(&idx, std::slice::from_ref(&corpus), &mut |_| {}).unwrap();
    let engine = Engine::open(&idx).unwrap();
    let source = |doc: &str| pustaka::api::Source { doc: doc.into() }.answer(&engine);
    let f = source("catatan.txt").unwrap();
    assert_eq!(f.bytes, fs::read(&text).unwrap());
    assert_eq!(f.media_type, "text/plain; charset=utf-8");
    let err = source("rec-1").unwrap_err().to_string();
    assert!(
        err.contains("one record of") && err.contains("records.jsonl"),
        "{err}"
    );
    // The file changed after indexing (its size, as incremental indexing tells a change):
    // what is served would not be what was searched.
    fs::write(
        &text,
        "Teks lain, lebih panjang dari teks yang diindeks tadi pagi.\n",
    )
    .unwrap();
    let err = source("catatan.txt").unwrap_err().to_string();
    assert!(err.contains("changed since it was indexed"), "{err}");
}

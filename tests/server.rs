//! The HTTP server on a free loopback port: every endpoint, its errors (400, 404, 405, 413),
//! that nothing outside the API and the page is served, that the answers equal the library's
//! (what the CLI prints), and that a re-index is picked up without a restart.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use common::manifest_dir;
use pustaka::index::{self, Engine};
use pustaka::server::{self, Shared};
use pustaka::SearchRequest;

/// Start a server on an index of `corpus`; returns its port.
fn start(name: &str, corpus: &Path) -> (u16, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    index::build(&dir.join("index"), &[corpus.to_path_buf()], &mut |_| {}).unwrap();
    let engine = Engine::open(&dir.join("index")).unwrap();
    let shared = Arc::new(Shared::new(engine));
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
            server::serve(shared, listener, std::future::pending()).await;
        });
    });
    (port, dir)
}

fn seed_port() -> u16 {
    static P: OnceLock<u16> = OnceLock::new();
    *P.get_or_init(|| start("server_seed", &manifest_dir().join("corpus")).0)
}

/// One HTTP/1.1 request; returns status, headers and body.
fn request(port: u16, method: &str, path: &str, body: Option<&[u8]>) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if let Some(b) = body {
        req.push_str(&format!(
            "Content-Type: text/plain\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    if let Some(b) = body {
        let _ = s.write_all(b);
    }
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, head, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let n =
            usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 2 + n + 2..];
    }
    out
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
    let engine =
        Engine::open(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("server_seed/index")).unwrap();
    let lib = engine
        .search(&SearchRequest {
            query: "perdagangan manusia".into(),
            limit: 5,
            lang: Some("id".into()),
            ..SearchRequest::default()
        })
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
        "/api/refs/{doc}",
        "/api/dupes",
        "/api/check",
        "/api/stats",
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
    // The page and its assets, from the binary.
    let (s, head, body) = request(seed_port(), "GET", "/", None);
    assert_eq!(s, 200);
    assert!(head.to_ascii_lowercase().contains("text/html"));
    assert!(String::from_utf8_lossy(&body).contains("/assets/app.js"));
    let (s, _, body) = request(seed_port(), "GET", "/assets/app.js", None);
    assert_eq!(s, 200);
    assert!(String::from_utf8_lossy(&body).contains("/api/search"));
}

#[test]
fn errors_are_json_with_the_right_status() {
    for (path, status, says) in [
        ("/api/search", 400, "q is missing"),
        ("/api/search?q=a&limit=abc", 400, "not a number"),
        ("/api/search?q=a&limit=100000", 400, "between 1 and 100"),
        ("/api/search?q=a&kind=chapter", 400, "kind"),
        ("/api/search?q=a&colour=red", 400, "unknown parameter"),
        ("/api/search?q=cites:x+year:20x6", 400, "four digits"),
        ("/api/passages/nope%23999", 404, "no passage"),
        ("/api/passages/x?context=99", 400, "context"),
        ("/api/refs/zzz", 404, "no document"),
        ("/api/refs/00", 400, "ambiguous"),
        ("/api/cites?year=soon", 400, "four digits"),
        ("/api/cites/top?n=0", 400, "between 1"),
        ("/api/dupes?min_similarity=2", 400, "between 0 and 1"),
        ("/api/dupes?cross_doc=maybe", 400, "true or false"),
        ("/api/dupes?claims=maybe", 400, "true or false"),
        ("/api/dupes?claims=true&min_claim=2", 400, "between 0 and 1"),
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
    let (s, _, _) = request(
        seed_port(),
        "POST",
        "/api/check",
        Some(&[0xff, 0xfe, 0x00, 0x41]),
    );
    assert_eq!(s, 400);
    let (s, _, _) = request(seed_port(), "POST", "/api/check", Some(b"   "));
    assert_eq!(s, 400);
    // A query tantivy would reject is still answered.
    let (s, v) = get_json("/api/search?q=%22unbalanced+quote");
    assert_eq!(s, 200, "{v}");
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
    let docs = |port| -> u64 {
        let (_, _, body) = request(port, "GET", "/api/stats", None);
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        v["documents"].as_u64().unwrap()
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

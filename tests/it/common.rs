//! Shared by the integration tests: the seed corpus and its index, corpus-large, the CLI.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

/// The fields of a search hit that scripts rely on, in the CLI's `--json` and in `/api/search`.
pub const HIT_KEYS: [&str; 13] = [
    "id",
    "score",
    "doc",
    "title",
    "chapter",
    "section",
    "section_title",
    "kind",
    "lang",
    "page",
    "lines",
    "text",
    "snippet",
];

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The two files of corpus-large, where the repository's parent keeps them. The tests that call
/// this are `#[ignore]`d (`cargo test --release -- --ignored` runs them, as `.ci/run` does); run
/// without the corpus they fail, saying what is missing.
pub fn corpus_large() -> [PathBuf; 2] {
    let dir = manifest_dir().join("../shared/corpus-large");
    let files = [
        dir.join("id_court_decisions.jsonl"),
        dir.join("en_plos_fulltext.jsonl"),
    ];
    for f in &files {
        assert!(
            f.is_file(),
            "{} not found: this test needs ../shared/corpus-large beside the repository (CI has it; a user's clone does not)",
            f.display()
        );
    }
    files
}

/// A copy of the seed corpus's files in `dest` (created), for tests that change the corpus.
pub fn copy_seed_corpus(dest: &Path) {
    fs::create_dir_all(dest).unwrap();
    for f in fs::read_dir(manifest_dir().join("corpus")).unwrap() {
        let f = f.unwrap().path();
        fs::copy(&f, dest.join(f.file_name().unwrap())).unwrap();
    }
}

/// A fresh private directory `name` under the tests' scratch directory (target/tmp).
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The index of `corpus/` that the tests which only read it share: built once per test process
/// (with the library, as `pustaka index` does) into `target/tmp/seed_index-<pid>`. Tests that
/// change an index build their own.
pub fn seed_index() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        remove_stale_seed_indexes();
        let dir = scratch(&format!("seed_index-{}", std::process::id()));
        let report =
            pustaka::index::build(&dir, &[manifest_dir().join("corpus")], &mut |_| {}).unwrap();
        assert_eq!(report.documents, 5);
        dir
    })
}

/// corpus-large indexed once per test process for the tests that only search it (all
/// ignored without `../shared/corpus-large`), into `target/tmp/corpus_large_index`.
pub fn large_engine() -> &'static pustaka::Engine {
    static E: OnceLock<pustaka::Engine> = OnceLock::new();
    E.get_or_init(|| {
        let dir = scratch("corpus_large_index");
        pustaka::index::build(&dir, &corpus_large(), &mut |_| {}).unwrap();
        pustaka::Engine::open(&dir).unwrap()
    })
}

/// The engine over [`seed_index`] that the tests which only search it share.
pub fn seed_engine() -> &'static pustaka::Engine {
    static E: OnceLock<pustaka::Engine> = OnceLock::new();
    E.get_or_init(|| pustaka::Engine::open(seed_index()).unwrap())
}

/// `req` answered over the seed index; a failure names the query.
pub fn seed_search(req: pustaka::SearchRequest) -> pustaka::SearchResponse {
    seed_engine()
        .search(&req)
        .unwrap_or_else(|e| panic!("{}: {e}", req.query))
}

/// The words a hit marks in its passage, lowercased.
pub fn marked(h: &pustaka::Hit) -> Vec<String> {
    h.highlights
        .iter()
        .map(|&[a, b]| h.text[a..b].to_lowercase())
        .collect()
}

/// The passage ids of the hits of a `search --json` answer, in rank order.
pub fn hit_ids(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

/// The shared seed indexes of test processes that have ended (Linux: no `/proc/<pid>`).
fn remove_stale_seed_indexes() {
    if !Path::new("/proc/self").is_dir() {
        return;
    }
    let Ok(entries) = fs::read_dir(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("seed_index-")) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Run the `pustaka` binary on `index` with `args`, feeding `stdin`; stdout, stderr, success.
pub fn run_cli(index: &Path, args: &[&str], stdin: Option<&[u8]>) -> (String, String, bool) {
    let index = index.to_str().expect("a UTF-8 index path");
    let all: Vec<&str> = ["--index", index]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    run_bare(&all, stdin)
}

/// Run the `pustaka` binary with `args` alone (no `--index`: `--splits`, or a command that
/// reads no index), feeding `stdin`; stdout, stderr, success.
pub fn run_bare(args: &[&str], stdin: Option<&[u8]>) -> (String, String, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pustaka"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

/// `pustaka ARGS serve` on a free port of 127.0.0.1, with `extra` after `serve`, once it
/// accepts connections: the child (the caller kills it) and the port.
pub fn spawn_server(args: &[&std::ffi::OsStr], extra: &[&str]) -> (std::process::Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_pustaka"))
        .args(args)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed().as_secs() < 60, "the server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    (child, port)
}

/// One HTTP/1.1 request; returns status, headers and body.
pub fn request(port: u16, method: &str, path: &str, body: Option<&[u8]>) -> (u16, String, Vec<u8>) {
    request_as(port, &format!("127.0.0.1:{port}"), method, path, body)
}

/// A request with this `Host` header (none when empty), a body sent as text/plain.
pub fn request_as(
    port: u16,
    host: &str,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
) -> (u16, String, Vec<u8>) {
    send(port, host, method, path, body.map(|b| ("text/plain", b)))
}

/// A POST of `body` with this `Content-Type`, as a browser or curl sends a file.
pub fn post_typed(port: u16, path: &str, media_type: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
    let host = format!("127.0.0.1:{port}");
    send(port, &host, "POST", path, Some((media_type, body)))
}

fn send(
    port: u16,
    host: &str,
    method: &str,
    path: &str,
    body: Option<(&str, &[u8])>,
) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let host = if host.is_empty() {
        String::new()
    } else {
        format!("Host: {host}\r\n")
    };
    let mut req = format!("{method} {path} HTTP/1.1\r\n{host}Connection: close\r\n");
    if let Some((media_type, b)) = body {
        req.push_str(&format!(
            "Content-Type: {media_type}\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    if let Some((_, b)) = body {
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

/// How many processes whose parent is `parent` have `arg` among their arguments (Linux: read
/// from /proc), e.g. the PDF readers a server has running.
pub fn children_running(parent: u32, arg: &str) -> usize {
    let Ok(procs) = fs::read_dir("/proc") else {
        return 0;
    };
    procs
        .filter_map(|e| e.ok())
        .filter(|e| {
            let stat = fs::read_to_string(e.path().join("stat")).unwrap_or_default();
            // The parent's pid is the second field after the name, which may hold spaces.
            let ppid = stat
                .rsplit_once(')')
                .map(|(_, rest)| rest.split_whitespace().nth(1));
            let cmdline = fs::read(e.path().join("cmdline")).unwrap_or_default();
            ppid.flatten() == Some(parent.to_string().as_str())
                && cmdline.split(|&b| b == 0).any(|a| a == arg.as_bytes())
        })
        .count()
}

/// Words only, lower case, one space between: how a passage's text is compared across two
/// readings of one source (a text file and its PDF or Word version).
pub fn words_only(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Compatibility forms folded (`ﬂ` → `fl`), as pustaka reads a text: a PDF's ligatures
    // must not make two readings of one sentence differ.
    let mapped: String = text
        .nfkc()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap()
            } else {
                ' '
            }
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

//! The HTTP server: a JSON API and a small web page, both thin shells over [`Engine`], so the
//! server and the CLI answer alike.
//!
//! Every request runs under a timeout, on a blocking thread (a search first tries a few
//! milliseconds on the thread that read it, [`SEARCH_SLICE`]); every failure is a JSON error
//! with the status that says what is wrong (400 a bad parameter, 404 an unknown id or path, 405
//! a wrong method, 413 a body over [`MAX_BODY`]); a panic is caught and answered 500, never a
//! dropped connection. Only the API and the embedded page are served, never a file. The engine
//! is reopened when `pustaka index --rebuild` swaps the index directory; an incremental
//! `pustaka index` is picked up by the reader itself. Either way a request sees a whole index.
//!
//! No client can starve it (`conn`: connection timeouts and cap; here: heavy requests under
//! their own small limit and cancelled when their caller stops waiting; a response cache
//! bounded in bytes), and only the names of this server reach it (a DNS-rebinding page does
//! not).

mod cache;
mod conn;
mod stats;
mod workers;

pub use conn::{serve, Gauge};

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use warp::http::{header, StatusCode};
use warp::reply::Response;
use warp::{Filter, Rejection};

use crate::api;
use crate::error::Error;
use crate::index::Engine;
use crate::search::cancel::{Cancel, CancelOnDrop};

/// Largest request body (`POST /api/check`), in bytes: the longest text `check` takes, so a
/// draft the CLI checks is one the server checks; a PDF or Word file sent is held to it too (its
/// text is shorter than the file), which keeps a request's reading small and quick.
pub const MAX_BODY: u64 = api::MAX_CHECK_BYTES as u64;
/// Longest a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");
const OPENAPI: &str = include_str!("assets/openapi.json");

/// The limits that keep one client from starving the others; tests set short ones.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// A request's headers must arrive within this of when the server starts waiting for them.
    pub header_timeout: Duration,
    /// A connection with no request in progress and no byte moving is closed after this.
    pub idle_timeout: Duration,
    /// A request's body must arrive whole within this.
    pub body_timeout: Duration,
    /// Longest a request may compute (including its wait for a permit); a search, dupes or
    /// check still computing then is cancelled.
    pub request_timeout: Duration,
    /// How long a search may run on the thread that read its request before it is started
    /// again on a blocking thread ([`SEARCH_SLICE`]).
    pub search_slice: Duration,
    /// Connections served at once; more wait in the accept backlog. Each is a file
    /// descriptor: 20,000 idle ones once exhausted the limit.
    pub max_connections: usize,
    /// Dupes and check computing at once (each uses every core by itself).
    pub heavy_at_once: usize,
    /// The search response cache's budget.
    pub cache_bytes: usize,
    /// Host names accepted besides the server's own address (`serve --allow-host`).
    pub allowed_hosts: Vec<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(5),
            body_timeout: Duration::from_secs(10),
            request_timeout: REQUEST_TIMEOUT,
            search_slice: SEARCH_SLICE,
            max_connections: 256,
            heavy_at_once: (cores() / 2).max(1),
            cache_bytes: 64 << 20,
            allowed_hosts: Vec::new(),
        }
    }
}

/// How long an idle worker thread is kept before it exits. Each thread that ran a search or a
/// check keeps its own stem memo and regex caches (a few MB after a check) for as long as it
/// lives: with tokio's default of 10 s and up to 512 threads, 39 threads still held 70 MB a
/// minute after a soak (idle 34 MB). Threads are cheap to start next to a search.
pub const WORKER_KEEP_ALIVE: Duration = Duration::from_secs(2);

/// The runtime `serve` runs on: as many blocking threads as the search permits can use at once
/// (plus a few for the unmetered requests), so the count, and what each thread keeps, is
/// bounded. Dupes and check have their own threads (`workers`).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(search_permits() + 4)
        .thread_keep_alive(WORKER_KEEP_ALIVE)
        .build()
}

/// Searches computing at once (see [`Shared::searches`]).
fn search_permits() -> usize {
    3 * cores()
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// A duration as people read it: `20 s`, `50 ms`.
pub(crate) fn human(d: Duration) -> String {
    if d.as_millis().is_multiple_of(1000) {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The engine, reopened when the index directory is replaced.
pub struct Shared {
    config: ServerConfig,
    /// Search responses by request, for the index generation they were computed on.
    cache: Option<cache::Cache>,
    /// Open connections, and dupes/check computing (for tests and measurements).
    connections: Arc<Gauge>,
    heavy_running: Arc<Gauge>,
    /// Dupes and check computing at once: each of them keeps every core busy for up to the
    /// request timeout, so more at once would only crowd out the searches.
    heavy: Arc<tokio::sync::Semaphore>,
    /// The threads dupes and check run on (one per heavy permit).
    workers: Arc<workers::Workers>,
    dir: PathBuf,
    engine: RwLock<(Arc<Engine>, Option<u64>)>,
    /// Bumped each time the engine is reopened: with the reader's generation, what a cached
    /// response was computed on.
    epoch: std::sync::atomic::AtomicU64,
    /// When the directory was last looked at (ms since `started`): at most every 200 ms.
    checked: std::sync::atomic::AtomicU64,
    started: std::time::Instant,
    /// Searches computing at once: a few per core. Searches are short and CPU-bound, so more at
    /// once only interleave on the cores and stretch every one of them. Seed corpus, 32
    /// connections, 2 cores: p99 17-18 ms unbounded, about 10 ms at three per core for the same
    /// req/s; two per core gave 8.5 ms but 9% fewer req/s, four per core 11.5 ms.
    /// Heavier requests (dupes, check) have their own permits, so a slow one never holds
    /// searches back.
    searches: Arc<tokio::sync::Semaphore>,
}

/// The identity of the live index: a rebuild publishes a new generation.
fn generation(dir: &Path) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let name = crate::index::store::current_generation(dir)?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    name.hash(&mut h);
    Some(h.finish())
}

impl Shared {
    /// Serve `engine` with the default limits ([`ServerConfig::default`]), reopening it from
    /// the same directory whenever a rebuild publishes a new generation there.
    pub fn new(engine: Engine) -> Shared {
        let dir = engine.dir().to_path_buf();
        let g = generation(&dir);
        let config = ServerConfig::default();
        Shared {
            cache: Some(cache::Cache::new(config.cache_bytes)),
            connections: Arc::default(),
            heavy_running: Arc::default(),
            heavy: Arc::new(tokio::sync::Semaphore::new(config.heavy_at_once)),
            workers: Arc::new(workers::Workers::new(config.heavy_at_once)),
            config,
            dir,
            engine: RwLock::new((Arc::new(engine), g)),
            checked: std::sync::atomic::AtomicU64::new(0),
            epoch: std::sync::atomic::AtomicU64::new(0),
            started: std::time::Instant::now(),
            searches: Arc::new(tokio::sync::Semaphore::new(search_permits())),
        }
    }

    /// With these limits instead of the defaults.
    pub fn with_config(mut self, config: ServerConfig) -> Shared {
        if self.cache.is_some() {
            self.cache = Some(cache::Cache::new(config.cache_bytes));
        }
        self.heavy = Arc::new(tokio::sync::Semaphore::new(config.heavy_at_once.max(1)));
        self.workers = Arc::new(workers::Workers::new(config.heavy_at_once));
        self.config = config;
        self
    }

    /// The limits this server runs with.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// Connections open now and at most at once.
    pub fn connections(&self) -> &Gauge {
        &self.connections
    }

    /// Dupes and check requests computing now and at most at once.
    pub fn heavy_running(&self) -> &Gauge {
        &self.heavy_running
    }

    /// Bytes the response cache holds.
    pub fn cache_bytes(&self) -> usize {
        self.cache.as_ref().map_or(0, cache::Cache::bytes)
    }

    /// Without the response cache: every search is computed (for measuring).
    pub fn without_cache(mut self) -> Shared {
        self.cache = None;
        self
    }

    /// A cached search response for this request and index generation.
    fn cached(&self, key: &str, generation: u64) -> Option<bytes::Bytes> {
        self.cache.as_ref()?.get(key, generation)
    }

    fn remember(&self, key: String, generation: u64, body: bytes::Bytes) {
        if let Some(cache) = &self.cache {
            cache.put(key, generation, body);
        }
    }

    /// The current engine; reopened first if the directory was swapped under us.
    pub fn engine(&self) -> Arc<Engine> {
        use std::sync::atomic::Ordering;
        let ms = self.started.elapsed().as_millis() as u64;
        let last = self.checked.load(Ordering::Relaxed);
        if ms < last + 200 {
            return self
                .engine
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .0
                .clone();
        }
        self.checked.store(ms, Ordering::Relaxed);
        let now = generation(&self.dir);
        {
            let guard = self.engine.read().unwrap_or_else(|e| e.into_inner());
            if guard.1 == now || now.is_none() {
                return guard.0.clone();
            }
        }
        let mut guard = self.engine.write().unwrap_or_else(|e| e.into_inner());
        if guard.1 != now {
            // Mid-swap or unreadable: keep serving the index we have.
            if let Ok(e) = Engine::open(&self.dir) {
                *guard = (Arc::new(e), now);
                self.epoch.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
        guard.0.clone()
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    status: u16,
}

fn json_reply<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    json_bytes(status, bytes.into())
}

fn json_bytes(status: StatusCode, bytes: bytes::Bytes) -> Response {
    let mut r = Response::new(bytes.into());
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

pub(crate) fn error_reply(status: StatusCode, msg: &str) -> Response {
    json_reply(
        status,
        &ErrorBody {
            error: msg,
            status: status.as_u16(),
        },
    )
}

/// What a handler returns before it becomes a response.
enum Answer {
    /// A JSON body, serialized where it was computed (on the blocking thread).
    Json(StatusCode, bytes::Bytes),
    /// A body of another media type (a bibliography in BibTeX, RIS, CSV, ...).
    Typed(StatusCode, &'static str, bytes::Bytes),
    Err(StatusCode, String),
}

fn ok<T: Serialize>(v: &T) -> Answer {
    match serde_json::to_vec(v) {
        Ok(v) => Answer::Json(StatusCode::OK, v.into()),
        Err(e) => Answer::Err(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// The JSON of an answer, or the status and message its error calls for.
fn reply<T: Serialize>(r: crate::error::Result<T>) -> Answer {
    r.map_or_else(from_error, |v| ok(&v))
}

fn bad(msg: impl Into<String>) -> Answer {
    Answer::Err(StatusCode::BAD_REQUEST, msg.into())
}

fn from_error(e: Error) -> Answer {
    let status = match &e {
        Error::Query(_) | Error::Invalid(_) => StatusCode::BAD_REQUEST,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::NoIndex { .. }
        | Error::Locked { .. }
        | Error::Version { .. }
        | Error::Building { .. }
        | Error::Damaged { .. }
        | Error::Metastore { .. } => StatusCode::SERVICE_UNAVAILABLE,
        Error::Cancelled => {
            return Answer::Err(
                StatusCode::SERVICE_UNAVAILABLE,
                "the request took longer than it may and was stopped".into(),
            )
        }
        // Our bug (a panic caught on a worker thread), never the client's to fix.
        Error::Internal(_) | Error::Index { .. } | Error::Io { .. } => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    Answer::Err(status, e.to_string())
}

/// Query parameters, read with messages that say what is wrong.
struct Params(HashMap<String, String>);

impl Params {
    fn text(&self, name: &str) -> Option<String> {
        self.0
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    fn optional<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, Answer> {
        match self.text(name) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| bad(format!("{name}={v:?} is not a number"))),
        }
    }

    /// A yes/no switch: absent, `false` or `0` is off; `true` or `1` is on.
    fn flag(&self, name: &str) -> Result<bool, Answer> {
        match self.text(name).as_deref() {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(v) => Err(bad(format!("{name}={v:?} must be true or false"))),
        }
    }

    /// Only the named parameters may appear: a typo is an error, not silently ignored.
    fn only(&self, known: &[&str]) -> Result<(), Answer> {
        let takes = if known.is_empty() {
            "no parameters".to_string()
        } else {
            known.join(", ")
        };
        match self.0.keys().find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(bad(format!(
                "unknown parameter {k:?}; this endpoint takes {takes}"
            ))),
            None => Ok(()),
        }
    }

    /// `answer()` for an endpoint that takes no parameter; any given is an error, as a
    /// misspelt one is at the others (`/api/stats?doc=003` does not filter anything).
    fn none(&self, answer: impl FnOnce() -> Answer) -> Answer {
        self.only(&[]).map_or_else(|a| a, |()| answer())
    }
}

/// Run a handler on a blocking thread, under the request timeout, catching panics.
async fn run<F>(shared: Arc<Shared>, f: F) -> Result<Response, Infallible>
where
    F: FnOnce(&Engine) -> Answer + Send + 'static,
{
    Ok(respond(answer(shared, f).await))
}

fn respond(a: Answer) -> Response {
    match a {
        Answer::Json(s, bytes) => json_bytes(s, bytes),
        Answer::Typed(s, mime, bytes) => {
            let mut r = Response::new(bytes.into());
            *r.status_mut() = s;
            r.headers_mut()
                .insert(header::CONTENT_TYPE, header::HeaderValue::from_static(mime));
            r
        }
        Answer::Err(s, m) => error_reply(s, &m),
    }
}

async fn answer<F>(shared: Arc<Shared>, f: F) -> Answer
where
    F: FnOnce(&Engine) -> Answer + Send + 'static,
{
    let limit = shared.config.request_timeout;
    settle(limit, blocking(shared, f)).await
}

/// A dupes or check: like [`answer_search`] with the heavy permits, and the work is cancelled
/// as soon as nobody waits for it any more (the timeout passed, or the client went away and
/// hyper dropped this future), so it stops using the cores instead of computing for minutes.
async fn answer_heavy<F>(shared: Arc<Shared>, f: F) -> Answer
where
    F: FnOnce(&Engine, &Cancel) -> Answer + Send + 'static,
{
    let cancel = Cancel::new();
    let _stop = CancelOnDrop(cancel.clone());
    let (gate, limit) = (shared.heavy.clone(), shared.config.request_timeout);
    let work = async move {
        let permit = gate.acquire_owned().await;
        let running = shared.heavy_running.enter();
        let workers = shared.workers.clone();
        workers
            .run(move || {
                // Fields drop in order: the count goes down before the permit is handed on.
                let _held = (running, permit);
                if cancel.is_cancelled() {
                    return from_error(Error::Cancelled);
                }
                f(&shared.engine(), &cancel)
            })
            .await
    };
    settle(limit, work).await
}

/// How long a search may run on the thread that read its request. Most searches take well under
/// a millisecond, and handing one to a blocking thread and its answer back costs two thread
/// wake-ups, a tenth of a search's server CPU (perf); but that thread also reads and answers
/// other connections, so a search that needs longer is given up there after this slice and
/// started again on a blocking thread, with the rest of the request's time.
pub const SEARCH_SLICE: Duration = Duration::from_millis(5);

/// A search: like [`answer`], but it waits for one of the search permits first (the wait counts
/// against the request's timeout), and runs where it costs least ([`SEARCH_SLICE`]). `f` answers
/// `None` when its [`Cancel`] fired first. The permit is held until the search ends; a search
/// still running when the client is told it took too long stops at its next check.
async fn answer_search<F>(shared: Arc<Shared>, f: F) -> Answer
where
    F: Fn(&Engine, &Cancel) -> Option<Answer> + Send + 'static,
{
    let (gate, limit) = (shared.searches.clone(), shared.config.request_timeout);
    let deadline = Instant::now() + limit;
    let work = async move {
        let permit = gate.acquire_owned().await;
        let slice = Cancel::until(deadline.min(Instant::now() + shared.config.search_slice));
        let engine = shared.engine();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&engine, &slice))) {
            Ok(Some(answer)) => return Ok(answer),
            Ok(None) => {}
            Err(_) => return Err(()),
        }
        drop(engine);
        blocking(shared, move |e| {
            let _permit = permit;
            f(e, &Cancel::until(deadline)).unwrap_or_else(|| too_long(limit))
        })
        .await
        .map_err(drop)
    };
    settle(limit, work).await
}

fn blocking<F>(shared: Arc<Shared>, f: F) -> tokio::task::JoinHandle<Answer>
where
    F: FnOnce(&Engine) -> Answer + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let engine = shared.engine();
        f(&engine)
    })
}

/// What a client is told when its request ran out of time: by the timer, or by the search
/// itself stopping at its deadline (which comes first is a race, so both say the same).
fn too_long(limit: Duration) -> Answer {
    Answer::Err(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("the request took longer than {}", human(limit)),
    )
}

/// The answer of a blocking task, or the error the client gets when it timed out or panicked.
async fn settle<W, E>(limit: Duration, work: W) -> Answer
where
    W: std::future::Future<Output = Result<Answer, E>>,
{
    match tokio::time::timeout(limit, work).await {
        Err(_) => too_long(limit),
        Ok(Err(_)) => Answer::Err(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error: the request failed unexpectedly (a bug; please report it)".into(),
        ),
        Ok(Ok(a)) => a,
    }
}

/// `/api/search` with the response cache: a repeated request on the same index generation is
/// answered from memory, marked `X-Pustaka-Cache: hit`.
async fn cached_search(shared: Arc<Shared>, raw: String) -> Result<Response, Infallible> {
    let engine = shared.engine();
    let epoch = shared.epoch.load(std::sync::atomic::Ordering::SeqCst);
    let generation = engine.generation() ^ epoch.rotate_left(40);
    if let Some(body) = shared.cached(&raw, generation) {
        let mut r = json_bytes(StatusCode::OK, body);
        r.headers_mut()
            .insert("x-pustaka-cache", header::HeaderValue::from_static("hit"));
        return Ok(r);
    }
    let p = Params(url_pairs(&raw).into_iter().collect());
    match answer_search(shared.clone(), move |e, cancel| search(e, &p, cancel)).await {
        Answer::Json(StatusCode::OK, bytes) if shared.cache.is_some() => {
            shared.remember(raw, generation, bytes.clone());
            Ok(json_bytes(StatusCode::OK, bytes))
        }
        a => Ok(respond(a)),
    }
}

/// `None` when `cancel` fired before the answer was whole.
fn search(engine: &Engine, p: &Params, cancel: &Cancel) -> Option<Answer> {
    let go = || -> Result<Option<Answer>, Answer> {
        p.only(&[
            "q",
            "limit",
            "offset",
            "lang",
            "doc",
            "section",
            "kind",
            "cite",
            "per_doc",
            "docs",
            "no_translate",
            "no_dense",
            "dense_weight",
        ])?;
        let q = p
            .text("q")
            .ok_or_else(|| bad("q is missing: /api/search?q=perdagangan+manusia"))?;
        let req = api::Search {
            query: q,
            limit: p.optional("limit")?,
            offset: p.optional("offset")?,
            lang: p.text("lang"),
            doc: p.text("doc"),
            section: p.text("section"),
            kind: p.text("kind"),
            cite: p.flag("cite")?,
            per_doc: p.optional("per_doc")?,
            no_translate: p.flag("no_translate")?,
            no_dense: p.flag("no_dense")?,
            dense_weight: p.optional("dense_weight")?,
            cancel: cancel.clone(),
        };
        if p.flag("docs")? {
            return Ok(unless_cancelled(req.answer_docs(engine)));
        }
        Ok(unless_cancelled(req.answer(engine)))
    };
    go().unwrap_or_else(Some)
}

/// The answer, or `None` for work its [`Cancel`] stopped.
fn unless_cancelled<T: Serialize>(r: crate::error::Result<T>) -> Option<Answer> {
    match r {
        Err(Error::Cancelled) => None,
        r => Some(reply(r)),
    }
}

fn passage(engine: &Engine, id: &str, p: &Params) -> Answer {
    let go = || -> Result<Answer, Answer> {
        p.only(&["context", "page"])?;
        let req = api::Show {
            id: id.to_string(),
            context: p.optional("context")?,
            page: p.flag("page")?,
        };
        Ok(reply(req.answer(engine)))
    };
    go().unwrap_or_else(|a| a)
}

fn cites(engine: &Engine, p: &Params) -> Answer {
    let go = || -> Result<Answer, Answer> {
        p.only(&["author", "year", "doc", "work", "limit", "offset"])?;
        let req = api::Cites {
            author: p.text("author"),
            year: p.text("year"),
            doc: p.text("doc"),
            work: p.text("work"),
            limit: p.optional("limit")?,
            offset: p.optional("offset")?,
        };
        Ok(reply(req.answer(engine)))
    };
    go().unwrap_or_else(|a| a)
}

fn cite(engine: &Engine, p: &Params) -> Answer {
    let go = || -> Result<Answer, Answer> {
        p.only(&["id"])?;
        let id = p
            .text("id")
            .ok_or_else(|| bad("id is missing: /api/cite?id=004_ee0b6ec72090fab7.txt%2312"))?;
        Ok(reply(api::Cite { id }.answer(engine)))
    };
    go().unwrap_or_else(|a| a)
}

fn top(engine: &Engine, p: &Params) -> Answer {
    let go = || -> Result<Answer, Answer> {
        p.only(&["n", "author", "year", "doc"])?;
        Ok(reply(
            api::Top {
                n: p.optional("n")?,
                author: p.text("author"),
                year: p.text("year"),
                doc: p.text("doc"),
            }
            .answer(engine),
        ))
    };
    go().unwrap_or_else(|a| a)
}

fn dupes(engine: &Engine, p: &Params, cancel: &Cancel) -> Answer {
    let go = || -> Result<Answer, Answer> {
        p.only(&[
            "min_similarity",
            "cross_doc",
            "limit",
            "claims",
            "min_claim",
            "include_formulaic",
            "formulaic",
            "translated",
            "kind",
            "count_all",
        ])?;
        let req = api::Dupes {
            min_similarity: p.optional("min_similarity")?,
            cross_doc: p.flag("cross_doc")?,
            limit: p.optional("limit")?,
            claims: p.flag("claims")?,
            min_claim: p.optional("min_claim")?,
            // `formulaic=` is the name before `include_formulaic=`, still understood.
            formulaic: p.flag("include_formulaic")? || p.flag("formulaic")?,
            translated: p.flag("translated")?,
            count_all: p.flag("count_all")?,
            kind: p
                .text("kind")
                .map(|k| k.parse())
                .transpose()
                .map_err(from_error)?,
        };
        Ok(reply(req.answer(engine, cancel)))
    };
    go().unwrap_or_else(|a| a)
}

/// `POST /api/check`: the manuscript is the body, read as `check FILE` reads a file
/// ([`api::Manuscript`]): its format from `filename=` or the `Content-Type`, a PDF or Word
/// file within the time the request has left ([`Upload::time_left`]), never by OCR (it reads
/// scanned pages from a file on disk, and an upload has none).
fn check(engine: &Engine, upload: Upload, p: &Params, cancel: &Cancel) -> Answer {
    let started = Instant::now();
    let go = || -> Result<Answer, Answer> {
        p.only(&[
            "min_similarity",
            "min_words",
            "include_quotes",
            "include_bibliography",
            "exclude_docs",
            "format",
            "filename",
        ])?;
        let html = match p.text("format").as_deref() {
            None | Some("json") => false,
            Some("html") => true,
            Some(f) => {
                return Err(bad(format!(
                    "unknown format {f:?}; format must be json or html"
                )))
            }
        };
        let name = p.text("filename");
        let manuscript = api::Manuscript {
            name: name.clone().unwrap_or_default(),
            media_type: upload.media_type,
            bytes: upload.body.to_vec(),
        };
        // The HTML report's title: the file's name, else what was sent.
        let title = match (&name, manuscript.format()) {
            (Some(name), _) => name.clone(),
            (None, Ok(crate::ingest::read::Format::Text)) => "pasted text".to_string(),
            (None, _) => "uploaded manuscript".to_string(),
        };
        let opts = crate::ingest::read::ReadOptions {
            ocr: false,
            max_time: Some(upload.time_left),
        };
        // A reader stopped at the request's deadline ran out of the request's time, not of
        // its file's: the client is told so, as when the request's timer comes first (which
        // of the two fires first is a race), not that its file is damaged.
        let read = manuscript.read(opts).map_err(|e| {
            if started.elapsed() >= upload.time_left {
                too_long(upload.limit)
            } else {
                from_error(e)
            }
        })?;
        let req = api::Check {
            text: read.text,
            unread: read.notes,
            min_similarity: p.optional("min_similarity")?,
            min_words: p.optional("min_words")?,
            include_quotes: p.flag("include_quotes")?,
            include_bibliography: p.flag("include_bibliography")?,
            exclude_docs: p
                .text("exclude_docs")
                .map(|d| d.split(',').map(String::from).collect())
                .unwrap_or_default(),
        };
        if !html {
            return Ok(reply(req.answer(engine, cancel)));
        }
        // The same self-contained page `check --format html` writes, for the page to open.
        let r = req.answer(engine, cancel).map_err(from_error)?;
        let body = crate::render::report_html::report_html(&r.report, &title);
        Ok(Answer::Typed(
            StatusCode::OK,
            "text/html; charset=utf-8",
            body.into(),
        ))
    };
    go().unwrap_or_else(|a| a)
}

/// A manuscript as `POST /api/check` receives it.
struct Upload {
    /// The request's body.
    body: bytes::Bytes,
    /// Its `Content-Type`, if it had one.
    media_type: Option<String>,
    /// What is left of the request's time when the work starts: a PDF's reader gets no more.
    time_left: Duration,
    /// The request's whole time, for the answer when it runs out ([`too_long`]).
    limit: Duration,
}

fn docs(engine: &Engine) -> Answer {
    reply(api::Docs::answer(engine))
}

/// `GET /api/docs/{doc}/file`: the document's original file, found through the index's own
/// record of what it read (the request names a document, never a path).
fn source(engine: &Engine, doc: String) -> Answer {
    match (api::Source { doc }).answer(engine) {
        Ok(f) => Answer::Typed(StatusCode::OK, f.media_type, f.bytes.into()),
        Err(e) => from_error(e),
    }
}

fn static_file(body: &'static str, mime: &'static str) -> Response {
    let mut r = Response::new(body.into());
    r.headers_mut()
        .insert(header::CONTENT_TYPE, header::HeaderValue::from_static(mime));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-cache"),
    );
    r
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// All routes, for `serve` and for tests: the reads, the heavy work (dupes, check) and the
/// static files of the web page, with every rejection answered in JSON by `recover`.
pub fn routes(
    shared: Arc<Shared>,
) -> impl Filter<Extract = (Response,), Error = Infallible> + Clone + Send + Sync + 'static {
    read_routes(shared.clone())
        .or(heavy_routes(shared))
        .unify()
        .or(static_routes())
        .unify()
        .recover(recover)
        .unify()
}

/// The shared state, handed to each handler.
fn with(
    shared: Arc<Shared>,
) -> impl Filter<Extract = (Arc<Shared>,), Error = Infallible> + Clone + Send + Sync + 'static {
    warp::any().map(move || shared.clone())
}

/// The query string as parameters (none when there is no query string).
fn params() -> impl Filter<Extract = (Params,), Error = Infallible> + Clone + Send + Sync + 'static
{
    warp::query::raw()
        .or(warp::any().map(String::new))
        .unify()
        .map(|raw: String| Params(url_pairs(&raw).into_iter().collect::<HashMap<_, _>>()))
}

/// The reads: each answered on the blocking pool under a search permit ([`run`]).
fn read_routes(
    shared: Arc<Shared>,
) -> impl Filter<Extract = (Response,), Error = warp::Rejection> + Clone + Send + Sync + 'static {
    let health = warp::path!("health")
        .and(warp::get())
        .and(params())
        .and(with(shared.clone()))
        .and_then(|p: Params, s: Arc<Shared>| run(s, move |e| p.none(|| health(e))));
    let search_r = warp::path!("api" / "search")
        .and(warp::get())
        .and(warp::query::raw().or(warp::any().map(String::new)).unify())
        .and(with(shared.clone()))
        .and_then(|raw: String, s: Arc<Shared>| cached_search(s, raw));
    let passage_r = warp::path!("api" / "passages" / String)
        .and(warp::get())
        .and(params())
        .and(with(shared.clone()))
        .and_then(|id: String, p: Params, s| {
            let id = percent_decode(&id);
            run(s, move |e| passage(e, &id, &p))
        });
    let cites_top = warp::path!("api" / "cites" / "top")
        .and(warp::get())
        .and(params())
        .and(with(shared.clone()))
        .and_then(|p: Params, s| run(s, move |e| top(e, &p)));
    let cites_r = warp::path!("api" / "cites")
        .and(warp::get())
        .and(params())
        .and(with(shared.clone()))
        .and_then(|p: Params, s| run(s, move |e| cites(e, &p)));
    let refs_r = warp::path!("api" / "refs" / String)
        .and(warp::get())
        .and(params())
        .and(with(shared.clone()))
        .and_then(|doc: String, p: Params, s| {
            let doc = percent_decode(&doc);
            run(s, move |e| refs(e, Some(doc), &p))
        });
    let refs_q = warp::path!("api" / "refs")
        .and(warp::get())
        .and(params())
        .and(with(shared.clone()))
        .and_then(|p: Params, s| run(s, move |e| refs(e, None, &p)));
    let cite_r = warp::path!("api" / "cite")
        .and(warp::get())
        .and(params())
        .and(with(shared.clone()))
        .and_then(|p: Params, s| run(s, move |e| cite(e, &p)));
    health
        .or(search_r)
        .unify()
        .or(passage_r)
        .unify()
        .or(cites_top)
        .unify()
        .or(cites_r)
        .unify()
        .or(refs_r)
        .unify()
        .or(refs_q)
        .unify()
        .or(cite_r)
        .unify()
        .or(index_routes(shared))
        .unify()
}

/// The reads about the index itself: its figures, its documents, a document's original file.
fn index_routes(
    shared: Arc<Shared>,
) -> impl Filter<Extract = (Response,), Error = warp::Rejection> + Clone + Send + Sync + 'static {
    let stats_r = warp::path!("api" / "stats")
        .and(warp::get())
        .and(params())
        .and(with(shared.clone()))
        .and_then(|p: Params, s| run(s, move |e| p.none(|| reply(stats::stats(e)))));
    let docs_r = warp::path!("api" / "docs")
        .and(warp::get())
        .and(params())
        .and(with(shared.clone()))
        .and_then(|p: Params, s| run(s, move |e| p.none(|| docs(e))));
    let file_r = warp::path!("api" / "docs" / String / "file")
        .and(warp::get())
        .and(params())
        .and(with(shared))
        .and_then(|doc: String, p: Params, s| {
            let doc = percent_decode(&doc);
            run(s, move |e| p.none(|| source(e, doc)))
        });
    stats_r.or(docs_r).unify().or(file_r).unify()
}

/// `GET /health`: the index answers, and how much it holds.
fn health(e: &Engine) -> Answer {
    match stats::stats(e) {
        Ok(st) => ok(&serde_json::json!({
            "status": "ok", "passages": st.passages, "documents": st.documents
        })),
        Err(err) => from_error(err),
    }
}

/// `GET /api/refs?doc=…&format=…` (or `/api/refs/{doc}`): a document's bibliography, as JSON
/// unless `format` names another of [`api::RefsFormat`], written as the CLI writes it.
fn refs(e: &Engine, in_path: Option<String>, p: &Params) -> Answer {
    let go = || -> Result<Answer, Answer> {
        p.only(if in_path.is_some() {
            &["format"]
        } else {
            &["doc", "format"]
        })?;
        let format = match p.text("format") {
            None => api::RefsFormat::Json,
            Some(f) => f.parse::<api::RefsFormat>().map_err(from_error)?,
        };
        let doc = in_path
            .clone()
            .or_else(|| p.text("doc"))
            .unwrap_or_default();
        let report = api::Refs { doc }.answer(e).map_err(from_error)?;
        let body = crate::render::refs(&report, format, crate::render::Style { color: false });
        Ok(Answer::Typed(
            StatusCode::OK,
            format.content_type(),
            body.into(),
        ))
    };
    go().unwrap_or_else(|a| a)
}

/// The heavy work, on the long-lived workers under a heavy permit, cancellable.
fn heavy_routes(
    shared: Arc<Shared>,
) -> impl Filter<Extract = (Response,), Error = warp::Rejection> + Clone + Send + Sync + 'static {
    let dupes_r = warp::path!("api" / "dupes")
        .and(warp::get())
        .and(params())
        .and(with(shared.clone()))
        .and_then(|p: Params, s| async move {
            Ok::<_, Infallible>(respond(answer_heavy(s, move |e, c| dupes(e, &p, c)).await))
        });
    let check_r = warp::path!("api" / "check")
        .and(warp::post())
        .and(warp::body::content_length_limit(MAX_BODY))
        .and(warp::body::bytes())
        .and(warp::header::optional::<String>("content-type"))
        .and(params())
        .and(with(shared))
        .and_then(
            |body: bytes::Bytes, media_type: Option<String>, p: Params, s: Arc<Shared>| async move {
                let (started, limit) = (Instant::now(), s.config.request_timeout);
                Ok::<_, Infallible>(respond(
                    answer_heavy(s, move |e, c| {
                        let time_left = limit.saturating_sub(started.elapsed());
                        let upload = Upload {
                            body,
                            media_type,
                            time_left,
                            limit,
                        };
                        check(e, upload, &p, c)
                    })
                    .await,
                ))
            },
        );
    dupes_r.or(check_r).unify()
}

/// The web page and the API's description.
fn static_routes(
) -> impl Filter<Extract = (Response,), Error = warp::Rejection> + Clone + Send + Sync + 'static {
    let openapi = warp::path!("api" / "openapi.json")
        .and(warp::get())
        .map(|| static_file(OPENAPI, "application/json; charset=utf-8"));
    let page = warp::path::end()
        .and(warp::get())
        .map(|| static_file(INDEX_HTML, "text/html; charset=utf-8"));
    let js = warp::path!("assets" / "app.js")
        .and(warp::get())
        .map(|| static_file(APP_JS, "text/javascript; charset=utf-8"));
    let css = warp::path!("assets" / "style.css")
        .and(warp::get())
        .map(|| static_file(STYLE_CSS, "text/css; charset=utf-8"));
    openapi.or(page).unify().or(js).unify().or(css).unify()
}

/// `a=1&b=x+y` → pairs, percent- and plus-decoded.
fn url_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}

async fn recover(r: Rejection) -> Result<Response, Infallible> {
    let (status, msg) = if r.is_not_found() {
        (
            StatusCode::NOT_FOUND,
            "no such path; the API is described at /api/openapi.json".to_string(),
        )
    } else if r.find::<warp::reject::PayloadTooLarge>().is_some() {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {MAX_BODY} bytes; check a draft in parts"),
        )
    } else if r.find::<warp::reject::LengthRequired>().is_some() {
        (
            StatusCode::LENGTH_REQUIRED,
            "send a Content-Length with the body".to_string(),
        )
    } else if r.find::<warp::reject::MethodNotAllowed>().is_some() {
        (
            StatusCode::METHOD_NOT_ALLOWED,
            "method not allowed here; see /api/openapi.json".to_string(),
        )
    } else {
        (StatusCode::BAD_REQUEST, format!("bad request: {r:?}"))
    };
    Ok(error_reply(status, &msg))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(e: Error) -> StatusCode {
        match from_error(e) {
            Answer::Err(s, _) | Answer::Json(s, _) | Answer::Typed(s, _, _) => s,
        }
    }

    /// A panic caught by `par` arrives as `Error::Internal`: our bug, so a 500, never a 400
    /// that would tell the client to fix a request that was fine.
    #[test]
    fn our_bugs_are_500s_and_the_clients_mistakes_400s() {
        let panic = crate::par::try_map(&[1], 1, |_: &i32| -> crate::Result<()> {
            panic!("a bug in alignment")
        })
        .unwrap_err();
        assert!(matches!(panic, Error::Internal(_)), "{panic:?}");
        assert_eq!(status(panic), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            status(Error::Invalid("limit".into())),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(status(Error::Query("\"".into())), StatusCode::BAD_REQUEST);
        assert_eq!(status(Error::NotFound("x#1".into())), StatusCode::NOT_FOUND);
        assert_eq!(status(Error::Cancelled), StatusCode::SERVICE_UNAVAILABLE);
    }
}

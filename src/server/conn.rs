//! Connections: our own accept loop over hyper, so that no client can hold the server.
//!
//! warp's `serve()` keeps a connection open as long as the client likes: ~20,000 idle ones
//! exhausted the file limit and every search then timed out. Here:
//! - at most [`super::ServerConfig::max_connections`] are served at once; the others wait in the
//!   kernel's accept backlog (they are accepted as soon as one closes, never refused);
//! - a request's headers must arrive within `header_timeout` of when the server starts waiting
//!   for them (hyper's own timer, which also runs while a kept-alive connection waits for its
//!   next request);
//! - a connection with no request in progress and no byte moving for `idle_timeout` is closed
//!   (a half-sent request line, an idle keep-alive, a client that stopped reading its answer);
//! - a request body must arrive whole within `body_timeout` (408, then the connection closes).

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use warp::http::{header, HeaderValue, Method, Request, StatusCode};
use warp::reply::Response;

use super::{error_reply, human, Shared};

/// Open connections now and at most so far (for tests and the soak script's figures).
#[derive(Debug, Default)]
pub struct Gauge {
    now: AtomicUsize,
    peak: AtomicUsize,
    entered: AtomicUsize,
}

impl Gauge {
    /// How many are in now: counted in on entry, out when their guard drops.
    pub fn now(&self) -> usize {
        self.now.load(Ordering::SeqCst)
    }

    /// The most that were ever in at once since the gauge was made: what a limit is checked
    /// against.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// How many have come in so far.
    pub fn accepted(&self) -> usize {
        self.entered.load(Ordering::SeqCst)
    }

    /// Counts one in until the returned guard is dropped.
    pub(crate) fn enter(self: &Arc<Self>) -> GaugeGuard {
        self.entered.fetch_add(1, Ordering::SeqCst);
        let n = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(n, Ordering::SeqCst);
        GaugeGuard(self.clone())
    }
}

pub(crate) struct GaugeGuard(Arc<Gauge>);

impl Drop for GaugeGuard {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// When a connection last moved a byte, and whether a request is being answered.
struct Activity {
    born: Instant,
    last_ms: AtomicU64,
    busy: AtomicUsize,
}

impl Activity {
    fn touch(&self) {
        let ms = self.born.elapsed().as_millis() as u64;
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// When the connection will have been idle for `idle`, counting from its last byte.
    fn idle_at(&self, idle: Duration) -> Instant {
        self.born + Duration::from_millis(self.last_ms.load(Ordering::Relaxed)) + idle
    }
}

/// A request in progress: the idle timer does not apply (a dupes may compute for seconds).
struct Busy(Arc<Activity>);

impl Busy {
    fn new(a: &Arc<Activity>) -> Busy {
        a.busy.fetch_add(1, Ordering::SeqCst);
        Busy(a.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.touch();
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The socket, noting every byte that moves.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl Tracked {
    fn note(&self, moved: usize) {
        if moved > 0 {
            self.activity.touch();
        }
    }
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        self.note(buf.filled().len() - before);
        r
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = &r {
            self.note(*n);
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A request body that must arrive whole before its deadline; past it, reading fails and
/// `late` is set, so the answer becomes a 408.
struct TimedBody {
    inner: Incoming,
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
    late: Arc<AtomicBool>,
}

impl TimedBody {
    fn new(inner: Incoming, limit: Duration, late: Arc<AtomicBool>) -> TimedBody {
        let deadline = (!inner.is_end_stream()).then(|| Box::pin(tokio::time::sleep(limit)));
        TimedBody {
            inner,
            deadline,
            late,
        }
    }
}

impl Body for TimedBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        if let Poll::Ready(f) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(f.map(|r| r.map_err(Into::into)));
        }
        match this.deadline.as_mut().map(|d| d.as_mut().poll(cx)) {
            Some(Poll::Ready(())) => {
                this.late.store(true, Ordering::SeqCst);
                Poll::Ready(Some(Err("the request body did not arrive in time".into())))
            }
            _ => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

type Answering = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// What every connection of one server shares.
struct Ctx {
    shared: Arc<Shared>,
    port: u16,
    /// The routes, as a service.
    service: Box<dyn Fn(Request<TimedBody>) -> Answering + Send + Sync>,
}

/// Serve on `listener` until `shutdown` resolves; then stop accepting, let the requests in
/// progress finish (within the request timeout) and return.
pub async fn serve(
    shared: Arc<Shared>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let cap = shared.config.max_connections.max(1);
    let routes =
        hyper_util::service::TowerToHyperService::new(warp::service(super::routes(shared.clone())));
    let ctx = Arc::new(Ctx {
        port: listener.local_addr().map_or(0, |a| a.port()),
        service: Box::new(move |req| Box::pin(hyper::service::Service::call(&routes, req))),
        shared,
    });
    let slots = Arc::new(Semaphore::new(cap));
    let (stop, stopped) = watch::channel(false);
    let trimmer = tokio::spawn(trim_when_quiet(ctx.shared.clone()));
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            _ = &mut shutdown => break,
            s = slots.clone().acquire_owned() => s.expect("the semaphore is never closed"),
        };
        let (stream, _) = tokio::select! {
            _ = &mut shutdown => break,
            r = listener.accept() => match r {
                Ok(s) => s,
                // Out of file descriptors or the like: wait rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        tokio::spawn(connection(ctx.clone(), stream, slot, stopped.clone()));
    }
    let _ = stop.send(true);
    trimmer.abort();
    let grace = ctx.shared.config.request_timeout + Duration::from_secs(1);
    let _ = tokio::time::timeout(grace, slots.acquire_many(cap as u32)).await;
}

/// Gives the memory freed after a burst back to the system once no connection is open.
///
/// glibc keeps what a thread freed in that thread's arena: after a load of 32 connections and
/// a few dupes the server held 3-4 times its idle memory for good (soak: 27 → 74 MB), though
/// nothing was in use any more. `malloc_trim` returns the free pages of every arena. The
/// `pustaka` command now allocates with mimalloc (src/main.rs), which gives freed pages back by
/// itself after a delay (soak: 102% of idle after the load); the trim is for a program on
/// glibc's allocator, such as this crate's tests.
async fn trim_when_quiet(shared: Arc<Shared>) {
    let mut seen = shared.connections.accepted();
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let now = shared.connections.accepted();
        if quiet(&shared) && now != seen {
            // Once the idle worker threads have exited, their thread-local memos are freed too.
            tokio::time::sleep(super::WORKER_KEEP_ALIVE + Duration::from_secs(1)).await;
            if quiet(&shared) {
                seen = now;
                let _ = tokio::task::spawn_blocking(trim).await;
            }
        }
    }
}

fn quiet(shared: &Shared) -> bool {
    shared.connections.now() == 0 && shared.heavy_running.now() == 0
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    extern "C" {
        fn malloc_trim(pad: usize) -> std::os::raw::c_int;
    }
    // SAFETY: malloc_trim only walks and madvises the allocator's own free lists.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}

/// One connection, from accept to close.
async fn connection(
    ctx: Arc<Ctx>,
    stream: TcpStream,
    slot: OwnedSemaphorePermit,
    mut stop: watch::Receiver<bool>,
) {
    // A tuple drops its fields in order: the gauge counts the connection out before the slot
    // lets the next one in, so the gauge never shows one more than the cap.
    let _open = (ctx.shared.connections.enter(), slot);
    let _ = stream.set_nodelay(true);
    let local = stream.local_addr().ok();
    let activity = Arc::new(Activity {
        born: Instant::now(),
        last_ms: AtomicU64::new(0),
        busy: AtomicUsize::new(0),
    });
    let io = TokioIo::new(Tracked {
        inner: stream,
        activity: activity.clone(),
    });
    let (c, a) = (ctx.clone(), activity.clone());
    let service = hyper::service::service_fn(move |req| handle(c.clone(), a.clone(), local, req));
    let cfg = &ctx.shared.config;
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(cfg.header_timeout);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let mut closing = false;
    loop {
        let idle_at = activity.idle_at(cfg.idle_timeout);
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = tokio::time::sleep_until(idle_at.into()) => {
                let idle = Instant::now() >= activity.idle_at(cfg.idle_timeout);
                if idle && activity.busy.load(Ordering::SeqCst) == 0 {
                    if closing {
                        return; // still stuck after a polite close: drop it
                    }
                    conn.as_mut().graceful_shutdown();
                    closing = true;
                    activity.touch();
                }
            }
            _ = stop.changed(), if !closing => {
                conn.as_mut().graceful_shutdown();
                closing = true;
            }
        }
    }
}

/// One request: the Host check, HEAD as GET without a body, the body deadline, the security
/// headers on every answer.
async fn handle(
    ctx: Arc<Ctx>,
    activity: Arc<Activity>,
    local: Option<SocketAddr>,
    mut req: Request<Incoming>,
) -> Result<Response, Infallible> {
    let _busy = Busy::new(&activity);
    let cfg = &ctx.shared.config;
    if let Err(why) = host_allowed(&req, local.map(|a| a.ip()), ctx.port, &cfg.allowed_hosts) {
        return Ok(secure(error_reply(StatusCode::MISDIRECTED_REQUEST, &why)));
    }
    // hyper remembers the method was HEAD and sends the headers (Content-Length included)
    // without the body.
    if req.method() == Method::HEAD {
        *req.method_mut() = Method::GET;
    }
    let late = Arc::new(AtomicBool::new(false));
    let req = req.map(|b| TimedBody::new(b, cfg.body_timeout, late.clone()));
    let resp = (ctx.service)(req).await?;
    if late.load(Ordering::SeqCst) {
        let msg = format!(
            "the request body did not arrive within {}",
            human(cfg.body_timeout)
        );
        let mut r = error_reply(StatusCode::REQUEST_TIMEOUT, &msg);
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return Ok(secure(r));
    }
    Ok(secure(resp))
}

/// The page runs only its own script and style, in no frame, and leaks no URL.
fn secure(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    r
}

/// `host[:port]` → (lowercased host, port); IPv6 literals keep their brackets.
fn split_host(value: &str) -> (String, Option<u16>) {
    let v = value.trim().to_ascii_lowercase();
    let (host, port) = match v.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && (h.ends_with(']') || !h.contains(':')) => {
            (h.to_string(), p.parse().ok().or(Some(0)))
        }
        _ => (v, None),
    };
    (host.trim_end_matches('.').to_string(), port)
}

fn literal(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v) => v.to_string(),
        IpAddr::V6(v) => format!("[{v}]"),
    }
}

/// A DNS-rebinding page reaches a loopback server under its own name: only the names of this
/// server (the address the client connected to; on loopback also `localhost`), with its port,
/// and the names allowed with `--allow-host` (any port: a proxy in front may use its own) pass.
fn host_allowed(
    req: &Request<Incoming>,
    local: Option<IpAddr>,
    port: u16,
    allowed: &[String],
) -> Result<(), String> {
    let Some(value) = req.headers().get(header::HOST) else {
        return Err("the Host header is missing".into());
    };
    let value = value.to_str().unwrap_or("");
    let (host, p) = split_host(value);
    if allowed.iter().any(|a| split_host(a).0 == host) {
        return Ok(());
    }
    let mut mine: Vec<String> = local.map(literal).into_iter().collect();
    if local.is_some_and(|ip| ip.is_loopback()) {
        mine.extend(["localhost", "127.0.0.1", "[::1]"].map(String::from));
    }
    if mine.contains(&host) && p.unwrap_or(80) == port {
        return Ok(());
    }
    let names: Vec<String> = mine.iter().map(|m| format!("{m}:{port}")).collect();
    Err(format!(
        "Host {value:?} is not this server: it answers to {} (a web page of another site must \
         not reach it); to serve another name, start it with `pustaka serve --allow-host NAME`",
        names.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::split_host;

    #[test]
    fn hosts_split_into_name_and_port() {
        assert_eq!(
            split_host("LocalHost:7700"),
            ("localhost".into(), Some(7700))
        );
        assert_eq!(split_host("[::1]:80"), ("[::1]".into(), Some(80)));
        assert_eq!(split_host("[::1]"), ("[::1]".into(), None));
        assert_eq!(split_host("example.org."), ("example.org".into(), None));
        assert_eq!(split_host("a:b"), ("a".into(), Some(0)));
    }
}

//! A PDF read in a child process: the one way to give a reader a memory budget, and to survive
//! what no thread can be kept from doing (PDFium's C++ crashing, an allocation that aborts,
//! a loop that would spin a core until the run ends).
//!
//! The CLI names its own executable with [`use_child`]; every PDF is then piped to a copy of it
//! started with [`ARG`], whose address space is capped (`RLIMIT_AS`) at [`memory_budget`] and
//! which is killed when its time budget runs out. The child runs the same in-process reader
//! (a worker thread, panics caught) and prints the result as JSON. Where no executable is
//! named (the library used from Rust, its tests) the reader stays in-process, as before.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::OnceLock;
use std::thread;
use std::time::Duration;

use super::{Extracted, Failure};

/// The first argument that makes `pustaka` a PDF reader child: bytes on stdin, JSON out.
pub const ARG: &str = "__read-pdf";

/// The environment variable that sets the memory budget of one PDF's reader, in MiB.
pub const MEMORY_ENV: &str = "PUSTAKA_PDF_MEMORY_MIB";

/// Address space every reader gets whatever the file's size: the executable and its
/// libraries are mapped in it, and allocator arenas reserve more than they use.
const BASE_MEMORY: u64 = 1024 * 1024 * 1024;

/// Address space added per byte of file: a parsed PDF lives beside its bytes, a few times their
/// size, and its pages are inflated and laid out one at a time.
const MEMORY_PER_BYTE: u64 = 8;

static EXE: OnceLock<PathBuf> = OnceLock::new();

/// Read every later PDF in a child process started from `exe` (the running `pustaka`).
pub fn use_child(exe: PathBuf) {
    let _ = EXE.set(exe);
}

/// The executable PDFs are read by, if one was named.
pub fn child_exe() -> Option<&'static Path> {
    EXE.get().map(PathBuf::as_path)
}

/// The memory budget of the reader of a file of `len` bytes: [`MEMORY_ENV`] if set (MiB),
/// else a base plus a share per byte.
pub fn memory_budget(len: usize) -> u64 {
    let from_env = std::env::var(MEMORY_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok());
    match from_env {
        Some(mib) => mib.saturating_mul(1024 * 1024),
        None => BASE_MEMORY.saturating_add(MEMORY_PER_BYTE.saturating_mul(len as u64)),
    }
}

/// What the child prints: the reader's result, a skip reason being a result too.
type Answer = Result<Extracted, String>;

/// Why a child gave no answer, beyond what [`Failure`] covers for a thread.
#[derive(Debug)]
pub enum ChildFailure {
    /// As a worker thread fails: a panic, or the time budget ran out (the child is killed).
    Thread(Failure),
    /// The reader wanted more memory than its budget (in bytes).
    OutOfMemory(u64),
    /// The child ended without an answer: a crash (the signal), or it could not be started.
    Crashed(String),
}

/// Read `bytes` in a child started from `exe`, within `budget` and the memory budget.
pub fn extract(exe: &Path, bytes: Vec<u8>, budget: Duration) -> Result<Answer, ChildFailure> {
    let memory = memory_budget(bytes.len());
    let mut child = spawn(exe, memory).map_err(|e| {
        ChildFailure::Crashed(format!("cannot start the reader ({}): {e}", exe.display()))
    })?;
    let stdin = child.stdin.take();
    let feeder = thread::spawn(move || {
        // A child that dies early closes the pipe: its status says why, not this write.
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(&bytes);
        }
    });
    let output = collect(&mut child);
    let answer = match output.recv_timeout(budget) {
        Ok(out) => out,
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ChildFailure::Thread(Failure::TimedOut));
        }
    };
    let status = child
        .wait()
        .map_err(|e| ChildFailure::Crashed(e.to_string()))?;
    let _ = feeder.join();
    let (stdout, stderr) = answer;
    if status.success() {
        return serde_json::from_slice::<Result<Answer, String>>(&stdout)
            .map_err(|e| ChildFailure::Crashed(format!("unreadable answer: {e}")))?
            .map_err(|panic| ChildFailure::Thread(Failure::Panicked(panic)));
    }
    Err(died(status, &stderr, memory))
}

fn spawn(exe: &Path, memory: u64) -> std::io::Result<Child> {
    let mut cmd = Command::new(exe);
    cmd.arg(ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cap_memory(&mut cmd, memory);
    cmd.spawn()
}

/// How much address space the child's allocator reserves at a time. mimalloc (the `pustaka`
/// command's allocator, src/main.rs) reserves 1 GiB by default, over a small budget on its own: the
/// reader then could not even map a thread's stack. 64 MiB steps keep the cap a cap on what is
/// used.
#[cfg(unix)]
const ALLOCATOR_RESERVE: (&str, &str) = ("MIMALLOC_ARENA_RESERVE", "64MiB");

#[cfg(unix)]
fn cap_memory(cmd: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    cmd.env(ALLOCATOR_RESERVE.0, ALLOCATOR_RESERVE.1);
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit is async-signal-safe and touches nothing of the parent's memory.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Elsewhere there is no address-space cap; the time budget and the page budget still hold.
#[cfg(not(unix))]
fn cap_memory(_cmd: &mut Command, _bytes: u64) {}

/// The child's stdout and stderr, read to their end on threads of their own (so neither pipe
/// fills and stalls it), delivered together once both are closed.
fn collect(child: &mut Child) -> mpsc::Receiver<(Vec<u8>, Vec<u8>)> {
    let (tx, rx) = mpsc::channel();
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    thread::spawn(move || {
        let err = thread::spawn(move || read_all(stderr.as_mut()));
        let out = read_all(stdout.as_mut());
        let _ = tx.send((out, err.join().unwrap_or_default()));
    });
    rx
}

fn read_all(pipe: Option<&mut impl Read>) -> Vec<u8> {
    let mut buf = Vec::new();
    if let Some(p) = pipe {
        let _ = p.read_to_end(&mut buf);
    }
    buf
}

/// Why a child ended without success: out of memory when the allocator said so, else how.
fn died(status: ExitStatus, stderr: &[u8], memory: u64) -> ChildFailure {
    let said = String::from_utf8_lossy(stderr);
    if said.contains("memory allocation of") || said.contains("out of memory") {
        return ChildFailure::OutOfMemory(memory);
    }
    ChildFailure::Crashed(ended(status))
}

#[cfg(unix)]
fn ended(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.signal(), status.code()) {
        (Some(sig), _) => format!("the reader crashed (signal {sig})"),
        (None, Some(code)) => format!("the reader exited with status {code}"),
        _ => "the reader ended without an answer".into(),
    }
}

#[cfg(not(unix))]
fn ended(status: ExitStatus) -> String {
    format!("the reader ended without an answer ({status})")
}

/// The child's side: read the PDF from stdin, extract it on a worker thread (panics caught),
/// print the answer as JSON. A panic is an answer too (`Err` outside); only a crash or the
/// allocator's abort ends the process without one.
pub fn serve() -> std::process::ExitCode {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("pustaka {ARG}: cannot read the PDF from stdin: {e}");
        return std::process::ExitCode::from(2);
    }
    // The parent keeps the time; here the budget only has to outlast it.
    let answer: Result<Answer, String> =
        match super::isolated(Duration::from_secs(24 * 3600), move || {
            super::extract_here(&bytes)
        }) {
            Ok(answer) => Ok(answer),
            Err(Failure::Panicked(msg)) => Err(msg),
            Err(Failure::TimedOut) => Err("timed out".into()),
        };
    let mut out = std::io::stdout().lock();
    let written = serde_json::to_writer(&mut out, &answer)
        .map_err(std::io::Error::from)
        .and_then(|()| out.flush());
    match written {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pustaka {ARG}: cannot write the answer: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

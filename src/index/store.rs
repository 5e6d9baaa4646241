//! Storage: the index directory, which files in it are pustaka's, and how a new index replaces
//! an old one without a moment in which neither is there.
//!
//! ```text
//! index/
//!   pustaka.lock      held (flock) by the one run that writes; never deleted
//!   CURRENT           the name of the live generation, replaced by an atomic rename
//!   gen-000007/       a complete tantivy index: the live one
//!   gen-000008/       a rebuild in progress, or the leftover of a run that died
//! ```
//!
//! Why generations and a pointer file instead of renaming directories: a rename of a whole
//! directory over another is not atomic (the old one must first move away), so a kill between
//! the two renames left no index at all. Here the only step that changes what readers see is
//! the rename of `CURRENT.tmp` over `CURRENT`, which is atomic: before it the old generation is
//! live, after it the new one. Any other generation is garbage the next writer sweeps.
//!
//! Why a lock file of our own: tantivy's writer lock lives inside a tantivy directory, which a
//! first build has not created yet, so two first builds could both create one. `pustaka.lock`
//! is taken before anything else is written, on every path that writes.
//!
//! Reading never writes: [`state`] only looks, and a reader that finds a build under way says
//! so instead of building one of its own.
//!
//! Only files pustaka wrote are ever deleted: a directory that holds anything else is refused
//! as an index directory ([`State::Foreign`]).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

const LOCK: &str = "pustaka.lock";
const CURRENT: &str = "CURRENT";
const CURRENT_TMP: &str = "CURRENT.tmp";
const GEN_PREFIX: &str = "gen-";
/// Files a directory may hold and still count as empty: the bundled `index/` ships a README.
const HARMLESS: [&str; 3] = ["README.md", ".gitkeep", ".gitignore"];
/// What tantivy writes at the top of its directory besides segment files (the layout of
/// pustaka before generations, which is recognised so that it can be replaced).
const TANTIVY_FIXED: [&str; 4] = [
    "meta.json",
    ".managed.json",
    ".tantivy-meta.lock",
    ".tantivy-writer.lock",
];

/// What is at an index directory, as far as a reader can tell without writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// No directory, or one with nothing of ours that counts: a first build may make one.
    Absent,
    /// A first build holds the lock and has not published an index yet.
    Building,
    /// A live generation: its name and directory.
    Ready {
        /// The name `CURRENT` holds (`gen-000007`).
        generation: String,
        /// That generation's directory inside the index directory: what tantivy opens.
        path: PathBuf,
    },
    /// An index in the layout of an older pustaka (tantivy files at the top): rebuild it.
    Legacy,
    /// `CURRENT` names a generation that is not there, or cannot be read.
    Broken(String),
    /// The directory holds files that are not pustaka's: it must not be used as an index.
    Foreign(Vec<String>),
}

/// Look at `dir` without changing anything.
pub fn state(dir: &Path) -> State {
    let Ok(entries) = fs::read_dir(dir) else {
        return State::Absent;
    };
    let names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if let Some(current) = read_current(dir) {
        return match current {
            Ok(g) if dir.join(&g).join("meta.json").is_file() => State::Ready {
                path: dir.join(&g),
                generation: g,
            },
            Ok(g) => State::Broken(format!("its live generation {g} is missing")),
            Err(why) => State::Broken(why),
        };
    }
    if names.iter().any(|n| n == "meta.json") && is_legacy(dir) {
        return State::Legacy;
    }
    let foreign: Vec<String> = names.into_iter().filter(|n| !is_ours(n)).collect();
    if !foreign.is_empty() {
        return State::Foreign(foreign);
    }
    if lock_is_held(dir) {
        State::Building
    } else {
        State::Absent
    }
}

/// The name of the live generation, for noticing that a rebuild replaced it.
pub fn current_generation(dir: &Path) -> Option<String> {
    read_current(dir)?.ok()
}

fn read_current(dir: &Path) -> Option<Result<String, String>> {
    let raw = match fs::read(dir.join(CURRENT)) {
        Ok(raw) => raw,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(Err(format!("its CURRENT file cannot be read ({e})"))),
    };
    let name = String::from_utf8_lossy(&raw).trim().to_string();
    if is_generation(&name) {
        Some(Ok(name))
    } else {
        Some(Err(format!(
            "its CURRENT file does not name a generation ({:?})",
            name.chars().take(40).collect::<String>()
        )))
    }
}

fn is_generation(name: &str) -> bool {
    name.strip_prefix(GEN_PREFIX)
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_ours(name: &str) -> bool {
    name == LOCK
        || name == CURRENT
        || name == CURRENT_TMP
        || is_generation(name)
        || HARMLESS.contains(&name)
}

/// A tantivy index at the top of `dir` whose commit payload is a pustaka manifest.
fn is_legacy(dir: &Path) -> bool {
    let Ok(raw) = fs::read_to_string(dir.join("meta.json")) else {
        return false;
    };
    let Ok(meta) = serde_json::from_str::<serde_json::Value>(&raw) else {
        return false;
    };
    meta["payload"]
        .as_str()
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
        .is_some_and(|p| {
            p.get("version").is_some()
                && (p.get("files").is_some() || p.get("files_table").is_some())
        })
}

/// Whether a writer holds the lock. Opens the lock file read-only: looking is not writing.
fn lock_is_held(dir: &Path) -> bool {
    let Ok(f) = File::open(dir.join(LOCK)) else {
        return false;
    };
    match f.try_lock_shared() {
        Ok(()) => {
            let _ = f.unlock();
            false
        }
        Err(_) => true,
    }
}

/// The right to write an index directory, held until dropped. Everything that changes the
/// directory is a method of this type, so nothing writes without the lock.
pub struct WriteLock {
    dir: PathBuf,
    _file: File,
}

/// How long taking a lock held by someone else is retried before the run gives up. A lock is
/// also held for an instant by any process this one starts (a child holds the parent's open
/// files from its fork until its exec), so a run that ended a moment ago may still look like
/// it holds it: a second run in the same process saw `Locked` under load. A writer that
/// really holds the lock holds it for seconds at least.
pub const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);
const LOCK_STEP: std::time::Duration = std::time::Duration::from_millis(25);

/// Take the write lock on `dir`, creating the directory if needed. Refuses a directory that
/// holds files pustaka did not write, and a lock held by another run.
pub fn lock(dir: &Path) -> Result<WriteLock> {
    if let State::Foreign(names) = state(dir) {
        return Err(foreign_error(dir, &names));
    }
    fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let path = dir.join(LOCK);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| io_error(&path, e))?;
    let mut waited = std::time::Duration::ZERO;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(fs::TryLockError::WouldBlock) if waited < LOCK_PATIENCE => {
                std::thread::sleep(LOCK_STEP);
                waited += LOCK_STEP;
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::Locked {
                    dir: dir.to_path_buf(),
                })
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_error(&path, e)),
        }
    }
    // Checked again under the lock: another run may have written between the look and the lock.
    if let State::Foreign(names) = state(dir) {
        return Err(foreign_error(dir, &names));
    }
    Ok(WriteLock {
        dir: dir.to_path_buf(),
        _file: file,
    })
}

fn foreign_error(dir: &Path, names: &[String]) -> Error {
    let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
    let more = if names.len() > 5 {
        format!(" and {} more", names.len() - 5)
    } else {
        String::new()
    };
    Error::Invalid(format!(
        "{} is not a pustaka index and is not empty (it holds {}{more}); pustaka will not write \
         into it: give --index a new or empty directory",
        dir.display(),
        shown.join(", ")
    ))
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Write `bytes` as the file `name` of the generation directory `generation`, beside and
/// renamed over the old one: a reader sees the old file or the new, never part of one. For
/// pustaka's own files there (the formulaic flags); tantivy writes its own.
pub(crate) fn write_into_generation(generation: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = generation.join(format!("{name}.tmp"));
    replace_file(&generation.join(name), &tmp, bytes)
}

/// Write `bytes` to `tmp`, then rename it over `path`: a reader of `path` sees the old file or
/// the new, never part of one. Every file pustaka writes in place of an older one goes so.
pub(crate) fn replace_file(path: &Path, tmp: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(tmp, bytes).map_err(|e| io_error(tmp, e))?;
    fs::rename(tmp, path).map_err(|e| io_error(path, e))
}

/// [`replace_file`] for a file outside any generation (a metastore, its flags): written first
/// to its own name with `.tmp-PID` added, a name of this process's that no other file of
/// pustaka's shares.
pub(crate) fn replace_file_beside(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = path.file_name().unwrap_or_default().to_os_string();
    tmp.push(format!(".tmp-{}", std::process::id()));
    replace_file(path, &path.with_file_name(tmp), bytes)
}

impl WriteLock {
    /// The directory this lock guards.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What is there now (the lock holder sees no `Building`).
    pub fn state(&self) -> State {
        match state(&self.dir) {
            State::Building => State::Absent,
            s => s,
        }
    }

    /// A new, empty generation directory, numbered after every generation present.
    pub fn new_generation(&self) -> Result<(String, PathBuf)> {
        let next = self
            .generations()
            .iter()
            .filter_map(|g| gen_number(g))
            .max()
            .unwrap_or(0)
            + 1;
        let name = format!("{GEN_PREFIX}{next:06}");
        let path = self.dir.join(&name);
        fs::create_dir(&path).map_err(|e| io_error(&path, e))?;
        Ok((name, path))
    }

    /// Make `generation` the live index: one atomic rename, made durable before it returns.
    pub fn publish(&self, generation: &str) -> Result<()> {
        let tmp = self.dir.join(CURRENT_TMP);
        let mut f = File::create(&tmp).map_err(|e| io_error(&tmp, e))?;
        writeln!(f, "{generation}").map_err(|e| io_error(&tmp, e))?;
        f.sync_all().map_err(|e| io_error(&tmp, e))?;
        drop(f);
        failpoint("publish:before-rename");
        let current = self.dir.join(CURRENT);
        fs::rename(&tmp, &current).map_err(|e| io_error(&current, e))?;
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        failpoint("publish:after-rename");
        Ok(())
    }

    /// Delete what dead or finished runs left: generations that are not live, a stray
    /// `CURRENT.tmp`, the tantivy files of the older layout once a generation is live, and the
    /// `.NAME.new-PID` / `.NAME.old-PID` directories older versions built beside the index.
    /// Returns how many were removed.
    pub fn sweep(&self) -> usize {
        let live = current_generation(&self.dir);
        let mut removed = 0;
        for g in self.generations() {
            if Some(&g) != live.as_ref() && fs::remove_dir_all(self.dir.join(&g)).is_ok() {
                removed += 1;
            }
        }
        if live.is_some() {
            let _ = fs::remove_file(self.dir.join(CURRENT_TMP));
            removed += self.sweep_legacy_files();
        }
        removed + self.sweep_old_siblings()
    }

    fn generations(&self) -> Vec<String> {
        fs::read_dir(&self.dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| is_generation(n))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The files tantivy listed as its own in the older layout, and its fixed files.
    fn sweep_legacy_files(&self) -> usize {
        let mut names: Vec<String> = fs::read_to_string(self.dir.join(".managed.json"))
            .ok()
            .and_then(|raw| serde_json::from_str::<Vec<String>>(&raw).ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|n| is_segment_file(n))
            .collect();
        names.extend(TANTIVY_FIXED.iter().map(|s| s.to_string()));
        names
            .iter()
            .filter(|n| fs::remove_file(self.dir.join(n)).is_ok())
            .count()
    }

    fn sweep_old_siblings(&self) -> usize {
        let (Some(name), Some(parent)) = (self.dir.file_name(), self.dir.parent()) else {
            return 0;
        };
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let name = name.to_string_lossy();
        let Ok(rd) = fs::read_dir(parent) else {
            return 0;
        };
        rd.filter_map(|e| e.ok())
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                old_sibling_pid(&n, &name).is_some_and(|pid| !process_alive(pid))
                    && e.path().join("meta.json").is_file()
            })
            .filter(|e| fs::remove_dir_all(e.path()).is_ok())
            .count()
    }
}

/// `.index.new-1234` → 1234 for the index directory `index`.
fn old_sibling_pid(entry: &str, name: &str) -> Option<u32> {
    let rest = entry.strip_prefix('.')?.strip_prefix(name)?;
    let pid = rest
        .strip_prefix(".new-")
        .or_else(|| rest.strip_prefix(".old-"))?;
    pid.parse().ok()
}

fn process_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

fn gen_number(name: &str) -> Option<u64> {
    name.strip_prefix(GEN_PREFIX)?.parse().ok()
}

/// A tantivy segment file: a 32-digit hex segment id and an extension.
pub(crate) fn is_segment_file(name: &str) -> bool {
    let (stem, ext) = name.split_once('.').unwrap_or((name, ""));
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && !ext.contains('/')
}

/// Stop the process here when `PUSTAKA_FAILPOINT` names this point, as a crash or a kill would:
/// the fault-injection tests use it to stop a build at each rename and commit. With
/// `NAME:sleep=MS` it pauses instead, so a test can act while a build is at that point.
pub fn failpoint(name: &str) {
    static SET: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let Some(spec) = SET.get_or_init(|| std::env::var("PUSTAKA_FAILPOINT").ok()) else {
        return;
    };
    let (point, sleep) = match spec.rsplit_once(":sleep=") {
        Some((point, ms)) => (point, ms.parse().ok()),
        None => (spec.as_str(), None),
    };
    if point != name {
        return;
    }
    match sleep {
        Some(ms) => {
            eprintln!("pustaka: failpoint {name}: sleeping {ms} ms");
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        None => {
            eprintln!("pustaka: failpoint {name}: aborting");
            std::process::abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("pustaka-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn a_directory_with_other_files_is_foreign_and_refused() {
        let d = scratch("foreign");
        fs::create_dir_all(d.join("figures")).unwrap();
        fs::write(d.join("thesis.tex"), "x").unwrap();
        assert!(matches!(state(&d), State::Foreign(n) if n.len() == 2));
        let err = lock(&d).err().unwrap().to_string();
        assert!(err.contains("not a pustaka index"), "{err}");
        assert!(!d.join(LOCK).exists(), "refusing must not write");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_readme_alone_is_empty_and_a_second_lock_is_refused() {
        let d = scratch("readme");
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join("README.md"), "x").unwrap();
        assert_eq!(state(&d), State::Absent);
        let held = lock(&d).unwrap();
        assert_eq!(state(&d), State::Building);
        assert!(matches!(lock(&d), Err(Error::Locked { .. })));
        drop(held);
        assert_eq!(state(&d), State::Absent);
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn publish_switches_generations_and_sweep_keeps_only_the_live_one() {
        let d = scratch("publish");
        let l = lock(&d).unwrap();
        let (g1, p1) = l.new_generation().unwrap();
        fs::write(p1.join("meta.json"), "{}").unwrap();
        l.publish(&g1).unwrap();
        let (g2, p2) = l.new_generation().unwrap();
        assert!(gen_number(&g2) > gen_number(&g1));
        fs::write(p2.join("meta.json"), "{}").unwrap();
        assert!(matches!(state(&d), State::Ready { generation, .. } if generation == g1));
        l.publish(&g2).unwrap();
        assert_eq!(l.sweep(), 1);
        assert!(!p1.exists() && p2.exists());
        assert_eq!(current_generation(&d), Some(g2));
        drop(l);
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_current_naming_nothing_is_broken() {
        let d = scratch("broken");
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join(CURRENT), "gen-000009\n").unwrap();
        assert!(matches!(state(&d), State::Broken(_)));
        fs::write(d.join(CURRENT), "../../etc\n").unwrap();
        assert!(matches!(state(&d), State::Broken(_)));
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn old_layout_siblings_are_recognised_by_name_and_pid() {
        assert_eq!(old_sibling_pid(".idx.new-42", "idx"), Some(42));
        assert_eq!(old_sibling_pid(".idx.old-7", "idx"), Some(7));
        assert_eq!(old_sibling_pid(".idx2.new-42", "idx"), None);
        assert_eq!(old_sibling_pid("idx.new-42", "idx"), None);
        assert!(is_segment_file("1249ecf0ce2d496a84ffe9c48788e730.store"));
        assert!(!is_segment_file("notes.md"));
    }
}

//! OCR: the text of scanned PDF pages, read by Debian's `tesseract` (`pustaka index --ocr`).
//!
//! OCR is slow (seconds a page) and needs programs pustaka cannot ship, so it runs only when
//! asked, and every way it can fail is a reason a user can act on, never a stopped run: no
//! tesseract, no Indonesian language data, a page image in an encoding we cannot hand over, a
//! page that takes too long.
//!
//! A page's image comes from `pdftoppm` (poppler-utils) when it is there: it renders whatever
//! the page holds (several images, masks, any encoding). Without it, the page's own image is
//! taken out of the PDF with lopdf, which covers what scanners write (one JPEG a page, or
//! 8-bit grey or RGB pixels compressed with Flate). The images go into a temporary directory
//! of our own, and tesseract reads them as a child process that is killed when its page's time
//! runs out. Everything here is I/O around two pure helpers ([`missing_languages`],
//! [`netpbm`]).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use lopdf::Document as Pdf;

/// The tesseract to run: this variable's value when set (a path, or a name looked up on
/// `PATH`), else `tesseract`. Tests point it at a missing program; a user at a tesseract
/// of their own.
pub const TESSERACT_ENV: &str = "PUSTAKA_TESSERACT";

/// The pdftoppm to run, as [`TESSERACT_ENV`]; set to a missing program, the images are taken
/// out of the PDF with lopdf.
pub const PDFTOPPM_ENV: &str = "PUSTAKA_PDFTOPPM";

/// Time one page gets, rendering and recognition each: tesseract reads a dense 300 dpi page in
/// about ten seconds on a slow core; a page that takes far longer is a poster-sized image or
/// a hung process.
pub const PAGE_BUDGET: Duration = Duration::from_secs(180);

/// Time `tesseract --list-langs` gets: it reads a directory.
const PROBE_BUDGET: Duration = Duration::from_secs(30);

/// The languages pages are read in: Indonesian first (the corpus's main language, whose
/// dictionary also knows the English loans), then English.
const LANGS: &str = "ind+eng";

/// The resolution pages are rendered at: what tesseract is trained for.
const DPI: &str = "300";

/// What a user installs to have OCR, as the messages say it.
const INSTALL: &str = "sudo apt-get install tesseract-ocr tesseract-ocr-ind";

/// Text OCR'd from pages of a PDF.
#[derive(Debug, Clone, Default)]
pub struct Recognized {
    /// The text of each page read (1-based), as tesseract gave it.
    pub texts: BTreeMap<u32, String>,
    /// Pages that could not be read, with why.
    pub failed: BTreeMap<u32, String>,
}

/// The programs OCR runs, found and checked.
struct Tools {
    tesseract: OsString,
    /// `None`: not installed, the images come out of the PDF.
    pdftoppm: Option<OsString>,
}

/// Pages (1-based) of the PDF at `path` read by tesseract. `Err` when OCR cannot run at all
/// (no tesseract, no Indonesian data, no temporary directory), with what to install.
pub fn recognize(path: &Path, pages: &[u32]) -> Result<Recognized, String> {
    let tools = Tools::find()?;
    let dir = TempDir::new()?;
    let mut out = Recognized::default();
    let mut embedded = None;
    for &n in pages {
        let image = match &tools.pdftoppm {
            Some(bin) => render(bin, path, n, &dir),
            None => embedded
                .get_or_insert_with(|| Embedded::load(path))
                .write(n, &dir),
        };
        let read = image.and_then(|img| {
            let text = tesseract(&tools.tesseract, &img);
            dir.remove(&img);
            text
        });
        match read {
            Ok(text) => out.texts.insert(n, text),
            Err(why) => out.failed.insert(n, why),
        };
    }
    Ok(out)
}

impl Tools {
    fn find() -> Result<Tools, String> {
        let tesseract = program(TESSERACT_ENV, "tesseract");
        let mut probe = Command::new(&tesseract);
        probe.arg("--list-langs");
        let listed = match run(probe, PROBE_BUDGET) {
            Ok(out) => out,
            Err(Run::Spawn(e)) if e.kind() == io::ErrorKind::NotFound => {
                return Err(no_tesseract(&tesseract))
            }
            Err(e) => {
                return Err(format!(
                    "tesseract ({}) does not run: {e}; reinstall it: {INSTALL}",
                    tesseract.to_string_lossy()
                ))
            }
        };
        let missing = missing_languages(&listed);
        if !missing.is_empty() {
            return Err(no_languages(&missing));
        }
        let pdftoppm = program(PDFTOPPM_ENV, "pdftoppm");
        let mut probe = Command::new(&pdftoppm);
        probe.arg("-v");
        let pdftoppm = run(probe, PROBE_BUDGET).is_ok().then_some(pdftoppm);
        Ok(Tools {
            tesseract,
            pdftoppm,
        })
    }
}

/// The program to run for `var`: its value, else `default` (found on `PATH`).
fn program(var: &str, default: &str) -> OsString {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.into())
}

fn no_tesseract(bin: &OsString) -> String {
    let set = std::env::var_os(TESSERACT_ENV).map_or(String::new(), |_| {
        format!(" ({TESSERACT_ENV}={})", bin.to_string_lossy())
    });
    format!(
        "tesseract not found{set}; --ocr needs Debian's tesseract-ocr and tesseract-ocr-ind: \
         {INSTALL}"
    )
}

fn no_languages(missing: &[&str]) -> String {
    let packages: Vec<String> = missing
        .iter()
        .map(|l| format!("tesseract-ocr-{l}"))
        .collect();
    format!(
        "tesseract has no language data for {} ({}); --ocr needs Debian's {}: sudo apt-get \
         install {}",
        missing.join(" and "),
        missing
            .iter()
            .map(|l| if *l == "ind" { "Indonesian" } else { "English" })
            .collect::<Vec<_>>()
            .join(", "),
        packages.join(" and "),
        packages.join(" ")
    )
}

/// The languages of [`LANGS`] that `tesseract --list-langs` (its output) does not list. Its
/// first line is a header (`List of available languages in "…" (3):`), then one code a line.
pub fn missing_languages(listed: &str) -> Vec<&'static str> {
    let have: Vec<&str> = listed.lines().skip(1).map(str::trim).collect();
    LANGS.split('+').filter(|l| !have.contains(l)).collect()
}

/// Page `n` rendered by pdftoppm in grey at [`DPI`], as a PGM in `dir`.
fn render(bin: &OsString, pdf: &Path, n: u32, dir: &TempDir) -> Result<PathBuf, String> {
    let stem = dir.path.join(format!("page-{n}"));
    let image = stem.with_extension("pgm");
    dir.claim(&image);
    let mut cmd = Command::new(bin);
    let page = n.to_string();
    cmd.args(["-r", DPI, "-gray", "-singlefile", "-f", &page, "-l", &page])
        .arg(pdf)
        .arg(&stem);
    match run(cmd, PAGE_BUDGET) {
        Ok(_) if image.is_file() => Ok(image),
        Ok(_) => Err("pdftoppm wrote no image".to_string()),
        Err(e) => Err(format!("pdftoppm failed: {e}")),
    }
}

/// The page's text by tesseract, in [`LANGS`].
fn tesseract(bin: &OsString, image: &Path) -> Result<String, String> {
    let mut cmd = Command::new(bin);
    cmd.arg(image).arg("stdout").args(["-l", LANGS]);
    run(cmd, PAGE_BUDGET).map_err(|e| format!("tesseract failed: {e}"))
}

/// Why a child process gave no output.
#[derive(Debug)]
enum Run {
    /// It could not be started.
    Spawn(io::Error),
    /// It ran out of time and was killed.
    TimedOut(Duration),
    /// It exited with an error, saying this on stderr.
    Failed(String),
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Run::Spawn(e) => write!(f, "cannot start it ({e})"),
            Run::TimedOut(t) => write!(f, "killed after {} s", t.as_secs()),
            Run::Failed(why) => f.write_str(why),
        }
    }
}

/// `cmd`'s standard output, the process killed if it runs past `budget`. Its output is read
/// on threads while it runs, so a page of text larger than a pipe's buffer cannot stall it.
fn run(mut cmd: Command, budget: Duration) -> Result<String, Run> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(Run::Spawn)?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = wait(&mut child, budget);
    let (out, err) = (collect(stdout), collect(stderr));
    match status {
        Some(s) if s.success() => Ok(String::from_utf8_lossy(&out).into_owned()),
        Some(s) => {
            let err = String::from_utf8_lossy(&err);
            let last = err.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
            Err(Run::Failed(format!("{s}: {}", last.trim())))
        }
        None => Err(Run::TimedOut(budget)),
    }
}

/// Its exit status, or `None` after killing it when `budget` ran out first.
fn wait(child: &mut Child, budget: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if start.elapsed() < budget => thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

type Drain = Option<thread::JoinHandle<Vec<u8>>>;

fn drain(pipe: Option<impl Read + Send + 'static>) -> Drain {
    pipe.map(|mut p| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = p.read_to_end(&mut buf);
            buf
        })
    })
}

fn collect(d: Drain) -> Vec<u8> {
    d.and_then(|h| h.join().ok()).unwrap_or_default()
}

/// A directory of our own under the system's temporary directory, holding the page images.
/// Only the files it hands out are ever removed from it, and then the directory itself if it
/// is empty: nothing we did not write is deleted.
struct TempDir {
    path: PathBuf,
    written: std::sync::Mutex<Vec<PathBuf>>,
}

impl TempDir {
    fn new() -> Result<TempDir, String> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let base = std::env::temp_dir();
        let mut last = None;
        for _ in 0..100 {
            let n = COUNT.fetch_add(1, Ordering::Relaxed);
            let path = base.join(format!("pustaka-ocr-{}-{n}", std::process::id()));
            // `create_dir` fails on a directory that exists: this one is ours alone.
            match fs::create_dir(&path) {
                Ok(()) => {
                    return Ok(TempDir {
                        path,
                        written: Default::default(),
                    })
                }
                Err(e) => last = Some(e),
            }
        }
        Err(format!(
            "cannot create a temporary directory for OCR in {} ({}); set TMPDIR to a writable \
             directory",
            base.display(),
            last.map_or_else(String::new, |e| e.to_string())
        ))
    }

    /// Record that `file` is ours to remove (before anything writes it).
    fn claim(&self, file: &Path) {
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        written.push(file.to_path_buf());
    }

    /// Remove a file this directory handed out.
    fn remove(&self, file: &Path) {
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = written.iter().position(|f| f == file) {
            let _ = fs::remove_file(&written[i]);
            written.swap_remove(i);
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let written = self.written.get_mut().unwrap_or_else(|e| e.into_inner());
        for f in written.drain(..) {
            let _ = fs::remove_file(f);
        }
        // Fails, and leaves it, if something else put a file there.
        let _ = fs::remove_dir(&self.path);
    }
}

/// The PDF parsed once for the pages' own images (when pdftoppm is missing), or why it cannot
/// be.
struct Embedded(Result<Pdf, String>);

impl Embedded {
    /// Parsed on a worker thread, as for its text layer: lopdf may panic or loop on a damaged
    /// file.
    fn load(path: &Path) -> Embedded {
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) => return Embedded(Err(format!("cannot read the PDF again: {e}"))),
        };
        let budget = super::pdf::budget(bytes.len());
        let parsed = super::pdf::isolated(budget, move || {
            let mut doc = Pdf::load_mem(&bytes).map_err(|e| e.to_string())?;
            if doc.is_encrypted() && doc.encryption_state.is_none() {
                doc.decrypt("").map_err(|e| e.to_string())?;
            }
            Ok(doc)
        });
        Embedded(match parsed {
            Ok(r) => r,
            Err(_) => Err("the PDF reader failed on it".into()),
        })
    }

    /// Page `n`'s largest image, written to `dir` as tesseract can read it.
    fn write(&self, n: u32, dir: &TempDir) -> Result<PathBuf, String> {
        let doc = self.0.as_ref().map_err(|e| e.to_string())?;
        let (ext, bytes) = page_image(doc, n)?;
        let file = dir.path.join(format!("page-{n}.{ext}"));
        dir.claim(&file);
        fs::write(&file, bytes).map_err(|e| format!("cannot write its image: {e}"))?;
        Ok(file)
    }
}

/// The largest image of page `n` as a file's bytes: a JPEG as it is stored, 8-bit grey or RGB
/// pixels as a PGM or PPM. Other encodings need pdftoppm, and the reason says so.
fn page_image(doc: &Pdf, n: u32) -> Result<(&'static str, Vec<u8>), String> {
    let id = *doc
        .get_pages()
        .get(&n)
        .ok_or_else(|| "not in the PDF".to_string())?;
    let images = doc.get_page_images(id).unwrap_or_default();
    let image = images
        .iter()
        .max_by_key(|i| i.width.saturating_mul(i.height))
        .ok_or_else(|| "no image of its own (install poppler-utils to render it)".to_string())?;
    let filters = image.filters.clone().unwrap_or_default();
    let unsupported = |what: &str| {
        format!(
            "image encoding {what} not supported without pdftoppm (install \
             poppler-utils)"
        )
    };
    match filters.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["DCTDecode"] => Ok(("jpg", image.content.to_vec())),
        ["FlateDecode"] | [] => {
            let stream = doc
                .get_object(image.id)
                .and_then(|o| o.as_stream())
                .map_err(|e| e.to_string())?;
            let pixels = match filters.is_empty() {
                true => stream.content.clone(),
                false => stream
                    .decompressed_content()
                    .map_err(|e| format!("its image does not decompress ({e})"))?,
            };
            let space = image.color_space.as_deref().unwrap_or("none");
            let depth = image.bits_per_component.unwrap_or(0);
            let channels = match (space, depth) {
                ("DeviceGray", 8) => 1,
                ("DeviceRGB", 8) => 3,
                _ => return Err(unsupported(&format!("FlateDecode {space} {depth}-bit"))),
            };
            let (w, h) = (image.width as usize, image.height as usize);
            netpbm(w, h, channels, &pixels)
                .map(|b| (if channels == 1 { "pgm" } else { "ppm" }, b))
                .ok_or_else(|| "its image holds fewer pixels than it says".to_string())
        }
        ref other => Err(unsupported(&other.join("+"))),
    }
}

/// A binary PGM (1 channel) or PPM (3 channels) of `w`×`h` 8-bit pixels; `None` when `pixels`
/// is too short for them.
pub fn netpbm(w: usize, h: usize, channels: usize, pixels: &[u8]) -> Option<Vec<u8>> {
    let len = w.checked_mul(h)?.checked_mul(channels)?;
    let body = pixels.get(..len)?;
    let magic = if channels == 1 { "P5" } else { "P6" };
    let mut out = format!("{magic}\n{w} {h}\n255\n").into_bytes();
    out.extend_from_slice(body);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_missing_from_the_list_are_named() {
        let both = "List of available languages in \"/usr/share/tesseract-ocr/5/tessdata/\" (3):\neng\nind\nosd\n";
        assert!(missing_languages(both).is_empty());
        let english = "List of available languages in \"/x/\" (2):\neng\nosd\n";
        assert_eq!(missing_languages(english), ["ind"]);
        let why = no_languages(&missing_languages(english));
        assert!(why.contains("apt-get install tesseract-ocr-ind"), "{why}");
    }

    #[test]
    fn pixels_become_a_netpbm_file() {
        let pgm = netpbm(2, 2, 1, &[0, 64, 128, 255]).unwrap();
        assert_eq!(pgm, b"P5\n2 2\n255\n\x00\x40\x80\xff");
        assert_eq!(&netpbm(1, 1, 3, &[1, 2, 3, 4]).unwrap()[..3], b"P6\n");
        assert_eq!(netpbm(2, 2, 3, &[0; 11]), None);
    }

    #[test]
    fn a_child_over_its_budget_is_killed() {
        let start = Instant::now();
        let mut cmd = Command::new("sleep");
        cmd.arg("30");
        let r = run(cmd, Duration::from_millis(200));
        assert!(matches!(r, Err(Run::TimedOut(_))), "{r:?}");
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_failing_child_says_why() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo partial; echo 'no such page' >&2; exit 3"]);
        let why = run(cmd, PROBE_BUDGET).unwrap_err().to_string();
        assert!(why.ends_with("no such page"), "{why}");
        let r = run(Command::new("/nonexistent/tesseract"), PROBE_BUDGET);
        assert!(matches!(r, Err(Run::Spawn(ref e)) if e.kind() == io::ErrorKind::NotFound));
    }

    #[test]
    fn the_temporary_directory_removes_only_what_it_wrote() {
        let dir = TempDir::new().unwrap();
        let path = dir.path.clone();
        let ours = path.join("page-1.pgm");
        dir.claim(&ours);
        fs::write(&ours, b"P5").unwrap();
        let theirs = path.join("not-ours.txt");
        fs::write(&theirs, b"x").unwrap();
        drop(dir);
        assert!(!ours.exists());
        assert!(theirs.exists(), "a file pustaka did not write was removed");
        fs::remove_file(&theirs).unwrap();
        fs::remove_dir(&path).unwrap();
    }
}

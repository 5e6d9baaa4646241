//! The optional PDF engine: PDFium, Chromium's PDF library, used instead of `pdf-extract`
//! when the user names a `libpdfium.so` in `PUSTAKA_PDFIUM`.
//!
//! Why a second engine: PDFium reads fonts and files `pdf-extract` cannot (it panics on a font
//! without widths, gives nothing for some CID fonts), at several times its speed. Why optional:
//! it is C++ shipped as a binary (PyPI's `pypdfium2` wheel carries one), so a fresh machine
//! builds and runs pustaka without it, and it is bound at run time (`pdfium-render` over
//! `libloading`): nothing is linked or downloaded at build time.
//!
//! Only the text per page comes from here; [`super::pdf`] still owns isolation, cleaning, skip
//! reasons and page breaks, so the two engines give the later stages the same shape of text.
//! A crash inside C++ cannot be caught as a panic can: that is the price of the faster engine,
//! stated in the README.

use std::path::PathBuf;
use std::sync::OnceLock;

use pdfium_render::prelude::Pdfium;
use pdfium_render::prelude::{PdfiumError, PdfiumInternalError};

/// The environment variable that names the library; unset (or empty) means `pdf-extract`.
pub const ENV: &str = "PUSTAKA_PDFIUM";

/// The text of every page of a PDF, in order, each page's own failure kept to that page.
pub type Pages = Vec<Result<String, String>>;

/// The library named by [`ENV`], if any: `None` when unset; `Some(Err)` with the reason when
/// set but unusable (every PDF then says so, rather than silently read with another engine).
pub fn configured() -> Option<Result<&'static Pdfium, String>> {
    static ENGINE: OnceLock<Option<Result<Pdfium, String>>> = OnceLock::new();
    let engine = ENGINE.get_or_init(|| {
        let path = std::env::var_os(ENV).filter(|p| !p.is_empty())?;
        Some(bind(PathBuf::from(path)))
    });
    engine.as_ref().map(|r| r.as_ref().map_err(Clone::clone))
}

fn bind(path: PathBuf) -> Result<Pdfium, String> {
    match Pdfium::bind_to_library(&path) {
        Ok(bindings) => Ok(Pdfium::new(bindings)),
        Err(e) => Err(format!(
            "{ENV}={} cannot be loaded ({e}); point it at the libpdfium.so of PyPI's pypdfium2 \
             wheel (see the README), or unset it to use the built-in reader",
            path.display()
        )),
    }
}

/// The text of each page of `bytes`, read by PDFium; `Err` is a skip reason for the file.
pub fn pages(engine: &Pdfium, bytes: &[u8]) -> Result<Pages, String> {
    let doc = engine
        .load_pdf_from_byte_slice(bytes, None)
        .map_err(|e| open_reason(&e))?;
    let pages = doc
        .pages()
        .iter()
        .map(|page| page.text().map(|t| t.all()).map_err(|e| e.to_string()))
        .collect();
    Ok(pages)
}

/// What PDFium's refusal to open a file means to a user.
fn open_reason(e: &PdfiumError) -> String {
    match e {
        PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::PasswordError) => {
            "encrypted PDF that needs a password to open; save an unprotected copy (e.g. qpdf \
             --decrypt --password=PASSWORD in.pdf out.pdf) and index that"
                .into()
        }
        PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::SecurityError) => {
            "PDF with an unsupported security handler; save an unprotected copy and index that"
                .into()
        }
        other => format!(
            "damaged or truncated PDF (PDFium: {other:?}); if it opens in a PDF viewer, save a \
             fresh copy (\"print to PDF\") or give its text extraction instead"
        ),
    }
}

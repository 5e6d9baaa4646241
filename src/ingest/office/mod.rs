//! Office: the text of a Word (`.docx`) or OpenDocument (`.odt`) file, written as the text the
//! later stages read best, so that a manuscript is cut as its Markdown twin would be.
//!
//! Both formats are zip packages of XML parts. What comes out is one paragraph per line with a
//! blank line between two, headings as Markdown headings (`## 2.1 Latar Belakang`: the segmenter
//! takes a `#` line as a heading whatever its words, and still reads `BAB II` or `2.1` in it as
//! a chapter or a section), list items with their number or Markdown's `-` for a bullet, table
//! rows as tab-separated cells (a run of them is a table passage), and footnotes and endnotes as
//! a PDF extraction shows them: the marker as a number on a line of its own where the
//! reference stands, the notes after a rule, each `N text` on its line. The segmenter ends a
//! block of notes only at a page break, and a Word file has no pages of its own (they depend on
//! the printer), so all notes stand at the end, after one rule, numbered in the order of their
//! references (footnotes and endnotes in one sequence, as the segmenter expects numbers to count
//! up). A note's passage therefore has the place (chapter, section) of the document's end.
//!
//! Headings come from paragraph styles resolved through `styles.xml` (outline level first, then
//! the style's name, `heading 1` or a localized `Judul 1`, through the styles it is based on),
//! because localized Word gives its built-in styles localized ids; numbered headings get the
//! number Word would show (`BAB I`, `2.1`) from `numbering.xml`.
//!
//! XML is read with `roxmltree`: a whole part as a read-only tree, because a paragraph's style,
//! numbering and notes are looked up in other parts while walking it, and a tree makes that
//! walk plain recursion. A part is small next to the cap below; `roxmltree` refuses DTDs, so no
//! entity can expand. Only bytes come in (`read` owns the disk); errors are skip reasons.

mod docx;
mod odt;
mod text;

use std::io::{Cursor, Read};

use zip::result::ZipError;
use zip::ZipArchive;

/// Largest decompressed part read. A long thesis's `document.xml` is a few MiB, a heavily
/// formatted book's some tens; past this it is a zip bomb or no manuscript.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Which package a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Package {
    /// Office Open XML WordprocessingML (`.docx`, Word 2007 and later).
    Docx,
    /// OpenDocument Text (`.odt`, LibreOffice's own).
    Odt,
}

impl Package {
    fn name(self) -> &'static str {
        match self {
            Package::Docx => ".docx",
            Package::Odt => ".odt",
        }
    }
}

/// The text of a package's bytes; `Err` holds a skip reason a user can act on.
pub fn extract(package: Package, bytes: &[u8]) -> Result<String, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    if let Some(reason) = not_a_zip(package, bytes) {
        return Err(reason);
    }
    let mut zip = Parts::open(bytes)?;
    let text = match package {
        Package::Docx => docx::text(&mut zip)?,
        Package::Odt => odt::text(&mut zip)?,
    };
    if text.trim().is_empty() {
        return Err(format!(
            "no text in this {} file (only images, or empty)",
            package.name()
        ));
    }
    Ok(text)
}

/// The magic of the OLE compound file Word 97-2003 wrote, and in which Office wraps a
/// password-protected `.docx`.
const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Why bytes named `.docx` or `.odt` are not a zip package, if they are not.
fn not_a_zip(package: Package, bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return None;
    }
    if bytes.starts_with(CFB_MAGIC) {
        return Some(if has_utf16_name(bytes, "EncryptedPackage") {
            "password-protected file (Office keeps it encrypted in an OLE container); \
             save a copy without a password and index that"
                .into()
        } else if has_utf16_name(bytes, "WordDocument") {
            "Word 97-2003 .doc is not supported; save as .docx (or .odt)".into()
        } else {
            "an OLE compound file (an old Office format), not a zip package; save as .docx".into()
        });
    }
    if bytes.starts_with(b"{\\rtf") {
        return Some("RTF, not a Word package although named .docx; save as .docx".into());
    }
    let looks = if std::str::from_utf8(&bytes[..bytes.len().min(1024)]).is_ok() {
        "it looks like text; rename it to .txt if that is what it is"
    } else {
        "it looks like some other binary file"
    };
    Some(format!(
        "not a {} package although named so (no zip header); {looks}",
        package.name()
    ))
}

/// A stream name in the directory of an OLE compound file, which stores names in UTF-16LE.
fn has_utf16_name(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle)
}

/// The parts of a zip package, each read decompressed up to [`MAX_PART_BYTES`].
pub(super) struct Parts<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> Parts<'a> {
    fn open(bytes: &'a [u8]) -> Result<Parts<'a>, String> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_reason(&e))?;
        Ok(Parts { zip })
    }

    /// Whether the package has a part of this name.
    pub(super) fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// A part's text, `None` when the package has no such part.
    pub(super) fn text(&mut self, name: &str) -> Result<Option<String>, String> {
        let mut file = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(format!("{name}: {}", zip_reason(&e))),
        };
        let mut bytes = Vec::new();
        // The size the header declares may lie; only what decompresses counts.
        (&mut file)
            .take(MAX_PART_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: damaged or truncated package ({e})"))?;
        if bytes.len() as u64 > MAX_PART_BYTES {
            return Err(format!(
                "{name} decompresses to over {} MiB (a zip bomb, or no manuscript); not read",
                MAX_PART_BYTES >> 20
            ));
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Some(s.to_string())),
            Err(_) => Err(format!("{name} is not UTF-8 XML (damaged?)")),
        }
    }
}

/// A part parsed, or a reason naming the part.
pub(super) fn parse<'x>(name: &str, xml: &'x str) -> Result<roxmltree::Document<'x>, String> {
    roxmltree::Document::parse(xml).map_err(|e| {
        format!("malformed XML in {name} ({e}); the file is damaged: open and save it again")
    })
}

/// What a zip error means to a user.
fn zip_reason(e: &ZipError) -> String {
    match e {
        ZipError::UnsupportedArchive(what) if what.contains("assword") => {
            "password-protected zip; save a copy without a password and index that".into()
        }
        ZipError::UnsupportedArchive(what) => format!(
            "the package uses a zip feature pustaka does not read ({what}); open and save it again"
        ),
        ZipError::Io(e) => format!("damaged or truncated package ({e})"),
        e => format!("damaged or truncated package ({e}); if it opens, save a fresh copy"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_bytes_are_named() {
        let why = extract(Package::Docx, b"Catatan rapat.\n").unwrap_err();
        assert!(why.contains("no zip header") && why.contains("looks like text"));
        let mut doc = CFB_MAGIC.to_vec();
        doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        let why = extract(Package::Docx, &doc).unwrap_err();
        assert_eq!(
            why,
            "Word 97-2003 .doc is not supported; save as .docx (or .odt)"
        );
        let why = extract(Package::Docx, b"PK\x03\x04\x14\x00").unwrap_err();
        assert!(why.starts_with("damaged or truncated package"), "{why}");
        assert_eq!(extract(Package::Odt, b"").unwrap_err(), "empty file");
    }
}

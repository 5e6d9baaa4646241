//! A manuscript sent to `check` as a file: `pustaka check FILE` reads its bytes from disk (or
//! standard input), `POST /api/check` from the request's body, and both turn them into the text
//! to check here, so that a file the CLI reads is one the server reads, into the same text, and
//! one it refuses is refused by both with the same reason.
//!
//! What the bytes are comes from the file's name (`check draf.docx`, `filename=draf.docx`) or,
//! failing that, the media type they were sent with; they are then read by the rules `index`
//! reads a file of that format with (`ingest::read`): text decoded whatever its encoding, a PDF
//! read isolated within its time budget (in a child process under a memory budget when the
//! `pustaka` binary runs), a Word or OpenDocument file read on a worker thread of its own.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::ingest::read::{self, Format, ReadOptions, SourceFile};

/// The media types a manuscript may be sent with, and the format each names: the types
/// browsers give `.txt`, `.md`, `.pdf`, `.docx` and `.odt` files.
pub const MEDIA_TYPES: [(&str, Format); 5] = [
    ("text/plain", Format::Text),
    ("text/markdown", Format::Text),
    ("application/pdf", Format::Pdf),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Format::Docx,
    ),
    ("application/vnd.oasis.opendocument.text", Format::Odt),
];

/// Media types that say nothing about the bytes: what curl sends with `--data`, and what a
/// browser sends for a file whose type it does not know. The body is then read as text, as it
/// was before files could be sent, unless the name says otherwise.
const UNSAID: [&str; 2] = [
    "application/octet-stream",
    "application/x-www-form-urlencoded",
];

/// What messages call a request's body that came without a name.
const BODY: &str = "the request body";

/// A manuscript as a file: its name, the media type it came with, and its bytes.
#[derive(Debug, Clone, Default)]
pub struct Manuscript {
    /// The file's path or name (`draf.docx`; `-` for standard input); its extension, when it
    /// is `.txt`, `.md`, `.pdf`, `.docx` or `.odt`, says how the bytes are read, and messages
    /// name the manuscript by it. Empty for a request's body sent without `filename=`.
    pub name: String,
    /// The media type the bytes came with (a request's `Content-Type`, parameters allowed);
    /// it decides the format when the name does not.
    pub media_type: Option<String>,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// A manuscript's text, and what of it could not be read (a PDF's unreadable pages), each
/// naming the manuscript.
#[derive(Debug, Clone, Default)]
pub struct ManuscriptText {
    /// The text to check.
    pub text: String,
    /// Pages left out, each with why.
    pub notes: Vec<String>,
}

impl Manuscript {
    /// How the bytes are read: as the name's extension says (`.txt` and `.md` are text), else
    /// as the media type says, else as text (a name with another extension, or none, is read
    /// as text, as `check notes` always was). A media type that names nothing a manuscript
    /// can be (`image/png`) is an error listing those it can.
    pub fn format(&self) -> Result<Format> {
        let by_name = Format::of(std::path::Path::new(&self.name)).filter(|f| *f != Format::Jsonl);
        if let Some(format) = by_name {
            return Ok(format);
        }
        let Some(essence) = self.essence() else {
            return Ok(Format::Text);
        };
        if let Some((_, format)) = MEDIA_TYPES.iter().find(|(t, _)| *t == essence) {
            return Ok(*format);
        }
        if essence.starts_with("text/") || UNSAID.contains(&essence.as_str()) {
            return Ok(Format::Text);
        }
        let known: Vec<&str> = MEDIA_TYPES.iter().map(|(t, _)| *t).collect();
        Err(Error::Invalid(format!(
            "{}: check does not read {essence}; send a manuscript as one of {} (or name its \
             file with filename=, e.g. filename=draft.docx)",
            self.shown_name(),
            known.join(", ")
        )))
    }

    /// The most bytes worth reading of a file of `format`: one more than any of its kind is
    /// read whole (a text one more than [`super::MAX_CHECK_BYTES`], so that a longer text is
    /// refused with the check's own message), so the CLI never holds a disk image in memory.
    pub fn read_limit(format: Format) -> u64 {
        let most = match format {
            Format::Text | Format::Jsonl => super::MAX_CHECK_BYTES as u64,
            Format::Pdf => crate::ingest::pdf::MAX_PDF_BYTES,
            Format::Docx | Format::Odt => read::MAX_FILE_BYTES,
        };
        most + 1
    }

    /// The text to check: text decoded as `index` decodes a file (UTF-8, UTF-16, a detected
    /// legacy encoding; never binary), a PDF's or Word file's text read as `index` reads it.
    /// Bytes that are not what they are said to be (a `.pdf` that is no PDF, a binary file
    /// sent as text, an empty file) are [`Error::Invalid`] with the reason `index` gives,
    /// after the manuscript's name. OCR reads a scanned PDF's pages from the file at `name`,
    /// so only a caller with the file on disk asks for it in `opts`.
    pub fn read(self, opts: ReadOptions) -> Result<ManuscriptText> {
        let format = self.format()?;
        let name = self.shown_name();
        if matches!(format, Format::Text | Format::Jsonl) {
            // Emptiness is the check's to refuse, in its own words, as for typed text.
            let (text, _) = read::decode(&self.bytes)
                .map_err(|why| Error::Invalid(format!("{name}: {why}")))?;
            return Ok(ManuscriptText {
                text,
                notes: Vec::new(),
            });
        }
        let file = SourceFile {
            path: PathBuf::from(&name),
            rel: name,
            format,
            len: self.bytes.len() as u64,
            mtime: 0,
        };
        let (docs, bad) = read::read_bytes(&file, self.bytes, opts)
            .map_err(|skip| Error::Invalid(skip.to_string()))?;
        Ok(ManuscriptText {
            text: docs.into_iter().map(|d| d.text).collect(),
            notes: bad.iter().map(ToString::to_string).collect(),
        })
    }

    /// The name messages give the manuscript: a body without one is named with the media
    /// type it came with, since that is what decided how it was read.
    fn shown_name(&self) -> String {
        match (self.name.is_empty(), self.essence()) {
            (false, _) => self.name.clone(),
            (true, Some(sent)) => format!("{BODY} (sent as {sent})"),
            (true, None) => BODY.to_string(),
        }
    }

    /// The media type without its parameters, lower case, if one was given.
    fn essence(&self) -> Option<String> {
        let media_type = self.media_type.as_deref()?;
        let essence = media_type.split(';').next().unwrap_or("").trim();
        (!essence.is_empty()).then(|| essence.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(name: &str, media_type: Option<&str>) -> Manuscript {
        Manuscript {
            name: name.into(),
            media_type: media_type.map(String::from),
            bytes: Vec::new(),
        }
    }

    #[test]
    fn the_name_decides_then_the_media_type_then_text() {
        let docx = MEDIA_TYPES[3].0;
        assert_eq!(sent("draf.DOCX", None).format().unwrap(), Format::Docx);
        assert_eq!(
            sent("draf.pdf", Some("text/plain")).format().unwrap(),
            Format::Pdf
        );
        assert_eq!(sent("draf.md", Some(docx)).format().unwrap(), Format::Text);
        assert_eq!(sent("", Some(docx)).format().unwrap(), Format::Docx);
        assert_eq!(
            sent("catatan", Some("Application/PDF; x=1"))
                .format()
                .unwrap(),
            Format::Pdf
        );
        assert_eq!(sent("-", None).format().unwrap(), Format::Text);
        assert_eq!(sent("a.jsonl", None).format().unwrap(), Format::Text);
        for generic in [
            "text/plain; charset=utf-8",
            "text/x-tex",
            UNSAID[0],
            UNSAID[1],
        ] {
            assert_eq!(sent("", Some(generic)).format().unwrap(), Format::Text);
        }
        let e = sent("", Some("image/png"))
            .format()
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("the request body (sent as image/png): check does not read image/png"),
            "{e}"
        );
        assert!(
            e.contains("application/pdf") && e.contains("filename="),
            "{e}"
        );
    }

    #[test]
    fn bytes_that_are_not_what_they_are_said_to_be_are_refused_with_the_reason() {
        let bad = |name: &str, bytes: &[u8]| {
            let m = Manuscript {
                name: name.into(),
                media_type: None,
                bytes: bytes.to_vec(),
            };
            match m.read(ReadOptions::default()) {
                Err(Error::Invalid(why)) => why,
                other => panic!("{name}: {other:?}"),
            }
        };
        let why = bad("x.pdf", b"Kota Tapachula di Chiapas.");
        assert!(why.starts_with("x.pdf: not a PDF"), "{why}");
        assert!(bad("x.docx", b"").contains("empty file"));
        assert!(bad("", b"\x00\x01\x02\x03").starts_with("the request body: binary file"));
        let sent_as_pdf = Manuscript {
            media_type: Some("application/pdf".into()),
            bytes: b"%PDF-1.4 cut".to_vec(),
            ..Manuscript::default()
        };
        let why = sent_as_pdf
            .read(ReadOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            why.starts_with("the request body (sent as application/pdf): damaged or truncated PDF"),
            "{why}"
        );
        let text = Manuscript {
            bytes: b"Kota \xe9 Tapachula".to_vec(),
            ..Manuscript::default()
        };
        assert!(text
            .read(ReadOptions::default())
            .unwrap()
            .text
            .contains("Tapachula"));
    }
}

//! PDFs drawn here from text, for the PDF tests and the PDF bench: pages of body lines wrapped
//! as a typesetter would, a running header and a page number on every page, paragraphs running
//! over page breaks. Nothing binary is committed; lopdf writes the files.

use lopdf::{dictionary, Document as Pdf, Object, Stream};

pub const HEADER: &str = "Jurnal Dinamika Global | Vol. 9 No. 1 | Juni 2024";
/// Characters per body line, about what a 10 pt Helvetica line of an A4 page holds.
const WIDTH: usize = 80;
const TOP: i32 = 770;
const BOTTOM: i32 = 100;
const LEADING: i32 = 13;

/// Body lines placed on pages (`(y, text)` per line), and each paragraph's first and last page.
pub struct Layout {
    pub pages: Vec<Vec<(i32, String)>>,
    pub spans: Vec<(u32, u32)>,
}

fn wrap(text: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().unwrap();
        if !line.is_empty() && line.len() + 1 + word.len() > WIDTH {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// Paragraphs flowed down the pages, a blank line between two.
pub fn lay_out(paragraphs: &[String]) -> Layout {
    let mut pages = vec![Vec::new()];
    let mut spans = Vec::new();
    let mut y = TOP;
    for p in paragraphs {
        if y != TOP {
            y -= LEADING;
        }
        let mut first = None;
        for line in wrap(p) {
            if y < BOTTOM {
                pages.push(Vec::new());
                y = TOP;
            }
            first.get_or_insert(pages.len() as u32);
            pages.last_mut().unwrap().push((y, line));
            y -= LEADING;
        }
        spans.push((first.unwrap(), pages.len() as u32));
    }
    Layout { pages, spans }
}

/// A PDF string literal of `text` in WinAnsi (the encoding the font is declared with).
fn literal(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable, "not WinAnsi: {text}");
    let mut out = vec![b'('];
    for &b in bytes.iter() {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

fn show(out: &mut Vec<u8>, size: u32, x: i32, y: i32, text: &str) {
    out.extend_from_slice(format!("BT /F1 {size} Tf 1 0 0 1 {x} {y} Tm ").as_bytes());
    out.extend_from_slice(&literal(text));
    out.extend_from_slice(b" Tj ET\n");
}

/// One page's content: the running header, the body lines, the page number.
pub fn page_content(n: usize, lines: &[(i32, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    show(&mut out, 9, 72, 805, HEADER);
    for (y, line) in lines {
        show(&mut out, 10, 72, *y, line);
    }
    show(&mut out, 9, 295, 50, &n.to_string());
    out
}

/// A PDF of these page contents, Helvetica with WinAnsi encoding; `media_box: false` leaves
/// out the page size, which makes pdf-extract panic.
pub fn pdf_document(contents: &[Vec<u8>], media_box: bool) -> Pdf {
    let mut doc = Pdf::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for content in contents {
        let stream = doc.add_object(Stream::new(dictionary! {}, content.clone()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => stream,
        });
        kids.push(Object::Reference(page));
    }
    let mut pages = dictionary! {
        "Type" => "Pages", "Count" => kids.len() as i64, "Kids" => kids,
        "Resources" => resources,
    };
    if media_box {
        pages.set("MediaBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
    }
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let id = Object::string_literal("pustaka-test-pdf");
    doc.trailer.set("ID", vec![id.clone(), id]);
    doc
}

pub fn save(mut doc: Pdf) -> Vec<u8> {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

pub fn layout_pdf(layout: &Layout) -> Vec<u8> {
    let contents: Vec<Vec<u8>> = (layout.pages.iter().enumerate())
        .map(|(i, lines)| page_content(i + 1, lines))
        .collect();
    save(pdf_document(&contents, true))
}

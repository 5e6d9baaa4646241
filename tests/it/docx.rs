//! Word and OpenDocument files read directly (issue 15): manuscripts written here from the seed
//! texts (their passages as Word paragraphs with heading styles, footnotes and endnotes,
//! numbered lists and tables, in real WordprocessingML and OpenDocument packages made with the
//! zip crate), files LibreOffice wrote (`tests/data/docx`, made by `scripts/make_docx_fixtures.sh`; see
//! `SOURCES.md` there), and bad files of every kind beside good ones.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::LazyLock;

use pustaka::ingest::passages_of;
use pustaka::ingest::read::{read_file, SourceFile};
use pustaka::model::{Kind, Passage};
use regex::Regex;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::common::{manifest_dir, run_cli, scratch, seed_index, words_only as norm};

const SEED_003: &str = "corpus/003_232135048410f2ab.txt";
const SEED_004: &str = "corpus/004_ee0b6ec72090fab7.txt";

/// Text written into every manuscript that a reader must leave out: a tracked deletion, a field
/// code, a table of contents line.
const HIDDEN: [&str; 3] = ["TERHAPUSKATA", "KODEFIELDX", "DAFTARISIPALSU"];

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{1,2})\.\s+(\S.*)$").unwrap());

/// How a seed heading is styled.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Level {
    Chapter,
    Section,
    Other,
}

/// What a seed passage becomes in a manuscript.
#[derive(Debug)]
enum Block {
    Heading(Level, String),
    /// Text, notes (byte offset of the reference, note text), and for a numbered list item the
    /// list's number (counting from 1) and the item's number.
    Para {
        text: String,
        notes: Vec<(usize, String)>,
        item: Option<(u32, u32)>,
    },
    Table(Vec<Vec<String>>),
}

fn passages_of_file(path: &Path) -> Vec<Passage> {
    let file = SourceFile::from_path(path).unwrap();
    let (docs, bad) =
        read_file(&file).unwrap_or_else(|s| panic!("{}: {}", path.display(), s.reason));
    assert!(bad.is_empty(), "{bad:?}");
    passages_of(&docs[0])
}

/// The seed text's passages as a manuscript's blocks: headings styled by what they open,
/// footnotes referenced from the paragraph that holds their marker (see [`note_at`]), numbered
/// paragraphs as list items (the number
/// left to the list), tables from their source lines.
fn blocks_of(passages: &[Passage], source: &str) -> Vec<Block> {
    let notes: HashMap<u32, &str> = passages
        .iter()
        .filter(|p| p.kind == Kind::Footnote)
        .flat_map(|p| p.footnotes.iter().map(move |&n| (n, p.text.as_str())))
        .collect();
    let lines: Vec<&str> = source.lines().collect();
    let mut blocks = Vec::new();
    let (mut lists, mut last_item) = (0u32, None::<u32>);
    for p in passages.iter().filter(|p| p.kind != Kind::Footnote) {
        let numbered = NUMBERED.captures(&p.text).filter(|_| p.kind == Kind::Body);
        let item = numbered.as_ref().map(|c| c[1].parse::<u32>().unwrap());
        if item.is_some() && last_item.is_none_or(|l| Some(l + 1) != item) {
            lists += 1;
        }
        last_item = item;
        blocks.push(match p.kind {
            Kind::Heading => Block::Heading(level_of(p), p.text.clone()),
            Kind::Table => Block::Table(
                lines[p.lines[0] - 1..p.lines[1]]
                    .iter()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| l.split('\t').map(|c| c.replace('*', "")).collect())
                    .collect(),
            ),
            _ => {
                let text = numbered.map_or(p.text.clone(), |c| c[2].to_string());
                let notes = (p.footnotes.iter().enumerate())
                    .map(|(k, &n)| (note_at(&text, k, n), notes[&n].to_string()))
                    .collect();
                Block::Para {
                    text,
                    notes,
                    item: item.map(|n| (lists, n)),
                }
            }
        });
    }
    blocks
}

fn level_of(p: &Passage) -> Level {
    let upper = p.text.to_uppercase();
    if upper.starts_with("BAB ") || upper.starts_with("CHAPTER ") {
        Level::Chapter
    } else if p.section.as_deref().is_some_and(|s| p.text.starts_with(s)) {
        Level::Section
    } else {
        Level::Other
    }
}

/// Where the `k`-th note of a paragraph, numbered `n`, is referenced: after the first sentence
/// when it is the paragraph's first and its number is odd, else at the end.
fn note_at(text: &str, k: usize, n: u32) -> usize {
    match text.find(". ") {
        Some(i) if k == 0 && n % 2 == 1 => i + 1,
        _ => text.len(),
    }
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn zip_package(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in parts {
        let method = if *name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        zip.start_file(
            *name,
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// Text as Word runs of a few words each, as Word splits text at every change of editing
/// session or formatting.
fn w_runs(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    words
        .chunks(4)
        .enumerate()
        .map(|(i, chunk)| {
            let sep = if i + 1 < words.len().div_ceil(4) {
                " "
            } else {
                ""
            };
            format!(
                "<w:r><w:t xml:space=\"preserve\">{}{sep}</w:t></w:r>",
                esc(&chunk.join(" "))
            )
        })
        .collect()
}

/// A Word paragraph of `style`, its text in runs, its notes referenced where they stand.
fn w_para(
    style: &str,
    text: &str,
    notes: &[(usize, u32)],
    num: Option<u32>,
    noise: bool,
) -> String {
    let mut ppr = format!("<w:pStyle w:val=\"{style}\"/>");
    if let Some(id) = num {
        ppr.push_str(&format!(
            "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"{id}\"/></w:numPr>"
        ));
    }
    let mut body = String::new();
    if noise {
        body.push_str(&format!(
            "<w:del w:id=\"9\" w:author=\"penyunting\"><w:r><w:delText>{} </w:delText></w:r></w:del>\
             <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> {} </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:proofErr w:type=\"spellStart\"/>",
            HIDDEN[0], HIDDEN[1]
        ));
    }
    let mut last = 0;
    for &(at, id) in notes {
        body.push_str(&w_runs(&text[last..at]));
        let kind = if is_endnote(id) {
            "endnote"
        } else {
            "footnote"
        };
        body.push_str(&format!(
            "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:{kind}Reference w:id=\"{id}\"/></w:r>"
        ));
        last = at;
    }
    body.push_str(&w_runs(&text[last..]));
    format!("<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>")
}

/// Styles as Indonesian Word writes them: localized ids (`Judul1`) under the English names
/// Word stores for built-in styles, a chapter style based on a heading style, a section style
/// that is a heading only by its outline level, a table of contents style.
const STYLES: &str = r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Judul1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Judul2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="BabJudul"><w:name w:val="Bab Judul"/><w:basedOn w:val="Judul1"/></w:style>
<w:style w:type="paragraph" w:styleId="SubBab"><w:name w:val="Sub Bab"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="DaftarIsi1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="DaftarParagraf"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/></w:style>"#;

/// A `.docx` of these blocks: document, styles, numbering and footnotes parts with their
/// content types and relationships.
fn docx_of(blocks: &[Block]) -> Vec<u8> {
    let mut body = w_para("DaftarIsi1", &format!("{} 1", HIDDEN[2]), &[], None, false);
    let mut notes = Vec::new();
    let mut lists = 0;
    for (i, b) in blocks.iter().enumerate() {
        body.push_str(&match b {
            Block::Heading(level, text) => {
                let style = match level {
                    Level::Chapter => "BabJudul",
                    Level::Section => "SubBab",
                    Level::Other => "Judul2",
                };
                w_para(style, text, &[], None, false)
            }
            Block::Para {
                text,
                notes: ns,
                item,
            } => {
                let refs: Vec<(usize, u32)> = ns
                    .iter()
                    .map(|(at, note)| {
                        notes.push(note.clone());
                        (*at, notes.len() as u32)
                    })
                    .collect();
                lists = lists.max(item.map_or(0, |(l, _)| l));
                let style = if item.is_some() {
                    "DaftarParagraf"
                } else {
                    "Normal"
                };
                w_para(style, text, &refs, item.map(|(l, _)| l), i % 5 == 0)
            }
            Block::Table(rows) => {
                let rows: String = rows
                    .iter()
                    .map(|r| {
                        let cells: String = r
                            .iter()
                            .map(|c| {
                                format!("<w:tc>{}</w:tc>", w_para("Normal", c, &[], None, false))
                            })
                            .collect();
                        format!("<w:tr>{cells}</w:tr>")
                    })
                    .collect();
                format!("<w:tbl><w:tblPr/>{rows}</w:tbl>")
            }
        });
    }
    let notes_of = |kind: &str, endnotes: bool| -> String {
        (notes.iter().enumerate())
            .filter(|(i, _)| is_endnote(*i as u32 + 1) == endnotes)
            .map(|(i, n)| {
                format!(
                    "<w:{kind} w:id=\"{}\"><w:p><w:r><w:{kind}Ref/></w:r>{}</w:p></w:{kind}>",
                    i + 1,
                    w_runs(&format!(" {n}"))
                )
            })
            .collect()
    };
    let (footnotes, endnotes) = (notes_of("footnote", false), notes_of("endnote", true));
    docx_package(&body, &footnotes, &endnotes, &numbering(blocks, lists))
}

/// Every third note is an endnote: the two kinds are numbered in one sequence, in the order
/// of their references, as the text file numbers its footnotes.
fn is_endnote(n: u32) -> bool {
    n.is_multiple_of(3)
}

/// One decimal list definition, and one list of it per run of numbered paragraphs, starting
/// at the run's first number.
fn numbering(blocks: &[Block], lists: u32) -> String {
    let mut out = String::from(
        "<w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>\
         <w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl></w:abstractNum>",
    );
    for l in 1..=lists {
        let first = blocks.iter().find_map(|b| match b {
            Block::Para {
                item: Some((list, n)),
                ..
            } if *list == l => Some(*n),
            _ => None,
        });
        out.push_str(&format!(
            "<w:num w:numId=\"{l}\"><w:abstractNumId w:val=\"0\"/><w:lvlOverride w:ilvl=\"0\">\
             <w:startOverride w:val=\"{}\"/></w:lvlOverride></w:num>",
            first.unwrap_or(1)
        ));
    }
    out
}

fn docx_package(body: &str, footnotes: &str, endnotes: &str, numbering: &str) -> Vec<u8> {
    let ct = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    zip_package(&[
        ("[Content_Types].xml", format!(
            "{decl}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/word/document.xml\" ContentType=\"{ct}.document.main+xml\"/>\
             <Override PartName=\"/word/styles.xml\" ContentType=\"{ct}.styles+xml\"/>\
             <Override PartName=\"/word/numbering.xml\" ContentType=\"{ct}.numbering+xml\"/>\
             <Override PartName=\"/word/footnotes.xml\" ContentType=\"{ct}.footnotes+xml\"/>\
             <Override PartName=\"/word/endnotes.xml\" ContentType=\"{ct}.endnotes+xml\"/></Types>")),
        ("_rels/.rels", format!(
            "{decl}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"word/document.xml\"/></Relationships>")),
        ("word/_rels/document.xml.rels", format!(
            "{decl}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"{rel}/styles\" Target=\"styles.xml\"/>\
             <Relationship Id=\"rId2\" Type=\"{rel}/numbering\" Target=\"numbering.xml\"/>\
             <Relationship Id=\"rId3\" Type=\"{rel}/footnotes\" Target=\"footnotes.xml\"/>\
             <Relationship Id=\"rId5\" Type=\"{rel}/endnotes\" Target=\"endnotes.xml\"/>\
             <Relationship Id=\"rId4\" Type=\"{rel}/hyperlink\" Target=\"https://example.org/\" TargetMode=\"External\"/>\
             </Relationships>")),
        ("word/document.xml", format!("{decl}<w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>")),
        ("word/styles.xml", format!("{decl}<w:styles {W}>{STYLES}</w:styles>")),
        ("word/numbering.xml", format!("{decl}<w:numbering {W}>{numbering}</w:numbering>")),
        ("word/footnotes.xml", format!(
            "{decl}<w:footnotes {W}><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
             <w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>\
             {footnotes}</w:footnotes>")),
        ("word/endnotes.xml", format!(
            "{decl}<w:endnotes {W}><w:endnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>\
             {endnotes}</w:endnotes>")),
    ])
}

/// An `.odt` of these blocks: headings with outline levels, notes where they stand, numbered
/// paragraphs in lists of a numbered list style, tables.
fn odt_of(blocks: &[Block]) -> Vec<u8> {
    let mut body = format!(
        "<text:table-of-content><text:index-body><text:p>{} 1</text:p></text:index-body></text:table-of-content>",
        HIDDEN[2]
    );
    let mut notes = 0;
    for b in blocks {
        body.push_str(&match b {
            Block::Heading(level, text) => {
                let n = match level {
                    Level::Chapter => 1,
                    Level::Other => 2,
                    Level::Section => 3,
                };
                format!("<text:h text:outline-level=\"{n}\">{}</text:h>", esc(text))
            }
            Block::Para { text, notes: ns, item } => {
                let mut p = String::new();
                let mut last = 0;
                for (at, note) in ns {
                    notes += 1;
                    p.push_str(&esc(&text[last..*at]));
                    p.push_str(&format!(
                        "<text:note text:id=\"ftn{notes}\" text:note-class=\"footnote\"><text:note-citation>{notes}</text:note-citation>\
                         <text:note-body><text:p>{}</text:p></text:note-body></text:note>",
                        esc(note)
                    ));
                    last = *at;
                }
                p.push_str(&esc(&text[last..]));
                match item {
                    Some((_, n)) => format!(
                        "<text:list text:style-name=\"Angka\"><text:list-item text:start-value=\"{n}\"><text:p>{p}</text:p></text:list-item></text:list>"
                    ),
                    None => format!("<text:p>{p}</text:p>"),
                }
            }
            Block::Table(rows) => {
                let rows: String = rows
                    .iter()
                    .map(|r| {
                        let cells: String = r
                            .iter()
                            .map(|c| format!("<table:table-cell><text:p>{}</text:p></table:table-cell>", esc(c)))
                            .collect();
                        format!("<table:table-row>{cells}</table:table-row>")
                    })
                    .collect();
                format!("<table:table>{rows}</table:table>")
            }
        });
    }
    odt_package(&body)
}

fn odt_package(body: &str) -> Vec<u8> {
    let ns = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
              xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
              xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
              xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\"";
    zip_package(&[
        ("mimetype", "application/vnd.oasis.opendocument.text".into()),
        ("META-INF/manifest.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
          <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
          <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\
          <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>".into()),
        ("content.xml", format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content {ns} office:version=\"1.3\">\
             <office:automatic-styles><text:list-style style:name=\"Angka\">\
             <text:list-level-style-number text:level=\"1\" style:num-suffix=\".\" style:num-format=\"1\"/>\
             </text:list-style></office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>")),
    ])
}

/// What a manuscript's passages keep of the text file's, printed and returned.
struct Kept {
    body_found: f64,
}

/// The manuscript's passages against the text file's: every heading with the same chapter,
/// section and section title; the footnotes lifted out with their numbers and texts, their
/// markers on the same paragraphs; body passages found; tables kept as tables; the hidden
/// text nowhere.
fn compare(name: &str, from_txt: &[Passage], from_doc: &[Passage]) -> Kept {
    let place = |p: &Passage| {
        (
            p.chapter.clone(),
            p.section.clone(),
            p.section_title.clone(),
        )
    };
    let doc_by_text: HashMap<String, &Passage> =
        from_doc.iter().rev().map(|p| (norm(&p.text), p)).collect();
    for h in from_txt.iter().filter(|p| p.kind == Kind::Heading) {
        let d = doc_by_text.get(&norm(&h.text));
        let d = d.unwrap_or_else(|| panic!("{name}: heading {:?} missing", h.text));
        assert_eq!(d.kind, Kind::Heading, "{name}: {}", h.text);
        assert_eq!(place(d), place(h), "{name}: place of heading {:?}", h.text);
    }
    let notes = |ps: &[Passage]| -> Vec<(Vec<u32>, String)> {
        (ps.iter().filter(|p| p.kind == Kind::Footnote))
            .map(|p| (p.footnotes.clone(), norm(&p.text)))
            .collect()
    };
    assert_eq!(notes(from_doc), notes(from_txt), "{name}: footnotes");
    let markers = |ps: &[Passage]| -> Vec<(Vec<u32>, String)> {
        (ps.iter()
            .filter(|p| p.kind != Kind::Footnote && !p.footnotes.is_empty()))
        .map(|p| (p.footnotes.clone(), norm(&p.text)))
        .collect()
    };
    assert_eq!(markers(from_doc), markers(from_txt), "{name}: markers");
    for t in from_txt.iter().filter(|p| p.kind == Kind::Table) {
        let d = doc_by_text.get(&norm(&t.text));
        assert_eq!(
            d.map(|d| d.kind),
            Some(Kind::Table),
            "{name}: table {:?}",
            t.text
        );
    }
    for p in from_doc {
        assert!(
            HIDDEN.iter().all(|h| !p.text.contains(h)),
            "{name}: {}",
            p.text
        );
    }
    // Numbered paragraphs were written as list items without their numbers: the list
    // numbering gives them back.
    for p in from_txt
        .iter()
        .filter(|p| p.kind == Kind::Body && NUMBERED.is_match(&p.text))
    {
        assert!(
            doc_by_text.contains_key(&norm(&p.text)),
            "{name}: item {:?}",
            p.text
        );
    }
    let body: Vec<&Passage> = from_txt.iter().filter(|p| p.kind == Kind::Body).collect();
    let found = body
        .iter()
        .filter(|p| doc_by_text.contains_key(&norm(&p.text)))
        .count();
    let kept = Kept {
        body_found: found as f64 / body.len() as f64,
    };
    let count = |ps: &[Passage], k: Kind| ps.iter().filter(|p| p.kind == k).count();
    eprintln!(
        "{name}: {found} of {} body passages found ({:.1}%); headings {}/{}, footnotes {}/{}, \
         tables {}/{}; {} passages against {}",
        body.len(),
        kept.body_found * 100.0,
        count(from_doc, Kind::Heading),
        count(from_txt, Kind::Heading),
        count(from_doc, Kind::Footnote),
        count(from_txt, Kind::Footnote),
        count(from_doc, Kind::Table),
        count(from_txt, Kind::Table),
        from_doc.len(),
        from_txt.len()
    );
    kept
}

/// A seed text and the Word and OpenDocument manuscripts made of it, each compared with it.
fn seed_as_manuscripts(seed: &str) {
    let dir = scratch(&format!("docx_{}", &seed[7..10]));
    let path = manifest_dir().join(seed);
    let source = fs::read_to_string(&path).unwrap();
    let from_txt = passages_of_file(&path);
    let blocks = blocks_of(&from_txt, &source);
    for (ext, bytes) in [("docx", docx_of(&blocks)), ("odt", odt_of(&blocks))] {
        let file = dir.join(format!("naskah.{ext}"));
        fs::write(&file, bytes).unwrap();
        let from_doc = passages_of_file(&file);
        let kept = compare(&format!("{} as .{ext}", &seed[7..10]), &from_txt, &from_doc);
        assert!(kept.body_found >= 0.97, "{ext}: {:.3}", kept.body_found);
    }
}

#[test]
fn a_manuscript_of_seed_004_keeps_its_chapters_sections_and_tables() {
    seed_as_manuscripts(SEED_004);
}

#[test]
fn a_manuscript_of_seed_003_keeps_its_footnotes() {
    let from_txt = passages_of_file(&manifest_dir().join(SEED_003));
    assert_eq!(
        from_txt.iter().filter(|p| p.kind == Kind::Footnote).count(),
        17
    );
    seed_as_manuscripts(SEED_003);
}

/// The first blocks of seed 004, as a short manuscript.
fn short_manuscript(n: usize) -> Vec<Block> {
    let path = manifest_dir().join(SEED_004);
    let source = fs::read_to_string(&path).unwrap();
    let mut blocks = blocks_of(&passages_of_file(&path), &source);
    blocks.truncate(n);
    blocks
}

/// The committed files LibreOffice made (see `tests/data/docx/SOURCES.md`).
fn fixture(name: &str) -> Vec<u8> {
    fs::read(manifest_dir().join("tests/data/docx").join(name)).unwrap()
}

/// A directory with good manuscripts and every kind of bad one, and the reason each bad one
/// must get.
fn bad_manuscripts(dir: &Path) -> Vec<(std::path::PathBuf, &'static str)> {
    let good = docx_of(&short_manuscript(12));
    fs::write(dir.join("baik.docx"), &good).unwrap();
    fs::write(dir.join("baik.odt"), odt_of(&short_manuscript(12))).unwrap();
    let mut bad = Vec::new();
    let mut put = |name: &str, bytes: &[u8], reason: &'static str| {
        fs::write(dir.join(name), bytes).unwrap();
        bad.push((dir.join(name), reason));
    };
    put("kosong.docx", b"", "empty file");
    put(
        "lama.docx",
        &fixture("naskah.doc"),
        "Word 97-2003 .doc is not supported; save as .docx",
    );
    put(
        "terkunci.docx",
        &fixture("terkunci.docx"),
        "password-protected file",
    );
    put(
        "potong.docx",
        &good[..good.len() / 2],
        "damaged or truncated package",
    );
    put(
        "catatan.docx",
        "Catatan rapat, bukan dokumen Word.\n".as_bytes(),
        "not a .docx package although named so",
    );
    let readme = zip_package(&[("baca.txt", "Bukan dokumen Word.".into())]);
    put("arsip.docx", &readme, "a zip without word/document.xml");
    let broken = docx_package(
        "<w:p><w:r><w:t>Teks yang tidak ditutup</w:r></w:p>",
        "",
        "",
        "",
    );
    put("rusak.docx", &broken, "malformed XML in word/document.xml");
    // A document part of 65 MiB of spaces: it compresses to a few dozen KiB.
    let bomb = docx_package(&" ".repeat(65 << 20), "", "", "");
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    put(
        "bom.docx",
        &bomb,
        "word/document.xml decompresses to over 64 MiB",
    );
    put(
        "tertukar.odt",
        &good,
        "a Word file named .odt; rename it to .docx",
    );
    let broken = odt_package("<text:p>Teks <text:span>yang tidak ditutup</text:p>");
    put("rusak.odt", &broken, "malformed XML in content.xml");
    bad
}

#[test]
fn bad_manuscripts_are_skipped_with_their_reasons_and_the_rest_is_indexed() {
    let dir = scratch("docx_bad");
    let corpus = dir.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    let bad = bad_manuscripts(&corpus);
    fs::write(
        corpus.join("catatan.txt"),
        "Catatan penelitian tentang migrasi.\n",
    )
    .unwrap();
    // The lock file Word leaves beside an open document: passed over in silence.
    let lock = corpus.join("~$baik.docx");
    fs::write(&lock, b"\x0bpenyunting\0\0\0\0\0\0\0\0").unwrap();

    let report = pustaka::index::build(&dir.join("index"), &[corpus], &mut |_| {}).unwrap();
    eprintln!(
        "{}",
        pustaka::render::build_report(&report, pustaka::render::Style { color: false })
    );
    for (path, reason) in &bad {
        let skip = report.skipped.iter().find(|s| &s.path == path);
        let skip = skip.unwrap_or_else(|| panic!("{} not skipped: {report:?}", path.display()));
        assert!(
            skip.reason.starts_with(reason),
            "{}: {}",
            path.display(),
            skip.reason
        );
    }
    assert_eq!(report.skipped.len(), bad.len(), "{:?}", report.skipped);
    // baik.docx, baik.odt and the text file.
    assert_eq!(report.documents, 3, "{report:?}");
    // Each is a document of its own, served as the file it is.
    let engine = pustaka::index::Engine::open(&dir.join("index")).unwrap();
    for (doc, media_type) in [
        (
            "baik.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("baik.odt", "application/vnd.oasis.opendocument.text"),
    ] {
        let file = pustaka::api::Source { doc: doc.into() }
            .answer(&engine)
            .unwrap();
        assert_eq!(file.media_type, media_type);
        assert_eq!(file.bytes, fs::read(dir.join("corpus").join(doc)).unwrap());
    }

    // Named on the command line, the lock file is a skip with its reason.
    let (out, err, ok) = run_cli(
        &dir.join("idx2"),
        &["passages", lock.to_str().unwrap()],
        None,
    );
    assert!(ok && out.is_empty(), "{out}{err}");
    assert!(err.contains("a lock file Word keeps"), "{err}");
}

#[test]
fn a_manuscript_is_checked_against_the_corpus() {
    let dir = scratch("docx_check");
    let blocks = short_manuscript(14);
    for (name, bytes) in [
        ("draf.docx", docx_of(&blocks)),
        ("draf.odt", odt_of(&blocks)),
    ] {
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        let (out, err, ok) = run_cli(seed_index(), &["check", path.to_str().unwrap()], None);
        assert!(ok, "{name}: {err}");
        assert!(out.contains("← 004_ee0b6ec72090fab7.txt#"), "{name}: {out}");
    }
    let bad = dir.join("lama.docx");
    fs::write(&bad, fixture("naskah.doc")).unwrap();
    let (_, err, ok) = run_cli(seed_index(), &["check", bad.to_str().unwrap()], None);
    assert!(
        !ok && err.contains("Word 97-2003 .doc is not supported"),
        "{err}"
    );
}

/// The files LibreOffice wrote from the opening of seed 003 (and a table of 004): its own Word
/// writer's styles, numbering and notes, and its own format, read as the text file's passages.
#[test]
fn files_libreoffice_wrote_read_as_their_source() {
    let dir = scratch("docx_libreoffice");
    let from_txt = passages_of_file(&manifest_dir().join(SEED_003));
    let last = from_txt
        .iter()
        .position(|p| p.kind != Kind::Footnote && p.footnotes.contains(&4))
        .unwrap();
    let opening: Vec<Passage> = from_txt[..=last]
        .iter()
        .filter(|p| p.kind != Kind::Footnote)
        .cloned()
        .chain(
            from_txt
                .iter()
                .filter(|p| p.footnotes.iter().any(|&n| n <= 4) && p.kind == Kind::Footnote)
                .cloned(),
        )
        .collect();
    let table_004 = passages_of_file(&manifest_dir().join(SEED_004))
        .into_iter()
        .find(|p| p.kind == Kind::Table)
        .unwrap();
    let mut texts = Vec::new();
    for name in ["naskah.docx", "naskah.odt"] {
        let path = dir.join(name);
        fs::write(&path, fixture(name)).unwrap();
        let from_doc = passages_of_file(&path);
        compare(&format!("LibreOffice {name}"), &opening, &from_doc);
        let table = from_doc.iter().find(|p| p.kind == Kind::Table);
        assert_eq!(
            table.map(|t| norm(&t.text)),
            Some(norm(&table_004.text)),
            "{name}"
        );
        for item in ["Prostitusi anak", "Pornografi anak"] {
            let want = format!("- {item}");
            assert!(from_doc.iter().any(|p| p.text == want), "{name}: {want}");
        }
        texts.push(
            from_doc
                .iter()
                .map(|p| (p.kind, norm(&p.text)))
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(texts[0], texts[1], "the .docx and the .odt differ");
}

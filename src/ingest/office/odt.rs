//! OpenDocument Text (`.odt`): `content.xml` walked in order. Headings are `text:h` with their
//! outline level; notes are `text:note` where they stand; list labels come from the list's style.

use std::collections::HashMap;

use roxmltree::Node;

use super::text::{Para, Writer};
use super::{parse, Parts};

const MIMETYPE: &str = "application/vnd.oasis.opendocument.text";

fn local<'a>(n: &Node<'a, '_>) -> &'a str {
    n.tag_name().name()
}

fn attr<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attributes().find(|a| a.name() == name).map(|a| a.value())
}

/// The text of an `.odt` package.
pub(super) fn text(parts: &mut Parts) -> Result<String, String> {
    check_package(parts)?;
    let Some(xml) = parts.text("content.xml")? else {
        return Err(if parts.has("word/document.xml") {
            "a Word file named .odt; rename it to .docx".into()
        } else {
            "a zip without content.xml: not an OpenDocument text (or a damaged one)".into()
        });
    };
    let doc = parse("content.xml", &xml)?;
    let styles_xml = parts.text("styles.xml")?;
    let styles_doc = match &styles_xml {
        Some(xml) => Some(parse("styles.xml", xml)?),
        None => None,
    };
    let mut lists = ListStyles::default();
    lists.read(&doc);
    if let Some(d) = &styles_doc {
        lists.read(d);
    }
    let body = doc
        .descendants()
        .find(|n| local(n) == "text" && n.parent().is_some_and(|p| local(&p) == "body"))
        .ok_or("content.xml has no text body: not an OpenDocument text")?;
    let mut walk = Walk {
        lists,
        out: Writer::default(),
    };
    walk.blocks(body);
    Ok(walk.out.finish())
}

/// The package is an unencrypted text document.
fn check_package(parts: &mut Parts) -> Result<(), String> {
    if let Some(manifest) = parts.text("META-INF/manifest.xml")? {
        if manifest.contains("encryption-data") {
            return Err(
                "password-protected OpenDocument file; save a copy without a password \
                        and index that"
                    .into(),
            );
        }
    }
    match parts.text("mimetype")? {
        Some(m) if m.trim().starts_with(MIMETYPE) || !m.contains("opendocument") => Ok(()),
        Some(m) => Err(format!(
            "an OpenDocument file of another kind ({}), not a text document",
            m.trim()
        )),
        None => Ok(()),
    }
}

/// How a list style labels each level: a bullet, or a number in a format with its prefix and
/// suffix.
#[derive(Debug, Clone, Default)]
struct LevelStyle {
    bullet: bool,
    format: String,
    prefix: String,
    suffix: String,
}

#[derive(Debug, Default)]
struct ListStyles {
    by_name: HashMap<String, Vec<(usize, LevelStyle)>>,
}

impl ListStyles {
    fn read(&mut self, doc: &roxmltree::Document) {
        for style in doc.descendants().filter(|n| local(n) == "list-style") {
            let Some(name) = attr(style, "name") else {
                continue;
            };
            let levels = style
                .children()
                .filter(|l| l.is_element())
                .filter_map(|l| {
                    let level = attr(l, "level")?.parse().ok()?;
                    let s = LevelStyle {
                        bullet: local(&l) != "list-level-style-number",
                        format: attr(l, "num-format").unwrap_or("1").to_string(),
                        prefix: attr(l, "num-prefix").unwrap_or("").to_string(),
                        suffix: attr(l, "num-suffix").unwrap_or("").to_string(),
                    };
                    Some((level, s))
                })
                .collect();
            self.by_name.entry(name.to_string()).or_insert(levels);
        }
    }

    /// The label of the `n`-th item (from 1) at `level` (from 1) of a list of this style.
    fn label(&self, style: Option<&str>, level: usize, n: u32) -> String {
        let n = n.max(1);
        let found = style
            .and_then(|s| self.by_name.get(s))
            .and_then(|ls| ls.iter().find(|(l, _)| *l == level).map(|(_, s)| s));
        match found {
            Some(s) if !s.bullet => {
                let number = match s.format.as_str() {
                    "a" => ((b'a' + ((n - 1) % 26) as u8) as char).to_string(),
                    "A" => ((b'A' + ((n - 1) % 26) as u8) as char).to_string(),
                    "i" => roman(n).to_lowercase(),
                    "I" => roman(n),
                    "" => String::new(),
                    _ => n.to_string(),
                };
                format!("{}{number}{}", s.prefix, s.suffix)
            }
            // Markdown's bullet, as for Word's lists.
            _ => "-".into(),
        }
    }
}

fn roman(mut n: u32) -> String {
    let mut out = String::new();
    for (value, digits) in [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")] {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    if n == 0 && out.is_empty() {
        out.push('0');
    }
    out
}

struct Walk {
    lists: ListStyles,
    out: Writer,
}

impl Walk {
    fn blocks(&mut self, node: Node) {
        for c in node.children().filter(|c| c.is_element()) {
            self.block(c, String::new());
        }
    }

    /// One block element; `label` is that of the list item it opens.
    fn block(&mut self, c: Node, label: String) {
        match local(&c) {
            "p" => {
                let (para, boxes) = self.para_text(c);
                self.out.paragraph(&label, para);
                self.boxes(boxes);
            }
            "h" => {
                let level = attr(c, "outline-level").and_then(|l| l.parse().ok());
                let (para, boxes) = self.para_text(c);
                self.out.heading(level.unwrap_or(1), &label, para);
                self.boxes(boxes);
            }
            "list" => self.list(c, None, 1),
            "table" => self.table(c),
            // Generated indexes repeat the headings; tracked changes hold deleted text.
            "tracked-changes" | "table-of-content" | "illustration-index" | "table-index"
            | "object-index" | "user-index" | "alphabetical-index" | "sequence-decls" | "forms"
            | "annotation" => {}
            _ => self.blocks(c),
        }
    }

    fn boxes(&mut self, boxes: Vec<Node>) {
        for b in boxes {
            self.blocks(b);
        }
    }

    /// A list: each item's first block labelled by the list's style, nested lists a level
    /// deeper.
    fn list(&mut self, list: Node, style: Option<&str>, level: usize) {
        let style = attr(list, "style-name").or(style);
        let mut n = 0u32;
        for item in list.children().filter(|c| c.is_element()) {
            let label = match local(&item) {
                "list-item" => {
                    n = (attr(item, "start-value").and_then(|v| v.parse().ok())).unwrap_or(n + 1);
                    self.lists.label(style, level, n)
                }
                "list-header" => String::new(),
                _ => continue,
            };
            let mut label = Some(label);
            for c in item.children().filter(|c| c.is_element()) {
                if local(&c) == "list" {
                    self.list(c, style, level + 1);
                } else {
                    self.block(c, label.take().unwrap_or_default());
                }
            }
        }
    }

    /// A paragraph's text with its notes numbered; the text boxes (frames) it anchors.
    fn para_text<'a, 'i>(&mut self, p: Node<'a, 'i>) -> (Para, Vec<Node<'a, 'i>>) {
        let mut para = Para::default();
        let mut boxes = Vec::new();
        self.inline(p, &mut para, &mut boxes);
        (para, boxes)
    }

    fn inline<'a, 'i>(
        &mut self,
        node: Node<'a, 'i>,
        para: &mut Para,
        boxes: &mut Vec<Node<'a, 'i>>,
    ) {
        for c in node.children() {
            if c.is_text() {
                para.push_str(c.text().unwrap_or(""));
                continue;
            }
            if !c.is_element() {
                continue;
            }
            match local(&c) {
                "s" | "tab" | "line-break" => para.push_str(" "),
                "note" => self.note(c, para),
                "text-box" => boxes.push(c),
                "annotation" | "annotation-end" | "note-citation" | "title" | "desc" => {}
                _ => self.inline(c, para, boxes),
            }
        }
    }

    fn note(&mut self, note: Node, para: &mut Para) {
        let Some(body) = note.children().find(|c| local(c) == "note-body") else {
            return;
        };
        let mut text = Para::default();
        for p in body.descendants().filter(|n| matches!(local(n), "p" | "h")) {
            let mut part = Para::default();
            self.inline(p, &mut part, &mut Vec::new());
            text.append(part);
        }
        if let Some(n) = self.out.note(text) {
            para.mark(n);
        }
    }

    /// A table, one row a line; nested tables flatten into their cell.
    fn table(&mut self, table: Node) {
        let mut rows = Vec::new();
        for tr in table.descendants().filter(|n| local(n) == "table-row") {
            if tr.ancestors().skip(1).find(|a| local(a) == "table") != Some(table) {
                continue;
            }
            let mut cells = Vec::new();
            for tc in tr.children().filter(|n| local(n) == "table-cell") {
                let mut cell = Para::default();
                for p in tc.descendants().filter(|n| matches!(local(n), "p" | "h")) {
                    let (para, _) = self.para_text(p);
                    cell.append(para);
                }
                cells.push(cell);
            }
            rows.push(cells);
        }
        self.out.table(rows);
    }
}

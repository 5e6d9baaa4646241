//! Word (`.docx`): the main part found through the package's relationships, its paragraphs and
//! tables walked in order, styles, list numbers and notes looked up in their own parts.

use std::collections::HashMap;

use roxmltree::Node;

use super::text::{Para, Writer};
use super::{parse, Parts};

/// How many `basedOn` steps a style lookup follows: real chains are two or three long, and a
/// cycle (a damaged file) must end.
const MAX_STYLE_DEPTH: usize = 16;

/// The element's name without its namespace: Word writes `w:` for the transitional namespace
/// and another URI for Strict OOXML, with the same local names.
fn local<'a>(n: &Node<'a, '_>) -> &'a str {
    n.tag_name().name()
}

fn attr<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attributes().find(|a| a.name() == name).map(|a| a.value())
}

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| c.is_element() && local(c) == name)
}

/// The `w:val` of the child element `name`.
fn val<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(n, name).and_then(|c| attr(c, "val"))
}

/// The text of a `.docx` package.
pub(super) fn text(parts: &mut Parts) -> Result<String, String> {
    let main = main_part(parts)?;
    let Some(xml) = parts.text(&main)? else {
        return Err(missing_main(parts, &main));
    };
    let rels = relationships(parts, &main)?;
    let doc = parse(&main, &xml)?;
    let body = child(doc.root_element(), "body")
        .ok_or_else(|| format!("{main} has no body: not a Word document"))?;
    let aux = |parts: &mut Parts, kind: &str| -> Result<Option<(String, String)>, String> {
        let Some(name) = rels.get(kind) else {
            return Ok(None);
        };
        Ok(parts.text(name)?.map(|xml| (name.clone(), xml)))
    };
    let styles = match aux(parts, "styles")? {
        Some((name, xml)) => Styles::read(&parse(&name, &xml)?),
        None => Styles::default(),
    };
    let numbering = match aux(parts, "numbering")? {
        Some((name, xml)) => Numbering::read(&parse(&name, &xml)?),
        None => Numbering::default(),
    };
    let mut notes = HashMap::new();
    for (kind, endnote) in [("footnotes", false), ("endnotes", true)] {
        if let Some((name, xml)) = aux(parts, kind)? {
            read_notes(&parse(&name, &xml)?, endnote, &mut notes);
        }
    }
    let mut walk = Walk {
        styles,
        numbering,
        notes,
        out: Writer::default(),
    };
    walk.blocks(body);
    Ok(walk.out.finish())
}

/// The main document part, as `_rels/.rels` names it (`word/document.xml` in every file Word
/// and LibreOffice write, but not in every generator's).
fn main_part(parts: &mut Parts) -> Result<String, String> {
    let fallback = "word/document.xml".to_string();
    let Some(xml) = parts.text("_rels/.rels")? else {
        return Ok(fallback);
    };
    let doc = parse("_rels/.rels", &xml)?;
    let target = doc
        .root_element()
        .children()
        .filter(|r| r.is_element())
        .find(|r| attr(*r, "Type").is_some_and(|t| t.ends_with("/officeDocument")))
        .and_then(|r| attr(r, "Target"));
    Ok(target.map_or(fallback, |t| t.trim_start_matches('/').to_string()))
}

/// Why a package has no main document part: often it is another kind of package.
fn missing_main(parts: &Parts, main: &str) -> String {
    if parts.has("content.xml") {
        return "an OpenDocument file named .docx; rename it to .odt".into();
    }
    if parts.has("xl/workbook.xml") {
        return "an Excel workbook named .docx, not a Word document".into();
    }
    if parts.has("ppt/presentation.xml") {
        return "a PowerPoint presentation named .docx, not a Word document".into();
    }
    format!("a zip without {main}: not a Word document (or a damaged one)")
}

/// The parts the main part relates to, by the last word of the relationship type (`styles`,
/// `numbering`, `footnotes`, `endnotes`), as package paths.
fn relationships(parts: &mut Parts, main: &str) -> Result<HashMap<String, String>, String> {
    let (dir, file) = main.rsplit_once('/').unwrap_or(("", main));
    let name = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let mut out = HashMap::new();
    let Some(xml) = parts.text(&name)? else {
        // No relationships: the parts are where Word puts them.
        for kind in ["styles", "numbering", "footnotes", "endnotes"] {
            out.insert(kind.to_string(), format!("word/{kind}.xml"));
        }
        return Ok(out);
    };
    let doc = parse(&name, &xml)?;
    for r in doc.root_element().children().filter(|r| r.is_element()) {
        let (Some(kind), Some(target)) = (attr(r, "Type"), attr(r, "Target")) else {
            continue;
        };
        if attr(r, "TargetMode") == Some("External") {
            continue;
        }
        let kind = kind.rsplit('/').next().unwrap_or(kind);
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None if dir.is_empty() => target.to_string(),
            None => format!("{dir}/{target}"),
        };
        out.insert(kind.to_string(), path);
    }
    Ok(out)
}

/// A paragraph style, as far as headings and lists need it.
#[derive(Debug, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    /// `w:outlineLvl` (0 for the top level, 9 for body text).
    outline: Option<u8>,
    /// `(numId, ilvl)` of the numbering the style carries.
    num: Option<(String, Option<u8>)>,
}

#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    /// The style of a paragraph that names none.
    default: Option<String>,
}

impl Styles {
    fn read(doc: &roxmltree::Document) -> Styles {
        let mut styles = Styles::default();
        for s in doc
            .root_element()
            .children()
            .filter(|s| local(s) == "style")
        {
            if attr(s, "type") != Some("paragraph") {
                continue;
            }
            let Some(id) = attr(s, "styleId") else {
                continue;
            };
            if matches!(attr(s, "default"), Some("1" | "true" | "on")) {
                styles.default = Some(id.to_string());
            }
            let ppr = child(s, "pPr");
            let style = Style {
                name: val(s, "name").unwrap_or(id).to_string(),
                based_on: val(s, "basedOn").map(str::to_string),
                outline: ppr.and_then(|p| val(p, "outlineLvl")?.parse().ok()),
                num: ppr.and_then(num_pr),
            };
            styles.by_id.insert(id.to_string(), style);
        }
        styles
    }

    /// The style and those it is based on, nearest first.
    fn chain<'s>(&'s self, id: &str) -> impl Iterator<Item = (&'s str, &'s Style)> + 's {
        let mut next = self.by_id.get_key_value(id);
        std::iter::from_fn(move || {
            let (id, style) = next?;
            next = style
                .based_on
                .as_deref()
                .and_then(|b| self.by_id.get_key_value(b));
            Some((id.as_str(), style))
        })
        .take(MAX_STYLE_DEPTH)
    }

    /// The heading level (1 for the top) of a paragraph of this style, if it is a heading: the
    /// first outline level or heading name met going up the chain.
    fn heading_level(&self, id: &str) -> Option<usize> {
        for (id, style) in self.chain(id) {
            if let Some(level) = style.outline {
                return (level < 9).then_some(usize::from(level) + 1);
            }
            if let Some(level) = name_level(&style.name).or_else(|| name_level(id)) {
                return Some(level);
            }
        }
        None
    }

    /// A table of contents line (`toc 1`, …): it repeats the headings, with page numbers.
    fn is_toc(&self, id: &str) -> bool {
        self.chain(id)
            .next()
            .is_some_and(|(_, s)| s.name.to_lowercase().starts_with("toc "))
    }

    /// The numbering the style carries (through the chain), as `(numId, ilvl)`.
    fn numbering(&self, id: &str) -> Option<(String, Option<u8>)> {
        self.chain(id).find_map(|(_, s)| s.num.clone())
    }
}

/// The level a heading style's name gives: `heading 1` (the name Word stores for its built-in
/// style in every language), `Heading1`, or the localized names people recreate (`Judul 1`,
/// `Überschrift 1`, `Titre 1`, `Kop 1`).
fn name_level(name: &str) -> Option<usize> {
    const WORDS: [&str; 8] = [
        "heading",
        "judul",
        "überschrift",
        "titre",
        "titolo",
        "título",
        "encabezado",
        "kop",
    ];
    let name = name.trim().to_lowercase();
    let digits = name.trim_start_matches(|c: char| !c.is_ascii_digit());
    let word = name[..name.len() - digits.len()].trim();
    let level: usize = digits.parse().ok()?;
    (WORDS.contains(&word) && (1..=9).contains(&level)).then_some(level)
}

/// `(numId, ilvl)` of a `w:numPr` under `ppr`.
fn num_pr(ppr: Node) -> Option<(String, Option<u8>)> {
    let num = child(ppr, "numPr")?;
    let id = val(num, "numId")?.to_string();
    Some((id, val(num, "ilvl").and_then(|l| l.parse().ok())))
}

/// One level of a list definition.
#[derive(Debug, Default, Clone)]
struct Level {
    start: u32,
    format: String,
    /// `%1.%2`, `BAB %1`: where the levels' numbers go.
    text: String,
    /// The paragraph style this level numbers (a numbered heading style).
    style: Option<String>,
    /// `w:isLgl`: every level's number in decimal (`2.3`, not `II.3`).
    legal: bool,
}

/// List definitions and the counters of the lists met so far.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    /// numId → (abstractNumId, start overrides by level).
    nums: HashMap<String, (String, Vec<(u8, u32)>)>,
    /// The current number of each level, by abstract list (Word continues a list across the
    /// numIds that share its definition).
    counters: HashMap<String, [Option<u32>; 9]>,
    /// numIds met, so a start override restarts its list once, at its first paragraph.
    met: std::collections::HashSet<String>,
}

impl Numbering {
    fn read(doc: &roxmltree::Document) -> Numbering {
        let mut n = Numbering::default();
        for e in doc.root_element().children().filter(|e| e.is_element()) {
            match local(&e) {
                "abstractNum" => {
                    let Some(id) = attr(e, "abstractNumId") else {
                        continue;
                    };
                    n.abstracts.insert(id.to_string(), levels(e));
                }
                "num" => {
                    let (Some(id), Some(abs)) = (attr(e, "numId"), val(e, "abstractNumId")) else {
                        continue;
                    };
                    let overrides = e
                        .children()
                        .filter(|o| local(o) == "lvlOverride")
                        .filter_map(|o| {
                            let level = attr(o, "ilvl")?.parse().ok()?;
                            Some((level, val(o, "startOverride")?.parse().ok()?))
                        })
                        .collect();
                    n.nums.insert(id.to_string(), (abs.to_string(), overrides));
                }
                _ => {}
            }
        }
        n
    }

    /// The label of the next paragraph of list `num` at `level` (its level found by `style`
    /// when the paragraph does not say), counting it.
    fn label(&mut self, num: &str, level: Option<u8>, style: Option<&str>) -> Option<String> {
        let (abs, overrides) = self.nums.get(num)?.clone();
        let levels = self.abstracts.get(&abs)?;
        let ilvl = level
            .map(usize::from)
            .or_else(|| levels.iter().position(|l| l.style.as_deref() == style))
            .unwrap_or(0)
            .min(8);
        let mut levels = levels.clone();
        let counters = self.counters.entry(abs).or_insert([None; 9]);
        if self.met.insert(num.to_string()) {
            for (l, start) in overrides {
                if let Some(lv) = levels.get_mut(usize::from(l)) {
                    lv.start = start;
                    counters[usize::from(l)] = None;
                }
            }
        }
        let lv = levels.get(ilvl)?;
        counters[ilvl] = Some(counters[ilvl].map_or(lv.start, |c| c + 1));
        counters[ilvl + 1..].iter_mut().for_each(|c| *c = None);
        Some(render_label(&levels, counters, lv))
    }
}

fn levels(abs: Node) -> Vec<Level> {
    let mut out = vec![Level::default(); 9];
    for l in abs.children().filter(|l| local(l) == "lvl") {
        let Some(i) = attr(l, "ilvl").and_then(|i| i.parse::<usize>().ok()) else {
            continue;
        };
        if let Some(slot) = out.get_mut(i) {
            *slot = Level {
                start: val(l, "start").and_then(|s| s.parse().ok()).unwrap_or(1),
                format: val(l, "numFmt").unwrap_or("decimal").to_string(),
                text: val(l, "lvlText").unwrap_or("").to_string(),
                style: val(l, "pStyle").map(str::to_string),
                legal: child(l, "isLgl").is_some_and(|x| attr(x, "val").is_none_or(|v| v != "0")),
            };
        }
    }
    out
}

/// `%1.%2` with each level's number in its own format; a bullet is Markdown's `-` whatever
/// its glyph (Symbol-font glyphs mean nothing outside the font, and the segmenter takes a line
/// opening with `-` for no heading, however short).
fn render_label(levels: &[Level], counters: &[Option<u32>; 9], level: &Level) -> String {
    match level.format.as_str() {
        "bullet" => return "-".into(),
        "none" => return String::new(),
        _ => {}
    }
    let mut out = String::new();
    let mut chars = level.text.chars().peekable();
    while let Some(c) = chars.next() {
        let digit = chars.peek().and_then(|d| d.to_digit(10));
        match digit {
            Some(d @ 1..=9) if c == '%' => {
                chars.next();
                let k = d as usize - 1;
                let n = counters[k].unwrap_or(levels[k].start);
                let format = if level.legal {
                    "decimal"
                } else {
                    &levels[k].format
                };
                out.push_str(&format_number(n, format));
            }
            _ => out.push(c),
        }
    }
    out
}

fn format_number(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" => letters(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" => format!("{n:02}"),
        _ => n.to_string(),
    }
}

/// A, B, …, Z, AA, BB, … as Word counts in letters.
fn letters(n: u32) -> String {
    let n = n.max(1) - 1;
    let c = char::from(b'A' + (n % 26) as u8);
    c.to_string().repeat((n / 26) as usize + 1)
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// The text of every real note (not the separators) of a notes part, by `(endnote, id)`.
fn read_notes(doc: &roxmltree::Document, endnote: bool, notes: &mut HashMap<(bool, String), Para>) {
    for note in doc.root_element().children().filter(|n| n.is_element()) {
        if attr(note, "type").is_some_and(|t| t != "normal") {
            continue;
        }
        let Some(id) = attr(note, "id") else {
            continue;
        };
        let mut text = Para::default();
        for p in note.descendants().filter(|p| local(p) == "p") {
            let mut para = Para::default();
            runs(p, &mut para, &mut Vec::new(), &mut Vec::new());
            text.append(para);
        }
        notes.insert((endnote, id.to_string()), text);
    }
}

/// A note reference in a paragraph: where it stands, endnote or not, its id.
type NoteRef = (usize, bool, String);

/// The text of a paragraph's runs, in order, with its note references; text boxes anchored in
/// it are put aside, to follow it as paragraphs of their own.
fn runs<'a, 'i>(
    node: Node<'a, 'i>,
    para: &mut Para,
    refs: &mut Vec<NoteRef>,
    boxes: &mut Vec<Node<'a, 'i>>,
) {
    for c in node.children().filter(|c| c.is_element()) {
        match local(&c) {
            "t" => para.push_str(c.text().unwrap_or("")),
            "tab" | "br" | "cr" | "ptab" => para.push_str(" "),
            "noBreakHyphen" => para.push_str("-"),
            "footnoteReference" | "endnoteReference" => {
                if let Some(id) = attr(c, "id") {
                    let endnote = local(&c) == "endnoteReference";
                    refs.push((para.text.len(), endnote, id.to_string()));
                }
            }
            "txbxContent" => boxes.push(c),
            // Deleted text of tracked changes, field codes (`PAGE`, `TOC \o`), formatting,
            // and the fallback copy of a drawing that `mc:Choice` already holds.
            "delText" | "instrText" | "del" | "moveFrom" | "pPr" | "rPr" | "Fallback" => {}
            _ => runs(c, para, refs, boxes),
        }
    }
}

/// The walk over the body, writing as it goes.
struct Walk {
    styles: Styles,
    numbering: Numbering,
    notes: HashMap<(bool, String), Para>,
    out: Writer,
}

impl Walk {
    fn blocks(&mut self, node: Node) {
        for c in node.children().filter(|c| c.is_element()) {
            match local(&c) {
                "p" => self.paragraph(c),
                "tbl" => self.table(c),
                "sectPr" | "del" | "moveFrom" | "Fallback" => {}
                _ => self.blocks(c),
            }
        }
    }

    /// A paragraph's text, its references numbered; the text boxes it anchors.
    fn para_text<'a, 'i>(&mut self, p: Node<'a, 'i>) -> (Para, Vec<Node<'a, 'i>>) {
        let mut para = Para::default();
        let (mut refs, mut boxes) = (Vec::new(), Vec::new());
        runs(p, &mut para, &mut refs, &mut boxes);
        for (at, endnote, id) in refs {
            let Some(text) = self.notes.remove(&(endnote, id)) else {
                continue;
            };
            if let Some(n) = self.out.note(text) {
                para.marks.push((at, n));
            }
        }
        (para, boxes)
    }

    fn paragraph(&mut self, p: Node) {
        let ppr = child(p, "pPr");
        let style = ppr
            .and_then(|x| val(x, "pStyle"))
            .or(self.styles.default.as_deref())
            .unwrap_or("")
            .to_string();
        if self.styles.is_toc(&style) {
            return;
        }
        let (para, boxes) = self.para_text(p);
        let outline = ppr.and_then(|x| val(x, "outlineLvl")?.parse::<usize>().ok());
        let level = match outline {
            Some(l) => (l < 9).then_some(l + 1),
            None => self.styles.heading_level(&style),
        };
        let label = self.label(ppr, &style).unwrap_or_default();
        match level {
            Some(level) => self.out.heading(level, &label, para),
            None => self.out.paragraph(&label, para),
        }
        for b in boxes {
            self.blocks(b);
        }
    }

    /// The list label of a paragraph: its own numbering, else its style's; `numId` 0 takes
    /// a style's numbering away.
    fn label(&mut self, ppr: Option<Node>, style: &str) -> Option<String> {
        let (num, level) = ppr
            .and_then(num_pr)
            .or_else(|| self.styles.numbering(style))?;
        if num == "0" {
            return None;
        }
        self.numbering.label(&num, level, Some(style))
    }

    /// A table, one row a line; nested tables flatten into their cell.
    fn table(&mut self, tbl: Node) {
        let mut rows = Vec::new();
        for tr in tbl.descendants().filter(|n| local(n) == "tr") {
            if tr.ancestors().skip(1).find(|a| local(a) == "tbl") != Some(tbl) {
                continue;
            }
            let mut cells = Vec::new();
            for tc in tr.children().filter(|n| local(n) == "tc") {
                let mut cell = Para::default();
                for p in tc.descendants().filter(|n| local(n) == "p") {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_names_in_several_languages() {
        assert_eq!(name_level("heading 2"), Some(2));
        assert_eq!(name_level("Judul 1"), Some(1));
        assert_eq!(name_level("Heading1"), Some(1));
        assert_eq!(name_level("Überschrift 3"), Some(3));
        assert_eq!(name_level("Normal"), None);
        assert_eq!(name_level("List 2"), None);
        assert_eq!(name_level("Judul"), None);
    }

    #[test]
    fn numbers_in_words_word_counts_in() {
        assert_eq!(roman(14), "XIV");
        assert_eq!(letters(1), "A");
        assert_eq!(letters(28), "BB");
        let levels = vec![
            Level {
                start: 1,
                format: "upperRoman".into(),
                text: "BAB %1".into(),
                ..Level::default()
            },
            Level {
                start: 1,
                format: "decimal".into(),
                text: "%1.%2".into(),
                ..Level::default()
            },
        ];
        let mut counters = [None; 9];
        counters[0] = Some(2);
        counters[1] = Some(3);
        assert_eq!(render_label(&levels, &counters, &levels[0]), "BAB II");
        // `%1` in the second level's text is written in the first level's format, as Word
        // does, unless the level is legal numbering.
        assert_eq!(render_label(&levels, &counters, &levels[1]), "II.3");
        let legal = Level {
            legal: true,
            ..levels[1].clone()
        };
        assert_eq!(render_label(&levels, &counters, &legal), "2.3");
    }
}

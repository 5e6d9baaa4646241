//! ToUnicode maps mended before pdf-extract reads them.
//!
//! A font's ToUnicode map says which text each character code stands for. pdf-extract reads it
//! with `adobe-cmap-parser` and panics on what real producers write: Ghostscript 9.56 maps codes
//! to one-byte values (`<01> <01> <20>`, which the specification says must be UTF-16BE), others
//! write odd-length or unpaired-surrogate values. A panic costs the whole page, so one font in a
//! footnote loses every page it is used on (5 of 16 pages of a JSS article). Here each map is
//! tried with the same parser first; only a map it cannot take is rewritten, by a tolerant
//! reading of its `bfchar` and `bfrange` entries, as plain `bfchar` entries with UTF-16BE
//! values; a map with nothing usable in it is emptied, so the font's own encoding decides.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{Document as Pdf, Object, ObjectId};

/// Widest `bfrange` expanded: a map of single-byte or two-byte codes never needs more.
const MAX_RANGE: u32 = 0x1_0000;

/// Mend every ToUnicode map of `doc` that pdf-extract would fail on.
pub fn mend_to_unicode(doc: &mut Pdf) {
    for id in to_unicode_streams(doc) {
        let Ok(Object::Stream(stream)) = doc.get_object_mut(id) else {
            continue;
        };
        let plain = match stream.decompressed_content() {
            Ok(plain) => plain,
            Err(_) if stream.dict.get(b"Filter").is_err() => stream.content.clone(),
            Err(_) => continue,
        };
        if accepted(&plain) {
            continue;
        }
        let mut better = mend(&plain);
        if !accepted(&better) {
            better = write_bfchars(&[]);
        }
        stream.set_plain_content(better);
    }
}

/// The streams fonts name as their ToUnicode map.
fn to_unicode_streams(doc: &Pdf) -> BTreeSet<ObjectId> {
    doc.objects
        .values()
        .filter_map(|o| match o {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        })
        .filter(|d| d.has_type(b"Font"))
        .filter_map(|d| d.get(b"ToUnicode").ok()?.as_reference().ok())
        .collect()
}

/// Whether pdf-extract takes this map: its parser neither panics nor errs, and every value is
/// UTF-16BE that decodes (pdf-extract asserts the one and unwraps the other).
pub fn accepted(cmap: &[u8]) -> bool {
    super::quiet_panic_hook();
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        super::QUIET.with(|q| {
            let was = q.replace(true);
            let map = adobe_cmap_parser::get_unicode_map(cmap);
            q.set(was);
            map
        })
    }));
    let Ok(Ok(map)) = parsed else {
        return false;
    };
    map.values().all(|v| {
        v.len() % 2 == 0
            && (matches!(v.as_slice(), [0xd8..=0xdf, _])
                || char::decode_utf16(v.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])))
                    .all(|c| c.is_ok()))
    })
}

/// A map's `bfchar` and `bfrange` entries read tolerantly and written back as `bfchar`
/// entries whose values are UTF-16BE.
pub fn mend(cmap: &[u8]) -> Vec<u8> {
    let tokens = tokens(cmap);
    let mut pairs = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Op(op) if op == "beginbfchar" => i = bfchars(&tokens, i + 1, &mut pairs),
            Token::Op(op) if op == "beginbfrange" => i = bfranges(&tokens, i + 1, &mut pairs),
            _ => i += 1,
        }
    }
    write_bfchars(&pairs)
}

/// A code (its bytes, whose count is its width) and the text it stands for.
type Pair = (Vec<u8>, String);

fn bfchars(tokens: &[Token], mut i: usize, pairs: &mut Vec<Pair>) -> usize {
    while let [Token::Hex(code), Token::Hex(value), ..] = &tokens[i.min(tokens.len())..] {
        if let Some(text) = utf16_text(value) {
            pairs.push((code.clone(), text));
        }
        i += 2;
    }
    i
}

fn bfranges(tokens: &[Token], mut i: usize, pairs: &mut Vec<Pair>) -> usize {
    loop {
        let [Token::Hex(lo), Token::Hex(hi), ..] = &tokens[i.min(tokens.len())..] else {
            return i;
        };
        let (lo_n, hi_n) = (code_value(lo), code_value(hi));
        let codes = (lo_n..=hi_n).take(MAX_RANGE as usize);
        match tokens.get(i + 2) {
            Some(Token::Hex(first)) => {
                for (step, code) in (0u16..).zip(codes) {
                    if let Some(text) = utf16_text_plus(first, step) {
                        pairs.push((code_bytes(code, lo.len()), text));
                    }
                }
                i += 3;
            }
            Some(Token::Array(values)) => {
                for (code, value) in codes.zip(values) {
                    if let Some(text) = utf16_text(value) {
                        pairs.push((code_bytes(code, lo.len()), text));
                    }
                }
                i += 3;
            }
            _ => return i,
        }
    }
}

fn code_value(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0, |acc, &b| (acc << 8) | u32::from(b))
}

fn code_bytes(code: u32, width: usize) -> Vec<u8> {
    let width = width.clamp(1, 4);
    code.to_be_bytes()[4 - width..].to_vec()
}

/// A value read as UTF-16BE, a value of an odd number of bytes taken as if zero-padded on the
/// left (`<20>` is U+0020); `None` when nothing of it decodes or it is only a NUL.
fn utf16_text(value: &[u8]) -> Option<String> {
    utf16_text_plus(value, 0)
}

/// As [`utf16_text`], the last UTF-16 unit raised by `step` (a `bfrange`'s later codes).
fn utf16_text_plus(value: &[u8], step: u16) -> Option<String> {
    let mut bytes = value.to_vec();
    if bytes.len() % 2 == 1 {
        bytes.insert(0, 0);
    }
    let mut units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    let last = units.last_mut()?;
    *last = last.checked_add(step)?;
    let text: String = char::decode_utf16(units)
        .filter_map(Result::ok)
        .filter(|&c| c != '\0')
        .collect();
    (!text.is_empty()).then_some(text)
}

fn write_bfchars(pairs: &[Pair]) -> Vec<u8> {
    let mut out = String::from("begincmap\n");
    for chunk in pairs.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", chunk.len());
        for (code, text) in chunk {
            out.push('<');
            code.iter().for_each(|b| {
                let _ = write!(out, "{b:02X}");
            });
            out.push_str("> <");
            text.encode_utf16().for_each(|u| {
                let _ = write!(out, "{u:04X}");
            });
            out.push_str(">\n");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\n");
    out.into_bytes()
}

/// What a CMap is made of, as far as its mappings need: hex strings, arrays of them, and
/// operators (names, numbers, strings and dictionaries skipped as `Other`).
#[derive(Debug, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    Array(Vec<Vec<u8>>),
    Op(String),
    Other,
}

fn tokens(src: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut array: Option<Vec<Vec<u8>>> = None;
    let mut i = 0;
    while i < src.len() {
        let (token, next) = token_at(src, i);
        i = next;
        match (token, array.as_mut()) {
            (Token::Op(op), _) if op == "[" => array = Some(Vec::new()),
            (Token::Op(op), Some(_)) if op == "]" => {
                out.push(Token::Array(array.take().unwrap_or_default()))
            }
            (Token::Hex(h), Some(items)) => items.push(h),
            (_, Some(_)) | (Token::Other, None) => {}
            (token, None) => out.push(token),
        }
    }
    out
}

/// The token starting at or after `i`, and where the next one may start.
fn token_at(src: &[u8], i: usize) -> (Token, usize) {
    let rest = &src[i..];
    match rest[0] {
        b if b.is_ascii_whitespace() => (Token::Other, i + 1),
        b'%' => (Token::Other, i + until(rest, |b| b == b'\n' || b == b'\r')),
        b'<' if rest.get(1) == Some(&b'<') => (Token::Other, i + 2),
        b'>' => (Token::Other, i + 1),
        b'<' => {
            let end = until(rest, |b| b == b'>');
            (Token::Hex(hex_bytes(&rest[1..end])), i + end + 1)
        }
        b'(' => (Token::Other, i + until(rest, |b| b == b')') + 1),
        b'[' | b']' => (Token::Op((rest[0] as char).to_string()), i + 1),
        _ => {
            let end = until(rest, |b| b.is_ascii_whitespace() || b"<>[]()%".contains(&b)).max(1);
            let word = String::from_utf8_lossy(&rest[..end]).into_owned();
            (Token::Op(word), i + end)
        }
    }
}

/// How far into `s` the first byte that `stop` accepts is (its length if none is).
fn until(s: &[u8], stop: impl Fn(u8) -> bool) -> usize {
    s.iter().position(|&b| stop(b)).unwrap_or(s.len())
}

/// Hex digits to bytes, whitespace ignored; an odd last digit is its byte's high half (as the
/// PDF specification reads a hex string).
fn hex_bytes(hex: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = hex
        .iter()
        .filter_map(|&b| (b as char).to_digit(16))
        .map(|d| d as u8)
        .collect();
    digits
        .chunks(2)
        .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As Ghostscript 9.56 wrote it for a JSS article's footnote font (with the usual head).
    const GHOSTSCRIPT: &[u8] = b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
        /CMapName /Adobe-Identity-UCS def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n\
        3 beginbfrange\n<00><00><00>\n<01><01><20>\n<41><43><0041>\nendbfrange\n\
        1 beginbfchar\n<0C> <FB01>\nendbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

    #[test]
    fn a_map_with_one_byte_values_is_refused_then_mended() {
        assert!(
            !accepted(GHOSTSCRIPT),
            "the parser's panic is what this mends"
        );
        let mended = mend(GHOSTSCRIPT);
        assert!(accepted(&mended), "{}", String::from_utf8_lossy(&mended));
        let map = adobe_cmap_parser::get_unicode_map(&mended).unwrap();
        let text = |code: u32| String::from_utf16(&units(&map[&code])).unwrap();
        assert_eq!(text(0x01), " ", "<20> is U+0020");
        assert_eq!(text(0x42), "B", "a range's later codes count up");
        assert_eq!(text(0x0C), "\u{FB01}", "bfchar entries are kept");
        assert!(!map.contains_key(&0), "a NUL value maps nothing");
    }

    #[test]
    fn a_good_map_is_accepted_as_it_is() {
        let good = b"1 beginbfrange\n<0041> <0043> <0061>\nendbfrange\n\
            1 beginbfchar\n<0001> <00660069>\nendbfchar\n";
        assert!(accepted(good));
        let one_byte = b"1 beginbfchar\n<0001> <66>\nendbfchar\n";
        assert!(
            !accepted(one_byte),
            "a one-byte value fails pdf-extract's even-length assert"
        );
    }

    #[test]
    fn arrays_odd_values_and_surrogates_are_read_tolerantly() {
        let odd = b"1 beginbfrange\n<01> <02> [<041> <D800>]\nendbfrange\n\
            1 beginbfchar\n<03> <D83DDE00>\nendbfchar\n";
        let mended = mend(odd);
        let map = adobe_cmap_parser::get_unicode_map(&mended).unwrap();
        assert_eq!(
            units(&map[&1]),
            [0x0410],
            "an odd last digit is its byte's high half"
        );
        assert!(!map.contains_key(&2), "an unpaired surrogate maps nothing");
        assert_eq!(String::from_utf16(&units(&map[&3])).unwrap(), "😀");
    }

    #[test]
    fn nothing_usable_gives_an_empty_map_the_parser_takes() {
        let mended = mend(b"garbage <<>> [ ( ) %");
        assert!(accepted(&mended));
        assert!(adobe_cmap_parser::get_unicode_map(&mended)
            .unwrap()
            .is_empty());
    }

    fn units(bytes: &[u8]) -> Vec<u16> {
        bytes
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect()
    }
}

//! Ingest on the real seed documents in `corpus/`: structure, footnotes, languages,
//! hyphenation, page furniture and source positions.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::common;
use pustaka::{ingest, Kind, Passage};

fn corpus() -> PathBuf {
    common::manifest_dir().join("corpus")
}

fn seed() -> &'static [Passage] {
    static P: OnceLock<Vec<Passage>> = OnceLock::new();
    P.get_or_init(|| {
        let mut all = Vec::new();
        let report = ingest::ingest(&[corpus()], |_, ingest::Cut { passages: ps, .. }| {
            all.extend(ps)
        });
        assert_eq!(report.documents, 5, "{:?}", report.skipped);
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        all
    })
}

fn doc(prefix: &str) -> Vec<&'static Passage> {
    seed()
        .iter()
        .filter(|p| p.doc.starts_with(prefix))
        .collect()
}

/// The passage whose text contains `key`, exactly one of them, of the given document.
fn find(prefix: &str, key: &str) -> &'static Passage {
    let hits: Vec<_> = doc(prefix)
        .into_iter()
        .filter(|p| p.text.contains(key))
        .collect();
    assert_eq!(hits.len(), 1, "{key:?} in {prefix}: {:#?}", hits);
    hits[0]
}

#[test]
fn every_section_heading_of_000_opens_its_section() {
    let chapter = "BAB II — KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO";
    let expected = [
        ("2.1", "Perspektif Foreign Policy di Meksiko"),
        ("2.1.1", "Pengaruh FFP dalam decision making process Meksiko (500)"),
        (
            "2.1.2",
            "Dinamika Feminist Foreign Policy Implementation di Meksiko bagaimana dari tahun 2018-2023 (500)",
        ),
        ("2.2", "Tapachula sebagai Hotspot human trafficking"),
        ("2.3", "Signifikansi women immigrants dalam kasus perdagangan manusia di Meksiko"),
        ("2.4", "Blueprint Meksiko dalam kebijakan penanganan Women Immigrant Trafficking"),
        ("2.5", "International Organization for Migration (IOM) dalam FFP Meksiko"),
    ];
    let ps = doc("000");
    let headings: Vec<(&str, &str)> = ps
        .iter()
        .filter(|p| p.kind == Kind::Heading && p.section.is_some())
        .map(|p| {
            (
                p.section.as_deref().unwrap(),
                p.section_title.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(headings, expected);
    assert!(ps.iter().all(|p| p.chapter.as_deref() == Some(chapter)));
    assert_eq!(
        ps[0].title,
        "BAB II — KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO"
    );
    // Body text between two headings carries the first one.
    for (key, section) in [
        ("FFP Meksiko mengusung tiga pilar utama", "2.1"),
        (
            "Dalam implementasinya, pengambilan keputusan pemerintah",
            "2.1.1",
        ),
        ("Secara struktural, implementasi FFP dibangun", "2.1.2"),
        ("Tapachula, yang terletak di negara bagian Chiapas", "2.2"),
        ("Kerentanan perempuan imigran disebabkan", "2.3"),
        ("Sejak awal masa jabatannya pada Desember 2018", "2.4"),
        ("Memasuki fase pasca-pandemi", "2.5"),
    ] {
        assert_eq!(find("000", key).section.as_deref(), Some(section), "{key}");
    }
}

#[test]
fn named_parts_and_subsections_of_004() {
    let ps = doc("004");
    assert_eq!(
        ps[0].title,
        "UPAYA IOM (INTERNATIONAL ORGANIZATION FOR MIGRATION) DALAM MENANGANI KASUS HUMAN TRAFFICKING DI INDONESIA TAHUN 2017-2022"
    );
    let titles: Vec<&str> = ps
        .iter()
        .filter(|p| p.kind == Kind::Heading)
        .filter_map(|p| p.section_title.as_deref())
        .collect();
    for part in [
        "Abstract",
        "Abstrak",
        "PENDAHULUAN",
        "METODE PENELITIAN",
        "HASIL DAN PEMBAHASAN",
        "Sejarah Human Trafficking",
        "Perkembangan Human Trafficking Tahun 2017-2022",
        "Peran Organisasi Internasional terhadap Human Trafficking",
        "1. Peran Organisasi Internasional Menurut Clive Archer",
        "2. Peran IOM sebagai Instrumen dalam Menangani Kasus Human Trafficking di Indonesia",
        "3. Peran IOM sebagai Arena dalam Menangani Kasus Human Trafficking di Indonesia",
        "4. Peran IOM sebagai Aktor Dalam Menangani Kasus Human Trafficking di Indonesia",
        "SIMPULAN",
        "DAFTAR PUSTAKA",
    ] {
        assert!(
            titles.contains(&part),
            "missing heading {part:?} in {titles:?}"
        );
    }
    for (key, part, kind) in [
        (
            "This research discusses the efforts of IOM",
            "Abstract",
            Kind::Abstract,
        ),
        ("Keywords: IOM", "Abstract", Kind::Keywords),
        (
            "Penelitian ini membahas upaya IOM",
            "Abstrak",
            Kind::Abstract,
        ),
        (
            "Globalisasi menciptakan keterkaitan",
            "PENDAHULUAN",
            Kind::Body,
        ),
        (
            "Sahabat Perempuan dan Anak (SAPA) telah disediakan",
            "2. Peran IOM sebagai Instrumen dalam Menangani Kasus Human Trafficking di Indonesia",
            Kind::Body,
        ),
        (
            "Tabel 1. Kerangka Kerja Human Trafficking",
            "PENDAHULUAN",
            Kind::Caption,
        ),
        ("Perekrutan\tAncaman", "PENDAHULUAN", Kind::Table),
        (
            "Gambar 1. Data TPPO Berdasarkan Provinsi",
            "Perkembangan Human Trafficking Tahun 2017-2022",
            Kind::Caption,
        ),
    ] {
        let p = find("004", key);
        assert_eq!(
            (p.section_title.as_deref(), p.kind),
            (Some(part), kind),
            "{key}"
        );
    }
    let bib: Vec<_> = ps.iter().filter(|p| p.kind == Kind::Bibliography).collect();
    assert!(bib.len() >= 20, "{}", bib.len());
    assert!(bib
        .iter()
        .all(|p| p.section_title.as_deref() == Some("DAFTAR PUSTAKA")));
}

#[test]
fn footnotes_of_003_are_lifted_out_of_the_body() {
    let ps = doc("003");
    let notes: Vec<&&Passage> = ps.iter().filter(|p| p.kind == Kind::Footnote).collect();
    let numbers: Vec<u32> = notes.iter().flat_map(|p| p.footnotes.clone()).collect();
    assert_eq!(numbers, (1..=17).collect::<Vec<_>>());
    assert!(notes[0]
        .text
        .starts_with("Estes, Richard J. dan Weiner, Neil Alan. 2001."));
    assert!(notes[0]
        .text
        .ends_with("University of Pennsylvania. Hlmn 2"));
    // The footnote's text is nowhere in the body, and the paragraph it interrupted is whole.
    for p in ps.iter().filter(|p| p.kind == Kind::Body) {
        assert!(
            !p.text.contains("Hlmn"),
            "footnote text in body {}: {}",
            p.id,
            p.text
        );
        assert!(
            !p.text.contains("diakses"),
            "footnote text in body {}: {}",
            p.id,
            p.text
        );
    }
    let p = find(
        "003",
        "Dalam penelitian ini, penulis menggunakan perspektif",
    );
    assert!(p
        .text
        .ends_with("Dalam pandangannya, struktur bukan bagian eksis dari proses."));
    // The marker stays with the body passage it belongs to, not in its text.
    let p = find("003", "(orangtua, anggota keluarga, germo, guru, dll).");
    assert_eq!(p.footnotes, vec![1]);
    assert!(p.text.contains("guru, dll). Prostitusi anak berawal"));
}

#[test]
fn abstracts_are_english_and_bodies_indonesian() {
    for prefix in ["003", "004"] {
        let ps = doc(prefix);
        let abs: Vec<_> = ps
            .iter()
            .filter(|p| p.kind == Kind::Abstract && p.section_title.as_deref() != Some("Abstrak"))
            .collect();
        assert!(!abs.is_empty());
        assert!(abs.iter().all(|p| p.lang == "en"), "{prefix}: {abs:#?}");
        for p in ps
            .iter()
            .filter(|p| p.kind == Kind::Body && p.text.split_whitespace().count() >= 10)
        {
            assert_eq!(p.lang, "id", "{}: {}", p.id, p.text);
        }
    }
    assert_eq!(find("004", "Penelitian ini membahas upaya IOM").lang, "id");
    // A heading takes the language of what it introduces.
    assert_eq!(find("004", "Abstract").lang, "en");
}

#[test]
fn hyphenation_across_line_ends_of_003() {
    let all: String = doc("003")
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for whole in [
        "praktek-praktek kriminal",
        "aktor-aktor non-pemerintah",
        "kadang-kadang ke seberang",
        "hak-hak dasar",
        "Negara-negara yang pemerintahannya",
        "anak-dewasa",
        "Youth-Led",
        "http://www.ecpat.org/about-ecpat/,",
        "http://www.ecpat.org/about-ecpat/governance-statutes/,",
        "http://ecpatmexico.org.mx/publicaciones.php?id=7,",
        "http://exoduscry.com/prayer/city-in-focus/tijuana-mexico/,",
    ] {
        assert!(all.contains(whole), "{whole:?} not rejoined");
    }
    for broken in [
        "praktek- praktek",
        "non- pemerintah",
        "about- ecpat",
        "anak- anak",
        "pu blicaciones",
    ] {
        assert!(!all.contains(broken), "{broken:?} left broken");
    }
}

#[test]
fn no_page_furniture_in_any_passage() {
    for p in seed() {
        // 003's running footer; 004 legitimately cites the journal `JOM FISIP` in its bibliography.
        assert!(
            !p.text.contains("JOM FISIP Vol. 4 No.2"),
            "{}: {}",
            p.id,
            p.text
        );
        assert!(!p.text.contains("Oktober 2017 Page"), "{}", p.id);
    }
}

#[test]
fn markdown_emphasis_and_typography_are_normalized() {
    let p = find("002", "Akibatnya, human security dan hak asasi korban");
    assert!(!p.text.contains('*'));
    let p = find("000", "Sidang Umum PBB ke-74");
    assert!(
        p.text.contains("reformasi \"Paridad en Todo\" (2019)") || !p.text.contains('\u{2011}')
    );
    assert!(seed()
        .iter()
        .all(|p| !p.text.contains('\u{2011}') && !p.text.contains('\u{201C}')));
}

/// Letters only, lowercased: what survives any normalization (digits are left out because
/// footnote markers stand in the source but not in the passage).
fn alnum(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn line_ranges_and_offsets_point_at_the_passage_in_the_source() {
    for p in seed() {
        let src = std::fs::read_to_string(corpus().join(&p.doc)).unwrap();
        let lines: Vec<&str> = src.split('\n').collect();
        let [l0, l1] = p.lines;
        assert!(
            l0 >= 1 && l0 <= l1 && l1 <= lines.len(),
            "{}: {:?}",
            p.id,
            p.lines
        );
        let [b0, b1] = p.bytes;
        let slice = &src[b0..b1];
        // The byte range starts on the first line and ends on the last.
        assert_eq!(src[..b0].matches('\n').count() + 1, l0, "{}", p.id);
        assert_eq!(src[..b1].matches('\n').count() + 1, l1, "{}", p.id);
        let (want, got) = (alnum(&p.text), alnum(slice));
        let head: String = want.chars().take(12).collect();
        let tail: String = want
            .chars()
            .rev()
            .take(12)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        assert!(
            got.starts_with(&head),
            "{}: source {:?} does not start with {:?}",
            p.id,
            slice,
            head
        );
        assert!(
            got.ends_with(&tail),
            "{}: source {:?} does not end with {:?}",
            p.id,
            slice,
            tail
        );
    }
}

#[test]
fn long_paragraphs_are_cut_at_sentences() {
    for p in seed() {
        assert!(
            p.text.chars().count() <= 1500,
            "{} has {} chars",
            p.id,
            p.text.len()
        );
    }
    // 004's long paragraphs are split, and each piece ends a sentence.
    let long: Vec<_> = doc("004")
        .into_iter()
        .filter(|p| p.kind == Kind::Body && p.text.chars().count() > 1000)
        .collect();
    assert!(!long.is_empty());
    assert!(
        long.iter().all(|p| p.text.ends_with(['.', ')', ':', '"'])),
        "{long:#?}"
    );
}

#[test]
fn same_corpus_same_passages() {
    let mut again = Vec::new();
    ingest::ingest(&[corpus()], |_, ingest::Cut { passages: ps, .. }| {
        again.extend(ps)
    });
    assert_eq!(again.as_slice(), seed());
}

/// The passages of `files` as cut, each compared with what the index at `engine` gives back for
/// its id: every stored field in its place (the index keeps no line map, marks or fingerprints;
/// those are the indexer's). Returns the passages compared.
fn read_back(engine: &pustaka::Engine, cut: &[Passage]) -> usize {
    for p in cut {
        let stored = engine.passage(&p.id).unwrap().expect(&p.id);
        let as_cut = Passage {
            line_map: Vec::new(),
            marks: Vec::new(),
            fingerprints: Vec::new(),
            forms: None,
            ..p.clone()
        };
        assert_eq!(stored, as_cut, "{}", p.id);
    }
    cut.len()
}

/// Every passage reads back from the index as it was cut: the seed's (sections, chapters,
/// footnotes, citations, references) and a two-column PDF's (pages and page lines).
#[test]
fn every_passage_reads_back_from_the_index_as_cut() {
    assert!(read_back(common::seed_engine(), seed()) > 400);
    let with = |f: fn(&Passage) -> bool| seed().iter().filter(|p| f(p)).count();
    assert!(with(|p| !p.footnotes.is_empty()) > 0);
    assert!(with(|p| !p.citations.is_empty()) > 0);
    assert!(with(|p| p.reference.is_some()) > 0);
    assert!(with(|p| p.section.is_some() && p.section_title.is_some()) > 0);
    assert!(with(|p| p.parent_title.is_some()) > 0);
    assert!(with(|p| p.chapter.is_some()) > 0);
    assert!(with(|p| p.cite_as.is_some() && p.kind != Kind::Body) > 0);

    let dir = common::scratch("read_back_pdf");
    let pdf = common::manifest_dir().join("tests/data/pdf/004-2col.pdf");
    pustaka::index::build(&dir.join("index"), std::slice::from_ref(&pdf), &mut |_| {}).unwrap();
    let engine = pustaka::Engine::open(&dir.join("index")).unwrap();
    let mut cut = Vec::new();
    ingest::ingest(&[pdf], |_, ingest::Cut { passages, .. }| {
        cut.extend(passages)
    });
    assert!(read_back(&engine, &cut) > 20);
    assert!(cut
        .iter()
        .any(|p| p.page_lines.is_some() && p.page_end > p.page));
}

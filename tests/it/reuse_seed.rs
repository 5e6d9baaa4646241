//! Reuse on the seed corpus: the repeats it really has (003's conclusion restates two body
//! paragraphs), `check` on pasted text with and without reuse, the JSON contract of `dupes` and
//! `check`, and bad input to `check`.

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use pustaka::index::Engine;
use pustaka::search::reuse::{DupesRequest, Pair};

use crate::common::{self, manifest_dir};

fn index_dir() -> &'static Path {
    common::seed_index()
}

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::open(index_dir()).unwrap())
}

fn spanned(text: &str, spans: &[[usize; 2]]) -> String {
    let chars: Vec<char> = text.chars().collect();
    spans
        .iter()
        .map(|&[s, e]| chars[s..e].iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" … ")
}

/// The pair whose one side contains `a` and the other `b`.
fn pair<'a>(pairs: &'a [Pair], a: &str, b: &str) -> &'a Pair {
    pairs
        .iter()
        .find(|p| {
            (p.a.text.contains(a) && p.b.text.contains(b))
                || (p.a.text.contains(b) && p.b.text.contains(a))
        })
        .unwrap_or_else(|| panic!("no pair {a:?} ~ {b:?}"))
}

#[test]
fn the_conclusion_of_003_repeats_two_body_paragraphs() {
    let d = engine().dupes(&DupesRequest::default()).unwrap();
    // The conclusion's two paragraphs, each the tail of a longer body paragraph.
    for (body, conclusion) in [
        (
            "Penelitian ini membahas tentang Peran ECPAT",
            "Prostitusi anak berawal dari anak-anak yang diperdagangkan",
        ),
        (
            "Awalnya ECPAT merupakan kampanye",
            "ECPAT Meksiko bekerja dengan Jaringan Hak Anak",
        ),
    ] {
        let p = pair(&d.pairs, body, conclusion);
        assert!(p.a.at.doc.starts_with("003") && p.b.at.doc.starts_with("003"));
        assert!(p.containment > 0.95, "{}", p.containment);
        let (long, short) = if p.a.text.contains(body) {
            (&p.a, &p.b)
        } else {
            (&p.b, &p.a)
        };
        // The whole conclusion paragraph is matched, and on the body side the same sentences.
        let matched_short = spanned(&short.text, &short.spans);
        assert!(
            matched_short.len() * 10 >= short.text.len() * 9,
            "{matched_short}"
        );
        let matched_long = spanned(&long.text, &long.spans);
        assert!(matched_long.contains(conclusion), "{matched_long}");
        assert!(
            !matched_long.contains(body),
            "the rest of the body paragraph is not matched"
        );
        // Reuse with attribution or without: the body paragraph carries a citation (a
        // footnote for the first), the conclusion none.
        assert!(!short.cited);
        if body.starts_with("Penelitian") {
            assert!(long.cited, "{:?}", long.citations);
        }
    }
    // Both pairs are within 003: --cross-doc leaves them out.
    let cross = engine()
        .dupes(&DupesRequest {
            cross_doc: true,
            ..DupesRequest::default()
        })
        .unwrap();
    assert!(cross.pairs.iter().all(|p| p.a.at.doc != p.b.at.doc));
    assert!(!cross
        .pairs
        .iter()
        .any(|p| p.a.text.contains("Prostitusi anak berawal")));
    // Ranked by the distinctive text shared, which never exceeds the words shared; groups
    // hold every paired passage.
    assert!(d
        .pairs
        .windows(2)
        .all(|w| w[0].distinctive >= w[1].distinctive));
    assert!(d
        .pairs
        .iter()
        .all(|p| p.shared_words > 0 && p.distinctive <= p.shared_words as f32));
    for p in &d.pairs {
        assert!(d
            .groups
            .iter()
            .any(|g| g.contains(&p.a.at.passage_id) && g.contains(&p.b.at.passage_id)));
    }
    let e = engine()
        .dupes(&DupesRequest {
            min_similarity: 1.5,
            ..DupesRequest::default()
        })
        .unwrap_err()
        .to_string();
    assert!(e.contains("between 0 and 1"), "{e}");
}

#[test]
fn check_finds_a_reworded_paste_and_says_so_when_there_is_none() {
    // Sentences of 000 (Tapachula), lightly reworded, inside a paragraph of new text.
    let draft =
        "Bab ini membahas metodologi wawancara dengan pejabat daerah perbatasan selatan serta \
        kepala desa di kabupaten pesisir selama musim kemarau panjang.\n\n\
        Kota Tapachula yang terletak di negara bagian Chiapas menjadi pintu gerbang utama bagi \
        migrasi dari Amerika Tengah ke Meksiko, sehingga secara geografis kota itu menempati \
        posisi strategis dalam jaringan perdagangan manusia. Arus besar migran menciptakan kondisi \
        massa kritis di mana penyelundup dan perekrut pelaku trafficking memanfaatkan kepanikan \
        para migran untuk menjual janji pekerjaan.\n";
    let r = engine().check(draft, 0.5).unwrap();
    assert_eq!(r.paragraphs, 2);
    assert_eq!(r.reused, 1);
    let m = &r.matches[0];
    assert!(m.at.doc.starts_with("000"), "{}", m.at.passage_id);
    assert!(m
        .text
        .contains("Tapachula, yang terletak di negara bagian Chiapas"));
    let input: Vec<char> = m.input_text.chars().collect();
    let first = m.input_spans[0];
    let matched: String = input[first[0]..first[1]].iter().collect();
    assert!(matched.contains("Chiapas"), "{matched}");
    assert!(!m.input_cited);
    assert!(
        m.input_span[0] > 60,
        "the first paragraph is not the reused one"
    );
    // The source passage's citations come along (Correa-Cabrera & Clark, 2016).
    assert!(
        m.citations.iter().any(|c| c.authors[0] == "Correa-Cabrera"),
        "{:?}",
        m.citations
    );

    let fresh =
        "Penelitian ini mengukur curah hujan harian di lereng Gunung Merapi selama tiga musim \
        dan membandingkannya dengan data satelit untuk memperkirakan risiko banjir lahar dingin.";
    let r = engine().check(fresh, 0.5).unwrap();
    assert_eq!((r.paragraphs, r.reused), (1, 0));
    assert!(r.matches.is_empty());
    let r = engine().check("", 0.5).unwrap();
    assert_eq!((r.paragraphs, r.matches.len()), (0, 0));
    let huge = "kata ".repeat(pustaka::search::reuse::MAX_CHECK_BYTES / 5 + 1);
    let e = engine().check(&huge, 0.5).unwrap_err().to_string();
    assert!(e.contains("limit"), "{e}");
}

fn pustaka(args: &[&str], stdin: Option<&[u8]>) -> (String, String, bool) {
    common::run_cli(index_dir(), args, stdin)
}

#[test]
fn cli_json_shapes_and_bad_input() {
    let _ = engine();
    let (out, err, ok) = pustaka(&["dupes", "--json"], None);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let pairs = v["pairs"].as_array().unwrap();
    assert!(!pairs.is_empty());
    for p in pairs {
        assert!(p["similarity"].is_number() && p["containment"].is_number());
        for side in ["a", "b"] {
            for key in ["passage_id", "doc", "lines", "text", "spans", "citations"] {
                assert!(p[side].get(key).is_some(), "{side}.{key} missing");
            }
        }
    }
    let text = fs::read_to_string(manifest_dir().join("corpus/003_232135048410f2ab.txt")).unwrap();
    let start = text.find("Prostitusi anak berawal dari").unwrap();
    let para = &text[start..start + 200];
    let (out, err, ok) = pustaka(&["check", "-", "--json"], Some(para.as_bytes()));
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let m = v["matches"].as_array().unwrap();
    assert!(!m.is_empty());
    for key in [
        "input_span",
        "similarity",
        "passage_id",
        "doc",
        "lines",
        "text",
        "spans",
        "citations",
    ] {
        assert!(m[0].get(key).is_some(), "{key} missing");
    }
    let (out, _, ok) = pustaka(&["check", "-", "--json"], Some("Tidak ada kalimat yang disalin dari mana pun dalam paragraf pendek yang ditulis khusus untuk uji ini.".as_bytes()));
    assert!(!ok, "no reuse found exits 1");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["matches"].as_array().unwrap().len(), 0);
    let (out, _, ok) = pustaka(&["check", "-"], Some("Tidak ada kalimat yang disalin dari mana pun dalam paragraf pendek yang ditulis khusus untuk uji ini.".as_bytes()));
    assert!(!ok, "no reuse found exits 1");
    assert!(out.contains("no reuse found"), "{out}");

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let bin = dir.join("check_binary.bin");
    fs::write(&bin, [0u8, 159, 146, 150, 0, 0, 1, 2, 3, 255, 0, 7]).unwrap();
    let (_, err, ok) = pustaka(&["check", bin.to_str().unwrap()], None);
    assert!(!ok);
    assert!(err.contains("check_binary.bin"), "{err}");
    let (_, err, ok) = pustaka(&["check", "/nonexistent/draft.txt"], None);
    assert!(!ok);
    assert!(err.contains("/nonexistent/draft.txt"), "{err}");
    let (_, err, ok) = pustaka(&["dupes", "--min-similarity", "2"], None);
    assert!(!ok);
    assert!(err.contains("between 0 and 1"), "{err}");
}

/// `dupes --cross-doc` for an editor: a thesis that copies three paragraphs of 004, crediting
/// it (Saragih & Alfajri, 2023) in one, is one document pair of three passages reused, two of
/// them without citing; the text listing says so under the pair's heading.
#[test]
fn cross_doc_groups_pairs_by_document_with_the_uncited_counted() {
    let dir = common::scratch("dupes_documents");
    let corpus = dir.join("corpus");
    common::copy_seed_corpus(&corpus);
    let seed = common::seed_engine();
    let copy = |n: u32| {
        seed.passage(&format!("004_ee0b6ec72090fab7.txt#{n}"))
            .unwrap()
            .unwrap()
            .text
    };
    let thesis = [
        "Tesis tentang Kerja Sama Internasional".to_string(),
        copy(94),
        format!(
            "{} (Saragih & Alfajri, 2023).",
            copy(109).trim_end_matches('.')
        ),
        copy(100),
    ]
    .join("\n\n");
    std::fs::write(corpus.join("zz-thesis.txt"), thesis).unwrap();
    let index = dir.join("index");
    pustaka::index::build(&index, &[corpus], &mut |_| {}).unwrap();
    let r = Engine::open(&index)
        .unwrap()
        .dupes(&DupesRequest {
            cross_doc: true,
            limit: Some(10),
            ..DupesRequest::default()
        })
        .unwrap();
    let d = &r.documents;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].a.as_str(), d[0].b.as_str()),
        ("004_ee0b6ec72090fab7.txt", "zz-thesis.txt")
    );
    assert_eq!(
        (d[0].pairs, d[0].passages_a, d[0].passages_b, d[0].uncited),
        (3, 3, 3, 2)
    );
    assert_eq!(
        d[0].shared_words,
        r.pairs.iter().map(|p| p.shared_words).sum::<usize>()
    );
    let cited: Vec<_> = r
        .pairs
        .iter()
        .filter(|p| !p.cites_other.is_empty())
        .collect();
    assert_eq!(cited.len(), 1);
    assert!(cited[0].b.text.contains("Saragih & Alfajri, 2023"));
    let (out, _, ok) = common::run_cli(&index, &["dupes", "--cross-doc"], None);
    assert!(ok);
    assert!(
        out.contains("3 passage pairs reused, 3 passages of the one in 3 passages of the other")
            && out.contains("2 without citing the other's document")
            && out.contains("the second cites the first"),
        "{out}"
    );
}

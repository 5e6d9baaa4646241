//! Search over an index of the seed corpus: judged queries in both languages, filters, query
//! syntax (phrases, +must/-not, prefixes, typos, broken input), the JSON contract of the CLI,
//! `show`, and incremental, atomic index updates.

use std::fs;
use std::process::Command;

use crate::common::{self, manifest_dir, scratch};
use pustaka::index::{self, Engine};
use pustaka::{Kind, SearchRequest};

fn engine() -> &'static Engine {
    common::seed_engine()
}

fn search(q: &str, limit: usize) -> pustaka::SearchResponse {
    common::seed_search(SearchRequest {
        query: q.into(),
        limit,
        ..SearchRequest::default()
    })
}

/// Queries written for this suite, each with a piece of the passage that answers it; the
/// passage must be among the first three hits. Indonesian and English keywords, other
/// inflections than the text, typos, phrases, prefixes and numbers.
const JUDGED: &[(&str, &str)] = &[
    (
        "kerja sama IOM Komisi Nasional HAM Meksiko kampanye",
        "No More Human Trafficking",
    ),
    (
        "diperdagangkan untuk eksploitasi seksual atau kerja paksa",
        "Korban baik perempuan maupun laki-laki umumnya diperdagangkan",
    ),
    (
        "kota wisata seks Cancun Acapulco Tijuana",
        "kota wisata seks Meksiko seperti Cancun",
    ),
    (
        "empat fungsi organisasi internasional Karns Mingst",
        "empat fungsi organisasi internasional yang dikemukakan oleh Karns",
    ),
    (
        "pelatihan lokakarya aparat hukum IOM",
        "IOM terlibat melalui pemberian pelatihan dan lokakarya",
    ),
    (
        "pedofil Amerika Serikat menyeberang perbatasan",
        "Ribuan pedofil dari Amerika Serikat",
    ),
    (
        "konstruktivisme Alexander Wendt",
        "konstruktivisme yang dikemukakan",
    ),
    ("ECPAT kampanye Body Shop tanda tangan", "Body Shop"),
    ("Volaris maskapai penerbangan ECPAT", "Volaris"),
    (
        "depresi berat reaksi emosional anak korban",
        "Ini merupakan salah satu reaksi emosional",
    ),
    (
        "kemiskinan buta huruf kesempatan kerja terbatas",
        "Kemiskinan sering berkorelasi dengan buta huruf",
    ),
    (
        "LPSK laporan permohonan perdagangan manusia 2016",
        "LPSK menerima setidaknya 1720 laporan",
    ),
    (
        "Global Slavery Index 700.000 korban Indonesia",
        "Global Slavery Index 2014",
    ),
    (
        "budaya patriarki kemiskinan penyebab perdagangan manusia",
        "faktor yang menjadi penyebab utama maraknya perdagangan manusia",
    ),
    (
        "Kejaksaan Agung Bareskrim buku panduan aparat penegak hukum",
        "merevisi Buku Panduan Aparat Penegak Hukum",
    ),
    ("femisida tingkat kekerasan gender Meksiko", "femisida"),
    (
        "protokol identifikasi korban trafficking responsif gender",
        "pembentukan protokol identifikasi korban trafficking yang responsif gender",
    ),
    ("visa kemanusiaan korban perdagangan", "visa kemanusiaan"),
    ("Paridad en Todo reformasi 2019", "Paridad en Todo"),
    (
        "Swedia pelopor kebijakan luar negeri feminis 2014",
        "dirintis oleh Swedia pada 2014",
    ),
    (
        "menyelundupkan perempuan Honduras Guatemala",
        "menyelundupkan perempuan dari Honduras",
    ),
    (
        "pemberdayaan perempuan anggaran kementerian",
        "program pemberdayaan perempuan",
    ),
    (
        "dieksploitasi secara seksual remaja hamil",
        "remaja yang sedang dieksploitasi secara seksual",
    ),
    (
        "child prostitution Mexico ECPAT role",
        "ECPAT have been doing some cooperation",
    ),
    (
        "constructivist perspective international organizations theory",
        "This study use a constructivist perspective",
    ),
    (
        "IOM raising public awareness human trafficking risks",
        "raising public awareness",
    ),
    (
        "transnational crime Indonesia security of citizens",
        "transnational crime",
    ),
    ("perdagangn manusia Meksiko", "perdagangan manusia"),
    ("konstruktivsme Wendt", "konstruktivisme yang dikemukakan"),
    ("Tijuanna prostitusi anak", "Tijuana"),
    ("\"human security\"", "human security"),
    ("\"tier 2\" TVPA", "Tier 2 merupakan Negara-negara"),
    ("pedofil* perbatasan", "Ribuan pedofil"),
    (
        "3.840 korban perdagangan manusia diidentifikasi",
        "3.840 korban",
    ),
];

#[test]
fn judged_queries_find_their_passage_in_the_top_three() {
    let mut misses = Vec::new();
    for (q, key) in JUDGED {
        let r = search(q, 10);
        let rank = r
            .hits
            .iter()
            .position(|h| h.text.to_lowercase().contains(&key.to_lowercase()));
        if rank.is_none_or(|r| r >= 3) {
            misses.push(format!("{q:?}: {key:?} at {rank:?}"));
        }
    }
    println!(
        "{} of {} judged queries answered in the top 3",
        JUDGED.len() - misses.len(),
        JUDGED.len()
    );
    assert!(JUDGED.len() >= 30);
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn hits_carry_where_they_stand_and_a_highlighted_snippet() {
    let r = search("FFP tiga pilar hak representasi sumber daya", 5);
    let h = &r.hits[0];
    assert!(h.text.contains("FFP Meksiko mengusung tiga pilar utama"));
    assert_eq!(h.doc, "000_fcc74d82d28cc91d.txt");
    assert_eq!(h.title, "BAB II — KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO");
    assert_eq!(
        h.chapter.as_deref(),
        Some("BAB II — KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO")
    );
    assert_eq!(h.section.as_deref(), Some("2.1"));
    assert_eq!(h.kind, Kind::Body);
    assert_eq!(h.lang, "id");
    assert!(h.lines[0] >= 55 && h.lines[1] <= 92, "{:?}", h.lines);
    assert!(h.snippet.contains("<mark>pilar</mark>"), "{}", h.snippet);
    // Every highlighted word is a query word or shares its root (`pemberdayaan` for `daya`).
    let asked = [
        "ffp",
        "tiga",
        "pilar",
        "hak",
        "representasi",
        "sumber",
        "daya",
    ];
    for m in &h.highlights {
        let w = h.text[m[0]..m[1]].to_lowercase();
        let root = pustaka::text::stem_id(&w);
        assert!(
            asked.contains(&w.as_str()) || asked.contains(&root.as_str()),
            "{w} ({root})"
        );
    }
    assert!(r.total >= r.hits.len());
}

#[test]
fn more_matched_words_rank_first() {
    // A passage with all four words beats passages that repeat one of them.
    let r = search("debt bondage prostitusi paksa", 3);
    let t = r.hits[0].text.to_lowercase();
    assert!(
        t.contains("debt bondage") && t.contains("prostitusi paksa"),
        "{t}"
    );
}

#[test]
fn filters_restrict_results() {
    for (q, check) in [
        (
            "trafficking lang:en",
            &(|h: &pustaka::Hit| h.lang == "en") as &dyn Fn(&pustaka::Hit) -> bool,
        ),
        ("ECPAT kind:footnote", &|h| h.kind == Kind::Footnote),
        ("Meksiko section:2.1", &|h| {
            h.section
                .as_deref()
                .is_some_and(|s| s == "2.1" || s.starts_with("2.1."))
        }),
        ("anak doc:003", &|h| h.doc.starts_with("003")),
        ("migran chapter:\"BAB IV\"", &|h| h.doc.starts_with("001")),
        ("IOM -lang:id", &|h| h.lang != "id"),
    ] {
        let r = search(q, 50);
        assert!(!r.hits.is_empty(), "{q}");
        assert!(
            r.hits.iter().all(check),
            "{q}: {:#?}",
            r.hits
                .iter()
                .map(|h| (&h.id, &h.lang, h.kind))
                .collect::<Vec<_>>()
        );
    }
    // The same filters as request parameters.
    let r = engine()
        .search(&SearchRequest {
            query: "korban".into(),
            limit: 50,
            kind: Some("body".into()),
            doc: Some("004".into()),
            section: None,
            lang: Some("id".into()),
            offset: 0,
            per_doc: 0,
            translate: true,
            dense_weight: pustaka::search::dense::W_DENSE,
            cancel: Default::default(),
        })
        .unwrap();
    assert!(!r.hits.is_empty());
    assert!(r
        .hits
        .iter()
        .all(|h| h.kind == Kind::Body && h.doc.starts_with("004") && h.lang == "id"));
    // A filter alone lists what it selects.
    assert_eq!(search("kind:footnote", 100).total, 17);
}

#[test]
fn an_empty_result_says_which_filter_emptied_it() {
    // Languages are listed from the index itself: the seed corpus holds Indonesian and English.
    let r = search("perdagangan lang:ms", 10);
    assert_eq!(r.total, 0);
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    assert!(
        r.notes[0].starts_with("lang:ms matches no passage"),
        "{:?}",
        r.notes
    );
    assert!(
        r.notes[0].contains("en") && r.notes[0].contains("id"),
        "{:?}",
        r.notes
    );
    let r = search("perdagangan section:9.9 doc:zzz", 10);
    assert_eq!(r.total, 0);
    assert!(r
        .notes
        .iter()
        .any(|n| n.starts_with("section:9.9 matches no passage")));
    assert!(r
        .notes
        .iter()
        .any(|n| n.starts_with("doc:zzz matches no document")));
    // Filters that do match something are not blamed when the words find nothing in them.
    let r = search("zzzqqqxx lang:en doc:003", 10);
    assert_eq!(r.total, 0);
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    // Nor when there are results.
    assert!(search("anak doc:003", 10).notes.is_empty());
}

#[test]
fn phrases_must_and_not() {
    let r = search("\"kerja paksa\"", 20);
    assert!(!r.hits.is_empty());
    assert!(r
        .hits
        .iter()
        .all(|h| h.text.to_lowercase().contains("kerja paksa")));
    let r = search("+ECPAT +Volaris", 20);
    assert!(r
        .hits
        .iter()
        .all(|h| h.text.contains("ECPAT") && h.text.contains("Volaris")));
    let r = search("ECPAT -Volaris", 50);
    assert!(!r.hits.is_empty() && r.hits.iter().all(|h| !h.text.contains("Volaris")));
    assert_eq!(search("+zzxqvw ECPAT", 5).total, 0);
}

#[test]
fn typos_and_prefixes() {
    // One edit on a word of five or more letters still finds it; the exact word ranks no lower.
    let typo = search("Tapachla", 5);
    let exact = search("Tapachula", 5);
    assert!(!typo.hits.is_empty() && typo.hits[0].text.contains("Tapachula"));
    assert!(exact.hits[0].score >= typo.hits[0].score);
    // The word the typo stands for is what is highlighted.
    let h = &typo.hits[0];
    assert!(
        h.highlights
            .iter()
            .any(|r| &h.text[r[0]..r[1]] == "Tapachula"),
        "{:?}",
        h.highlights
    );
    // The correction is said, and corrected matches are ranked by how much they hold the word,
    // not all alike in document order (97 hits had 5 distinct scores).
    let r = search("perdagngan", 100);
    assert_eq!(
        r.notes,
        ["no passage holds \"perdagngan\"; showing results for perdagangan"]
    );
    assert_eq!(r.corrections.len(), 1);
    assert_eq!(r.corrections[0].to, ["perdagangan"]);
    let mut scores: Vec<u32> = r.hits.iter().map(|h| h.score.to_bits()).collect();
    scores.dedup();
    assert!(
        scores.len() * 2 > r.hits.len(),
        "{} distinct scores",
        scores.len()
    );
    assert!(!r.hits[0].text.contains("ketegangan perdagangan"));
    assert!(search("perdagangan", 5).corrections.is_empty());
    // A word found as typed outranks a word taken for a typo of the same rarity.
    let both = search("Tapachla Chiapas", 20);
    assert!(both.hits[0].text.contains("Tapachula") && both.hits[0].text.contains("Chiapas"));
    // Short words are not fuzzed: `sukx` finds nothing rather than anything.
    assert_eq!(search("sukx", 5).total, 0);
    let r = search("traffick*", 20);
    assert!(r
        .hits
        .iter()
        .all(|h| h.text.to_lowercase().contains("traffick")));
}

#[test]
fn inflections_meet_their_root() {
    // `memerangi` (to fight) and `perang` share the root; `diperdagangkan` and `perdagangan` too.
    let r = search("diperdagangkan", 10);
    assert!(r.hits.iter().any(|h| h.text.contains("perdagangan")));
    // English stemming on English text.
    let r = search("exploitations", 10);
    assert!(r.hits.iter().any(|h| h.text.contains("exploitation")));
}

/// Whether `text` holds `word` as a word of its own, case aside.
fn holds_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case(word))
}

#[test]
fn an_english_stem_that_is_a_short_indonesian_word_is_sought_as_written_in_english_alone() {
    let untranslated = |q: &str| {
        common::seed_search(SearchRequest {
            query: q.into(),
            limit: 50,
            translate: false,
            ..SearchRequest::default()
        })
    };
    // `orange` and `oranges` stem to `orang` (person), which 41 Indonesian passages of the
    // seed hold as "perdagangan orang"; none holds either word. Those passages were their
    // matches; now they are at most a typo's of `orange`, which the answer names.
    assert!(untranslated("\"orang\"").total > 10);
    let r = untranslated("orange");
    assert!(
        r.corrections.iter().any(|c| c.word == "orange"),
        "{} passages, no correction",
        r.total
    );
    assert_eq!(untranslated("oranges").total, 0);
    // In an English passage the stem as written is still the word's: `borders` finds "border".
    let r = untranslated("borders lang:en");
    assert!(
        r.hits
            .iter()
            .any(|h| holds_word(&h.text, "border") && !holds_word(&h.text, "borders")),
        "{:?}",
        r.hits.iter().map(|h| &h.id).collect::<Vec<_>>()
    );
    // A longer stem is the loanword: `industrial` finds Indonesian passages holding "industri".
    let r = untranslated("industrial lang:id");
    assert!(r.hits.iter().any(|h| holds_word(&h.text, "industri")));
}
#[test]
fn broken_queries_are_answered_or_explained() {
    for q in [
        "\"human security",
        "IOM : Meksiko",
        "foo:bar ECPAT",
        "(((anak",
        "+",
        "ECPAT AND OR",
    ] {
        let r = engine().search(&SearchRequest {
            query: q.into(),
            limit: 5,
            ..SearchRequest::default()
        });
        match r {
            Ok(r) => assert!(!r.hits.is_empty() || q == "+", "{q}"),
            Err(e) => assert!(q == "+" && e.to_string().contains("empty"), "{q}: {e}"),
        }
    }
    let e = engine()
        .search(&SearchRequest {
            query: "anak kind:chapter".into(),
            limit: 5,
            ..SearchRequest::default()
        })
        .unwrap_err();
    assert!(e.to_string().contains("footnote"), "{e}");
}

/// Edit distance ≤ 1 (with adjacent transposition), by brute force: the reference the typo
/// expansion is held to.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[pre..], &b[pre..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (x, y) if x == y + 1 => ra[1..] == *rb,
        (x, y) if y == x + 1 => *ra == rb[1..],
        _ => false,
    }
}

#[test]
fn typo_expansion_is_exactly_the_words_one_edit_away() {
    let e = engine();
    let dir = common::seed_index();
    let live = pustaka::index::store::current_generation(dir).unwrap();
    let index = tantivy::Index::open_in_dir(dir.join(live)).unwrap();
    let field = index.schema().get_field("text_exact").unwrap();
    let reader = index.reader().unwrap();
    let mut dict: Vec<String> = Vec::new();
    for seg in reader.searcher().segment_readers() {
        let inv = seg.inverted_index(field).unwrap();
        let mut st = inv.terms().stream().unwrap();
        while st.advance() {
            dict.push(String::from_utf8(st.key().to_vec()).unwrap());
        }
    }
    dict.sort();
    dict.dedup();
    // Typos of real words at the first letter, the second, the middle and the end.
    let mut checked = 0;
    for w in dict
        .iter()
        .filter(|w| w.chars().count() >= 6 && w.chars().all(char::is_alphabetic))
        .step_by(53)
    {
        let c: Vec<char> = w.chars().collect();
        let n = c.len();
        let mut typos = Vec::new();
        for p in [0, 1, n / 2, n - 1] {
            let mut del = c.clone();
            del.remove(p);
            typos.push(del);
            let mut sub = c.clone();
            sub[p] = if c[p] == 'q' { 'x' } else { 'q' };
            typos.push(sub);
            let mut ins = c.clone();
            ins.insert(p, 'z');
            typos.push(ins);
            if p + 1 < n {
                let mut tr = c.clone();
                tr.swap(p, p + 1);
                typos.push(tr);
            }
        }
        for t in typos {
            let t: String = t.into_iter().collect();
            if dict.binary_search(&t).is_ok() {
                continue;
            }
            let mut want: Vec<&String> = dict.iter().filter(|d| one_edit(&t, d)).collect();
            want.sort();
            let got = e.one_edit_away(&t).unwrap();
            if want.len() <= 16 {
                assert!(got.contains(w), "{t}: {w} not in {got:?}");
                let mut got: Vec<&String> = got.iter().collect();
                got.sort();
                assert_eq!(got, want, "{t}");
            } else {
                assert_eq!(got.len(), 16, "{t}");
                assert!(got.iter().all(|g| want.contains(&g)), "{t}");
            }
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked} typos checked");
}

#[test]
fn show_gives_the_neighbours() {
    let r = search("FFP tiga pilar hak representasi", 1);
    let id = &r.hits[0].id;
    let ctx = engine().context(id, 1).unwrap().unwrap();
    assert_eq!(&ctx.passage.id, id);
    let n: usize = id.rsplit_once('#').unwrap().1.parse().unwrap();
    assert_eq!(
        ctx.before[0].id,
        format!("000_fcc74d82d28cc91d.txt#{}", n - 1)
    );
    assert_eq!(
        ctx.after[0].id,
        format!("000_fcc74d82d28cc91d.txt#{}", n + 1)
    );
    assert!(engine().context("nope#1", 1).unwrap().is_none());
}

fn cli(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pustaka"))
        .args(args)
        .current_dir(manifest_dir())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn cli_json_is_the_documented_contract() {
    let dir = scratch("cli_index");
    let idx = dir.to_str().unwrap();
    let (ok, _, err) = cli(&["--index", idx, "index", "corpus"]);
    assert!(ok, "{err}");
    let (ok, out, err) = cli(&[
        "--index",
        idx,
        "search",
        "--json",
        "--limit",
        "3",
        "perdagangan manusia",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in ["query", "total", "took_ms", "hits"] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
    let hit = &v["hits"][0];
    for key in common::HIT_KEYS {
        assert!(hit.get(key).is_some(), "hit.{key} missing in {hit}");
    }
    assert_eq!(hit["lines"].as_array().unwrap().len(), 2);
    // Piped human output has no colour codes.
    let (ok, out, _) = cli(&["--index", idx, "search", "perdagangan"]);
    assert!(ok && !out.contains('\x1b') && out.contains("passages"));
    let (ok, out, _) = cli(&["--index", idx, "show", hit["id"].as_str().unwrap()]);
    assert!(ok && out.contains(hit["id"].as_str().unwrap()));
    let (ok, out, _) = cli(&["--index", idx, "stats", "--json"]);
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(ok && s["documents"] == 5 && s["passages"].as_u64().unwrap() > 400);
    let (ok, _, err) = cli(&["--index", idx, "search", "lang:"]);
    assert!(!ok && err.contains("lang:en"), "{err}");
    let (ok, _, err) = cli(&["--index", "/nonexistent/idx", "show", "x#1"]);
    assert!(!ok && !err.is_empty());
}

#[test]
fn search_builds_the_index_on_first_use() {
    let dir = scratch("first_use");
    let idx = dir.join("idx");
    let (ok, out, err) = cli(&[
        "--index",
        idx.to_str().unwrap(),
        "search",
        "--json",
        "Tapachula",
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("built the index"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["total"].as_u64().unwrap() > 0);
}

#[test]
fn reindexing_reads_only_changes_and_keeps_the_old_index_on_bad_files() {
    let root = scratch("incremental");
    let corpus = root.join("corpus");
    common::copy_seed_corpus(&corpus);
    let idx = root.join("idx");
    let first = index::build(&idx, std::slice::from_ref(&corpus), &mut |_| {}).unwrap();
    assert_eq!((first.indexed_files, first.documents), (5, 5));
    let again = index::build(&idx, std::slice::from_ref(&corpus), &mut |_| {}).unwrap();
    assert_eq!(
        (again.indexed_files, again.unchanged_files, again.passages),
        (0, 5, first.passages)
    );

    // A changed file is re-read and re-indexed; the others are not.
    let f001 = corpus.join("001_b45e124878fca27f.txt");
    let mut text = fs::read_to_string(&f001).unwrap();
    text.push_str("\nKalimat tambahan tentang zebrafish untuk uji indeks.\n");
    fs::write(&f001, text).unwrap();
    let changed = index::build(&idx, std::slice::from_ref(&corpus), &mut |_| {}).unwrap();
    assert_eq!((changed.indexed_files, changed.unchanged_files), (1, 4));
    let e = Engine::open(&idx).unwrap();
    let hits = |q: &str| {
        e.reload().unwrap();
        e.search(&SearchRequest {
            query: q.into(),
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap()
        .total
    };
    assert_eq!(hits("zebrafish"), 1);
    assert_eq!(hits("+Tapachula doc:000"), hits("+Tapachula doc:000")); // stable
                                                                        // The generation (what the server's response cache is keyed on) survives a reload that
                                                                        // finds no new commit, as the reader's file watcher does once when it starts.
    let generation = e.generation();
    e.reload().unwrap();
    assert_eq!(e.generation(), generation);

    // A file that turns binary is reported, and what it had stays searchable.
    let before = hits("ECPAT");
    fs::write(
        corpus.join("003_232135048410f2ab.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0",
    )
    .unwrap();
    let bad = index::build(&idx, std::slice::from_ref(&corpus), &mut |_| {}).unwrap();
    assert_eq!(bad.skipped.len(), 1, "{:?}", bad.skipped);
    assert!(bad.skipped[0].reason.contains("binary"));
    assert_eq!(hits("ECPAT"), before);

    // A removed file is dropped.
    fs::remove_file(corpus.join("003_232135048410f2ab.txt")).unwrap();
    let removed = index::build(&idx, std::slice::from_ref(&corpus), &mut |_| {}).unwrap();
    assert_eq!((removed.removed_files, removed.documents), (1, 4));
    assert_eq!(hits("doc:003"), 0);
    assert!(hits("ECPAT") < before);
    assert_ne!(
        e.generation(),
        generation,
        "a commit must change the generation"
    );
}

#[test]
fn a_second_writer_gets_a_clear_error_and_readers_keep_working() {
    let dir = scratch("locked");
    index::build(
        &dir,
        &[manifest_dir().join("corpus/001_b45e124878fca27f.txt")],
        &mut |_| {},
    )
    .unwrap();
    let e = Engine::open(&dir).unwrap();
    let n = e
        .search(&SearchRequest {
            query: "migran".into(),
            limit: 5,
            ..SearchRequest::default()
        })
        .unwrap()
        .total;
    // While one build runs (its progress callback blocks here), another is refused.
    let mut inner = None;
    index::build(&dir, &[manifest_dir().join("corpus")], &mut |p| {
        if inner.is_none() && p.files_done == 0 {
            inner =
                Some(index::build(&dir, &[manifest_dir().join("corpus")], &mut |_| {}).map(|_| ()));
        }
    })
    .unwrap();
    let err = inner.unwrap().unwrap_err();
    assert!(err.to_string().contains("in use"), "{err}");
    assert!(n > 0);
}

/// nDCG@10 per kind of query (and `ALL`) of a judged set in `../shared/eval`'s format, scored
/// as its `score.py` does: a hit counts for a judged passage when the passage's key, reduced
/// to letters and digits, is in the hit's text reduced the same way.
pub fn ndcg_by_kind(
    engine: &Engine,
    queries_path: &std::path::Path,
    per_doc: usize,
) -> std::collections::BTreeMap<String, f64> {
    let raw = fs::read_to_string(queries_path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; this test needs ../shared beside the repository (CI has it; a user's clone does not)",
            queries_path.display()
        )
    });
    let queries: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let mut per_kind: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for q in queries.as_array().unwrap() {
        let hits = engine
            .search(&SearchRequest {
                query: q["query"].as_str().unwrap().into(),
                limit: 10,
                per_doc,
                ..SearchRequest::default()
            })
            .unwrap()
            .hits;
        let rel: Vec<(String, i64)> = q["relevant"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    norm(r["key"].as_str().unwrap()),
                    r["grade"].as_i64().unwrap(),
                )
            })
            .collect();
        let mut found = vec![false; rel.len()];
        let mut dcg = 0.0;
        for (i, h) in hits.iter().enumerate() {
            let text = norm(&h.text);
            let mut g = 0;
            for (k, (key, grade)) in rel.iter().enumerate() {
                if !found[k] && h.text.chars().count() <= 3000 && text.contains(key.as_str()) {
                    found[k] = true;
                    g = g.max(*grade);
                }
            }
            dcg += (2f64.powi(g as i32) - 1.0) / ((i + 2) as f64).log2();
        }
        let mut ideal: Vec<i64> = rel.iter().map(|r| r.1).collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        let idcg: f64 = ideal
            .iter()
            .take(10)
            .enumerate()
            .map(|(i, &g)| (2f64.powi(g as i32) - 1.0) / ((i + 2) as f64).log2())
            .sum();
        let ndcg = if idcg > 0.0 { dcg / idcg } else { 0.0 };
        per_kind
            .entry(q["kind"].as_str().unwrap().to_string())
            .or_default()
            .push(ndcg);
        per_kind.entry("ALL".into()).or_default().push(ndcg);
    }
    let mean = |v: &Vec<f64>| v.iter().sum::<f64>() / v.len() as f64;
    let scores: std::collections::BTreeMap<String, f64> =
        per_kind.iter().map(|(k, v)| (k.clone(), mean(v))).collect();
    for (kind, v) in &per_kind {
        println!("{kind:14} {:>3} nDCG@10 {:.3}", v.len(), scores[kind]);
    }
    scores
}

/// The development relevance set in `../shared/eval`, scored as its `score.py` does.
#[test]
#[ignore = "needs ../shared/eval (run by .ci/run)"]
fn development_relevance_set_reaches_its_targets() {
    let path = manifest_dir().join("../shared/eval/queries.json");
    let scores = ndcg_by_kind(engine(), &path, 0);
    assert!(
        scores["ALL"] >= 0.88,
        "overall nDCG@10 {:.3}",
        scores["ALL"]
    );
    for (kind, score) in &scores {
        // English questions about Indonesian passages, found through the lexicon: 0.24 before
        // it, 0.75 with it; the target is 0.60.
        let floor = if kind == "cross-lingual" { 0.60 } else { 0.75 };
        assert!(*score >= floor, "{kind}: nDCG@10 {score:.3}");
    }
}

/// Turning pages lists every match once, in the order of one long page: a deeper page never
/// reorders the pages before it. (Page 2 of `yang` by hundreds once repeated 12 hits of page 1
/// and so hid 12 others.)
#[test]
fn pages_list_every_match_once_in_one_order() {
    for query in ["yang", "trafficking", "perdagangan manusia"] {
        for per_doc in [0, 3] {
            let page = |offset: usize, limit: usize| {
                engine()
                    .search(&SearchRequest {
                        query: query.into(),
                        limit,
                        offset,
                        per_doc,
                        ..SearchRequest::default()
                    })
                    .unwrap()
            };
            let total = page(0, 1).total;
            let mut turned = Vec::new();
            for size in [7, 100] {
                let mut ids = Vec::new();
                while ids.len() < total {
                    let r = page(ids.len(), size);
                    assert!(!r.hits.is_empty(), "{query:?} per_doc {per_doc}");
                    ids.extend(r.hits.iter().map(|h| h.id.clone()));
                }
                let distinct: std::collections::HashSet<_> = ids.iter().collect();
                assert_eq!(
                    distinct.len(),
                    total,
                    "{query:?} per_doc {per_doc} by {size}"
                );
                turned.push(ids);
            }
            assert_eq!(turned[0], turned[1], "{query:?} per_doc {per_doc}");
        }
    }
}

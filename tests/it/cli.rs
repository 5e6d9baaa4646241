//! The command line's manners in a shell (issue 14): query words that start with `-`, options
//! anywhere, an empty page that says how many matched, snippets on a terminal, colour as asked,
//! a closed pipe that ends quietly, exit statuses 0/1/2, help for every option. Each test runs
//! the real binary.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{self, manifest_dir, scratch};

/// What a run of `pustaka --index INDEX ARGS` gave: exit status, stdout, stderr.
struct Run {
    code: i32,
    out: String,
    err: String,
}

fn pustaka_in(index: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_pustaka"))
        .arg("--index")
        .arg(index)
        .args(args)
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Run {
        code: out.status.code().expect("ended by a signal"),
        out: String::from_utf8_lossy(&out.stdout).into_owned(),
        err: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `pustaka` on the seed index, without `NO_COLOR` unless `env` sets it.
fn pustaka(args: &[&str], env: &[(&str, &str)]) -> Run {
    pustaka_in(common::seed_index(), args, env)
}

/// The ids of a `search --json` run, which must have succeeded.
fn ids(args: &[&str]) -> Vec<String> {
    let mut args = args.to_vec();
    args.insert(1, "--json");
    let r = pustaka(&args, &[]);
    assert_eq!(r.code, 0, "{args:?}: {}{}", r.out, r.err);
    common::hit_ids(&r.out)
}

#[test]
fn a_query_word_may_start_with_a_hyphen() {
    let escaped = ids(&["search", "--", "-lang:id", "trafficking"]);
    assert!(!escaped.is_empty());
    assert_eq!(ids(&["search", "-lang:id trafficking"]), escaped);
    assert_eq!(ids(&["search", "-lang:id", "trafficking"]), escaped);
    // -lang:id excludes: none of its hits is Indonesian, unlike the word alone.
    let all = ids(&["search", "trafficking", "--limit", "100"]);
    assert!(
        all.len() > escaped.len(),
        "{} vs {}",
        all.len(),
        escaped.len()
    );
    let escaped = ids(&["search", "--", "trafficking", "-migran"]);
    assert!(!escaped.is_empty());
    assert_eq!(ids(&["search", "trafficking", "-migran"]), escaped);
    assert_eq!(ids(&["search", "trafficking -migran"]), escaped);
}

#[test]
fn options_are_recognised_before_and_after_the_query() {
    assert_eq!(ids(&["search", "kartel", "--limit", "3"]).len(), 3);
    assert_eq!(ids(&["search", "kartel", "--limit=2"]).len(), 2);
    let escaped = ids(&["search", "--limit", "3", "--", "-migran", "perdagangan"]);
    assert_eq!(escaped.len(), 3);
    assert_eq!(
        ids(&["search", "--limit", "3", "-migran", "perdagangan"]),
        escaped
    );
    assert_eq!(
        ids(&["search", "-migran", "--limit", "3", "perdagangan"]),
        escaped
    );
    // The global options too, after the subcommand and the query.
    let r = pustaka(
        &["search", "kartel", "--color", "always", "--limit", "1"],
        &[],
    );
    assert!(r.code == 0 && r.out.contains("\x1b["), "{}", r.err);
    // An unknown --option is a typo that clap names, not a query word.
    let r = pustaka(&["search", "kartel", "--limt", "3"], &[]);
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.err.contains("--limit"), "{}", r.err);
    // -h anywhere is help, with the query syntax.
    let r = pustaka(&["search", "kartel", "-h"], &[]);
    assert_eq!(r.code, 0);
    assert!(r.out.contains("Query syntax") && r.out.contains("-lang:id"));
}

#[test]
fn an_empty_page_says_how_many_passages_match() {
    let r = pustaka(&["search", "perdagangan", "--offset", "5000"], &[]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.out
            .contains("passages match \"perdagangan\", none listed on this page"),
        "{}",
        r.out
    );
    assert!(!r.out.contains("no passage matches"), "{}", r.out);
    // --limit 0: the count (and notes) alone, as /api/search?limit=0 answers.
    let r = pustaka(&["search", "perdagangan", "--limit", "0"], &[]);
    assert_eq!(r.code, 0, "{}", r.err);
    let total: Value = serde_json::from_str(
        &pustaka(&["search", "perdagangan", "--limit", "0", "--json"], &[]).out,
    )
    .unwrap();
    let n = total["total"].as_u64().unwrap();
    assert!(n > 0 && total["hits"].as_array().unwrap().is_empty());
    assert_eq!(
        r.out.trim_end().rsplit_once(" (").unwrap().0,
        format!("{n} passages match \"perdagangan\"")
    );
}

/// The first hit of `query` as JSON: its text and its snippet as a terminal shows it.
fn first_hit(query: &str) -> (String, String) {
    let r = pustaka(&["search", query, "--limit", "1", "--json"], &[]);
    let v: Value = serde_json::from_str(&r.out).unwrap();
    let hit = &v["hits"][0];
    let snippet = hit["snippet"]
        .as_str()
        .unwrap()
        .replace("<mark>", "")
        .replace("</mark>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    (hit["text"].as_str().unwrap().to_string(), snippet)
}

#[test]
fn hits_show_the_snippet_or_the_whole_passage_as_asked() {
    // A long passage, so that its snippet is a part of it.
    let query = "Tapachula Chiapas migran";
    let (text, snippet) = first_hit(query);
    assert!(text.len() > snippet.len() + 100, "{text}");
    assert!(snippet.starts_with('…') || snippet.ends_with('…'));
    let piped = pustaka(&["search", query, "--limit", "1"], &[]).out;
    assert!(
        piped.contains(&text),
        "piped lists the whole passage: {piped}"
    );
    let full = pustaka(&["search", query, "--limit", "1", "--full"], &[]).out;
    let untimed = |s: &str| s.rsplit_once(" passages (").unwrap().0.to_string();
    assert_eq!(untimed(&full), untimed(&piped));
    let short = pustaka(&["search", query, "--limit", "1", "--snippet"], &[]).out;
    assert!(
        short.contains(&snippet) && !short.contains(&text),
        "{short}"
    );
    let r = pustaka(&["search", query, "--full", "--snippet"], &[]);
    assert_eq!(r.code, 2);
    // On a terminal: the snippet, with the matched words highlighted.
    let tty = on_a_terminal(&["search", query, "--limit", "1"], &[]);
    assert!(!tty.contains(&text), "{tty}");
    assert!(tty.contains("\x1b[1;33m"), "{tty:?}");
    let plain = strip_ansi(&tty.replace("\r\n", "\n"));
    assert!(plain.contains(&snippet), "{plain}");
    let tty = on_a_terminal(&["search", query, "--limit", "1", "--full"], &[]);
    assert!(strip_ansi(&tty.replace("\r\n", "\n")).contains(&text));
}

/// stdout of `pustaka --index SEED ARGS` run on a pseudo-terminal, by util-linux's `script`
/// (which every Linux this runs on has; without it the test fails, saying so).
fn on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut line = vec![
        env!("CARGO_BIN_EXE_pustaka").to_string(),
        "--index".into(),
        common::seed_index().display().to_string(),
    ];
    line.extend(args.iter().map(|a| a.to_string()));
    let quoted: Vec<String> = line
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', r"'\''")))
        .collect();
    let out = Command::new("script")
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("util-linux `script` runs a command on a pseudo-terminal");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("\x1b[") {
        out.push_str(&rest[..i]);
        let code = &rest[i + 2..];
        rest = &code[code.find('m').map_or(code.len(), |m| m + 1)..];
    }
    out.push_str(rest);
    out
}

#[test]
fn colour_follows_the_option_then_no_color_then_the_terminal() {
    let args = ["search", "perdagangan", "--limit", "2"];
    let colour = |out: &str| out.contains("\x1b[");
    assert!(!colour(&pustaka(&args, &[]).out), "piped: no colour");
    assert!(colour(&on_a_terminal(&args, &[])), "a terminal: colour");
    assert!(!colour(&on_a_terminal(&args, &[("NO_COLOR", "1")])));
    assert!(
        colour(&on_a_terminal(&args, &[("NO_COLOR", "")])),
        "empty is unset"
    );
    let always = [&args[..], &["--color", "always"]].concat();
    assert!(colour(&pustaka(&always, &[]).out));
    assert!(
        colour(&pustaka(&always, &[("NO_COLOR", "1")]).out),
        "the option wins"
    );
    let never = [&["--color", "never"], &args[..]].concat();
    assert!(!colour(&on_a_terminal(&never, &[])));
    // Every command obeys, not only search.
    assert!(colour(&pustaka(&["--color", "always", "docs"], &[]).out));
    let r = pustaka(&["--color", "sometimes", "docs"], &[]);
    assert_eq!(r.code, 2, "{}", r.err);
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_zero() {
    let corpus = manifest_dir().join("corpus");
    let commands: &[&[&str]] = &[
        &["cites", "--json"],
        &["cites"],
        &["cites", "--top", "5"],
        &["search", "--json", "perdagangan", "--limit", "100"],
        &["search", "perdagangan", "--limit", "100"],
        &["docs"],
        &["docs", "--json"],
        &["stats"],
        &["show", "003_232135048410f2ab.txt#7"],
        &["refs", "004", "--format", "bibtex"],
        &["dupes"],
        &["verify"],
        &["passages", corpus.to_str().unwrap()],
    ];
    for args in commands {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pustaka"))
            .arg("--index")
            .arg(common::seed_index())
            .args(*args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the first line is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err:?}");
        assert!(err.is_empty(), "{args:?}: {err:?}");
    }
}

#[test]
fn exit_status_is_zero_on_matches_one_on_nothing_two_on_errors() {
    let code = |args: &[&str]| pustaka(args, &[]).code;
    assert_eq!(code(&["search", "perdagangan"]), 0);
    let r = pustaka(&["search", "zzqxvwy"], &[]);
    assert_eq!(
        (r.code, r.err.as_str()),
        (1, ""),
        "nothing found is no error"
    );
    assert!(r.out.contains("no passage matches"), "{}", r.out);
    assert_eq!(code(&["search", "perdagangan", "lang:ms"]), 1);
    assert_eq!(code(&["search", "lang:"]), 2, "a bad query");
    assert_eq!(code(&["search", "kind:chapter"]), 2, "an impossible filter");
    assert_eq!(code(&["search", "perdagangan", "--limit", "500"]), 2);
    assert_eq!(code(&["search"]), 2, "no query");
    assert_eq!(code(&["cites", "--author", "UNODC"]), 0);
    assert_eq!(code(&["cites", "--author", "Zzqxvwy"]), 1);
    assert_eq!(code(&["cites", "--year", "16"]), 2, "not a year");
    assert_eq!(code(&["cites", "--top", "5"]), 0);
    assert_eq!(code(&["dupes"]), 0);
    assert_eq!(
        code(&["show", "003_nothing.txt#7"]),
        2,
        "an id that is not there"
    );
    assert_eq!(code(&["verify"]), 0);
    assert_eq!(code(&["stats"]), 0);
    let absent = scratch("cli_exit_absent");
    let r = pustaka_in(&absent.join("nope"), &["show", "x#1"], &[]);
    assert_eq!(r.code, 2, "{}", r.err);
}

#[test]
fn check_and_dupes_exit_one_when_they_find_nothing() {
    let reused = "Kota Tapachula yang terletak di negara bagian Chiapas menjadi pintu gerbang \
                  utama bagi para migran dari Amerika Tengah yang hendak menuju Amerika Serikat.";
    let fresh = "Resep rendang daging sapi membutuhkan santan kelapa, cabai merah, lengkuas, \
                 serai, daun kunyit dan kesabaran memasak selama empat jam di atas api kecil.";
    let dir = scratch("cli_exit_check");
    for (name, text, want) in [("reused.txt", reused, 0), ("fresh.txt", fresh, 1)] {
        let file = dir.join(name);
        fs::write(&file, text).unwrap();
        let r = pustaka(&["check", file.to_str().unwrap()], &[]);
        assert_eq!(r.code, want, "{name}: {}{}", r.out, r.err);
    }
    // An index of one short document has no pair to report.
    let doc = dir.join("one.txt");
    fs::write(&doc, format!("{fresh}\n\n{reused}\n")).unwrap();
    let index = dir.join("index");
    let r = pustaka_in(&index, &["index", doc.to_str().unwrap()], &[]);
    assert_eq!(r.code, 0, "{}", r.err);
    let r = pustaka_in(&index, &["dupes"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
}

#[test]
fn help_states_every_option_and_the_exit_statuses() {
    let commands = [
        "", "passages", "index", "verify", "search", "show", "cite", "docs", "cites", "refs",
        "dupes", "check", "serve", "stats",
    ];
    for cmd in commands {
        let args: Vec<&str> = [cmd, "-h"].into_iter().filter(|a| !a.is_empty()).collect();
        let r = pustaka(&args, &[]);
        assert_eq!(r.code, 0, "{cmd}: {}", r.err);
        let mut options = 0;
        let lines: Vec<&str> = r.out.lines().map(str::trim_start).collect();
        for (i, line) in lines.iter().enumerate() {
            if line.starts_with('-') || line.starts_with('<') || line.starts_with('[') {
                options += 1;
                // Beside the option, or (clap's layout when some option is long) below it.
                let beside = line.split_once("  ").map_or("", |(_, h)| h.trim());
                let below = lines.get(i + 1).copied().unwrap_or("");
                let has_help = !beside.is_empty()
                    || !(below.is_empty() || below.starts_with('-') || below.starts_with('<'));
                assert!(has_help, "{cmd}: {line:?} has no help text");
            }
        }
        assert!(options >= 2, "{cmd}: {}", r.out);
    }
    for cmd in ["", "search", "cites", "dupes", "check"] {
        let args: Vec<&str> = [cmd, "--help"]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let out = pustaka(&args, &[]).out;
        assert!(out.contains("Exit status"), "{cmd}: {out}");
    }
}

#[test]
fn per_doc_and_docs_from_the_shell() {
    // The default caps passages per document; `--per-doc 0` lists them in rank order.
    let capped = pustaka(&["search", "--json", "--snippet", "perdagangan"], &[]);
    assert_eq!(capped.code, 0, "{}", capped.err);
    let v: Value = serde_json::from_str(&capped.out).unwrap();
    let more: Vec<u64> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["more"].as_u64())
        .collect();
    assert!(
        !more.is_empty(),
        "some document has more matches than a page shows"
    );
    let human = pustaka(
        &["search", "--snippet", "perdagangan"],
        &[("NO_COLOR", "1")],
    );
    assert!(
        human.out.contains("more from this document (--doc "),
        "{}",
        human.out
    );
    let uncapped = pustaka(&["search", "--json", "--per-doc", "0", "perdagangan"], &[]);
    let v: Value = serde_json::from_str(&uncapped.out).unwrap();
    assert!(v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h.get("more").is_none()));
    assert_ne!(
        ids(&["search", "--per-doc", "1", "perdagangan"]),
        ids(&["search", "--per-doc", "0", "perdagangan"])
    );
    // Out of bounds is an error, status 2, saying the bounds.
    let bad = pustaka(&["search", "--per-doc", "500", "perdagangan"], &[]);
    assert_eq!(bad.code, 2);
    assert!(bad.err.contains("per_doc must be between 0"), "{}", bad.err);
    // `--docs`: documents, each with its matches and best passage; status 1 when none.
    let docs = pustaka(&["search", "--docs", "--json", "perdagangan"], &[]);
    assert_eq!(docs.code, 0);
    let v: Value = serde_json::from_str(&docs.out).unwrap();
    let list = v["docs"].as_array().unwrap();
    assert!(list.len() >= 3);
    let sum: u64 = list.iter().map(|d| d["matches"].as_u64().unwrap()).sum();
    assert_eq!(sum, v["total"].as_u64().unwrap());
    let human = pustaka(&["search", "--docs", "perdagangan"], &[("NO_COLOR", "1")]);
    assert!(human.out.contains("matching passages"), "{}", human.out);
    assert!(human.out.contains(" documents, "), "{}", human.out);
    assert_eq!(pustaka(&["search", "--docs", "zzqxvw"], &[]).code, 1);
}

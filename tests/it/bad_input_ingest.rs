//! Bad input through the whole ingest pipeline and the CLI: the good files are ingested, every
//! bad one is reported with its path and reason, nothing aborts the run.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use crate::common::scratch;
use pustaka::{ingest, Passage};

const GOOD: &str = "BAB II\n\nKEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO\n\n2.1. Perspektif Foreign Policy di Meksiko\n\n\
Kebijakan luar negeri Meksiko sejak awal 1990-an hingga saat ini \n\nmenampilkan transformasi strategis yang berfokus pada diversifikasi kemitraan \n\n\
dan penguatan posisi negara di berbagai forum internasional. Secara historis, \n\nMeksiko menganut doktrin non-intervensi dan penghormatan kedaulatan.\n";

fn bad_corpus() -> PathBuf {
    let dir = scratch("bad_corpus");
    fs::write(dir.join("good.txt"), GOOD).unwrap();
    // Windows-1252: "Secretaría de Relaciones Exteriores", "México".
    let mut cp1252 = b"Kebijakan luar negeri M\xe9xico dirumuskan oleh Secretar\xeda de Relaciones Exteriores \
bersama kementerian lain untuk memperkuat diplomasi feminis di kawasan Amerika Latin dan Karibia.\n"
        .to_vec();
    cp1252.extend_from_slice(
        b"Upaya ini mencakup pelatihan diplomat dan audit kebijakan secara berkala.\n",
    );
    fs::write(dir.join("legacy.txt"), cp1252).unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(std::iter::repeat_n(0u8, 64));
    fs::write(dir.join("figure.txt"), png).unwrap();
    fs::write(dir.join("empty.md"), "").unwrap();
    fs::write(
        dir.join("records.jsonl"),
        "{\"id\": \"r1\", \"title\": \"Putusan Nomor 1/Pid.Sus/2020/PN Jkt\", \"text\": \"Menimbang, bahwa Terdakwa telah didakwa oleh Penuntut Umum dengan dakwaan tunggal melanggar Pasal 2 ayat (1) Undang-Undang Nomor 21 Tahun 2007 tentang Pemberantasan Tindak Pidana Perdagangan Orang.\"}\n\
{\"id\": \"r2\", \"text\": \n\
{\"id\": \"r3\"}\n",
    )
    .unwrap();
    // A file that cannot be read (root reads any mode, so a link to nowhere stands in).
    std::os::unix::fs::symlink(dir.join("moved-away.txt"), dir.join("unreadable.txt")).unwrap();
    dir
}

#[test]
fn good_files_survive_bad_neighbours() {
    let dir = bad_corpus();
    let mut docs = Vec::new();
    let mut passages: Vec<Passage> = Vec::new();
    let report = ingest::ingest(
        std::slice::from_ref(&dir),
        |d, ingest::Cut { passages: ps, .. }| {
            docs.push(d.id.clone());
            passages.extend(ps);
        },
    );
    docs.sort();
    assert_eq!(docs, ["good.txt", "legacy.txt", "r1"]);
    let legacy: Vec<_> = passages.iter().filter(|p| p.doc == "legacy.txt").collect();
    assert!(
        legacy[0].text.contains("México") && legacy[0].text.contains("Secretaría de Relaciones")
    );
    let good: Vec<_> = passages.iter().filter(|p| p.doc == "good.txt").collect();
    assert_eq!(
        good[0].title,
        "BAB II — KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO"
    );
    assert!(good.iter().any(|p| p.section.as_deref() == Some("2.1")));
    let reasons: Vec<String> = report.skipped.iter().map(|s| s.to_string()).collect();
    let has = |file: &str, word: &str| {
        reasons
            .iter()
            .any(|r| r.contains(file) && r.to_lowercase().contains(word))
    };
    assert!(has("figure.txt", "binary"), "{reasons:#?}");
    assert!(has("empty.md", "empty"), "{reasons:#?}");
    assert!(has("records.jsonl:2", "json"), "{reasons:#?}");
    assert!(has("records.jsonl:3", "text"), "{reasons:#?}");
    assert!(
        reasons.iter().any(|r| r.contains("unreadable.txt")),
        "{reasons:#?}"
    );
    assert_eq!(report.skipped.len(), 5, "{reasons:#?}");
}

#[test]
fn a_50_mb_single_line_is_cut_into_passages() {
    let dir = scratch("huge_line");
    let sentence = "Perdagangan manusia merupakan kejahatan transnasional yang melibatkan jaringan kriminal terorganisir. ";
    let n = 50 * 1024 * 1024 / sentence.len();
    fs::write(dir.join("huge.txt"), sentence.repeat(n)).unwrap();
    let mut count = 0usize;
    let mut longest = 0usize;
    let mut last_end = 0usize;
    let report = ingest::ingest(
        &[dir.join("huge.txt")],
        |_, ingest::Cut { passages: ps, .. }| {
            for p in &ps {
                count += 1;
                longest = longest.max(p.text.chars().count());
                assert_eq!(p.lines, [1, 1]);
                assert!(p.bytes[0] >= last_end, "passages overlap at {}", p.id);
                last_end = p.bytes[1];
            }
        },
    );
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert!(longest <= 1500, "{longest}");
    assert!(count > 50 * 1024 * 1024 / 1500, "{count} passages");
    assert!(last_end + sentence.len() >= 50 * 1024 * 1024 - sentence.len());
}

#[test]
fn the_cli_reports_bad_files_and_keeps_going() {
    let dir = bad_corpus();
    let out = Command::new(env!("CARGO_BIN_EXE_pustaka"))
        .args(["passages", "--json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let docs: std::collections::BTreeSet<String> = stdout
        .lines()
        .map(|l| serde_json::from_str::<Passage>(l).unwrap().doc)
        .collect();
    assert_eq!(
        docs.into_iter().collect::<Vec<_>>(),
        ["good.txt", "legacy.txt", "r1"]
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("skipped 5"), "{stderr}");
    assert!(
        stderr.contains("figure.txt") && stderr.contains("binary"),
        "{stderr}"
    );
}

#[test]
fn the_cli_says_what_is_wrong_with_a_missing_path() {
    let out = Command::new(env!("CARGO_BIN_EXE_pustaka"))
        .args(["passages", "/nonexistent/pustaka-corpus"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("/nonexistent/pustaka-corpus"), "{stderr}");
    assert!(stderr.contains("no such file"), "{stderr}");
}

#[test]
fn utf16_files_without_a_bom_are_ingested() {
    let dir = scratch("utf16_no_bom");
    let text = format!(
        "{GOOD}Presiden Andrés Manuel López Obrador (2018–2024) menjadikan diplomasi feminis \
         sebagai identitas politik luar negeri Meksiko.\n"
    );
    for (name, little_endian) in [("le.txt", true), ("be.txt", false)] {
        let bytes: Vec<u8> = text
            .encode_utf16()
            .flat_map(|u| {
                if little_endian {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            })
            .collect();
        fs::write(dir.join(name), bytes).unwrap();
    }
    let mut passages: Vec<Passage> = Vec::new();
    let report = ingest::ingest(
        std::slice::from_ref(&dir),
        |_, ingest::Cut { passages: ps, .. }| passages.extend(ps),
    );
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    for doc in ["be.txt", "le.txt"] {
        let ps: Vec<&Passage> = passages.iter().filter(|p| p.doc == doc).collect();
        assert_eq!(
            ps[0].title, "BAB II — KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO",
            "{doc}"
        );
        assert!(
            ps.iter()
                .any(|p| p.text.contains("Andrés Manuel López Obrador (2018–2024)")),
            "{doc}: {ps:#?}"
        );
    }
}

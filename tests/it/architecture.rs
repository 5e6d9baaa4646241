//! The layering the README and `src/lib.rs` describe, checked on the source itself: a module
//! uses only the modules below it (`error` ← `model` ← `par` ← `text` ← `enrich` ← `ingest` ←
//! `index` ← `search` ← `api` ← `render`/`server`), and the engine (everything but `server`)
//! never names warp, tokio or clap, so that splitting it into its own crate is a move.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::manifest_dir;

/// The layers, lowest first; a module may use its own layer and those before it.
const LAYERS: [&[&str]; 10] = [
    &["error"],
    &["model"],
    &["par"],
    &["text"],
    &["enrich"],
    &["ingest"],
    &["index"],
    &["search"],
    &["api"],
    &["render", "server"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without its comments and its test module: what it imports when built.
fn code(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `crate::x` paths and `use crate::{x, …}` groups: the top modules a file uses.
fn used_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = item.trim().split("::").next().unwrap_or("");
                out.push(name.to_string());
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

#[test]
fn imports_run_one_way_and_the_engine_knows_no_front_end() {
    let src = manifest_dir().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs");
        let Some(own) = layer(top) else { continue };
        checked += 1;
        let code = code(f);
        for used in used_modules(&code) {
            if layer(&used).is_some_and(|l| l > own) {
                wrong.push(format!("{rel} ({top}) uses crate::{used}"));
            }
        }
        if top != "server" {
            for front in ["warp::", "tokio::", "clap::", "hyper::"] {
                if code.contains(front) {
                    wrong.push(format!("{rel} ({top}) names {front}"));
                }
            }
        }
    }
    assert!(
        checked > 40,
        "only {checked} files checked: is src/ where it was?"
    );
    assert!(wrong.is_empty(), "against the flow:\n{}", wrong.join("\n"));
}

/// The checker itself sees an import against the flow, in both spellings.
#[test]
fn the_layer_check_sees_both_spellings_of_an_import() {
    let code = "use crate::{error::Result, search::Hit};\nlet x = crate::server::routes;";
    assert_eq!(used_modules(code), ["error", "search", "server"]);
    assert!(layer("search") > layer("index"));
}

//! The `pustaka` command: parses arguments, calls the library, renders. Nothing else.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use pustaka::ingest;
use pustaka::render::{self, Style};

#[derive(Parser)]
#[command(
    name = "pustaka",
    version,
    about = "Full-text search for academic corpora in Indonesian and English"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the passages the indexer sees: text, document, chapter, section, kind, language, lines.
    Passages {
        /// Files or directories (.txt, .md, .jsonl); default: corpus/
        paths: Vec<PathBuf>,
        /// One JSON object per passage (JSON Lines)
        #[arg(long)]
        json: bool,
    },
}

fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("corpus")]
    } else {
        paths
    }
}

fn run(cli: Cli) -> Result<()> {
    let stdout = io::stdout();
    let st = Style {
        color: stdout.is_terminal(),
    };
    let mut out = BufWriter::new(stdout.lock());
    match cli.command {
        Command::Passages { paths, json } => {
            let mut failed = None;
            let report = ingest::ingest(&default_paths(paths), |_, passages| {
                if failed.is_some() {
                    return;
                }
                for p in &passages {
                    let r = if json {
                        serde_json::to_writer(&mut out, p)
                            .map_err(io::Error::from)
                            .and_then(|_| out.write_all(b"\n"))
                    } else {
                        writeln!(out, "{}", render::passage(p, st))
                    };
                    if let Err(e) = r {
                        failed = Some(e);
                        return;
                    }
                }
            });
            if let Some(e) = failed {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    return Ok(());
                }
                return Err(e.into());
            }
            out.flush()?;
            eprint!(
                "{}",
                render::report(
                    &report,
                    Style {
                        color: io::stderr().is_terminal()
                    }
                )
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pustaka: {e:#}");
            ExitCode::FAILURE
        }
    }
}

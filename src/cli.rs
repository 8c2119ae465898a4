//! Command-line interface definitions. `main.rs` parses these and calls [`crate::app::run`].

use std::path::PathBuf;

use clap::builder::RangedU64ValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::shares::table::Weight;

/// Label paragraphs of Chinese government work reports with policy themes and
/// measure how much attention each region gives each theme.
///
/// Tables go to stdout as CSV (or JSON Lines) so commands pipe into each other;
/// progress and warnings go to stderr.
#[derive(Debug, Parser)]
#[command(name = "policy-themes", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print no warnings or progress on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Start CSV output with a UTF-8 byte-order mark, so Excel on Windows opens it as UTF-8
    /// instead of garbling the Chinese text (this tool reads such files back either way).
    #[arg(long, global = true)]
    pub bom: bool,
    /// Replace an existing output file even when it is read-only (an output that is also one of
    /// the command's inputs is refused all the same).
    #[arg(long, global = true)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Main job: train (if needed), label every document, write out/ and print the region × theme table.
    Analyze(AnalyzeArgs),
    /// Split reports into paragraphs: CSV
    /// `doc_id,para_id,region,region_code,province,prefecture,year,kind,section,text`.
    ///
    /// A line is a paragraph; a line too long to be one is split at section
    /// markers and sentence ends. Lines wrapped at one width (text copied from
    /// a PDF) are first joined back into paragraphs, with a warning.
    Segment(SegmentArgs),
    /// Train a model on label files in the codebook format.
    Train(TrainArgs),
    /// Label paragraphs with a trained model.
    Label(LabelArgs),
    /// Theme shares per group from labelled paragraphs (or from the gold labels), with intervals,
    /// corrected shares or the keyword-dictionary measure.
    Summary(SummaryArgs),
    /// Compare two regions or documents: the share difference per theme with its 95% interval.
    #[command(override_usage = "policy-themes compare [OPTIONS] [LABELLED.csv] A B")]
    Compare(CompareArgs),
    /// Write a self-contained HTML report: heatmap, stacked bars, year trends, example paragraphs.
    Report(ReportArgs),
    /// Work with label files.
    #[command(subcommand)]
    Labels(LabelsCommand),
    /// Measure model quality by cross-validation grouped by document or region, or on a held-out file.
    Eval(EvalArgs),
    /// Show the terms that weigh most for each theme.
    Explain(ExplainArgs),
    /// Choose the next paragraphs to label, as a label-file CSV to fill in.
    ///
    /// With few or no labels (a cold start) the choice is spread over regions, years, documents
    /// and sections. Once there are labels (30, of two themes or more) or a --model, the paragraphs
    /// the model is least sure of come first, favouring themes with few labels, at most a fair
    /// share per document and no near-duplicates. Paragraphs already labelled are never proposed.
    /// The output has the label-file columns `doc_id,para_id,text,theme,secondary` (theme empty)
    /// then `suggested,confidence,reason,region,year,section`; fill in `theme` and pass the file
    /// to --labels of train (rows left without a theme are skipped, with a warning).
    Sample(SampleArgs),
    /// Label paragraphs one at a time in a local web page, with the model's suggestion beside each.
    ///
    /// Serves a page on 127.0.0.1 only (the address is printed on stderr; requests from any other
    /// address are refused) showing one paragraph with its document, region, year, section and
    /// neighbours, the codebook's themes with keyboard shortcuts, the model's suggestion (never
    /// selected for you), a secondary theme, a note, skip, back and undo. Each decision is written
    /// to LABELS.csv at once (the whole file replaced atomically, every other row and column kept);
    /// stopping the server loses nothing and starting it again resumes. The order is `sample`'s,
    /// and the model is refitted in the background every --refit-every new labels. A label file
    /// changed on disk by someone else meanwhile is never overwritten: the page says so.
    Annotate(AnnotateArgs),
    /// The paragraphs behind a share: those of a region (doc, year, kind) labelled with a
    /// theme, full text, most confident first, and the share they add up to.
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Report files or directories, or one paragraphs CSV (`segment`'s output).
    #[arg(required = true, value_name = "REPORTS|P.csv")]
    pub inputs: Vec<PathBuf>,
    /// The labels so far (a label file or a directory of them); without it, a cold start.
    #[arg(long, value_name = "DIR|FILE")]
    pub labels: Option<PathBuf>,
    /// How many paragraphs to propose.
    #[arg(short = 'n', long = "number", value_name = "N", default_value_t = 50,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    pub n: usize,
    /// Model whose uncertainty orders the choice [default: one fitted on --labels when there are
    /// enough of them].
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Seed for the order of ties and of the cold start (the same seed, the same proposal).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write here instead of stdout (replaced only when complete).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Skip unreadable input files (listed on stderr, exit code 1) instead of stopping.
    #[arg(long)]
    pub keep_going: bool,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

#[derive(Debug, Args)]
pub struct AnnotateArgs {
    /// The label file to write (codebook format, created when missing; its other rows and columns
    /// are kept). With --disagreements, the gold file.
    #[arg(value_name = "LABELS.csv")]
    pub labels: PathBuf,
    /// Report files or directories, or one paragraphs CSV (`segment`'s output), whose paragraphs
    /// are proposed [default: the rows of LABELS.csv still without a theme, as `sample` writes
    /// them; with --disagreements, the first coder's paragraphs].
    #[arg(value_name = "REPORTS|P.csv")]
    pub inputs: Vec<PathBuf>,
    /// Port on 127.0.0.1 to serve the page on; 0 picks a free one (the printed address says which).
    #[arg(long, default_value_t = 8765, value_name = "N")]
    pub port: u16,
    /// Write this coder's own file: LABELS.csv with `.NAME` before the extension
    /// (`round1.csv` → `round1.alice.csv`), for `labels agree` between coders.
    #[arg(long, value_name = "NAME", conflicts_with = "disagreements")]
    pub coder: Option<String>,
    /// Refit the model in the background after this many new labels (once there are 30 labels of
    /// two themes or more); each round proposes this many paragraphs.
    #[arg(long, default_value_t = crate::labelling::annotate::DEFAULT_REFIT_EVERY, value_name = "K",
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=100_000))]
    pub refit_every: usize,
    /// Settle two coders' disagreements into LABELS.csv (the gold file): walks the paragraphs
    /// where A (codebook format) and B (at least doc_id,para_id,theme) differ, showing both
    /// choices. A new gold file starts with the paragraphs they agree on.
    #[arg(long, num_args = 2, value_names = ["A.csv", "B.csv"])]
    pub disagreements: Vec<PathBuf>,
    /// Seed for the order of ties and of the cold start.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Skip unreadable input files (listed on stderr, exit code 1) instead of stopping.
    #[arg(long)]
    pub keep_going: bool,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

/// Where `analyze` leaves its model, the default of `label` and `explain`.
pub const DEFAULT_MODEL: &str = "out/model.json";

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Labelled paragraphs (output of `label` or `analyze`, CSV or JSON Lines; `-` reads
    /// standard input).
    #[arg(value_name = "LABELLED.csv")]
    pub input: PathBuf,
    /// Only this region (as `summary` names it).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Only paragraphs labelled with this theme (its id, e.g. `ecology`).
    #[arg(long, value_name = "THEME")]
    pub theme: Option<String>,
    /// Only this document.
    #[arg(long, value_name = "DOC_ID")]
    pub doc: Option<String>,
    /// Only this year.
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    #[command(flatten)]
    pub kinds: KindArgs,
    /// What each paragraph weighs in the share (as in `summary`).
    #[arg(long, value_enum, default_value_t)]
    pub weight: Weight,
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

/// Kinds of document (the `kind` column: work_report, plan_report, article):
/// kept apart by default, declared once for every command that pools rows.
#[derive(Debug, Args, Clone, Default)]
pub struct KindArgs {
    /// Only documents of this kind (work_report, plan_report, article, or another value of the
    /// `kind` column).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Pool kinds of document: one row (or compare side, or show share) for the text of every
    /// kind together. By default each kind has its own row, a year trend joins documents of one
    /// kind, and `compare` refuses to set different kinds against each other.
    #[arg(long, conflicts_with = "kind")]
    pub pool_kinds: bool,
}

/// The theme scheme: declared once, flattened into every command that reads themes.
#[derive(Debug, Args, Clone, Default)]
pub struct CodebookArgs {
    /// Codebook whose themes the labels use: a Markdown file with the theme table in the layout
    /// of labels/CODEBOOK.md (`| id | 中文 | English | typical content |`, optional `short`,
    /// `colour` and `terms` columns) [default: the bundled labels/CODEBOOK.md; with a model, the
    /// codebook the model carries, which this must match].
    #[arg(long, value_name = "FILE.md")]
    pub codebook: Option<PathBuf>,
}

/// Input files and directories.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Report files, or directories whose *.txt files are read (UTF-8, GB18030/GBK, UTF-16 with BOM); `-` reads standard input (document id `stdin`).
    #[arg(required = true, value_name = "FILES|DIRS")]
    pub inputs: Vec<PathBuf>,
    /// Skip files that cannot be read (they are listed on stderr, exit code 1) instead of stopping.
    #[arg(long)]
    pub keep_going: bool,
}

#[derive(Debug, Args)]
pub struct SegmentArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write CSV here instead of stdout (replaced only when complete).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write the lines dropped as site chrome here, as CSV `doc_id,line,text,reason` (replaced only when complete).
    #[arg(long, value_name = "FILE")]
    pub dropped: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Classifier choice on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClassifierArg {
    /// linfa-bayes multinomial naive Bayes.
    Nb,
    /// Complement naive Bayes.
    Cnb,
    /// linfa-logistic multinomial logistic regression (dense, slow on large vocabularies).
    Logistic,
    /// Multinomial logistic regression on the sparse TF-IDF rows, fitted by L-BFGS.
    SparseLogistic,
}

/// Model hyper-parameters; unset flags keep the default model's settings.
#[derive(Debug, Args, Clone, Default)]
pub struct ModelArgs {
    /// Classifier [default: sparse-logistic, the one chosen by grouped cross-validation].
    #[arg(long, value_enum)]
    pub classifier: Option<ClassifierArg>,
    /// Smoothing (naive Bayes) or L2 penalty (logistic regression), a positive number [default: sparse-logistic 0.03, nb 0.03, cnb 0.3, logistic 0.001].
    #[arg(long, value_parser = parse_alpha, allow_negative_numbers = true)]
    pub alpha: Option<f64>,
    /// Word bigrams as features (`--word-bigrams` or `--word-bigrams=false`) [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub word_bigrams: Option<bool>,
    /// Words cut by jieba as features (`--words`); without them, and without
    /// word bigrams, labelling does not run jieba at all [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub words: Option<bool>,
    /// Character bigrams as features (`--char-bigrams=false` turns them off) [default: true].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub char_bigrams: Option<bool>,
    /// Keep only the K terms with the highest chi-square score [default: all terms].
    #[arg(long, value_name = "K", value_parser = parse_chi2, allow_negative_numbers = true)]
    pub chi2: Option<usize>,
    /// Weigh themes equally instead of by their frequency in the labels [default: true].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub balanced: Option<bool>,
    /// Drop terms found in fewer training paragraphs than this [default: 2].
    #[arg(long, value_name = "N")]
    pub min_df: Option<u32>,
    /// Fit a theme prior on each document's own paragraphs when labelling
    /// (EM, Saerens et al. 2002), with this pseudo-count per theme as a
    /// fraction of the document's characters (a positive number); `off` labels each paragraph on
    /// its own [default: off].
    #[arg(long, value_name = "STRENGTH|off", value_parser = parse_document_prior, allow_negative_numbers = true)]
    pub document_prior: Option<DocumentPriorArg>,
}

impl ModelArgs {
    /// The flags given, as typed: for refusing them where no model is trained.
    pub fn given(&self) -> Vec<&'static str> {
        [
            (self.classifier.is_some(), "--classifier"),
            (self.alpha.is_some(), "--alpha"),
            (self.word_bigrams.is_some(), "--word-bigrams"),
            (self.words.is_some(), "--words"),
            (self.char_bigrams.is_some(), "--char-bigrams"),
            (self.chi2.is_some(), "--chi2"),
            (self.balanced.is_some(), "--balanced"),
            (self.min_df.is_some(), "--min-df"),
            (self.document_prior.is_some(), "--document-prior"),
        ]
        .into_iter()
        .filter_map(|(given, flag)| given.then_some(flag))
        .collect()
    }
}

/// `--document-prior`: a strength, or off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DocumentPriorArg {
    Off,
    Strength(f64),
}

impl DocumentPriorArg {
    /// The strength, `None` for off.
    pub fn strength(self) -> Option<f64> {
        match self {
            DocumentPriorArg::Off => None,
            DocumentPriorArg::Strength(c) => Some(c),
        }
    }
}

fn parse_document_prior(s: &str) -> Result<DocumentPriorArg, String> {
    if s.eq_ignore_ascii_case("off") {
        return Ok(DocumentPriorArg::Off);
    }
    // 0 would let each document's own mix take over: every paragraph gets
    // confidence 1.
    match positive(s) {
        Ok(c) => Ok(DocumentPriorArg::Strength(c)),
        Err(_) => Err(format!(
            "`{s}` is neither `off` nor a positive number up to {MAX_MAGNITUDE}"
        )),
    }
}

/// The bound on model numbers (see [`crate::model::validate::MAX_MAGNITUDE`]).
const MAX_MAGNITUDE: f64 = crate::model::validate::MAX_MAGNITUDE;

/// A finite number in (0, MAX_MAGNITUDE].
fn positive(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x <= MAX_MAGNITUDE => Ok(x),
        _ => Err(format!("must be a positive number up to {MAX_MAGNITUDE}")),
    }
}

/// `--alpha`: smoothing or L2 penalty; 0, NaN or infinity give a model whose
/// scores are NaN.
fn parse_alpha(s: &str) -> Result<f64, String> {
    positive(s)
}

/// `--chi2`: keeping 0 terms leaves nothing to train on.
fn parse_chi2(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(k) if k >= 1 => Ok(k),
        _ => Err("must be a whole number of terms, at least 1".into()),
    }
}

/// `--min-confidence`: a probability.
fn parse_probability(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err("must be a number from 0 to 1".into()),
    }
}

/// Bootstrap replicates are held in memory (one number per theme each, per group):
/// a million is far beyond what a stable interval needs (1,000–10,000), and
/// more than that runs out of memory or overflows the allocation.
pub const MAX_SAMPLES: u64 = 1_000_000;

fn samples_parser() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::<usize>::new().range(1..=MAX_SAMPLES)
}

/// The bootstrap behind every interval (summary --ci, compare, report),
/// declared once so the flags, ranges and defaults cannot drift apart.
#[derive(Debug, Args, Clone, Copy)]
pub struct BootstrapArgs {
    /// Bootstrap replicates for the 95% intervals (1 to 1,000,000; paragraphs are resampled
    /// within each document).
    #[arg(long, default_value_t = crate::shares::bootstrap::DEFAULT_SAMPLES, value_name = "B", value_parser = samples_parser())]
    pub samples: usize,
    /// Seed of the bootstrap: the same seed gives the same intervals.
    #[arg(long, default_value_t = crate::shares::bootstrap::DEFAULT_SEED, value_name = "N")]
    pub seed: u64,
}

impl BootstrapArgs {
    /// The resampling these flags ask for.
    pub fn resampling(&self) -> crate::shares::table::Resampling {
        crate::shares::table::Resampling {
            samples: self.samples,
            seed: self.seed,
        }
    }
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Label file or directory of label files (*.csv).
    #[arg(long, default_value = crate::app::DEFAULT_LABELS, value_name = "DIR|FILE")]
    pub labels: PathBuf,
    /// Where to write the model.
    #[arg(short, long, default_value = "model.json", value_name = "MODEL")]
    pub output: PathBuf,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

/// Output format of every command that writes rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// JSON Lines: one JSON object a row, keys named as the CSV columns.
    Jsonl,
    /// An aligned table for reading in a terminal.
    Table,
}

/// `--format`, declared once and flattened into every command that writes rows,
/// with the flags it replaces kept (hidden) so existing scripts still run.
#[derive(Debug, Args, Clone, Default)]
pub struct FormatArgs {
    /// Output format on stdout [default: csv for segment and label, table for the others].
    #[arg(long, value_enum, value_name = "csv|jsonl|table")]
    pub format: Option<OutputFormat>,
    /// Deprecated spelling of `--format csv`.
    #[arg(long, hide = true, conflicts_with_all = ["format", "json"])]
    pub csv: bool,
    /// Deprecated spelling of `--format jsonl`.
    #[arg(long, hide = true, conflicts_with = "format")]
    pub json: bool,
}

/// `summary`'s `--format`: the row formats, and the long (panel) layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// Comma-separated values with a header row, one row per group.
    Csv,
    /// JSON Lines, one object per group.
    Jsonl,
    /// An aligned table for reading in a terminal.
    Table,
    /// CSV in long (panel) layout: one row per group × theme with `share` (and `share_lo`,
    /// `share_hi`, `share_adj` when --ci / --adjust), `region_code`, `province`, `kind`,
    /// `paragraphs`, `chars`: what Stata, R and pandas merge with yearbook data as it is.
    Long,
}

/// `--format` of `summary` (it alone has the long layout).
#[derive(Debug, Args, Clone, Default)]
pub struct SummaryFormatArgs {
    /// Output format on stdout [default: table]; `-o` gets CSV (long CSV with `long`, JSON Lines
    /// with `jsonl`).
    #[arg(long, value_enum, value_name = "csv|jsonl|table|long")]
    pub format: Option<SummaryFormat>,
    /// Deprecated spelling of `--format csv`.
    #[arg(long, hide = true, conflicts_with_all = ["format", "json"])]
    pub csv: bool,
    /// Deprecated spelling of `--format jsonl`.
    #[arg(long, hide = true, conflicts_with = "format")]
    pub json: bool,
}

impl SummaryFormatArgs {
    /// Whether the long (panel) layout was asked for.
    pub fn is_long(&self) -> bool {
        self.format == Some(SummaryFormat::Long)
    }

    /// The row format, for every choice but `long`.
    pub fn rows(&self) -> FormatArgs {
        let format = match self.format {
            Some(SummaryFormat::Csv) => Some(OutputFormat::Csv),
            Some(SummaryFormat::Jsonl) => Some(OutputFormat::Jsonl),
            Some(SummaryFormat::Table) => Some(OutputFormat::Table),
            Some(SummaryFormat::Long) | None => None,
        };
        FormatArgs {
            format,
            csv: self.csv,
            json: self.json,
        }
    }
}

#[derive(Debug, Args)]
pub struct LabelArgs {
    /// Model file written by `train` or `analyze` [default: out/model.json when there is one,
    /// else the default model trained on the labels bundled in this binary, cached in
    /// $XDG_CACHE_HOME/policy-themes or ~/.cache/policy-themes].
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Report files or directories to segment and label.
    #[arg(
        value_name = "FILES|DIRS",
        required_unless_present = "paragraphs",
        conflicts_with = "paragraphs"
    )]
    pub inputs: Vec<PathBuf>,
    /// Label the rows of a CSV with at least `doc_id,para_id,text` instead (other columns ignored,
    /// except region, year, kind and section, which are passed through). Rows with the same
    /// doc_id are one document for the model's document prior, wherever they are in the file.
    /// `-` reads standard input.
    #[arg(long, value_name = "P.csv")]
    pub paragraphs: Option<PathBuf>,
    /// Write here instead of stdout (replaced only when complete).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArgs,
    /// Mark paragraphs whose top probability (after the model's document prior) is below X as
    /// `uncertain` instead of forcing a theme.
    #[arg(long, value_name = "X", value_parser = parse_probability, allow_negative_numbers = true)]
    pub min_confidence: Option<f64>,
    /// Add each paragraph's top contributing terms (column `explain`).
    #[arg(long)]
    pub explain: bool,
    /// Skip unreadable input files (listed on stderr, exit code 1) instead of stopping.
    #[arg(long)]
    pub keep_going: bool,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

/// What `summary` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MethodArg {
    /// Share of each group's labelled text per theme, from the classifier's labels.
    #[default]
    Model,
    /// Keyword counts from the dictionary (--dictionary): each theme's share of the group's keyword
    /// hits (rows sum to 1, comparable with the model's shares) and hits per 1000 words
    /// (CSV columns `<theme>_rate`: hits per word). Needs no model or labels.
    Dictionary,
}

/// Gold labels instead of a labelled file (`summary`, `compare`).
#[derive(Debug, Args)]
pub struct GoldArgs {
    /// Use the gold labels (--labels) with metadata from the corpus (--corpus) instead of a
    /// labelled file.
    #[arg(long)]
    pub gold: bool,
    /// Label directory or file for --gold; `summary --adjust` also cross-validates on it.
    #[arg(long, default_value = crate::app::DEFAULT_LABELS, value_name = "DIR|FILE")]
    pub labels: PathBuf,
    /// Corpus directory for --gold.
    #[arg(long, default_value = "corpus", value_name = "DIR")]
    pub corpus: PathBuf,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Labelled paragraphs (output of `label`; `-` reads standard input). Not needed with --gold.
    #[arg(
        value_name = "LABELLED.csv",
        required_unless_present = "gold",
        conflicts_with = "gold"
    )]
    pub input: Option<PathBuf>,
    #[command(flatten)]
    pub source: GoldArgs,
    /// Grouping: comma-separated fields among region, doc, year, section, kind (e.g. region,year).
    /// `kind` is added after `region` (or last) unless --pool-kinds is given or the grouping has
    /// `doc`.
    #[arg(long, default_value = "region", value_name = "FIELDS")]
    pub by: String,
    #[command(flatten)]
    pub kinds: KindArgs,
    /// What each paragraph weighs (model method).
    #[arg(long, value_enum, default_value_t)]
    pub weight: Weight,
    /// What the numbers measure: the classifier's labels or keyword counts.
    #[arg(long, value_enum, default_value_t)]
    pub method: MethodArg,
    /// Keyword dictionary for --method dictionary (format in the header of the built-in
    /// dictionaries/themes.txt, which is used when this is not given).
    #[arg(long, value_name = "FILE")]
    pub dictionary: Option<PathBuf>,
    /// Add 95% bootstrap intervals to every share (paragraphs resampled within each document):
    /// CSV columns `<theme>_lo`, `<theme>_hi`; a second line per group in the table.
    #[arg(long)]
    pub ci: bool,
    #[command(flatten)]
    pub bootstrap: BootstrapArgs,
    /// Also show shares corrected for the classifier's confusions (adjusted classify-and-count,
    /// confusion measured by 5-fold cross-validation grouped by document of the default model on
    /// --labels; takes a few seconds): CSV columns `<theme>_adj`.
    #[arg(long, conflicts_with = "gold")]
    pub adjust: bool,
    /// Write the shares as CSV here (JSON Lines with `--format jsonl`); stdout still gets
    /// the `--format` output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub format: SummaryFormatArgs,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// `LABELLED.csv A B` (`-` reads standard input), or `A B` with --gold (or to read
    /// out/paragraphs.csv). A and B are region names, doc_ids, or REGION:YEAR.
    #[arg(value_name = "ARGS", num_args = 2..=3, required = true)]
    pub args: Vec<String>,
    #[command(flatten)]
    pub source: GoldArgs,
    // Both sides must be of one kind, the same (else the comparison is refused); --kind K
    // keeps the paragraphs of kind K of each side, --pool-kinds compares them anyway.
    #[command(flatten)]
    pub kinds: KindArgs,
    /// What each paragraph weighs.
    #[arg(long, value_enum, default_value_t)]
    pub weight: Weight,
    #[command(flatten)]
    pub bootstrap: BootstrapArgs,
    /// Write the comparison as CSV here (JSON Lines with `--format jsonl`); stdout still gets
    /// the `--format` output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Labelled paragraphs (output of `label`; `analyze` writes out/paragraphs.csv; `-` reads
    /// standard input).
    #[arg(default_value = "out/paragraphs.csv", value_name = "LABELLED.csv")]
    pub input: PathBuf,
    /// Where to write the HTML file (replaced only when complete).
    #[arg(short, long, default_value = "report.html", value_name = "FILE")]
    pub output: PathBuf,
    /// The model that labelled the input, named in the report's header (default: a model.json
    /// beside the input that is older than it, as `analyze` leaves them).
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// What each paragraph weighs.
    #[arg(long, value_enum, default_value_t)]
    pub weight: Weight,
    /// Only documents of this kind (work_report, plan_report, article, …).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Example paragraphs shown per theme (0 to 1000).
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = RangedU64ValueParser::<usize>::new().range(0..=1000))]
    pub examples: usize,
    #[command(flatten)]
    pub bootstrap: BootstrapArgs,
    /// A learning curve to chart: what `eval --learning-curve --format csv` writes.
    #[arg(long, value_name = "CURVE.csv")]
    pub learning_curve: Option<PathBuf>,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

#[derive(Debug, Subcommand)]
pub enum LabelsCommand {
    /// Validate label files against the codebook and the current segmentation; print counts.
    Check(CheckArgs),
    /// Agreement between two coders' labels of the same paragraphs (intercoder reliability).
    ///
    /// Cohen's kappa, agreement per theme, the most frequent disagreements,
    /// and per document the difference of character-weighted theme shares:
    /// the measure `eval` reports for the model, so its error can be set
    /// beside what two coders differ by.
    Agree(AgreeArgs),
}

#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// The first coder's labels, in the codebook format (with text).
    #[arg(value_name = "FIRST")]
    pub first: PathBuf,
    /// The second coder's label files or directories. They need `doc_id,para_id,theme`;
    /// `text` (checked against FIRST) and `secondary` are read when present. They
    /// may cover a sample of FIRST's paragraphs. Without `text`, paragraphs are
    /// paired by `doc_id` and `para_id` alone, so both must come from the same
    /// segmentation.
    #[arg(value_name = "SECOND", required = true)]
    pub second: Vec<PathBuf>,
    // `table`: the readable report; `jsonl`: the whole report (every document and
    // disagreement) as one JSON object; `csv`: the agreement per theme.
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Label file or directory.
    #[arg(default_value = crate::app::DEFAULT_LABELS, value_name = "DIR|FILE")]
    pub labels: PathBuf,
    /// Corpus the labels must match.
    #[arg(long, default_value = "corpus", value_name = "DIR")]
    pub corpus: PathBuf,
    /// Only check the files themselves, not against the corpus.
    #[arg(long)]
    pub no_corpus: bool,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

/// Grouping of cross-validation folds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum GroupArg {
    /// No paragraph of a test document is in training.
    #[default]
    Doc,
    /// Whole regions are left out: transfer to an unseen region.
    Region,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labels for cross-validation.
    #[arg(long, default_value = crate::app::DEFAULT_LABELS, value_name = "DIR|FILE")]
    pub labels: PathBuf,
    /// Corpus (for regions when --group region).
    #[arg(long, default_value = "corpus", value_name = "DIR")]
    pub corpus: PathBuf,
    /// Number of folds (at least 2; more folds than documents, or regions, gives one each).
    #[arg(long, default_value_t = 5, value_parser = RangedU64ValueParser::<usize>::new().range(2..=100_000))]
    pub folds: usize,
    /// What a fold leaves out.
    #[arg(long, value_enum, default_value_t)]
    pub group: GroupArg,
    /// Evaluate this trained model on --test instead of cross-validating.
    #[arg(long, requires = "test", value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Held-out labelled file (codebook format) for --model.
    #[arg(long, requires = "model", value_name = "FILE.csv")]
    pub test: Option<PathBuf>,
    /// Compare the candidate configurations of the model-selection table.
    #[arg(long, conflicts_with = "model")]
    pub compare: bool,
    /// The learning curve: cross-validation with each training fold cut to 1/STEPS, 2/STEPS, …
    /// of its labels (random subsets, --repeats of each), macro-F1 and share error with 95%
    /// intervals per step: whether labelling more still pays.
    #[arg(long, conflicts_with_all = ["model", "compare", "predictions", "second_coder"])]
    pub learning_curve: bool,
    /// Steps of --learning-curve.
    #[arg(long, requires = "learning_curve", default_value_t = 10,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=100))]
    pub steps: usize,
    /// Random subsets per step of --learning-curve (the 100% step runs once).
    #[arg(long, requires = "learning_curve", default_value_t = 3,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=100))]
    pub repeats: usize,
    /// Write the per-paragraph out-of-fold predictions here (CSV: doc_id, para_id, region,
    /// group, fold, gold_theme, theme (the prediction), confidence, text and one `p_<theme>`
    /// probability column per theme).
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
    // `table`: the readable report; `jsonl`: the whole report as one JSON object;
    // `csv`: precision, recall and F1 per theme.
    #[command(flatten)]
    pub format: FormatArgs,
    /// A second coder's labels of the same paragraphs (files or directories, as for
    /// `labels agree`): each document's share error is shown beside how far the two
    /// coders' shares are apart, what the model's error can be judged against.
    #[arg(long, value_name = "FILE|DIR", num_args = 1.., conflicts_with = "compare")]
    pub second_coder: Vec<PathBuf>,
    #[command(flatten)]
    pub model_args: ModelArgs,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Model file (written by `train`, or by `analyze`) [default: out/model.json when there is
    /// one, else the default model trained on the labels bundled in this binary, cached in
    /// $XDG_CACHE_HOME/policy-themes or ~/.cache/policy-themes].
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Only this theme (its id or Chinese name).
    #[arg(long, value_name = "THEME")]
    pub theme: Option<String>,
    /// Terms per theme.
    #[arg(long, default_value_t = 15, value_name = "N", value_parser = RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    pub top: usize,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Corpus files or directories.
    #[arg(default_value = "corpus", value_name = "FILES|DIRS")]
    pub inputs: Vec<PathBuf>,
    /// Labels to train the default model on.
    #[arg(long, default_value = crate::app::DEFAULT_LABELS, value_name = "DIR|FILE")]
    pub labels: PathBuf,
    /// Output directory (paragraphs.csv, shares.csv, report.html, model.json).
    #[arg(long, default_value = "out", value_name = "DIR")]
    pub out: PathBuf,
    /// Retrain even if the cached model is newer than the labels.
    #[arg(long)]
    pub retrain: bool,
    // For the tables and the report (out/paragraphs.csv holds every paragraph).
    #[command(flatten)]
    pub kinds: KindArgs,
    #[command(flatten)]
    pub codebook: CodebookArgs,
}

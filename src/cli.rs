//! Command-line interface definitions. `main.rs` parses these and calls [`crate::app::run`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::shares::Weight;

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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Main job: train (if needed), label every document, write out/ and print the region × theme table.
    Analyze(AnalyzeArgs),
    /// Split reports into paragraphs: CSV `doc_id,para_id,region,year,kind,section,text`.
    Segment(SegmentArgs),
    /// Train a model on label files in the codebook format.
    Train(TrainArgs),
    /// Label paragraphs with a trained model.
    Label(LabelArgs),
    /// Theme shares per group from labelled paragraphs (or from the gold labels).
    Summary(SummaryArgs),
    /// Work with label files.
    #[command(subcommand)]
    Labels(LabelsCommand),
    /// Measure model quality by cross-validation grouped by document or region, or on a held-out file.
    Eval(EvalArgs),
    /// Show the terms that weigh most for each theme.
    Explain(ExplainArgs),
}

/// Input files and directories.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Report files, or directories whose *.txt files are read (UTF-8, GB18030/GBK, UTF-16 with BOM).
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
}

/// Classifier choice on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClassifierArg {
    /// linfa-bayes multinomial naive Bayes.
    Nb,
    /// Complement naive Bayes.
    Cnb,
    /// linfa-logistic multinomial logistic regression.
    Logistic,
}

/// Model hyper-parameters; unset flags keep the default model's settings.
#[derive(Debug, Args, Clone, Default)]
pub struct ModelArgs {
    /// Classifier (default: the one chosen by grouped cross-validation).
    #[arg(long, value_enum)]
    pub classifier: Option<ClassifierArg>,
    /// Smoothing (naive Bayes) or L2 penalty (logistic regression).
    #[arg(long)]
    pub alpha: Option<f64>,
    /// Add word bigrams as features.
    #[arg(long)]
    pub word_bigrams: bool,
    /// Add character bigrams as features.
    #[arg(long)]
    pub char_bigrams: bool,
    /// Keep only the K terms with the highest chi-square score.
    #[arg(long, value_name = "K")]
    pub chi2: Option<usize>,
    /// Weigh themes equally instead of by their frequency in the labels.
    #[arg(long)]
    pub balanced: bool,
    /// Drop terms found in fewer training paragraphs than this.
    #[arg(long, value_name = "N")]
    pub min_df: Option<u32>,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Label file or directory of label files (*.csv).
    #[arg(long, default_value = "labels", value_name = "DIR|FILE")]
    pub labels: PathBuf,
    /// Where to write the model.
    #[arg(short, long, default_value = "model.json", value_name = "MODEL")]
    pub output: PathBuf,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// Output format of `label`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FormatArg {
    #[default]
    Csv,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct LabelArgs {
    /// Model file written by `train`.
    #[arg(long, short, value_name = "MODEL")]
    pub model: PathBuf,
    /// Report files or directories to segment and label.
    #[arg(
        value_name = "FILES|DIRS",
        required_unless_present = "paragraphs",
        conflicts_with = "paragraphs"
    )]
    pub inputs: Vec<PathBuf>,
    /// Label the rows of a CSV with at least `doc_id,para_id,text` instead (other columns ignored,
    /// except region, year, kind and section, which are passed through).
    #[arg(long, value_name = "P.csv")]
    pub paragraphs: Option<PathBuf>,
    /// Write here instead of stdout (replaced only when complete).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: FormatArg,
    /// Mark paragraphs whose top probability is below X as `uncertain` instead of forcing a theme.
    #[arg(long, value_name = "X")]
    pub min_confidence: Option<f64>,
    /// Add each paragraph's top contributing terms (column `explain`).
    #[arg(long)]
    pub explain: bool,
    /// Skip unreadable input files (listed on stderr, exit code 1) instead of stopping.
    #[arg(long)]
    pub keep_going: bool,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Labelled paragraphs (output of `label`). Not needed with --gold.
    #[arg(value_name = "LABELLED.csv", required_unless_present = "gold")]
    pub input: Option<PathBuf>,
    /// Use the gold labels (--labels) with metadata from the corpus (--corpus) instead.
    #[arg(long)]
    pub gold: bool,
    /// Label directory for --gold.
    #[arg(long, default_value = "labels", value_name = "DIR|FILE")]
    pub labels: PathBuf,
    /// Corpus directory for --gold.
    #[arg(long, default_value = "corpus", value_name = "DIR")]
    pub corpus: PathBuf,
    /// Grouping: comma-separated fields among region, doc, year, section, kind.
    #[arg(long, default_value = "region", value_name = "FIELDS")]
    pub by: String,
    /// What each paragraph weighs.
    #[arg(long, value_enum, default_value_t)]
    pub weight: Weight,
    /// Write the shares as CSV here (the readable table still goes to stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print CSV on stdout instead of the readable table.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Subcommand)]
pub enum LabelsCommand {
    /// Validate label files against the codebook and the current segmentation; print counts.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Label file or directory.
    #[arg(default_value = "labels", value_name = "DIR|FILE")]
    pub labels: PathBuf,
    /// Corpus the labels must match.
    #[arg(long, default_value = "corpus", value_name = "DIR")]
    pub corpus: PathBuf,
    /// Only check the files themselves, not against the corpus.
    #[arg(long)]
    pub no_corpus: bool,
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
    #[arg(long, default_value = "labels", value_name = "DIR|FILE")]
    pub labels: PathBuf,
    /// Corpus (for regions when --group region).
    #[arg(long, default_value = "corpus", value_name = "DIR")]
    pub corpus: PathBuf,
    /// Number of folds.
    #[arg(long, default_value_t = 5)]
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
    /// Write the per-paragraph out-of-fold predictions here (CSV).
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
    /// Print the report as JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub model_args: ModelArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Model file.
    #[arg(long, short, value_name = "MODEL")]
    pub model: PathBuf,
    /// Only this theme.
    #[arg(long, value_name = "THEME")]
    pub theme: Option<String>,
    /// Terms per theme.
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub top: usize,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Corpus files or directories.
    #[arg(default_value = "corpus", value_name = "FILES|DIRS")]
    pub inputs: Vec<PathBuf>,
    /// Labels to train the default model on.
    #[arg(long, default_value = "labels", value_name = "DIR|FILE")]
    pub labels: PathBuf,
    /// Output directory (paragraphs.csv, shares.csv, model.json).
    #[arg(long, default_value = "out", value_name = "DIR")]
    pub out: PathBuf,
    /// Retrain even if the cached model is newer than the labels.
    #[arg(long)]
    pub retrain: bool,
}

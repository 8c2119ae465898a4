//! `annotate`: label paragraphs one at a time in a local web page, each
//! decision written to the label file at once.
//!
//! [`Annotator`] holds the state (the label file, the session's position,
//! the model) and applies what the page posts; [`page`] renders it as HTML
//! that works without JavaScript; [`server`] serves it on 127.0.0.1 only.
//! The queue is `sample`'s choice ([`crate::labelling::propose`]); a
//! background thread refits the model every K new labels and the next
//! round follows the new model.

pub mod file;
pub mod page;
pub mod server;
pub mod session;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::Arc;

use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::labelling::labels::{Columns, LabelSet};
use crate::model::Predictor;
use crate::themes::Theme;
pub use file::LabelFile;
pub use session::Session;

use super::{propose, SelectParams, Unit};

/// A paragraph: `(doc_id, para_id)`.
pub type Key = (String, usize);

/// A coder's judgement of one paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub theme: Theme,
    pub secondary: Option<Theme>,
    pub note: String,
}

/// New labels between refits when not given.
pub const DEFAULT_REFIT_EVERY: usize = 20;

/// The label file of coder `name`: `LABELS` with `.name` before the
/// extension (`labels.csv` → `labels.alice.csv`).
pub fn coder_file(labels: &Path, name: &str) -> Result<PathBuf> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !ok {
        return Err(Error::Other(format!(
            "--coder `{name}`: a coder's name is letters, digits, `_` or `-` (it goes into a file name)"
        )));
    }
    let stem = labels
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match labels.extension() {
        Some(e) => format!("{stem}.{name}.{}", e.to_string_lossy()),
        None => format!("{stem}.{name}"),
    };
    Ok(labels.with_file_name(name))
}

/// What the two coders said of a paragraph (disagreements mode).
#[derive(Debug, Clone)]
pub struct Coders {
    pub names: [String; 2],
    pub choices: HashMap<Key, [Decision; 2]>,
}

/// Labelling with the model's help, or settling two coders' disagreements.
enum Mode {
    Label {
        refit_every: usize,
        /// Labels written since the last fit started.
        since_fit: usize,
        /// A fit running in the background.
        running: Option<Receiver<Result<Option<Predictor>>>>,
        /// Why the last fit failed, if it did.
        fit_error: Option<String>,
    },
    Settle(Coders),
}

/// The state of one `annotate` run.
pub struct Annotator {
    pub codebook: Codebook,
    units: Arc<Vec<Unit>>,
    index: HashMap<Key, usize>,
    file: LabelFile,
    session: Session,
    mode: Mode,
    model: Option<Arc<Predictor>>,
    /// How many labels the model in use was fitted on.
    model_labels: usize,
    /// How many labels the running fit is fitted on.
    model_labels_pending: usize,
    /// Labels written by this run.
    written: usize,
    round: usize,
    seed: u64,
    /// A message for the next page (an error, or what undo did).
    pub flash: Option<String>,
}

/// What the page posts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    pub action: String,
    pub token: String,
    pub doc: String,
    pub para: String,
    pub theme: String,
    pub secondary: String,
    pub note: String,
}

impl Form {
    /// Parse an `application/x-www-form-urlencoded` body.
    pub fn parse(body: &str) -> Form {
        let mut f = Form::default();
        for pair in body.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = url_decode(v);
            match url_decode(k).as_str() {
                "action" => f.action = v,
                "token" => f.token = v,
                "doc" => f.doc = v,
                "para" => f.para = v,
                "theme" => f.theme = v,
                "secondary" => f.secondary = v,
                "note" => f.note = v,
                _ => {}
            }
        }
        f
    }
}

/// Percent-decoding with `+` for space, as forms encode.
pub fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The units of a run: from reports, or the rows of the label file still
/// without a theme (a `sample` file to fill in).
pub fn units_from_file(file: &LabelFile, codebook: &Codebook) -> Vec<Unit> {
    file.unlabelled(codebook, &["region", "year", "section"])
        .into_iter()
        .map(|((doc_id, para_id), text, extra)| Unit {
            doc_id,
            para_id,
            region: extra[0].clone(),
            year: extra[1].parse().ok(),
            section: extra[2].clone(),
            text,
        })
        .collect()
}

impl Annotator {
    /// Labelling with the model's help: `units` are what may be proposed.
    pub fn new(
        file: LabelFile,
        units: Vec<Unit>,
        codebook: Codebook,
        refit_every: usize,
        seed: u64,
    ) -> Annotator {
        let mut a = Annotator::base(file, units, codebook, seed, refit_every.max(1));
        a.mode = Mode::Label {
            refit_every: refit_every.max(1),
            since_fit: 0,
            running: None,
            fit_error: None,
        };
        // The labels already there: fit on them now, in the background.
        a.start_fit();
        a.new_round();
        a
    }

    /// Settling two coders' disagreements into `file` (the gold file):
    /// the queue is the paragraphs where they differ, in document order.
    pub fn settle(
        file: LabelFile,
        units: Vec<Unit>,
        codebook: Codebook,
        coders: Coders,
    ) -> Result<Annotator> {
        let mut keys: Vec<Key> = coders
            .choices
            .iter()
            .filter(|(_, [a, b])| a.theme != b.theme || a.secondary != b.secondary)
            .map(|(k, _)| k.clone())
            .collect();
        keys.sort();
        let mut a = Annotator::base(file, units, codebook, 1, keys.len());
        a.mode = Mode::Settle(coders);
        a.seed_gold()?;
        a.session.set_queue(keys);
        a.fill();
        Ok(a)
    }

    /// A new gold file starts with the paragraphs both coders labelled
    /// alike, so once the disagreements are settled it is complete.
    fn seed_gold(&mut self) -> Result<()> {
        let Mode::Settle(c) = &self.mode else {
            return Ok(());
        };
        if !self.file.is_empty() {
            return Ok(());
        }
        let mut agreed: Vec<(&Key, &Decision)> = c
            .choices
            .iter()
            .filter(|(_, [a, b])| a.theme == b.theme && a.secondary == b.secondary)
            .map(|(k, [a, _])| (k, a))
            .collect();
        agreed.sort_by(|x, y| x.0.cmp(y.0));
        let rows: Vec<(Key, Vec<String>)> = agreed
            .into_iter()
            .map(|(k, d)| {
                let text = self.unit(k).map(|u| u.text.as_str()).unwrap_or("");
                (
                    k.clone(),
                    self.file.labelled_row(k, text, d, &self.codebook),
                )
            })
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        self.file.commit_many(rows)
    }

    fn base(
        file: LabelFile,
        units: Vec<Unit>,
        codebook: Codebook,
        seed: u64,
        round: usize,
    ) -> Annotator {
        let index = units
            .iter()
            .enumerate()
            .map(|(i, u)| ((u.doc_id.clone(), u.para_id), i))
            .collect();
        Annotator {
            codebook,
            units: Arc::new(units),
            index,
            file,
            session: Session::default(),
            mode: Mode::Settle(Coders {
                names: Default::default(),
                choices: HashMap::new(),
            }),
            model: None,
            model_labels: 0,
            model_labels_pending: 0,
            written: 0,
            round,
            seed,
            flash: None,
        }
    }

    pub fn file(&self) -> &LabelFile {
        &self.file
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn unit(&self, key: &Key) -> Option<&Unit> {
        self.index.get(key).map(|&i| &self.units[i])
    }

    /// The paragraphs before and after `key` in its document, when the inputs have them.
    pub fn neighbours(&self, key: &Key) -> (Option<&Unit>, Option<&Unit>) {
        let prev = key
            .1
            .checked_sub(1)
            .and_then(|p| self.unit(&(key.0.clone(), p)));
        let next = self.unit(&(key.0.clone(), key.1 + 1));
        (prev, next)
    }

    fn fill(&mut self) {
        let (file, cb) = (&self.file, &self.codebook);
        self.session.fill(&|k| file.decision(k, cb).is_some());
    }

    /// A new round from `sample`'s choice with the model in use (fast: the
    /// model is not refitted here).
    fn new_round(&mut self) {
        if !matches!(self.mode, Mode::Label { .. }) {
            return;
        }
        let labels = self.file.label_rows(&self.codebook);
        // Room for the skipped ones, which the session passes over.
        let params = SelectParams {
            n: self.round + self.session.skipped(),
            seed: self.seed,
            ..SelectParams::default()
        };
        let proposals = propose(&self.units, &labels, self.model.as_deref(), &params);
        self.session.set_queue(
            proposals
                .into_iter()
                .map(|p| (p.unit.doc_id, p.unit.para_id)),
        );
        self.fill();
        if self.session.current().is_none() {
            // What the choice left out (near-duplicates of skipped
            // paragraphs), in input order: every paragraph gets its turn.
            let rest: Vec<Key> = self
                .units
                .iter()
                .map(|u| (u.doc_id.clone(), u.para_id))
                .filter(|k| !self.session.is_skipped(k) && self.decision(k).is_none())
                .collect();
            self.session.set_queue(rest);
            self.fill();
        }
    }

    /// Start a fit on the labels so far unless one is running or there are
    /// too few (see [`crate::labelling::MIN_LABELS_FOR_MODEL`]).
    fn start_fit(&mut self) {
        let Mode::Label {
            since_fit, running, ..
        } = &mut self.mode
        else {
            return;
        };
        if running.is_some() {
            return;
        }
        let labels = self.file.label_rows(&self.codebook);
        let n = labels.len();
        let cb = self.codebook.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        // Training takes about a second: never on the thread that serves the page.
        let spawned = std::thread::Builder::new()
            .name("annotate-refit".into())
            .spawn(move || {
                let _ = tx.send(super::guide(&labels, None, &cb));
            });
        if spawned.is_ok() {
            *running = Some(rx);
            *since_fit = 0;
            self.model_labels_pending = n;
        }
    }

    /// Take a finished fit, if there is one: the next round follows it.
    pub fn poll(&mut self) {
        let Mode::Label {
            running, fit_error, ..
        } = &mut self.mode
        else {
            return;
        };
        let Some(rx) = running else { return };
        let got = match rx.try_recv() {
            Ok(r) => r,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err(Error::Other("the refit thread stopped".into())),
        };
        *running = None;
        match got {
            Ok(Some(m)) => {
                self.model = Some(Arc::new(m));
                self.model_labels = self.model_labels_pending;
                *fit_error = None;
                self.new_round();
            }
            Ok(None) => {}
            Err(e) => *fit_error = Some(e.to_string()),
        }
    }

    /// Wait for a running fit (tests).
    #[cfg(test)]
    pub fn wait_for_fit(&mut self) {
        for _ in 0..600 {
            self.poll();
            let idle = match &self.mode {
                Mode::Label { running, .. } => running.is_none(),
                Mode::Settle(_) => true,
            };
            if idle {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Whether a fit is running, and what the model in use was fitted on.
    pub fn model_status(&self) -> String {
        match &self.mode {
            Mode::Settle(c) => format!(
                "settling the disagreements of {} and {}",
                c.names[0], c.names[1]
            ),
            Mode::Label {
                running, fit_error, ..
            } => {
                let mut s = match &self.model {
                    Some(_) => format!("model fitted on {} labels", self.model_labels),
                    None => format!(
                        "cold start: no model yet (it needs {} labels of two themes or more); \
                         paragraphs spread over regions, years, documents and sections",
                        super::MIN_LABELS_FOR_MODEL
                    ),
                };
                if running.is_some() {
                    s.push_str("; refitting in the background");
                }
                if let Some(e) = fit_error {
                    s.push_str(&format!("; the last refit failed: {e}"));
                }
                s
            }
        }
    }

    /// The model's most probable theme for a paragraph and its probability.
    pub fn suggestion(&self, key: &Key) -> Option<(Theme, f64)> {
        let m = self.model.as_ref()?;
        let u = self.unit(key)?;
        m.predict_documents(&[u.text.as_str()], &[u.doc_id.as_str()])
            .first()
            .map(|p| p.top())
    }

    /// The two coders' choices for a paragraph (disagreements mode).
    pub fn coders(&self, key: &Key) -> Option<(&[String; 2], &[Decision; 2])> {
        match &self.mode {
            Mode::Settle(c) => c.choices.get(key).map(|d| (&c.names, d)),
            Mode::Label { .. } => None,
        }
    }

    /// The paragraph's label in the file.
    pub fn decision(&self, key: &Key) -> Option<Decision> {
        self.file.decision(key, &self.codebook)
    }

    /// Labels in the file, per theme in codebook order.
    pub fn counts(&self) -> Vec<usize> {
        let mut c = vec![0; self.codebook.len()];
        for r in self.file.label_rows(&self.codebook) {
            c[r.theme.index()] += 1;
        }
        c
    }

    pub fn written(&self) -> usize {
        self.written
    }

    /// Apply what the page posted. Errors leave the file and the session as they were.
    pub fn apply(&mut self, form: &Form) -> Result<()> {
        self.poll();
        match form.action.as_str() {
            // Enter in the note field submits without a button's value.
            "label" | "" => self.label(form),
            "skip" => {
                self.check_on_screen(form)?;
                let (file, cb) = (&self.file, &self.codebook);
                self.session.skip(&|k| file.decision(k, cb).is_some());
                self.after_move();
                Ok(())
            }
            "back" => {
                if !self.session.back() {
                    self.flash = Some("nothing before this paragraph in this session".into());
                }
                Ok(())
            }
            "undo" => self.undo(),
            other => Err(Error::Other(format!("unknown action `{other}`"))),
        }
    }

    /// The form must be about the paragraph on screen: a page left open in
    /// another tab would otherwise label a paragraph the coder is not seeing.
    fn check_on_screen(&self, form: &Form) -> Result<Key> {
        let para = form.para.trim().parse::<usize>().ok();
        match (self.session.current(), para) {
            (Some(k), Some(p)) if k.0 == form.doc && k.1 == p => Ok(k.clone()),
            _ => Err(Error::Other(format!(
                "the page was out of date (it showed ({}, {}), which is not the paragraph \
                 on screen now); nothing was written: here is the current one",
                form.doc, form.para
            ))),
        }
    }

    fn label(&mut self, form: &Form) -> Result<()> {
        let key = self.check_on_screen(form)?;
        let theme = self
            .codebook
            .parse(&form.theme)
            .map_err(|e| Error::Other(format!("choose a theme: {e}")))?;
        let secondary = match form.secondary.trim() {
            "" => None,
            s => {
                let t = self
                    .codebook
                    .parse(s)
                    .map_err(|e| Error::Other(format!("secondary: {e}")))?;
                if t == theme {
                    return Err(Error::Other(
                        "the secondary theme repeats the primary; choose another or none".into(),
                    ));
                }
                Some(t)
            }
        };
        // One line per cell: a newline in a note would be legal CSV but
        // trips up the spreadsheets coders open the file in.
        let note = form.note.split_whitespace().collect::<Vec<_>>().join(" ");
        let d = Decision {
            theme,
            secondary,
            note,
        };
        let text = self.unit(&key).map(|u| u.text.clone()).unwrap_or_default();
        let row = self.file.labelled_row(&key, &text, &d, &self.codebook);
        let old = self.file.commit(&key, Some(row))?;
        self.written += 1;
        if let Mode::Label { since_fit, .. } = &mut self.mode {
            *since_fit += 1;
        }
        let (file, cb) = (&self.file, &self.codebook);
        self.session
            .decided(key, old, &|k| file.decision(k, cb).is_some());
        if let Mode::Label {
            since_fit,
            refit_every,
            ..
        } = &self.mode
        {
            if since_fit >= refit_every {
                self.start_fit();
            }
        }
        self.after_move();
        Ok(())
    }

    fn undo(&mut self) -> Result<()> {
        let Some(change) = self.session.last_change().cloned() else {
            self.flash = Some("nothing to undo in this session".into());
            return Ok(());
        };
        self.file.commit(&change.key, change.old_row.clone())?;
        self.written = self.written.saturating_sub(1);
        self.session.undone();
        self.flash = Some(format!(
            "undone: the label of ({}, {}) is {}",
            change.key.0,
            change.key.1,
            if change.old_row.is_some() {
                "back to what it was"
            } else {
                "removed from the file"
            }
        ));
        Ok(())
    }

    /// A round used up: propose the next with the model in use.
    fn after_move(&mut self) {
        if self.session.needs_round() {
            self.new_round();
        }
    }
}

/// Read two coders' files for settling: the first in the codebook format
/// (with text), the second with at least `doc_id,para_id,theme`.
pub fn read_coders(a: &Path, b: &Path, codebook: &Codebook) -> Result<(Coders, Vec<Unit>)> {
    let first = LabelSet::read_strict(a, codebook)?;
    let second = LabelSet::read_columns(b, Columns::Judgements, codebook)?.into_strict()?;
    let name = |p: &Path| p.display().to_string();
    let dec = |r: &crate::labelling::labels::LabelRow| Decision {
        theme: r.theme,
        secondary: r.secondary,
        note: String::new(),
    };
    let theirs: HashMap<Key, Decision> = second
        .rows
        .iter()
        .map(|r| ((r.doc_id.clone(), r.para_id), dec(r)))
        .collect();
    let mut choices = HashMap::new();
    let mut units = Vec::new();
    for r in &first.rows {
        let key = (r.doc_id.clone(), r.para_id);
        units.push(Unit::of_label(r));
        if let Some(b) = theirs.get(&key) {
            choices.insert(key, [dec(r), b.clone()]);
        }
    }
    Ok((
        Coders {
            names: [name(a), name(b)],
            choices,
        },
        units,
    ))
}

#[cfg(test)]
mod tests;

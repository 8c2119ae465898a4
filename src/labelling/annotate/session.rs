//! Where the coder is: the paragraph on screen, the ones seen before it
//! (back), the ones seen after it when they went back (forward), the queue
//! still to come, and the undo log. No I/O: the caller writes the file and
//! tells the session what happened.

use std::collections::{HashSet, VecDeque};

use super::Key;

/// One write to the label file, for undo: the paragraph and its row before.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub key: Key,
    pub old_row: Option<Vec<String>>,
}

#[derive(Debug, Default)]
pub struct Session {
    current: Option<Key>,
    back: Vec<Key>,
    forward: Vec<Key>,
    queue: VecDeque<Key>,
    skipped: HashSet<Key>,
    undo: Vec<Change>,
}

impl Session {
    /// The paragraph on screen.
    pub fn current(&self) -> Option<&Key> {
        self.current.as_ref()
    }

    /// Paragraphs still queued in this round (not counting the one on screen).
    pub fn left(&self) -> usize {
        self.queue.len()
    }

    /// Paragraphs skipped in this session.
    pub fn skipped(&self) -> usize {
        self.skipped.len()
    }

    pub fn is_skipped(&self, key: &Key) -> bool {
        self.skipped.contains(key)
    }

    pub fn can_go_back(&self) -> bool {
        !self.back.is_empty()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Replace the queue with a new round (a refitted model's order).
    pub fn set_queue(&mut self, keys: impl IntoIterator<Item = Key>) {
        self.queue = keys.into_iter().collect();
    }

    /// Whether the queue (and the screen) are empty: time for a new round.
    pub fn needs_round(&self) -> bool {
        self.current.is_none() && self.forward.is_empty() && self.queue.is_empty()
    }

    /// Put the next paragraph on screen if none is: the first one seen
    /// after a back that is not decided yet, else the queue's next that is
    /// neither labelled (`done`), skipped nor seen already.
    pub fn fill(&mut self, done: &dyn Fn(&Key) -> bool) {
        if self.current.is_some() {
            return;
        }
        while let Some(k) = self.forward.pop() {
            if done(&k) || self.skipped.contains(&k) {
                self.back.push(k);
            } else {
                self.current = Some(k);
                return;
            }
        }
        while let Some(k) = self.queue.pop_front() {
            let seen = self.back.contains(&k) || self.skipped.contains(&k);
            if !done(&k) && !seen {
                self.current = Some(k);
                return;
            }
        }
    }

    /// Move on from the paragraph on screen (after it was decided or skipped).
    fn advance(&mut self, done: &dyn Fn(&Key) -> bool) {
        if let Some(c) = self.current.take() {
            self.back.push(c);
        }
        self.fill(done);
    }

    /// `key` was labelled (its file row was `old_row` before): log it for
    /// undo and move on when it is the paragraph on screen.
    pub fn decided(&mut self, key: Key, old_row: Option<Vec<String>>, done: &dyn Fn(&Key) -> bool) {
        let on_screen = self.current.as_ref() == Some(&key);
        self.undo.push(Change { key, old_row });
        if on_screen {
            self.advance(done);
        }
    }

    /// Leave the paragraph on screen unlabelled for this session.
    pub fn skip(&mut self, done: &dyn Fn(&Key) -> bool) {
        if let Some(c) = self.current.clone() {
            self.skipped.insert(c);
            self.advance(done);
        }
    }

    /// Show the paragraph seen before the one on screen.
    pub fn back(&mut self) -> bool {
        let Some(k) = self.back.pop() else {
            return false;
        };
        if let Some(c) = self.current.take() {
            self.forward.push(c);
        }
        self.current = Some(k);
        true
    }

    /// The last write, to be reverted by the caller (who then calls [`Session::undone`]).
    pub fn last_change(&self) -> Option<&Change> {
        self.undo.last()
    }

    /// The last write was reverted: that paragraph is back on screen, to
    /// decide again; the one that was on screen comes right after it.
    pub fn undone(&mut self) -> Option<Key> {
        let change = self.undo.pop()?;
        let key = change.key;
        if self.current.as_ref() != Some(&key) {
            if let Some(c) = self.current.take() {
                self.forward.push(c);
            }
        }
        self.back.retain(|k| *k != key);
        self.forward.retain(|k| *k != key);
        self.skipped.remove(&key);
        self.current = Some(key.clone());
        Some(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    fn k(i: usize) -> Key {
        ("d".to_string(), i)
    }

    /// A session with a label store standing in for the file.
    struct Sim {
        s: Session,
        labels: RefCell<HashMap<Key, &'static str>>,
    }

    impl Sim {
        fn new(queue: &[usize], labelled: &[usize]) -> Sim {
            let mut s = Session::default();
            s.set_queue(queue.iter().map(|&i| k(i)));
            let sim = Sim {
                s,
                labels: RefCell::new(labelled.iter().map(|&i| (k(i), "old")).collect()),
            };
            let mut sim = sim;
            sim.fill();
            sim
        }
        fn fill(&mut self) {
            let labels = self.labels.borrow().clone();
            self.s.fill(&|k| labels.contains_key(k));
        }
        fn cur(&self) -> Option<usize> {
            self.s.current().map(|k| k.1)
        }
        fn label(&mut self, theme: &'static str) {
            let key = self.s.current().cloned().unwrap();
            let old = self.labels.borrow_mut().insert(key.clone(), theme);
            let labels = self.labels.borrow().clone();
            self.s.decided(key, old.map(|t| vec![t.to_string()]), &|k| {
                labels.contains_key(k)
            });
        }
        fn skip(&mut self) {
            let labels = self.labels.borrow().clone();
            self.s.skip(&|k| labels.contains_key(k));
        }
        fn undo(&mut self) {
            let ch = self.s.last_change().cloned().unwrap();
            match ch.old_row {
                Some(r) => {
                    let t: &'static str = if r[0] == "old" { "old" } else { "relabelled" };
                    self.labels.borrow_mut().insert(ch.key.clone(), t);
                }
                None => {
                    self.labels.borrow_mut().remove(&ch.key);
                }
            }
            self.s.undone();
        }
    }

    #[test]
    fn labelled_paragraphs_are_not_proposed_and_labelling_moves_on() {
        let mut sim = Sim::new(&[0, 1, 2, 3], &[1]);
        assert_eq!(sim.cur(), Some(0));
        sim.label("a");
        assert_eq!(sim.cur(), Some(2), "1 was labelled before: not proposed");
        sim.label("b");
        assert_eq!(sim.cur(), Some(3));
        sim.label("c");
        assert_eq!(sim.cur(), None);
        assert!(sim.s.needs_round());
        assert_eq!(sim.labels.borrow().len(), 4);
    }

    #[test]
    fn skip_moves_on_and_the_skipped_is_not_shown_again_this_session() {
        let mut sim = Sim::new(&[0, 1, 2], &[]);
        sim.skip();
        assert_eq!(sim.cur(), Some(1));
        // A new round that proposes 0 again does not show it.
        sim.s.set_queue([k(0), k(2)]);
        sim.label("a");
        assert_eq!(sim.cur(), Some(2));
        assert!(!sim.labels.borrow().contains_key(&k(0)));
    }

    #[test]
    fn undo_reverts_the_last_label_and_shows_that_paragraph_again() {
        let mut sim = Sim::new(&[0, 1, 2], &[]);
        sim.label("a");
        sim.label("b");
        assert_eq!(sim.cur(), Some(2));
        sim.undo();
        assert_eq!(sim.cur(), Some(1));
        assert!(!sim.labels.borrow().contains_key(&k(1)));
        sim.undo();
        assert_eq!(sim.cur(), Some(0));
        assert!(sim.labels.borrow().is_empty());
        assert!(!sim.s.can_undo());
        // Deciding again goes on to 1, then to 2 (which was on screen).
        sim.label("x");
        assert_eq!(sim.cur(), Some(1));
        sim.label("y");
        assert_eq!(sim.cur(), Some(2));
        let l = sim.labels.borrow();
        assert_eq!((l[&k(0)], l[&k(1)]), ("x", "y"));
    }

    #[test]
    fn back_shows_the_previous_paragraph_and_relabelling_it_returns_to_where_one_was() {
        let mut sim = Sim::new(&[0, 1, 2, 3], &[]);
        sim.label("a");
        sim.skip();
        assert_eq!(sim.cur(), Some(2));
        assert!(sim.s.back());
        assert_eq!(sim.cur(), Some(1), "the skipped one");
        assert!(sim.s.back());
        assert_eq!(sim.cur(), Some(0));
        assert!(!sim.s.back());
        sim.label("changed");
        // 1 was skipped and 0 is decided: on to 2, the one on screen before going back.
        assert_eq!(sim.cur(), Some(2));
        assert_eq!(sim.labels.borrow()[&k(0)], "changed");
        // Undoing the change restores the first label of 0.
        sim.undo();
        assert_eq!(sim.cur(), Some(0));
        assert_eq!(sim.labels.borrow()[&k(0)], "relabelled");
    }

    #[test]
    fn resuming_is_a_new_session_over_the_labels_so_far() {
        let mut sim = Sim::new(&[0, 1, 2, 3], &[]);
        sim.label("a");
        sim.label("b");
        // The process ends; a new one proposes the same round.
        let labelled: Vec<usize> = sim.labels.borrow().keys().map(|k| k.1).collect();
        let sim2 = Sim::new(&[0, 1, 2, 3], &labelled);
        assert_eq!(sim2.cur(), Some(2));
        assert!(!sim2.s.can_undo());
        assert!(!sim2.s.can_go_back());
    }
}

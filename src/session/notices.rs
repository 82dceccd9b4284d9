//! The status bar's messages: the errors of this session (each kept until dismissed, so that
//! several jobs failing at once are all seen), and the last piece of good news (e.g. where an
//! export was saved), which fades after a few seconds.

use std::time::{Duration, Instant};

const INFO_FOR: Duration = Duration::from_secs(8);
/// Errors kept at most; the oldest go first.
const KEEP: usize = 50;

#[derive(Default)]
pub struct Notices {
    /// Oldest first.
    errors: Vec<String>,
    /// The messages of `errors` that are warnings (a file loaded with a note), not failures.
    warnings: Vec<String>,
    info: Option<(String, Instant)>,
}

impl Notices {
    pub fn error(&mut self, message: impl Into<String>) {
        let message = crate::format::bounded(&message.into(), 1000);
        tracing::warn!("{message}");
        // The same message again (a job retried) is moved to the end, not repeated.
        self.errors.retain(|e| *e != message);
        self.errors.push(message);
        if self.errors.len() > KEEP {
            self.errors.remove(0);
        }
    }

    /// Something the user should know that did not fail (kept until dismissed, like errors,
    /// but shown as a warning).
    pub fn warning(&mut self, message: impl Into<String>) {
        let message = crate::format::bounded(&message.into(), 1000);
        self.error(message.clone());
        if !self.warnings.contains(&message) {
            self.warnings.push(message);
        }
    }

    /// Whether `message` (one of `errors`) is a warning.
    pub(crate) fn is_warning(&self, message: &str) -> bool {
        self.warnings.iter().any(|w| w == message)
    }

    pub fn info(&mut self, message: impl Into<String>) {
        self.info = Some((message.into(), Instant::now()));
    }

    /// The newest error not yet dismissed.
    pub fn last_error(&self) -> Option<&str> {
        self.errors.last().map(String::as_str)
    }

    /// Every error not yet dismissed, oldest first.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    /// Dismiss the newest error (the older ones stay).
    pub(crate) fn dismiss_error(&mut self) {
        if let Some(e) = self.errors.pop() {
            self.warnings.retain(|w| *w != e);
        }
    }

    pub(crate) fn dismiss_all(&mut self) {
        self.errors.clear();
        self.warnings.clear();
    }

    /// Drop the good news before its time (tests comparing screens).
    pub fn clear_info(&mut self) {
        self.info = None;
    }

    pub fn current_info(&self) -> Option<&str> {
        self.info
            .as_ref()
            .filter(|(_, at)| at.elapsed() < INFO_FOR)
            .map(|(m, _)| m.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_errors_stay_until_each_is_dismissed() {
        let mut n = Notices::default();
        n.error("a.csv: bad");
        n.error("b.csv: bad");
        n.error("a.csv: bad");
        assert_eq!(n.errors(), ["b.csv: bad", "a.csv: bad"]);
        n.dismiss_error();
        assert_eq!(n.last_error(), Some("b.csv: bad"));
        n.dismiss_all();
        assert!(n.last_error().is_none());
    }

    #[test]
    fn warnings_are_kept_and_told_apart_from_errors() {
        let mut n = Notices::default();
        n.error("a.csv: bad");
        n.warning("b.csv: the header names 'x' twice");
        assert_eq!(n.last_error(), Some("b.csv: the header names 'x' twice"));
        assert!(n.is_warning("b.csv: the header names 'x' twice"));
        assert!(!n.is_warning("a.csv: bad"));
        n.dismiss_error();
        assert_eq!(n.last_error(), Some("a.csv: bad"));
        assert!(!n.is_warning("b.csv: the header names 'x' twice"));
    }
}

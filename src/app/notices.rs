//! The status bar's messages: the last error (stays until dismissed) and the last piece of
//! good news (e.g. where an export was saved), which fades after a few seconds.

use std::time::{Duration, Instant};

const INFO_FOR: Duration = Duration::from_secs(8);

#[derive(Default)]
pub struct Notices {
    error: Option<String>,
    info: Option<(String, Instant)>,
}

impl Notices {
    pub fn error(&mut self, message: impl Into<String>) {
        let message = message.into();
        tracing::warn!("{message}");
        self.error = Some(message);
    }

    pub fn info(&mut self, message: impl Into<String>) {
        self.info = Some((message.into(), Instant::now()));
    }

    pub fn last_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn dismiss_error(&mut self) {
        self.error = None;
    }

    pub fn current_info(&self) -> Option<&str> {
        self.info
            .as_ref()
            .filter(|(_, at)| at.elapsed() < INFO_FOR)
            .map(|(m, _)| m.as_str())
    }
}

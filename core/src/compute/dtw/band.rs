//! The Sakoe-Chiba band: which cells (i, j) of the cost matrix a warping path may use, and how a
//! user's window (a fraction of the length, or a number of cells) becomes a width in cells.

/// A window as the user gives it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Window {
    /// 0 = lock-step (Euclidean), 1 = full window; w = round(fraction x length).
    Fraction(f64),
    /// Cells off the diagonal.
    Cells(usize),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WindowError {
    #[error("window must be a fraction from 0 to 1, got {0}")]
    BadFraction(f64),
}

impl Window {
    /// The checked window (a fraction outside 0..=1 or NaN is an error).
    pub fn validate(self) -> Result<Self, WindowError> {
        match self {
            Self::Fraction(f) if !(0.0..=1.0).contains(&f) => Err(WindowError::BadFraction(f)),
            w => Ok(w),
        }
    }

    /// The band half-width in cells for series of lengths `n` and `m` (the longer one sets the
    /// length a fraction refers to). A width past the longer length is the full window.
    pub fn cells(self, n: usize, m: usize) -> usize {
        let cells = match self {
            Self::Fraction(f) => (f * n.max(m) as f64).round() as usize,
            Self::Cells(c) => c,
        };
        cells.min(n.max(m))
    }
}

/// The allowed columns of each row. For equal lengths, |i - j| <= w; for unequal lengths the
/// band runs around both diagonals (as dtaidistance does), widened by the length difference,
/// so that the last cell can always be reached.
#[derive(Clone, Copy, Debug)]
pub(super) struct Band {
    m: usize,
    below: usize,
    above: usize,
}

impl Band {
    pub(super) fn new(n: usize, m: usize, w: usize) -> Self {
        Self {
            m,
            below: n.saturating_sub(m) + w,
            above: m.saturating_sub(n) + w,
        }
    }

    /// Inclusive column range of row `i`.
    pub(super) fn columns(&self, i: usize) -> (usize, usize) {
        (
            i.saturating_sub(self.below),
            (i + self.above).min(self.m - 1),
        )
    }
}

//! DTW of one pattern against `LANES` series at once. The series are interleaved
//! (struct-of-arrays: element `j` of every lane side by side), and the band's recurrence runs in
//! lock-step across the lanes, so each cell is one vector operation. The arithmetic is the
//! scalar kernel's, operation for operation (no fused multiply-add, the minimum of the same
//! three values), so the distances are bit-identical to `distance_sq` for series without NaN.
//!
//! The lanes are plain arrays; the compiler vectorises the lane loops. The same code is compiled
//! three times, for AVX-512, for AVX2 and for the baseline (SSE2 on x86-64, whatever the target
//! has elsewhere); the widest the processor runs is picked at run time.

use super::band::Band;

/// Series computed together. Sixteen f64 lanes are two AVX-512 or four AVX2 registers: several
/// independent chains hide the latency of the add-and-minimum that links one cell to the next.
pub const LANES: usize = 16;

type Lane = [f64; LANES];

/// The instruction sets the lane kernel is compiled for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    /// The target's baseline (SSE2 on x86-64).
    Baseline,
    Avx2,
    Avx512,
}

impl Isa {
    /// The widest this processor runs.
    pub fn best() -> Self {
        // Detected once: `distances_sq` asks for every batch of 16 series.
        static BEST: std::sync::OnceLock<Isa> = std::sync::OnceLock::new();
        *BEST.get_or_init(|| Self::available().pop().unwrap_or(Self::Baseline))
    }

    /// Those this processor runs, narrowest first.
    pub fn available() -> Vec<Self> {
        let mut out = vec![Self::Baseline];
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                out.push(Self::Avx2);
            }
            if std::arch::is_x86_feature_detected!("avx512f") {
                out.push(Self::Avx512);
            }
        }
        out
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Baseline if cfg!(target_arch = "x86_64") => "SSE2",
            Self::Baseline => "baseline",
            Self::Avx2 => "AVX2",
            Self::Avx512 => "AVX-512",
        }
    }
}

/// The squared DTW distances from `a` to the `LANES` series interleaved in `b` (all of length
/// `b.len()`, cell `w` of the band), on the widest instruction set the processor runs. `a` and
/// `b` are not empty and hold no NaN.
pub(crate) fn distances_sq(a: &[f64], b: &[Lane], w: usize) -> Lane {
    distances_sq_on(Isa::best(), a, b, w)
}

/// `distances_sq` on a chosen instruction set; one the processor lacks runs the baseline.
pub fn distances_sq_on(isa: Isa, a: &[f64], b: &[Lane], w: usize) -> Lane {
    #[cfg(target_arch = "x86_64")]
    {
        if isa == Isa::Avx512 && std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the processor has just been seen to support AVX-512F.
            return unsafe { kernel_avx512(a, b, w) };
        }
        if isa == Isa::Avx2 && std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has just been seen to support AVX2.
            return unsafe { kernel_avx2(a, b, w) };
        }
    }
    let _ = isa;
    kernel(a, b, w)
}

/// The instruction set `distances_sq` runs on this processor, for read-outs and benchmarks.
pub fn instruction_set() -> &'static str {
    Isa::best().name()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn kernel_avx512(a: &[f64], b: &[Lane], w: usize) -> Lane {
    kernel(a, b, w)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn kernel_avx2(a: &[f64], b: &[Lane], w: usize) -> Lane {
    kernel(a, b, w)
}

/// `x < y ? x : y`, the minimum a vector instruction computes; equal to `f64::min` without NaN.
#[inline(always)]
fn min(x: &Lane, y: &Lane) -> Lane {
    std::array::from_fn(|l| if x[l] < y[l] { x[l] } else { y[l] })
}

/// `(ai - bj)^2 + best`, lane by lane.
#[inline(always)]
fn cell(ai: f64, bj: &Lane, best: &Lane) -> Lane {
    std::array::from_fn(|l| {
        let d = ai - bj[l];
        d * d + best[l]
    })
}

#[inline(always)]
fn kernel(a: &[f64], b: &[Lane], w: usize) -> Lane {
    let (n, m) = (a.len(), b.len());
    let band = Band::new(n, m, w);
    let inf = [f64::INFINITY; LANES];
    let mut prev = vec![inf; m];
    let mut cur = vec![inf; m];
    // Row 0: only the left neighbour.
    let (_, hi) = band.columns(0);
    let mut left = cell(a[0], &b[0], &[0.0; LANES]);
    cur[0] = left;
    for j in 1..=hi {
        left = cell(a[0], &b[j], &left);
        cur[j] = left;
    }
    std::mem::swap(&mut prev, &mut cur);
    for (i, &ai) in a.iter().enumerate().skip(1) {
        let (lo, hi) = band.columns(i);
        let start = if lo == 0 {
            // Column 0: only the cell above.
            cur[0] = cell(ai, &b[0], &prev[0]);
            1
        } else {
            cur[lo - 1] = inf;
            lo
        };
        let mut left = if start == 1 { cur[0] } else { inf };
        let (above, diagonal) = (&prev[start..=hi], &prev[start - 1..hi]);
        for (((out, bj), up), diag) in cur[start..=hi]
            .iter_mut()
            .zip(&b[start..=hi])
            .zip(above)
            .zip(diagonal)
        {
            let best = min(&left, &min(up, diag));
            left = cell(ai, bj, &best);
            *out = left;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m - 1]
}

/// `series` (all of one length) interleaved into lanes; a short batch repeats its last series.
pub fn interleave(series: &[&[f64]]) -> Vec<Lane> {
    let m = series.first().map_or(0, |s| s.len());
    (0..m)
        .map(|j| std::array::from_fn(|l| series[l.min(series.len() - 1)][j]))
        .collect()
}

//! The DTW kernel alone, on one core: the scalar kernel against the lane kernel compiled for
//! each instruction set this processor runs (AVX-512, AVX2, the baseline), on random walks.
//!
//! usage: cargo bench --bench dtw_kernel -- [SERIES] [LENGTH] [WINDOW_CELLS] [RUNS]
//! Prints the median time and band cells per second of each; the numbers go into
//! BENCHMARKS.md. Not a test: no thresholds here.

use std::time::Instant;

use playbook::compute::dtw::{self, lanes};
use rand::{Rng, SeedableRng};

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let arg = |k: usize, default: usize| args.get(k).copied().unwrap_or(default);
    let (count, length, w, runs) = (arg(0, 8_000), arg(1, 256), arg(2, 26), arg(3, 5));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut walk = || {
        let mut x = 0.0;
        (0..length)
            .map(|_| {
                x += rng.random::<f64>() - 0.5;
                x
            })
            .collect::<Vec<f64>>()
    };
    let pattern = walk();
    let series: Vec<Vec<f64>> = (0..count).map(|_| walk()).collect();
    let refs: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
    let batches: Vec<_> = refs.chunks(lanes::LANES).map(lanes::interleave).collect();
    // Cells inside the band, per distance.
    let cells: usize = (0..length)
        .map(|i| (i + w).min(length - 1) + 1 - i.saturating_sub(w))
        .sum();
    let total_cells = (cells * count) as f64;
    println!(
        "{count} random walks x {length}, band of {w} cells ({cells} cells a distance), one core, median of {runs}"
    );
    let time = |f: &mut dyn FnMut() -> f64| {
        let mut t: Vec<f64> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed().as_secs_f64()
            })
            .collect();
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    };
    let scalar = time(&mut || {
        series
            .iter()
            .map(|s| dtw::distance_sq(&pattern, s, w, f64::INFINITY))
            .sum()
    });
    println!(
        "{:<10} {:>8.4} s {:>7.0} M cells/s   1.0x",
        "scalar",
        scalar,
        total_cells / scalar / 1e6
    );
    for isa in lanes::Isa::available() {
        let t = time(&mut || {
            batches
                .iter()
                .map(|b| lanes::distances_sq_on(isa, &pattern, b, w)[0])
                .sum()
        });
        println!(
            "{:<10} {:>8.4} s {:>7.0} M cells/s {:>6.1}x",
            isa.name(),
            t,
            total_cells / t / 1e6,
            scalar / t
        );
    }
}

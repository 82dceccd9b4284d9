//! DTW against a plain O(n*m) reference, hand-computed cases, and the pruned search against
//! brute force.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

/// The textbook recursion over the whole matrix, with the band tested cell by cell.
fn reference_sq(a: &[f64], b: &[f64], w: usize) -> f64 {
    let (n, m) = (a.len(), b.len());
    let allowed = |i: usize, j: usize| {
        let below = n.saturating_sub(m) + w;
        let above = m.saturating_sub(n) + w;
        j + below >= i && j <= i + above
    };
    let mut d = vec![vec![f64::INFINITY; m + 1]; n + 1];
    d[0][0] = 0.0;
    for i in 1..=n {
        for j in 1..=m {
            if allowed(i - 1, j - 1) {
                let c = (a[i - 1] - b[j - 1]).powi(2);
                d[i][j] = c + d[i - 1][j].min(d[i][j - 1]).min(d[i - 1][j - 1]);
            }
        }
    }
    d[n][m]
}

fn walk(rng: &mut ChaCha8Rng, n: usize) -> Vec<f64> {
    let mut x = 0.0;
    (0..n)
        .map(|_| {
            x += rng.random::<f64>() - 0.5;
            x
        })
        .collect()
}

#[test]
fn matches_the_reference_for_every_window() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for _ in 0..60 {
        let n = rng.random_range(1..40);
        let m = if rng.random::<bool>() {
            n
        } else {
            rng.random_range(1..40)
        };
        let (a, b) = (walk(&mut rng, n), walk(&mut rng, m));
        for w in [0, 1, 2, 3, 5, 10, 50] {
            let want = reference_sq(&a, &b, w);
            let got = distance_sq(&a, &b, w, f64::INFINITY);
            assert!(
                (got - want).abs() <= 1e-12 * want.max(1.0),
                "n={n} m={m} w={w}"
            );
            let (d, _) = warping_path(&a, &b, w);
            assert!((d * d - want).abs() <= 1e-12 * want.max(1.0));
        }
    }
}

#[test]
fn hand_computed_cases() {
    // Lock-step is Euclidean.
    assert_eq!(distance(&[1.0, 2.0, 3.0], &[2.0, 2.0, 2.0], 0), 2f64.sqrt());
    // A one-step shift costs 1 in lock-step and nothing with a band of one cell.
    assert_eq!(distance(&[0.0, 0.0, 1.0], &[0.0, 1.0, 1.0], 0), 1.0);
    assert_eq!(distance(&[0.0, 0.0, 1.0], &[0.0, 1.0, 1.0], 1), 0.0);
    // Unequal lengths: a repeated point is absorbed.
    assert_eq!(distance(&[0.0, 1.0, 2.0], &[0.0, 1.0, 1.0, 2.0], 0), 0.0);
    // Single points.
    assert_eq!(distance(&[3.0], &[1.0, 1.0], 0), 8f64.sqrt());
    assert!(distance(&[], &[1.0], 3).is_infinite());
}

#[test]
fn the_path_is_a_valid_warping_path_with_the_distance_as_its_cost() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    for _ in 0..30 {
        let (n, m) = (rng.random_range(1..30), rng.random_range(1..30));
        let (a, b) = (walk(&mut rng, n), walk(&mut rng, m));
        let w = rng.random_range(0..8);
        let (d, path) = warping_path(&a, &b, w);
        assert_eq!(path.first(), Some(&(0, 0)));
        assert_eq!(path.last(), Some(&(n - 1, m - 1)));
        for pair in path.windows(2) {
            let ((i0, j0), (i1, j1)) = (pair[0], pair[1]);
            assert!(i1 - i0 <= 1 && j1 - j0 <= 1 && (i1, j1) != (i0, j0));
        }
        let cost: f64 = path.iter().map(|&(i, j)| (a[i] - b[j]).powi(2)).sum();
        assert!((cost - d * d).abs() < 1e-9, "path cost {cost} vs {}", d * d);
    }
}

#[test]
fn early_abandoning_never_changes_a_distance_under_the_limit() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for _ in 0..100 {
        let (a, b) = (walk(&mut rng, 30), walk(&mut rng, 30));
        let full = distance_sq(&a, &b, 4, f64::INFINITY);
        assert_eq!(distance_sq(&a, &b, 4, full), full);
        assert_eq!(distance_sq(&a, &b, 4, full * 1.5), full);
        // Over the limit: either abandoned or exact, never a wrong finite value.
        let cut = distance_sq(&a, &b, 4, full * 0.5);
        assert!(cut.is_infinite() || cut == full);
    }
}

#[test]
fn envelope_and_lower_bounds() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    for _ in 0..50 {
        let n = rng.random_range(1..50);
        let (q, c) = (walk(&mut rng, n), walk(&mut rng, n));
        for w in [0, 1, 3, 7, 60] {
            let env = Envelope::new(&q, w);
            for i in 0..n {
                let win = &q[i.saturating_sub(w)..(i + w + 1).min(n)];
                assert_eq!(env.upper[i], win.iter().copied().fold(f64::MIN, f64::max));
                assert_eq!(env.lower[i], win.iter().copied().fold(f64::MAX, f64::min));
            }
            let d = distance_sq(&q, &c, w, f64::INFINITY);
            assert!(lb_keogh_sq(&env, &c, f64::INFINITY) <= d + 1e-12);
            assert!(lb_kim_sq(&q, &c) <= d + 1e-12);
        }
    }
}

#[test]
fn pruned_search_returns_what_brute_force_returns() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mut candidates: Vec<Vec<f64>> = (0..120).map(|_| walk(&mut rng, 48)).collect();
    // Some of other lengths, and exact duplicates to exercise ties.
    candidates.extend((0..10).map(|_| walk(&mut rng, 40)));
    candidates.push(candidates[7].clone());
    for q in 0..200 {
        let query = if q % 10 == 0 {
            candidates[q % candidates.len()].clone()
        } else {
            walk(&mut rng, 48)
        };
        for window in [
            Window::Fraction(0.0),
            Window::Fraction(0.1),
            Window::Cells(3),
            Window::Fraction(1.0),
        ] {
            let fast = nearest(&query, &candidates, window);
            let slow = nearest_brute_force(&query, &candidates, window);
            assert_eq!(fast, slow, "query {q}, {window:?}");
        }
    }
}

#[test]
fn windows_in_cells() {
    assert_eq!(Window::Fraction(0.05).cells(52, 52), 3);
    assert_eq!(Window::Fraction(0.0).cells(150, 150), 0);
    assert_eq!(Window::Fraction(1.0).cells(150, 140), 150);
    assert_eq!(Window::Cells(4).cells(10, 10), 4);
    // Past the length it is the full window (no overflow in the bounds).
    assert_eq!(Window::Cells(usize::MAX).cells(10, 12), 12);
    assert!(Window::Fraction(1.5).validate().is_err());
    assert!(Window::Fraction(f64::NAN).validate().is_err());
}

#[test]
fn znorm_gives_mean_zero_and_unit_deviation() {
    let mut s = vec![1.0, 2.0, 3.0, 4.0];
    znorm(&mut s);
    let mean: f64 = s.iter().sum::<f64>() / 4.0;
    let var: f64 = s.iter().map(|v| v * v).sum::<f64>() / 4.0;
    assert!(mean.abs() < 1e-12 && (var - 1.0).abs() < 1e-12);
    let mut flat = vec![5.0; 3];
    znorm(&mut flat);
    assert_eq!(flat, vec![0.0; 3]);
}

#[test]
fn pairwise_is_symmetric_and_matches_single_distances() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let series: Vec<Vec<f64>> = (0..7).map(|k| walk(&mut rng, 20 + k)).collect();
    let m = pairwise(&series, Window::Cells(2), &crate::compute::NoProgress).unwrap();
    for i in 0..7 {
        assert_eq!(m[i][i], 0.0);
        for j in 0..7 {
            assert_eq!(m[i][j], m[j][i]);
            if i != j {
                let w = Window::Cells(2).cells(series[i].len(), series[j].len());
                assert_eq!(m[i][j], distance(&series[i], &series[j], w));
            }
        }
    }
}

#[test]
fn lanes_are_bit_identical_to_the_scalar_kernel_on_odd_lengths_and_windows() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for _ in 0..60 {
        let n = rng.random_range(1..90);
        let m = rng.random_range(1..90);
        let w = rng.random_range(0..=n.max(m));
        let a = walk(&mut rng, n);
        let batch: Vec<Vec<f64>> = (0..lanes::LANES).map(|_| walk(&mut rng, m)).collect();
        let refs: Vec<&[f64]> = batch.iter().map(Vec::as_slice).collect();
        let interleaved = lanes::interleave(&refs);
        for isa in lanes::Isa::available() {
            let got = lanes::distances_sq_on(isa, &a, &interleaved, w);
            for (l, b) in batch.iter().enumerate() {
                let want = distance_sq(&a, b, w, f64::INFINITY);
                assert_eq!(
                    got[l].to_bits(),
                    want.to_bits(),
                    "{isa:?}: n {n} m {m} w {w} lane {l}"
                );
            }
        }
    }
}

#[test]
fn one_against_many_matches_single_distances_with_mixed_lengths_nan_and_empty_series() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let pattern = walk(&mut rng, 37);
    let mut series: Vec<Vec<f64>> = (0..300)
        .map(|k| walk(&mut rng, [37, 37, 37, 41, 12][k % 5]))
        .collect();
    series[5][3] = f64::NAN;
    series[7].clear();
    for window in [
        Window::Fraction(0.0),
        Window::Fraction(0.1),
        Window::Cells(50),
    ] {
        let got = one_against_many(&pattern, &series, window, &crate::compute::NoProgress).unwrap();
        for (k, s) in series.iter().enumerate() {
            let want = distance(&pattern, s, window.cells(pattern.len(), s.len()));
            assert_eq!(got[k].to_bits(), want.to_bits(), "series {k}, {window:?}");
        }
    }
}

//! Seeded PaySim-like mobile-money transactions (step, type, amount, nameOrig, oldbalanceOrg,
//! newbalanceOrig, nameDest, oldbalanceDest, newbalanceDest, isFraud): PaySim's type shares,
//! heavy-tailed amounts, balances that add up (an account cannot go below zero), merchants
//! (`M...`, no balances), PaySim's quirk of transfers whose destination balances stay at zero,
//! and a small share of frauds that empty an account by TRANSFER or CASH_OUT. The book's
//! default rule flags about 4% of the rows and 11% of the money of this data, as in the book.

use polars::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::generators::{GenParams, normal};

/// PaySim's transaction types and their shares of rows.
pub(crate) const TYPES: [(&str, f64); 5] = [
    ("CASH_IN", 0.220),
    ("CASH_OUT", 0.352),
    ("DEBIT", 0.0065),
    ("PAYMENT", 0.338),
    ("TRANSFER", 0.0835),
];

/// Median and log-spread of the amount of each type (same order as `TYPES`).
const AMOUNTS: [(f64, f64); 5] = [
    (250_000.0, 0.6),
    (150_000.0, 0.9),
    (3_000.0, 1.0),
    (9_000.0, 1.0),
    (480_000.0, 1.1),
];

const FRAUD_SHARE: f64 = 0.0013;
/// Hours in PaySim's month of simulation.
const STEPS: usize = 743;

fn lognormal(rng: &mut ChaCha8Rng, median: f64, sigma: f64) -> f64 {
    median * (sigma * normal(rng)).exp()
}

fn cents(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn pick_type(rng: &mut ChaCha8Rng) -> usize {
    let mut u: f64 = rng.random();
    for (i, (_, share)) in TYPES.iter().enumerate() {
        if u < *share {
            return i;
        }
        u -= share;
    }
    TYPES.len() - 1
}

/// The generated table, one row per transaction, in step order.
pub fn transactions(p: &GenParams) -> PolarsResult<DataFrame> {
    let n = p.rows;
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let mut step = Vec::with_capacity(n);
    let mut kind = Vec::with_capacity(n);
    let mut amount = Vec::with_capacity(n);
    let mut name_orig = Vec::with_capacity(n);
    let mut old_org = Vec::with_capacity(n);
    let mut new_org = Vec::with_capacity(n);
    let mut name_dest = Vec::with_capacity(n);
    let mut old_dest = Vec::with_capacity(n);
    let mut new_dest = Vec::with_capacity(n);
    let mut fraud = Vec::with_capacity(n);
    for i in 0..n {
        step.push((1 + i * STEPS / n.max(1)) as i64);
        let is_fraud = rng.random::<f64>() < FRAUD_SHARE;
        let t = if is_fraud {
            if rng.random::<bool>() { 4 } else { 1 }
        } else {
            pick_type(&mut rng)
        };
        let (median, sigma) = AMOUNTS[t];
        let mut old = if is_fraud {
            lognormal(&mut rng, 250_000.0, 1.3)
        } else if rng.random::<f64>() < 0.33 {
            0.0
        } else {
            lognormal(&mut rng, 25_000.0, 2.2)
        };
        old = cents(old);
        let mut amt = if is_fraud {
            old.min(10_000_000.0)
        } else {
            lognormal(&mut rng, median, sigma)
        };
        let debit = t != 0;
        // A debit larger than a funded account's balance mostly takes part of it or all of
        // it; the rest keep their amount and leave the account at zero (PaySim's quirk).
        if !is_fraud && debit && old > 0.0 && amt > old {
            let u: f64 = rng.random();
            if u < 0.45 {
                amt = old * rng.random::<f64>();
            } else if u < 0.75 {
                amt = old;
            }
        }
        amt = cents(amt.max(1.0));
        let new = if debit {
            (old - amt).max(0.0)
        } else {
            old + amt
        };
        let merchant = t == 3;
        let (od, nd) = if merchant {
            (0.0, 0.0)
        } else {
            let od = if rng.random::<f64>() < 0.4 {
                0.0
            } else {
                cents(lognormal(&mut rng, 150_000.0, 1.8))
            };
            // PaySim's quirk: many transfers (and every fraudulent one) leave the
            // destination's balances at zero.
            let frozen = t == 4 && (is_fraud || rng.random::<f64>() < 0.2);
            if frozen {
                (0.0, 0.0)
            } else if t == 0 {
                (od, (od - amt).max(0.0))
            } else {
                (od, od + amt)
            }
        };
        kind.push(TYPES[t].0);
        amount.push(amt);
        name_orig.push(format!(
            "C{}",
            1_000_000_000 + rng.random_range(0..900_000_000u64)
        ));
        old_org.push(old);
        new_org.push(cents(new));
        let prefix = if merchant { 'M' } else { 'C' };
        name_dest.push(format!(
            "{prefix}{}",
            1_000_000_000 + rng.random_range(0..900_000_000u64)
        ));
        old_dest.push(od);
        new_dest.push(cents(nd));
        fraud.push(i64::from(is_fraud));
    }
    df!(
        "step" => step,
        "type" => kind,
        "amount" => amount,
        "nameOrig" => name_orig,
        "oldbalanceOrg" => old_org,
        "newbalanceOrig" => new_org,
        "nameDest" => name_dest,
        "oldbalanceDest" => old_dest,
        "newbalanceDest" => new_dest,
        "isFraud" => fraud,
    )
}

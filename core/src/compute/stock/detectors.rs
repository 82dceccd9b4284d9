//! The four detectors on one series (see `Kind::formula` for what each computes), and the view
//! of one series that the alert chart draws.

use super::expected::{self, Expected, ExpectedSource};
use super::probability::{normal_quantile, poisson_cdf, poisson_quantile};
use super::{Alert, Kind, MIN_DAYS, Series, SeriesFindings, Thresholds, ZeroScope};
use crate::format::short;

/// A series' safety stock against its lead-time demand.
#[derive(Clone, Debug, PartialEq)]
pub struct SafetyCheck {
    pub threshold: f64,
    /// True when the threshold came from the table, false when computed.
    pub given: bool,
    pub lead_time: f64,
    pub mean_daily: f64,
    /// z(service level) × σ(daily sales) × √(lead time).
    pub needed: f64,
    pub covers: bool,
}

/// OSA windows, in days.
const WINDOWS: [usize; 5] = [7, 10, 14, 21, 28];

fn known(s: &Series, i: usize) -> bool {
    !s.sold[i].is_nan() && !s.on_hand[i].is_nan()
}

/// A day the shelf could sell: figures known and stock reported (or something sold).
fn in_stock(s: &Series, i: usize) -> bool {
    known(s, i) && (s.on_hand[i] > 0.0 || s.sold[i] > 0.0)
}

/// The probability of a sale on each day, by weekday, from the in-stock days.
fn sale_odds(s: &Series, stock: &[bool]) -> Vec<f64> {
    let mut sold = [0.0; 7];
    let mut days = [0.0; 7];
    for (i, &ok) in stock.iter().enumerate() {
        if ok {
            let w = s.weekday(i);
            days[w] += 1.0;
            if s.sold[i] > 0.0 {
                sold[w] += 1.0;
            }
        }
    }
    // Laplace's rule of succession: a year of sales every day still leaves room for a quiet
    // day, rather than making one day without a sale impossible.
    let total: f64 = days.iter().sum();
    let p = (sold.iter().sum::<f64>() + 1.0) / (total + 2.0);
    let by_day: Vec<f64> = (0..7)
        .map(|w| ((sold[w] + 7.0 * p) / (days[w] + 7.0)).clamp(0.0, 0.999))
        .collect();
    (0..s.days()).map(|i| by_day[s.weekday(i)]).collect()
}

/// A maximal run of known zero-sales days (days without figures neither extend nor break it).
struct ZeroRun {
    start: usize,
    end: usize,
    /// Known zero days in it.
    days: usize,
    /// ln of the chance of the run if the shelf were fine: Σ ln(1 − p).
    log_q: f64,
}

/// Maximal runs over `from..=to` of days for which `day` says `Some(true)`; `None` days
/// (missing figures) neither extend nor break a run.
fn runs_where(
    from: usize,
    to: usize,
    odds: &[f64],
    day: impl Fn(usize) -> Option<bool>,
) -> Vec<ZeroRun> {
    let mut runs = Vec::new();
    let mut open: Option<ZeroRun> = None;
    for (i, p) in (from..=to).zip(&odds[from..=to]) {
        match day(i) {
            None => {}
            Some(true) => {
                let r = open.get_or_insert(ZeroRun {
                    start: i,
                    end: i,
                    days: 0,
                    log_q: 0.0,
                });
                r.end = i;
                r.days += 1;
                r.log_q += (-p).ln_1p();
            }
            Some(false) => runs.extend(open.take()),
        }
    }
    runs.extend(open);
    runs
}

fn zero_runs(s: &Series, odds: &[f64]) -> Vec<ZeroRun> {
    if s.days() == 0 {
        return Vec::new();
    }
    runs_where(0, s.days() - 1, odds, |i| {
        (!s.sold[i].is_nan()).then_some(s.sold[i] == 0.0)
    })
}

/// The parts of a zero-sales run on which the reported on-hand stayed above zero (days without
/// an on-hand figure neither extend nor break a part).
fn stocked_parts(s: &Series, run: &ZeroRun, odds: &[f64]) -> Vec<ZeroRun> {
    runs_where(run.start, run.end, odds, |i| {
        (!s.sold[i].is_nan() && !s.on_hand[i].is_nan()).then_some(s.on_hand[i] > 0.0)
    })
}

/// The chance of the run as the threshold is applied: the run alone, or anywhere in a history
/// with `chances` zero runs expected.
fn run_probability(run: &ZeroRun, chances: f64, scope: ZeroScope) -> f64 {
    let q = run.log_q.exp();
    match scope {
        ZeroScope::PerRun => q,
        ZeroScope::History => -(chances.max(1.0) * (-q).ln_1p()).exp_m1(),
    }
}

fn lost(s: &Series, e: &[f64], from: usize, to: usize, only: impl Fn(usize) -> bool) -> f64 {
    (from..=to)
        .filter(|&i| only(i) && !s.sold[i].is_nan())
        .map(|i| (e[i] - f64::from(s.sold[i])).max(0.0))
        .sum()
}

fn alert(
    s: &Series,
    series: usize,
    kind: Kind,
    (from, to): (usize, usize),
    lost_units: f64,
    confidence: f64,
    detail: String,
) -> Alert {
    Alert {
        kind,
        series,
        start: s.day(from),
        end: s.day(to),
        lost_units,
        lost_revenue: s.price.map(|p| p * lost_units),
        confidence,
        detail,
    }
}

/// Days marked short by the OSA windows, and the smallest tail probability marking each.
fn osa_short(s: &Series, e: &[f64], t: &Thresholds) -> (Vec<bool>, Vec<f64>) {
    let n = s.days();
    let mut short = vec![false; n];
    let mut p_min = vec![1.0f64; n];
    // Prefix sums over days with stock on hand.
    let mut ok = vec![0usize; n + 1];
    let mut sold = vec![0.0f64; n + 1];
    let mut exp = vec![0.0f64; n + 1];
    for i in 0..n {
        let on = known(s, i) && s.on_hand[i] > 0.0;
        ok[i + 1] = ok[i] + usize::from(on);
        sold[i + 1] = sold[i] + if on { f64::from(s.sold[i]) } else { 0.0 };
        exp[i + 1] = exp[i] + if on { e[i] } else { 0.0 };
    }
    for w in WINDOWS {
        for end in w..=n {
            let start = end - w;
            if ok[end] - ok[start] < w {
                continue;
            }
            let (a, x) = (sold[end] - sold[start], exp[end] - exp[start]);
            if x > 0.0 && a < t.osa_ratio * x {
                let p = poisson_cdf(a, x);
                if p < t.osa {
                    for i in start..end {
                        short[i] = true;
                        p_min[i] = p_min[i].min(p);
                    }
                }
            }
        }
    }
    (short, p_min)
}

/// Runs of consecutive true days in `mask`, as (first, last).
fn runs_of(mask: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < mask.len() {
        if !mask[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < mask.len() && mask[j + 1] {
            j += 1;
        }
        out.push((i, j));
        i = j + 1;
    }
    out
}

/// The stretch of `from..=to` with the largest total `gain` (Kadane's maximum subarray), or
/// None when no day gains: where a window's shortfall really lies inside it.
fn densest(from: usize, to: usize, gain: impl Fn(usize) -> f64) -> Option<(usize, usize)> {
    let mut best: Option<(f64, usize, usize)> = None;
    let (mut sum, mut start) = (0.0, from);
    for i in from..=to {
        if sum <= 0.0 {
            sum = 0.0;
            start = i;
        }
        sum += gain(i);
        if sum > 0.0 && best.is_none_or(|(b, _, _)| sum > b) {
            best = Some((sum, start, i));
        }
    }
    best.map(|(_, a, b)| (a, b))
}

/// The count (a drop of the reported on-hand that sales do not explain) within three days after
/// `after`, as (day index, units taken off).
fn count_after(s: &Series, after: usize) -> Option<(usize, f64)> {
    (after + 1..(after + 4).min(s.days())).find_map(|j| {
        let expected =
            f64::from(s.on_hand[j - 1]) + f64::from(s.received[j]).max(0.0) - f64::from(s.sold[j]);
        let gap = f64::from(s.on_hand[j]) - expected;
        (gap.is_finite() && gap < -0.5).then_some((j, -gap))
    })
}

/// Every detector on series `index`. None when it has fewer than `MIN_DAYS` days with figures.
pub fn detect_series(index: usize, s: &Series, t: &Thresholds) -> Option<SeriesFindings> {
    analyse(index, s, t).map(|(found, _)| found)
}

/// The zero-sales runs whose chance is below the threshold, with that chance.
fn unlikely_runs(s: &Series, odds: &[f64], chances: f64, t: &Thresholds) -> Vec<(ZeroRun, f64)> {
    zero_runs(s, odds)
        .into_iter()
        .map(|r| {
            let p = run_probability(&r, chances, t.zero_scope);
            (r, p)
        })
        .filter(|(_, p)| *p < t.zero_sales)
        .collect()
}

/// How many runs of zero-sales days the in-stock days give a chance to: Σ p(1 − p).
fn chances(stock: &[bool], odds: &[f64]) -> f64 {
    stock
        .iter()
        .zip(odds)
        .filter(|(s, _)| **s)
        .map(|(_, p)| p * (1.0 - p))
        .sum()
}

/// Sale odds that move with the expected sales: 1 − (1 − p(w))^(e / ē(w)), with ē(w) the mean
/// expected sales on weekday w. For Poisson demand this is exactly 1 − exp(−e); for lumpier
/// demand it keeps the observed weekday odds on an average day.
fn seasonal_odds(s: &Series, odds: &[f64], e: &[f64]) -> Vec<f64> {
    let mut sum = [0.0f64; 7];
    let mut count = [0.0f64; 7];
    for (i, &x) in e.iter().enumerate() {
        let w = s.weekday(i);
        sum[w] += x;
        count[w] += 1.0;
    }
    (0..s.days())
        .map(|i| {
            let w = s.weekday(i);
            let mean = sum[w] / count[w].max(1.0);
            if mean > 0.0 && e[i].is_finite() {
                (1.0 - (1.0 - odds[i]).powf(e[i] / mean)).clamp(0.0, 0.999)
            } else {
                odds[i]
            }
        })
        .collect()
}

/// The detectors' findings and the expected sales they used.
fn analyse(index: usize, s: &Series, t: &Thresholds) -> Option<(SeriesFindings, Vec<f64>)> {
    let n = s.days();
    if (0..n).filter(|&i| known(s, i)).count() < MIN_DAYS {
        return None;
    }
    let stock: Vec<bool> = (0..n).map(|i| in_stock(s, i)).collect();
    let weekday_odds = sale_odds(s, &stock);

    // Clean days: in stock, outside unlikely zero runs and outside first-pass OSA shortfalls.
    let mut clean = stock.clone();
    let first_chances = chances(&stock, &weekday_odds);
    for (r, _) in unlikely_runs(s, &weekday_odds, first_chances, t) {
        clean[r.start..=r.end].fill(false);
    }
    let baseline = expected::weekday_baseline(s, &clean);
    let (first_pass, _) = osa_short(s, &baseline, t);
    for (c, short) in clean.iter_mut().zip(&first_pass) {
        *c &= !short;
    }
    let Expected { mean: e, source } = expected::expected(s, &clean);
    // The weekday odds follow the expected sales through the year (trend, season).
    let odds = seasonal_odds(s, &weekday_odds, &e);
    let chances = chances(&stock, &odds);
    let unlikely = unlikely_runs(s, &odds, chances, t);

    let mut alerts = Vec::new();
    for (r, p) in &unlikely {
        let (r, p) = (r, *p);
        let q = r.log_q.exp();
        let run_chance = format!(
            "sale chance {} a day; run chance {}{}",
            crate::format::chance(1.0 - (r.log_q / r.days.max(1) as f64).exp()),
            crate::format::chance(q),
            if t.zero_scope == ZeroScope::History {
                format!(", in this history {}", crate::format::chance(p))
            } else {
                String::new()
            }
        );
        // The days the system itself reports empty: a stock-out the store already sees.
        let empty = |i: usize| known(s, i) && s.on_hand[i] == 0.0;
        let first = (r.start..=r.end).find(|&i| empty(i));
        let last = (r.start..=r.end).rev().find(|&i| empty(i));
        if let (Some(a), Some(b)) = (first, last) {
            let days = (a..=b).filter(|&i| empty(i)).count();
            alerts.push(alert(
                s,
                index,
                Kind::OutOfStock,
                (a, b),
                lost(s, &e, a, b, empty),
                1.0,
                format!(
                    "0 on hand reported on {days} of {} zero-sales days; {run_chance}",
                    r.days
                ),
            ));
        }
        // The stretches of the run on which the system reported stock: phantom stock when long
        // enough, else zero sales, each when unlikely by itself.
        let parts = stocked_parts(s, r, &odds);
        for part in &parts {
            let p = run_probability(part, chances, t.zero_scope);
            if p >= t.zero_sales {
                continue;
            }
            if part.days < t.phantom_min_days {
                alerts.push(alert(
                    s,
                    index,
                    Kind::ZeroSales,
                    (part.start, part.end),
                    lost(s, &e, part.start, part.end, |_| true),
                    1.0 - p,
                    format!(
                        "{} zero-sales days while the reported on-hand stayed above 0; {}",
                        part.days, run_chance
                    ),
                ));
                continue;
            }
            let reported = (part.start..=part.end)
                .map(|i| f64::from(s.on_hand[i]))
                .filter(|v| !v.is_nan());
            let (lo, hi) = reported.fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
            let count = count_after(s, part.end).map_or_else(String::new, |(j, units)| {
                format!(
                    "; a count on {} took {} units off the books",
                    crate::format::date(f64::from(s.day(j))),
                    short(units)
                )
            });
            alerts.push(alert(
                s,
                index,
                Kind::Phantom,
                (part.start, part.end),
                lost(s, &e, part.start, part.end, |_| true),
                1.0 - p,
                format!(
                    "{} days without a sale while the reported on-hand stayed {}–{}; estimated \
                     true on-hand 0; run chance {}{count}",
                    part.days,
                    short(lo),
                    short(hi),
                    crate::format::chance(p)
                ),
            ));
        }
        // No on-hand figures on the run: zero sales, as the book's detector has it.
        if first.is_none() && parts.is_empty() {
            alerts.push(alert(
                s,
                index,
                Kind::ZeroSales,
                (r.start, r.end),
                lost(s, &e, r.start, r.end, |_| true),
                1.0 - p,
                format!("{} zero-sales days; {run_chance}", r.days),
            ));
        }
    }

    let safety = safety_check(s, &stock, t);
    let below: Vec<bool> = (0..n)
        .map(|i| !s.on_hand[i].is_nan() && f64::from(s.on_hand[i]) < safety.threshold)
        .collect();
    for (a, b) in runs_of(&below) {
        if b + 1 - a < t.safety_min_days {
            continue;
        }
        let lowest = (a..=b)
            .map(|i| f64::from(s.on_hand[i]))
            .fold(f64::INFINITY, f64::min);
        let empty = (a..=b).filter(|&i| s.on_hand[i] == 0.0).count();
        alerts.push(alert(
            s,
            index,
            Kind::SafetyStock,
            (a, b),
            lost(s, &e, a, b, |i| s.on_hand[i] == 0.0),
            1.0,
            format!(
                "on-hand below the {} safety stock {} for {} days, lowest {}; {} days empty",
                if safety.given { "given" } else { "computed" },
                short(safety.threshold),
                b + 1 - a,
                short(lowest),
                empty
            ),
        ));
    }

    let (osa, p_min) = osa_short(s, &e, t);
    // A day's shortfall beyond half the allowed one: positive inside a problem, negative on
    // average on a normal day, so the densest stretch of a flagged run is the problem itself.
    let drift = (1.0 - t.osa_ratio) / 2.0;
    let gain = |i: usize| {
        if known(s, i) {
            e[i] - f64::from(s.sold[i]) - drift * e[i]
        } else {
            0.0
        }
    };
    for (a, b) in runs_of(&osa)
        .into_iter()
        .filter_map(|(a, b)| densest(a, b, gain))
    {
        if b + 1 - a < t.osa_min_days {
            continue;
        }
        let sold: f64 = (a..=b).map(|i| f64::from(s.sold[i])).sum();
        let exp: f64 = e[a..=b].iter().sum();
        let p = p_min[a..=b].iter().copied().fold(1.0, f64::min);
        alerts.push(alert(
            s,
            index,
            Kind::Osa,
            (a, b),
            lost(s, &e, a, b, |_| true),
            1.0 - p,
            format!(
                "sold {} against {} expected over {} days with stock on hand ({}%); \
                 smallest window chance {}",
                short(sold),
                short(exp),
                b + 1 - a,
                short(100.0 * sold / exp.max(f64::MIN_POSITIVE)),
                short(p)
            ),
        ));
    }
    Some((
        SeriesFindings {
            alerts,
            safety: Some(safety),
            source,
        },
        e,
    ))
}

fn safety_check(s: &Series, stock: &[bool], t: &Thresholds) -> SafetyCheck {
    let sales: Vec<f64> = (0..s.days())
        .filter(|&i| stock[i])
        .map(|i| f64::from(s.sold[i]))
        .collect();
    let m = sales.len().max(1) as f64;
    let mean = sales.iter().sum::<f64>() / m;
    let var = sales.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m - 1.0).max(1.0);
    let lead_time = s.lead_time.unwrap_or(t.lead_time_days).max(0.0);
    let needed = normal_quantile(t.service_level) * var.sqrt() * lead_time.sqrt();
    let (threshold, given) = match s.safety_stock {
        Some(v) => (v, true),
        None => (needed.ceil(), false),
    };
    SafetyCheck {
        threshold,
        given,
        lead_time,
        mean_daily: mean,
        needed,
        covers: threshold >= needed,
    }
}

/// One series as the alert chart draws it.
#[derive(Clone, Debug, Default)]
pub struct SeriesView {
    pub days: Vec<i32>,
    pub on_hand: Vec<f64>,
    /// Previous reported + received − sold; inside a phantom alert, the estimated true on-hand (0).
    pub expected_on_hand: Vec<f64>,
    pub sold: Vec<f64>,
    pub expected: Vec<f64>,
    /// The Poisson 5% and 95% quantiles of the expected sales.
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// Days with a delivery, and how much.
    pub receipts: Vec<(i32, f64)>,
    pub safety: Option<SafetyCheck>,
    pub source: Option<ExpectedSource>,
    pub alerts: Vec<Alert>,
}

/// The figures of series `s` with its expected sales and alerts, for a chart.
pub fn view_series(s: &Series, t: &Thresholds) -> SeriesView {
    let n = s.days();
    let (found, e) = match analyse(0, s, t) {
        Some((found, e)) => (Some(found), e),
        None => (None, vec![f64::NAN; n]),
    };
    let f = |v: f32| f64::from(v);
    let mut expected_on_hand: Vec<f64> = (0..n)
        .map(|i| {
            if i == 0 {
                f(s.on_hand[0])
            } else {
                f(s.on_hand[i - 1]) + f(s.received[i]).max(0.0) - f(s.sold[i])
            }
        })
        .collect();
    let (safety, source, alerts) = match found {
        Some(found) => (found.safety, Some(found.source), found.alerts),
        None => (None, None, Vec::new()),
    };
    for a in alerts.iter().filter(|a| a.kind == Kind::Phantom) {
        let from = (a.start - s.first_day) as usize;
        let to = (a.end - s.first_day) as usize;
        expected_on_hand[from..=to].fill(0.0);
    }
    SeriesView {
        days: (0..n).map(|i| s.day(i)).collect(),
        on_hand: s.on_hand.iter().copied().map(f).collect(),
        expected_on_hand,
        sold: s.sold.iter().copied().map(f).collect(),
        lower: e.iter().map(|&m| band(0.05, m)).collect(),
        upper: e.iter().map(|&m| band(0.95, m)).collect(),
        expected: e,
        receipts: (0..n)
            .filter(|&i| s.received[i] > 0.0)
            .map(|i| (s.day(i), f(s.received[i])))
            .collect(),
        safety,
        source,
        alerts,
    }
}

fn band(q: f64, mean: f64) -> f64 {
    if mean.is_finite() {
        poisson_quantile(q, mean)
    } else {
        f64::NAN
    }
}

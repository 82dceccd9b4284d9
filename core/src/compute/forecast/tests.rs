//! The model recovers series built from known trend and seasonality, its intervals cover what
//! they claim on noise, and the metrics give hand-computed values.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::data::generators::normal;

const TAU: f64 = std::f64::consts::TAU;

/// Four years of days from 2014-01-01, with the last `holdout` kept apart.
fn days() -> Vec<i32> {
    (16071..16071 + 4 * 365).collect()
}

fn weekly(d: i32) -> f64 {
    3.0 * (TAU * f64::from(d) / 7.0).sin()
}

fn yearly(d: i32) -> f64 {
    2.0 * (TAU * f64::from(d) / 365.25).cos()
}

#[test]
fn recovers_additive_components() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let d = days();
    let y: Vec<f64> = d
        .iter()
        .enumerate()
        .map(|(i, &day)| {
            20.0 + 0.01 * i as f64 + weekly(day) + yearly(day) + 0.3 * normal(&mut rng)
        })
        .collect();
    let split = d.len() - 90;
    let params = Params {
        mode: Mode::Additive,
        ..Params::default()
    };
    let model = fit(&d[..split], &y[..split], &params).unwrap();
    let p = predict(&model, &d[split..]);
    let truth: Vec<f64> = d[split..]
        .iter()
        .enumerate()
        .map(|(i, &day)| 20.0 + 0.01 * (split + i) as f64 + weekly(day) + yearly(day))
        .collect();
    let mae = truth
        .iter()
        .zip(&p.yhat)
        .map(|(a, b)| (a - b).abs())
        .sum::<f64>()
        / 90.0;
    assert!(mae < 0.25, "holdout MAE against the noiseless truth {mae}");
    // The weekly component is the true one to within 0.15 everywhere.
    for (k, &day) in d[split..].iter().enumerate() {
        assert!((p.weekly[k] - weekly(day)).abs() < 0.15, "weekly at {day}");
    }
}

#[test]
fn multiplicative_series_are_forecast_closely() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let d = days();
    let truth = |i: usize, day: i32| {
        (50.0 + 0.02 * i as f64) * (1.0 + 0.1 * weekly(day)) * (1.0 + 0.1 * yearly(day))
    };
    let y: Vec<f64> = d
        .iter()
        .enumerate()
        .map(|(i, &day)| truth(i, day) * (1.0 + 0.03 * normal(&mut rng)))
        .collect();
    let split = d.len() - 90;
    let model = fit(&d[..split], &y[..split], &Params::default()).unwrap();
    let p = predict(&model, &d[split..]);
    let s = smape(&y[split..], &p.yhat);
    assert!(s < 5.0, "sMAPE {s}");
}

#[test]
fn intervals_cover_what_they_claim() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let d = days();
    let y: Vec<f64> = d
        .iter()
        .map(|&day| 30.0 + weekly(day) + yearly(day) + 2.0 * normal(&mut rng))
        .collect();
    let split = d.len() - 365;
    let params = Params {
        mode: Mode::Additive,
        ..Params::default()
    };
    let model = fit(&d[..split], &y[..split], &params).unwrap();
    let p = predict(&model, &d[split..]);
    let c = coverage(&y[split..], &p.lower, &p.upper);
    assert!((0.90..=0.99).contains(&c), "coverage {c}");
}

#[test]
fn metrics_by_hand() {
    // sMAPE of (100 vs 110) and (0 vs 0, skipped): 2*10/210 = 9.5238%.
    assert!((smape(&[100.0, 0.0], &[110.0, 0.0]) - 9.523809523809524).abs() < 1e-9);
    // History 1,2,3,4 with season 1: naive MAE 1; holdout errors 2 and 0: MASE 1.
    assert_eq!(
        mase(&[5.0, 6.0], &[7.0, 6.0], &[1.0, 2.0, 3.0, 4.0], 1),
        1.0
    );
    assert_eq!(coverage(&[1.0, 5.0], &[0.0, 0.0], &[2.0, 2.0]), 0.5);
}

#[test]
fn bad_inputs_are_errors() {
    let d: Vec<i32> = (0..10).collect();
    let y = vec![1.0; 10];
    assert!(matches!(
        fit(&d, &y, &Params::default()),
        Err(ForecastError::TooShort { .. })
    ));
    let params = Params {
        interval: 1.5,
        ..Params::default()
    };
    let d: Vec<i32> = (0..100).collect();
    assert_eq!(
        fit(&d, &vec![1.0; 100], &params).unwrap_err(),
        ForecastError::BadInterval(1.5)
    );
}

/// A holiday effect planted on the US federal Thanksgivings is recovered as the holiday's
/// component and forecast on the next one; a model without holidays misses it.
#[test]
fn a_holiday_effect_is_learnt_and_forecast() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let calendar = holidays::us_federal(2014..=2018);
    let thanksgiving: Vec<i32> = calendar
        .by_name
        .iter()
        .find(|(n, _)| n == "Thanksgiving")
        .map(|(_, d)| d.clone())
        .unwrap();
    let d = days();
    let y: Vec<f64> = d
        .iter()
        .map(|&day| {
            let spike = if thanksgiving.contains(&day) {
                15.0
            } else {
                0.0
            };
            30.0 + weekly(day) + yearly(day) + spike + 0.3 * normal(&mut rng)
        })
        .collect();
    // Fit to 2014-2016 (three Thanksgivings), forecast the 2017 one.
    let next = thanksgiving[3];
    let split = d.iter().position(|&x| x == next - 30).unwrap();
    let with = Params {
        mode: Mode::Additive,
        holidays: std::sync::Arc::new(calendar.clone()),
        ..Params::default()
    };
    let model = fit(&d[..split], &y[..split], &with).unwrap();
    assert!(model.holiday_names().any(|n| n == "Thanksgiving"));
    let effect = model
        .holiday_effects()
        .into_iter()
        .find(|(n, _)| *n == "Thanksgiving")
        .unwrap()
        .1;
    assert!((effect - 15.0).abs() < 1.0, "{effect}");
    let p = components(&model, &[next, next + 1]);
    assert!((p.holidays[0] - 15.0).abs() < 1.0, "{:?}", p.holidays);
    assert!(p.holidays[1].abs() < 1e-9);
    let expected = 30.0 + weekly(next) + yearly(next) + 15.0;
    assert!(
        (p.yhat[0] - expected).abs() < 1.5,
        "{} vs {expected}",
        p.yhat[0]
    );
    let without = Params {
        mode: Mode::Additive,
        ..Params::default()
    };
    let plain = fit(&d[..split], &y[..split], &without).unwrap();
    let q = components(&plain, &[next]);
    assert!((q.yhat[0] - expected).abs() > 10.0, "{}", q.yhat[0]);
}

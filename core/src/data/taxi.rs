//! Seeded NYC taxi pickups (pickup_datetime, passenger_count, fare_amount, pickup_longitude,
//! pickup_latitude): a mixture densest in Manhattan (stretched along the island), then
//! Brooklyn, Queens, the Bronx, Staten Island and the two airports, plus a share spread evenly
//! over the wider box (some in the water or in New Jersey, matching no borough) and a few at
//! (0, 0), as real trip records have.

use polars::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::generators::{GenParams, normal};

/// (share, lon, lat, spread along the main axis, spread across it, axis angle in degrees)
const AREAS: [(f64, f64, f64, f64, f64, f64); 7] = [
    (0.55, -73.979, 40.758, 0.035, 0.0055, 66.0), // Manhattan, along its NNE axis
    (0.14, -73.955, 40.680, 0.030, 0.030, 0.0),   // Brooklyn
    (0.11, -73.850, 40.730, 0.040, 0.030, 0.0),   // Queens
    (0.05, -73.880, 40.845, 0.025, 0.020, 0.0),   // the Bronx
    (0.02, -74.150, 40.585, 0.030, 0.025, 0.0),   // Staten Island
    (0.04, -73.781, 40.644, 0.004, 0.004, 0.0),   // JFK
    (0.03, -73.873, 40.774, 0.003, 0.003, 0.0),   // LaGuardia
];
/// The box that the evenly spread share covers.
const BOX: [f64; 4] = [-74.30, 40.45, -73.65, 40.95];
const SPREAD: f64 = 0.04;
const NULL_ISLAND: f64 = 0.001;

pub fn taxi(p: &GenParams) -> PolarsResult<DataFrame> {
    let n = p.rows;
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let (mut when, mut pax, mut fare, mut lon, mut lat) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    // January 2015, as the book's trips.
    let start = chrono::NaiveDate::from_ymd_opt(2015, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    for _ in 0..n {
        let u: f64 = rng.random();
        let (x, y) = if u < NULL_ISLAND {
            (0.0, 0.0)
        } else if u < NULL_ISLAND + SPREAD {
            (
                BOX[0] + (BOX[2] - BOX[0]) * rng.random::<f64>(),
                BOX[1] + (BOX[3] - BOX[1]) * rng.random::<f64>(),
            )
        } else {
            let mut v: f64 = rng.random();
            let mut area = AREAS[0];
            for a in AREAS {
                area = a;
                if v < a.0 {
                    break;
                }
                v -= a.0;
            }
            let (_, cx, cy, along, across, deg) = area;
            let (a, c) = (along * normal(&mut rng), across * normal(&mut rng));
            let t = deg.to_radians();
            // Degrees of longitude are shorter than degrees of latitude at 40.7 N.
            (
                cx + (a * t.cos() - c * t.sin()) / 0.758,
                cy + a * t.sin() + c * t.cos(),
            )
        };
        let secs = rng.random_range(0..31 * 86_400i64);
        when.push(
            (start + chrono::Duration::seconds(secs))
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
        );
        pax.push(1 + (rng.random::<f64>().powi(3) * 6.0) as i64);
        fare.push(((2.5 + 12.0 * (0.6 * normal(&mut rng)).exp()) * 100.0).round() / 100.0);
        lon.push((x * 1e6).round() / 1e6);
        lat.push((y * 1e6).round() / 1e6);
    }
    df!(
        "pickup_datetime" => when,
        "passenger_count" => pax,
        "fare_amount" => fare,
        "pickup_longitude" => lon,
        "pickup_latitude" => lat,
    )
}

//! The registry of seeded sample-data generators behind `playbook gen KIND`. Each generator is
//! a pure function of (rows, seed) built on ChaCha8, whose stream is fixed across versions, so
//! the same seed gives the same bytes. Use-case issues add their kinds to `GENERATORS`.

use polars::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One entry of the registry.
pub struct Generator {
    pub kind: &'static str,
    pub about: &'static str,
    pub default_rows: usize,
    pub make: Make,
}

/// What `playbook gen` passes to a generator.
#[derive(Clone, Debug, Default)]
pub struct GenParams {
    pub rows: usize,
    pub seed: u64,
    /// Stores (store-sales, inventory); each generator has its default.
    pub stores: Option<usize>,
    /// Items or SKUs per store (store-sales, inventory).
    pub items: Option<usize>,
    /// Days (inventory).
    pub days: Option<usize>,
    /// The season's year (pitches).
    pub season: Option<i32>,
    /// Games (pitches).
    pub games: Option<usize>,
    /// Comma-separated asset symbols (crypto).
    pub assets: Option<String>,
    /// Classes, images per class and their side in pixels (shapes).
    pub classes: Option<usize>,
    pub per_class: Option<usize>,
    pub size: Option<usize>,
}

/// What a generator makes: a table (written to `--out FILE`), a table and its truth (the truth
/// beside it as `<stem>_truth.csv`) or named files (into `--out DIR`).
pub enum Make {
    Table(fn(&GenParams) -> PolarsResult<DataFrame>),
    TableWithTruth(fn(&GenParams) -> PolarsResult<(DataFrame, DataFrame)>),
    Files(fn(&GenParams) -> Result<Vec<NamedFile>, String>),
    /// Several tables written beside `--out` as `<stem>_<name>.<ext>` (a table named "truth"
    /// always as CSV).
    Tables(fn(&GenParams) -> PolarsResult<NamedTables>),
}

/// Generated tables, each with the name that goes into its file name.
pub(crate) type NamedTables = Vec<(&'static str, DataFrame)>;

/// A generated file: its name and its bytes.
pub(crate) type NamedFile = (String, Vec<u8>);

/// The DTW audio demo's WAV clips (8 kHz mono): a melody, the same melody 1.5x slower, and a
/// different one.
fn clips() -> Result<Vec<NamedFile>, String> {
    super::audio::sample_clips(8000)
        .into_iter()
        .map(|(name, samples)| {
            super::audio::wav_bytes(&samples, 8000)
                .map(|b| (name, b))
                .map_err(|e| e.to_string())
        })
        .collect()
}

pub const GENERATORS: &[Generator] = &[
    Generator {
        kind: "table",
        about: "a mixed table (id, group, value, amount, flag) with skewed groups, a normal \
                value with 2% nulls and a heavy-tailed amount; for trying the Data panel",
        default_rows: 10_000,
        make: Make::Table(|p| mixed_table(p.rows, p.seed)),
    },
    Generator {
        kind: "weekly-sales",
        about: "products x 52 weeks (Product_Code, W0..W51) like the UCI sales table: some \
                follow the capacity curve shifted by 0-2 weeks, some are flat, the rest noisy",
        default_rows: 811,
        make: Make::Table(|p| super::weekly::weekly_sales(p.rows, p.seed)),
    },
    Generator {
        kind: "capacity",
        about: "the factory's weekly capacity curve (week, capacity), the DTW demo's pattern; \
                rows = weeks",
        default_rows: 52,
        make: Make::Table(|p| super::weekly::capacity_table(p.rows, p.seed)),
    },
    Generator {
        kind: "store-sales",
        about: "daily sales 2013-2017 per store and item (date, store, item, sales), the Kaggle \
                store-item layout, with trend, weekly and yearly seasonality and noise; \
                --stores and --items set the size (rows is not used)",
        default_rows: 913_000,
        make: Make::Table(super::store_sales::store_sales),
    },
    Generator {
        kind: "transactions",
        about: "PaySim-like mobile-money transactions (step, type, amount, nameOrig, \
                oldbalanceOrg, newbalanceOrig, nameDest, oldbalanceDest, newbalanceDest, \
                isFraud) on which the book's default fraud rule flags about 4% of the rows and \
                11% of the money; 6,362,620 rows is PaySim's size",
        default_rows: 100_000,
        make: Make::Table(super::transactions::transactions),
    },
    Generator {
        kind: "taxi",
        about: "NYC taxi pickups (pickup_datetime, passenger_count, fare_amount, \
                pickup_longitude, pickup_latitude), densest in Manhattan, some in the water or \
                outside the city so that they match no borough",
        default_rows: 100_000,
        make: Make::Table(super::taxi::taxi),
    },
    Generator {
        kind: "inventory",
        about: "daily store x SKU inventory (date, store, sku, on_hand, units_sold, \
                units_received, safety_stock, lead_time_days, price, on_order) with reorder-point \
                replenishment, shrinkage, slow movers, and planted phantom inventory, late \
                deliveries and display problems listed in <out>_truth.csv; --stores (20), --skus \
                (100) and --days (365) set the size (rows is not used)",
        default_rows: 730_000,
        make: Make::TableWithTruth(super::inventory::with_truth),
    },
    Generator {
        kind: "pitches",
        about: "a Statcast-like season of pitches (pitch_type, game_date, release_speed, \
                release_pos_x/z, player_name, batter, pitcher, events, description, pfx_x/z, \
                plate_x/z, inning, inning_topbot, game_pk, release_spin_rate, \
                release_extension, at_bat_number, pitch_number, spin_axis) with the 2021 grip-aid \
                crackdown and planted sticky outings listed in <out>_truth.csv; --season (2021) \
                and --games (2430, about 700k pitches) set it (rows is not used)",
        default_rows: 700_000,
        make: Make::TableWithTruth(super::pitches::with_truth),
    },
    Generator {
        kind: "crypto",
        about: "1-minute prices (timestamp, asset, price, volume) of --assets (BTC,ETH) over \
                --days (30), a random walk with jumps, and a tweet stream about them \
                (timestamp, asset, text, followers, retweets) drawn from the bundled rated \
                corpus: tweet volume bursts after every jump and before half of them, and \
                sentiment follows the 15-minute return; writes <stem>_prices, <stem>_tweets \
                and <stem>_truth.csv (the jumps); rows is not used",
        default_rows: 100_000,
        make: Make::Tables(crypto_tables),
    },
    Generator {
        kind: "clips",
        about: "three WAV clips for the DTW audio demo: a melody, the same melody 1.5x slower, \
                and a different one (--out is a folder; rows and seed are not used)",
        default_rows: 3,
        make: Make::Files(|_| clips()),
    },
    Generator {
        kind: "digits",
        about: "scikit-learn's 1,797 handwritten digits (UCI, CC BY 4.0) as a class-per-folder \
                set of 8x8 PNGs for the Images panel (--out is a folder; rows and seed are not used)",
        default_rows: 1797,
        make: Make::Files(|_| super::images::digit_pngs(super::images::DIGITS_CSV)),
    },
    Generator {
        kind: "shapes",
        about: "colour images of shapes on textured backgrounds, one folder per shape, for \
                trying the Images panel on larger colour images (--out is a folder; --classes \
                2-8, default 5; --per-class, default 200; --size in pixels, default 64)",
        default_rows: 1000,
        make: Make::Files(|p| {
            super::shapes::shape_pngs(
                p.classes.unwrap_or(5),
                p.per_class.unwrap_or(200),
                p.size.unwrap_or(64),
                p.seed,
            )
        }),
    },
];

/// The most rows a table generator makes (about 10 GB of the widest table in memory).
pub const MAX_ROWS: crate::usecases::Bound<usize> =
    crate::usecases::Bound::new("rows", 1, 100_000_000);

/// The rows of a stores × items × days grid, or an error when it passes `MAX_ROWS`.
pub(crate) fn grid_rows(parts: &[(&str, usize)]) -> PolarsResult<usize> {
    let n = parts
        .iter()
        .try_fold(1usize, |acc, (_, k)| acc.checked_mul(*k))
        .filter(|n| *n <= MAX_ROWS.max);
    n.ok_or_else(|| {
        let what: Vec<String> = parts
            .iter()
            .map(|(name, k)| format!("{k} {name}"))
            .collect();
        PolarsError::ComputeError(
            format!(
                "{} make more than {} rows; choose fewer",
                what.join(" x "),
                MAX_ROWS.max
            )
            .into(),
        )
    })
}

/// The most days `gen crypto` makes: ten years of one-minute prices.
const MAX_CRYPTO_DAYS: usize = 3660;

fn crypto_tables(p: &GenParams) -> PolarsResult<NamedTables> {
    let mut params = super::crypto::CryptoParams {
        seed: p.seed,
        ..Default::default()
    };
    if let Some(days) = p.days {
        if !(1..=MAX_CRYPTO_DAYS).contains(&days) {
            return Err(PolarsError::ComputeError(
                format!(
                    "--days {days}: crypto makes 1 to {MAX_CRYPTO_DAYS} days (ten years of minutes)"
                )
                .into(),
            ));
        }
        params.days = days;
    }
    if let Some(assets) = &p.assets {
        params.assets = assets
            .split(',')
            .map(|a| a.trim().to_uppercase())
            .filter(|a| !a.is_empty())
            .collect();
        if params.assets.is_empty() {
            return Err(PolarsError::ComputeError("--assets names no asset".into()));
        }
    }
    let made = super::crypto::crypto(&params)?;
    Ok(vec![
        ("prices", made.prices),
        ("tweets", made.tweets),
        ("truth", made.truth),
    ])
}

pub fn find(kind: &str) -> Option<&'static Generator> {
    GENERATORS.iter().find(|g| g.kind == kind)
}

pub fn kinds() -> String {
    GENERATORS
        .iter()
        .map(|g| g.kind)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A standard normal draw (Box-Muller), so that no distribution crate's algorithm can change it.
pub fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn mixed_table(rows: usize, seed: u64) -> PolarsResult<DataFrame> {
    const GROUPS: [(&str, f64); 5] = [
        ("north", 0.4),
        ("south", 0.25),
        ("east", 0.2),
        ("west", 0.1),
        ("central", 0.05),
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut id = Vec::with_capacity(rows);
    let mut group = Vec::with_capacity(rows);
    let mut value = Vec::with_capacity(rows);
    let mut amount = Vec::with_capacity(rows);
    let mut flag = Vec::with_capacity(rows);
    for i in 0..rows {
        id.push(i as i64);
        let u: f64 = rng.random();
        let mut acc = 0.0;
        let g = GROUPS
            .iter()
            .find(|(_, w)| {
                acc += w;
                u < acc
            })
            .map_or("central", |(n, _)| n);
        group.push(g);
        let v = 50.0 + 10.0 * normal(&mut rng);
        let missing = rng.random::<f64>() < 0.02;
        value.push((!missing).then_some((v * 1000.0).round() / 1000.0));
        let a = (3.0 + 1.2 * normal(&mut rng)).exp();
        amount.push((a * 100.0).round() / 100.0);
        flag.push(rng.random::<f64>() < 0.1);
    }
    DataFrame::new_infer_height(vec![
        Column::new("id".into(), id),
        Column::new("group".into(), group),
        Column::new("value".into(), value),
        Column::new("amount".into(), amount),
        Column::new("flag".into(), flag),
    ])
}

//! The sample datasets embedded in the binary, so the app opens with data and no set-up.
//! The files live in `sample-data/` with their provenance.

/// (file name, bytes) of every embedded sample, in the order the catalog shows them.
pub const SAMPLES: &[(&str, &[u8])] = &[
    (
        "seattle-weather.csv",
        include_bytes!("../../../sample-data/seattle-weather.csv"),
    ),
    (
        "stocks.csv",
        include_bytes!("../../../sample-data/stocks.csv"),
    ),
    (
        "airline.csv",
        include_bytes!("../../../sample-data/airline.csv"),
    ),
    (
        "weekly_sales.csv",
        include_bytes!("../../../sample-data/weekly_sales.csv"),
    ),
    (
        "capacity.csv",
        include_bytes!("../../../sample-data/capacity.csv"),
    ),
    (
        "store_sales_small.csv",
        include_bytes!("../../../sample-data/store_sales_small.csv"),
    ),
    (
        "transactions_100k.parquet",
        include_bytes!("../../../sample-data/transactions_100k.parquet"),
    ),
    (
        "inventory_sample.parquet",
        include_bytes!("../../../sample-data/inventory_sample.parquet"),
    ),
    (
        "pitches_2021_06.parquet",
        include_bytes!("../../../sample-data/pitches_2021_06.parquet"),
    ),
    (
        "nyc_boroughs.geojson",
        include_bytes!("../../../sample-data/nyc_boroughs.geojson"),
    ),
    (
        "taxi_pickups.csv",
        include_bytes!("../../../sample-data/taxi_pickups.csv"),
    ),
    (
        "crypto_tweets.parquet",
        include_bytes!("../../../sample-data/crypto_tweets.parquet"),
    ),
    (
        "crypto_prices.parquet",
        include_bytes!("../../../sample-data/crypto_prices.parquet"),
    ),
    (
        "tweets_labelled.csv",
        include_bytes!("../../../sample-data/tweets_labelled.csv"),
    ),
    (
        "naturalearth_countries.geojson",
        include_bytes!("../../../sample-data/naturalearth_countries.geojson"),
    ),
];

/// Load every embedded sample. They are known-good files, but an error is still returned, not
/// panicked on.
pub fn load_all() -> super::DataResult<Vec<super::Dataset>> {
    SAMPLES
        .iter()
        .map(|(name, bytes)| super::load_bytes(name, bytes))
        .collect()
}

/// The UCR GunPoint train and test series (`.ts` text), for the DTW panel's classification.
pub const GUNPOINT_TRAIN: &str = include_str!("../../../sample-data/GunPoint_TRAIN.ts");
pub const GUNPOINT_TEST: &str = include_str!("../../../sample-data/GunPoint_TEST.ts");

/// The DTW audio demo's clips (made by `playbook gen clips`).
pub const CLIPS: &[(&str, &[u8])] = &[
    (
        "melody.wav",
        include_bytes!("../../../sample-data/clips/melody.wav"),
    ),
    (
        "melody-slow.wav",
        include_bytes!("../../../sample-data/clips/melody-slow.wav"),
    ),
    (
        "other.wav",
        include_bytes!("../../../sample-data/clips/other.wav"),
    ),
];

/// The bundled samples made by Playbook's own seeded generators (`playbook gen`), not taken
/// from the world: no real player, store, customer or trader is in them. Every screen that
/// shows one says so (the app's line under a panel's About note).
pub const GENERATED: &[&str] = &[
    "weekly_sales.csv",
    "capacity.csv",
    "store_sales_small.csv",
    "transactions_100k.parquet",
    "taxi_pickups.csv",
    "inventory_sample.parquet",
    "pitches_2021_06.parquet",
    "crypto_tweets.parquet",
    "crypto_prices.parquet",
];

/// The bytes of the embedded sample called `name` (a table, a GunPoint file or a clip).
pub(crate) fn bytes_of(name: &str) -> Option<&'static [u8]> {
    match name {
        "GunPoint_TRAIN.ts" => return Some(GUNPOINT_TRAIN.as_bytes()),
        "GunPoint_TEST.ts" => return Some(GUNPOINT_TEST.as_bytes()),
        _ => {}
    }
    SAMPLES
        .iter()
        .chain(CLIPS)
        .find(|(n, _)| *n == name)
        .map(|(_, b)| *b)
}

/// Load the embedded sample called `name`.
pub fn load(name: &str) -> super::DataResult<super::Dataset> {
    match bytes_of(name) {
        Some(bytes) => super::load_bytes(name, bytes),
        None => Err(super::DataError::NotFound(std::path::PathBuf::from(name))),
    }
}

//! Sentiment: the VADER port against Python's vaderSentiment 3.3.2, sentence by sentence.

use playbook::compute::sentiment::vader;

/// Every tweet of the bundled corpus and 6,000 made sentences (tests/fixtures/make_vader.py).
#[test]
fn vader_equals_python_on_every_fixture_sentence() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/vader_expected.jsonl"),
    )
    .unwrap();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in text.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let sentence = row["text"].as_str().unwrap();
        let got = vader().polarity(sentence);
        let field = |name: &str| row[name].as_f64().unwrap();
        let close = (got.compound - field("compound")).abs() <= 1e-4
            && (got.neg - field("neg")).abs() <= 1e-3
            && (got.neu - field("neu")).abs() <= 1e-3
            && (got.pos - field("pos")).abs() <= 1e-3;
        if !close {
            wrong.push(format!("{sentence:?}: {got:?} vs {row}"));
        }
        checked += 1;
    }
    assert!(checked >= 10_000, "only {checked} sentences in the fixture");
    assert!(
        wrong.is_empty(),
        "{} of {checked} differ:\n{}",
        wrong.len(),
        wrong[..wrong.len().min(10)].join("\n")
    );
}

/// OLS, Newey-West errors and the Granger F test against statsmodels
/// (tests/fixtures/make_statsmodels_ols.py).
#[test]
fn ols_equals_statsmodels() {
    use playbook::compute::sentiment::ols::{Covariance, granger, ols};
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/statsmodels_ols.json")).unwrap();
    let series = |name: &str| -> Vec<f64> {
        fixture[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    let (y, sentiment, volume) = (series("y"), series("sentiment"), series("volume"));
    let columns: [(&str, &[f64]); 2] = [("sentiment", &sentiment), ("volume", &volume)];
    for (key, covariance) in [
        ("classical", Covariance::Classical),
        ("hac4", Covariance::NeweyWest { lags: 4 }),
    ] {
        let fit = ols(&y, &columns, covariance).unwrap();
        let expected = &fixture[key];
        let values = |name: &str| -> Vec<f64> {
            expected[name]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        };
        let close = |got: f64, want: f64, what: &str| {
            assert!(
                (got - want).abs() <= 1e-8,
                "{key} {what}: {got} vs statsmodels {want}"
            );
        };
        for (j, coefficient) in fit.coefficients.iter().enumerate() {
            close(coefficient.estimate, values("coef")[j], "coef");
            close(coefficient.std_error, values("se")[j], "se");
            close(coefficient.t, values("t")[j], "t");
            close(coefficient.p, values("p")[j], "p");
        }
        close(fit.r_squared, expected["r2"].as_f64().unwrap(), "r2");
        close(
            fit.adj_r_squared,
            expected["adj_r2"].as_f64().unwrap(),
            "adj r2",
        );
        assert_eq!(fit.n as u64, expected["n"].as_u64().unwrap());
    }
    let test = granger(&y, &sentiment, 3).unwrap();
    let expected = &fixture["granger3"];
    assert!(
        (test.f - expected["f"].as_f64().unwrap()).abs() <= 1e-8,
        "F {}",
        test.f
    );
    assert!(
        (test.p - expected["p"].as_f64().unwrap()).abs() <= 1e-8,
        "p {}",
        test.p
    );
    assert_eq!(test.df_den as u64, expected["df_den"].as_u64().unwrap());
}

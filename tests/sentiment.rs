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

//! TF-IDF features of short texts, as scikit-learn's `make_union(TfidfVectorizer(word 1-2
//! grams), TfidfVectorizer(analyzer="char_wb", 2-5 grams))` makes them: lower case, sublinear
//! term frequency, smoothed idf, each block scaled to unit length. The vocabulary keeps the
//! terms seen in at least two training texts, the most frequent first, up to a cap per block,
//! so that the dense matrix linfa's classifiers take stays small (see BENCHMARKS.md).

use std::collections::HashMap;

use ndarray::Array2;
use rayon::prelude::*;

/// How many terms each block keeps, and the least document frequency.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FeatureParams {
    pub max_words: usize,
    pub max_chars: usize,
    pub min_df: usize,
}

impl Default for FeatureParams {
    fn default() -> Self {
        FeatureParams {
            max_words: 2000,
            max_chars: 2000,
            min_df: 2,
        }
    }
}

/// A fitted vectorizer: term -> column and each column's idf, per block.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Tfidf {
    words: Block,
    chars: Block,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Block {
    index: HashMap<String, usize>,
    idf: Vec<f64>,
}

/// scikit-learn's default token pattern `(?u)\b\w\w+\b`: runs of two or more word characters.
fn tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| t.chars().count() >= 2)
        .map(str::to_string)
        .collect()
}

fn word_terms(text: &str) -> Vec<String> {
    let tokens = tokens(text);
    let mut terms = tokens.clone();
    terms.extend(tokens.windows(2).map(|w| format!("{} {}", w[0], w[1])));
    terms
}

/// `char_wb` n-grams: each word padded with a space, n-grams of 2 to 5 characters inside it.
fn char_terms(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut terms = Vec::new();
    for word in lower.split_whitespace() {
        let padded: Vec<char> = std::iter::once(' ')
            .chain(word.chars())
            .chain(std::iter::once(' '))
            .collect();
        for n in 2..=5 {
            if padded.len() < n {
                break;
            }
            for gram in padded.windows(n) {
                terms.push(gram.iter().collect());
            }
        }
    }
    terms
}

impl Block {
    fn fit(docs: &[Vec<String>], max_terms: usize, min_df: usize) -> Block {
        let mut df: HashMap<&str, usize> = HashMap::new();
        for doc in docs {
            let mut seen: Vec<&str> = doc.iter().map(String::as_str).collect();
            seen.sort_unstable();
            seen.dedup();
            for term in seen {
                *df.entry(term).or_default() += 1;
            }
        }
        let mut kept: Vec<(&str, usize)> = df.into_iter().filter(|&(_, n)| n >= min_df).collect();
        // Most frequent first; ties broken by the term so the vocabulary is deterministic.
        kept.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        kept.truncate(max_terms);
        kept.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let n = docs.len() as f64;
        Block {
            idf: kept
                .iter()
                .map(|&(_, df)| ((1.0 + n) / (1.0 + df as f64)).ln() + 1.0)
                .collect(),
            index: kept
                .into_iter()
                .enumerate()
                .map(|(i, (term, _))| (term.to_string(), i))
                .collect(),
        }
    }

    fn len(&self) -> usize {
        self.idf.len()
    }

    /// One text's unit-length block as (column + `offset`, value), appended to `row`.
    fn fill(&self, terms: &[String], offset: usize, row: &mut Vec<(u32, f64)>) {
        let mut counts: HashMap<usize, f64> = HashMap::new();
        for term in terms {
            if let Some(&column) = self.index.get(term) {
                *counts.entry(column).or_default() += 1.0;
            }
        }
        let start = row.len();
        let mut norm = 0.0;
        for (&column, &count) in &counts {
            let value = (1.0 + count.ln()) * self.idf[column];
            row.push(((column + offset) as u32, value));
            norm += value * value;
        }
        if norm > 0.0 {
            let norm = norm.sqrt();
            for cell in &mut row[start..] {
                cell.1 /= norm;
            }
        }
        row[start..].sort_unstable_by_key(|cell| cell.0);
    }
}

impl Tfidf {
    pub fn fit<S: AsRef<str>>(texts: &[S], params: FeatureParams) -> Tfidf {
        let words: Vec<Vec<String>> = texts.iter().map(|t| word_terms(t.as_ref())).collect();
        let chars: Vec<Vec<String>> = texts.iter().map(|t| char_terms(t.as_ref())).collect();
        Tfidf {
            words: Block::fit(&words, params.max_words, params.min_df),
            chars: Block::fit(&chars, params.max_chars, params.min_df),
        }
    }

    pub(crate) fn n_features(&self) -> usize {
        self.words.len() + self.chars.len()
    }

    /// Why a vectorizer read from a file cannot be used: a term pointing past its block's
    /// columns, or an idf that is not a finite positive number.
    pub(crate) fn problem(&self) -> Option<String> {
        for (name, b) in [("word", &self.words), ("character", &self.chars)] {
            if let Some((t, c)) = b.index.iter().find(|(_, c)| **c >= b.idf.len()) {
                return Some(format!(
                    "the {name} term '{t}' points at column {c} of {}",
                    b.idf.len()
                ));
            }
            if b.idf.iter().any(|v| !v.is_finite() || *v <= 0.0) {
                return Some(format!("a {name} idf is not a finite positive number"));
            }
        }
        None
    }

    /// One sparse row per text (word block, then character block), columns ascending.
    pub fn transform<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Sparse {
        let split = self.words.len();
        let rows = texts
            .par_iter()
            .map(|text| {
                let mut row = Vec::new();
                self.words.fill(&word_terms(text.as_ref()), 0, &mut row);
                self.chars.fill(&char_terms(text.as_ref()), split, &mut row);
                row
            })
            .collect();
        Sparse {
            rows,
            width: self.n_features(),
        }
    }
}

/// Rows of (column, value) pairs, as TF-IDF rows are (a tweet has a few hundred of 4,000).
#[derive(Debug, Clone, PartialEq)]
pub struct Sparse {
    pub rows: Vec<Vec<(u32, f64)>>,
    pub width: usize,
}

impl Sparse {
    pub fn dense(&self) -> Array2<f64> {
        let mut m = Array2::zeros((self.rows.len(), self.width));
        for (i, row) in self.rows.iter().enumerate() {
            for &(j, v) in row {
                m[[i, j as usize]] = v;
            }
        }
        m
    }

    /// The rows at `at`, in that order.
    pub fn select(&self, at: &[usize]) -> Sparse {
        Sparse {
            rows: at.iter().map(|&i| self.rows[i].clone()).collect(),
            width: self.width,
        }
    }
}

/// Σ row[j] · w[j] over a sparse row.
pub fn dot(row: &[(u32, f64)], w: &[f64]) -> f64 {
    row.iter().map(|&(j, v)| v * w[j as usize]).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_sklearn_default_pattern() {
        assert_eq!(tokens("I love it, LOVE it!"), ["love", "it", "love", "it"]);
        assert_eq!(char_terms("ab")[..3], [" a", "ab", "b "].map(String::from));
    }

    #[test]
    fn rows_are_unit_length_per_block_and_idf_matches_sklearn() {
        let texts = ["good day", "good night", "bad day", "bad night good"];
        let tfidf = Tfidf::fit(
            &texts,
            FeatureParams {
                max_words: 100,
                max_chars: 100,
                min_df: 1,
            },
        );
        // sklearn smooth idf: ln((1 + n) / (1 + df)) + 1; "good" is in 3 of 4 texts.
        let good = tfidf.words.index["good"];
        assert!((tfidf.words.idf[good] - ((5.0f64 / 4.0).ln() + 1.0)).abs() < 1e-12);
        let x = tfidf.transform(&texts).dense();
        let split = tfidf.words.len();
        for row in x.rows() {
            let words: f64 = row.iter().take(split).map(|v| v * v).sum();
            let chars: f64 = row.iter().skip(split).map(|v| v * v).sum();
            assert!((words - 1.0).abs() < 1e-12 && (chars - 1.0).abs() < 1e-12);
        }
    }
}

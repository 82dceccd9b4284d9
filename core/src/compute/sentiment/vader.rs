//! VADER (Hutto & Gilbert, ICWSM 2014): a lexicon-and-rules sentiment scorer, ported line by
//! line from Python's `vaderSentiment` 3.3.2 so that `neg/neu/pos/compound` come out the same.
//! The two lexicons are that package's files (MIT licence, `assets/vader/LICENSE.txt`).
//!
//! The port keeps the reference's quirks on purpose, because the test compares every sentence
//! with the Python package: the "but" rule looks values up by equality (`list.index`), an
//! all-caps word with no valence still gets the caps bump, "least" and "no" negate, and Python's
//! notions of whitespace (`str.split`), punctuation (`string.punctuation`) and upper case
//! (`str.isupper`) are reproduced rather than Rust's.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Increase in intensity for a booster word ("very"), and decrease for a dampener ("kinda").
const B_INCR: f64 = 0.293;
const B_DECR: f64 = -0.293;
/// Increase for an ALL-CAPS word among words that are not.
const C_INCR: f64 = 0.733;
/// Factor applied to a negated word.
const N_SCALAR: f64 = -0.74;

const LEXICON: &str = include_str!("../../../../assets/vader/vader_lexicon.txt");
const EMOJI_LEXICON: &str = include_str!("../../../../assets/vader/emoji_utf8_lexicon.txt");

/// VADER's four numbers for one text: proportions of negative, neutral and positive weight
/// (rounded to 3 places) and the normalised compound score in -1..=1 (rounded to 4), as the
/// Python package returns them.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Polarity {
    pub neg: f64,
    pub neu: f64,
    pub pos: f64,
    pub compound: f64,
}

/// The scorer: the word lexicon and the emoji descriptions, read once.
pub struct Vader {
    lexicon: HashMap<String, f64>,
    /// Only single code points can match, as in the reference (it walks the text by character).
    emojis: HashMap<char, String>,
}

/// The shared scorer, built on first use (about 10k entries).
pub fn vader() -> &'static Vader {
    static VADER: OnceLock<Vader> = OnceLock::new();
    VADER.get_or_init(Vader::new)
}

fn booster(word_lower: &str) -> Option<f64> {
    let value = match word_lower {
        "absolutely" | "amazingly" | "awfully" | "completely" | "considerable" | "considerably"
        | "decidedly" | "deeply" | "effing" | "enormous" | "enormously" | "entirely"
        | "especially" | "exceptional" | "exceptionally" | "extreme" | "extremely"
        | "fabulously" | "flipping" | "flippin" | "frackin" | "fracking" | "fricking"
        | "frickin" | "frigging" | "friggin" | "fully" | "fuckin" | "fucking" | "fuggin"
        | "fugging" | "greatly" | "hella" | "highly" | "hugely" | "incredible" | "incredibly"
        | "intensely" | "major" | "majorly" | "more" | "most" | "particularly" | "purely"
        | "quite" | "really" | "remarkably" | "so" | "substantially" | "thoroughly" | "total"
        | "totally" | "tremendous" | "tremendously" | "uber" | "unbelievably" | "unusually"
        | "utter" | "utterly" | "very" => B_INCR,
        "almost" | "barely" | "hardly" | "just enough" | "kind of" | "kinda" | "kindof"
        | "kind-of" | "less" | "little" | "marginal" | "marginally" | "occasional"
        | "occasionally" | "partly" | "scarce" | "scarcely" | "slight" | "slightly"
        | "somewhat" | "sort of" | "sorta" | "sortof" | "sort-of" => B_DECR,
        _ => return None,
    };
    Some(value)
}

fn special_case(phrase: &str) -> Option<f64> {
    Some(match phrase {
        "the shit" | "the bomb" | "to die for" => 3.0,
        "bad ass" | "badass" => 1.5,
        "bus stop" => 0.0,
        "yeah right" => -2.0,
        "kiss of death" => -1.5,
        "beating heart" => 3.5,
        _ => return None,
    })
}

/// `negated([word])` of the reference for one lower-case word.
fn is_negation(word_lower: &str) -> bool {
    matches!(
        word_lower,
        "aint"
            | "arent"
            | "cannot"
            | "cant"
            | "couldnt"
            | "darent"
            | "didnt"
            | "doesnt"
            | "ain't"
            | "aren't"
            | "can't"
            | "couldn't"
            | "daren't"
            | "didn't"
            | "doesn't"
            | "dont"
            | "hadnt"
            | "hasnt"
            | "havent"
            | "isnt"
            | "mightnt"
            | "mustnt"
            | "neither"
            | "don't"
            | "hadn't"
            | "hasn't"
            | "haven't"
            | "isn't"
            | "mightn't"
            | "mustn't"
            | "neednt"
            | "needn't"
            | "never"
            | "none"
            | "nope"
            | "nor"
            | "not"
            | "nothing"
            | "nowhere"
            | "oughtnt"
            | "shant"
            | "shouldnt"
            | "uhuh"
            | "wasnt"
            | "werent"
            | "oughtn't"
            | "shan't"
            | "shouldn't"
            | "uh-uh"
            | "wasn't"
            | "weren't"
            | "without"
            | "wont"
            | "wouldnt"
            | "won't"
            | "wouldn't"
            | "rarely"
            | "seldom"
            | "despite"
    ) || word_lower.contains("n't")
}

/// Python's `str.isspace` for one character: Rust's `char::is_whitespace` plus the four
/// ASCII separators U+001C..U+001F, which Python's `str.split()` also splits on.
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn is_titlecase(c: char) -> bool {
    matches!(c, '\u{1c5}' | '\u{1c8}' | '\u{1cb}' | '\u{1f2}'
        | '\u{1f88}'..='\u{1f8f}' | '\u{1f98}'..='\u{1f9f}' | '\u{1fa8}'..='\u{1faf}'
        | '\u{1fbc}' | '\u{1fcc}' | '\u{1ffc}')
}

/// Python's `str.isupper`: at least one upper-case letter and no lower- or title-case one.
fn py_isupper(word: &str) -> bool {
    let mut cased = false;
    for c in word.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// `token.strip(string.punctuation)`, unless that leaves two characters or fewer (then the
/// token was probably an emoticon such as ":)" and is kept whole).
fn strip_punc_if_word(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation());
    if stripped.chars().count() <= 2 {
        token
    } else {
        stripped
    }
}

/// Python's `round(x, digits)`: the nearest decimal with ties to even, on the exact binary value
/// (Rust's fixed-precision formatting rounds the same way).
fn py_round(x: f64, digits: usize) -> f64 {
    format!("{x:.digits$}").parse().unwrap_or(x)
}

/// The words of a text, original case and lower case side by side.
struct Words {
    words: Vec<String>,
    lower: Vec<String>,
    cap_differential: bool,
}

impl Words {
    fn new(text: &str) -> Words {
        let words: Vec<String> = text
            .split(py_space)
            .filter(|w| !w.is_empty())
            .map(|w| strip_punc_if_word(w).to_string())
            .collect();
        let lower = words.iter().map(|w| w.to_lowercase()).collect();
        let all_caps = words.iter().filter(|w| py_isupper(w)).count();
        let differential = words.len() - all_caps;
        Words {
            cap_differential: 0 < differential && differential < words.len(),
            words,
            lower,
        }
    }

    fn lower(&self, i: usize) -> &str {
        &self.lower[i]
    }
}

impl Default for Vader {
    fn default() -> Vader {
        Vader::new()
    }
}

impl Vader {
    pub fn new() -> Vader {
        let mut lexicon = HashMap::with_capacity(7600);
        for line in LEXICON.trim_end_matches('\n').split('\n') {
            if line.is_empty() {
                continue;
            }
            let mut fields = line.trim_matches(py_space).split('\t');
            if let (Some(word), Some(measure)) = (fields.next(), fields.next())
                && let Ok(measure) = measure.parse::<f64>()
            {
                lexicon.insert(word.to_string(), measure);
            }
        }
        let mut emojis = HashMap::with_capacity(3600);
        for line in EMOJI_LEXICON.trim_end_matches('\n').split('\n') {
            let mut fields = line.trim_matches(py_space).split('\t');
            if let (Some(emoji), Some(description)) = (fields.next(), fields.next()) {
                let mut chars = emoji.chars();
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    emojis.insert(c, description.to_string());
                }
            }
        }
        Vader { lexicon, emojis }
    }

    fn in_lexicon(&self, word_lower: &str) -> bool {
        self.lexicon.contains_key(word_lower)
    }

    /// `polarity_scores` of the reference.
    pub fn polarity(&self, text: &str) -> Polarity {
        let text = self.describe_emojis(text);
        let text = text.trim_matches(py_space);
        let words = Words::new(text);
        let n = words.words.len();
        let mut sentiments = Vec::with_capacity(n);
        for i in 0..n {
            let lower = words.lower(i);
            if booster(lower).is_some()
                || (i + 1 < n && lower == "kind" && words.lower(i + 1) == "of")
            {
                sentiments.push(0.0);
                continue;
            }
            sentiments.push(self.valence(&words, i));
        }
        but_check(&words, &mut sentiments);
        score_valence(&sentiments, text)
    }

    /// Emojis replaced by their descriptions ("😁" -> "beaming face with smiling eyes").
    fn describe_emojis(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut prev_space = true;
        for c in text.chars() {
            if let Some(description) = self.emojis.get(&c) {
                if !prev_space {
                    out.push(' ');
                }
                out.push_str(description);
                prev_space = false;
            } else {
                out.push(c);
                prev_space = c == ' ';
            }
        }
        out
    }

    /// `sentiment_valence` of the reference for word `i`.
    fn valence(&self, words: &Words, i: usize) -> f64 {
        let lower = words.lower(i);
        let Some(&lexical) = self.lexicon.get(lower) else {
            return 0.0;
        };
        let n = words.words.len();
        let mut valence = lexical;
        if lower == "no" && i != n - 1 && self.in_lexicon(words.lower(i + 1)) {
            valence = 0.0;
        }
        if (i > 0 && words.lower(i - 1) == "no")
            || (i > 1 && words.lower(i - 2) == "no")
            || (i > 2 && words.lower(i - 3) == "no" && matches!(words.lower(i - 1), "or" | "nor"))
        {
            valence = lexical * N_SCALAR;
        }
        if py_isupper(&words.words[i]) && words.cap_differential {
            if valence > 0.0 {
                valence += C_INCR;
            } else {
                valence -= C_INCR;
            }
        }
        for start in 0..3 {
            if i > start && !self.in_lexicon(words.lower(i - (start + 1))) {
                let mut scalar = scalar_inc_dec(words, i - (start + 1), valence);
                if start == 1 && scalar != 0.0 {
                    scalar *= 0.95;
                }
                if start == 2 && scalar != 0.0 {
                    scalar *= 0.9;
                }
                valence += scalar;
                valence = negation_check(valence, words, start, i);
                if start == 2 {
                    valence = special_idioms_check(valence, words, i);
                }
            }
        }
        self.least_check(valence, words, i)
    }

    fn least_check(&self, valence: f64, words: &Words, i: usize) -> f64 {
        if i > 1 && !self.in_lexicon(words.lower(i - 1)) && words.lower(i - 1) == "least" {
            if words.lower(i - 2) != "at" && words.lower(i - 2) != "very" {
                return valence * N_SCALAR;
            }
        } else if i > 0 && !self.in_lexicon(words.lower(i - 1)) && words.lower(i - 1) == "least" {
            return valence * N_SCALAR;
        }
        valence
    }
}

/// How a booster or dampener before a lexicon word changes it (`scalar_inc_dec`).
fn scalar_inc_dec(words: &Words, at: usize, valence: f64) -> f64 {
    let Some(mut scalar) = booster(words.lower(at)) else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar = -scalar;
    }
    if py_isupper(&words.words[at]) && words.cap_differential {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

/// `_negation_check`: a negation 1, 2 or 3 words before flips and damps the valence, with the
/// reference's exceptions ("never so good", "without a doubt").
fn negation_check(valence: f64, words: &Words, start: usize, i: usize) -> f64 {
    let w = |k: usize| words.lower(i - k);
    match start {
        0 if is_negation(w(1)) => valence * N_SCALAR,
        1 => {
            if w(2) == "never" && (w(1) == "so" || w(1) == "this") {
                valence * 1.25
            } else if w(2) == "without" && w(1) == "doubt" {
                valence
            } else if is_negation(w(2)) {
                valence * N_SCALAR
            } else {
                valence
            }
        }
        2 => {
            // The reference's operator precedence: (never and (so or this)) or (so or this).
            if (w(3) == "never" && (w(2) == "so" || w(2) == "this"))
                || (w(1) == "so" || w(1) == "this")
            {
                valence * 1.25
            } else if w(3) == "without" && (w(2) == "doubt" || w(1) == "doubt") {
                valence
            } else if is_negation(w(3)) {
                valence * N_SCALAR
            } else {
                valence
            }
        }
        _ => valence,
    }
}

/// `_special_idioms_check`, reached only for words with three words before them.
fn special_idioms_check(valence: f64, words: &Words, i: usize) -> f64 {
    let w = |k: usize| words.lower(k);
    let one_zero = format!("{} {}", w(i - 1), w(i));
    let two_one_zero = format!("{} {} {}", w(i - 2), w(i - 1), w(i));
    let two_one = format!("{} {}", w(i - 2), w(i - 1));
    let three_two_one = format!("{} {} {}", w(i - 3), w(i - 2), w(i - 1));
    let three_two = format!("{} {}", w(i - 3), w(i - 2));
    let mut valence = valence;
    for sequence in [
        &one_zero,
        &two_one_zero,
        &two_one,
        &three_two_one,
        &three_two,
    ] {
        if let Some(value) = special_case(sequence) {
            valence = value;
            break;
        }
    }
    let n = words.words.len();
    if n - 1 > i
        && let Some(value) = special_case(&format!("{} {}", w(i), w(i + 1)))
    {
        valence = value;
    }
    if n - 1 > i + 1
        && let Some(value) = special_case(&format!("{} {} {}", w(i), w(i + 1), w(i + 2)))
    {
        valence = value;
    }
    for n_gram in [&three_two_one, &three_two, &two_one] {
        if let Some(value) = booster(n_gram) {
            valence += value;
        }
    }
    valence
}

/// `_but_check`: words before the first "but" count half, words after it one and a half. The
/// reference finds each value's position with `list.index` (the first equal value), so a
/// value that repeats is scaled at its first position, possibly more than once; kept as is.
fn but_check(words: &Words, sentiments: &mut [f64]) {
    let Some(but) = words.lower.iter().position(|w| w == "but") else {
        return;
    };
    for k in 0..sentiments.len() {
        let sentiment = sentiments[k];
        let Some(si) = sentiments.iter().position(|&s| s == sentiment) else {
            continue;
        };
        if si < but {
            sentiments[si] = sentiment * 0.5;
        } else if si > but {
            sentiments[si] = sentiment * 1.5;
        }
    }
}

fn punctuation_emphasis(text: &str) -> f64 {
    let exclamations = text.matches('!').count().min(4);
    let questions = text.matches('?').count();
    let question_amplifier = match questions {
        0 | 1 => 0.0,
        2 | 3 => questions as f64 * 0.18,
        _ => 0.96,
    };
    exclamations as f64 * 0.292 + question_amplifier
}

/// `score_valence`: the compound score and the three proportions.
fn score_valence(sentiments: &[f64], text: &str) -> Polarity {
    if sentiments.is_empty() {
        return Polarity::default();
    }
    let mut sum: f64 = 0.0;
    for s in sentiments {
        sum += s;
    }
    let amplifier = punctuation_emphasis(text);
    if sum > 0.0 {
        sum += amplifier;
    } else if sum < 0.0 {
        sum -= amplifier;
    }
    let compound = (sum / (sum * sum + 15.0).sqrt()).clamp(-1.0, 1.0);
    let (mut pos_sum, mut neg_sum, mut neutral) = (0.0, 0.0, 0usize);
    for &s in sentiments {
        if s > 0.0 {
            pos_sum += s + 1.0;
        }
        if s < 0.0 {
            neg_sum += s - 1.0;
        }
        if s == 0.0 {
            neutral += 1;
        }
    }
    if pos_sum > neg_sum.abs() {
        pos_sum += amplifier;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= amplifier;
    }
    let total = pos_sum + neg_sum.abs() + neutral as f64;
    Polarity {
        neg: py_round((neg_sum / total).abs(), 3),
        neu: py_round((neutral as f64 / total).abs(), 3),
        pos: py_round((pos_sum / total).abs(), 3),
        compound: py_round(compound, 4),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples printed by the reference's own `__main__`, with the values it prints.
    #[test]
    fn reference_examples() {
        let cases = [
            (
                "VADER is smart, handsome, and funny.",
                0.0,
                0.254,
                0.746,
                0.8316,
            ),
            (
                "VADER is very smart, handsome, and funny.",
                0.0,
                0.299,
                0.701,
                0.8545,
            ),
            (
                "VADER is VERY SMART, handsome, and FUNNY!!!",
                0.0,
                0.233,
                0.767,
                0.9342,
            ),
            (
                "VADER is not smart, handsome, nor funny.",
                0.646,
                0.354,
                0.0,
                -0.7424,
            ),
            (
                "At least it isn't a horrible book.",
                0.0,
                0.678,
                0.322,
                0.431,
            ),
            (
                "Today only kinda sux! But I'll get by, lol",
                0.127,
                0.556,
                0.317,
                0.5249,
            ),
            ("Make sure you :) or :D today!", 0.0, 0.294, 0.706, 0.8633),
            ("Not bad at all", 0.0, 0.513, 0.487, 0.431),
            (
                "Catch utf-8 emoji such as 💘 and 💋 and 😁",
                0.0,
                0.583,
                0.417,
                0.875,
            ),
            (
                "The plot was good, but the characters are uncompelling and the dialog is not great.",
                0.327,
                0.579,
                0.094,
                -0.7042,
            ),
            ("", 0.0, 0.0, 0.0, 0.0),
        ];
        for (text, neg, neu, pos, compound) in cases {
            let p = vader().polarity(text);
            assert_eq!(
                (p.neg, p.neu, p.pos, p.compound),
                (neg, neu, pos, compound),
                "{text}"
            );
        }
    }

    #[test]
    fn python_rounding_and_predicates() {
        assert_eq!(py_round(0.03125, 3), 0.031);
        assert_eq!(py_round(0.5, 3), 0.5);
        assert!(py_isupper("SUX!"));
        assert!(!py_isupper("Sux"));
        assert!(!py_isupper(":)"));
        assert_eq!(strip_punc_if_word(":)"), ":)");
        assert_eq!(strip_punc_if_word("great!!"), "great");
        assert!(py_space('\u{1f}'));
    }
}

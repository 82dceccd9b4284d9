//! How numbers are written for people: short read-outs for charts and summary tables. Shared
//! by the panels and the CLI; no GUI here.

/// A number in few characters: integers as they are, others with three decimals; millions
/// and more (below 1e15) with one decimal and thousands separators ("1,135,500.3", not
/// "1.1355e6"); very large or very small ones in scientific notation.
pub fn short(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        format!("{v:.0}")
    } else if v.abs() >= 1e6 && v.abs() < 1e15 {
        thousands(&format!("{v:.1}"))
    } else if v.abs() >= 1e15 || v.abs() < 0.01 {
        format!("{v:.4e}")
    } else {
        format!("{v:.3}")
    }
}

/// A confidence (1 − the chance of what was seen if nothing were wrong) for people: "99.9%",
/// "over 99.99%", "certain" for an observed fact.
pub fn confidence(c: f64) -> String {
    if !c.is_finite() {
        "—".to_owned()
    } else if c >= 1.0 {
        "certain".to_owned()
    } else if c > 0.9999 {
        "over 99.99%".to_owned()
    } else if c >= 0.995 {
        format!("{:.2}%", c * 100.0)
    } else {
        format!("{:.1}%", c * 100.0)
    }
}

/// A number for a reader: whole with separators from 100 up ("5,176"), three significant digits
/// below ("0.0123"); never exponent notation between 1e-6 and 1e15.
pub fn readable(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_owned();
    }
    if (v.abs() >= 100.0 || v == v.trunc()) && v.abs() < 1e15 {
        let whole = thousands(&format!("{:.0}", v.abs()));
        return if v < 0.0 { format!("-{whole}") } else { whole };
    }
    if v == 0.0 || v.abs() >= 1e-6 {
        return significant(v, 3);
    }
    format!("{v:.2e}")
}

/// A share as a percentage with one decimal ("99.9%"); "—" when undefined (no rows to share).
pub fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{:.1}%", share * 100.0)
    } else {
        "—".to_owned()
    }
}

/// A probability for people: "12%" or "2.5%", "1 in 4,500", "under 1 in a billion" (never
/// exponent notation: "run chance 1.6015e-47" read as nothing to a room).
pub fn chance(p: f64) -> String {
    if !p.is_finite() || p < 0.0 {
        return "—".to_owned();
    }
    if p >= 0.1 {
        format!("{:.0}%", p * 100.0)
    } else if p >= 0.01 {
        format!("{:.1}%", p * 100.0)
    } else if p >= 1e-9 {
        // Two significant digits of the odds: 1 in 4,500, not 1 in 4,517.
        let odds = 1.0 / p;
        let step = 10f64.powi(odds.log10().floor() as i32 - 1).max(1.0);
        format!("1 in {}", whole(((odds / step).round() * step) as usize))
    } else {
        "under 1 in a billion".to_owned()
    }
}

/// A probability typed as `chance` writes it ("1 in 100,000", "2.5%") or as a number.
pub fn parse_chance(text: &str) -> Option<f64> {
    let t = text.trim();
    if let Some(n) = t.strip_prefix("1 in ") {
        let n: f64 = n.replace(',', "").trim().parse().ok()?;
        return (n >= 1.0).then(|| 1.0 / n);
    }
    if let Some(pc) = t.strip_suffix('%') {
        return pc.trim().parse::<f64>().ok().map(|v| v / 100.0);
    }
    t.parse().ok()
}

#[cfg(test)]
mod chance_tests {
    #[test]
    fn chances_read_as_people_say_them() {
        use super::{chance, parse_chance};
        assert_eq!(chance(0.5), "50%");
        assert_eq!(chance(0.025), "2.5%");
        assert_eq!(chance(1e-5), "1 in 100,000");
        assert_eq!(chance(1.0 / 4517.0), "1 in 4,500");
        assert_eq!(chance(1.6015e-47), "under 1 in a billion");
        assert_eq!(parse_chance("1 in 100,000"), Some(1e-5));
        assert_eq!(parse_chance("2.5%"), Some(0.025));
        assert_eq!(parse_chance("0.01"), Some(0.01));
    }
}

/// Column headings of a summary table, as pandas' describe names them.
pub const SUMMARY_HEADS: [&str; 12] = [
    "column", "dtype", "count", "nulls", "unique", "mean", "std", "min", "25%", "50%", "75%", "max",
];

/// One column's summary as the text of its row, in `SUMMARY_HEADS` order.
pub fn summary_cells(s: &crate::compute::stats::ColumnSummary) -> [String; 12] {
    let opt = |v: Option<f64>| v.map(short).unwrap_or_default();
    [
        s.column.clone(),
        s.dtype.clone(),
        s.count.to_string(),
        s.nulls.to_string(),
        s.unique.map(|u| u.to_string()).unwrap_or_default(),
        opt(s.mean),
        opt(s.std),
        opt(s.min),
        opt(s.q25),
        opt(s.median),
        opt(s.q75),
        opt(s.max),
    ]
}

/// A day number (days since 1970-01-01) as YYYY-MM-DD; empty when out of range.
pub fn date(day: f64) -> String {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::Duration::days(day.round() as i64)))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The first day of each month (or of each year, with `years`) from `from` to `to` (day
/// numbers), for date axes.
pub fn period_starts(from: f64, to: f64, years: bool) -> Vec<i32> {
    use chrono::Datelike;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1);
    let to_date =
        |d: f64| epoch.and_then(|e| e.checked_add_signed(chrono::Duration::days(d.floor() as i64)));
    let (Some(a), Some(b)) = (to_date(from), to_date(to)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = (a.year(), if years { 1 } else { a.month() });
    while let Some(start) = chrono::NaiveDate::from_ymd_opt(y, m, 1) {
        if start > b || out.len() > 600 {
            break;
        }
        if start >= a
            && let Some(e) = epoch
        {
            out.push((start - e).num_days() as i32);
        }
        if years || m == 12 {
            (y, m) = (y + 1, 1);
        } else {
            m += 1;
        }
    }
    out
}

/// A date axis label at a granularity that suits the axis' span: the year over about three
/// years, the month (with its year when the axis spans more than one) over two months, else
/// the day.
pub fn date_tick(day: f64, span_days: f64, one_year: bool) -> String {
    let Some(d) = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::Duration::days(day.round() as i64)))
    else {
        return String::new();
    };
    let pattern = if span_days > 1100.0 {
        "%Y"
    } else if span_days > 60.0 {
        if one_year { "%b" } else { "%b %Y" }
    } else {
        "%Y-%m-%d"
    };
    d.format(pattern).to_string()
}

/// A size in bytes for people: "812 B", "4.2 kB", "3.1 MB", "1.4 GB".
pub fn bytes(n: u64) -> String {
    let x = n as f64;
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} kB", x / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", x / 1e6),
        _ => format!("{:.1} GB", x / 1e9),
    }
}

/// A name as a file-name part: ASCII letters and digits kept (lower-cased), the rest `_`.
pub fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// `text` cut to at most `max` characters, saying how much was left out: a message never
/// echoes a whole 50 MB line.
pub fn bounded(text: &str, max: usize) -> String {
    let total = text.chars().count();
    if total <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max).collect();
    format!("{kept}… ({} more characters)", total - max)
}

/// How wide a cell of a plain-text table may be before it is cut with "…" (a 10 MB header line
/// is one column name).
pub(crate) const CELL_MAX: usize = 60;

/// `text` in a plain-text table column `width` characters wide: cut to `CELL_MAX` characters
/// with "…", then padded with spaces on the right (`left_aligned`) or the left. Written by hand
/// because `format!`'s width is limited to 65,535 and panics past it.
pub fn pad(text: &str, width: usize, left_aligned: bool) -> String {
    let cell = clip(text);
    let fill = " ".repeat(width.saturating_sub(cell.chars().count()));
    if left_aligned {
        cell + &fill
    } else {
        fill + &cell
    }
}

/// `text` cut to `CELL_MAX` characters, the last one "…" when cut.
pub fn clip(text: &str) -> String {
    if text.chars().count() <= CELL_MAX {
        return text.to_owned();
    }
    let mut kept: String = text.chars().take(CELL_MAX - 1).collect();
    kept.push('…');
    kept
}

/// The width of a plain-text table column holding `cells` (each as `pad` cuts it), at least
/// `min`.
pub fn column_width<'a>(cells: impl IntoIterator<Item = &'a str>, min: usize) -> usize {
    cells
        .into_iter()
        .map(|c| c.chars().count().min(CELL_MAX))
        .max()
        .unwrap_or(0)
        .max(min)
}

/// Up to `max` names joined by ", ", then "and N more".
pub(crate) fn name_list<'a>(names: impl IntoIterator<Item = &'a str>, max: usize) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let shown: Vec<String> = names.iter().take(max).map(|n| bounded(n, 40)).collect();
    let mut out = shown.join(", ");
    if names.len() > max {
        out.push_str(&format!(" and {} more", names.len() - max));
    }
    out
}

/// A number to `digits` significant digits ("0.000123", "12.3", "1,230" stays "1230").
pub fn significant(v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let magnitude = v.abs().log10().floor() as i32;
    if !(-5..=8).contains(&magnitude) {
        return format!("{v:.*e}", digits.saturating_sub(1));
    }
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    format!("{v:.decimals$}")
}

/// A p value as papers write it: "< 0.001" below a thousandth, else three decimals.
pub fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "—".into()
    } else if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("{p:.3}")
    }
}

/// A span of minutes in the largest whole unit: "15 min", "2 h", "1 day".
pub fn minutes(m: u32) -> String {
    if m >= 1440 && m.is_multiple_of(1440) {
        let d = m / 1440;
        format!("{d} day{}", if d == 1 { "" } else { "s" })
    } else if m >= 60 && m.is_multiple_of(60) {
        format!("{} h", m / 60)
    } else {
        format!("{m} min")
    }
}

/// Milliseconds since 1970 UTC as "YYYY-MM-DD HH:MM".
pub fn time_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// An axis tick: as many decimals as the step between ticks needs (steps of 0.05 give two, so
/// 0.15 and 0.2 do not both read "0.2"), thousands separated from 10,000 up, and no "-0".
pub fn tick(value: f64, step: f64) -> String {
    let decimals = if step.is_finite() && step > 0.0 {
        ((-step.log10()) - 1e-9).ceil().clamp(0.0, 10.0) as usize
    } else {
        3
    };
    let value = if value.abs() < step.abs() * 1e-6 {
        0.0
    } else {
        value
    };
    let text = format!("{value:.decimals$}");
    if value.abs() < 10_000.0 {
        return text;
    }
    thousands(&text)
}

/// A formatted number ("-1234567.5") with its whole part grouped by thousands ("-1,234,567.5").
fn thousands(text: &str) -> String {
    let (int, frac) = text
        .split_once('.')
        .map_or((text, None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A count with thousands separators: "328,455".
pub fn whole(n: usize) -> String {
    thousands(&n.to_string())
}

/// "1 borough", "3 boroughs": a count with its noun (plural by adding "s").
pub fn count_of(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A cell's text: floats in plain decimal (polars' own display switches to scientific notation
/// from a million on, which reads badly in a table of money), everything else as polars shows it.
pub fn cell(v: &polars::prelude::AnyValue<'_>) -> String {
    let float = |x: f64| {
        if x != 0.0 && !(1e-5..1e15).contains(&x.abs()) {
            format!("{x:e}")
        } else if x.fract() == 0.0 {
            format!("{x:.1}")
        } else {
            format!("{x}")
        }
    };
    match v {
        polars::prelude::AnyValue::Float64(x) => float(*x),
        polars::prelude::AnyValue::Float32(x) => float(f64::from(*x)),
        other => other.to_string(),
    }
}

/// A message on one line, at most 1,000 characters (how the command line and the Python wheel
/// give errors).
pub fn one_line(s: &str) -> String {
    bounded(&s.split_whitespace().collect::<Vec<_>>().join(" "), 1000)
}

#[cfg(test)]
mod tests {
    #[test]
    fn confidences_and_readable_numbers() {
        assert_eq!(super::confidence(1.0), "certain");
        assert_eq!(super::confidence(0.999_999), "over 99.99%");
        assert_eq!(super::confidence(0.9971), "99.71%");
        assert_eq!(super::confidence(0.8), "80.0%");
        assert_eq!(super::readable(5176.122), "5,176");
        assert_eq!(super::readable(-1_234_567.8), "-1,234,568");
        assert_eq!(super::readable(0.012345), "0.0123");
        assert_eq!(super::readable(42.5), "42.5");
        assert_eq!(super::readable(35.0), "35");
    }

    #[test]
    fn millions_read_with_separators_not_exponents() {
        assert_eq!(super::short(1_135_500.25), "1,135,500.2");
        assert_eq!(super::short(-12_345_678.9), "-12,345,678.9");
        assert_eq!(super::short(2_000_000.0), "2000000");
        assert_eq!(super::short(1234.5678), "1234.568");
        assert_eq!(super::short(2.5e-7), "2.5000e-7");
        assert_eq!(super::short(3.2e20), "3.2000e20");
    }

    #[test]
    fn ticks_carry_the_decimals_their_step_needs() {
        use super::tick;
        assert_eq!(
            [tick(0.15, 0.05), tick(0.2, 0.05), tick(0.25, 0.05)],
            ["0.15", "0.20", "0.25"]
        );
        assert_eq!(tick(0.3, 0.1), "0.3");
        assert_eq!(tick(65_000.0, 5000.0), "65,000");
        assert_eq!(tick(-1e-17, 0.2), "0.0");
        assert_eq!(tick(1500.0, 500.0), "1500");
        assert_eq!(super::significant(0.000_123_4, 3), "0.000123");
        assert_eq!(super::p_value(0.0004), "< 0.001");
        assert_eq!(super::minutes(180), "3 h");
    }

    #[test]
    fn short_numbers() {
        assert_eq!(super::short(42.0), "42");
        assert_eq!(super::short(2.71234), "2.712");
        assert_eq!(super::short(-1.6), "-1.600");
        assert_eq!(super::short(1234567.891), "1,234,567.9");
        assert_eq!(super::short(0.000123), "1.2300e-4");
    }

    #[test]
    fn date_ticks_follow_the_span() {
        use super::{date, date_tick, period_starts};
        // 2017-02-01 is day 17198.
        assert_eq!(date_tick(17198.0, 365.0, true), "Feb");
        assert_eq!(date_tick(17198.0, 400.0, false), "Feb 2017");
        assert_eq!(date_tick(17198.0, 2000.0, false), "2017");
        assert_eq!(date_tick(17198.0, 30.0, true), "2017-02-01");
        let starts = period_starts(17198.0 - 10.0, 17198.0 + 70.0, false);
        assert_eq!(
            starts
                .iter()
                .map(|d| date(f64::from(*d)))
                .collect::<Vec<_>>(),
            ["2017-02-01", "2017-03-01", "2017-04-01"]
        );
        assert_eq!(period_starts(17198.0, 17198.0 + 800.0, true).len(), 2);
    }
}

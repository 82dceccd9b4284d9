//! Holidays for the forecast model, as Prophet takes them: a table of dates and names, each
//! name one effect (an indicator on its dates, fitted with the other terms). The US federal
//! calendar is bundled as rules (fixed dates moved to the nearest weekday when they fall on a
//! weekend, as the federal government observes them; Monday and Thursday holidays by their
//! week), so no file is needed and any year works.

use chrono::{Datelike, NaiveDate, Weekday};

/// Holiday dates grouped by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Holidays {
    /// (name, its days since 1970 in ascending order), names sorted.
    pub by_name: Vec<(String, Vec<i32>)>,
}

/// Names a holiday table may hold, and days per table (a century of a calendar is ~1,100).
pub const MAX_NAMES: usize = 500;
pub const MAX_DAYS: usize = 100_000;

fn day_number(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from((d - epoch).num_days()).unwrap_or(0)
}

/// The `n`th (1-based) `weekday` of a month; `n = 0` is the last.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u32) -> Option<NaiveDate> {
    if n == 0 {
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let mut d = next.pred_opt()?;
        while d.weekday() != weekday {
            d = d.pred_opt()?;
        }
        return Some(d);
    }
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, u8::try_from(n).ok()?)
}

/// A fixed date as observed: Saturday → Friday, Sunday → Monday.
fn observed(d: NaiveDate) -> Option<NaiveDate> {
    match d.weekday() {
        Weekday::Sat => d.pred_opt(),
        Weekday::Sun => d.succ_opt(),
        _ => Some(d),
    }
}

/// The US federal holidays of `years` (observed dates; Juneteenth from 2021).
pub fn us_federal(years: std::ops::RangeInclusive<i32>) -> Holidays {
    let mut rows: Vec<(&str, NaiveDate)> = Vec::new();
    for y in years {
        let fixed = |m, d| NaiveDate::from_ymd_opt(y, m, d).and_then(observed);
        let nth = |m, w, n| nth_weekday(y, m, w, n);
        let mut add = |name, d: Option<NaiveDate>| {
            if let Some(d) = d {
                rows.push((name, d));
            }
        };
        add("New Year's Day", fixed(1, 1));
        add("Martin Luther King Jr. Day", nth(1, Weekday::Mon, 3));
        add("Washington's Birthday", nth(2, Weekday::Mon, 3));
        add("Memorial Day", nth(5, Weekday::Mon, 0));
        if y >= 2021 {
            add("Juneteenth", fixed(6, 19));
        }
        add("Independence Day", fixed(7, 4));
        add("Labor Day", nth(9, Weekday::Mon, 1));
        add("Columbus Day", nth(10, Weekday::Mon, 2));
        add("Veterans Day", fixed(11, 11));
        add("Thanksgiving", nth(11, Weekday::Thu, 4));
        add("Christmas Day", fixed(12, 25));
    }
    Holidays::from_rows(rows.into_iter().map(|(n, d)| (n.to_owned(), day_number(d))))
}

impl Holidays {
    pub fn from_rows(rows: impl IntoIterator<Item = (String, i32)>) -> Holidays {
        let mut map: std::collections::BTreeMap<String, Vec<i32>> = Default::default();
        for (name, day) in rows {
            map.entry(name).or_default().push(day);
        }
        Holidays {
            by_name: map
                .into_iter()
                .map(|(n, mut d)| {
                    d.sort_unstable();
                    d.dedup();
                    (n, d)
                })
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// The names whose dates fall in `first..=last` (the others cannot be fitted).
    pub fn within(&self, first: i32, last: i32) -> Holidays {
        Holidays {
            by_name: self
                .by_name
                .iter()
                .filter(|(_, d)| d.iter().any(|&x| x >= first && x <= last))
                .cloned()
                .collect(),
        }
    }

    /// 1 for each name whose dates include `day`, in `by_name` order.
    pub(crate) fn indicators(&self, day: i32, row: &mut Vec<f64>) {
        row.extend(
            self.by_name
                .iter()
                .map(|(_, d)| f64::from(u8::from(d.binary_search(&day).is_ok()))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> i32 {
        day_number(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    /// Against the US Office of Personnel Management's published federal holidays.
    #[test]
    fn the_federal_calendar_matches_opm() {
        let h = us_federal(2021..=2023);
        let days = |name: &str| {
            h.by_name
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, d)| d.clone())
                .unwrap()
        };
        // OPM 2021: New Year's Day Fri Jan 1; Independence Day observed Mon Jul 5; Christmas
        // observed Fri Dec 24; Juneteenth observed Fri Jun 18; Thanksgiving Nov 25.
        assert!(days("New Year's Day").contains(&date(2021, 1, 1)));
        assert!(days("Independence Day").contains(&date(2021, 7, 5)));
        assert!(days("Christmas Day").contains(&date(2021, 12, 24)));
        assert!(days("Juneteenth").contains(&date(2021, 6, 18)));
        assert!(days("Thanksgiving").contains(&date(2021, 11, 25)));
        // 2022: New Year's Day 2022 fell on a Saturday: observed Fri Dec 31, 2021. MLK Jan 17,
        // Washington's Birthday Feb 21, Memorial Day May 30, Labor Day Sep 5, Columbus Day
        // Oct 10, Veterans Day Fri Nov 11, Christmas observed Mon Dec 26.
        assert!(days("New Year's Day").contains(&date(2021, 12, 31)));
        assert!(days("Martin Luther King Jr. Day").contains(&date(2022, 1, 17)));
        assert!(days("Washington's Birthday").contains(&date(2022, 2, 21)));
        assert!(days("Memorial Day").contains(&date(2022, 5, 30)));
        assert!(days("Labor Day").contains(&date(2022, 9, 5)));
        assert!(days("Columbus Day").contains(&date(2022, 10, 10)));
        assert!(days("Veterans Day").contains(&date(2022, 11, 11)));
        assert!(days("Christmas Day").contains(&date(2022, 12, 26)));
        assert_eq!(h.len(), 11);
        assert_eq!(days("Memorial Day").len(), 3);
        // No Juneteenth before 2021.
        let before = us_federal(2019..=2020);
        assert!(before.by_name.iter().all(|(n, _)| n != "Juneteenth"));
    }

    #[test]
    fn indicators_mark_each_names_dates() {
        let h = Holidays::from_rows([
            ("b".to_owned(), 10),
            ("a".to_owned(), 12),
            ("a".to_owned(), 3),
        ]);
        let mut row = Vec::new();
        h.indicators(12, &mut row);
        h.indicators(10, &mut row);
        h.indicators(11, &mut row);
        assert_eq!(row, [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        assert_eq!(h.within(11, 20).len(), 1);
    }
}

//! Labelled time series: the UCR archive's `.ts` format (sktime's: `#` comments, `@` header
//! lines, then one series a line as comma-separated values and `:label`).

use std::path::Path;

use super::error::{DataError, DataResult};

/// Series with one label each (labels may be empty when the file has none).
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledSeries {
    pub labels: Vec<String>,
    pub series: Vec<Vec<f64>>,
}

/// Read a UCR `.ts` file.
pub fn read_ts(path: &Path) -> DataResult<LabelledSeries> {
    let bytes = super::read_regular(path)?;
    if bytes.is_empty() {
        return Err(DataError::Empty(path.to_owned()));
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| DataError::NotUtf8 {
        path: path.to_owned(),
        offset: e.valid_up_to(),
    })?;
    parse_ts(path, text)
}

/// Parse `.ts` text already in memory (the embedded GunPoint samples); `name` is for errors.
pub fn parse_ts(path: &Path, text: &str) -> DataResult<LabelledSeries> {
    let bad = |line: usize, detail: String| DataError::Malformed {
        path: path.to_owned(),
        line,
        detail,
    };
    let mut labelled = true;
    // The labels the header declares (`@classLabel true 1 2`), when it lists them.
    let mut declared: Vec<String> = Vec::new();
    let mut in_data = false;
    let mut out = LabelledSeries {
        labels: Vec::new(),
        series: Vec::new(),
    };
    for (k, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let no = k + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('@') {
            let lower = header.to_ascii_lowercase();
            if lower.starts_with("classlabel") {
                labelled = lower.split_whitespace().nth(1) == Some("true");
                declared = header
                    .split_whitespace()
                    .skip(2)
                    .map(str::to_owned)
                    .collect();
            } else if lower.starts_with("data") {
                in_data = true;
            }
            continue;
        }
        if !in_data {
            return Err(bad(no, "data before the @data line".to_owned()));
        }
        let (values, label) = match (labelled, line.rsplit_once(':')) {
            (true, Some((v, l))) => (v, l.trim().to_owned()),
            (true, None) => return Err(bad(no, "no ':label' at the end of the series".into())),
            (false, _) => (line, String::new()),
        };
        if values.contains(':') {
            return Err(bad(no, "multivariate series are not supported".to_owned()));
        }
        if labelled && !declared.is_empty() && !declared.contains(&label) {
            return Err(bad(
                no,
                format!(
                    "label '{label}' is not one of the header's @classLabel list ({})",
                    declared.join(", ")
                ),
            ));
        }
        let series = values
            .split(',')
            .map(|v| {
                let v = v.trim();
                match v.parse::<f64>() {
                    Ok(x) if x.is_finite() => Ok(x),
                    _ if v == "?" || v.eq_ignore_ascii_case("nan") => {
                        Err(bad(no, "missing values are not supported".to_owned()))
                    }
                    _ => Err(bad(no, format!("'{v}' is not a number"))),
                }
            })
            .collect::<DataResult<Vec<f64>>>()?;
        out.series.push(series);
        out.labels.push(label);
    }
    if out.series.is_empty() {
        return Err(bad(
            text.lines().count(),
            "no series after @data".to_owned(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_labelled_series() {
        let t = "# c\n@problemName X\n@classLabel true 1 2\n@data\n1,2,3:1\n4.5, -6 ,7:2\n";
        let s = parse_ts(Path::new("x.ts"), t).unwrap();
        assert_eq!(s.labels, vec!["1", "2"]);
        assert_eq!(s.series, vec![vec![1.0, 2.0, 3.0], vec![4.5, -6.0, 7.0]]);
    }

    #[test]
    fn names_the_line_of_a_bad_value() {
        let t = "@classLabel true 1\n@data\n1,2:1\n1,x:1\n";
        let e = parse_ts(Path::new("bad.ts"), t).unwrap_err().to_string();
        assert_eq!(e, "bad.ts: line 4: 'x' is not a number");
        let e = parse_ts(Path::new("m.ts"), "@data\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no series"), "{e}");
    }
}

//! A stock run's charts: lost sales per store and week (heat map), alerts by kind and lost
//! revenue by store (bars), and one alert's two charts (on-hand; sales against expected).

use super::StockOutput;
use super::tables::{Cell, Summary, summary};
use crate::chart::{Band, Chart, Line};
use crate::compute::stock::{Alert, Kind, view_series};

/// What a loss is counted in: revenue when the table has prices, else units.
struct Loss {
    revenue: bool,
}

impl Loss {
    fn of(out: &StockOutput) -> Self {
        Self {
            revenue: out.lost_revenue().is_some(),
        }
    }

    fn label(&self) -> &'static str {
        if self.revenue {
            "lost revenue"
        } else {
            "lost units"
        }
    }

    fn value(&self, c: &Cell) -> f64 {
        if self.revenue {
            c.lost_revenue
        } else {
            c.lost_units
        }
    }
}

/// The summary view's charts, from one pass over the alerts: the heat map, alerts by kind,
/// and stores by loss.
pub fn summary_charts(out: &StockOutput) -> [Chart; 3] {
    let s = summary(out);
    let loss = Loss::of(out);
    [heatmap_of(&s, &loss), by_kind(out), by_store_of(&s, &loss)]
        .map(|c| c.with_source(out.name.clone()))
}

/// Lost revenue (or units, without prices) per store and week.
fn heatmap_of(s: &Summary, loss: &Loss) -> Chart {
    let values: Vec<f64> = s.cells.iter().map(|c| loss.value(c)).collect();
    let what = loss.label();
    let mut title = format!("{what} per store and week");
    title[..1].make_ascii_uppercase();
    Chart::heatmap(
        title,
        "week",
        what,
        s.stores.clone(),
        s.weeks
            .iter()
            .map(|&w| crate::format::date(f64::from(w)))
            .collect(),
        values,
    )
}

/// How many alerts of each kind.
fn by_kind(out: &StockOutput) -> Chart {
    Chart {
        y_label: "alerts".into(),
        ..Chart::bars(
            "Alerts by kind",
            "kind",
            Kind::ALL.iter().map(|k| k.title().to_owned()).collect(),
            out.counts().iter().map(|&n| n as f64).collect(),
        )
    }
}

/// Lost revenue (or units) per store, largest first, the top 20.
fn by_store_of(s: &Summary, loss: &Loss) -> Chart {
    let nw = s.weeks.len().max(1);
    let mut totals: Vec<(String, f64)> = s
        .stores
        .iter()
        .zip(s.cells.chunks(nw))
        .map(|(name, cells)| (name.clone(), cells.iter().map(|c| loss.value(c)).sum()))
        .collect();
    totals.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    totals.truncate(20);
    let what = loss.label();
    Chart {
        y_label: what.into(),
        ..Chart::bars(
            format!("Stores by {what} (top 20)"),
            "store",
            totals.iter().map(|t| t.0.clone()).collect(),
            totals.iter().map(|t| t.1).collect(),
        )
    }
}

/// One alert's charts: reported and expected on-hand with the safety stock and receipts, and
/// sales against expected sales with its band; the alert's window shaded on both.
fn alert_charts_of(out: &StockOutput, alert: &Alert) -> [Chart; 2] {
    let s = out.series_of(alert);
    let v = view_series(s, &out.thresholds);
    let pts = |ys: &[f64]| -> Vec<(f64, f64)> {
        v.days
            .iter()
            .zip(ys)
            .filter(|(_, y)| y.is_finite())
            .map(|(&d, &y)| (f64::from(d), y))
            .collect()
    };
    let window = (f64::from(alert.start), f64::from(alert.end + 1));
    let label = format!("{} alert", alert.kind.title().to_lowercase());
    let mut on_hand_lines = vec![
        Line::new("reported on-hand", pts(&v.on_hand)),
        Line::new("expected on-hand", pts(&v.expected_on_hand)),
    ];
    if let Some(safety) = &v.safety {
        let (a, b) = (v.days.first(), v.days.last());
        if let (Some(&a), Some(&b)) = (a, b) {
            on_hand_lines.push(Line::new(
                format!(
                    "safety stock ({})",
                    if safety.given { "given" } else { "computed" }
                ),
                vec![
                    (f64::from(a), safety.threshold),
                    (f64::from(b), safety.threshold),
                ],
            ));
        }
    }
    on_hand_lines.push(Line::dots(
        "receipts",
        v.receipts.iter().map(|&(d, q)| (f64::from(d), q)).collect(),
    ));
    let title = format!("{} · {}", s.store, s.sku);
    let on_hand = Chart::lines(
        format!("{title}: on-hand"),
        "date",
        "units",
        on_hand_lines,
        Vec::new(),
    )
    .dated()
    .with_span(label.clone(), window.0, window.1);
    let source = v.source.map_or("expected sales", |s| s.legend());
    let sales = Chart::lines(
        format!("{title}: sales"),
        "date",
        "units sold",
        vec![
            Line::new(source, pts(&v.expected)),
            Line::dots("units sold", pts(&v.sold)),
        ],
        Vec::new(),
    )
    .dated()
    .with_band(Band {
        name: "90% band (Poisson)".into(),
        line: 0,
        points: v
            .days
            .iter()
            .zip(v.lower.iter().zip(&v.upper))
            .filter(|(_, (lo, hi))| lo.is_finite() && hi.is_finite())
            .map(|(&d, (&lo, &hi))| (f64::from(d), lo, hi))
            .collect(),
    })
    .with_span(label, window.0, window.1);
    [on_hand, sales]
}

/// One alert's on-hand and sales charts, noting the table they come from.
pub fn alert_charts(out: &StockOutput, alert: &Alert) -> [Chart; 2] {
    alert_charts_of(out, alert).map(|c| c.with_source(out.name.clone()))
}

//! Charts drawn on the server as inline SVG: no script, no library, readable
//! by screen readers through their title and a table beside them. Colours
//! are presentation attributes (the CSP forbids inline `style`).

use std::fmt::Write as _;

use crate::i18n::Tr;

/// A band of a methodology on the 0–100 scale.
#[derive(Debug, Clone)]
pub struct BandArea {
    pub min: f64,
    pub max: f64,
    pub zone: String,
}

/// One period of a score history.
#[derive(Debug, Clone)]
pub struct ScorePoint {
    pub year: i64,
    pub total: f64,
    pub methodology: String,
    pub bands: Vec<BandArea>,
}

fn zone_fill(zone: &str) -> &'static str {
    match zone {
        "GREEN" => "#cfe8d5",
        "YELLOW" => "#fbefb3",
        "RED" => "#f6d0cd",
        _ => "#eeeeee",
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Opens a chart of `width` × `height` titled `title` (the title's element `id`).
fn open_chart(out: &mut String, (width, height): (f64, f64), id: &str, title: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}" xmlns="http://www.w3.org/2000/svg"><title id="{id}">{}</title>"#,
        escape(title)
    );
}

/// A grid line across the plot (from `left` to `right`) at height `y`, labelled at its left.
fn grid_line(out: &mut String, (left, right): (f64, f64), y: f64, label: &str) {
    let _ = write!(
        out,
        r##"<line x1="{left}" x2="{right:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#8a8a8a" stroke-width="0.5"/><text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end" fill="#1a1a1a">{label}</text>"##,
        left - 6.0,
        y + 4.0,
    );
}

/// The score history: periods on the x axis, each period's bands shaded in
/// their zone's colour, the line of totals, and a mark where the method changed.
pub fn score_history(t: Tr, points: &[ScorePoint]) -> String {
    if points.is_empty() {
        return String::new();
    }
    let (width, height) = (640.0_f64, 280.0_f64);
    let (left, right, top, bottom) = (44.0, 16.0, 16.0, 40.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let step = plot_w / points.len() as f64;
    let y = |v: f64| top + plot_h * (1.0 - (v.clamp(0.0, 100.0) / 100.0));
    let x = |i: usize| left + step * (i as f64 + 0.5);
    let mut out = String::new();
    let title = t.m("chart-score-title");
    open_chart(&mut out, (width, height), "score-chart-title", &title);
    for (i, point) in points.iter().enumerate() {
        let x0 = left + step * i as f64;
        for band in &point.bands {
            let top_y = y(band.max);
            let h = (y(band.min) - top_y).max(0.0);
            let _ = write!(
                out,
                r#"<rect x="{x0:.1}" y="{top_y:.1}" width="{step:.1}" height="{h:.1}" fill="{}"/>"#,
                zone_fill(&band.zone)
            );
        }
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" font-size="13" text-anchor="middle" fill="#1a1a1a">{}</text>"##,
            x(i),
            height - bottom + 18.0,
            point.year
        );
    }
    for v in [0.0, 25.0, 50.0, 75.0, 100.0] {
        grid_line(&mut out, (left, width - right), y(v), &t.num(v, 0));
    }
    // The change of method: a dashed line between the two periods, labelled.
    for i in 1..points.len() {
        if points[i].methodology != points[i - 1].methodology {
            let mx = left + step * i as f64;
            let label = t.a(
                "chart-method-change",
                &[
                    ("from", &points[i - 1].methodology),
                    ("to", &points[i].methodology),
                ],
            );
            let _ = write!(
                out,
                r##"<line x1="{mx:.1}" x2="{mx:.1}" y1="{top}" y2="{:.1}" stroke="#1a1a1a" stroke-width="2" stroke-dasharray="6 4"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#1a1a1a">{}</text>"##,
                height - bottom,
                mx + 4.0,
                height - bottom - 8.0,
                escape(&label)
            );
        }
    }
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.total)))
        .collect();
    let _ = write!(
        out,
        r##"<polyline points="{}" fill="none" stroke="#0b5394" stroke-width="3"/>"##,
        line.join(" ")
    );
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            out,
            r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="#0b5394"/><text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="#1a1a1a">{}</text>"##,
            x(i),
            y(p.total),
            x(i),
            y(p.total) - 10.0,
            t.num(p.total, 2)
        );
    }
    out.push_str("</svg>");
    out
}

/// A small trend line (the last periods' totals) for a table cell.
pub fn sparkline(t: Tr, values: &[f64]) -> String {
    if values.len() < 2 {
        return String::new();
    }
    let (w, h) = (80.0_f64, 24.0_f64);
    let step = w / (values.len() - 1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                step * i as f64,
                2.0 + (h - 4.0) * (1.0 - v.clamp(0.0, 100.0) / 100.0)
            )
        })
        .collect();
    let label = values
        .iter()
        .map(|v| t.num(*v, 2))
        .collect::<Vec<_>>()
        .join(" → ");
    format!(
        r##"<svg class="spark" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><polyline points="{}" fill="none" stroke="#0b5394" stroke-width="2"/></svg>"##,
        escape(&label),
        points.join(" ")
    )
}

/// One week of an agreement's action items.
#[derive(Debug, Clone)]
pub struct Week {
    pub label: String,
    pub open: i64,
    pub overdue: i64,
}

/// The burn-down: items still open at the end of each week, and the overdue among them.
pub fn burn_down(t: Tr, weeks: &[Week]) -> String {
    if weeks.is_empty() {
        return String::new();
    }
    let (width, height) = (640.0_f64, 240.0_f64);
    let (left, right, top, bottom) = (40.0, 16.0, 16.0, 48.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let max = weeks
        .iter()
        .map(|w| w.open.max(w.overdue))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let step = if weeks.len() > 1 {
        plot_w / (weeks.len() - 1) as f64
    } else {
        plot_w
    };
    let x = |i: usize| left + step * i as f64;
    let y = |v: i64| top + plot_h * (1.0 - v as f64 / max);
    let mut out = String::new();
    open_chart(
        &mut out,
        (width, height),
        "burn-title",
        &t.m("chart-burn-title"),
    );
    let ticks = [0, (max / 2.0).round() as i64, max as i64];
    for v in ticks {
        grid_line(&mut out, (left, width - right), y(v), &t.int(v));
    }
    let line = |f: &dyn Fn(&Week) -> i64| {
        weeks
            .iter()
            .enumerate()
            .map(|(i, w)| format!("{:.1},{:.1}", x(i), y(f(w))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = write!(
        out,
        r##"<polyline points="{}" fill="none" stroke="#0b5394" stroke-width="3"/><polyline points="{}" fill="none" stroke="#b3261e" stroke-width="2" stroke-dasharray="5 3"/>"##,
        line(&|w| w.open),
        line(&|w| w.overdue)
    );
    let every = weeks.len().div_ceil(6).max(1);
    for (i, w) in weeks.iter().enumerate() {
        if i % every == 0 || i + 1 == weeks.len() {
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#1a1a1a">{}</text>"##,
                x(i),
                height - bottom + 16.0,
                escape(&w.label)
            );
        }
    }
    let _ = write!(
        out,
        r##"<rect x="{left}" y="{:.1}" width="12" height="4" fill="#0b5394"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#1a1a1a">{}</text><rect x="{:.1}" y="{:.1}" width="12" height="4" fill="#b3261e"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#1a1a1a">{}</text>"##,
        height - 12.0,
        left + 16.0,
        height - 8.0,
        escape(&t.m("chart-burn-open")),
        left + 180.0,
        height - 12.0,
        left + 196.0,
        height - 8.0,
        escape(&t.m("chart-burn-overdue"))
    );
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_method_change_is_marked_between_the_two_methods() {
        let t = Tr::new(Lang::Id);
        let bands = vec![BandArea {
            min: 0.0,
            max: 50.0,
            zone: "RED".into(),
        }];
        let points = vec![
            ScorePoint {
                year: 2021,
                total: 60.5,
                methodology: "KSP-2021".into(),
                bands: bands.clone(),
            },
            ScorePoint {
                year: 2022,
                total: 70.25,
                methodology: "PKP-2022".into(),
                bands,
            },
        ];
        let svg = score_history(t, &points);
        assert!(svg.contains("KSP-2021") && svg.contains("PKP-2022"));
        assert!(svg.contains("stroke-dasharray=\"6 4\""));
        assert!(svg.contains("70,25"), "numbers in Indonesian: {svg}");
        assert!(svg.contains("#f6d0cd"), "the red band is shaded");
        assert!(!svg.contains("style="), "no inline style under the CSP");
    }
}

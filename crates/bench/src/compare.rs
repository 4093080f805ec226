//! The three engines' answers to the district-board question, brought to one
//! shape so that they can be compared in substance: the district's name and
//! zone, its own scores per year (total in hundredths, band), its open /
//! overdue / verified counts, its number of OPDs and its first OPDs with their
//! scores and open / overdue counts.

use serde_json::{Value, json};

fn int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f.round() as i64)),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A score: `[year, total in hundredths, band]`, sorted by year.
fn scores(list: Option<&Value>, year: &str, total: &str, band: &str, scale: f64) -> Value {
    let mut out: Vec<(i64, i64, String)> = list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|s| {
            let year = s.pointer(year).and_then(int).unwrap_or_default();
            let total = s
                .get(total)
                .and_then(Value::as_f64)
                .map_or(-1, |t| (t * scale).round() as i64);
            let band = s.get(band).and_then(Value::as_str).unwrap_or("").to_owned();
            (year, total, band)
        })
        .collect();
    out.sort();
    json!(out)
}

/// A zone as Pendamping names it (`WIB`, `WITA`, `WIT`) from a database's `time_zone`.
fn zone(value: &Value) -> Value {
    match value.as_str() {
        Some("Asia/Jakarta" | "Asia/Pontianak") => json!("WIB"),
        Some("Asia/Makassar") => json!("WITA"),
        Some("Asia/Jayapura") => json!("WIT"),
        _ => value.clone(),
    }
}

fn count(value: Option<&Value>) -> Value {
    json!(value.and_then(int))
}

/// Each OPD of `list` (none when it is not a list) as both answers are
/// compared: its name, and its scores, open and overdue counts as `read`
/// finds them.
fn opd_rows(list: &Value, read: impl Fn(&Value) -> [Value; 3]) -> Vec<Value> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            let [scores, open, overdue] = read(o);
            json!({ "name": o["name"], "scores": scores, "open": open, "overdue": overdue })
        })
        .collect()
}

/// Where a GraphQL engine's answer holds each part of the question.
struct Shape {
    district: &'static str,
    scores: &'static str,
    total: &'static str,
    /// What turns the engine's total into hundredths.
    scale: f64,
    open: &'static str,
    overdue: &'static str,
    verified: &'static str,
}

/// Pendamping's answer to `reduced.graphql`.
pub fn pendamping(answer: &Value) -> Value {
    graphql(
        answer,
        &Shape {
            district: "/data/node",
            scores: "/scoreHistory",
            total: "total",
            scale: 100.0,
            open: "/actionItemStats/open",
            overdue: "/actionItemStats/overdue",
            verified: "/actionItemStats/verified",
        },
    )
}

/// PostGraphile's answer to `postgraphile5.graphql`.
pub fn postgraphile(answer: &Value) -> Value {
    graphql(
        answer,
        &Shape {
            district: "/data/district",
            scores: "/scores/nodes",
            total: "totalHundredths",
            scale: 1.0,
            open: "/open/totalCount",
            overdue: "/overdue/totalCount",
            verified: "/verified/totalCount",
        },
    )
}

fn graphql(answer: &Value, shape: &Shape) -> Value {
    let d = answer.pointer(shape.district).unwrap_or(&Value::Null);
    let scores_of = |v: &Value| {
        scores(
            v.pointer(shape.scores),
            "/period/year",
            shape.total,
            "bandCode",
            shape.scale,
        )
    };
    let opds = opd_rows(&d["opds"]["nodes"], |o| {
        [
            scores_of(o),
            count(o.pointer(shape.open)),
            count(o.pointer(shape.overdue)),
        ]
    });
    json!({
        "name": d["name"], "timeZone": zone(&d["timeZone"]),
        "own": scores_of(d),
        "open": count(d.pointer(shape.open)),
        "overdue": count(d.pointer(shape.overdue)),
        "verified": count(d.pointer(shape.verified)),
        "total": count(d.pointer("/opds/totalCount")),
        "opds": opds,
    })
}

/// The document `hand.sql` returns.
pub fn hand(answer: &Value) -> Value {
    let opds = opd_rows(&answer["opds"], |o| {
        [
            scores(o.get("scores"), "/year", "total", "band", 1.0),
            count(o.get("open")),
            count(o.get("overdue")),
        ]
    });
    json!({
        "name": answer["name"], "timeZone": zone(&answer["timeZone"]),
        "own": scores(answer.get("own"), "/year", "total", "band", 1.0),
        "open": count(answer.get("open")),
        "overdue": count(answer.get("overdue")),
        "verified": count(answer.get("verified")),
        "total": count(answer.get("total")),
        "opds": opds,
    })
}

/// Where two normal forms first differ, if they do.
pub fn difference(a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, value) in x {
                let other = y.get(key).unwrap_or(&Value::Null);
                if let Some(at) = difference(value, other) {
                    return Some(format!(
                        "{key}{}{at}",
                        if at.starts_with(['[', ':']) { "" } else { "." }
                    ));
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!(": {} entries against {}", x.len(), y.len()));
            }
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| {
                difference(p, q).map(|at| {
                    let dot = if at.starts_with(['[', ':']) { "" } else { "." };
                    format!("[{i}]{dot}{at}")
                })
            })
        }
        _ if a == b => None,
        _ => Some(format!(": {a} against {b}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_shapes_meet() {
        let pendamping_answer = json!({"data": {"node": {
            "name": "Kota X", "timeZone": "WIB",
            "scoreHistory": [{"period": {"year": 2024}, "total": 54.95, "bandCode": "C"},
                             {"period": {"year": 2023}, "total": 52.2, "bandCode": "D"}],
            "actionItemStats": {"open": 3, "overdue": 1, "verified": 7},
            "opds": {"totalCount": 1, "nodes": [{"name": "Dinas A",
                "scoreHistory": [{"period": {"year": 2024}, "total": 80.0, "bandCode": "A"}],
                "actionItemStats": {"open": 3, "overdue": 1}}]}}}});
        let postgraphile_answer = json!({"data": {"district": {
            "name": "Kota X", "timeZone": "Asia/Jakarta",
            "scores": {"nodes": [{"totalHundredths": 5220, "bandCode": "D", "period": {"year": 2023}},
                                 {"totalHundredths": 5495, "bandCode": "C", "period": {"year": 2024}}]},
            "open": {"totalCount": 3}, "overdue": {"totalCount": 1}, "verified": {"totalCount": 7},
            "opds": {"totalCount": 1, "nodes": [{"name": "Dinas A",
                "scores": {"nodes": [{"totalHundredths": 8000, "bandCode": "A", "period": {"year": 2024}}]},
                "open": {"totalCount": 3}, "overdue": {"totalCount": 1}}]}}}});
        let hand_answer = json!({"name": "Kota X", "timeZone": "Asia/Jakarta",
            "own": [{"year": 2023, "total": 5220, "band": "D"}, {"year": 2024, "total": 5495, "band": "C"}],
            "open": 3, "overdue": 1, "verified": 7, "total": 1,
            "opds": [{"name": "Dinas A", "scores": [{"year": 2024, "total": 8000, "band": "A"}], "open": 3, "overdue": 1}]});
        let p = pendamping(&pendamping_answer);
        assert_eq!(difference(&p, &postgraphile(&postgraphile_answer)), None);
        assert_eq!(difference(&p, &hand(&hand_answer)), None);
        let mut other = hand_answer.clone();
        other["opds"][0]["overdue"] = json!(2);
        assert_eq!(
            difference(&p, &hand(&other)).as_deref(),
            Some("opds[0].overdue: 1 against 2")
        );
    }
}

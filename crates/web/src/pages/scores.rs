//! Recording a score (Ombudsman assessors): a district's or an OPD's total
//! for an assessment period.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::WebState;
use crate::gql::{self, ApiError, Rows};
use crate::pages::items::error_page;
use crate::pages::{CarriesCsrf, Posted, Visit};
use crate::views::{self, Chrome, error_text, s};

#[derive(Template)]
#[template(path = "score_form.html")]
struct ScorePage {
    c: Chrome,
    targets: Vec<(String, String)>,
    periods: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    form: ScoreForm,
    errors: Vec<String>,
    total_error: String,
}

#[derive(Debug, Deserialize, Default, Clone)]
pub(crate) struct ScoreForm {
    #[serde(default)]
    csrf: String,
    /// `district:<id>` or `opd:<districtId>:<opdId>`.
    #[serde(default)]
    target: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    total: String,
}

const CHOICES: &str = r"
{
  districts(first: 100) { nodes { id name opds(first: 100) { nodes { id name } } } }
  assessmentPeriods(first: 100) { nodes { id name year } }
}";

async fn page(
    state: &WebState,
    visit: &Visit,
    form: ScoreForm,
    errors: Vec<ApiError>,
    status: StatusCode,
) -> Response {
    let t = visit.t;
    let answer = visit.query(state, CHOICES, json!({})).await;
    if let Some(error) = answer.errors.first() {
        return error_page(visit, error, "/scores/new");
    }
    let mut targets = Vec::new();
    for d in answer
        .at("/districts/nodes")
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let district_id = s(&d, "id");
        targets.push((format!("district:{district_id}"), s(&d, "name")));
        for o in d["opds"]["nodes"].as_array().cloned().unwrap_or_default() {
            targets.push((
                format!("opd:{district_id}:{}", s(&o, "id")),
                format!("{} — {}", s(&d, "name"), s(&o, "name")),
            ));
        }
    }
    let periods = answer
        .at("/assessmentPeriods/nodes")
        .rows(|p| (s(p, "id"), s(p, "name")));
    let kinds = ["OFFICIAL", "MENTORING_CHECK", "SELF_ASSESSMENT"]
        .iter()
        .map(|k| ((*k).to_owned(), t.e("score-kind", k)))
        .collect();
    let total_error = errors
        .iter()
        .find(|e| e.field.as_deref() == Some("total"))
        .map(|e| error_text(t, e))
        .unwrap_or_default();
    views::render_status(
        status,
        &ScorePage {
            c: visit.chrome("score-title", "/scores/new"),
            targets,
            periods,
            kinds,
            form,
            errors: errors
                .iter()
                .filter(|e| e.field.as_deref() != Some("total"))
                .map(|e| error_text(t, e))
                .collect(),
            total_error,
        },
    )
}

/// `GET /scores/new`.
pub(crate) async fn form(State(state): State<WebState>, visit: Visit) -> Response {
    let form = ScoreForm {
        kind: "OFFICIAL".to_owned(),
        ..ScoreForm::default()
    };
    page(&state, &visit, form, Vec::new(), StatusCode::OK).await
}

fn field_error(field: &str) -> ApiError {
    ApiError {
        code: "BAD_USER_INPUT".to_owned(),
        field: Some(field.to_owned()),
        message: String::new(),
    }
}

/// The form's total and target (the district's ID, and the OPD's or null),
/// or the fields it gets wrong.
fn checked(form: &ScoreForm) -> Result<(f64, String, Value), Vec<ApiError>> {
    // Indonesians write 97,36: both separators are read as the decimal point.
    let total = form
        .total
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite());
    let Some(total) = total else {
        return Err(vec![field_error("total")]);
    };
    let mut errors = Vec::new();
    if !["OFFICIAL", "MENTORING_CHECK", "SELF_ASSESSMENT"].contains(&form.kind.as_str()) {
        errors.push(field_error("kind"));
    }
    if form.period.trim().is_empty() {
        errors.push(field_error("periodId"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let parts: Vec<&str> = form.target.split(':').collect();
    let (district, opd) = match parts.as_slice() {
        ["district", d] => ((*d).to_owned(), Value::Null),
        ["opd", d, o] => ((*d).to_owned(), json!(o)),
        _ => return Err(vec![field_error("districtId")]),
    };
    Ok((total, district, opd))
}

/// `POST /scores/new`: the `recordScore` mutation.
pub(crate) async fn record(
    State(state): State<WebState>,
    Posted(visit, form): Posted<ScoreForm>,
) -> Response {
    let (total, district, opd) = match checked(&form) {
        Ok(checked) => checked,
        Err(errors) => {
            return page(
                &state,
                &visit,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let mut errors = Vec::new();
    let answer = visit
        .query(
            &state,
            "mutation Record($input: RecordScoreInput!) { recordScore(input: $input) { scoreRecord { id } userErrors { field message code } } }",
            json!({ "input": {
                "districtId": district,
                "opdId": opd,
                "periodId": form.period,
                "kind": form.kind,
                "total": total,
            } }),
        )
        .await;
    errors.extend(gql::mutation_errors(&answer, "/recordScore/userErrors"));
    if errors.is_empty() {
        let target = if opd.is_null() {
            format!("/districts/{district}")
        } else {
            format!("/opds/{}", opd.as_str().unwrap_or_default())
        };
        return Redirect::to(&target).into_response();
    }
    page(
        &state,
        &visit,
        form,
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

impl CarriesCsrf for ScoreForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

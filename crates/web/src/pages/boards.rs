//! Boards: the district board (Sekda), the office board (Ombudsman lead), an
//! OPD's page, rankings, and the wall screen of a dashboard token.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::WebState;
use crate::gql::Rows;
use crate::i18n::Tr;
use crate::pages::items::{error_page, node_of};
use crate::pages::{MessagePage, Visit, message, visit};
use crate::session::{self, Session};
use crate::svg::{self, BandArea, ScorePoint};
use crate::views::{self, Chrome, ITEM_ROW_FIELDS, ItemRow, s};

#[derive(Debug, Deserialize, Default)]
pub(crate) struct BoardQuery {
    /// `name`, `score`, `open`, `overdue`.
    sort: Option<String>,
    /// `asc` or `desc`.
    dir: Option<String>,
    /// Only members in this zone (`GREEN`, `YELLOW`, `RED`, `NONE`).
    zone: Option<String>,
    /// Only members whose name contains this.
    q: Option<String>,
    /// `wall`: the wall screen.
    display: Option<String>,
    /// A dashboard token (the wall screen without a session).
    token: Option<String>,
}

/// A figure with its zone, as shown in a cell.
#[derive(Debug, Clone, Default)]
pub(crate) struct Figure {
    pub text: String,
    pub zone: String,
    pub zone_label: String,
    pub change: String,
    pub band: String,
}

impl Figure {
    fn from(t: Tr, score: &Value, zone: &Value, change: &Value, band: &str) -> Figure {
        // The 2025 opinion has quality levels and no zones: a scored figure
        // without a zone is named by its level, never "not scored".
        let level = format!("level-{band}");
        let (zone, zone_label, band) = match zone.as_str() {
            Some(zone) => (zone.to_owned(), t.e("zone", zone), band),
            None if score.is_number() && t.has(&level) => ("NONE".to_owned(), t.m(&level), ""),
            None => ("NONE".to_owned(), t.e("zone", "NONE"), band),
        };
        Figure {
            text: score
                .as_f64()
                .map_or_else(|| t.m("no-figure"), |v| t.num(v, 2)),
            zone_label,
            zone,
            change: signed(t, change),
            band: band.to_owned(),
        }
    }

    /// The figure of a score record (`total`, `band { code zone }`): no change.
    fn of_score(t: Tr, score: &Value) -> Figure {
        Figure::from(
            t,
            &score["total"],
            &score["band"]["zone"],
            &Value::Null,
            score["band"]["code"].as_str().unwrap_or_default(),
        )
    }

    /// The figure of a score aggregate (`score`, `zone`, `change`, `band { code }`).
    fn of_aggregate(t: Tr, aggregate: &Value) -> Figure {
        Figure::from(
            t,
            &aggregate["score"],
            &aggregate["zone"],
            &aggregate["change"],
            aggregate["band"]["code"].as_str().unwrap_or_default(),
        )
    }
}

/// A change of score with its sign (`+1,25`, `-0,50`); empty without one.
fn signed(t: Tr, change: &Value) -> String {
    change
        .as_f64()
        .map(|c| {
            if c > 0.0 {
                format!("+{}", t.num(c, 2))
            } else {
                t.num(c, 2)
            }
        })
        .unwrap_or_default()
}

/// A row of a board: an OPD of a district, or a district of an office.
#[derive(Debug, Clone)]
pub(crate) struct MemberRow {
    pub id: String,
    pub href: String,
    pub name: String,
    pub figure: Figure,
    pub year: String,
    pub trend: String,
    pub open: i64,
    pub overdue: i64,
    score: f64,
}

impl MemberRow {
    /// A board row for `member` (an OPD or a district as the API gives it, with
    /// `id`, `name` and `actionItemStats`), linked under `path`; `score` sorts it.
    fn new(
        member: &Value,
        path: &str,
        figure: Figure,
        period: &Value,
        trend: String,
        score: &Value,
    ) -> MemberRow {
        let id = s(member, "id");
        MemberRow {
            href: format!("{path}/{id}"),
            id,
            name: s(member, "name"),
            figure,
            year: period["year"]
                .as_i64()
                .map(|y| y.to_string())
                .unwrap_or_default(),
            trend,
            open: member["actionItemStats"]["open"].as_i64().unwrap_or(0),
            overdue: member["actionItemStats"]["overdue"].as_i64().unwrap_or(0),
            score: score.as_f64().unwrap_or(-1.0),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct SortLink {
    pub href: String,
    pub label: String,
    pub current: String,
}

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    c: Chrome,
    testid: &'static str,
    heading: String,
    subtitle: String,
    figure: Figure,
    figure_year: String,
    open: i64,
    overdue: i64,
    verified: i64,
    on_time: String,
    members_label: String,
    members: Vec<MemberRow>,
    sorts: Vec<SortLink>,
    zone_filter: String,
    q: String,
    path_only: String,
    items: Vec<ItemRow>,
    show_items: bool,
    wall: bool,
    wall_href: String,
    chart: String,
    zone_options: Vec<(String, String)>,
    /// The district's follow-up of the Ombudsman's products (district board only).
    products: Option<Products>,
}

/// How a board is being shown: to whom, at which address, sorted and
/// filtered how, and whether on the wall display.
struct Shown<'a> {
    visit: &'a Visit,
    path: &'a str,
    uri: &'a Uri,
    query: &'a BoardQuery,
    wall: bool,
}

impl BoardPage {
    /// What the office and district boards show alike of their `node`: its
    /// name, latest figure and score chart, its action items' counts, and its
    /// `members` with their sorting and filter. No items and no products.
    fn of_node(shown: &Shown<'_>, title: &str, node: &Value, members: Vec<MemberRow>) -> Self {
        let Shown {
            visit,
            path,
            uri,
            query,
            wall,
        } = *shown;
        let t = visit.t;
        let aggregates = node["scoreAggregates"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let latest = aggregates.last().cloned().unwrap_or(Value::Null);
        let stats = &node["actionItemStats"];
        let mut chrome = visit.chrome(title, path);
        chrome.title = s(node, "name");
        if wall {
            chrome.wall = true;
            chrome.refresh = Some(60);
        }
        BoardPage {
            c: chrome,
            testid: "wall-board",
            heading: s(node, "name"),
            subtitle: String::new(),
            figure: Figure::of_aggregate(t, &latest),
            figure_year: latest["period"]["year"]
                .as_i64()
                .map(|y| y.to_string())
                .unwrap_or_default(),
            open: stats["open"].as_i64().unwrap_or(0),
            overdue: stats["overdue"].as_i64().unwrap_or(0),
            verified: stats["verified"].as_i64().unwrap_or(0),
            on_time: stats["onTimeRate"].as_f64().map_or_else(
                || t.m("no-figure"),
                |r| format!("{} %", t.num(r * 100.0, 0)),
            ),
            members_label: String::new(),
            sorts: sort_links(t, uri.path(), query),
            zone_filter: query.zone.clone().unwrap_or_default(),
            q: query.q.clone().unwrap_or_default(),
            path_only: uri.path().to_owned(),
            items: Vec::new(),
            show_items: false,
            wall,
            wall_href: format!("{}?display=wall", uri.path()),
            chart: svg::score_history(t, &score_points(&aggregates, "score")),
            zone_options: zone_options(t),
            products: None,
            members,
        }
    }
}

/// The follow-up of the Ombudsman's products of one year, and the year's target.
#[derive(Debug, Clone, Default)]
pub(crate) struct Products {
    pub heading: String,
    pub completed: i64,
    pub total: i64,
    pub all_completed: bool,
    /// The open products: (id, title).
    pub open: Vec<(String, String)>,
    /// The target and how far the figure is from it; empty without a target.
    pub target: String,
    pub target_progress: String,
}

const PRODUCT_FIELDS: &str =
    "year total completed open allCompleted openProducts(first: 10) { id title }";

const DISTRICT: &str = r"
query DistrictBoard($id: ID!, $items: ActionItemsFilterInput, $full: Boolean!, $year: Int!, $prev: Int!) {
  node(id: $id) {
    ... on District {
      id name timeZone office { id name }
      productsNow: productFollowUp(year: $year) @include(if: $full) { PRODUCTS }
      productsPrev: productFollowUp(year: $prev) @include(if: $full) { PRODUCTS }
      targetNow: targetProgress(year: $year) @include(if: $full) { TARGET }
      targetPrev: targetProgress(year: $prev) @include(if: $full) { TARGET }
      scoreAggregates(last: 5) {
        period { year methodology { code bands { min max zone } } }
        score basis zone change band { code }
      }
      actionItemStats { open overdue verified onTimeRate }
      opds(first: 100) {
        nodes {
          id name shortName
          latestScore { period { year } total band { code zone } }
          scoreHistory(last: 5) { period { year } total }
          actionItemStats { open overdue }
        }
      }
    }
  }
  actionItems(filter: $items, orderBy: { field: DUE_ON, direction: ASC }, first: 100) {
    nodes { ITEM_ROW }
  }
}";

const OFFICE: &str = r"
query OfficeBoard($id: ID!) {
  node(id: $id) {
    ... on Office {
      id name timeZone
      scoreAggregates(last: 5) {
        period { year methodology { code bands { min max zone } } }
        score zone change band { code }
      }
      actionItemStats { open overdue verified onTimeRate }
      districts(first: 100) {
        nodes {
          id name
          scoreAggregates(last: 5) { period { year } score zone change band { code } }
          actionItemStats { open overdue }
        }
      }
    }
  }
}";

/// `GET /districts/{id}`: the district board.
pub(crate) async fn district(
    State(state): State<WebState>,
    uri: Uri,
    Path(id): Path<String>,
    Query(query): Query<BoardQuery>,
    visit: Visit,
) -> Response {
    let wall = query.display.as_deref() == Some("wall");
    district_board(&state, &visit, &id, &query, &uri, wall).await
}

fn zone_options(t: Tr) -> Vec<(String, String)> {
    ["GREEN", "YELLOW", "RED", "NONE"]
        .iter()
        .map(|z| ((*z).to_owned(), t.e("zone", z)))
        .collect()
}

async fn district_board(
    state: &WebState,
    visit: &Visit,
    id: &str,
    query: &BoardQuery,
    uri: &Uri,
    wall: bool,
) -> Response {
    let t = visit.t;
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let document = DISTRICT
        .replace("ITEM_ROW", ITEM_ROW_FIELDS)
        .replace("PRODUCTS", PRODUCT_FIELDS)
        .replace("TARGET", TARGET_FIELDS);
    let year = state.engine.now().year();
    let answer = visit
        .query(
            state,
            &document,
            json!({
                "id": id,
                "items": { "districtId": id, "status": ["OPEN", "IN_PROGRESS", "REJECTED", "SUBMITTED", "VERIFIED"] },
                "full": !wall,
                "year": year,
                "prev": year - 1,
            }),
        )
        .await;
    let node = match node_of(visit, &answer, &path) {
        Ok(node) => node,
        Err(page) => return *page,
    };
    let members: Vec<MemberRow> = node["opds"]["nodes"].rows(|opd| {
        let score = &opd["latestScore"];
        let history: Vec<f64> = opd["scoreHistory"]
            .as_array()
            .map(|h| h.iter().filter_map(|p| p["total"].as_f64()).collect())
            .unwrap_or_default();
        MemberRow::new(
            opd,
            "/opds",
            Figure::of_score(t, score),
            &score["period"],
            svg::sparkline(t, &history),
            &score["total"],
        )
    });
    let members = sort_and_filter(members, query);
    let shown = Shown {
        visit,
        path: &path,
        uri,
        query,
        wall,
    };
    let page = BoardPage {
        testid: if wall { "wall-board" } else { "district-board" },
        subtitle: t.a(
            "board-district-subtitle",
            &[("office", &s(&node["office"], "name"))],
        ),
        members_label: t.m("board-opds"),
        items: ItemRow::list(t, answer.at("/actionItems/nodes")),
        show_items: !wall,
        products: (!wall).then(|| products(t, node)),
        ..BoardPage::of_node(&shown, "board-district-title", node, members)
    };
    views::render(&page)
}

const TARGET_FIELDS: &str =
    "target { year minTotal bandCode zone } score met gapToMinTotal period { year }";

/// The products of the latest year that has any (this year, else last year, else this
/// year with none), and that year's target.
fn products(t: Tr, node: &Value) -> Products {
    let (follow_up, target) = if node["productsNow"]["total"].as_i64().unwrap_or(0) == 0
        && node["productsPrev"]["total"].as_i64().unwrap_or(0) > 0
    {
        (&node["productsPrev"], &node["targetPrev"])
    } else {
        (&node["productsNow"], &node["targetNow"])
    };
    let completed = follow_up["completed"].as_i64().unwrap_or(0);
    let total = follow_up["total"].as_i64().unwrap_or(0);
    let year = follow_up["year"]
        .as_i64()
        .map(|y| y.to_string())
        .unwrap_or_default();
    let (target_text, progress) = if target.is_object() {
        let goal = &target["target"];
        let mut parts = Vec::new();
        if let Some(min) = goal["minTotal"].as_f64() {
            parts.push(t.a("board-target-min", &[("min", &t.num(min, 2))]));
        }
        if let Some(band) = goal["bandCode"].as_str() {
            parts.push(t.a("board-target-band", &[("band", band)]));
        }
        if let Some(zone) = goal["zone"].as_str() {
            parts.push(t.a("board-target-zone", &[("zone", &t.e("zone", zone))]));
        }
        let text = t.a(
            "board-target",
            &[("year", &year), ("parts", &parts.join(", "))],
        );
        let progress = match (target["score"].as_f64(), target["met"].as_bool()) {
            (Some(score), Some(true)) => t.a("board-target-met", &[("score", &t.num(score, 2))]),
            (Some(score), _) => match target["gapToMinTotal"].as_f64() {
                Some(gap) => t.a(
                    "board-target-short-by",
                    &[("score", &t.num(score, 2)), ("gap", &t.num(-gap, 2))],
                ),
                None => t.a("board-target-not-met", &[("score", &t.num(score, 2))]),
            },
            (None, _) => t.m("board-target-no-figure"),
        };
        (text, progress)
    } else {
        (String::new(), String::new())
    };
    Products {
        heading: t.a(
            "board-products",
            &[
                ("year", &year),
                ("completed", &t.num(completed as f64, 0)),
                ("total", &t.num(total as f64, 0)),
            ],
        ),
        completed,
        total,
        all_completed: follow_up["allCompleted"].as_bool().unwrap_or(false),
        open: follow_up["openProducts"].rows(|p| (s(p, "id"), s(p, "title"))),
        target: target_text,
        target_progress: progress,
    }
}

/// Score points from a list of aggregates or history entries (`key` is the figure's field).
pub(crate) fn score_points(list: &[Value], key: &str) -> Vec<ScorePoint> {
    list.iter()
        .filter_map(|a| {
            let total = a[key].as_f64()?;
            let methodology = &a["period"]["methodology"];
            Some(ScorePoint {
                year: a["period"]["year"].as_i64().unwrap_or(0),
                total,
                methodology: s(methodology, "code"),
                bands: methodology["bands"].rows(|b| BandArea {
                    min: b["min"].as_f64().unwrap_or(0.0),
                    max: b["max"].as_f64().unwrap_or(0.0),
                    zone: s(b, "zone"),
                }),
            })
        })
        .collect()
}

fn sort_and_filter(mut members: Vec<MemberRow>, query: &BoardQuery) -> Vec<MemberRow> {
    if let Some(zone) = query.zone.as_deref().filter(|z| !z.is_empty()) {
        members.retain(|m| m.figure.zone == zone);
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let q = q.to_lowercase();
        members.retain(|m| m.name.to_lowercase().contains(&q));
    }
    let desc = query.dir.as_deref() == Some("desc");
    match query.sort.as_deref() {
        Some("score") => members.sort_by(|a, b| a.score.total_cmp(&b.score)),
        Some("open") => members.sort_by_key(|m| m.open),
        Some("overdue") => members.sort_by_key(|m| m.overdue),
        _ => members.sort_by_key(|m| m.name.to_lowercase()),
    }
    if desc {
        members.reverse();
    }
    members
}

fn sort_links(t: Tr, path: &str, query: &BoardQuery) -> Vec<SortLink> {
    let current = query.sort.as_deref().unwrap_or("name");
    let desc = query.dir.as_deref() == Some("desc");
    ["name", "score", "open", "overdue"]
        .iter()
        .map(|key| {
            let next_desc = if *key == current {
                !desc
            } else {
                *key != "name"
            };
            let mut href = format!(
                "{path}?sort={key}&dir={}",
                if next_desc { "desc" } else { "asc" }
            );
            if let Some(zone) = query.zone.as_deref().filter(|z| !z.is_empty()) {
                href.push_str(&format!("&zone={}", crate::pages::urlencode(zone)));
            }
            if let Some(q) = query.q.as_deref().filter(|q| !q.is_empty()) {
                href.push_str(&format!("&q={}", crate::pages::urlencode(q)));
            }
            SortLink {
                href,
                label: t.m(&format!("board-col-{key}")),
                current: if *key == current {
                    if desc { "descending" } else { "ascending" }.to_owned()
                } else {
                    "none".to_owned()
                },
            }
        })
        .collect()
}

/// `GET /offices/{id}`: the office board.
pub(crate) async fn office(
    State(state): State<WebState>,
    uri: Uri,
    Path(id): Path<String>,
    Query(query): Query<BoardQuery>,
    visit: Visit,
) -> Response {
    let wall = query.display.as_deref() == Some("wall");
    office_board(&state, &visit, &id, &query, &uri, wall).await
}

async fn office_board(
    state: &WebState,
    visit: &Visit,
    id: &str,
    query: &BoardQuery,
    uri: &Uri,
    wall: bool,
) -> Response {
    let t = visit.t;
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let answer = visit.query(state, OFFICE, json!({ "id": id })).await;
    let node = match node_of(visit, &answer, &path) {
        Ok(node) => node,
        Err(page) => return *page,
    };
    let members: Vec<MemberRow> = node["districts"]["nodes"].rows(|d| {
        let history = d["scoreAggregates"].as_array().cloned().unwrap_or_default();
        let last = history.last().cloned().unwrap_or(Value::Null);
        let values: Vec<f64> = history.iter().filter_map(|a| a["score"].as_f64()).collect();
        MemberRow::new(
            d,
            "/districts",
            Figure::of_aggregate(t, &last),
            &last["period"],
            svg::sparkline(t, &values),
            &last["score"],
        )
    });
    let members = sort_and_filter(members, query);
    let shown = Shown {
        visit,
        path: &path,
        uri,
        query,
        wall,
    };
    let page = BoardPage {
        testid: if wall { "wall-board" } else { "office-board" },
        subtitle: t.m("board-office-subtitle"),
        members_label: t.m("board-districts"),
        ..BoardPage::of_node(&shown, "board-office-title", node, members)
    };
    views::render(&page)
}

#[derive(Template)]
#[template(path = "opd.html")]
struct OpdPage {
    c: Chrome,
    name: String,
    district: String,
    district_id: String,
    figure: Figure,
    chart: String,
    history: Vec<(String, String, String, String)>,
    open: i64,
    overdue: i64,
    items: Vec<ItemRow>,
}

const OPD: &str = r"
query Opd($id: ID!) {
  node(id: $id) {
    ... on Opd {
      id name district { id name }
      latestScore { total band { code zone } }
      scoreHistory { period { year methodology { code bands { min max zone } } } total bandCode change score { band { zone } } }
      actionItemStats { open overdue }
      actionItems(first: 100) { nodes { ITEM_ROW } }
    }
  }
}";

/// `GET /opds/{id}`: an OPD's scores over the years and its action items.
pub(crate) async fn opd(
    State(state): State<WebState>,
    uri: Uri,
    Path(id): Path<String>,
    visit: Visit,
) -> Response {
    let t = visit.t;
    let path = uri.path().to_owned();
    let answer = visit
        .query(
            &state,
            &OPD.replace("ITEM_ROW", ITEM_ROW_FIELDS),
            json!({ "id": id }),
        )
        .await;
    let node = match node_of(&visit, &answer, &path) {
        Ok(node) => node,
        Err(page) => return *page,
    };
    let entries = node["scoreHistory"].as_array().cloned().unwrap_or_default();
    let history = entries
        .iter()
        .map(|e| {
            let zone = e["score"]["band"]["zone"]
                .as_str()
                .unwrap_or("NONE")
                .to_owned();
            (
                e["period"]["year"]
                    .as_i64()
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
                e["total"].as_f64().map(|v| t.num(v, 2)).unwrap_or_default(),
                format!("{} · {}", s(e, "bandCode"), t.e("zone", &zone)),
                signed(t, &e["change"]),
            )
        })
        .collect();
    let score = &node["latestScore"];
    let mut items_node = node.clone();
    let items = ItemRow::list(t, &items_node["actionItems"]["nodes"].take());
    let mut chrome = visit.chrome("opd-title", &path);
    chrome.title = s(node, "name");
    let page = OpdPage {
        c: chrome,
        name: s(node, "name"),
        district: s(&node["district"], "name"),
        district_id: s(&node["district"], "id"),
        figure: Figure::of_score(t, score),
        chart: svg::score_history(t, &score_points(&entries, "total")),
        history,
        open: node["actionItemStats"]["open"].as_i64().unwrap_or(0),
        overdue: node["actionItemStats"]["overdue"].as_i64().unwrap_or(0),
        items,
    };
    views::render(&page)
}

#[derive(Template)]
#[template(path = "rankings.html")]
struct RankingsPage {
    c: Chrome,
    year: i64,
    years: Vec<i64>,
    districts: Vec<(i64, i64, String, String, Figure)>,
    opds: Vec<(i64, i64, String, String, Figure)>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct YearQuery {
    year: Option<String>,
}

/// `GET /rankings?year=2021`: districts and OPDs ranked in one year.
pub(crate) async fn rankings(
    State(state): State<WebState>,
    uri: Uri,
    Query(query): Query<YearQuery>,
    visit: Visit,
) -> Response {
    let t = visit.t;
    let path = uri
        .path_and_query()
        .map_or("/rankings", |p| p.as_str())
        .to_owned();
    let periods = visit
        .query(
            &state,
            "{ assessmentPeriods(first: 100) { nodes { year } } }",
            json!({}),
        )
        .await;
    let mut years: Vec<i64> = periods
        .at("/assessmentPeriods/nodes")
        .as_array()
        .map(|l| l.iter().filter_map(|p| p["year"].as_i64()).collect())
        .unwrap_or_default();
    years.sort_unstable();
    years.dedup();
    // A year that is not a number is ignored: the latest year is shown.
    let year = query
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i64>().ok())
        .filter(|y| years.contains(y))
        .or_else(|| years.last().copied())
        .unwrap_or(2021);
    let answer = visit
        .query(
            &state,
            r"query Rankings($year: Int!) {
              districtRanking(year: $year, first: 100) { rank outOf total zone district { id name } }
              opdRanking(year: $year, first: 100) { rank outOf total zone opd { id name district { name } } }
            }",
            json!({ "year": year }),
        )
        .await;
    if let Some(error) = answer.errors.first() {
        return error_page(&visit, error, &path);
    }
    let rows = |list: &Value, key: &str, base: &str| -> Vec<(i64, i64, String, String, Figure)> {
        list.as_array()
            .map(|l| {
                l.iter()
                    .map(|r| {
                        let member = &r[key];
                        let mut name = s(member, "name");
                        if let Some(d) = member["district"]["name"].as_str() {
                            name = format!("{name} ({d})");
                        }
                        (
                            r["rank"].as_i64().unwrap_or(0),
                            r["outOf"].as_i64().unwrap_or(0),
                            format!("/{base}/{}", s(member, "id")),
                            name,
                            Figure::from(t, &r["total"], &r["zone"], &Value::Null, ""),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let page = RankingsPage {
        c: visit.chrome("rankings-title", &path),
        year,
        years,
        districts: rows(answer.at("/districtRanking"), "district", "districts"),
        opds: rows(answer.at("/opdRanking"), "opd", "opds"),
    };
    views::render(&page)
}

/// `GET /wall?token=…`: the board of a dashboard token, large, refreshing
/// itself; with a session and no token, the session's own board.
pub(crate) async fn wall(
    State(state): State<WebState>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<BoardQuery>,
) -> Response {
    let t = Tr::new(session::language(&headers));
    let visit = match query
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(token) => match state.engine.authenticate(token).await {
            Ok(actor) => {
                let session = Session {
                    token: token.to_owned(),
                    actor,
                };
                Visit::of(&state, t, session).await
            }
            Err(_) => {
                let page = MessagePage {
                    c: Chrome::anonymous(t, t.m("wall-refused-title"), "/wall"),
                    heading: t.m("wall-refused-title"),
                    text: t.m("wall-refused-text"),
                };
                return views::render_status(StatusCode::UNAUTHORIZED, &page);
            }
        },
        None => match visit(&state, &headers, &uri).await {
            Ok(visit) => visit,
            Err(response) => return response,
        },
    };
    let home = visit.home.clone();
    let response = match (&home.district_id, &home.office_id) {
        (Some(id), _) => district_board(&state, &visit, id, &query, &uri, true).await,
        (None, Some(id)) => office_board(&state, &visit, id, &query, &uri, true).await,
        (None, None) => message(
            &visit,
            StatusCode::NOT_FOUND,
            "wall-refused-title",
            "wall-no-board",
            "/wall",
        ),
    };
    response.into_response()
}

#[derive(Template)]
#[template(path = "offices.html")]
struct OfficesPage {
    c: Chrome,
    rows: Vec<(String, String)>,
}

/// `GET /offices`: the offices in scope (system administrators see them all).
pub(crate) async fn offices(State(state): State<WebState>, uri: Uri, visit: Visit) -> Response {
    let answer = visit
        .query(
            &state,
            "{ offices(first: 100) { nodes { id name } } }",
            json!({}),
        )
        .await;
    if let Some(error) = answer.errors.first() {
        return error_page(&visit, error, uri.path());
    }
    let rows = answer
        .at("/offices/nodes")
        .rows(|o| (s(o, "id"), s(o, "name")));
    views::render(&OfficesPage {
        c: visit.chrome("offices-title", uri.path()),
        rows,
    })
}

//! A schema-driven fuzzer of the GraphQL API (issue 13, item 9), run against
//! the real server over HTTP: documents generated from the schema the server
//! introspects (random selections, aliases, arguments of the right and the
//! wrong types, variables, fragments, deep nesting, broken documents), sent as
//! an admin, an OPD officer and anonymously. The property: no answer with a
//! 5xx status, no panic in the server's log, and `/healthz` still answering at
//! the end. Bounded by time (`PENDAMPING_FUZZ_SECS`, default 45) and seeded
//! (`PENDAMPING_FUZZ_SEED`; the seed is printed, so a failure replays).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};

use crate::server::{Server, login, post_query};

const INTROSPECTION: &str = r#"{ __schema {
  queryType { name } mutationType { name }
  types { kind name
    fields(includeDeprecated: true) { name args { name type { ...T } } type { ...T } }
    inputFields { name type { ...T } }
    enumValues(includeDeprecated: true) { name }
    possibleTypes { name } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }"#;

/// Mutations left out: they end the fuzzer's own sessions or throttle its
/// logins (each has its own tests), which would leave only 401s to fuzz.
const ENDS_CREDENTIALS: [&str; 9] = [
    "login",
    "logout",
    "changePassword",
    "resetPassword",
    "issuePasswordReset",
    "deactivateUser",
    "revokeSession",
    "revokeRole",
    "revokeApiToken",
];

/// A type reference: `[Foo!]!` as nested wrappers.
#[derive(Debug, Clone)]
enum TypeRef {
    Named(String),
    List(Box<TypeRef>),
    NonNull(Box<TypeRef>),
}

impl TypeRef {
    fn parse(v: &Value) -> TypeRef {
        match v["kind"].as_str() {
            Some("NON_NULL") => TypeRef::NonNull(Box::new(TypeRef::parse(&v["ofType"]))),
            Some("LIST") => TypeRef::List(Box::new(TypeRef::parse(&v["ofType"]))),
            _ => TypeRef::Named(v["name"].as_str().unwrap_or("String").to_owned()),
        }
    }

    fn name(&self) -> &str {
        match self {
            TypeRef::Named(n) => n,
            TypeRef::List(t) | TypeRef::NonNull(t) => t.name(),
        }
    }

    fn sdl(&self) -> String {
        match self {
            TypeRef::Named(n) => n.clone(),
            TypeRef::List(t) => format!("[{}]", t.sdl()),
            TypeRef::NonNull(t) => format!("{}!", t.sdl()),
        }
    }
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    args: Vec<(String, TypeRef)>,
    ty: TypeRef,
}

#[derive(Debug, Clone)]
struct Type {
    kind: String,
    fields: Vec<Field>,
    inputs: Vec<(String, TypeRef)>,
    values: Vec<String>,
    possible: Vec<String>,
}

struct Schema {
    types: HashMap<String, Type>,
    query: String,
    mutation: Option<String>,
}

impl Schema {
    fn from_introspection(data: &Value) -> Schema {
        let s = &data["__schema"];
        let mut types = HashMap::new();
        for t in s["types"].as_array().unwrap() {
            let list = |key: &str| t[key].as_array().cloned().unwrap_or_default();
            let fields = list("fields")
                .iter()
                .map(|f| Field {
                    name: f["name"].as_str().unwrap().to_owned(),
                    args: f["args"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|a| {
                            (
                                a["name"].as_str().unwrap().to_owned(),
                                TypeRef::parse(&a["type"]),
                            )
                        })
                        .collect(),
                    ty: TypeRef::parse(&f["type"]),
                })
                .collect();
            let inputs = list("inputFields")
                .iter()
                .map(|a| {
                    (
                        a["name"].as_str().unwrap().to_owned(),
                        TypeRef::parse(&a["type"]),
                    )
                })
                .collect();
            let names = |key: &str| {
                list(key)
                    .iter()
                    .filter_map(|v| v["name"].as_str().map(str::to_owned))
                    .collect()
            };
            types.insert(
                t["name"].as_str().unwrap().to_owned(),
                Type {
                    kind: t["kind"].as_str().unwrap().to_owned(),
                    fields,
                    inputs,
                    values: names("enumValues"),
                    possible: names("possibleTypes"),
                },
            );
        }
        Schema {
            types,
            query: s["queryType"]["name"].as_str().unwrap().to_owned(),
            mutation: s["mutationType"]["name"].as_str().map(str::to_owned),
        }
    }
}

/// One generated request.
struct Case {
    query: String,
    variables: Map<String, Value>,
}

struct Generator<'a> {
    schema: &'a Schema,
    rng: StdRng,
    /// IDs seen in answers, reused as arguments (most IDs are opaque).
    ids: Vec<String>,
    variables: Map<String, Value>,
    declarations: Vec<String>,
}

impl Generator<'_> {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn pick<'b, T>(&mut self, items: &'b [T]) -> Option<&'b T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.rng.random_range(0..items.len())])
        }
    }

    fn string(&mut self) -> String {
        const SAMPLES: [&str; 12] = [
            "",
            "Mamuju Tengah",
            "2026-11-28",
            "2026-02-30",
            "-0001-01-01",
            "99999-01-01",
            "https://example.org/a.pdf",
            "javascript:alert(1)",
            "\u{0000}\u{202e}",
            "' OR 1=1 --",
            "🙂 ñ 中文",
            "%00%2e%2e/%2e%2e/etc/passwd",
        ];
        match self.rng.random_range(0..4) {
            0 => "x".repeat(self.rng.random_range(0..3000)),
            1 => self
                .ids
                .get(self.rng.random_range(0..self.ids.len().max(1)))
                .cloned()
                .unwrap_or_default(),
            _ => SAMPLES[self.rng.random_range(0..SAMPLES.len())].to_owned(),
        }
    }

    /// A value of the named type, as JSON (for variables); `wrong` makes it of another type.
    fn value(&mut self, ty: &TypeRef, depth: u32) -> Value {
        if self.chance(0.03) {
            return self.wrong_value();
        }
        match ty {
            TypeRef::NonNull(inner) => self.value(inner, depth),
            TypeRef::List(inner) => {
                let n = self.rng.random_range(0..4);
                Value::Array((0..n).map(|_| self.value(inner, depth)).collect())
            }
            TypeRef::Named(name) => {
                if !matches!(ty, TypeRef::NonNull(_)) && self.chance(0.05) {
                    return Value::Null;
                }
                let schema = self.schema;
                let Some(t) = schema.types.get(name) else {
                    return Value::Null;
                };
                match (t.kind.as_str(), name.as_str()) {
                    ("ENUM", _) => match self.pick(&t.values) {
                        Some(v) => json!(v),
                        None => Value::Null,
                    },
                    ("INPUT_OBJECT", _) => {
                        let mut object = Map::new();
                        if depth < 4 {
                            for (field, fty) in &t.inputs {
                                if matches!(fty, TypeRef::NonNull(_)) || self.chance(0.5) {
                                    object.insert(field.clone(), self.value(fty, depth + 1));
                                }
                            }
                        }
                        Value::Object(object)
                    }
                    (_, "Int") => json!(match self.rng.random_range(0..5) {
                        0 => i64::from(i32::MAX),
                        1 => -1,
                        2 => 0,
                        _ => i64::from(self.rng.random_range(1..200)),
                    }),
                    (_, "Float") => json!(self.rng.random_range(-10.0..200.0)),
                    (_, "Boolean") => json!(self.chance(0.5)),
                    (_, "ID") => match self.ids.is_empty() || self.chance(0.2) {
                        true => json!(self.string()),
                        false => json!(self.ids[self.rng.random_range(0..self.ids.len())]),
                    },
                    (_, "Date") => json!(
                        ["2026-11-28", "2026-13-01", "26-1-1", "2021-04-29"]
                            [self.rng.random_range(0..4)]
                    ),
                    (_, "DateTime") => json!(
                        ["2026-11-28T03:00:00Z", "2026-11-28", "yesterday"]
                            [self.rng.random_range(0..3)]
                    ),
                    _ => json!(self.string()),
                }
            }
        }
    }

    fn wrong_value(&mut self) -> Value {
        match self.rng.random_range(0..6) {
            0 => json!(1e300),
            1 => json!(-99_999_999_999_i64),
            2 => json!(true),
            3 => json!({"unexpected": [1, 2, 3]}),
            4 => json!([[[]]]),
            _ => json!("not the right type"),
        }
    }

    /// A JSON value written as a GraphQL literal (enums bare when `enum_type`).
    fn literal(value: &Value, ty: Option<&TypeRef>, schema: &Schema) -> String {
        let is_enum = ty
            .and_then(|t| schema.types.get(t.name()))
            .is_some_and(|t| t.kind == "ENUM");
        match value {
            Value::String(s) if is_enum => s.clone(),
            Value::Array(items) => {
                let inner = match ty {
                    Some(TypeRef::NonNull(t)) => match t.as_ref() {
                        TypeRef::List(i) => Some(i.as_ref()),
                        _ => None,
                    },
                    Some(TypeRef::List(i)) => Some(i.as_ref()),
                    _ => None,
                };
                let parts: Vec<String> = items
                    .iter()
                    .map(|v| Self::literal(v, inner, schema))
                    .collect();
                format!("[{}]", parts.join(", "))
            }
            Value::Object(map) => {
                let fields = ty
                    .and_then(|t| schema.types.get(t.name()))
                    .map(|t| t.inputs.clone())
                    .unwrap_or_default();
                let parts: Vec<String> = map
                    .iter()
                    .map(|(k, v)| {
                        let fty = fields.iter().find(|(n, _)| n == k).map(|(_, t)| t);
                        format!("{k}: {}", Self::literal(v, fty, schema))
                    })
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            other => other.to_string(),
        }
    }

    fn arguments(&mut self, args: &[(String, TypeRef)]) -> String {
        let mut out = Vec::new();
        for (name, ty) in args {
            let required = matches!(ty, TypeRef::NonNull(_));
            if !(required || self.chance(0.4)) || (required && self.chance(0.01)) {
                continue;
            }
            let value = self.value(ty, 0);
            if self.chance(0.25) {
                let var = format!("v{}", self.declarations.len());
                let declared = if self.chance(0.9) {
                    ty.sdl()
                } else {
                    "Int".to_owned()
                };
                self.declarations.push(format!("${var}: {declared}"));
                self.variables.insert(var.clone(), value);
                out.push(format!("{name}: ${var}"));
            } else {
                out.push(format!(
                    "{name}: {}",
                    Self::literal(&value, Some(ty), self.schema)
                ));
            }
        }
        if self.chance(0.01) {
            out.push("nosuchargument: 1".to_owned());
        }
        if out.is_empty() {
            String::new()
        } else {
            format!("({})", out.join(", "))
        }
    }

    fn selection(&mut self, type_name: &str, depth: u32) -> String {
        let schema = self.schema;
        let Some(t) = schema.types.get(type_name) else {
            return "{ __typename }".to_owned();
        };
        let mut out = String::from("{ ");
        if matches!(t.kind.as_str(), "INTERFACE" | "UNION") {
            out.push_str("__typename ");
            let possible = t.possible.clone();
            for _ in 0..self.rng.random_range(1..3) {
                if let Some(p) = self.pick(&possible).cloned() {
                    let inner = self.selection(&p, depth);
                    let _ = write!(out, "... on {p} {inner} ");
                }
            }
            out.push('}');
            return out;
        }
        let n = self.rng.random_range(1..5);
        for _ in 0..n {
            let Some(field) = self.pick(&t.fields).cloned() else {
                break;
            };
            if Some(type_name) == schema.mutation.as_deref()
                && ENDS_CREDENTIALS.contains(&field.name.as_str())
            {
                continue;
            }
            let target = schema.types.get(field.ty.name());
            let leaf = target.is_none_or(|t| matches!(t.kind.as_str(), "SCALAR" | "ENUM"));
            if !leaf && depth == 0 {
                continue;
            }
            if self.chance(0.2) {
                let _ = write!(out, "a{}: ", self.rng.random_range(0..1000));
            }
            out.push_str(&field.name);
            let args = self.arguments(&field.args);
            out.push_str(&args);
            if !leaf {
                let inner = self.selection(field.ty.name(), depth - 1);
                out.push(' ');
                out.push_str(&inner);
            }
            out.push(' ');
        }
        if self.chance(0.01) {
            out.push_str("noSuchField ");
        }
        out.push_str("__typename }");
        out
    }

    fn case(&mut self) -> Case {
        self.variables = Map::new();
        self.declarations = Vec::new();
        let schema = self.schema;
        let (keyword, root) = match &schema.mutation {
            Some(m) if self.chance(0.25) => ("mutation", m.clone()),
            _ => ("query", schema.query.clone()),
        };
        // Mostly shallow; now and then deeper than any limit.
        let depth = if self.chance(0.05) {
            self.rng.random_range(8..25)
        } else {
            self.rng.random_range(1..5)
        };
        let selection = if self.chance(0.05) {
            // Many aliases of one cheap field.
            let n = self.rng.random_range(100..3000);
            let mut s = String::from("{ ");
            for i in 0..n {
                let _ = write!(s, "a{i}: __typename ");
            }
            s.push('}');
            s
        } else {
            self.selection(&root, depth)
        };
        let declarations = if self.declarations.is_empty() {
            String::new()
        } else {
            format!("({})", self.declarations.join(", "))
        };
        let mut query = format!("{keyword} Fuzz{declarations} {selection}");
        if self.chance(0.04) {
            // A broken document: cut somewhere, or a stray token.
            let mut cut = self.rng.random_range(0..query.len());
            while !query.is_char_boundary(cut) {
                cut -= 1;
            }
            query.truncate(cut);
            if self.chance(0.5) {
                query.push_str(" } } ) $ @ ... on");
            }
        }
        Case {
            query,
            variables: std::mem::take(&mut self.variables),
        }
    }
}

/// Gathers every `id` string in an answer, for later arguments.
fn gather_ids(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("id", Value::String(id)) if into.len() < 2000 => into.push(id.clone()),
                    _ => gather_ids(v, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| gather_ids(v, into)),
        _ => {}
    }
}

#[tokio::test]
async fn the_api_survives_schema_driven_fuzzing() {
    let seconds: u64 = std::env::var("PENDAMPING_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(45);
    let seed: u64 = std::env::var("PENDAMPING_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(13);
    let server = Server::start_demo();
    let mut admin = login(&server, "admin@demo.example", "pendamping-demo").await;
    let mut officer = login(&server, "rsud@mamujutengah.example", "pendamping-demo").await;
    let mut relogins = 0u64;
    // A fresh connection per case: an answer sent before a large body was read
    // (413) closes the connection, and a pooled one would fail the next case.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let introspected = post_query(&client, &server.base, &admin, INTROSPECTION).await;
    assert!(introspected.get("errors").is_none(), "{introspected}");
    let schema = Schema::from_introspection(&introspected["data"]);
    assert!(schema.types.len() > 50, "the schema was read");

    let mut generator = Generator {
        schema: &schema,
        rng: StdRng::seed_from_u64(seed),
        ids: Vec::new(),
        variables: Map::new(),
        declarations: Vec::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut cases, mut answered_with_errors, mut clean) = (0u64, 0u64, 0u64);
    let mut statuses: HashMap<u16, u64> = HashMap::new();
    while Instant::now() < deadline {
        let case = generator.case();
        let token = match cases % 3 {
            0 => Some(admin.clone()),
            1 => Some(officer.clone()),
            _ => None,
        };
        let mut request = client
            .post(server.url("/graphql"))
            .header("content-type", "application/json")
            .body(json!({"query": case.query, "variables": case.variables}).to_string());
        if let Some(token) = &token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = request.send().await.unwrap_or_else(|e| {
            panic!(
                "case {cases} (seed {seed}): no answer ({e}); the server is down?\n{}\nlogs:\n{}",
                case.query,
                server.logs()
            )
        });
        let status = response.status().as_u16();
        *statuses.entry(status).or_default() += 1;
        if status == 401 && token.is_some() {
            // A generated mutation ended the session (logout, a password change…): log in again.
            relogins += 1;
            admin = login(&server, "admin@demo.example", "pendamping-demo").await;
            officer = login(&server, "rsud@mamujutengah.example", "pendamping-demo").await;
            assert!(relogins < 20, "sessions keep ending: {statuses:?}");
        }
        let body = response.text().await.unwrap_or_default();
        assert!(
            status < 500,
            "case {cases} (seed {seed}) answered {status}: {body}\nquery: {}\nvariables: {}",
            case.query,
            Value::Object(case.variables)
        );
        if let Ok(answer) = serde_json::from_str::<Value>(&body) {
            if answer.get("errors").is_some() {
                answered_with_errors += 1;
            } else {
                clean += 1;
            }
            gather_ids(&answer["data"], &mut generator.ids);
            assert!(
                answer["errors"].as_array().is_none_or(|errors| errors
                    .iter()
                    .all(|e| e["extensions"]["code"] != "INTERNAL")),
                "case {cases} (seed {seed}) hit an internal error: {body}\nquery: {}",
                case.query
            );
        }
        cases += 1;
    }
    let health = client.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200, "the server is up at the end");
    let logs = server.logs();
    assert!(!logs.contains("panicked"), "the server panicked:\n{logs}");
    let mut statuses: Vec<_> = statuses.into_iter().collect();
    statuses.sort_unstable();
    println!(
        "fuzzer: {cases} cases in {seconds} s (seed {seed}): {clean} answered without errors, {answered_with_errors} with errors, statuses {statuses:?}, {relogins} logins again after a generated mutation ended a session; 0 server errors, 0 panics"
    );
    assert!(cases > 100, "too few cases ran: {cases}");
}

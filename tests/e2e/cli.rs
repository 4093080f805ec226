//! The command line: schema export, first admin, users and dashboard tokens.

use crate::server::{Server, fresh_database_url, graphql_as, login, run_cli};

#[test]
fn the_schema_command_prints_the_committed_schema() {
    let (ok, stdout, _) = run_cli(&fresh_database_url(), &["schema"], "");
    assert!(ok);
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema.graphql"))
            .unwrap();
    assert_eq!(stdout, committed);
}

#[tokio::test]
async fn a_fresh_database_gets_its_first_admin_and_dashboard_tokens_from_the_cli() {
    let db = fresh_database_url();
    let (ok, _, stderr) = run_cli(&db, &["migrate"], "");
    assert!(ok, "{stderr}");
    let (ok, stdout, stderr) = run_cli(
        &db,
        &[
            "user",
            "create",
            "--email",
            "root@ombudsman.example",
            "--role",
            "SYSTEM_ADMIN",
            "--display-name",
            "Administrator",
        ],
        "a-long-first-password\n",
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("created user root@ombudsman.example"));
    // Too short a password is refused, naming the field.
    let (ok, _, stderr) = run_cli(
        &db,
        &[
            "user",
            "create",
            "--email",
            "x@y.example",
            "--role",
            "SYSTEM_ADMIN",
        ],
        "short\n",
    );
    assert!(!ok);
    assert!(stderr.contains("password"), "{stderr}");

    let (ok, _, stderr) = run_cli(&db, &["seed", "demo"], "");
    assert!(ok, "{stderr}");
    let (ok, stdout, stderr) = run_cli(
        &db,
        &[
            "token",
            "create",
            "--role",
            "VIEWER",
            "--scope",
            "district:Kabupaten Mamuju Tengah",
            "--label",
            "Wall screen",
        ],
        "",
    );
    assert!(ok, "{stderr}");
    let mut lines = stdout.lines();
    let id = lines
        .next()
        .unwrap()
        .trim_start_matches("token id ")
        .to_owned();
    let token = lines.next().unwrap().to_owned();
    assert!(token.starts_with("pdp_"));

    let server = Server::start_on(&db);
    let admin = login(&server, "root@ombudsman.example", "a-long-first-password").await;
    let (status, body) = graphql_as(&server, &admin, "{ viewer { roles { role } } }").await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["viewer"]["roles"][0]["role"], "SYSTEM_ADMIN");

    let (status, body) = graphql_as(
        &server,
        &token,
        "{ viewer { label roles { role } } districts { totalCount } }",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["viewer"]["roles"][0]["role"], "VIEWER");
    assert_eq!(body["data"]["districts"]["totalCount"], 1);
    // A dashboard token reads but changes nothing.
    let (_, body) = graphql_as(&server, &token, "mutation { createOffice(input: { code: \"X\", name: \"X\", province: \"X\", timeZone: WIB }) { office { id } userErrors { code } } }")
    .await;
    assert_eq!(
        body["data"]["createOffice"]["userErrors"][0]["code"],
        "FORBIDDEN"
    );

    let (ok, _, stderr) = run_cli(&db, &["token", "revoke", &id], "");
    assert!(ok, "{stderr}");
    let (status, _) = graphql_as(&server, &token, "{ viewer { label } }").await;
    assert_eq!(status, 401);
}

#[test]
fn seed_national_loads_a_small_world_once_and_checks_its_scale() {
    let db = fresh_database_url();
    let (ok, _, stderr) = run_cli(&db, &["seed", "national", "--scale", "3"], "");
    assert!(!ok);
    assert!(stderr.contains("--scale"), "{stderr}");

    let (ok, stdout, stderr) = run_cli(&db, &["seed", "national", "--scale", "0.005"], "");
    assert!(ok, "{stderr}");
    assert!(stdout.contains("national data set loaded"), "{stdout}");
    assert!(stdout.contains("| action_items | 5000 |"), "{stdout}");

    // A second load would mix two worlds: refused, naming the table.
    let (ok, _, stderr) = run_cli(&db, &["seed", "national", "--scale", "0.005"], "");
    assert!(!ok);
    assert!(stderr.contains("fresh database"), "{stderr}");
}

#[test]
fn sweep_raises_each_reminder_once_and_refuses_bad_thresholds() {
    let url = crate::server::fresh_database_url();
    let (ok, _, stderr) = crate::server::run_cli(&url, &["seed", "demo"], "");
    assert!(ok, "{stderr}");
    let count = |out: &str, what: &str| -> u64 {
        let before = out.split(what).next().unwrap();
        before
            .rsplit(|c: char| !c.is_ascii_digit())
            .find(|w| !w.is_empty())
            .unwrap()
            .parse()
            .unwrap()
    };
    let (ok, first, stderr) = crate::server::run_cli(&url, &["sweep"], "");
    assert!(ok, "{stderr}");
    assert!(
        count(&first, " overdue") > 0,
        "the demo has overdue items: {first}"
    );
    let (ok, second, stderr) = crate::server::run_cli(&url, &["sweep"], "");
    assert!(ok, "{stderr}");
    for what in [" due soon", " overdue", " escalations", " notifications"] {
        assert_eq!(count(&second, what), 0, "nothing twice: {second}");
    }
    let (ok, _, stderr) = crate::server::run_cli(&url, &["sweep", "--reminder-days", "9999"], "");
    assert!(!ok);
    assert!(stderr.contains("reminderDays"), "{stderr}");
}

#[tokio::test]
async fn serve_sweeps_deadlines_on_its_own() {
    let server =
        crate::server::Server::start(&["--demo"], &[("PENDAMPING_SWEEP_INTERVAL_SECS", "1")]);
    let sekda =
        crate::server::login(&server, "sekda@mamujutengah.example", "pendamping-demo").await;
    let mut told = 0;
    for _ in 0..50 {
        let (_, body) =
            crate::server::graphql_as(&server, &sekda, "{ notifications { totalCount } }").await;
        told = body["data"]["notifications"]["totalCount"]
            .as_i64()
            .unwrap_or(0);
        if told > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(
        told > 0,
        "the coordinator hears of overdue items escalated to the district"
    );
}

/// `pendamping backup --to FILE` copies a served SQLite database consistently
/// (VACUUM INTO) while the server runs; a server started on the copy has the data.
#[tokio::test]
async fn an_sqlite_database_is_backed_up_while_it_is_served() {
    if std::env::var("PENDAMPING_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        println!("backup: SQLite only here (PostgreSQL: pg_dump, docs/operations.md)");
        return;
    }
    let url = crate::server::fresh_database_url();
    let server = crate::server::Server::start_with(&url, &["--demo"], &[]);
    let admin = crate::server::login(&server, "admin@demo.example", "pendamping-demo").await;
    let copy = std::env::temp_dir().join(format!("pdp_backup_{}.db", std::process::id()));
    let _ = std::fs::remove_file(&copy);
    let (ok, out, err) =
        crate::server::run_cli(&url, &["backup", "--to", copy.to_str().unwrap()], "");
    assert!(ok, "{out}\n{err}");
    // Refuses to overwrite.
    let (ok, _, err) =
        crate::server::run_cli(&url, &["backup", "--to", copy.to_str().unwrap()], "");
    assert!(!ok, "a second backup to the same file is refused: {err}");
    let query = "{ districts(first: 50) { totalCount } actionItems(first: 1) { totalCount } }";
    let (_, live) = crate::server::graphql_as(&server, &admin, query).await;
    let restored =
        crate::server::Server::start_on(&format!("sqlite://{}?mode=rwc", copy.display()));
    let admin = crate::server::login(&restored, "admin@demo.example", "pendamping-demo").await;
    let (_, copied) = crate::server::graphql_as(&restored, &admin, query).await;
    assert_eq!(live["data"], copied["data"]);
    assert!(live["data"]["actionItems"]["totalCount"].as_u64().unwrap() > 0);
}

//! Authentication: passwords, sessions, dashboard tokens, the login rate limit,
//! and changes that fail half way leaving no trace.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use chrono::Duration;
use common::{DEMO_PASSWORD, TestEngine};
use pendamping_domain::identity::{Actor, Role, RoleAssignment, Scope};
use pendamping_domain::reference::DistrictId;
use pendamping_engine::{Engine, EngineError, NewUser};

const SEKDA: &str = "sekda@mamujutengah.example";

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_fail_alike() {
    let engine = common::demo().await.engine;
    let wrong = engine
        .login(SEKDA, "not the password", None)
        .await
        .unwrap_err();
    let unknown = engine
        .login("nobody@nowhere.example", "not the password", None)
        .await
        .unwrap_err();
    assert_eq!(wrong.to_string(), unknown.to_string());
    assert!(matches!(wrong, EngineError::Unauthenticated(_)));
    let (issued, user) = engine
        .login(" SEKDA@MamujuTengah.example ", DEMO_PASSWORD, None)
        .await
        .unwrap();
    assert_eq!(user.email, SEKDA, "e-mails are matched case-insensitively");
    assert!(issued.token.starts_with("pdp_"));
    let actor = engine.authenticate(&issued.token).await.unwrap();
    assert_eq!(actor.assignments[0].role, Role::DistrictCoordinator);
}

#[tokio::test]
async fn repeated_failures_delay_the_account_for_a_while() {
    let TestEngine { engine, clock, .. } = common::demo().await;
    for _ in 0..5 {
        let err = engine
            .login(SEKDA, "guess", Some("10.0.0.1"))
            .await
            .unwrap_err();
        assert!(matches!(err, EngineError::Unauthenticated(_)));
    }
    // Even the right password is refused while locked.
    let locked = engine
        .login(SEKDA, DEMO_PASSWORD, Some("10.0.0.2"))
        .await
        .unwrap_err();
    assert!(matches!(locked, EngineError::Throttled { .. }), "{locked}");
    // Other accounts are not affected.
    assert!(
        engine
            .login("admin@demo.example", DEMO_PASSWORD, Some("10.0.0.2"))
            .await
            .is_ok()
    );
    clock.advance(Duration::minutes(16));
    assert!(
        engine
            .login(SEKDA, DEMO_PASSWORD, Some("10.0.0.2"))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_limited_too() {
    let engine = common::demo().await.engine;
    for i in 0..20 {
        let _ = engine
            .login(
                &format!("user{i}@guess.example"),
                "guess",
                Some("192.0.2.7"),
            )
            .await;
    }
    let limited = engine
        .login(SEKDA, DEMO_PASSWORD, Some("192.0.2.7"))
        .await
        .unwrap_err();
    assert!(matches!(limited, EngineError::Throttled { .. }));
    assert!(
        engine
            .login(SEKDA, DEMO_PASSWORD, Some("192.0.2.8"))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn sessions_expire_and_logout_revokes() {
    let TestEngine { engine, clock, .. } = common::demo().await;
    let (issued, _) = engine.login(SEKDA, DEMO_PASSWORD, None).await.unwrap();
    clock.advance(Duration::hours(11));
    assert!(engine.authenticate(&issued.token).await.is_ok());
    clock.advance(Duration::hours(2));
    let expired = engine.authenticate(&issued.token).await.unwrap_err();
    assert!(expired.to_string().contains("expired"), "{expired}");

    let (issued, _) = engine.login(SEKDA, DEMO_PASSWORD, None).await.unwrap();
    assert!(engine.logout(&issued.token).await.unwrap());
    let revoked = engine.authenticate(&issued.token).await.unwrap_err();
    assert!(revoked.to_string().contains("revoked"), "{revoked}");
}

#[tokio::test]
async fn dashboard_tokens_are_viewers_until_revoked() {
    let engine = common::demo().await.engine;
    let admin = Actor::system("test");
    let scope = engine
        .resolve_scope(Some("district:Kabupaten Mamuju Tengah"))
        .await
        .unwrap();
    let issued = engine
        .create_api_token(&admin, "Wall screen", scope, None)
        .await
        .unwrap();
    let actor = engine.authenticate(&issued.token).await.unwrap();
    assert_eq!(
        actor.assignments,
        vec![RoleAssignment::new(Role::Viewer, scope).unwrap()]
    );
    assert_eq!(actor.user_id, None);

    // Only VIEWER within an office or district: never an OPD scope.
    let opd = engine.resolve_scope(Some("opd:1")).await.unwrap();
    assert!(matches!(
        engine.create_api_token(&admin, "x", opd, None).await,
        Err(EngineError::Invalid(_))
    ));
    // A coordinator creates and revokes them for its own district only.
    let sekda = engine
        .authenticate(
            &engine
                .login(SEKDA, DEMO_PASSWORD, None)
                .await
                .unwrap()
                .0
                .token,
        )
        .await
        .unwrap();
    let office = engine.resolve_scope(Some("office:SULBAR")).await.unwrap();
    let neighbour = engine
        .resolve_scope(Some("district:Kabupaten Mamuju"))
        .await
        .unwrap();
    for elsewhere in [office, neighbour] {
        assert!(matches!(
            engine
                .create_api_token(&sekda, "not mine", elsewhere, None)
                .await,
            Err(EngineError::Forbidden(_))
        ));
    }
    let mine = engine
        .create_api_token(&sekda, "mine", scope, None)
        .await
        .unwrap();
    let neighbours = engine
        .create_api_token(&admin, "theirs", neighbour, None)
        .await
        .unwrap();
    assert!(matches!(
        engine.revoke_api_token(&sekda, neighbours.id).await,
        Err(EngineError::Forbidden(_))
    ));
    engine.revoke_api_token(&sekda, mine.id).await.unwrap();
    assert!(engine.authenticate(&mine.token).await.is_err());
    assert!(engine.authenticate(&neighbours.token).await.is_ok());

    engine.revoke_api_token(&admin, issued.id).await.unwrap();
    assert!(engine.authenticate(&issued.token).await.is_err());
    assert!(matches!(
        engine.revoke_api_token(&admin, issued.id).await,
        Err(EngineError::NotFound(_))
    ));
}

#[tokio::test]
async fn a_change_that_fails_half_way_leaves_no_trace() {
    let engine = common::demo().await.engine;
    let admin = Actor::system("test");
    // The user row is written first; the role's scope names no district, so
    // the assignment fails and the whole change must roll back.
    let err = engine
        .create_user(
            &admin,
            NewUser {
                email: "ghost@test.example".into(),
                display_name: "Ghost".into(),
                password: "a long enough password".into(),
                assignments: vec![
                    RoleAssignment::new(
                        Role::DistrictCoordinator,
                        Scope::District(DistrictId(999_999)),
                    )
                    .unwrap(),
                ],
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, EngineError::Invalid(ref e) if e[0].field == "scope"),
        "{err}"
    );
    let login = engine
        .login("ghost@test.example", "a long enough password", None)
        .await;
    assert!(login.is_err(), "no user was left behind");
    let reader = engine.reader(&admin);
    let audit = reader
        .audit_events(&Default::default(), &Default::default())
        .await
        .unwrap();
    assert!(
        audit.items.iter().all(|(_, e)| e.action != "USER_CREATED"),
        "no audit entry was left behind"
    );
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_hashes() {
    let engine = common::demo().await.engine;
    let admin = Actor::system("test");
    let user = engine
        .create_user(
            &admin,
            NewUser {
                email: "new@test.example".into(),
                display_name: "New".into(),
                password: "correct horse battery".into(),
                assignments: vec![
                    RoleAssignment::new(Role::SystemAdmin, Scope::Everything).unwrap(),
                ],
            },
        )
        .await
        .unwrap();
    let stored = pendamping_storage::identity::user_by_email(&engine_db(&engine), &user.email)
        .await
        .unwrap()
        .unwrap();
    let hash = stored.password_hash.unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("correct horse battery"));
    // Short passwords and bad e-mails are refused, naming the field.
    let err = engine
        .create_user(
            &admin,
            NewUser {
                email: "not-an-email".into(),
                display_name: "X".into(),
                password: "short".into(),
                assignments: vec![
                    RoleAssignment::new(Role::SystemAdmin, Scope::Everything).unwrap(),
                ],
            },
        )
        .await
        .unwrap_err();
    let EngineError::Invalid(errors) = err else {
        panic!("{err}")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["email", "password"]);
}

fn engine_db(engine: &Engine) -> pendamping_engine::Db {
    engine.db().clone()
}

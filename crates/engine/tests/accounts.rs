//! Accounts and sessions: revoking API tokens never ends login sessions, the
//! login throttle holds under a burst of simultaneous attempts, password
//! hashing stays off the async workers, and the account life cycle (create,
//! change password, reset code, deactivate) ends the sessions it must.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use chrono::Duration;
use common::{DEMO_PASSWORD, TestEngine, session};
use pendamping_domain::identity::{Actor, Role, RoleAssignment};
use pendamping_engine::{AuthConfig, EngineError, NewUser};

const SEKDA: &str = "sekda@mamujutengah.example";
const RSUD: &str = "rsud@mamujutengah.example";
const LEAD: &str = "kepala@sulbar.example";
const SEKDA_MAMUJU: &str = "sekda@mamuju.example";

#[tokio::test]
async fn revoking_an_api_token_never_ends_a_login_session() {
    let engine = common::demo().await.engine;
    let admin = Actor::system("test");
    let (issued, _) = engine.login(SEKDA, DEMO_PASSWORD, None).await.unwrap();
    // The session's id, tried as if it were a dashboard token's.
    let refused = engine.revoke_api_token(&admin, issued.id).await;
    assert!(
        matches!(refused, Err(EngineError::NotFound(_))),
        "a login session is not an API token: {refused:?}"
    );
    assert!(
        engine.authenticate(&issued.token).await.is_ok(),
        "the Sekda's session survives"
    );
}

/// 200 wrong-password logins for one account at once: the throttle admits
/// no more of them to a password check than the per-account limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_simultaneous_logins_is_evaluated_no_more_than_the_limit() {
    let engine = common::demo().await.engine;
    let limit = AuthConfig::default().max_failures_per_account;
    let before = engine.password_checks();
    let mut tasks = Vec::new();
    for i in 0..200 {
        let engine = engine.clone();
        tasks.push(tokio::spawn(async move {
            // Many addresses, so that only the per-account limit can hold.
            let address = format!("198.51.100.{}", i % 250);
            engine
                .login(SEKDA, "wrong password", Some(&address))
                .await
                .unwrap_err()
        }));
    }
    let mut evaluated = 0;
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap() {
            EngineError::Unauthenticated(_) => evaluated += 1,
            EngineError::Throttled {
                retry_after_seconds,
            } => {
                assert!(retry_after_seconds > 0);
                refused += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let checks = engine.password_checks() - before;
    println!(
        "200 simultaneous wrong-password logins for one account: {evaluated} evaluated \
         ({checks} password checks), {refused} refused; limit {limit}"
    );
    assert_eq!(evaluated + refused, 200);
    assert!(evaluated as u64 <= limit, "{evaluated} evaluated > {limit}");
    assert!(checks <= limit, "{checks} password checks > {limit}");
    assert_eq!(
        evaluated as u64, limit,
        "the limit is reached, not undershot"
    );
}

/// The same for one address trying many accounts at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_from_one_address_is_evaluated_no_more_than_its_limit() {
    let engine = common::demo().await.engine;
    let limit = AuthConfig::default().max_failures_per_address;
    let mut tasks = Vec::new();
    for i in 0..200 {
        let engine = engine.clone();
        tasks.push(tokio::spawn(async move {
            engine
                .login(
                    &format!("user{i}@guess.example"),
                    "guess",
                    Some("192.0.2.7"),
                )
                .await
                .unwrap_err()
        }));
    }
    let mut evaluated = 0u64;
    for task in tasks {
        if matches!(task.await.unwrap(), EngineError::Unauthenticated(_)) {
            evaluated += 1;
        }
    }
    println!("200 simultaneous logins from one address: {evaluated} evaluated; limit {limit}");
    assert_eq!(evaluated, limit);
}

#[tokio::test]
async fn the_delay_grows_and_refusals_do_not_extend_it() {
    let TestEngine { engine, clock, .. } = common::demo().await;
    let config = AuthConfig::default();
    for _ in 0..config.max_failures_per_account {
        let err = engine.login(SEKDA, "guess", None).await.unwrap_err();
        assert!(matches!(err, EngineError::Unauthenticated(_)), "{err}");
    }
    // Refused, even with the right password, for the first delay.
    let first = match engine.login(SEKDA, DEMO_PASSWORD, None).await.unwrap_err() {
        EngineError::Throttled {
            retry_after_seconds,
        } => retry_after_seconds,
        other => panic!("{other}"),
    };
    assert_eq!(first, config.throttle_base.num_seconds() as u64);
    // Hammering while refused does not push the delay back.
    for _ in 0..50 {
        assert!(matches!(
            engine.login(SEKDA, "guess", None).await,
            Err(EngineError::Throttled { .. })
        ));
    }
    clock.advance(config.throttle_base);
    // One more failure doubles the delay …
    assert!(matches!(
        engine.login(SEKDA, "guess", None).await,
        Err(EngineError::Unauthenticated(_))
    ));
    let second = match engine.login(SEKDA, DEMO_PASSWORD, None).await.unwrap_err() {
        EngineError::Throttled {
            retry_after_seconds,
        } => retry_after_seconds,
        other => panic!("{other}"),
    };
    assert_eq!(second, 2 * first);
    // … and once it has passed, the owner gets in, which clears the count.
    clock.advance(Duration::seconds(second as i64));
    assert!(engine.login(SEKDA, DEMO_PASSWORD, None).await.is_ok());
    assert!(matches!(
        engine.login(SEKDA, "guess", None).await,
        Err(EngineError::Unauthenticated(_))
    ));
}

/// Password checks run on blocking threads. On a runtime with ONE async
/// worker, a 1 ms ticker keeps ticking while a login's password is being
/// checked; had the check run on the worker, the worker would be blocked for
/// the whole hash and the ticker would see the check only once it was over.
/// Then 50 logins at once, measured (on a shared two-core machine the
/// blocking threads compete with the worker for CPU, so that figure is
/// reported, not asserted).
#[tokio::test(flavor = "current_thread")]
async fn password_checks_leave_the_async_worker_free() {
    let engine = common::demo().await.engine;
    let login = tokio::spawn({
        let engine = engine.clone();
        async move {
            let _ = engine
                .login("nobody@nowhere.example", "a wrong password", None)
                .await;
        }
    });
    // Until the check has begun …
    while engine.password_checks() == 0 {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    // … then tick until the login is over.
    let mut ticks_during_check = 0;
    while !login.is_finished() {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        ticks_during_check += 1;
    }
    println!(
        "a 1 ms ticker on the single async worker ticked {ticks_during_check} times during one login's password check"
    );
    assert!(
        ticks_during_check >= 5,
        "the worker was blocked during the check: {ticks_during_check} ticks"
    );

    let mut logins = tokio::task::JoinSet::new();
    for i in 0..50 {
        let engine = engine.clone();
        logins.spawn(async move {
            let _ = engine
                .login(
                    &format!("user{i}@nowhere.example"),
                    "a wrong password",
                    Some(&format!("203.0.113.{i}")),
                )
                .await;
        });
    }
    let started = std::time::Instant::now();
    let query = engine.reader(&Actor::system("probe"));
    let mut slowest = std::time::Duration::ZERO;
    let mut probes = 0;
    while !logins.is_empty() {
        let asked = std::time::Instant::now();
        query
            .audit_events(&Default::default(), &Default::default())
            .await
            .unwrap();
        slowest = slowest.max(asked.elapsed());
        probes += 1;
        while logins.try_join_next().is_some() {}
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    println!(
        "while 50 logins were checked ({:?}), {probes} small reads answered, the slowest in {slowest:?}",
        started.elapsed()
    );
    assert!(probes > 1, "reads were answered while the logins ran");
}

#[tokio::test]
async fn a_sekda_creates_an_officer_who_changes_the_password() {
    let engine = common::demo().await.engine;
    let (sekda, _) = session(&engine, SEKDA).await;
    // An OPD of the Sekda's district: the RSUD's.
    let (rsud_actor, _) = session(&engine, RSUD).await;
    let opd = rsud_actor.assignments[0].scope;
    let officer = engine
        .create_user(
            &sekda,
            NewUser {
                email: "petugas.baru@mamujutengah.example".into(),
                display_name: "Petugas baru".into(),
                password: "first password 123".into(),
                assignments: vec![RoleAssignment::new(Role::OpdOfficer, opd).unwrap()],
            },
        )
        .await
        .unwrap();
    // The Sekda may not make a coordinator, nor a viewer of another district.
    let (other, _) = session(&engine, SEKDA_MAMUJU).await;
    for assignment in [
        RoleAssignment::new(Role::DistrictCoordinator, sekda.assignments[0].scope).unwrap(),
        RoleAssignment::new(Role::Viewer, other.assignments[0].scope).unwrap(),
    ] {
        let err = engine
            .create_user(
                &sekda,
                NewUser {
                    email: "too.wide@mamujutengah.example".into(),
                    display_name: "Too wide".into(),
                    password: "a long enough password".into(),
                    assignments: vec![assignment],
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, EngineError::Forbidden(_)), "{err}");
    }

    let (first, _) = engine
        .login(&officer.email, "first password 123", None)
        .await
        .unwrap();
    let (second, _) = engine
        .login(&officer.email, "first password 123", None)
        .await
        .unwrap();
    let me = engine.authenticate(&first.token).await.unwrap();
    let wrong = engine
        .change_password(
            &me,
            Some(&first.token),
            "not my password",
            "second password 456",
        )
        .await
        .unwrap_err();
    assert!(
        matches!(wrong, EngineError::Invalid(ref e) if e[0].field == "oldPassword"),
        "{wrong}"
    );
    engine
        .change_password(
            &me,
            Some(&first.token),
            "first password 123",
            "second password 456",
        )
        .await
        .unwrap();
    assert!(
        engine.authenticate(&first.token).await.is_ok(),
        "this session stays"
    );
    assert!(
        engine.authenticate(&second.token).await.is_err(),
        "the other ends"
    );
    assert!(
        engine
            .login(&officer.email, "first password 123", None)
            .await
            .is_err()
    );
    assert!(
        engine
            .login(&officer.email, "second password 456", None)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_reset_code_works_once_before_it_expires_and_ends_every_session() {
    let TestEngine { engine, clock, .. } = common::demo().await;
    let (sekda, _) = session(&engine, SEKDA).await;
    let (officer, officer_token) = session(&engine, RSUD).await;
    let officer_id = officer.user_id.unwrap();
    let issued = engine
        .issue_password_reset(&sekda, officer_id)
        .await
        .unwrap();
    assert_eq!(issued.code.len(), 14);
    // A second code replaces the first.
    let issued_again = engine
        .issue_password_reset(&sekda, officer_id)
        .await
        .unwrap();
    let stale = engine
        .reset_password(RSUD, &issued.code, "a brand new password", None)
        .await
        .unwrap_err();
    assert!(
        matches!(stale, EngineError::Invalid(ref e) if e[0].field == "code"),
        "{stale}"
    );
    engine
        .reset_password(
            RSUD,
            &issued_again.code.to_lowercase(),
            "a brand new password",
            None,
        )
        .await
        .unwrap();
    assert!(
        engine.authenticate(&officer_token).await.is_err(),
        "sessions ended"
    );
    assert!(
        engine
            .login(RSUD, "a brand new password", None)
            .await
            .is_ok()
    );
    // Used once: never again.
    assert!(
        engine
            .reset_password(RSUD, &issued_again.code, "another new password", None)
            .await
            .is_err()
    );
    // Expired codes do not work.
    let late = engine
        .issue_password_reset(&sekda, officer_id)
        .await
        .unwrap();
    clock.advance(AuthConfig::default().reset_code_ttl + Duration::seconds(1));
    assert!(
        engine
            .reset_password(RSUD, &late.code, "another new password", None)
            .await
            .is_err()
    );
    // A Sekda of another district may not issue one for this officer.
    let (other, _) = session(&engine, SEKDA_MAMUJU).await;
    assert!(matches!(
        engine.issue_password_reset(&other, officer_id).await,
        Err(EngineError::NotFound(_))
    ));
    // Nor may an officer for the Sekda (a peer or above is never managed).
    assert!(
        engine
            .issue_password_reset(&officer, sekda.user_id.unwrap())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_deactivated_user_is_shut_out_at_once_and_can_come_back() {
    let engine = common::demo().await.engine;
    let (lead, _) = session(&engine, LEAD).await;
    let (sekda, sekda_token) = session(&engine, SEKDA).await;
    let sekda_id = sekda.user_id.unwrap();
    let user = engine
        .set_user_active(&lead, sekda_id, false)
        .await
        .unwrap();
    assert!(user.user.disabled);
    assert!(engine.authenticate(&sekda_token).await.is_err());
    assert!(engine.login(SEKDA, DEMO_PASSWORD, None).await.is_err());
    engine.set_user_active(&lead, sekda_id, true).await.unwrap();
    assert!(
        engine.authenticate(&sekda_token).await.is_err(),
        "old sessions stay ended"
    );
    assert!(engine.login(SEKDA, DEMO_PASSWORD, None).await.is_ok());
    // The Sekda cannot deactivate the lead.
    let (sekda, _) = session(&engine, SEKDA).await;
    assert!(
        engine
            .set_user_active(&sekda, lead.user_id.unwrap(), false)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn sessions_are_listed_and_revoked_by_their_owner_only() {
    let engine = common::demo().await.engine;
    let (sekda, token) = session(&engine, SEKDA).await;
    let (_, other_token) = session(&engine, SEKDA).await;
    let sessions = engine.my_sessions(&sekda, Some(&token)).await.unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s.current).count(), 1);
    let other = sessions.iter().find(|s| !s.current).unwrap();
    let (officer, _) = session(&engine, RSUD).await;
    assert!(matches!(
        engine.revoke_session(&officer, other.id).await,
        Err(EngineError::NotFound(_))
    ));
    engine.revoke_session(&sekda, other.id).await.unwrap();
    assert!(engine.authenticate(&other_token).await.is_err());
    assert!(engine.authenticate(&token).await.is_ok());
}

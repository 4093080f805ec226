//! The scenarios, in the order they run.

use std::future::Future;
use std::pin::Pin;

use anyhow::ensure;

use crate::kit::js_string;
use crate::{Scenario, World};

type Run<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

pub const ALL: &[(&str, Scenario)] = &[
    ("the_observer_catches_what_a_clean_page_never_does", |w| {
        Box::pin(the_observer_catches_what_a_clean_page_never_does(w)) as Run<'_>
    }),
    ("login_page_in_indonesian_and_english", |w| {
        Box::pin(login_page_in_indonesian_and_english(w))
    }),
    ("graphiql_works_offline_with_the_session", |w| {
        Box::pin(graphiql_works_offline_with_the_session(w))
    }),
    ("graphiql_works_offline_with_a_bearer_token", |w| {
        Box::pin(graphiql_works_offline_with_a_bearer_token(w))
    }),
    ("every_role_reaches_a_clean_first_screen", |w| {
        Box::pin(every_role_reaches_a_clean_first_screen(w))
    }),
    ("viewer_wall_board_loads", |w| {
        Box::pin(viewer_wall_board_loads(w))
    }),
    ("photo_submitted_verified_and_seen_live_on_the_board", |w| {
        Box::pin(photo_submitted_verified_and_seen_live_on_the_board(w))
    }),
];

/// Each demo user, the screen they land on after logging in, and its screenshot.
const FIRST_SCREENS: &[(&str, &str, &str)] = &[
    (
        "rsud@mamujutengah.example",
        "my-items",
        "opd-officer-my-items.png",
    ),
    (
        "sekda@mamujutengah.example",
        "district-board",
        "sekda-district-board.png",
    ),
    (
        "asisten@sulbar.example",
        "verification-queue",
        "assessor-verification-queue.png",
    ),
    (
        "kepala@sulbar.example",
        "office-board",
        "lead-office-board.png",
    ),
    (
        "viewer@mamujutengah.example",
        "district-board",
        "viewer-district-board.png",
    ),
    ("admin@demo.example", "admin", "admin-first-screen.png"),
];

/// Every demo role logs in and lands on its work, in Indonesian, with no
/// console error, no failed request and no request to another host; the
/// OPD officer's list is also shot on a 360-px phone.
async fn every_role_reaches_a_clean_first_screen(world: &World) -> anyhow::Result<()> {
    for (email, screen, shot) in FIRST_SCREENS {
        let tab = world.chromium.tab(&world.server, "id-ID,id;q=0.9").await?;
        tab.log_in(email).await?;
        tab.wait_for(&format!("[data-testid='{screen}']"))
            .await
            .map_err(|err| err.context(format!("{email}'s first screen")))?;
        let lang: String = tab.eval("document.documentElement.lang").await?;
        ensure!(lang == "id", "{email} sees <html lang={lang:?}>");
        tab.assert_clean(&format!("{email}'s first screen"))?;
        tab.screenshot(shot).await?;
        if *screen == "my-items" {
            tab.size(360, 740, true).await?;
            tab.goto(&tab.path().await?).await?;
            tab.wait_for("[data-testid='my-items']").await?;
            let overflow: i64 = tab
                .eval("document.documentElement.scrollWidth - window.innerWidth")
                .await?;
            ensure!(
                overflow <= 0,
                "the OPD officer's list is {overflow} px wider than a 360-px phone"
            );
            tab.assert_clean("the OPD officer's list on a phone")?;
            tab.screenshot("opd-officer-my-items-phone-360.png").await?;
        }
        tab.close().await;
    }
    Ok(())
}

/// The viewer's wall board: readable from across the room, refreshing itself.
async fn viewer_wall_board_loads(world: &World) -> anyhow::Result<()> {
    let tab = world.chromium.tab(&world.server, "id-ID,id;q=0.9").await?;
    tab.log_in("viewer@mamujutengah.example").await?;
    tab.size(1920, 1080, false).await?;
    tab.goto("/wall").await?;
    tab.wait_for("[data-testid='wall-board']").await?;
    let tiles: i64 = tab
        .eval("document.querySelectorAll(\"[data-testid='wall-board'] .wall-tiles li[data-id]\").length")
        .await?;
    ensure!(tiles > 0, "the wall board shows no OPD");
    // A wall screen cannot be scrolled: the whole board fits one 1920×1080 screen.
    let overflow: i64 = tab
        .eval("document.documentElement.scrollHeight - window.innerHeight")
        .await?;
    ensure!(
        overflow <= 0,
        "the wall board is {overflow} px taller than a 1920×1080 screen"
    );
    tab.assert_clean("the wall board")?;
    tab.screenshot("viewer-wall-board-1920.png").await?;
    tab.close().await;

    // The wall screen itself: no login, a read-only dashboard token in the URL.
    let wall = world.chromium.tab(&world.server, "id-ID,id;q=0.9").await?;
    wall.goto("/").await?;
    let token: String = wall
        .eval(
            "(async () => {
               const gql = async (query, variables, token) => {
                 const headers = {'content-type': 'application/json'};
                 if (token) headers.authorization = 'Bearer ' + token;
                 const r = await fetch('/graphql', {method: 'POST', headers,
                   body: JSON.stringify({query, variables})});
                 return (await r.json()).data;
               };
               const admin = (await gql('mutation { login(input: {email: \"admin@demo.example\", \
                 password: \"pendamping-demo\"}) { token } }')).login.token;
               const districts = (await gql('{ districts(first: 100) { nodes { id name } } }',
                 {}, admin)).districts.nodes;
               const district = districts.find(d => d.name === 'Kabupaten Mamuju Tengah');
               const made = await gql('mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) \
                 { token userErrors { message } } }',
                 {i: {label: 'Layar dinding, ruang Sekda', scopeId: district.id}}, admin);
               return made.createApiToken.token;
             })()",
        )
        .await?;
    wall.goto(&format!("/wall?token={token}")).await?;
    wall.wait_for("[data-testid='wall-board']").await?;
    let refresh: bool = wall
        .eval(
            "!!document.querySelector('meta[http-equiv=refresh]') || !!document.body.dataset.live",
        )
        .await?;
    ensure!(
        refresh,
        "the wall board neither refreshes nor listens for changes"
    );
    wall.assert_clean("the wall board of a dashboard token")?;
    wall.screenshot("wall-screen-dashboard-token-1280.png")
        .await?;
    wall.close().await;
    Ok(())
}

/// The statuses an OPD officer can still work on.
const WORKABLE: &str = "['OPEN', 'IN_PROGRESS', 'REJECTED']";

/// An OPD officer adds a photo (made here, uploaded through the file input)
/// to an item and submits it; the assessor verifies it; the Sekda's board,
/// open all along in a third browser context, shows it verified without a reload.
async fn photo_submitted_verified_and_seen_live_on_the_board(world: &World) -> anyhow::Result<()> {
    let server = &world.server;
    let sekda = world.chromium.tab(server, "id-ID,id;q=0.9").await?;
    sekda.log_in("sekda@mamujutengah.example").await?;
    sekda.wait_for("[data-testid='district-board']").await?;
    let on_board: Vec<String> = sekda
        .eval(
            "[...document.querySelectorAll(\"[data-testid='board-item']\")].map(e => e.dataset.id)",
        )
        .await?;

    let opd = world.chromium.tab(server, "id-ID,id;q=0.9").await?;
    opd.log_in("rsud@mamujutengah.example").await?;
    opd.wait_for("[data-testid='my-items']").await?;
    let mine: Vec<String> = opd
        .eval(&format!(
            "[...document.querySelectorAll(\"[data-testid='action-item']\")]\
             .filter(e => {WORKABLE}.includes(e.dataset.status)).map(e => e.dataset.id)"
        ))
        .await?;
    let Some(id) = mine.iter().find(|id| on_board.contains(id)).cloned() else {
        anyhow::bail!(
            "no item of the OPD officer to work on is on the Sekda's board (mine {mine:?}, board {on_board:?})"
        );
    };
    let item = |status: &str| {
        format!("[data-testid='item-status'][data-id='{id}'][data-status='{status}']")
    };

    // The Sekda's board, marked so that a reload would show.
    sekda
        .eval::<serde_json::Value>("(() => { window.__stillTheSamePage = true; return null; })()")
        .await?;
    let on_board_now: String = sekda
        .eval(&format!(
            "document.querySelector(\"[data-testid='board-item'][data-id='{id}']\").dataset.status"
        ))
        .await?;
    ensure!(on_board_now != "VERIFIED", "the item is already verified");

    // The OPD officer: start or resume if needed, add a photo, submit.
    opd.goto(&format!("/items/{id}")).await?;
    opd.wait_for("[data-testid='item']").await?;
    for step in ["start", "resume"] {
        let enabled: bool = opd
            .eval(&format!(
                "!!document.querySelector(\"button[data-testid='{step}']:not([disabled])\")"
            ))
            .await?;
        if enabled {
            opd.click(&format!("button[data-testid='{step}']")).await?;
            opd.wait_for(&item("IN_PROGRESS")).await?;
        }
    }
    let photo = server.folder().join("foto-bukti.png");
    std::fs::write(&photo, crate::kit::png(48))?;
    let evidence_before: i64 = opd
        .eval("document.querySelectorAll(\"a[href^='/evidence/'], img[src^='/evidence/']\").length")
        .await?;
    opd.upload("input[type=file][name=photo]", &photo).await?;
    opd.click("button[data-testid='add-photo']").await?;
    opd.wait_js(
        &format!(
            "document.readyState === 'complete' && \
             document.querySelectorAll(\"a[href^='/evidence/'], img[src^='/evidence/']\").length > {evidence_before}"
        ),
        "the photo among the evidence",
    )
    .await?;
    opd.click("button[data-testid='submit-item']:not([disabled])")
        .await?;
    opd.wait_for(&item("SUBMITTED")).await?;
    opd.assert_clean("the OPD officer's item page")?;
    opd.screenshot("opd-officer-item-submitted.png").await?;

    // The assessor: the item is in the queue; its photo shows in the page; verify.
    let assessor = world.chromium.tab(server, "id-ID,id;q=0.9").await?;
    assessor.log_in("asisten@sulbar.example").await?;
    assessor
        .wait_for(&format!("[data-testid='queue-item'][data-id='{id}']"))
        .await?;
    assessor.goto(&format!("/items/{id}")).await?;
    assessor.wait_for(&item("SUBMITTED")).await?;
    assessor
        .wait_js(
            "[...document.querySelectorAll(\"img[src^='/evidence/']\")].some(i => i.complete && i.naturalWidth === 48)",
            "the photo previewed in the assessor's page",
        )
        .await?;
    assessor.screenshot("assessor-item-with-photo.png").await?;
    assessor.click("button[data-testid='verify']").await?;
    assessor.wait_for(&item("VERIFIED")).await?;
    assessor.assert_clean("the assessor's item page")?;

    // The Sekda's board changed by itself.
    sekda
        .wait_js(
            &format!("document.querySelector(\"[data-testid='board-item'][data-id='{id}'][data-status='VERIFIED']\")"),
            "the Sekda's board to show the item verified",
        )
        .await?;
    let same_page: bool = sekda.eval("window.__stillTheSamePage === true").await?;
    ensure!(
        same_page,
        "the Sekda's board was reloaded instead of updated live"
    );
    sekda.assert_clean("the Sekda's live board")?;
    sekda
        .screenshot("sekda-board-after-live-update.png")
        .await?;
    for tab in [opd, assessor, sekda] {
        tab.close().await;
    }
    Ok(())
}

/// The checks every other scenario relies on can fail: a console error, a
/// request answered 404 and a request to another host (a closed port on this
/// machine) are all seen, and `assert_clean` refuses the page.
async fn the_observer_catches_what_a_clean_page_never_does(world: &World) -> anyhow::Result<()> {
    let tab = world.chromium.tab(&world.server, "id-ID,id;q=0.9").await?;
    tab.goto("/").await?;
    tab.assert_clean("the login page before the probe")?;
    tab.eval::<serde_json::Value>(
        "(() => { console.error('probe'); fetch('/no-such-page-for-the-probe'); \
         new Image().src = 'http://127.0.0.1:9/probe.png'; return null; })()",
    )
    .await?;
    let deadline = std::time::Instant::now() + crate::kit::PATIENCE;
    loop {
        let seen = tab.seen();
        let caught = seen.console_errors.iter().any(|e| e.contains("probe"))
            && seen.failed_requests.iter().any(|r| r.contains("404"))
            && seen.other_hosts.iter().any(|u| u.contains("127.0.0.1:9/"));
        if caught {
            break;
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "the observer missed part of the probe: {seen:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    ensure!(
        tab.assert_clean("the probed page").is_err(),
        "assert_clean passed a page with errors"
    );
    tab.close().await;
    Ok(())
}

/// The login page renders in Indonesian for an Indonesian browser, and in
/// English after the visible switch; with nothing from another host.
async fn login_page_in_indonesian_and_english(world: &World) -> anyhow::Result<()> {
    let tab = world.chromium.tab(&world.server, "id-ID,id;q=0.9").await?;
    tab.goto("/").await?;
    tab.wait_for("form[action='/login']").await?;
    let lang: String = tab.eval("document.documentElement.lang").await?;
    ensure!(
        lang == "id",
        "an Indonesian browser gets <html lang={lang:?}>"
    );
    let indonesian = tab
        .text("form[action='/login'] button[type=submit]")
        .await?;
    tab.assert_clean("the Indonesian login page")?;
    tab.screenshot("login-id.png").await?;

    tab.click("a[hreflang=en]").await?;
    tab.wait_js("document.documentElement.lang === 'en'", "the English page")
        .await?;
    tab.wait_for("form[action='/login']").await?;
    let english = tab
        .text("form[action='/login'] button[type=submit]")
        .await?;
    ensure!(
        indonesian != english,
        "the login button reads {indonesian:?} in both languages"
    );
    tab.assert_clean("the English login page")?;
    tab.screenshot("login-en.png").await?;

    // The choice is remembered.
    tab.goto("/").await?;
    let lang: String = tab.eval("document.documentElement.lang").await?;
    ensure!(
        lang == "en",
        "the language switch was not remembered: {lang:?}"
    );
    tab.close().await;
    Ok(())
}

/// Waits for GraphiQL's editor, runs the query in it, and returns the response text.
async fn run_in_graphiql(tab: &crate::kit::Tab) -> anyhow::Result<String> {
    tab.wait_for(".graphiql-container .graphiql-query-editor .CodeMirror")
        .await?;
    tab.click(".graphiql-execute-button").await?;
    tab.wait_js(
        "(document.querySelector('.graphiql-response') || {innerText: ''}).innerText.includes('\"data\"')",
        "GraphiQL's answer",
    )
    .await?;
    tab.eval("document.querySelector('.graphiql-response').innerText")
        .await
}

/// GraphiQL loads from the binary alone and runs a query as the web session's user.
async fn graphiql_works_offline_with_the_session(world: &World) -> anyhow::Result<()> {
    let tab = world.chromium.tab(&world.server, "id-ID,id;q=0.9").await?;
    tab.log_in("sekda@mamujutengah.example").await?;
    tab.goto("/graphql").await?;
    let answer = run_in_graphiql(&tab).await?;
    ensure!(
        // Labels carry the display name, never the e-mail (issue 13).
        answer.contains("Sekretariat Daerah Mamuju Tengah"),
        "GraphiQL did not act for the session: {answer}"
    );
    tab.assert_clean("GraphiQL")?;
    tab.screenshot("graphiql.png").await?;
    tab.close().await;
    Ok(())
}

/// GraphiQL with a bearer token in its Headers editor (kept by GraphiQL in
/// local storage), without any session cookie.
async fn graphiql_works_offline_with_a_bearer_token(world: &World) -> anyhow::Result<()> {
    let tab = world.chromium.tab(&world.server, "en-US,en;q=0.9").await?;
    tab.goto("/graphql").await?;
    tab.wait_for(".graphiql-container .graphiql-query-editor .CodeMirror")
        .await?;
    let token: String = tab
        .eval(
            "fetch('/graphql', {method: 'POST', headers: {'content-type': 'application/json'}, \
             body: JSON.stringify({query: 'mutation { login(input: {email: \"asisten@sulbar.example\", \
             password: \"pendamping-demo\"}) { token } }'})}).then(r => r.json()).then(b => b.data.login.token)",
        )
        .await?;
    let headers = serde_json::json!({ "Authorization": format!("Bearer {token}") }).to_string();
    tab.eval::<serde_json::Value>(&format!(
        "(() => {{ localStorage.setItem('graphiql:headers', {}); return null; }})()",
        js_string(&headers)
    ))
    .await?;
    tab.goto("/graphql").await?;
    let answer = run_in_graphiql(&tab).await?;
    ensure!(
        answer.contains("Asisten Ombudsman"),
        "GraphiQL did not send the bearer token of its Headers editor: {answer}"
    );
    tab.assert_clean("GraphiQL with a bearer token")?;
    tab.close().await;
    Ok(())
}

//! Evidence rules: size and media-type limits name the field; evidence goes
//! only onto items still being worked on; the stored file is the one uploaded.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use pendamping_domain::action_item::{ActionItemId, ActionItemStatus};
use pendamping_engine::{Engine, EngineError, EvidenceSource, MAX_EVIDENCE_BYTES};

async fn setup() -> (Engine, pendamping_domain::identity::Actor) {
    let engine = common::demo().await.engine;
    let officer = common::actor(&engine, "rsud@mamujutengah.example").await;
    (engine, officer)
}

async fn item_in(
    engine: &Engine,
    officer: &pendamping_domain::identity::Actor,
    status: ActionItemStatus,
) -> ActionItemId {
    common::first_item_in(engine, officer, status).await.id
}

fn file(media_type: &str, bytes: Vec<u8>) -> EvidenceSource {
    EvidenceSource::File {
        name: "bukti".into(),
        media_type: media_type.into(),
        bytes,
    }
}

fn field_of(err: EngineError) -> String {
    match err {
        EngineError::Invalid(errors) => errors[0].field.clone(),
        other => panic!("expected invalid input, got {other}"),
    }
}

#[tokio::test]
async fn limits_name_the_field_and_store_nothing() {
    let (engine, officer) = setup().await;
    let item = item_in(&engine, &officer, ActionItemStatus::Open).await;
    let refused = [
        (
            file("application/pdf", vec![b'x'; MAX_EVIDENCE_BYTES + 1]),
            "file",
        ),
        (file("application/x-msdownload", b"MZ".to_vec()), "file"),
        (file("application/pdf", Vec::new()), "file"),
        (
            EvidenceSource::Link {
                name: "x".into(),
                url: "ftp://example.org/x".into(),
            },
            "url",
        ),
    ];
    for (source, field) in refused {
        let err = engine
            .add_evidence(&officer, item, source)
            .await
            .unwrap_err();
        assert_eq!(field_of(err), field);
    }
    let count = engine
        .reader(&officer)
        .count_evidence_of(&[item])
        .await
        .unwrap();
    assert_eq!(
        count.get(&item).copied().unwrap_or(0),
        0,
        "nothing was stored"
    );
}

#[tokio::test]
async fn evidence_goes_only_onto_work_in_progress_and_is_kept_as_uploaded() {
    let (engine, officer) = setup().await;
    let open = item_in(&engine, &officer, ActionItemStatus::Open).await;
    let added = engine
        .add_evidence(&officer, open, file("image/png", b"\x89PNG bukti".to_vec()))
        .await
        .unwrap();
    assert_eq!(added.size_bytes, 10);
    let content = engine.evidence_content(&officer, added.id).await.unwrap();
    assert_eq!(content.bytes, b"\x89PNG bukti");

    let admin = pendamping_domain::identity::Actor::system("test");
    let verified = item_in(&engine, &admin, ActionItemStatus::Verified).await;
    let late = engine
        .add_evidence(
            &admin,
            verified,
            EvidenceSource::Link {
                name: "x".into(),
                url: "https://example.org/x".into(),
            },
        )
        .await;
    assert!(
        matches!(late, Err(EngineError::InvalidTransition(_))),
        "{late:?}"
    );
}

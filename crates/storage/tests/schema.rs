//! The schema itself: migrations run down and up again on a seeded database,
//! and the database refuses rows that break the domain's rules even when the
//! code above it would not have stopped them.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

use pendamping_storage::testing;
use pendamping_storage::{ConnectionTrait, migrate, migrate_down};

async fn exec(db: &impl ConnectionTrait, sql: &str) -> Result<(), String> {
    db.execute_unprepared(sql)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

const NOW: &str = "'2021-04-29 02:00:00+00:00'";

/// An office, a district with one OPD, a user: the rows most checks need.
async fn seed(db: &impl ConnectionTrait) {
    for sql in [
        format!(
            "INSERT INTO offices (code, name, province, time_zone, created_at) VALUES ('SULBAR', 'Ombudsman RI Perwakilan Sulawesi Barat', 'Sulawesi Barat', 'Asia/Makassar', {NOW})"
        ),
        format!(
            "INSERT INTO districts (office_id, kind, name, province, time_zone, created_at) VALUES (1, 'REGENCY', 'Kabupaten Mamuju Tengah', 'Sulawesi Barat', 'Asia/Makassar', {NOW})"
        ),
        format!(
            "INSERT INTO opds (district_id, name, kind, created_at) VALUES (1, 'Rumah Sakit Umum Daerah', 'HOSPITAL', {NOW})"
        ),
        format!(
            "INSERT INTO users (email, display_name, created_at) VALUES ('a@x.example', 'A', {NOW})"
        ),
        format!(
            "INSERT INTO users (email, display_name, created_at) VALUES ('b@x.example', 'B', {NOW})"
        ),
        format!(
            "INSERT INTO agreements (office_id, district_id, title, period_start, period_end, status, version, created_at, updated_at) VALUES (1, 1, 'PKS 2021', '2021-04-29', '2021-12-31', 'DRAFT', 1, {NOW}, {NOW})"
        ),
    ] {
        exec(db, &sql).await.expect("seed row");
    }
}

#[tokio::test]
async fn migrations_go_down_and_up_again_on_a_seeded_database() {
    let t = testing::migrated().await.unwrap();
    seed(&t.db).await;
    // The built-in methodologies arrive with the migrations.
    let methodologies =
        t.db.query_one_raw(sea_orm::Statement::from_string(
            t.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM methodology_bands",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(methodologies.try_get::<i64>("", "n").unwrap(), 13);

    migrate_down(&t.db).await.expect("down");
    assert!(
        exec(&t.db, "SELECT 1 FROM offices").await.is_err(),
        "tables are gone"
    );
    migrate(&t.db).await.expect("up again");
    seed(&t.db).await;
}

#[tokio::test]
async fn the_database_refuses_rows_that_break_the_rules() {
    let t = testing::migrated().await.unwrap();
    let db = &t.db;
    seed(db).await;
    let refused = [
        (
            "a score above 100",
            format!(
                "INSERT INTO assessment_periods (year, name, methodology_id, created_at) VALUES (2021, 'P', 1, {NOW})"
            ),
            Some(format!(
                "INSERT INTO score_records (period_id, methodology_id, district_id, kind, total_hundredths, band_code, revision, is_current, recorded_at) VALUES (1, 1, 1, 'OFFICIAL', 10001, 'HIJAU', 1, TRUE, {NOW})"
            )),
        ),
        (
            "an agreement ending before it starts",
            format!(
                "INSERT INTO agreements (office_id, district_id, title, period_start, period_end, status, version, created_at, updated_at) VALUES (1, 1, 'X', '2021-04-29', '2021-04-28', 'DRAFT', 1, {NOW}, {NOW})"
            ),
            None,
        ),
        (
            "an active agreement without numbers or signing date",
            format!(
                "INSERT INTO agreements (office_id, district_id, title, period_start, period_end, status, version, created_at, updated_at) VALUES (1, 1, 'X', '2021-04-29', '2021-12-31', 'ACTIVE', 1, {NOW}, {NOW})"
            ),
            None,
        ),
        (
            "an unknown agreement status",
            format!(
                "INSERT INTO agreements (office_id, district_id, title, period_start, period_end, status, version, created_at, updated_at) VALUES (1, 1, 'X', '2021-04-29', '2021-12-31', 'SIGNED', 1, {NOW}, {NOW})"
            ),
            None,
        ),
        (
            "an OPD officer scoped to a district",
            format!(
                "INSERT INTO role_assignments (user_id, role, district_id, created_at) VALUES (1, 'OPD_OFFICER', 1, {NOW})"
            ),
            None,
        ),
        (
            "a verifier who is the submitter",
            format!(
                "INSERT INTO action_items (agreement_id, opd_id, district_id, title, finding, priority, due_on, status, rejection_count, submitted_by, verified_by, version, created_at, updated_at) VALUES (1, 1, 1, 'T', 'F', 'HIGH', '2021-06-30', 'VERIFIED', 0, 1, 1, 1, {NOW}, {NOW})"
            ),
            None,
        ),
        (
            "an OPD of a district that does not exist",
            format!(
                "INSERT INTO opds (district_id, name, kind, created_at) VALUES (99, 'Dinas X', 'DEPARTMENT', {NOW})"
            ),
            None,
        ),
        (
            "a second office with the same code",
            format!(
                "INSERT INTO offices (code, name, province, time_zone, created_at) VALUES ('SULBAR', 'Dup', 'Sulawesi Barat', 'Asia/Makassar', {NOW})"
            ),
            None,
        ),
        (
            "a district in a time zone Indonesia does not have",
            format!(
                "INSERT INTO districts (office_id, kind, name, province, time_zone, created_at) VALUES (1, 'CITY', 'Kota X', 'X', 'Asia/Tokyo', {NOW})"
            ),
            None,
        ),
        (
            "a cancelled milestone without a reason",
            format!(
                "INSERT INTO milestones (agreement_id, kind, title, planned_on, status, version, created_at, updated_at) VALUES (1, 'BIMTEK', 'B', '2021-04-29', 'CANCELLED', 1, {NOW}, {NOW})"
            ),
            None,
        ),
    ];
    for (rule, first, second) in refused {
        let outcome = match second {
            Some(second) => {
                exec(db, &first).await.expect("setup row");
                exec(db, &second).await
            }
            None => exec(db, &first).await,
        };
        assert!(outcome.is_err(), "the database accepted {rule}");
    }
}

#[tokio::test]
async fn one_current_revision_per_subject_period_and_kind() {
    let t = testing::migrated().await.unwrap();
    let db = &t.db;
    seed(db).await;
    exec(db, &format!("INSERT INTO assessment_periods (year, name, methodology_id, created_at) VALUES (2021, 'P', 1, {NOW})")).await.unwrap();
    let district_score = format!(
        "INSERT INTO score_records (period_id, methodology_id, district_id, kind, total_hundredths, band_code, revision, is_current, correction_reason, recorded_at) VALUES (1, 1, 1, 'OFFICIAL', 9736, 'HIJAU', 1, TRUE, NULL, {NOW})"
    );
    exec(db, &district_score).await.unwrap();
    assert!(
        exec(db, &district_score).await.is_err(),
        "a second current district score"
    );
    // A superseded revision may stand beside the current one.
    exec(db, &format!("INSERT INTO score_records (period_id, methodology_id, district_id, kind, total_hundredths, band_code, revision, is_current, correction_reason, recorded_at) VALUES (1, 1, 1, 'OFFICIAL', 9700, 'HIJAU', 2, FALSE, 'typo', {NOW})")).await.unwrap();
    // The OPD's own score is another subject.
    exec(db, &format!("INSERT INTO score_records (period_id, methodology_id, district_id, opd_id, kind, total_hundredths, band_code, revision, is_current, recorded_at) VALUES (1, 1, 1, 1, 'OFFICIAL', 9000, 'HIJAU', 1, TRUE, {NOW})")).await.unwrap();
}

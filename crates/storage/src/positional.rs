//! Rows read by position, for the wide rows a dashboard reads by the
//! hundred. The ORM's derived decoding looks every column up by name and
//! turns every NULL into an error carrying a formatted message before it
//! becomes `None`: for a score record (21 columns, most of them NULL) that
//! was a sixth of the server's time on a district board.

use sea_orm::sqlx::{self, Row as _};
use sea_orm::{ConnectionTrait, QueryResult, QuerySelect, QueryTrait, Select};

use crate::StorageError;
use crate::entity::score_records;

/// A value both databases' drivers decode.
pub(crate) trait Column:
    for<'r> sqlx::Decode<'r, sqlx::Postgres>
    + sqlx::Type<sqlx::Postgres>
    + for<'r> sqlx::Decode<'r, sqlx::Sqlite>
    + sqlx::Type<sqlx::Sqlite>
{
}

impl<T> Column for T where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres>
        + sqlx::Type<sqlx::Postgres>
        + for<'r> sqlx::Decode<'r, sqlx::Sqlite>
        + sqlx::Type<sqlx::Sqlite>
{
}

/// The value at `index` of `row` (an `Option` for a nullable column).
pub(crate) fn at<T: Column>(row: &QueryResult, index: usize) -> Result<T, StorageError> {
    let decoded = if let Some(row) = row.try_as_pg_row() {
        row.try_get::<T, _>(index)
    } else if let Some(row) = row.try_as_sqlite_row() {
        row.try_get::<T, _>(index)
    } else {
        return Err(StorageError::Corrupt(
            "a row of an unknown driver".to_owned(),
        ));
    };
    decoded.map_err(|e| StorageError::Corrupt(format!("column {index}: {e}")))
}

/// Every column of `score_records`, in the order [`score_record`] reads them.
const SCORE_COLUMNS: [score_records::Column; 21] = {
    use score_records::Column as C;
    [
        C::Id,
        C::PeriodId,
        C::MethodologyId,
        C::DistrictId,
        C::OpdId,
        C::Kind,
        C::TotalHundredths,
        C::ComputedTotalHundredths,
        C::BandCode,
        C::Revision,
        C::SupersedesId,
        C::IsCurrent,
        C::CorrectionReason,
        C::RecordedBy,
        C::RecordedAt,
        C::Provenance,
        C::Source,
        C::NationalRank,
        C::NationalRankOf,
        C::Qualifier,
        C::PublishedLabel,
    ]
};

/// The score records `select` finds (its conditions and order; the columns
/// are set here), each read by position.
pub(crate) async fn score_records(
    db: &impl ConnectionTrait,
    select: Select<score_records::Entity>,
) -> Result<Vec<score_records::Model>, StorageError> {
    let statement = select
        .select_only()
        .columns(SCORE_COLUMNS)
        .build(db.get_database_backend());
    let rows = db.query_all_raw(statement).await?;
    rows.iter().map(score_record).collect()
}

fn score_record(row: &QueryResult) -> Result<score_records::Model, StorageError> {
    Ok(score_records::Model {
        id: at(row, 0)?,
        period_id: at(row, 1)?,
        methodology_id: at(row, 2)?,
        district_id: at(row, 3)?,
        opd_id: at(row, 4)?,
        kind: at(row, 5)?,
        total_hundredths: at(row, 6)?,
        computed_total_hundredths: at(row, 7)?,
        band_code: at(row, 8)?,
        revision: at(row, 9)?,
        supersedes_id: at(row, 10)?,
        is_current: at(row, 11)?,
        correction_reason: at(row, 12)?,
        recorded_by: at(row, 13)?,
        recorded_at: at(row, 14)?,
        provenance: at(row, 15)?,
        source: at(row, 16)?,
        national_rank: at(row, 17)?,
        national_rank_of: at(row, 18)?,
        qualifier: at(row, 19)?,
        published_label: at(row, 20)?,
    })
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait as _, EntityTrait as _, QueryOrder as _};

    use crate::entity::score_records;
    use crate::testing;

    /// Every column differs from its neighbours of the same type, so a
    /// column read at the wrong position shows.
    #[tokio::test]
    async fn a_score_record_reads_the_same_by_position_as_by_name() {
        let t = testing::migrated().await.unwrap();
        let now = "'2021-04-29 02:00:00+00:00'";
        for sql in [
            format!(
                "INSERT INTO offices (code, name, province, time_zone, created_at) VALUES ('SULBAR', 'Sulawesi Barat', 'Sulawesi Barat', 'Asia/Makassar', {now})"
            ),
            format!(
                "INSERT INTO districts (office_id, kind, name, province, time_zone, created_at) VALUES (1, 'REGENCY', 'Mamuju Tengah', 'Sulawesi Barat', 'Asia/Makassar', {now})"
            ),
            format!(
                "INSERT INTO opds (district_id, name, kind, created_at) VALUES (1, 'RSUD', 'HOSPITAL', {now})"
            ),
            format!(
                "INSERT INTO users (email, display_name, created_at) VALUES ('a@x.example', 'A', {now})"
            ),
            format!(
                "INSERT INTO score_records (period_id, methodology_id, district_id, kind, total_hundredths, band_code, revision, is_current, recorded_at) VALUES (1, 1, 1, 'OFFICIAL', 7000, 'KUNING', 1, FALSE, {now})"
            ),
            format!(
                "INSERT INTO score_records (period_id, methodology_id, district_id, opd_id, kind, total_hundredths, computed_total_hundredths, band_code, revision, supersedes_id, is_current, correction_reason, recorded_by, recorded_at, provenance, source, national_rank, national_rank_of, qualifier, published_label) VALUES (1, 1, 1, 1, 'OFFICIAL', 8882, 8801, 'HIJAU', 2, 1, TRUE, 'salah ketik', 1, {now}, 'PUBLISHED', 'LHP 2022', 9, 416, 'Tanpa Maladministrasi', 'Baik')"
            ),
        ] {
            t.db.execute_unprepared(&sql).await.unwrap();
        }
        let select = score_records::Entity::find().order_by_asc(score_records::Column::Id);
        let by_name = select.clone().all(&t.db).await.unwrap();
        let by_position = super::score_records(&t.db, select).await.unwrap();
        assert_eq!(by_name.len(), 2);
        assert_eq!(by_position, by_name);
    }
}

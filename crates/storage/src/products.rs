//! The follow-up of the Ombudsman's supervision products (action items whose
//! origin is a *Tindakan Korektif*, *Saran Perbaikan*, *Saran Penyempurnaan* or
//! *Rekomendasi*): how many of a year's products a district or OPD has followed
//! up to completion. From 2025 the opinion's qualifier *Tanpa Maladministrasi*
//! rests on this.

use pendamping_domain::action_item::{ActionItemStatus, Origin};
use pendamping_domain::identity::Reach;
use sea_orm::{ConnectionTrait, Statement};

use crate::StorageError;
use crate::reach;
use crate::statuses;

pub use pendamping_domain::figures::ProductFollowUp;
pub use pendamping_domain::read::SubjectKind;

/// The origin codes of Ombudsman products, as an SQL list.
fn product_origins() -> String {
    Origin::ALL
        .iter()
        .filter(|o| o.is_ombudsman_product())
        .map(|o| format!("'{}'", o.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The product follow-up of many districts or OPDs for one year, in one statement.
pub async fn follow_up(
    db: &impl ConnectionTrait,
    reach: &Reach,
    of: SubjectKind,
    parent_ids: &[i64],
    year: i32,
) -> Result<Vec<ProductFollowUp>, StorageError> {
    if parent_ids.is_empty() {
        return Ok(Vec::new());
    }
    let parent = match of {
        SubjectKind::District => "district_id",
        SubjectKind::Opd => "opd_id",
    };
    let ids = parent_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let text = format!(
        "SELECT {parent} AS parent, COUNT(*) AS total,
                SUM(CASE WHEN status = {verified} THEN 1 ELSE 0 END) AS completed
         FROM action_items
         WHERE {parent} IN ({ids}) AND origin IN ({origins}) AND product_year = {year}
           AND status <> {cancelled} AND {visible}
         GROUP BY {parent}",
        origins = product_origins(),
        verified = statuses::literal(ActionItemStatus::Verified),
        cancelled = statuses::literal(ActionItemStatus::Cancelled),
        visible =
            reach::district_or_opd_sql(reach, db.get_database_backend(), "district_id", "opd_id"),
    );
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), text))
        .await?;
    rows.iter()
        .map(|row| {
            Ok(ProductFollowUp {
                parent_id: row.try_get::<i64>("", "parent")?,
                total: row.try_get::<i64>("", "total")?,
                completed: row.try_get::<Option<i64>>("", "completed")?.unwrap_or(0),
            })
        })
        .collect()
}

//! Offices, districts and their OPDs.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, string_len_null, string_len_uniq};

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("offices")
                    .col(id())
                    .col(string_len_uniq("code", 20))
                    .col(string_len("name", 200))
                    .col(string_len("province", 100))
                    .col(code("time_zone", TIME_ZONES))
                    .col(instant("created_at"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("districts")
                    .col(id())
                    .col(reference("office_id"))
                    .col(code("kind", &["PROVINCE", "REGENCY", "CITY"]))
                    .col(string_len("name", 200))
                    .col(string_len("province", 100))
                    .col(code("time_zone", TIME_ZONES))
                    .col(instant("created_at"))
                    .foreign_key(&mut fk("districts", "office_id", "offices"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index("districts", &["office_id", "name"]),
                Index::create()
                    .name("ux_districts_name")
                    .table("districts")
                    .col("name")
                    .unique()
                    .take(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("opds")
                    .col(id())
                    .col(reference("district_id"))
                    .col(string_len("name", 200))
                    .col(string_len_null("short_name", 40))
                    .col(code(
                        "kind",
                        &[
                            "SECRETARIAT",
                            "DEPARTMENT",
                            "AGENCY",
                            "INSPECTORATE",
                            "HOSPITAL",
                            "HEALTH_CENTRE",
                            "SUBDISTRICT",
                            "OTHER",
                        ],
                    ))
                    .col(string_len_null("head_title", 200))
                    .col(instant("created_at"))
                    .foreign_key(&mut fk("opds", "district_id", "districts"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                Index::create()
                    .name("ux_opds_district_id_name")
                    .table("opds")
                    .col("district_id")
                    .col("name")
                    .unique()
                    .take(),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["opds", "districts", "offices"]).await
    }
}

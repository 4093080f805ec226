//! Column shapes shared by the migrations. Kept local to this crate so that a
//! later change here cannot silently alter an earlier migration's meaning:
//! once released, these functions are as frozen as the steps that use them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

/// The surrogate key of every table: BIGSERIAL on PostgreSQL, INTEGER PRIMARY KEY on SQLite.
pub fn id() -> ColumnDef {
    schema::big_pk_auto("id")
}

/// A required reference to another table's `id`.
pub fn reference(name: &'static str) -> ColumnDef {
    schema::big_integer(name)
}

/// An optional reference to another table's `id`.
pub fn optional_reference(name: &'static str) -> ColumnDef {
    schema::big_integer_null(name)
}

/// A required instant (UTC).
pub fn instant(name: &'static str) -> ColumnDef {
    schema::timestamp_with_time_zone(name)
}

/// An optional instant (UTC).
pub fn optional_instant(name: &'static str) -> ColumnDef {
    schema::timestamp_with_time_zone_null(name)
}

/// A code column whose values are limited to `codes`.
pub fn code(name: &'static str, codes: &[&'static str]) -> ColumnDef {
    schema::string_len(name, 40)
        .check(Expr::col(name).is_in(codes.iter().copied()))
        .take()
}

/// An optional code column whose values, when present, are limited to `codes`.
pub fn optional_code(name: &'static str, codes: &[&'static str]) -> ColumnDef {
    schema::string_len_null(name, 40)
        .check(Expr::col(name).is_in(codes.iter().copied()))
        .take()
}

/// The optimistic-concurrency version of a workflow object.
pub fn version() -> ColumnDef {
    schema::integer("version")
        .default(1)
        .check(Expr::col("version").gte(1))
        .take()
}

/// A foreign key from `table.column` to `target.id`.
pub fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

/// A foreign key whose rows go with their parent (join tables, child lists).
pub fn fk_cascade(
    table: &'static str,
    column: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    fk(table, column, target)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

/// A plain index over `columns`.
pub fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement
        .name(format!("ix_{table}_{}", columns.join("_")))
        .table(table);
    for column in columns {
        statement.col(*column);
    }
    statement.take()
}

/// Creates each index of a table.
pub async fn create_indexes(
    manager: &SchemaManager<'_>,
    indexes: Vec<IndexCreateStatement>,
) -> Result<(), DbErr> {
    for index in indexes {
        manager.create_index(index).await?;
    }
    Ok(())
}

/// Drops tables in the order given (children first).
pub async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: &[&'static str],
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(*table).take())
            .await?;
    }
    Ok(())
}

/// The time-zone codes a district or office may have.
pub const TIME_ZONES: &[&str] = &["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"];

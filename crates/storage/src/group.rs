//! Children read for many parents at once, grouped under their parent.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::StorageError;

/// `rows` grouped under their parents, in order: `child` gives each row's
/// parent and what is kept of it.
pub(crate) fn group<R, T>(
    rows: Vec<R>,
    child: impl Fn(R) -> Result<(i64, T), StorageError>,
) -> Result<HashMap<i64, Vec<T>>, StorageError> {
    let mut map: HashMap<i64, Vec<T>> = HashMap::new();
    for row in rows {
        let (parent, value) = child(row)?;
        map.entry(parent).or_default().push(value);
    }
    Ok(map)
}

/// The rows of `E` whose `parent` column is among `parents`, ascending by
/// `order`, grouped under their parent (see [`group`]).
pub(crate) async fn children_of<E: EntityTrait, T>(
    db: &impl ConnectionTrait,
    parent: E::Column,
    parents: &[i64],
    order: E::Column,
    child: impl Fn(E::Model) -> Result<(i64, T), StorageError>,
) -> Result<HashMap<i64, Vec<T>>, StorageError> {
    let rows = E::find()
        .filter(parent.is_in(parents.iter().copied()))
        .order_by_asc(order)
        .all(db)
        .await?;
    group(rows, child)
}

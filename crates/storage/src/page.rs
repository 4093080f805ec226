//! Keyset pagination, for root lists and for child lists of many parents at
//! once. Every order ends on the primary key, so pages are stable while rows
//! are added.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, IdenStatic, Order, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select,
};

use crate::StorageError;

pub use pendamping_domain::read::{
    CursorKey, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest, SortValue,
};

/// How a list is ordered: optionally by one column, always then by the key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListOrder<C> {
    pub sort: Option<C>,
    pub id: C,
    pub descending: bool,
}

impl<C: ColumnTrait> ListOrder<C> {
    pub fn by_id(id: C) -> Self {
        ListOrder {
            sort: None,
            id,
            descending: false,
        }
    }

    pub fn by(sort: C, id: C) -> Self {
        ListOrder {
            sort: Some(sort),
            id,
            descending: false,
        }
    }

    pub fn descending(mut self, descending: bool) -> Self {
        self.descending = descending;
        self
    }

    /// Rows strictly past `key` in the direction `forward`.
    fn beyond(&self, key: &CursorKey, forward: bool) -> Condition {
        let ascending = forward != self.descending;
        let past = |column: C, value: sea_orm::Value| {
            if ascending {
                column.gt(value)
            } else {
                column.lt(value)
            }
        };
        match (&self.sort, sort_value(&key.sort)) {
            // One row comparison, not `sort > v OR (sort = v AND id > k)`: the
            // database can start an index scan on the sort column there, where
            // the OR made every page rescan all rows before it (a 1,000,000-row
            // export took quadratic time).
            (Some(sort), Some(value)) => {
                let columns = Expr::tuple([sort.into_expr(), self.id.into_expr()]);
                let cursor = Expr::tuple([Expr::val(value), Expr::val(key.id)]);
                Condition::all().add(if ascending {
                    columns.gt(cursor)
                } else {
                    columns.lt(cursor)
                })
            }
            _ => Condition::all().add(past(self.id, key.id.into())),
        }
    }

    fn apply<E: EntityTrait<Column = C>>(&self, select: Select<E>, reverse: bool) -> Select<E> {
        let order = if self.descending != reverse {
            Order::Desc
        } else {
            Order::Asc
        };
        let select = match self.sort {
            Some(sort) => select.order_by(sort, order.clone()),
            None => select,
        };
        select.order_by(self.id, order)
    }

    /// The ORDER BY of a window function, as SQL text over plain column names.
    fn window_order(&self, reverse: bool) -> String {
        let direction = if self.descending != reverse {
            "DESC"
        } else {
            "ASC"
        };
        match self.sort {
            Some(sort) => format!(
                "{} {direction}, {} {direction}",
                sort.as_str(),
                self.id.as_str()
            ),
            None => format!("{} {direction}", self.id.as_str()),
        }
    }
}

fn sort_value(value: &SortValue) -> Option<sea_orm::Value> {
    match value {
        SortValue::None => None,
        SortValue::Text(text) => Some(text.clone().into()),
        SortValue::Date(date) => Some((*date).into()),
        SortValue::Int(int) => Some((*int).into()),
    }
}

fn within_cursors<E: EntityTrait>(
    select: Select<E>,
    order: &ListOrder<E::Column>,
    request: &PageRequest,
) -> Select<E> {
    let mut select = select;
    if let Some(after) = &request.after {
        select = select.filter(order.beyond(after, true));
    }
    if let Some(before) = &request.before {
        select = select.filter(order.beyond(before, false));
    }
    select
}

/// Trims the one extra row fetched to learn whether more exist, and restores
/// list order for pages taken from the end.
fn finish_page<M>(
    mut rows: Vec<M>,
    request: &PageRequest,
    key: impl Fn(&M) -> CursorKey,
) -> Page<M> {
    let size = request.size() as usize;
    let more = rows.len() > size;
    rows.truncate(size);
    let from_end = request.takes_from_end();
    if from_end {
        rows.reverse();
    }
    let items = rows.into_iter().map(|row| (key(&row), row)).collect();
    if from_end {
        Page {
            items,
            has_next_page: request.before.is_some(),
            has_previous_page: more,
            total: None,
        }
    } else {
        Page {
            items,
            has_next_page: more,
            has_previous_page: request.after.is_some(),
            total: None,
        }
    }
}

/// One page of `select` in `order`.
pub(crate) async fn paginate<E, D>(
    db: &D,
    select: Select<E>,
    order: ListOrder<E::Column>,
    key: impl Fn(&E::Model) -> CursorKey,
    request: &PageRequest,
) -> Result<Page<E::Model>, StorageError>
where
    E: EntityTrait,
    D: ConnectionTrait,
{
    let select = within_cursors(select, &order, request);
    let rows = order
        .apply(select, request.takes_from_end())
        .limit(request.size() + 1)
        .all(db)
        .await?;
    Ok(finish_page(rows, request, key))
}

/// One page of children for each of many parents, in a single statement: a
/// window function numbers each parent's rows and the outer query keeps the
/// first `size + 1` of each.
///
/// With `counted` (the parents to answer for), the pages also carry the size
/// of each parent's whole list ([`Page::total`]) when the request has no
/// cursor: a second window over the rows the pages are numbered from, so
/// `totalCount` costs no statement of its own; then every parent gets a page
/// (an empty one counts 0).
pub(crate) async fn paginate_per_parent<E, D>(
    db: &D,
    select: Select<E>,
    (parent, counted): (E::Column, Option<&[i64]>),
    parent_of: impl Fn(&E::Model) -> i64,
    order: ListOrder<E::Column>,
    key: impl Fn(&E::Model) -> CursorKey,
    request: &PageRequest,
) -> Result<HashMap<i64, Page<E::Model>>, StorageError>
where
    E: EntityTrait,
    D: ConnectionTrait,
{
    use sea_orm::FromQueryResult as _;
    let parents = counted.filter(|_| request.after.is_none() && request.before.is_none());
    let counted = parents.is_some();
    let statement = per_parent_statement(db, select, parent, &order, request, counted);
    let mut grouped: HashMap<i64, (Vec<E::Model>, u64)> = HashMap::new();
    for row in db.query_all_raw(statement).await? {
        let total = if counted {
            u64::try_from(row.try_get::<i64>("", TOTAL)?).unwrap_or(0)
        } else {
            0
        };
        let model = E::Model::from_query_result(&row, "")?;
        let entry = grouped.entry(parent_of(&model)).or_default();
        entry.0.push(model);
        entry.1 = total;
    }
    let mut pages: HashMap<i64, Page<E::Model>> = grouped
        .into_iter()
        .map(|(parent, (rows, total))| {
            let mut page = finish_page(rows, request, &key);
            page.total = counted.then_some(total);
            (parent, page)
        })
        .collect();
    if let Some(parents) = parents {
        for parent in parents {
            pages.entry(*parent).or_insert_with(|| Page {
                total: Some(0),
                ..Page::empty()
            });
        }
    }
    Ok(pages)
}

/// The column of a counted [`paginate_per_parent`]'s count.
const TOTAL: &str = "total_";

/// The statement of a per-parent page: each parent's rows numbered in
/// `order`, the first `size + 1` kept; `counted` adds each parent's count.
fn per_parent_statement<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    parent: E::Column,
    order: &ListOrder<E::Column>,
    request: &PageRequest,
    counted: bool,
) -> sea_orm::Statement {
    let row_number = "row_number_";
    let mut inner = within_cursors(select, order, request).expr_as(
        Expr::cust(format!(
            "ROW_NUMBER() OVER (PARTITION BY {} ORDER BY {})",
            parent.as_str(),
            order.window_order(request.takes_from_end())
        )),
        row_number,
    );
    if counted {
        inner = inner.expr_as(
            Expr::cust(format!("COUNT(*) OVER (PARTITION BY {})", parent.as_str())),
            TOTAL,
        );
    }
    let outer = Query::select()
        .column(Asterisk)
        .from_subquery(inner.into_query(), Alias::new("numbered"))
        .and_where(Expr::col(Alias::new(row_number)).lte(request.size() + 1))
        .order_by(Alias::new(row_number), sea_orm::sea_query::Order::Asc)
        .take();
    db.get_database_backend().build(&outer)
}

/// The number of rows of `select` per parent, in one grouped statement.
pub(crate) async fn count_per_parent<E, D>(
    db: &D,
    select: Select<E>,
    parent: E::Column,
) -> Result<HashMap<i64, u64>, StorageError>
where
    E: EntityTrait,
    D: ConnectionTrait,
{
    let counts: Vec<(i64, i64)> = select
        .select_only()
        .column(parent)
        .column_as(Expr::col(parent).count(), "count")
        .group_by(parent)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts
        .into_iter()
        .map(|(parent, count)| (parent, u64::try_from(count).unwrap_or(0)))
        .collect())
}

/// The number of rows of `select`.
pub(crate) async fn count<E, D>(db: &D, select: Select<E>) -> Result<u64, StorageError>
where
    E: EntityTrait,
    E::Model: Sync,
    D: ConnectionTrait,
{
    use sea_orm::PaginatorTrait;
    Ok(select.count(db).await?)
}

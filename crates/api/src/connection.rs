//! Relay cursor connections: page arguments, opaque cursors, `pageInfo`, and
//! the connection and edge types of every list.

use async_graphql::SimpleObject;
use base64::Engine as _;
use chrono::NaiveDate;
use pendamping_engine::{CursorKey, Page, PageRequest, SortValue};

use crate::error::bad_argument;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Where a page sits in its list.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "PageInfo")]
pub struct PageInfo {
    /// More items follow this page.
    pub has_next_page: bool,
    /// More items precede this page.
    pub has_previous_page: bool,
    /// The cursor of the first item of this page; null when the page is empty.
    pub start_cursor: Option<String>,
    /// The cursor of the last item of this page; null when the page is empty.
    pub end_cursor: Option<String>,
}

/// The order a list is sorted in, written into its cursors so that a cursor
/// of one list or order is refused by another instead of misread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderTag {
    /// The list, e.g. `opd`.
    pub list: &'static str,
    /// The order, e.g. `name` or `name.desc`.
    pub order: &'static str,
}

impl OrderTag {
    pub const fn new(list: &'static str, order: &'static str) -> Self {
        OrderTag { list, order }
    }

    fn text(&self) -> String {
        format!("{}.{}", self.list, self.order)
    }
}

/// The opaque cursor of a row.
pub fn encode_cursor(tag: OrderTag, key: &CursorKey) -> String {
    let sort = match &key.sort {
        SortValue::None => "n".to_owned(),
        SortValue::Text(text) => format!("t{text}"),
        SortValue::Date(date) => format!("d{}", date.format("%Y-%m-%d")),
        SortValue::Int(int) => format!("i{int}"),
    };
    B64.encode(format!("1|{}|{}|{sort}", tag.text(), key.id))
}

fn decode_cursor(argument: &str, tag: OrderTag, cursor: &str) -> async_graphql::Result<CursorKey> {
    let invalid = || {
        bad_argument(
            argument,
            "is not a cursor of this list; use a cursor from this list's pageInfo or edges",
        )
    };
    let text = B64
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(invalid)?;
    let mut parts = text.splitn(4, '|');
    let (Some("1"), Some(found_tag), Some(id), Some(sort)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    if found_tag != tag.text() {
        return Err(invalid());
    }
    let id: i64 = id.parse().map_err(|_| invalid())?;
    let (kind, value) = sort.split_at(sort.len().min(1));
    let sort = match kind {
        "n" => SortValue::None,
        "t" => SortValue::Text(value.to_owned()),
        "d" => {
            SortValue::Date(NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| invalid())?)
        }
        "i" => SortValue::Int(value.parse().map_err(|_| invalid())?),
        _ => return Err(invalid()),
    };
    Ok(CursorKey { sort, id })
}

/// The Relay arguments of one connection field.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageArgs<'a> {
    pub first: Option<i32>,
    pub after: Option<&'a str>,
    pub last: Option<i32>,
    pub before: Option<&'a str>,
}

impl PageArgs<'_> {
    /// Checks the arguments and turns them into a page request. Sizes over
    /// the maximum are refused (`PAGE_TOO_LARGE`, with `limit` and `actual`),
    /// as are negative sizes and `first` with `last`.
    pub fn request(&self, tag: OrderTag) -> async_graphql::Result<PageRequest> {
        let size = |name: &str, value: Option<i32>| -> async_graphql::Result<Option<u64>> {
            match value {
                Some(n) if n < 0 => Err(bad_argument(name, "must not be negative")),
                Some(n) => {
                    let n = u64::try_from(n).unwrap_or(0);
                    if n > pendamping_engine::MAX_PAGE_SIZE {
                        return Err(page_too_large(name, n));
                    }
                    Ok(Some(n))
                }
                None => Ok(None),
            }
        };
        if self.first.is_some() && self.last.is_some() {
            return Err(bad_argument(
                "last",
                "cannot be combined with first; page forward with first/after or backward with last/before",
            ));
        }
        Ok(PageRequest {
            first: size("first", self.first)?,
            last: size("last", self.last)?,
            after: self
                .after
                .map(|c| decode_cursor("after", tag, c))
                .transpose()?,
            before: self
                .before
                .map(|c| decode_cursor("before", tag, c))
                .transpose()?,
        })
    }
}

/// A page size over the maximum: refused, not silently capped.
fn page_too_large(argument: &str, actual: u64) -> async_graphql::Error {
    use async_graphql::ErrorExtensions as _;
    let limit = pendamping_engine::MAX_PAGE_SIZE;
    async_graphql::Error::new(format!(
        "`{argument}` must be at most {limit}, not {actual}"
    ))
    .extend_with(|_, e| {
        e.set("code", "PAGE_TOO_LARGE");
        e.set("field", argument);
        e.set("limit", limit);
        e.set("actual", actual);
    })
}

/// Page items as edges with cursors, and the page's `pageInfo`.
pub fn edges<T, E>(
    tag: OrderTag,
    page: Page<T>,
    edge: impl Fn(String, T) -> E,
) -> (Vec<E>, PageInfo) {
    let cursors: Vec<String> = page
        .items
        .iter()
        .map(|(k, _)| encode_cursor(tag, k))
        .collect();
    let info = PageInfo {
        has_next_page: page.has_next_page,
        has_previous_page: page.has_previous_page,
        start_cursor: cursors.first().cloned(),
        end_cursor: cursors.last().cloned(),
    };
    let edges = cursors
        .into_iter()
        .zip(page.items)
        .map(|(cursor, (_, item))| edge(cursor, item))
        .collect();
    (edges, info)
}

/// The complexity of a connection field: its page size times its children.
pub fn page_complexity(child: usize, first: Option<i32>, last: Option<i32>) -> usize {
    let size = first
        .or(last)
        .unwrap_or(pendamping_engine::MAX_PAGE_SIZE as i32 / 5);
    let size = usize::try_from(size.clamp(0, pendamping_engine::MAX_PAGE_SIZE as i32)).unwrap_or(0);
    size.saturating_mul(child).saturating_add(1)
}

/// A connection type, built from one page of its nodes (see [`connection!`]).
pub trait FromPage {
    type Node;

    fn from_page(tag: OrderTag, page: Page<Self::Node>, total: crate::total::Total) -> Self;
}

/// Declares `XConnection` and `XEdge` for a node type.
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ty, $what:literal) => {
        #[doc = concat!("A page of ", $what, ".")]
        pub struct $connection {
            pub edges: Vec<$edge>,
            pub page_info: $crate::connection::PageInfo,
            pub total: $crate::total::Total,
        }

        #[doc = concat!("A page of ", $what, ", with cursors and the total count.")]
        #[async_graphql::Object]
        impl $connection {
            /// The items of this page, each with its cursor.
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }

            /// The items of this page.
            async fn nodes(&self) -> Vec<&$node> {
                self.edges.iter().map(|e| &e.node).collect()
            }

            /// Where this page sits in the list.
            async fn page_info(&self) -> &$crate::connection::PageInfo {
                &self.page_info
            }

            /// How many items the whole list holds (within what you may see).
            async fn total_count(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<i64> {
                self.total.resolve(ctx).await
            }
        }

        #[doc = concat!("One of ", $what, " in a page, with its cursor.")]
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        #[doc = concat!("One of ", $what, " in a page, with its cursor.")]
        #[async_graphql::Object]
        impl $edge {
            /// The position of this item, for `after` and `before`.
            async fn cursor(&self) -> &str {
                &self.cursor
            }

            /// The item.
            async fn node(&self) -> &$node {
                &self.node
            }
        }

        impl $crate::connection::FromPage for $connection {
            type Node = $node;

            fn from_page(
                tag: $crate::connection::OrderTag,
                page: pendamping_engine::Page<$node>,
                total: $crate::total::Total,
            ) -> Self {
                $connection::new(tag, page, total)
            }
        }

        impl $connection {
            pub fn new(
                tag: $crate::connection::OrderTag,
                page: pendamping_engine::Page<$node>,
                total: $crate::total::Total,
            ) -> Self {
                // A count the page's own statement made is the one to give.
                let total = match page.total {
                    Some(count) => $crate::total::Total::Known(count),
                    None => total,
                };
                let (edges, page_info) =
                    $crate::connection::edges(tag, page, |cursor, node| $edge { cursor, node });
                $connection {
                    edges,
                    page_info,
                    total,
                }
            }
        }
    };
}

pub(crate) use connection;

/// The Relay arguments of a connection field, as resolvers receive them.
pub type PageArgsOwned = (Option<i32>, Option<String>, Option<i32>, Option<String>);

/// The context's page request for a field, for the common four arguments.
pub fn page_request(
    first: Option<i32>,
    after: Option<&str>,
    last: Option<i32>,
    before: Option<&str>,
    tag: OrderTag,
) -> async_graphql::Result<PageRequest> {
    PageArgs {
        first,
        after,
        last,
        before,
    }
    .request(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BY_NAME: OrderTag = OrderTag::new("opd", "name");

    #[test]
    fn cursors_round_trip_with_their_sort_value() {
        for sort in [
            SortValue::None,
            SortValue::Text("Dinas Kesehatan|x".into()),
            SortValue::Date(NaiveDate::from_ymd_opt(2021, 4, 29).unwrap()),
            SortValue::Int(2021),
        ] {
            let key = CursorKey { sort, id: 7 };
            let cursor = encode_cursor(BY_NAME, &key);
            assert_eq!(decode_cursor("after", BY_NAME, &cursor).unwrap(), key);
        }
    }

    #[test]
    fn a_cursor_of_another_list_is_refused() {
        let key = CursorKey {
            sort: SortValue::None,
            id: 7,
        };
        let cursor = encode_cursor(OrderTag::new("office", "id"), &key);
        let err = decode_cursor("after", BY_NAME, &cursor).unwrap_err();
        assert!(err.message.contains("after"));
        assert!(decode_cursor("after", BY_NAME, "%%%").is_err());
    }

    #[test]
    fn page_sizes_are_checked_and_over_the_maximum_refused() {
        let refused = PageArgs {
            first: Some(1000),
            ..Default::default()
        }
        .request(BY_NAME)
        .unwrap_err();
        let code = refused
            .extensions
            .as_ref()
            .and_then(|e| e.get("code").cloned());
        assert_eq!(code, Some(async_graphql::Value::from("PAGE_TOO_LARGE")));
        let most = PageArgs {
            first: Some(100),
            ..Default::default()
        }
        .request(BY_NAME)
        .unwrap();
        assert_eq!(most.first, Some(100));
        assert!(
            PageArgs {
                first: Some(-1),
                ..Default::default()
            }
            .request(BY_NAME)
            .is_err()
        );
        assert!(
            PageArgs {
                first: Some(1),
                last: Some(1),
                ..Default::default()
            }
            .request(BY_NAME)
            .is_err()
        );
    }

    #[test]
    fn complexity_never_overflows() {
        assert_eq!(page_complexity(3, Some(-6107), None), 1);
        assert_eq!(
            page_complexity(usize::MAX, Some(i32::MAX), None),
            usize::MAX
        );
        assert_eq!(page_complexity(2, Some(10), None), 21);
    }
}

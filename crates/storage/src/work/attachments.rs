//! What hangs off an action item — evidence and comments — read the same
//! way: a page per action item, a count per action item, lookups by id, each
//! readable with its action item.

use super::*;

/// A kind of row attached to an action item.
trait Attachment: EntityTrait {
    /// What storage returns for a row.
    type Value;
    /// The row's own id column.
    const ID: Self::Column;
    /// The column naming its action item.
    const ACTION_ITEM: Self::Column;
    fn id(model: &Self::Model) -> i64;
    fn action_item(model: &Self::Model) -> i64;
    fn convert(model: Self::Model) -> Result<Self::Value, StorageError>;
}

impl Attachment for evidence::Entity {
    type Value = Evidence;
    const ID: evidence::Column = evidence::Column::Id;
    const ACTION_ITEM: evidence::Column = evidence::Column::ActionItemId;
    fn id(model: &evidence::Model) -> i64 {
        model.id
    }
    fn action_item(model: &evidence::Model) -> i64 {
        model.action_item_id
    }
    fn convert(model: evidence::Model) -> Result<Evidence, StorageError> {
        convert::evidence(model)
    }
}

impl Attachment for comments::Entity {
    type Value = Comment;
    const ID: comments::Column = comments::Column::Id;
    const ACTION_ITEM: comments::Column = comments::Column::ActionItemId;
    fn id(model: &comments::Model) -> i64 {
        model.id
    }
    fn action_item(model: &comments::Model) -> i64 {
        model.action_item_id
    }
    fn convert(model: comments::Model) -> Result<Comment, StorageError> {
        convert::comment(model)
    }
}

/// The attachments of the given action items, within the reach.
fn of_items<A: Attachment>(reach: &Reach, action_item_ids: &[i64]) -> sea_orm::Select<A> {
    A::find()
        .filter(A::ACTION_ITEM.is_in(action_item_ids.iter().copied()))
        .filter(reach::via_action_item(reach, A::ACTION_ITEM))
}

/// One page (oldest first) for each action item, in one statement.
async fn pages_of<A: Attachment>(
    db: &impl ConnectionTrait,
    reach: &Reach,
    action_item_ids: &[i64],
    request: &PageRequest,
) -> Result<HashMap<i64, Page<A::Value>>, StorageError> {
    let pages = page::paginate_per_parent(
        db,
        of_items::<A>(reach, action_item_ids),
        (A::ACTION_ITEM, None),
        A::action_item,
        ListOrder::by_id(A::ID),
        |m| id_key(A::id(m)),
        request,
    )
    .await?;
    pages
        .into_iter()
        .map(|(id, page)| Ok((id, page.try_map(A::convert)?)))
        .collect()
}

async fn counts_of<A: Attachment>(
    db: &impl ConnectionTrait,
    reach: &Reach,
    action_item_ids: &[i64],
) -> Result<HashMap<i64, u64>, StorageError> {
    page::count_per_parent(db, of_items::<A>(reach, action_item_ids), A::ACTION_ITEM).await
}

async fn by_ids<A: Attachment>(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<A::Value>, StorageError> {
    let within = reach::via_action_item(reach, A::ACTION_ITEM);
    crate::db::by_ids::<A, _>(db, A::ID, ids, within, A::convert).await
}

// ---- evidence -------------------------------------------------------------

/// One page of evidence for each action item, in one statement.
pub async fn evidence_of_action_items(
    db: &impl ConnectionTrait,
    reach: &Reach,
    action_item_ids: &[i64],
    request: &PageRequest,
) -> Result<HashMap<i64, Page<Evidence>>, StorageError> {
    pages_of::<evidence::Entity>(db, reach, action_item_ids, request).await
}

pub async fn count_evidence_of_action_items(
    db: &impl ConnectionTrait,
    reach: &Reach,
    action_item_ids: &[i64],
) -> Result<HashMap<i64, u64>, StorageError> {
    counts_of::<evidence::Entity>(db, reach, action_item_ids).await
}

pub async fn evidence_by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<Evidence>, StorageError> {
    by_ids::<evidence::Entity>(db, reach, ids).await
}

/// A new evidence row.
#[derive(Debug, Clone)]
pub struct EvidenceRow {
    pub action_item_id: i64,
    pub name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub url: Option<String>,
    pub storage_key: Option<String>,
    pub uploaded_by: Option<i64>,
}

pub async fn insert_evidence(
    db: &impl ConnectionTrait,
    row: EvidenceRow,
    now: DateTime<Utc>,
) -> Result<Evidence, StorageError> {
    let model = evidence::ActiveModel {
        action_item_id: Set(row.action_item_id),
        name: Set(row.name),
        media_type: Set(row.media_type),
        size_bytes: Set(row.size_bytes),
        sha256: Set(row.sha256),
        url: Set(row.url),
        storage_key: Set(row.storage_key),
        uploaded_by: Set(row.uploaded_by),
        uploaded_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    convert::evidence(model)
}

/// How many evidence rows an action item has.
pub async fn evidence_count(
    db: &impl ConnectionTrait,
    action_item_id: i64,
) -> Result<u64, StorageError> {
    use sea_orm::PaginatorTrait;
    Ok(evidence::Entity::find()
        .filter(evidence::Column::ActionItemId.eq(action_item_id))
        .count(db)
        .await?)
}

// ---- comments -------------------------------------------------------------

/// One page of comments (oldest first) for each action item, in one statement.
pub async fn comments_of_action_items(
    db: &impl ConnectionTrait,
    reach: &Reach,
    action_item_ids: &[i64],
    request: &PageRequest,
) -> Result<HashMap<i64, Page<Comment>>, StorageError> {
    pages_of::<comments::Entity>(db, reach, action_item_ids, request).await
}

pub async fn count_comments_of_action_items(
    db: &impl ConnectionTrait,
    reach: &Reach,
    action_item_ids: &[i64],
) -> Result<HashMap<i64, u64>, StorageError> {
    counts_of::<comments::Entity>(db, reach, action_item_ids).await
}

pub async fn comments_by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<Comment>, StorageError> {
    by_ids::<comments::Entity>(db, reach, ids).await
}

pub async fn insert_comment(
    db: &impl ConnectionTrait,
    action_item_id: i64,
    author_id: Option<i64>,
    author_label: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Comment, StorageError> {
    let model = comments::ActiveModel {
        action_item_id: Set(action_item_id),
        author_id: Set(author_id),
        author_label: Set(author_label.to_owned()),
        body: Set(body.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    convert::comment(model)
}

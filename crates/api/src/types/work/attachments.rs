//! The `Evidence` and `Comment` objects of an action item.

use super::*;

pub struct Evidence(pub ai::Evidence);

/// A proof that a fix was made: an uploaded file or a link. Immutable once added.
#[Object]
impl Evidence {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Evidence, self.0.id.0)
    }
    /// The action item it proves.
    async fn action_item(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ActionItem>> {
        Ok(batch(ctx)?
            .load_one(self.0.action_item_id)
            .await?
            .map(ActionItem))
    }
    /// File name or link title.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Media type, e.g. `application/pdf`.
    async fn media_type(&self) -> &str {
        &self.0.media_type
    }
    /// Size of the content in bytes (0 for a link).
    async fn size_bytes(&self) -> i64 {
        self.0.size_bytes
    }
    /// Lower-case hex SHA-256 of the content (of the URL, for a link).
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    /// The link, for evidence given by reference.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Where to download an uploaded file (with the same bearer token); null for a link.
    async fn download_path(&self) -> Option<String> {
        self.0
            .url
            .is_none()
            .then(|| format!("/evidence/{}", encode(Kind::Evidence, self.0.id.0).as_str()))
    }
    /// Who added it.
    async fn uploaded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        crate::types::user::load_user(ctx, self.0.uploaded_by).await
    }
    /// When it was added.
    async fn uploaded_at(&self) -> DateTime {
        DateTime(self.0.uploaded_at)
    }
}

pub struct Comment(pub ai::Comment);

/// A remark on an action item.
#[Object]
impl Comment {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Comment, self.0.id.0)
    }
    /// The action item it is on.
    async fn action_item(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ActionItem>> {
        Ok(batch(ctx)?
            .load_one(self.0.action_item_id)
            .await?
            .map(ActionItem))
    }
    /// The author, when a user wrote it.
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        crate::types::user::load_user(ctx, self.0.author_id).await
    }
    /// The author as shown: the display name (admins read the label as recorded, which is an e-mail on comments written before display names).
    async fn author_label(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        crate::types::user::shown_label(ctx, &self.0.author_label, self.0.author_id).await
    }
    /// The text.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// When it was written.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

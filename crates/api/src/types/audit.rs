//! `AuditEvent`.

use async_graphql::{Context, ID, InputObject, Object};
use pendamping_domain::audit as a;

use super::user::User;
use crate::connection::OrderTag;
use crate::id::{Kind, decode_any, decode_opt, encode};
use crate::scalars::DateTime;

pub const AUDIT_NEWEST_FIRST: OrderTag = OrderTag::new("audit", "id.desc");

pub struct AuditEvent(pub a::AuditEvent);

/// Who did what to which record, when, with the changed values. Append-only.
#[Object]
impl AuditEvent {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::AuditEvent, self.0.id.0)
    }
    /// When it happened.
    async fn occurred_at(&self) -> DateTime {
        DateTime(self.0.occurred_at)
    }
    /// The user who acted; null for dashboard tokens and the system.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        super::user::load_user(ctx, self.0.actor_id).await
    }
    /// The actor as shown: a user's display name, `token:` and a dashboard token's label, or `system`. Admins read it as recorded (an e-mail on entries written before display names).
    async fn actor_label(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        super::user::shown_label(ctx, &self.0.actor_label, self.0.actor_id).await
    }
    /// What was done, e.g. `OPD_CREATED`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The type of the record changed, e.g. `Opd`.
    async fn object_type(&self) -> &str {
        &self.0.object_type
    }
    /// The global ID of the record changed, when it is a node.
    async fn object_id(&self) -> Option<ID> {
        crate::id::Kind::ALL
            .into_iter()
            .find(|k| k.name() == self.0.object_type)
            .map(|k| encode(k, self.0.object_id))
    }
    /// The changed fields before, as a JSON object (e-mail addresses left out for all but admins).
    async fn before(&self, ctx: &Context<'_>) -> Option<String> {
        super::user::json_for(ctx, self.0.before.as_deref())
    }
    /// The changed fields after, as a JSON object (e-mail addresses left out for all but admins).
    async fn after(&self, ctx: &Context<'_>) -> Option<String> {
        super::user::json_for(ctx, self.0.after.as_deref())
    }
    /// Why, when a reason was given.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
}

crate::connection::connection!(
    AuditEventConnection,
    AuditEventEdge,
    AuditEvent,
    "audit events"
);

/// Which audit events to list.
#[derive(InputObject, Debug, Default)]
pub struct AuditEventsFilter {
    /// Only events about this record (any node ID).
    pub object_id: Option<ID>,
    /// Only events by this user.
    pub actor_id: Option<ID>,
    /// Only events of this district.
    pub district_id: Option<ID>,
    /// Only events of this office.
    pub office_id: Option<ID>,
    /// Only events at or after this instant.
    pub from: Option<DateTime>,
    /// Only events before this instant.
    pub to: Option<DateTime>,
}

impl AuditEventsFilter {
    pub fn engine(&self) -> async_graphql::Result<pendamping_engine::AuditFilter> {
        let object = match &self.object_id {
            Some(id) => Some(decode_any(id).ok_or_else(|| {
                crate::error::bad_argument(
                    "filter.objectId",
                    format!("`{}` is not a valid ID", id.as_str()),
                )
            })?),
            None => None,
        };
        Ok(pendamping_engine::AuditFilter {
            object_type: object.map(|(k, _)| k.name().to_owned()),
            object_id: object.map(|(_, id)| id),
            actor_id: decode_opt("filter.actorId", Kind::User, self.actor_id.as_ref())?,
            district_id: decode_opt(
                "filter.districtId",
                Kind::District,
                self.district_id.as_ref(),
            )?,
            office_id: decode_opt("filter.officeId", Kind::Office, self.office_id.as_ref())?,
            from: self.from.map(|t| t.0),
            to: self.to.map(|t| t.0),
        })
    }
}

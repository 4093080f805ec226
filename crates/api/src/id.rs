//! Global object identifiers: opaque to clients, `Type:rowid` inside.

use async_graphql::ID;
use base64::Engine as _;
use pendamping_engine::EngineError;

use crate::error::bad_argument;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The kinds of object a global ID can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Office,
    District,
    Opd,
    Agreement,
    Milestone,
    ActionItem,
    Evidence,
    Comment,
    Methodology,
    AssessmentPeriod,
    ScoreRecord,
    AuditEvent,
    User,
    Notification,
    ApiToken,
    Session,
}

impl Kind {
    pub const ALL: [Kind; 16] = [
        Kind::Office,
        Kind::District,
        Kind::Opd,
        Kind::Agreement,
        Kind::Milestone,
        Kind::ActionItem,
        Kind::Evidence,
        Kind::Comment,
        Kind::Methodology,
        Kind::AssessmentPeriod,
        Kind::ScoreRecord,
        Kind::AuditEvent,
        Kind::User,
        Kind::Notification,
        Kind::ApiToken,
        Kind::Session,
    ];

    /// The GraphQL type name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Office => "Office",
            Kind::District => "District",
            Kind::Opd => "Opd",
            Kind::Agreement => "Agreement",
            Kind::Milestone => "Milestone",
            Kind::ActionItem => "ActionItem",
            Kind::Evidence => "Evidence",
            Kind::Comment => "Comment",
            Kind::Methodology => "Methodology",
            Kind::AssessmentPeriod => "AssessmentPeriod",
            Kind::ScoreRecord => "ScoreRecord",
            Kind::AuditEvent => "AuditEvent",
            Kind::User => "User",
            Kind::Notification => "Notification",
            Kind::ApiToken => "ApiToken",
            Kind::Session => "Session",
        }
    }
}

/// The global ID of row `id` of `kind`.
pub fn encode(kind: Kind, id: i64) -> ID {
    ID(B64.encode(format!("{}:{id}", kind.name())))
}

/// The kind and row id inside a global ID, if it is one of ours.
pub fn decode_any(id: &ID) -> Option<(Kind, i64)> {
    let bytes = B64.decode(id.as_str()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (name, row) = text.split_once(':')?;
    let kind = Kind::ALL.into_iter().find(|k| k.name() == name)?;
    let row: i64 = row.parse().ok()?;
    (row > 0).then_some((kind, row))
}

/// The row id inside a global ID that must name a `kind`; a clear error names
/// the argument otherwise.
pub fn decode(argument: &str, kind: Kind, id: &ID) -> async_graphql::Result<i64> {
    match decode_any(id) {
        Some((found, row)) if found == kind => Ok(row),
        Some((found, _)) => Err(bad_argument(
            argument,
            format!(
                "expected the ID of a {}, got the ID of a {}",
                kind.name(),
                found.name()
            ),
        )),
        None => Err(bad_argument(
            argument,
            format!("`{}` is not a valid ID", id.as_str()),
        )),
    }
}

/// A global ID field of an input, decoded; a wrong ID becomes a user error
/// on its field (`userErrors`, not a request error like [`decode`]'s).
pub(crate) fn input_id(field: &str, kind: Kind, id: &ID) -> Result<i64, EngineError> {
    match decode_any(id) {
        Some((found, row)) if found == kind => Ok(row),
        _ => Err(EngineError::invalid(
            field,
            format!("must be the ID of a {}", kind.name()),
        )),
    }
}

/// As [`decode`], for optional arguments.
pub fn decode_opt(
    argument: &str,
    kind: Kind,
    id: Option<&ID>,
) -> async_graphql::Result<Option<i64>> {
    id.map(|id| decode(argument, kind, id)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_name_their_kind() {
        let id = encode(Kind::Opd, 42);
        assert_eq!(decode_any(&id), Some((Kind::Opd, 42)));
        assert_eq!(decode("id", Kind::Opd, &id).unwrap(), 42);
        let err = decode("districtId", Kind::District, &id).unwrap_err();
        assert!(
            err.message
                .contains("expected the ID of a District, got the ID of a Opd")
        );
    }

    #[test]
    fn garbage_is_not_an_id() {
        assert_eq!(decode_any(&ID("not-base64!".into())), None);
        assert_eq!(decode_any(&ID(B64.encode("Opd:-1"))), None);
        assert_eq!(decode_any(&ID(B64.encode("Planet:1"))), None);
        assert!(decode("id", Kind::Opd, &ID("x".into())).is_err());
    }
}

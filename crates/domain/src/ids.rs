//! Every typed identifier, in one place: a row id of one kind of record can
//! never be passed where another kind's is meant. Each is declared beside its
//! aggregate (with `id_type!`); this module is the one import path.

pub use crate::action_item::{ActionItemId, CommentId, EvidenceId};
pub use crate::agreement::{AgreementId, AmendmentId, MilestoneId};
pub use crate::audit::AuditEventId;
pub use crate::deadline::NotificationId;
pub use crate::events::WebhookId;
pub use crate::identity::{AccessTokenId, UserId};
pub use crate::reference::{DistrictId, OfficeId, OpdId, ReorganisationId};
pub use crate::score::{AssessmentPeriodId, MethodologyId, ScoreRecordId};

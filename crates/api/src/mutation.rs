//! The root `Mutation`: one input object in, a payload with the changed
//! object and `userErrors` out.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use pendamping_domain::identity::{AccessTokenId, RoleAssignment, Scope};
use pendamping_domain::reference::{DistrictId, NewDistrict, NewOffice, NewOpd, OfficeId, OpdId};
use pendamping_engine::{EngineError, NewUser};

use crate::context::{actor, request};
use crate::error::{Outcome, UserError, change_with};
use crate::id::{Kind, decode_any, input_id};
use crate::scalars::DateTime;
use crate::types::enums::{DistrictKind, OpdKind, Role, TimeZone};
use crate::types::reference::{District, Office, Opd};
use crate::types::user::{User, Viewer};

/// Credentials for `login`.
#[derive(InputObject)]
pub struct LoginInput {
    /// The account's e-mail address.
    pub email: String,
    /// The password. Never logged or stored in clear.
    #[graphql(secret)]
    pub password: String,
}

/// The result of `login`.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// The bearer token: send it as `Authorization: Bearer <token>`. Shown once.
    pub token: Option<String>,
    /// When the token stops working.
    pub expires_at: Option<DateTime>,
    /// Who logged in.
    pub viewer: Option<Viewer>,
    /// Seconds to wait before the next attempt is evaluated, when too many failed (`RATE_LIMITED`).
    pub retry_after_seconds: Option<i64>,
    /// Why the login failed, if it did.
    pub user_errors: Vec<UserError>,
}

/// The result of `logout`.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// Whether a live session was ended.
    pub logged_out: bool,
    /// Problems, if any.
    pub user_errors: Vec<UserError>,
}

/// A new Ombudsman office.
#[derive(InputObject)]
pub struct CreateOfficeInput {
    /// Short stable code: capital letters, digits and '-', e.g. `SULBAR`.
    pub code: String,
    /// Full name.
    pub name: String,
    /// The province served.
    pub province: String,
    /// The office's time zone.
    pub time_zone: TimeZone,
}

/// The result of `createOffice`.
#[derive(SimpleObject)]
pub struct CreateOfficePayload {
    /// The new office.
    pub office: Option<Office>,
    /// Why it was not created, if it was not.
    pub user_errors: Vec<UserError>,
}

/// A new district.
#[derive(InputObject)]
pub struct CreateDistrictInput {
    /// The office that will oversee it.
    pub office_id: ID,
    /// Province, regency or city.
    pub kind: DistrictKind,
    /// Name, e.g. *Kabupaten Mamuju Tengah*; unique.
    pub name: String,
    /// The province it lies in.
    pub province: String,
    /// Its time zone.
    pub time_zone: TimeZone,
}

/// The result of `createDistrict`.
#[derive(SimpleObject)]
pub struct CreateDistrictPayload {
    /// The new district.
    pub district: Option<District>,
    /// Why it was not created, if it was not.
    pub user_errors: Vec<UserError>,
}

/// A new OPD.
#[derive(InputObject)]
pub struct CreateOpdInput {
    /// Its district.
    pub district_id: ID,
    /// Full name; unique within the district.
    pub name: String,
    /// Common short name.
    pub short_name: Option<String>,
    /// What kind of unit it is.
    pub kind: OpdKind,
    /// The head's title (not a personal name).
    pub head_title: Option<String>,
}

/// The result of `createOpd`.
#[derive(SimpleObject)]
pub struct CreateOpdPayload {
    /// The new OPD.
    pub opd: Option<Opd>,
    /// Why it was not created, if it was not.
    pub user_errors: Vec<UserError>,
}

/// A role to give, and where: no scope for `SYSTEM_ADMIN`; an office, a district or an OPD ID for the others.
#[derive(InputObject)]
pub struct RoleInput {
    /// The role.
    pub role: Role,
    /// The office, district or OPD it is held in.
    pub scope_id: Option<ID>,
}

/// A new user.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// E-mail address (the login name); unique.
    pub email: String,
    /// Name as shown; a title is fine.
    pub display_name: String,
    /// Initial password, at least 12 characters.
    #[graphql(secret)]
    pub password: String,
    /// Roles and their scopes.
    pub roles: Vec<RoleInput>,
}

/// The result of `createUser`.
#[derive(SimpleObject)]
pub struct CreateUserPayload {
    /// The new user.
    pub user: Option<User>,
    /// Why it was not created, if it was not.
    pub user_errors: Vec<UserError>,
}

/// A new dashboard token: read-only (`VIEWER`) within one office or one district.
#[derive(InputObject)]
pub struct CreateApiTokenInput {
    /// What the token is for, e.g. "Wall screen, Sekda's office".
    pub label: String,
    /// The office or district the token may read.
    pub scope_id: ID,
    /// When it stops working; never, if not given.
    pub expires_at: Option<DateTime>,
}

/// The result of `createApiToken`.
#[derive(SimpleObject)]
pub struct CreateApiTokenPayload {
    /// The token's global ID (an `ApiToken` ID), for `revokeApiToken`.
    pub token_id: Option<ID>,
    /// The token itself. Shown this once; store it safely.
    pub token: Option<String>,
    /// Why it was not created, if it was not.
    pub user_errors: Vec<UserError>,
}

/// Which token to revoke.
#[derive(InputObject)]
pub struct RevokeApiTokenInput {
    /// The `tokenId` that `createApiToken` returned (an `ApiToken` global ID). Login sessions are not API tokens: end them with `revokeSession`.
    pub token_id: ID,
}

/// The result of `revokeApiToken`.
#[derive(SimpleObject)]
pub struct RevokeApiTokenPayload {
    /// Whether the token was revoked.
    pub revoked: bool,
    /// Why not, if it was not.
    pub user_errors: Vec<UserError>,
}

/// One dimension's value of a score.
#[derive(InputObject)]
pub struct DimensionValueInput {
    /// The dimension's code, e.g. `PROSES`.
    pub code: String,
    /// Its value, 0–100.
    pub value: f64,
}

/// A first score of an OPD, or of a district as a whole, in a period.
#[derive(InputObject)]
pub struct RecordScoreInput {
    /// The assessment period; its methodology applies.
    pub period_id: ID,
    /// The district scored (or the OPD's district).
    pub district_id: ID,
    /// The OPD scored; leave out for the district's own score.
    pub opd_id: Option<ID>,
    /// Official, self-assessment or mentoring check.
    pub kind: crate::types::enums::ScoreKind,
    /// The total as published (kept as published); computed from the dimensions when left out.
    pub total: Option<f64>,
    /// Per-dimension values, for methodologies with dimensions (each one exactly once).
    pub dimensions: Option<Vec<DimensionValueInput>>,
    /// Where the figure comes from; left out, what `kind` says (`OFFICIAL` → `PUBLISHED`, and so on). `ILLUSTRATIVE` fits any kind.
    pub provenance: Option<crate::types::enums::Provenance>,
    /// The document or announcement a published figure comes from; required when `provenance` is `PUBLISHED`.
    pub source: Option<String>,
    /// The published national rank (official scores), e.g. 9 …
    pub national_rank: Option<i32>,
    /// … of 416 (required with `nationalRank`).
    pub national_rank_out_of: Option<i32>,
    /// The qualifier published with an official result, e.g. `TANPA_MALADMINISTRASI` (see the methodology's `qualifiers`).
    pub qualifier: Option<String>,
    /// The secondary label published with an official result, e.g. `CUKUP` (see the methodology's `publishedLabels`); never computed.
    pub published_label: Option<String>,
}

/// A correction of a score: a new revision supersedes the current one.
#[derive(InputObject)]
pub struct CorrectScoreInput {
    /// The revision in force.
    pub score_record_id: ID,
    /// The corrected total.
    pub total: Option<f64>,
    /// The corrected dimension values.
    pub dimensions: Option<Vec<DimensionValueInput>>,
    /// Why the score is corrected.
    pub reason: String,
}

/// The result of `recordScore` and `correctScore`.
#[derive(SimpleObject)]
pub struct ScoreRecordPayload {
    /// The score recorded (the new revision, for a correction).
    pub score_record: Option<crate::types::scores::ScoreEntry>,
    /// Why it was not recorded, if it was not.
    pub user_errors: Vec<UserError>,
}

fn score_values(
    total: Option<f64>,
    dimensions: Option<Vec<DimensionValueInput>>,
) -> pendamping_engine::ScoreValues {
    pendamping_engine::ScoreValues {
        total,
        dimensions: dimensions
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.code, d.value))
            .collect(),
    }
}

/// Evidence for an action item: an uploaded file (multipart request) or a link.
#[derive(InputObject)]
pub struct AddEvidenceInput {
    /// The action item the evidence proves.
    pub action_item_id: ID,
    /// The file, sent per the GraphQL multipart request specification.
    pub file: Option<async_graphql::Upload>,
    /// A link, instead of a file.
    pub url: Option<String>,
    /// A name for the evidence; defaults to the file's name.
    pub name: Option<String>,
}

/// The result of `addEvidence`.
#[derive(SimpleObject)]
pub struct AddEvidencePayload {
    /// The new evidence.
    pub evidence: Option<crate::types::work::Evidence>,
    /// Why it was not added, if it was not.
    pub user_errors: Vec<UserError>,
}

/// A remark on an action item.
#[derive(InputObject)]
pub struct AddCommentInput {
    /// The action item.
    pub action_item_id: ID,
    /// The text.
    pub body: String,
}

/// The result of `addComment`.
#[derive(SimpleObject)]
pub struct AddCommentPayload {
    /// The new comment.
    pub comment: Option<crate::types::work::Comment>,
    /// Why it was not added, if it was not.
    pub user_errors: Vec<UserError>,
}

/// The evidence source an input describes: exactly one of a file and a link.
fn evidence_source(
    ctx: &Context<'_>,
    input: AddEvidenceInput,
) -> Result<(i64, pendamping_engine::EvidenceSource), EngineError> {
    use std::io::Read as _;
    let item = input_id("actionItemId", Kind::ActionItem, &input.action_item_id)?;
    match (input.file, input.url) {
        (Some(file), None) => {
            let upload = file
                .value(ctx)
                .map_err(|_| EngineError::invalid("file", "the upload could not be read"))?;
            let name = input.name.unwrap_or_else(|| upload.filename.clone());
            let media_type = upload
                .content_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".to_owned());
            let mut bytes = Vec::new();
            upload
                .into_read()
                .take(pendamping_engine::MAX_EVIDENCE_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(|_| EngineError::invalid("file", "the upload could not be read"))?;
            Ok((
                item,
                pendamping_engine::EvidenceSource::File {
                    name,
                    media_type,
                    bytes,
                },
            ))
        }
        (None, Some(url)) => Ok((
            item,
            pendamping_engine::EvidenceSource::Link {
                name: input.name.unwrap_or_else(|| url.clone()),
                url,
            },
        )),
        _ => Err(EngineError::invalid(
            "file",
            "give either a file or a url, not both or neither",
        )),
    }
}

pub(crate) fn scope_from(field: &str, role: Role, id: Option<&ID>) -> Result<Scope, EngineError> {
    let Some(id) = id else {
        return Ok(Scope::Everything);
    };
    let scope = match decode_any(id) {
        Some((Kind::Office, row)) => Scope::Office(OfficeId(row)),
        Some((Kind::District, row)) => Scope::District(DistrictId(row)),
        Some((Kind::Opd, row)) => Scope::Opd(OpdId(row)),
        _ => {
            return Err(EngineError::invalid(
                field,
                "must be the ID of an office, a district or an OPD",
            ));
        }
    };
    RoleAssignment::new(role.into(), scope)
        .map(|a| a.scope)
        .map_err(|e| EngineError::invalid(field, e.to_string()))
}

#[derive(Default)]
pub struct CoreMutation;

/// Changing Pendamping. Expected failures come back as `userErrors`.
#[Object]
impl CoreMutation {
    /// Exchanges an e-mail and a password for a bearer token. Failures do not tell whether the e-mail exists; repeated failures are refused for a while.
    async fn login(
        &self,
        ctx: &Context<'_>,
        input: LoginInput,
    ) -> async_graphql::Result<LoginPayload> {
        let rc = request(ctx)?;
        let outcome = rc
            .engine
            .login(&input.email, &input.password, rc.client_address.as_deref())
            .await;
        match outcome {
            Ok((issued, user)) => {
                let assignments = match rc.engine.authenticate(&issued.token).await {
                    Ok(actor) => actor.assignments,
                    Err(_) => Vec::new(),
                };
                Ok(LoginPayload {
                    token: Some(issued.token),
                    expires_at: issued.expires_at.map(DateTime),
                    viewer: Some(Viewer {
                        label: user.display_name.clone(),
                        user: Some(User {
                            user,
                            assignments: Some(assignments.clone()),
                            account: None,
                            email_shown: true,
                        }),
                        assignments,
                    }),
                    retry_after_seconds: None,
                    user_errors: Vec::new(),
                })
            }
            Err(
                err @ (EngineError::Unauthenticated(_)
                | EngineError::RateLimited(_)
                | EngineError::Throttled { .. }),
            ) => {
                let retry_after_seconds = match &err {
                    EngineError::Throttled {
                        retry_after_seconds,
                    } => Some(i64::try_from(*retry_after_seconds).unwrap_or(i64::MAX)),
                    _ => None,
                };
                Ok(LoginPayload {
                    token: None,
                    expires_at: None,
                    viewer: None,
                    retry_after_seconds,
                    user_errors: vec![UserError {
                        field: Vec::new(),
                        code: crate::error::code_of(&err).to_owned(),
                        message: err.to_string(),
                    }],
                })
            }
            Err(err) => Err(crate::error::gql(err)),
        }
    }

    /// Ends the session of the token this request carries.
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<LogoutPayload> {
        actor(ctx)?;
        let rc = request(ctx)?;
        let token = rc.token.clone().unwrap_or_default();
        let (done, user_errors) = rc.engine.logout(&token).await.outcome()?;
        Ok(LogoutPayload {
            logged_out: done.unwrap_or(false),
            user_errors,
        })
    }

    /// Adds an Ombudsman office (system admins).
    async fn create_office(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: CreateOfficeInput,
    ) -> async_graphql::Result<CreateOfficePayload> {
        let actor = actor(ctx)?;
        let new = NewOffice {
            code: input.code,
            name: input.name,
            province: input.province,
            time_zone: input.time_zone.into(),
        };
        let (office, user_errors) = request(ctx)?
            .engine
            .create_office(actor, new)
            .await
            .outcome()?;
        Ok(CreateOfficePayload {
            office: office.map(Office),
            user_errors,
        })
    }

    /// Adds a district under an office (system admins).
    async fn create_district(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: CreateDistrictInput,
    ) -> async_graphql::Result<CreateDistrictPayload> {
        let actor = actor(ctx)?;
        let result = async {
            let new = NewDistrict {
                office_id: OfficeId(input_id("officeId", Kind::Office, &input.office_id)?),
                kind: input.kind.into(),
                name: input.name,
                province: input.province,
                time_zone: input.time_zone.into(),
            };
            request(ctx)
                .map_err(|_| EngineError::Forbidden("no request context".into()))?
                .engine
                .create_district(actor, new)
                .await
        }
        .await;
        let (district, user_errors) = result.outcome()?;
        Ok(CreateDistrictPayload {
            district: district.map(District),
            user_errors,
        })
    }

    /// Adds an OPD to a district (system admins, and the district's coordinator).
    async fn create_opd(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: CreateOpdInput,
    ) -> async_graphql::Result<CreateOpdPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(
            input_id("districtId", Kind::District, &input.district_id),
            |district| {
                engine.create_opd(
                    actor,
                    NewOpd {
                        district_id: DistrictId(district),
                        name: input.name,
                        short_name: input.short_name,
                        kind: input.kind.into(),
                        head_title: input.head_title,
                    },
                )
            },
        )
        .await;
        let (opd, user_errors) = result.outcome()?;
        Ok(CreateOpdPayload {
            opd: opd.map(Opd),
            user_errors,
        })
    }

    /// Adds a user with roles: admins any; an Ombudsman lead assessors, coordinators, OPD officers and viewers within the office; a district coordinator OPD officers and viewers within the district.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: CreateUserInput,
    ) -> async_graphql::Result<CreateUserPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let mut assignments = Vec::new();
        let mut failure = None;
        for (i, role) in input.roles.iter().enumerate() {
            let field = format!("roles.{i}.scopeId");
            match scope_from(&field, role.role, role.scope_id.as_ref()) {
                Ok(scope) => assignments.push(RoleAssignment {
                    role: role.role.into(),
                    scope,
                }),
                Err(err) => {
                    failure = Some(err);
                    break;
                }
            }
        }
        let result = match failure {
            Some(err) => Err(err),
            None => {
                engine
                    .create_user(
                        actor,
                        NewUser {
                            email: input.email,
                            display_name: input.display_name,
                            password: input.password,
                            assignments,
                        },
                    )
                    .await
            }
        };
        let (user, user_errors) = result.outcome()?;
        Ok(CreateUserPayload {
            user: user.map(User::plain),
            user_errors,
        })
    }

    /// Records a score (assessors of the district's office, and admins). Weights come from the period's methodology.
    async fn record_score(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to record.")] input: RecordScoreInput,
    ) -> async_graphql::Result<ScoreRecordPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let ids = (|| {
            Ok::<_, EngineError>((
                input_id("periodId", Kind::AssessmentPeriod, &input.period_id)?,
                input_id("districtId", Kind::District, &input.district_id)?,
                input
                    .opd_id
                    .as_ref()
                    .map(|id| input_id("opdId", Kind::Opd, id))
                    .transpose()?,
            ))
        })();
        let result = change_with(ids, |(period, district, opd)| {
            engine.record_score(
                actor,
                pendamping_engine::NewScore {
                    period_id: pendamping_domain::score::AssessmentPeriodId(period),
                    district_id: DistrictId(district),
                    opd_id: opd.map(OpdId),
                    kind: input.kind.into(),
                    values: score_values(input.total, input.dimensions),
                    provenance: input.provenance.map(Into::into),
                    published: pendamping_engine::Published {
                        source: input.source,
                        national_rank: input
                            .national_rank
                            .map(|rank| (rank, input.national_rank_out_of.unwrap_or(0))),
                        qualifier: input.qualifier,
                        label: input.published_label,
                    },
                },
            )
        })
        .await;
        let (record, user_errors) = result.outcome()?;
        Ok(ScoreRecordPayload {
            score_record: record.map(crate::types::scores::ScoreEntry),
            user_errors,
        })
    }

    /// Corrects a score with a reason; the old revision stays readable (`includeSuperseded`).
    async fn correct_score(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to correct.")] input: CorrectScoreInput,
    ) -> async_graphql::Result<ScoreRecordPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(
            input_id("scoreRecordId", Kind::ScoreRecord, &input.score_record_id),
            |id| {
                engine.correct_score(
                    actor,
                    pendamping_domain::score::ScoreRecordId(id),
                    score_values(input.total, input.dimensions),
                    &input.reason,
                )
            },
        )
        .await;
        let (record, user_errors) = result.outcome()?;
        Ok(ScoreRecordPayload {
            score_record: record.map(crate::types::scores::ScoreEntry),
            user_errors,
        })
    }

    /// Adds evidence to an action item (its OPD's officers, while the item is worked on). Evidence is immutable.
    async fn add_evidence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The evidence.")] input: AddEvidenceInput,
    ) -> async_graphql::Result<AddEvidencePayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(evidence_source(ctx, input), |(item, source)| {
            engine.add_evidence(
                actor,
                pendamping_domain::action_item::ActionItemId(item),
                source,
            )
        })
        .await;
        let (evidence, user_errors) = result.outcome()?;
        Ok(AddEvidencePayload {
            evidence: evidence.map(crate::types::work::Evidence),
            user_errors,
        })
    }

    /// Comments on an action item (everyone who works on it; not dashboards).
    async fn add_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comment.")] input: AddCommentInput,
    ) -> async_graphql::Result<AddCommentPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(
            input_id("actionItemId", Kind::ActionItem, &input.action_item_id),
            |item| {
                engine.add_comment(
                    actor,
                    pendamping_domain::action_item::ActionItemId(item),
                    &input.body,
                )
            },
        )
        .await;
        let (comment, user_errors) = result.outcome()?;
        Ok(AddCommentPayload {
            comment: comment.map(crate::types::work::Comment),
            user_errors,
        })
    }

    /// Creates a read-only dashboard (`VIEWER`) token for an office or a district: admins anywhere, an Ombudsman lead within the office, a district coordinator for the district. The token is shown once.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: CreateApiTokenInput,
    ) -> async_graphql::Result<CreateApiTokenPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(
            scope_from("scopeId", Role::Viewer, Some(&input.scope_id)),
            |scope| {
                engine.create_api_token(actor, &input.label, scope, input.expires_at.map(|t| t.0))
            },
        )
        .await;
        let (issued, user_errors) = result.outcome()?;
        Ok(CreateApiTokenPayload {
            token_id: issued
                .as_ref()
                .map(|t| crate::id::encode(Kind::ApiToken, t.id.0)),
            token: issued.map(|t| t.token),
            user_errors,
        })
    }

    /// Revokes a dashboard (API) token, by its `ApiToken` ID: admins any, a lead or a coordinator those of their scope. Never a login session.
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: RevokeApiTokenInput,
    ) -> async_graphql::Result<RevokeApiTokenPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(input_id("tokenId", Kind::ApiToken, &input.token_id), |id| {
            engine.revoke_api_token(actor, AccessTokenId(id))
        })
        .await;
        let (done, user_errors) = result.outcome()?;
        Ok(RevokeApiTokenPayload {
            revoked: done.is_some(),
            user_errors,
        })
    }
}

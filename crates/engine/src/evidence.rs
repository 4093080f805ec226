//! Evidence and comments on action items. Evidence is immutable: a replaced
//! file is a new evidence row. Files are stored by their SHA-256 in a blob
//! store, through `object_store`: a local directory by default, or an
//! S3-compatible bucket by configuration.

use std::sync::Arc;

use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt as _, PutPayload};
use pendamping_domain::action_item::{ActionItem, ActionItemId, Comment, Evidence, EvidenceId};
use pendamping_domain::events::EventKind;
use pendamping_domain::identity::Actor;
use pendamping_domain::policy::{Operation, Target};
use pendamping_domain::validation::Validation;
use pendamping_storage::work::{self, EvidenceRow};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::error::{not_found, one_of};
use crate::reference::{Subject, append_audit, forbid};
use crate::{Engine, EngineError};

/// The largest evidence file accepted.
pub const MAX_EVIDENCE_BYTES: usize = 20 * 1024 * 1024;

/// Media types accepted for uploaded evidence: documents, spreadsheets, photos.
pub const EVIDENCE_MEDIA_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/plain",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/// Where evidence files live.
#[derive(Clone)]
pub struct BlobStore(Arc<dyn ObjectStore>);

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BlobStore({})", self.0)
    }
}

impl BlobStore {
    /// A store in a local directory, created if missing.
    pub fn local(dir: &std::path::Path) -> Result<Self, EngineError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| internal(format!("creating {}: {e}", dir.display())))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| internal(e.to_string()))?;
        Ok(BlobStore(Arc::new(store)))
    }

    /// A store in an S3-compatible bucket, `s3://bucket[/prefix]`. Credentials,
    /// region and endpoint come from the standard `AWS_*` environment variables
    /// (`AWS_ENDPOINT` for MinIO and other S3-compatible services); `settings`
    /// override them by the same names in lower case, e.g. `aws_endpoint`.
    pub fn s3(url: &str, settings: &[(&str, &str)]) -> Result<Self, EngineError> {
        let invalid = |problem: String| EngineError::invalid("evidenceStore", problem);
        let location = url
            .strip_prefix("s3://")
            .ok_or_else(|| invalid(format!("must start with s3://, not `{url}`")))?;
        let (bucket, prefix) = location.split_once('/').unwrap_or((location, ""));
        if bucket.is_empty() {
            return Err(invalid("names no bucket (s3://bucket/prefix)".into()));
        }
        let mut builder = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket);
        for (key, value) in settings {
            let key = key
                .parse::<object_store::aws::AmazonS3ConfigKey>()
                .map_err(|e| invalid(format!("unknown setting `{key}`: {e}")))?;
            builder = builder.with_config(key, *value);
        }
        let store = builder
            .build()
            .map_err(|e| invalid(format!("cannot be used: {e}")))?;
        let prefix = prefix.trim_matches('/');
        Ok(if prefix.is_empty() {
            BlobStore(Arc::new(store))
        } else {
            BlobStore(Arc::new(object_store::prefix::PrefixStore::new(
                store, prefix,
            )))
        })
    }

    /// A store in memory (tests).
    pub fn in_memory() -> Self {
        BlobStore(Arc::new(object_store::memory::InMemory::new()))
    }

    fn path(sha256: &str) -> StorePath {
        StorePath::from(format!("sha256/{}/{sha256}", &sha256[..2]))
    }

    async fn put(&self, sha256: &str, bytes: Vec<u8>) -> Result<(), EngineError> {
        self.0
            .put(&Self::path(sha256), PutPayload::from(bytes))
            .await
            .map(|_| ())
            .map_err(|e| internal(format!("storing evidence: {e}")))
    }

    async fn get(&self, sha256: &str) -> Result<Vec<u8>, EngineError> {
        let found = self
            .0
            .get(&Self::path(sha256))
            .await
            .map_err(|e| internal(format!("reading evidence: {e}")))?;
        let bytes = found
            .bytes()
            .await
            .map_err(|e| internal(format!("reading evidence: {e}")))?;
        Ok(bytes.to_vec())
    }
}

fn internal(message: String) -> EngineError {
    EngineError::Failure(crate::InternalError::Blob(message))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What proves a fix: an uploaded file or a link.
#[derive(Debug, Clone)]
pub enum EvidenceSource {
    File {
        name: String,
        media_type: String,
        bytes: Vec<u8>,
    },
    Link {
        name: String,
        url: String,
    },
}

/// Evidence content, for download.
#[derive(Debug, Clone)]
pub struct EvidenceContent {
    pub evidence: Evidence,
    pub bytes: Vec<u8>,
}

/// Whether `url` is acceptable as an evidence link (the rule `addEvidence` applies).
/// An absolute `http(s)://` URL with a host, at most 2 000 characters, and no
/// control characters or spaces anywhere (the URL parser would silently drop
/// some of them, so the text is checked as given).
pub(crate) fn acceptable_link(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && url.len() <= 2000
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
        && reqwest::Url::parse(url).is_ok_and(|parsed| {
            matches!(parsed.scheme(), "http" | "https")
                && parsed.host_str().is_some_and(|h| !h.is_empty())
        })
}

impl Engine {
    /// The action item and the target of its OPD, if the actor may read it.
    pub(crate) async fn item_target(
        &self,
        actor: &Actor,
        id: ActionItemId,
    ) -> Result<(ActionItem, Target), EngineError> {
        let reader = self.reader(actor);
        let item = one_of(reader.action_items_by_ids(&[id]), not_found("action item")).await?;
        let district = one_of(
            reader.districts_by_ids(&[item.district_id]),
            not_found("action item"),
        )
        .await?;
        let target = Target::opd(district.office_id, district.id, item.opd_id);
        Ok((item, target))
    }

    /// Adds evidence to an action item still being worked on.
    pub async fn add_evidence(
        &self,
        actor: &Actor,
        id: ActionItemId,
        source: EvidenceSource,
    ) -> Result<Evidence, EngineError> {
        let (item, target) = self.item_target(actor, id).await?;
        forbid(actor, Operation::AddEvidence, &target)?;
        if !item.status.is_opds_move() {
            return Err(EngineError::InvalidTransition(format!(
                "evidence can be added only while the item is being worked on, not when it is {}",
                item.status
            )));
        }
        let mut v = Validation::new();
        let row = match source {
            EvidenceSource::File {
                name,
                media_type,
                bytes,
            } => {
                v.text("name", &name, 300);
                v.check(!bytes.is_empty(), "file", "is empty");
                v.check(
                    bytes.len() <= MAX_EVIDENCE_BYTES,
                    "file",
                    &format!("is larger than {} MiB", MAX_EVIDENCE_BYTES / (1024 * 1024)),
                );
                let media_type = media_type.trim().to_ascii_lowercase();
                v.check(
                    EVIDENCE_MEDIA_TYPES.contains(&media_type.as_str()),
                    "file",
                    "must be a PDF, an image (JPEG, PNG, WebP), a text file or an Office document",
                );
                v.finish()?;
                let sha256 = sha256_hex(&bytes);
                let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
                self.blobs.put(&sha256, bytes).await?;
                EvidenceRow {
                    action_item_id: item.id.0,
                    name: name.trim().to_owned(),
                    media_type,
                    size_bytes: size,
                    storage_key: Some(sha256.clone()),
                    sha256,
                    url: None,
                    uploaded_by: actor.user_id.map(|u| u.0),
                }
            }
            EvidenceSource::Link { name, url } => {
                v.text("name", &name, 300);
                let url = url.trim().to_owned();
                v.check(
                    acceptable_link(&url),
                    "url",
                    "must be an absolute http(s) address without spaces or control characters",
                );
                v.finish()?;
                EvidenceRow {
                    action_item_id: item.id.0,
                    name: name.trim().to_owned(),
                    media_type: "text/uri-list".to_owned(),
                    size_bytes: 0,
                    sha256: sha256_hex(url.as_bytes()),
                    url: Some(url),
                    storage_key: None,
                    uploaded_by: actor.user_id.map(|u| u.0),
                }
            }
        };
        // A coordinator (or an admin) adds evidence on behalf of the OPD: the
        // evidence is recorded as the uploader's, the item stays the OPD's.
        let on_behalf = !pendamping_domain::policy::is_opd_officer_at(actor, &target);
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let evidence = work::insert_evidence(&txn, row, now).await?;
        let after = json!({"evidence": evidence.name, "evidenceId": evidence.id.0, "sha256": evidence.sha256,
                           "sizeBytes": evidence.size_bytes, "onBehalfOfOpd": on_behalf});
        let subject =
            Subject::new("ActionItem", item.id.0, target).in_agreement(item.agreement_id.0);
        self.commit_change(txn, actor, EventKind::EvidenceAdded, subject, after, now)
            .await?;
        Ok(evidence)
    }

    /// The content of an uploaded evidence file, if the actor may read its action item.
    pub async fn evidence_content(
        &self,
        actor: &Actor,
        id: EvidenceId,
    ) -> Result<EvidenceContent, EngineError> {
        let evidence = one_of(
            self.reader(actor).evidence_by_ids(&[id]),
            not_found("evidence"),
        )
        .await?;
        if evidence.url.is_some() {
            return Err(EngineError::NotFound("file of a link evidence".into()));
        }
        let bytes = self.blobs.get(&evidence.sha256).await?;
        if sha256_hex(&bytes) != evidence.sha256 {
            return Err(internal(format!(
                "evidence {id} does not match its SHA-256"
            )));
        }
        Ok(EvidenceContent { evidence, bytes })
    }

    /// Comments on an action item.
    pub async fn add_comment(
        &self,
        actor: &Actor,
        id: ActionItemId,
        body: &str,
    ) -> Result<Comment, EngineError> {
        let (item, target) = self.item_target(actor, id).await?;
        forbid(actor, Operation::Comment, &target)?;
        let mut v = Validation::new();
        v.text("body", body, 5000);
        v.finish()?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let comment = work::insert_comment(
            &txn,
            item.id.0,
            actor.user_id.map(|u| u.0),
            &actor.label,
            body.trim(),
            now,
        )
        .await?;
        let subject =
            Subject::new("ActionItem", item.id.0, target).in_agreement(item.agreement_id.0);
        append_audit(
            &txn,
            actor,
            EventKind::CommentAdded,
            subject,
            json!({"comment": comment.body}),
            now,
        )
        .await?;
        crate::reorganise::emit(
            self,
            &txn,
            EventKind::CommentAdded,
            subject,
            json!({"commentId": comment.id.0, "author": comment.author_label}),
        )
        .await?;
        self.commit_events(txn).await?;
        Ok(comment)
    }
}

#[cfg(test)]
mod link_tests {
    use super::acceptable_link;

    #[test]
    fn links_are_absolute_http_urls_without_control_characters() {
        assert!(acceptable_link(
            "https://drive.example.go.id/berkas/sk-2021.pdf"
        ));
        assert!(acceptable_link("http://dinas.example/laporan?tahun=2021"));
        for odd in [
            "javascript:alert(1)//https://x",
            "https:/x.example",
            "https://",
            "ftp://files.example/a",
            "https://a.example/\u{0}x",
            "https://a.example/x\r\nSet-Cookie: a=b",
            "https://a.example/x\u{7f}",
            "https://a.example/a b",
            "/relative/path.pdf",
            "data:text/html,<script>",
        ] {
            assert!(!acceptable_link(odd), "{odd:?} is refused");
        }
    }
}

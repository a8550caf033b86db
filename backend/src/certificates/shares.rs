//! Shares: a student gives a named recipient (a company's HR, an embassy) a link to one issued
//! certificate until a day they choose (30 days unless they say, a year at most), sees every
//! opening of it (when, what happened, a truncated address, the browser), and revokes it at
//! any time. The link opens the certificate's verification page with its data and its PDF:
//! the share stands for the verification code. An expired or revoked share shows nothing.
//!
//! The link's token is kept as a keyed hash (how a request finds it) and sealed under the key
//! secret with its university and student as associated data (so only its student's pages can
//! show the link again); a stolen table gives no link.

use super::credentials::IssuedCredential;
use super::issuance::{delivered, IssuedPdf};
use super::signing::{open_bytes, seal_bytes, KeySecret};
use super::verification::{Verifications, Viewed};
use crate::entities::{application, certificate_share, certificate_share_view, issued_document};
use crate::platform::audit::Actor;
use crate::platform::{storage, StorageError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::{DocumentId, ShareToken, StudentId};
use hmac::Mac;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

/// A share's life unless the student says otherwise, and the longest it may have.
pub const DEFAULT_SHARE_DAYS: u32 = 30;
pub const MAX_SHARE_DAYS: u32 = 365;
pub const MAX_RECIPIENT_CHARS: usize = 100;
/// The newest openings a share's access log shows.
pub const VIEWS_SHOWN: usize = 100;

const TOKEN_HASH_PURPOSE: &str = "shomei/share-token-hash/v1";
const TOKEN_SEAL_PURPOSE: &str = "shomei/share-token/v1";
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    /// No signed, standing certificate of this student at this line.
    #[error("no certificate of this student to share")]
    NotFound,
    #[error("the recipient is 1 to 100 characters on one line")]
    BadRecipient,
    #[error("a share lasts 1 to 365 days")]
    BadDays,
    /// The student did not agree to give the certificate's personal data to the recipient.
    #[error("no consent")]
    NoConsent,
    #[error("storage failed")]
    Storage,
}

impl From<StorageError> for ShareError {
    fn from(StorageError: StorageError) -> Self {
        ShareError::Storage
    }
}

/// What a student asks for: whom, for how many days, and their consent to give the
/// certificate's personal data to that recipient.
#[derive(Clone, Debug)]
pub struct ShareRequest {
    pub recipient: String,
    pub days: u32,
    pub consented: bool,
}

/// What happened at one opening of a share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareOutcome {
    /// The certificate's data was shown.
    Shown,
    /// Its PDF was downloaded.
    Downloaded,
    /// Its Verifiable Credential was downloaded.
    CredentialDownloaded,
    /// Refused: the share had ended.
    Expired,
    /// Refused: the student had revoked it (or the university the certificate).
    Revoked,
}

impl ShareOutcome {
    pub fn code(self) -> &'static str {
        match self {
            ShareOutcome::Shown => "shown",
            ShareOutcome::Downloaded => "downloaded",
            ShareOutcome::CredentialDownloaded => "credential",
            ShareOutcome::Expired => "expired",
            ShareOutcome::Revoked => "revoked",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Shown,
            Self::Downloaded,
            Self::CredentialDownloaded,
            Self::Expired,
            Self::Revoked,
        ]
        .into_iter()
        .find(|outcome| outcome.code() == code)
    }
}

/// One opening, as the share's access log shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareVisit {
    pub at: i64,
    pub outcome: ShareOutcome,
    pub address: String,
    pub browser: String,
}

/// One of a student's shares, with its link and its access log (newest first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StudentShare {
    pub id: i32,
    pub token: Option<ShareToken>,
    pub recipient: String,
    pub application_id: i32,
    pub position: i32,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub visits: Vec<ShareVisit>,
}

/// What a share's link opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shared {
    /// The certificate's summary and data, for whom and until when.
    Open {
        document: DocumentId,
        viewed: Box<Viewed>,
        recipient: String,
        expires_at: i64,
    },
    Expired,
    Revoked,
}

/// The shares of issued certificates.
#[derive(Clone)]
pub struct Shares {
    pub verifications: Verifications,
}

impl Shares {
    fn secret(&self) -> Result<&KeySecret, StorageError> {
        self.verifications.keys.secret.as_ref().ok_or_else(|| {
            tracing::error!("a share needs the key secret, and none is configured");
            StorageError
        })
    }

    /// A share of line `position` of `student`'s application `id`: its link's token.
    pub async fn create(
        &self,
        (tenant_id, student): (i32, StudentId),
        (id, position): (i32, i32),
        request: &ShareRequest,
    ) -> Result<(ShareToken, i32), ShareError> {
        let recipient = request.recipient.trim();
        let fits = !recipient.is_empty()
            && recipient.chars().count() <= MAX_RECIPIENT_CHARS
            && !recipient.chars().any(char::is_control);
        if !fits {
            return Err(ShareError::BadRecipient);
        }
        if !(1..=MAX_SHARE_DAYS).contains(&request.days) {
            return Err(ShareError::BadDays);
        }
        if !request.consented {
            return Err(ShareError::NoConsent);
        }
        let db = &self.verifications.db;
        let owned = application::Entity::find_by_id(id)
            .filter(application::Column::TenantId.eq(tenant_id))
            .filter(application::Column::StudentId.eq(student.0))
            .one(db)
            .await
            .map_err(storage("reading an application to share"))?;
        let document = match owned {
            None => None,
            Some(_) => issued_document::Entity::find()
                .filter(issued_document::Column::TenantId.eq(tenant_id))
                .filter(issued_document::Column::ApplicationId.eq(id))
                .filter(issued_document::Column::Position.eq(position))
                .filter(issued_document::Column::DocumentId.is_not_null())
                .filter(issued_document::Column::RevokedAt.is_null())
                .one(db)
                .await
                .map_err(storage("reading a certificate to share"))?,
        };
        let document = document.ok_or(ShareError::NotFound)?;
        let secret = self.secret()?;
        let token = ShareToken::from_random(rand::random());
        let now = self.verifications.clock.now_ms();
        let sealed = seal_bytes(
            secret,
            TOKEN_SEAL_PURPOSE,
            owner(tenant_id, student).as_bytes(),
            token.as_str().as_bytes(),
        );
        let row = certificate_share::ActiveModel {
            tenant_id: Set(tenant_id),
            student_id: Set(student.0),
            issued_document_id: Set(document.id),
            token_hash: Set(token_hash(secret, &token)),
            sealed_token: Set(URL_SAFE_NO_PAD.encode(sealed)),
            recipient: Set(recipient.to_owned()),
            created_at: Set(now),
            expires_at: Set(now + i64::from(request.days) * DAY_MS),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .map_err(storage("writing a share"))?;
        Ok((token, row.id))
    }

    /// `student`'s shares, newest first, each with its link and its newest openings.
    pub async fn of_student(
        &self,
        tenant_id: i32,
        student: StudentId,
    ) -> Result<Vec<StudentShare>, StorageError> {
        let db = &self.verifications.db;
        let rows = certificate_share::Entity::find()
            .filter(certificate_share::Column::TenantId.eq(tenant_id))
            .filter(certificate_share::Column::StudentId.eq(student.0))
            .order_by_desc(certificate_share::Column::Id)
            .all(db)
            .await
            .map_err(storage("reading a student's shares"))?;
        let secret = self.secret()?;
        // Their certificates and their openings in one query each, not one per share.
        let document_ids: Vec<i32> = rows.iter().map(|row| row.issued_document_id).collect();
        let documents: HashMap<i32, issued_document::Model> = issued_document::Entity::find()
            .filter(issued_document::Column::Id.is_in(document_ids))
            .all(db)
            .await
            .map_err(storage("reading shared certificates"))?
            .into_iter()
            .map(|document| (document.id, document))
            .collect();
        let share_ids: Vec<i32> = rows.iter().map(|row| row.id).collect();
        let mut visits_of: HashMap<i32, Vec<certificate_share_view::Model>> = HashMap::new();
        let visits = certificate_share_view::Entity::find()
            .filter(certificate_share_view::Column::ShareId.is_in(share_ids))
            .order_by_desc(certificate_share_view::Column::Id)
            .all(db)
            .await
            .map_err(storage("reading shares' access logs"))?;
        for visit in visits {
            visits_of.entry(visit.share_id).or_default().push(visit);
        }
        let mut shares = Vec::with_capacity(rows.len());
        for row in rows {
            let document = documents.get(&row.issued_document_id).ok_or(StorageError)?;
            let visits = visits_of.remove(&row.id).unwrap_or_default();
            let token = URL_SAFE_NO_PAD
                .decode(&row.sealed_token)
                .ok()
                .and_then(|sealed| {
                    let aad = owner(tenant_id, student);
                    open_bytes(secret, TOKEN_SEAL_PURPOSE, aad.as_bytes(), &sealed)
                })
                .and_then(|plain| String::from_utf8(plain).ok())
                .and_then(|text| ShareToken::parse(&text));
            shares.push(StudentShare {
                id: row.id,
                token,
                recipient: row.recipient,
                application_id: document.application_id,
                position: document.position,
                created_at: row.created_at,
                expires_at: row.expires_at,
                revoked_at: row.revoked_at,
                visits: visits
                    .into_iter()
                    .take(VIEWS_SHOWN)
                    .map(|visit| ShareVisit {
                        at: visit.at,
                        outcome: ShareOutcome::from_code(&visit.outcome)
                            .unwrap_or(ShareOutcome::Shown),
                        address: visit.address,
                        browser: visit.browser,
                    })
                    .collect(),
            });
        }
        Ok(shares)
    }

    /// Ends `student`'s share `share_id` now (again: nothing changes). `NotFound` for another
    /// student's or none.
    pub async fn revoke(
        &self,
        tenant_id: i32,
        student: StudentId,
        share_id: i32,
    ) -> Result<(), ShareError> {
        let db = &self.verifications.db;
        let now = self.verifications.clock.now_ms();
        let mine = || {
            Expr::col(certificate_share::Column::TenantId)
                .eq(tenant_id)
                .and(Expr::col(certificate_share::Column::StudentId).eq(student.0))
                .and(Expr::col(certificate_share::Column::Id).eq(share_id))
        };
        certificate_share::Entity::update_many()
            .col_expr(certificate_share::Column::RevokedAt, Expr::value(now))
            .filter(mine())
            .filter(certificate_share::Column::RevokedAt.is_null())
            .exec(db)
            .await
            .map_err(storage("revoking a share"))?;
        let found = certificate_share::Entity::find()
            .filter(mine())
            .one(db)
            .await
            .map_err(storage("reading a share"))?;
        found.map(|_| ()).ok_or(ShareError::NotFound)
    }

    /// What `token`'s link shows to `client`, each opening written to the share's access log;
    /// `None` for a link of no share.
    pub async fn open(
        &self,
        token: &ShareToken,
        client: &Actor,
    ) -> Result<Option<Shared>, StorageError> {
        let Some((share, document)) = self.standing(token, client).await? else {
            return Ok(None);
        };
        let share = match share {
            Ok(share) => share,
            Err(refused) => return Ok(Some(refused)),
        };
        let id = document.document_id.as_deref().and_then(DocumentId::parse);
        let Some(id) = id else {
            return Err(StorageError);
        };
        let Some(viewed) = self.verifications.shared(&id).await? else {
            return Err(StorageError);
        };
        visit(
            &self.verifications.db,
            share.id,
            ShareOutcome::Shown,
            client,
            self.now(),
        )
        .await?;
        Ok(Some(Shared::Open {
            document: id,
            viewed: Box::new(viewed),
            recipient: share.recipient,
            expires_at: share.expires_at,
        }))
    }

    /// The PDF behind `token`'s link while the share stands; `None` otherwise.
    pub async fn pdf(
        &self,
        token: &ShareToken,
        client: &Actor,
    ) -> Result<Option<IssuedPdf>, StorageError> {
        let Some((Ok(share), document)) = self.standing(token, client).await? else {
            return Ok(None);
        };
        let pdf = delivered(self.verifications.keys.secret.as_ref(), document)?;
        visit(
            &self.verifications.db,
            share.id,
            ShareOutcome::Downloaded,
            client,
            self.now(),
        )
        .await?;
        Ok(Some(pdf))
    }

    /// The Verifiable Credential of a share's certificate while the share stands (each
    /// download in its access log); `None` otherwise.
    pub async fn credential(
        &self,
        token: &ShareToken,
        client: &Actor,
    ) -> Result<Option<IssuedCredential>, StorageError> {
        let Some((Ok(share), document)) = self.standing(token, client).await? else {
            return Ok(None);
        };
        let Some(id) = document.document_id.as_deref().and_then(DocumentId::parse) else {
            return Ok(None);
        };
        let Some(credential) = self.verifications.credential(&id).await? else {
            return Ok(None);
        };
        let db = &self.verifications.db;
        let outcome = ShareOutcome::CredentialDownloaded;
        visit(db, share.id, outcome, client, self.now()).await?;
        Ok(Some(credential))
    }

    fn now(&self) -> i64 {
        self.verifications.clock.now_ms()
    }

    /// The share of `token` and its certificate: the share while it stands, or why not
    /// (written to its access log).
    async fn standing(
        &self,
        token: &ShareToken,
        client: &Actor,
    ) -> Result<
        Option<(
            Result<certificate_share::Model, Shared>,
            issued_document::Model,
        )>,
        StorageError,
    > {
        let db = &self.verifications.db;
        let hash = token_hash(self.secret()?, token);
        let Some(share) = certificate_share::Entity::find()
            .filter(certificate_share::Column::TokenHash.eq(hash))
            .one(db)
            .await
            .map_err(storage("reading a share"))?
        else {
            return Ok(None);
        };
        let document = issued_document::Entity::find_by_id(share.issued_document_id)
            .one(db)
            .await
            .map_err(storage("reading a shared certificate"))?
            .ok_or(StorageError)?;
        let now = self.now();
        let refused = if share.revoked_at.is_some() {
            Some((ShareOutcome::Revoked, Shared::Revoked))
        } else if now >= share.expires_at {
            Some((ShareOutcome::Expired, Shared::Expired))
        } else {
            None
        };
        if let Some((outcome, shared)) = refused {
            visit(db, share.id, outcome, client, now).await?;
            return Ok(Some((Err(shared), document)));
        }
        Ok(Some((Ok(share), document)))
    }
}

/// The associated data a share's sealed token is bound to: its university and student.
fn owner(tenant_id: i32, student: StudentId) -> String {
    format!("{tenant_id}:{}", student.0)
}

fn token_hash(secret: &KeySecret, token: &ShareToken) -> String {
    let mut mac = secret.mac(TOKEN_HASH_PURPOSE);
    mac.update(token.as_str().as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

async fn visit(
    db: &impl ConnectionTrait,
    share_id: i32,
    outcome: ShareOutcome,
    client: &Actor,
    at: i64,
) -> Result<(), StorageError> {
    certificate_share_view::ActiveModel {
        share_id: Set(share_id),
        at: Set(at),
        outcome: Set(outcome.code().to_owned()),
        address: Set(truncated_address(&client.client_address)),
        browser: Set(browser_of(&client.user_agent)),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(storage("writing a share's access log"))?;
    Ok(())
}

/// A client's address as the access log keeps it: enough to tell one network from another,
/// not to point at a person (`203.0.113.x`, `2001:db8:1::/48`).
pub fn truncated_address(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.x")
        }
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
        Err(_) => "?".to_owned(),
    }
}

/// A browser's short name and platform from its `User-Agent` (`Safari · iPhone`).
pub fn browser_of(user_agent: &str) -> String {
    let has = |needle: &str| user_agent.contains(needle);
    let browser = if has("Edg/") {
        "Edge"
    } else if has("Firefox/") {
        "Firefox"
    } else if has("Chrome/") || has("Chromium/") || has("CriOS/") {
        "Chrome"
    } else if has("Safari/") {
        "Safari"
    } else {
        "other"
    };
    let platform = if has("iPhone") {
        "iPhone"
    } else if has("iPad") {
        "iPad"
    } else if has("Android") {
        "Android"
    } else if has("Windows") {
        "Windows"
    } else if has("Mac OS X") || has("Macintosh") {
        "Mac"
    } else if has("Linux") {
        "Linux"
    } else {
        "other"
    };
    format!("{browser} · {platform}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_kept_truncated() {
        assert_eq!(truncated_address("203.0.113.77"), "203.0.113.x");
        assert_eq!(truncated_address("2001:db8:1:2::5"), "2001:db8:1::/48");
        assert_eq!(truncated_address("unknown"), "?");
    }

    #[test]
    fn a_browser_is_kept_as_its_short_name_and_platform() {
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like \
                    Gecko) Chrome/120.0 Safari/537.36 Edg/120.0";
        assert_eq!(browser_of(iphone), "Safari · iPhone");
        assert_eq!(browser_of(edge), "Edge · Windows");
        assert_eq!(browser_of("curl/8"), "other · other");
    }
}

//! Staff accounts: added by the operator or an admin with a one-time set-up link, given a
//! password through it, their role changed, disabled (never deleted: the audit log keeps
//! naming them), and their second factor reset.

use super::{member, Result, Staff, StaffError, StaffField};
use crate::entities::{staff_member, staff_recovery_code, staff_session, staff_setup_link};
use crate::platform::audit::{Actor, Event};
use crate::platform::mail_messages::MailMsg;
use crate::platform::outbox::{enqueue, link_mail_with_lead};
use crate::platform::secrets::{random_secret, sha256_hex};
use crate::platform::{begin, storage};
use crate::tenancy;
use domain::i18n::FieldMsg;
use domain::i18n::Lang;
use domain::{EmailAddress, LinkState, Permission, StaffMember, StaffRole, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use secrecy::{ExposeSecret, SecretString};

/// A staff member to add.
pub struct NewStaff<'a> {
    pub tenant_id: i32,
    pub login_id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub role: StaffRole,
}

/// A set-up link to send: the raw token is shown to no one but its mail.
pub struct SetUpLink {
    pub staff_id: i32,
    pub email: String,
    pub token: SecretString,
    pub expires_at: i64,
}

/// Passwords of staff: long, because a staff member reaches every student.
pub const MIN_PASSWORD_CHARS: usize = 12;
const MAX_PASSWORD_CHARS: usize = 128;

impl Staff {
    /// Adds a staff member and issues their set-up link. `by` is the admin who adds them, or
    /// `None` for the operator's command line.
    pub async fn add(
        &self,
        by: Option<&StaffMember>,
        actor: &Actor,
        new: NewStaff<'_>,
    ) -> Result<SetUpLink> {
        if let Some(by) = by {
            self.require(by, actor, Permission::ManageStaff, new.tenant_id).await?;
        }
        let invalid = |field, msg| StaffError::Invalid { field, msg };
        let login_id =
            UserId::parse(new.login_id).map_err(|msg| invalid(StaffField::LoginId, msg))?;
        let name = new.name.trim();
        if name.is_empty() {
            return Err(invalid(StaffField::Name, FieldMsg::Required));
        }
        if name.chars().count() > 128 {
            // "Use at most 128 characters."
            return Err(invalid(StaffField::Name, FieldMsg::PasswordTooLong));
        }
        let email =
            EmailAddress::parse(new.email).map_err(|msg| invalid(StaffField::Email, msg))?;
        let now = self.clock.now_ms();
        let txn = begin(&self.db).await?;
        let inserted = staff_member::ActiveModel {
            tenant_id: Set(new.tenant_id),
            login_id: Set(login_id.as_str().to_owned()),
            login_key: Set(login_id.key()),
            name: Set(name.to_owned()),
            email: Set(email.as_str().to_owned()),
            role: Set(new.role.code().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let row = match inserted {
            Ok(row) => row,
            Err(err) if crate::platform::is_unique_violation(&err) => {
                return Err(StaffError::LoginIdTaken);
            }
            Err(err) => return Err(storage("adding a staff member")(err).into()),
        };
        let link = self.issue_link(&txn, &row, now).await?;
        txn.commit().await.map_err(storage("committing a staff member"))?;
        self.outbox.wake();
        self.audit(actor, Event::StaffAdded, new.tenant_id, Some(row.id)).await;
        Ok(link)
    }

    /// A new set-up link for the member, mailed to them in the caller's transaction; every
    /// older unused one stops working.
    async fn issue_link(
        &self,
        db: &impl ConnectionTrait,
        row: &staff_member::Model,
        now: i64,
    ) -> Result<SetUpLink> {
        staff_setup_link::Entity::update_many()
            .col_expr(staff_setup_link::Column::VoidedAt, Expr::value(now))
            .filter(staff_setup_link::Column::StaffId.eq(row.id))
            .filter(staff_setup_link::Column::UsedAt.is_null())
            .filter(staff_setup_link::Column::VoidedAt.is_null())
            .exec(db)
            .await
            .map_err(storage("voiding older set-up links"))?;
        let raw = random_secret();
        let expires_at = now + self.policy.set_up_link_seconds * 1000;
        staff_setup_link::ActiveModel {
            token_hash: Set(sha256_hex(&raw)),
            staff_id: Set(row.id),
            created_at: Set(now),
            expires_at: Set(expires_at),
            ..Default::default()
        }
        .insert(db)
        .await
        .map_err(storage("issuing a set-up link"))?;
        let tenant = tenancy::find_by_id(db, row.tenant_id).await?.ok_or(StaffError::Storage)?;
        let url = format!("{}?token={raw}", (self.set_up_page)(&tenant.slug));
        let lang = Lang::Ja;
        let lead = MailMsg::MailStaffSetUpBody.text(lang).replace("{login_id}", &row.login_id);
        let subject = (MailMsg::MailStaffSetUpSubject, lead.as_str());
        let university = tenancy::display_name(&tenant, lang);
        let mail = link_mail_with_lead(lang, university, &row.email, subject, &url, expires_at);
        enqueue(db, mail, now).await?;
        Ok(SetUpLink {
            staff_id: row.id,
            email: row.email.clone(),
            token: SecretString::from(raw),
            expires_at,
        })
    }

    /// Until when a set-up link can be used, if it can (for the cookie that carries it).
    pub async fn set_up_link_usable_until(&self, raw: &str) -> Result<Option<i64>> {
        let link = staff_setup_link::Entity::find()
            .filter(staff_setup_link::Column::TokenHash.eq(sha256_hex(raw)))
            .one(&self.db)
            .await
            .map_err(storage("reading a set-up link"))?;
        let now = self.clock.now_ms();
        Ok(link
            .filter(|l| l.used_at.is_none() && l.voided_at.is_none() && l.expires_at > now)
            .map(|l| l.expires_at))
    }

    /// What a set-up link is worth now (for its page, before the password is typed).
    pub async fn set_up_link_state(&self, tenant_id: i32, raw: &str) -> Result<LinkState> {
        Ok(match self.usable_link(tenant_id, raw).await? {
            Ok(_) => LinkState::Valid,
            Err(state) => state,
        })
    }

    async fn usable_link(
        &self,
        tenant_id: i32,
        raw: &str,
    ) -> Result<Result<(staff_setup_link::Model, staff_member::Model), LinkState>> {
        let Some(link) = staff_setup_link::Entity::find()
            .filter(staff_setup_link::Column::TokenHash.eq(sha256_hex(raw)))
            .one(&self.db)
            .await
            .map_err(storage("reading a set-up link"))?
        else {
            return Ok(Err(LinkState::Unknown));
        };
        let Some(row) = self.row(tenant_id, link.staff_id).await? else {
            // A link of another university's member is, here, no link at all.
            return Ok(Err(LinkState::Unknown));
        };
        let state = if link.used_at.is_some() {
            LinkState::Used
        } else if link.voided_at.is_some() || row.disabled_at.is_some() {
            LinkState::Voided
        } else if link.expires_at <= self.clock.now_ms() {
            LinkState::Expired
        } else {
            return Ok(Ok((link, row)));
        };
        Ok(Err(state))
    }

    /// Sets the member's password through their set-up link, which is then used up. The
    /// second factor is set up at the first sign-in after this.
    pub async fn set_password(
        &self,
        actor: &Actor,
        tenant_id: i32,
        raw: &str,
        password: SecretString,
    ) -> Result<()> {
        let (link, row) =
            self.usable_link(tenant_id, raw).await?.map_err(StaffError::LinkUnusable)?;
        check_password(&row.login_key, &password)?;
        let hash = self.passwords.hash(password).await?;
        let now = self.clock.now_ms();
        let txn = begin(&self.db).await?;
        // Used once: of two submissions at once, one finds the link still unused.
        let used = staff_setup_link::Entity::update_many()
            .col_expr(staff_setup_link::Column::UsedAt, Expr::value(now))
            .filter(staff_setup_link::Column::Id.eq(link.id))
            .filter(staff_setup_link::Column::UsedAt.is_null())
            .filter(staff_setup_link::Column::VoidedAt.is_null())
            .exec(&txn)
            .await
            .map_err(storage("using a set-up link"))?;
        if used.rows_affected != 1 {
            return Err(StaffError::LinkUnusable(LinkState::Used));
        }
        staff_member::Entity::update_many()
            .col_expr(
                staff_member::Column::PasswordHash,
                Expr::value(hash.as_str()),
            )
            .col_expr(staff_member::Column::UpdatedAt, Expr::value(now))
            .filter(staff_member::Column::Id.eq(row.id))
            .exec(&txn)
            .await
            .map_err(storage("setting a staff password"))?;
        end_sessions(&txn, row.id).await?;
        txn.commit().await.map_err(storage("committing a staff password"))?;
        self.audit(actor, Event::StaffPasswordSet, tenant_id, Some(row.id)).await;
        Ok(())
    }

    /// Every member of a university, for the operator's command line.
    pub async fn rows(&self, tenant_id: i32) -> Result<Vec<staff_member::Model>> {
        staff_member::Entity::find()
            .filter(staff_member::Column::TenantId.eq(tenant_id))
            .order_by_asc(staff_member::Column::LoginKey)
            .all(&self.db)
            .await
            .map_err(|err| storage("listing staff members")(err).into())
    }

    /// The staff members of a university, by login ID.
    pub async fn list(
        &self,
        by: &StaffMember,
        actor: &Actor,
        tenant_id: i32,
    ) -> Result<Vec<staff_member::Model>> {
        self.require(by, actor, Permission::ManageStaff, tenant_id).await?;
        self.rows(tenant_id).await
    }

    /// Gives a member another role; their sessions end, so the new role holds at once.
    pub async fn change_role(
        &self,
        by: &StaffMember,
        actor: &Actor,
        tenant_id: i32,
        staff_id: i32,
        role: StaffRole,
    ) -> Result<()> {
        self.require(by, actor, Permission::ManageStaff, tenant_id).await?;
        if by.id == staff_id {
            return Err(StaffError::OwnAccount);
        }
        let row = self.row(tenant_id, staff_id).await?.ok_or(StaffError::UnknownMember)?;
        let txn = begin(&self.db).await?;
        staff_member::Entity::update_many()
            .col_expr(staff_member::Column::Role, Expr::value(role.code()))
            .col_expr(
                staff_member::Column::UpdatedAt,
                Expr::value(self.clock.now_ms()),
            )
            .filter(staff_member::Column::Id.eq(row.id))
            .exec(&txn)
            .await
            .map_err(storage("changing a staff role"))?;
        end_sessions(&txn, row.id).await?;
        txn.commit().await.map_err(storage("committing a staff role"))?;
        self.audit(actor, Event::StaffRoleChanged, tenant_id, Some(row.id)).await;
        Ok(())
    }

    /// Disables a member for good (someone who left): no sign-in, no session, no link.
    pub async fn disable(
        &self,
        by: Option<&StaffMember>,
        actor: &Actor,
        tenant_id: i32,
        staff_id: i32,
    ) -> Result<()> {
        if let Some(by) = by {
            self.require(by, actor, Permission::ManageStaff, tenant_id).await?;
            if by.id == staff_id {
                return Err(StaffError::OwnAccount);
            }
        }
        let row = self.row(tenant_id, staff_id).await?.ok_or(StaffError::UnknownMember)?;
        let now = self.clock.now_ms();
        let txn = begin(&self.db).await?;
        staff_member::Entity::update_many()
            .col_expr(staff_member::Column::DisabledAt, Expr::value(now))
            .col_expr(staff_member::Column::UpdatedAt, Expr::value(now))
            .filter(staff_member::Column::Id.eq(row.id))
            .filter(staff_member::Column::DisabledAt.is_null())
            .exec(&txn)
            .await
            .map_err(storage("disabling a staff member"))?;
        end_sessions(&txn, row.id).await?;
        txn.commit().await.map_err(storage("committing a disabled member"))?;
        self.audit(actor, Event::StaffDisabled, tenant_id, Some(row.id)).await;
        Ok(())
    }

    /// A lost phone: the member's authenticator and recovery codes stop working, their
    /// sessions end, and a new set-up link lets them choose a password and set up again.
    pub async fn reset_second_factor(
        &self,
        by: Option<&StaffMember>,
        actor: &Actor,
        tenant_id: i32,
        staff_id: i32,
    ) -> Result<SetUpLink> {
        if let Some(by) = by {
            self.require(by, actor, Permission::ManageStaff, tenant_id).await?;
        }
        let row = self.row(tenant_id, staff_id).await?.ok_or(StaffError::UnknownMember)?;
        if row.disabled_at.is_some() {
            return Err(StaffError::UnknownMember);
        }
        let now = self.clock.now_ms();
        let txn = begin(&self.db).await?;
        staff_member::Entity::update_many()
            .col_expr(
                staff_member::Column::TotpSecret,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                staff_member::Column::TotpEnabledAt,
                Expr::value(Option::<i64>::None),
            )
            .col_expr(
                staff_member::Column::TotpUsedStep,
                Expr::value(Option::<i64>::None),
            )
            .col_expr(
                staff_member::Column::PasswordHash,
                Expr::value(Option::<String>::None),
            )
            .col_expr(staff_member::Column::UpdatedAt, Expr::value(now))
            .filter(staff_member::Column::Id.eq(row.id))
            .exec(&txn)
            .await
            .map_err(storage("resetting a second factor"))?;
        staff_recovery_code::Entity::delete_many()
            .filter(staff_recovery_code::Column::StaffId.eq(row.id))
            .exec(&txn)
            .await
            .map_err(storage("removing recovery codes"))?;
        end_sessions(&txn, row.id).await?;
        let link = self.issue_link(&txn, &row, now).await?;
        txn.commit().await.map_err(storage("committing a reset second factor"))?;
        self.outbox.wake();
        self.audit(
            actor,
            Event::StaffSecondFactorReset,
            tenant_id,
            Some(row.id),
        )
        .await;
        Ok(link)
    }

    /// A member of this university, by id (disabled ones too).
    pub(super) async fn row(
        &self,
        tenant_id: i32,
        staff_id: i32,
    ) -> Result<Option<staff_member::Model>> {
        staff_member::Entity::find_by_id(staff_id)
            .filter(staff_member::Column::TenantId.eq(tenant_id))
            .one(&self.db)
            .await
            .map_err(|err| storage("reading a staff member")(err).into())
    }

    /// The member's name, as the console greets them.
    pub async fn name_of(&self, member: &StaffMember) -> Result<String> {
        let row = self.row(member.tenant_id, member.id).await?;
        Ok(row.map(|row| row.name).unwrap_or_default())
    }

    /// A member of this university by login ID, for the operator's commands.
    pub async fn by_login_id(&self, tenant_id: i32, login_id: &str) -> Result<Option<StaffMember>> {
        let Ok(login_id) = UserId::parse(login_id) else {
            return Ok(None);
        };
        let row = staff_member::Entity::find()
            .filter(staff_member::Column::TenantId.eq(tenant_id))
            .filter(staff_member::Column::LoginKey.eq(login_id.key()))
            .one(&self.db)
            .await
            .map_err(storage("reading a staff member"))?;
        Ok(row.as_ref().and_then(member))
    }
}

/// Ends every session of a member.
pub(super) async fn end_sessions(
    db: &impl ConnectionTrait,
    staff_id: i32,
) -> Result<(), crate::platform::StorageError> {
    staff_session::Entity::delete_many()
        .filter(staff_session::Column::StaffId.eq(staff_id))
        .exec(db)
        .await
        .map_err(storage("ending a staff member's sessions"))?;
    Ok(())
}

/// A staff password's rules, as the set-up form checks them.
pub fn check_password(login_key: &str, password: &SecretString) -> Result<()> {
    let text = password.expose_secret();
    let chars = text.chars().count();
    let refuse = |msg| {
        Err(StaffError::Invalid {
            field: StaffField::Password,
            msg,
        })
    };
    if chars < MIN_PASSWORD_CHARS {
        return refuse(FieldMsg::StaffPasswordTooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return refuse(FieldMsg::PasswordTooLong);
    }
    if text.chars().any(char::is_control) {
        return refuse(FieldMsg::PasswordHasControl);
    }
    if text.to_lowercase().contains(login_key) {
        return refuse(FieldMsg::StaffPasswordHasLoginId);
    }
    Ok(())
}

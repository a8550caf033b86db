//! The university directory: who the students are and whether a university password is
//! theirs. The registry imported from CSV is one directory; an LDAP one can join later
//! behind the same trait.

use crate::entities::{student, tenant};
use crate::platform::passwords::{needs_rehash, HashError, Passwords};
use crate::platform::{storage, StorageError};
use async_trait::async_trait;
use domain::{StudentStatus, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryStudent {
    pub user_id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub student_number: Option<String>,
    pub faculty: Option<String>,
    pub department: Option<String>,
    pub status: StudentStatus,
}

/// Why the directory could not answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    /// Checking the password must wait: every hashing thread is busy.
    #[error("the directory is busy")]
    Busy,
    /// Its storage or server failed (logged where it happened).
    #[error("the directory is unavailable")]
    Unavailable,
}

impl From<StorageError> for DirectoryError {
    fn from(StorageError: StorageError) -> Self {
        DirectoryError::Unavailable
    }
}

impl From<HashError> for DirectoryError {
    fn from(err: HashError) -> Self {
        match err {
            HashError::Busy => DirectoryError::Busy,
            HashError::Failed => DirectoryError::Unavailable,
        }
    }
}

#[async_trait]
pub trait Directory: Send + Sync {
    /// The student, when `password` is their university password. Unknown IDs and wrong
    /// passwords both give `None`, in about the same time.
    async fn authenticate(
        &self,
        tenant: &tenant::Model,
        user_id: &UserId,
        password: &SecretString,
    ) -> Result<Option<DirectoryStudent>, DirectoryError>;

    /// The student's registry data, without a password (for pages of a signed-in student).
    async fn find(
        &self,
        tenant: &tenant::Model,
        user_id_key: &str,
    ) -> Result<Option<DirectoryStudent>, DirectoryError>;
}

/// The student registry kept in shomei's own database.
pub struct RegistryDirectory {
    db: DatabaseConnection,
    passwords: Passwords,
}

impl RegistryDirectory {
    pub fn new(db: DatabaseConnection, passwords: Passwords) -> Self {
        Self { db, passwords }
    }

    async fn row(
        &self,
        tenant: &tenant::Model,
        user_id_key: &str,
    ) -> Result<Option<student::Model>, StorageError> {
        student::Entity::find()
            .filter(student::Column::TenantId.eq(tenant.id))
            .filter(student::Column::UserIdKey.eq(user_id_key))
            .one(&self.db)
            .await
            .map_err(storage("reading the student registry"))
    }
}

impl RegistryDirectory {
    /// Replaces an imported hash of another kind (argon2i, weaker parameters) by today's
    /// argon2id once the password is known to be right, so a leak of the registry does not
    /// expose the weaker hashes for longer than each student's next login. A failure here is
    /// logged and does not fail the login; a re-import in between wins.
    async fn upgrade(&self, student: &student::Model, password: &SecretString) {
        let hash = match self.passwords.hash(password.clone()).await {
            Ok(hash) => hash,
            Err(_) => return,
        };
        let upgraded = student::Entity::update_many()
            .col_expr(student::Column::PasswordHash, Expr::value(hash))
            .filter(student::Column::Id.eq(student.id))
            .filter(student::Column::PasswordHash.eq(student.password_hash.as_str()))
            .exec(&self.db)
            .await;
        match upgraded {
            Ok(_) => tracing::info!(
                student_id = student.id,
                "university password rehashed as argon2id"
            ),
            Err(err) => tracing::error!(error = %err, "could not rehash a university password"),
        }
    }
}

impl From<student::Model> for DirectoryStudent {
    fn from(row: student::Model) -> Self {
        Self {
            user_id: row.user_id,
            name: row.name,
            name_en: row.name_en,
            student_number: row.student_number,
            faculty: row.faculty,
            department: row.department,
            status: row.status,
        }
    }
}

#[async_trait]
impl Directory for RegistryDirectory {
    async fn authenticate(
        &self,
        tenant: &tenant::Model,
        user_id: &UserId,
        password: &SecretString,
    ) -> Result<Option<DirectoryStudent>, DirectoryError> {
        let row = self.row(tenant, &user_id.key()).await?;
        let hash = row.as_ref().map(|r| r.password_hash.clone());
        let matches = self.passwords.verify(hash, password.clone()).await?;
        let row = row.filter(|_| matches);
        if let Some(student) = &row {
            if needs_rehash(student.password_hash.as_str()) {
                self.upgrade(student, password).await;
            }
        }
        Ok(row.map(DirectoryStudent::from))
    }

    async fn find(
        &self,
        tenant: &tenant::Model,
        user_id_key: &str,
    ) -> Result<Option<DirectoryStudent>, DirectoryError> {
        Ok(self.row(tenant, user_id_key).await?.map(DirectoryStudent::from))
    }
}

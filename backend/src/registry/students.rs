//! Finding a student of the registry, for the other contexts (a campus machine reads a card;
//! the operator names a user ID).

use crate::entities::student;
use crate::platform::{storage, StorageError};
use domain::{StudentId, StudentStatus, UserId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// A student as other contexts see one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryStudent {
    pub id: StudentId,
    pub tenant_id: i32,
    pub user_id: String,
    pub name: String,
    pub student_number: Option<String>,
    pub status: StudentStatus,
    /// `YYYY-MM-DD`; the expected one while enrolled.
    pub graduation_date: Option<String>,
    /// The fiscal year of the last health check-up recorded as cleared.
    pub health_check_year: Option<i32>,
}

impl From<student::Model> for RegistryStudent {
    fn from(row: student::Model) -> Self {
        Self {
            id: StudentId(row.id),
            tenant_id: row.tenant_id,
            user_id: row.user_id,
            name: row.name,
            student_number: row.student_number,
            status: row.status,
            graduation_date: row.graduation_date,
            health_check_year: row.health_check_year,
        }
    }
}

/// The student of this university whose card has this number.
pub async fn by_card_number(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    card_number: &str,
) -> Result<Option<RegistryStudent>, StorageError> {
    Ok(student::Entity::find()
        .filter(student::Column::TenantId.eq(tenant_id))
        .filter(student::Column::CardNumber.eq(card_number))
        .one(db)
        .await
        .map_err(storage("finding a card's student"))?
        .map(Into::into))
}

/// The student of this university with this registry id.
pub async fn by_id(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    id: StudentId,
) -> Result<Option<RegistryStudent>, StorageError> {
    Ok(student::Entity::find_by_id(id.0)
        .filter(student::Column::TenantId.eq(tenant_id))
        .one(db)
        .await
        .map_err(storage("finding a student"))?
        .map(Into::into))
}

/// The students `ids` of university `tenant_id` that exist, by id.
pub async fn by_ids(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    ids: &[StudentId],
) -> Result<std::collections::HashMap<StudentId, RegistryStudent>, StorageError> {
    let mut found = std::collections::HashMap::new();
    let mut wanted: Vec<i32> = ids.iter().map(|id| id.0).collect();
    wanted.sort_unstable();
    wanted.dedup();
    for chunk in wanted.chunks(1000) {
        let rows = student::Entity::find()
            .filter(student::Column::TenantId.eq(tenant_id))
            .filter(student::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await
            .map_err(storage("finding students"))?;
        for row in rows {
            found.insert(StudentId(row.id), RegistryStudent::from(row));
        }
    }
    Ok(found)
}

/// The student of this university whose user ID has this key (`UserId::key`).
pub async fn by_user_id_key(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    user_id_key: &str,
) -> Result<Option<RegistryStudent>, StorageError> {
    Ok(student::Entity::find()
        .filter(student::Column::TenantId.eq(tenant_id))
        .filter(student::Column::UserIdKey.eq(user_id_key))
        .one(db)
        .await
        .map_err(storage("finding a student"))?
        .map(Into::into))
}

/// The student of this university with this user ID.
pub async fn by_user_id(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    user_id: &UserId,
) -> Result<Option<RegistryStudent>, StorageError> {
    by_user_id_key(db, tenant_id, &user_id.key()).await
}

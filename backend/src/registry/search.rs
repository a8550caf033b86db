//! The staff console's student search (by user ID, student number, name or kana, a page at a
//! time) and a student's record, for a staff member who may read students at this university
//! (and only this one).

use crate::entities::student;
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::permissions::{self, Forbidden};
use crate::platform::{storage, StorageError};
use domain::{Permission, StaffMember, StudentId, StudentSort, StudentSortKey, StudentStatus};
use sea_orm::sea_query::{Condition, Expr, LikeExpr, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IdenStatic, Order, PaginatorTrait,
    QueryFilter, QueryOrder, Select,
};

/// Students per page of results.
pub const PAGE_SIZE: u64 = 20;
/// The longest search the box takes; more is cut.
pub const MAX_QUERY_CHARS: usize = 64;

/// A student as a row of the results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundStudent {
    pub id: StudentId,
    pub user_id: String,
    pub name: String,
    pub name_kana: Option<String>,
    pub student_number: Option<String>,
    pub faculty: Option<String>,
    pub department: Option<String>,
    pub status: StudentStatus,
}

/// One page of results, and how many there are in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundPage {
    pub students: Vec<FoundStudent>,
    pub total: u64,
    /// From 1.
    pub page: u64,
    pub pages: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("not allowed")]
    Forbidden,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// `%text%` for LIKE, with the text's own `%`, `_` and `\` taken literally.
fn contains(text: &str) -> LikeExpr {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            other => vec![other],
        })
        .collect();
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// `select` in `sort`'s order: students without the value last either way, then by user ID,
/// so that a page always holds the same students. On PostgreSQL the text is compared by its
/// code points (collation "C"), as SQLite does, so both databases list in the same order
/// whatever the database's locale (a glibc locale would skip the space in 「ヤマダ タロウ」).
fn ordered(
    select: Select<student::Entity>,
    sort: StudentSort,
    backend: DbBackend,
) -> Select<student::Entity> {
    let column = match sort.key {
        StudentSortKey::UserId => student::Column::UserIdKey,
        StudentSortKey::Kana => student::Column::NameKana,
        StudentSortKey::StudentNumber => student::Column::StudentNumber,
    };
    let by_code_points = |column: student::Column| -> SimpleExpr {
        match backend {
            DbBackend::Postgres => Expr::cust(format!("\"{}\" COLLATE \"C\"", column.as_str())),
            _ => Expr::col(column).into(),
        }
    };
    let order = if sort.descending {
        Order::Desc
    } else {
        Order::Asc
    };
    select
        .order_by(Expr::col(column).is_null(), Order::Asc)
        .order_by(by_code_points(column), order)
        .order_by(by_code_points(student::Column::UserIdKey), Order::Asc)
        .order_by_asc(student::Column::Id)
}

/// The students of `tenant_id` whose user ID, student number, name or kana contains `query`
/// (all of them for an empty one), in `sort`'s order, page `page` (from 1).
pub async fn search(
    db: &impl ConnectionTrait,
    (by, actor): (&StaffMember, &Actor),
    tenant_id: i32,
    (query, sort): (&str, StudentSort),
    page: u64,
) -> Result<FoundPage, SearchError> {
    permissions::require(db, (by, actor), Permission::ReadStudents, tenant_id)
        .await
        .map_err(|Forbidden| SearchError::Forbidden)?;
    let query: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
    let mut select = student::Entity::find().filter(student::Column::TenantId.eq(tenant_id));
    if !query.is_empty() {
        select = select.filter(
            Condition::any()
                .add(student::Column::UserIdKey.like(contains(&query.to_lowercase())))
                .add(student::Column::StudentNumber.like(contains(&query)))
                .add(student::Column::Name.like(contains(&query)))
                .add(student::Column::NameKana.like(contains(&query))),
        );
    }
    let paginator = ordered(select, sort, db.get_database_backend()).paginate(db, PAGE_SIZE);
    let counted = paginator.num_items_and_pages().await.map_err(storage("counting students"))?;
    let page = page.clamp(1, counted.number_of_pages.max(1));
    let rows = paginator.fetch_page(page - 1).await.map_err(storage("searching students"))?;
    Ok(FoundPage {
        students: rows
            .into_iter()
            .map(|row| FoundStudent {
                id: StudentId(row.id),
                user_id: row.user_id,
                name: row.name,
                name_kana: row.name_kana,
                student_number: row.student_number,
                faculty: row.faculty,
                department: row.department,
                status: row.status,
            })
            .collect(),
        total: counted.number_of_items,
        page,
        pages: counted.number_of_pages.max(1),
    })
}

/// A student's registry record as the console shows it: everything but the password hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StudentRecord {
    pub id: StudentId,
    pub user_id: String,
    pub user_id_key: String,
    pub name: String,
    pub name_kana: Option<String>,
    pub name_en: Option<String>,
    pub student_number: Option<String>,
    pub faculty: Option<String>,
    pub department: Option<String>,
    pub faculty_en: Option<String>,
    pub department_en: Option<String>,
    pub status: StudentStatus,
    pub birth_date: Option<String>,
    pub admission_date: Option<String>,
    pub graduation_date: Option<String>,
    pub card_number: Option<String>,
    pub degree_name: Option<String>,
    pub degree_name_en: Option<String>,
    pub health_check_year: Option<i32>,
    pub updated_at: i64,
}

/// The record of student `id` of `tenant_id` (`None` for an id of no student there), read by
/// a member who may read students: the reading itself is audited, so a student's log shows
/// who looked.
pub async fn record(
    db: &impl ConnectionTrait,
    (by, actor): (&StaffMember, &Actor),
    tenant_id: i32,
    id: StudentId,
) -> Result<Option<StudentRecord>, SearchError> {
    permissions::require(db, (by, actor), Permission::ReadStudents, tenant_id)
        .await
        .map_err(|Forbidden| SearchError::Forbidden)?;
    let Some(row) = student::Entity::find_by_id(id.0)
        .filter(student::Column::TenantId.eq(tenant_id))
        .one(db)
        .await
        .map_err(storage("reading a student's record"))?
    else {
        return Ok(None);
    };
    let about = Subject {
        tenant_id: Some(tenant_id),
        user_id_key: Some(&row.user_id_key),
        staff_id: Some(by.id),
        ..Default::default()
    };
    audit::record(db, actor, Event::StaffViewedStudent, about).await;
    Ok(Some(record_of(row)))
}

/// The whole record of student `id` of `tenant_id`, for the certificates context issuing a
/// document that states it (the issue itself is audited there); `None` for no student there.
pub async fn record_for_issue(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    id: StudentId,
) -> Result<Option<StudentRecord>, StorageError> {
    Ok(student::Entity::find_by_id(id.0)
        .filter(student::Column::TenantId.eq(tenant_id))
        .one(db)
        .await
        .map_err(storage("reading a student's record"))?
        .map(record_of))
}

fn record_of(row: student::Model) -> StudentRecord {
    StudentRecord {
        id: StudentId(row.id),
        user_id: row.user_id,
        user_id_key: row.user_id_key,
        name: row.name,
        name_kana: row.name_kana,
        name_en: row.name_en,
        student_number: row.student_number,
        faculty: row.faculty,
        department: row.department,
        faculty_en: row.faculty_en,
        department_en: row.department_en,
        status: row.status,
        birth_date: row.birth_date,
        admission_date: row.admission_date,
        graduation_date: row.graduation_date,
        card_number: row.card_number,
        degree_name: row.degree_name,
        degree_name_en: row.degree_name_en,
        health_check_year: row.health_check_year,
        updated_at: row.updated_at,
    }
}

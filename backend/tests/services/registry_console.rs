//! The registry import in the staff console: upload, preview, apply whole or not at all, and
//! never an outdated preview; grade files the same way.

use backend::platform::audit::{self, Actor};
use backend::registry::console_import::{self, ConsoleImportError, UploadKind};
use backend::registry::{
    apply_grades, import_csv, import_grades, preview_grades, GradeFault, GradesError, ImportError,
    RowFault,
};
use backend::testing::{at_once, World};
use domain::{StaffMember, StaffRole};
use std::sync::Arc;

fn member(tenant_id: i32, id: i32, role: StaffRole) -> StaffMember {
    StaffMember {
        id,
        tenant_id,
        login_id: format!("kyomu{id}"),
        role,
    }
}

fn actor() -> Actor {
    Actor::new("198.51.100.13".to_owned(), "test")
}

fn clerk(world: &World) -> StaffMember {
    member(world.tenant.id, 85, StaffRole::Clerk)
}

async fn upload(world: &World, by: &StaffMember, csv: &str) -> Result<i32, ConsoleImportError> {
    upload_of(world, by, (UploadKind::Registry, csv)).await
}

async fn upload_of(
    world: &World,
    by: &StaffMember,
    (kind, csv): (UploadKind, &str),
) -> Result<i32, ConsoleImportError> {
    let file = ("file.csv", csv.as_bytes().to_vec());
    console_import::upload(
        &world.db,
        (by, &actor()),
        (world.tenant.id, kind),
        file,
        world.clock.now_ms(),
    )
    .await
}

const CHANGES: &str = "user_id,name,student_number,password\n\
                       s1,山田 花子,1001,campus-Pass-1\n\
                       s2,佐藤 次郎,1002,campus-Pass-1\n\
                       k3,新入 生,1003,campus-Pass-1\n";

#[tokio::test]
async fn a_preview_shows_new_updated_and_unchanged_students_and_applying_writes_them() {
    let world = World::new().await;
    let by = clerk(&world);
    let id = upload(&world, &by, CHANGES).await.unwrap();

    let preview = console_import::preview(&world.db, (&by, &actor()), world.tenant.id, id)
        .await
        .unwrap();
    let applied = console_import::apply(&world.db, (&by, &actor()), world.tenant.id, id)
        .await
        .unwrap();
    let again = console_import::apply(&world.db, (&by, &actor()), world.tenant.id, id).await;

    assert_eq!(
        (
            preview.new_count,
            preview.updated_count,
            preview.unchanged_count
        ),
        (1, 1, 1)
    );
    assert_eq!(preview.new, ["k3"]);
    assert_eq!(preview.updated, [("s2".to_owned(), vec!["name"])]);
    assert!(preview.applicable());
    assert_eq!((applied.added, applied.updated), (1, 2));
    assert_eq!(
        again.unwrap_err(),
        ConsoleImportError::UnknownUpload,
        "an upload applies once"
    );
    assert_eq!(world.count_rows("students").await, 3);
    let events = audit::recent(&world.db, world.tenant.id, 5).await.unwrap();
    assert!(events.iter().any(|e| e.event == "registry_imported" && e.staff_id == Some(85)));
}

#[tokio::test]
async fn bad_rows_are_listed_with_line_and_column_and_nothing_is_applied() {
    let world = World::new().await;
    let by = clerk(&world);
    let csv = "user_id,name,status,birth_date,password\n\
               k1,新入 一,enrolled,2005-04-01,campus-Pass-1\n\
               k2,新入 二,studying,,campus-Pass-1\n\
               k3,新入 三,enrolled,2005/04/01,campus-Pass-1\n";
    let id = upload(&world, &by, csv).await.unwrap();

    let preview = console_import::preview(&world.db, (&by, &actor()), world.tenant.id, id)
        .await
        .unwrap();
    let applied = console_import::apply(&world.db, (&by, &actor()), world.tenant.id, id).await;

    let row = |line: u64, column: &str, reason| ImportError::Row {
        line,
        column: column.to_owned(),
        reason,
    };
    assert_eq!(
        preview.faults,
        [
            row(3, "status", RowFault::UnknownStatus),
            row(4, "birth_date", RowFault::NotADate)
        ]
    );
    assert!(!preview.applicable());
    assert_eq!(applied.unwrap_err(), ConsoleImportError::Faulty);
    assert_eq!(world.count_rows("students").await, 2);
}

#[tokio::test]
async fn a_preview_made_before_the_registry_changed_cannot_be_applied() {
    let world = World::new().await;
    let by = clerk(&world);
    let id = upload(&world, &by, CHANGES).await.unwrap();
    let elsewhere = "user_id,name,password\ns1,山田 花子（変更）,campus-Pass-1\n";
    import_csv(&world.db, world.tenant.id, elsewhere.as_bytes()).await.unwrap();

    let preview = console_import::preview(&world.db, (&by, &actor()), world.tenant.id, id)
        .await
        .unwrap();
    let applied = console_import::apply(&world.db, (&by, &actor()), world.tenant.id, id).await;

    assert!(preview.outdated);
    assert_eq!(applied.unwrap_err(), ConsoleImportError::Outdated);
    assert_eq!(
        world.count_rows("students").await,
        2,
        "nothing of the outdated file was written"
    );
}

#[tokio::test]
async fn a_viewer_uploads_nothing_and_no_member_sees_anothers_upload() {
    let world = World::new().await;
    let by = clerk(&world);
    let id = upload(&world, &by, CHANGES).await.unwrap();
    let viewer = member(world.tenant.id, 86, StaffRole::Viewer);
    let colleague = member(world.tenant.id, 87, StaffRole::Admin);
    let stranger = member(world.tenant.id + 1, 85, StaffRole::Admin);

    let by_viewer = upload(&world, &viewer, CHANGES).await;
    let by_colleague =
        console_import::apply(&world.db, (&colleague, &actor()), world.tenant.id, id).await;
    let by_stranger =
        console_import::preview(&world.db, (&stranger, &actor()), world.tenant.id, id).await;

    assert_eq!(by_viewer.unwrap_err(), ConsoleImportError::Forbidden);
    assert_eq!(by_colleague.unwrap_err(), ConsoleImportError::UnknownUpload);
    assert_eq!(by_stranger.unwrap_err(), ConsoleImportError::Forbidden);
    assert_eq!(world.count_rows("students").await, 2);
}

#[tokio::test]
async fn one_upload_applied_twice_at_once_is_applied_once() {
    let world = Arc::new(World::new().await);
    let by = clerk(&world);
    let id = upload(&world, &by, CHANGES).await.unwrap();

    let answers = at_once(2, |_| {
        let (world, by) = (world.clone(), by.clone());
        async move { console_import::apply(&world.db, (&by, &actor()), world.tenant.id, id).await }
    })
    .await;

    let applied = answers.iter().filter(|a| a.is_ok()).count();
    assert_eq!(applied, 1, "{answers:?}");
    assert_eq!(world.count_rows("students").await, 3);
    let events = audit::recent(&world.db, world.tenant.id, 10).await.unwrap();
    assert_eq!(
        events.iter().filter(|e| e.event == "registry_imported").count(),
        1
    );
}

const GRADES: &str = "user_id,year,term,course,course_en,credits,grade,category\n\
                      s1,2025,前期,線形代数,Linear Algebra,2,A,専門\n\
                      s1,2025,後期,解析学,Analysis,2,B,専門\n\
                      s2,2025,前期,英語,English,1,S,教養\n";

#[tokio::test]
async fn a_grade_file_previews_whose_results_it_replaces_and_applies_whole() {
    let world = World::new().await;
    let earlier = "user_id,year,term,course,credits,grade\ns1,2024,前期,古い科目,2,C\n";
    import_grades(&world.db, world.tenant.id, earlier.as_bytes()).await.unwrap();
    let by = clerk(&world);
    let id = upload_of(&world, &by, (UploadKind::Grades, GRADES)).await.unwrap();

    let as_registry =
        console_import::preview(&world.db, (&by, &actor()), world.tenant.id, id).await;
    let preview = preview_grades(&world.db, (&by, &actor()), world.tenant.id, id).await.unwrap();
    let applied = apply_grades(&world.db, (&by, &actor()), world.tenant.id, id).await.unwrap();
    let again = apply_grades(&world.db, (&by, &actor()), world.tenant.id, id).await;

    assert_eq!(as_registry.unwrap_err(), ConsoleImportError::UnknownUpload);
    assert_eq!((preview.students, preview.results), (2, 3));
    assert_eq!(
        preview.replaced,
        [("s1".to_owned(), 1, 2), ("s2".to_owned(), 0, 1)]
    );
    assert!(preview.applicable());
    assert_eq!((applied.students, applied.results), (2, 3));
    assert_eq!(again.unwrap_err(), ConsoleImportError::UnknownUpload);
    assert_eq!(
        world.count_rows("course_results").await,
        3,
        "the old result replaced"
    );
    let events = audit::recent(&world.db, world.tenant.id, 5).await.unwrap();
    assert!(events.iter().any(|e| e.event == "grades_imported" && e.staff_id == Some(85)));
}

#[tokio::test]
async fn faulty_grade_rows_and_unknown_students_are_listed_with_line_and_column_and_nothing_is_applied(
) {
    let world = World::new().await;
    let by = clerk(&world);
    let csv = "user_id,year,term,course,credits,grade\n\
               s1,2025,前期,線形代数,2,A\n\
               nobody,2025,前期,英語,1,S\n\
               s2,25,前期,英語,1,S\n\
               s2,2025,前期,実験,99,A\n";
    let id = upload_of(&world, &by, (UploadKind::Grades, csv)).await.unwrap();

    let preview = preview_grades(&world.db, (&by, &actor()), world.tenant.id, id).await.unwrap();
    let applied = apply_grades(&world.db, (&by, &actor()), world.tenant.id, id).await;

    let row = |line: u64, column: &'static str, fault| GradesError::Row {
        line,
        column,
        fault,
    };
    assert_eq!(
        preview.faults,
        [
            row(3, "user_id", GradeFault::UnknownStudent),
            row(4, "year", GradeFault::NotAYear),
            row(5, "credits", GradeFault::BadCredits),
        ]
    );
    assert!(!preview.applicable());
    assert_eq!(applied.unwrap_err(), ConsoleImportError::Faulty);
    assert_eq!(world.count_rows("course_results").await, 0);
}

#[tokio::test]
async fn a_grade_preview_made_before_the_results_changed_cannot_be_applied() {
    let world = World::new().await;
    let by = clerk(&world);
    let id = upload_of(&world, &by, (UploadKind::Grades, GRADES)).await.unwrap();
    let elsewhere = "user_id,year,term,course,credits,grade\ns2,2025,前期,別の科目,2,A\n";
    import_grades(&world.db, world.tenant.id, elsewhere.as_bytes()).await.unwrap();

    let preview = preview_grades(&world.db, (&by, &actor()), world.tenant.id, id).await.unwrap();
    let applied = apply_grades(&world.db, (&by, &actor()), world.tenant.id, id).await;

    assert!(preview.outdated);
    assert_eq!(applied.unwrap_err(), ConsoleImportError::Outdated);
    assert_eq!(
        world.count_rows("course_results").await,
        1,
        "only the other import's"
    );
}

#[tokio::test]
async fn a_viewer_uploads_no_grades_and_no_member_applies_anothers() {
    let world = World::new().await;
    let by = clerk(&world);
    let id = upload_of(&world, &by, (UploadKind::Grades, GRADES)).await.unwrap();
    let viewer = member(world.tenant.id, 86, StaffRole::Viewer);
    let colleague = member(world.tenant.id, 87, StaffRole::Admin);

    let by_viewer = upload_of(&world, &viewer, (UploadKind::Grades, GRADES)).await;
    let by_colleague = apply_grades(&world.db, (&colleague, &actor()), world.tenant.id, id).await;

    assert_eq!(by_viewer.unwrap_err(), ConsoleImportError::Forbidden);
    assert_eq!(by_colleague.unwrap_err(), ConsoleImportError::UnknownUpload);
    assert_eq!(world.count_rows("course_results").await, 0);
}

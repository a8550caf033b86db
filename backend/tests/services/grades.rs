//! What certificates are made of: course results (`shomei grades import`), and the registry's
//! degree and health check-up.

use backend::entities::student;
use backend::registry::{
    import_csv, import_grades, results_of, GradeFault, GradesError, ImportError, RowFault,
};
use backend::testing::World;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const HEADER: &str = "user_id,year,term,course,course_en,credits,grade,category\n";

async fn student_id(world: &World, tenant_id: i32, user_id: &str) -> i32 {
    student::Entity::find()
        .filter(student::Column::TenantId.eq(tenant_id))
        .filter(student::Column::UserIdKey.eq(user_id))
        .one(&world.db)
        .await
        .unwrap()
        .expect("a student")
        .id
}

async fn courses(world: &World, user_id: &str) -> Vec<String> {
    let id = student_id(world, world.tenant.id, user_id).await;
    let results = results_of(&world.db, world.tenant.id, id).await.unwrap();
    results
        .into_iter()
        .map(|r| format!("{} {} {}", r.course_ja, r.credits, r.grade))
        .collect()
}

#[tokio::test]
async fn a_grade_file_gives_each_student_it_names_exactly_its_results_in_order() {
    let world = World::new().await;
    let first = format!(
        "{HEADER}s1,2024,前期,日本文学概論,Introduction to Japanese Literature,2,S,必修\n\
         s2,2024,通年,情報処理演習,,4,A,選択\n\
         s1,2024,後期,英語I,English I,1,B,教養\n\
         s1,2025,前期,卒業論文,Graduation Thesis,8,認定,必修\n"
    );
    let second =
        format!("{HEADER}s1,2024,前期,日本文学概論,,2,A,必修\ns1,2025,後期,演習II,,2,S,\n");

    let summary = import_grades(&world.db, world.tenant.id, first.as_bytes()).await.unwrap();
    let before = courses(&world, "s1").await;
    let again = import_grades(&world.db, world.tenant.id, second.as_bytes()).await.unwrap();

    assert_eq!((summary.students, summary.results), (2, 4));
    assert_eq!(before, ["日本文学概論 2 S", "英語I 1 B", "卒業論文 8 認定"]);
    assert_eq!((again.students, again.results), (1, 2));
    assert_eq!(
        courses(&world, "s1").await,
        ["日本文学概論 2 A", "演習II 2 S"]
    );
    // s2 was not in the second file: its results stayed.
    assert_eq!(courses(&world, "s2").await, ["情報処理演習 4 A"]);
}

#[tokio::test]
async fn a_faulty_grade_row_is_reported_with_its_line_and_column_and_nothing_is_written() {
    let world = World::new().await;
    let good = "s1,2024,前期,日本文学概論,,2,S,必修\n";
    let cases = [
        (
            "nobody,2024,前期,概論,,2,S,\n",
            "user_id",
            GradeFault::UnknownStudent,
        ),
        ("s2,R6,前期,概論,,2,S,\n", "year", GradeFault::NotAYear),
        (
            "s2,2024,前期,概論,,31,S,\n",
            "credits",
            GradeFault::BadCredits,
        ),
        (
            "s2,2024,前期,概論,,1.5,S,\n",
            "credits",
            GradeFault::BadCredits,
        ),
        ("s2,2024,前期,概論,,2,,\n", "grade", GradeFault::Missing),
        (
            "s2,2024,前期,概\u{7}論,,2,S,\n",
            "course",
            GradeFault::BadText,
        ),
    ];

    for (row, column, fault) in cases {
        let csv = format!("{HEADER}{good}{row}");
        let refused = import_grades(&world.db, world.tenant.id, csv.as_bytes()).await;

        assert_eq!(
            refused,
            Err(GradesError::Row {
                line: 3,
                column,
                fault
            }),
            "{row}"
        );
    }
    assert!(courses(&world, "s1").await.is_empty());
}

#[tokio::test]
async fn a_student_of_another_university_gets_no_grades_through_this_one() {
    let world = World::new().await;
    let other = world.add_university("other-u").await;
    import_csv(
        &world.db,
        other,
        "user_id,name,password\nz9,別大学 学生,pw-Pass-123\n".as_bytes(),
    )
    .await
    .unwrap();
    let csv = format!("{HEADER}z9,2024,前期,概論,,2,S,\n");

    let refused = import_grades(&world.db, world.tenant.id, csv.as_bytes()).await;
    let theirs = results_of(&world.db, other, student_id(&world, other, "z9").await).await;

    assert_eq!(
        refused,
        Err(GradesError::Row {
            line: 2,
            column: "user_id",
            fault: GradeFault::UnknownStudent
        })
    );
    assert!(theirs.unwrap().is_empty());
}

#[tokio::test]
async fn a_misspelt_or_missing_column_is_refused() {
    let world = World::new().await;
    let misspelt = "user_id,year,term,course,cours_en,credits,grade\ns1,2024,前期,概論,,2,S\n";
    let missing = "user_id,year,term,course,grade\ns1,2024,前期,概論,S\n";

    let misspelt = import_grades(&world.db, world.tenant.id, misspelt.as_bytes()).await;
    let missing = import_grades(&world.db, world.tenant.id, missing.as_bytes()).await;

    assert_eq!(misspelt, Err(GradesError::UnknownColumn("cours_en".into())));
    assert_eq!(missing, Err(GradesError::MissingColumn("credits")));
}

#[tokio::test]
async fn the_registry_keeps_a_degree_and_the_year_of_the_last_cleared_health_check() {
    let world = World::new().await;
    let csv = "user_id,name,password,degree_name,degree_name_en,health_check_year\n\
               s1,山田 花子,pw-Pass-123,学士（文学）,Bachelor of Arts,02026\n";
    let bad = "user_id,name,password,health_check_year\ns1,山田 花子,pw-Pass-123,令和8\n";

    import_csv(&world.db, world.tenant.id, csv.as_bytes()).await.unwrap();
    let refused = import_csv(&world.db, world.tenant.id, bad.as_bytes()).await;

    let row = student::Entity::find_by_id(student_id(&world, world.tenant.id, "s1").await)
        .one(&world.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.degree_name.as_deref(), Some("学士（文学）"));
    assert_eq!(row.degree_name_en.as_deref(), Some("Bachelor of Arts"));
    assert_eq!(row.health_check_year, Some(2026));
    assert_eq!(
        refused.unwrap_err(),
        ImportError::Row {
            line: 2,
            column: "health_check_year".into(),
            reason: RowFault::NotAYear
        }
    );
}

#[tokio::test]
async fn a_transcripts_totals_follow_the_universitys_gpa_rule() {
    let world = World::new().await;
    let operator = backend::platform::audit::Actor::new("operator".to_owned(), "");
    let demo = include_str!("../../../catalogues/demo.toml");
    let catalogue = backend::certificates::parse(demo).unwrap();
    backend::certificates::import(&world.db, &operator, world.tenant.id, &catalogue, 0)
        .await
        .unwrap();
    let csv = format!(
        "{HEADER}s1,2024,前期,日本文学概論,,2,S,必修\ns1,2024,後期,英語I,,1,C,教養\n\
         s1,2024,後期,統計学,,2,F,選択\ns1,2025,通年,卒業論文,,8,認定,必修\n"
    );
    import_grades(&world.db, world.tenant.id, csv.as_bytes()).await.unwrap();
    let id = student_id(&world, world.tenant.id, "s1").await;

    let results = results_of(&world.db, world.tenant.id, id).await.unwrap();
    let rule = backend::certificates::grade_points(&world.db, world.tenant.id).await.unwrap();
    let totals = backend::certificates::totals(&results, &rule);

    // (2×4 + 1×1 + 2×0) / 5 = 1.8; the F earns nothing, 認定 its 8 credits.
    assert_eq!(totals.gpa_hundredths, Some(180));
    assert_eq!(totals.earned, 11);
    assert_eq!(
        totals.earned_by_category,
        [("必修".to_owned(), 10), ("教養".to_owned(), 1)]
    );
}

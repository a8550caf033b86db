use crate::helpers::*;
use backend::entities::student;
use backend::registry::import_csv;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn students(app: &TestApp) -> Vec<student::Model> {
    student::Entity::find()
        .filter(student::Column::TenantId.eq(app.tenant_id))
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_hash_of_another_kind_is_replaced_by_argon2id_at_the_next_login() {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let app = TestApp::spawn().await;
    let weaker = argon2::Argon2::new(
        argon2::Algorithm::Argon2i,
        argon2::Version::V0x13,
        argon2::Params::new(8 * 1024, 3, 1, None).unwrap(),
    )
    .hash_password(b"hashed-Pass-7", &SaltString::generate(&mut OsRng))
    .unwrap()
    .to_string();
    import_csv(
        &app.db,
        app.tenant_id,
        format!("user_id,name,password_hash\nh7,Hashed,\"{weaker}\"\n").as_bytes(),
    )
    .await
    .unwrap();
    let stored = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            student::Entity::find()
                .filter(student::Column::UserIdKey.eq("h7"))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .password_hash
                .as_str()
                .to_owned()
        }
    };
    app.login("h7", "wrong-Pass-7", "").await;
    assert_eq!(
        stored(&app).await,
        weaker,
        "a wrong password changes nothing"
    );

    app.login("h7", "hashed-Pass-7", "").await.expect_page(Page::EmailRegister);

    let upgraded = stored(&app).await;
    assert!(
        upgraded.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{upgraded}"
    );
    app.login_with(&client(), "h7", "hashed-Pass-7", "")
        .await
        .expect_page(Page::EmailRegister);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_import_check_reports_a_file_without_writing_it() {
    let app = TestApp::spawn().await;
    let before = students(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.csv");
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &good,
        "user_id,name,password\nn1,New One,pw-1\nn2,New Two,pw-2\n",
    )
    .unwrap();
    std::fs::write(
        &bad,
        "user_id,name,password\nn1,New One,pw-1\nn1,Again,pw-2\n",
    )
    .unwrap();

    let checked = |file: &std::path::Path| {
        app.cli(&[
            "students",
            "import",
            "--tenant",
            TENANT,
            "--check",
            file.to_str().unwrap(),
        ])
    };
    let good_answer = checked(&good);
    let bad_answer = checked(&bad);

    assert!(good_answer.status.success());
    assert!(String::from_utf8_lossy(&good_answer.stdout).contains("2 student(s), no errors"));
    assert!(!bad_answer.status.success());
    assert!(String::from_utf8_lossy(&bad_answer.stderr)
        .contains("line 3, column user_id: appears twice in this file"));
    assert_eq!(students(&app).await, before);
}

#[tokio::test]
async fn the_operator_imports_course_results_and_a_faulty_file_says_where_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("grades.csv");
    let bad = dir.path().join("bad-grades.csv");
    let header = "user_id,year,term,course,course_en,credits,grade,category\n";
    std::fs::write(
        &good,
        format!(
            "{header}s1,2024,前期,日本文学概論,,2,S,必修\ns2,2024,後期,英語I,English I,1,A,教養\n"
        ),
    )
    .unwrap();
    std::fs::write(
        &bad,
        format!("{header}s1,2024,前期,演習,,2,S,必修\nnobody,2024,前期,演習,,2,S,必修\n"),
    )
    .unwrap();
    let import = |file: &std::path::Path| {
        app.cli(&[
            "grades",
            "import",
            "--tenant",
            TENANT,
            file.to_str().unwrap(),
        ])
    };

    let imported = import(&good);
    let refused = import(&bad);

    assert!(imported.status.success(), "{imported:?}");
    assert!(String::from_utf8_lossy(&imported.stdout).contains("2 result(s) for 2 student(s)"));
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr)
        .contains("line 3, column user_id: no student of this university has this user ID"));
    let s1 = students(&app).await.into_iter().find(|s| s.user_id == "s1").unwrap();
    let results = backend::registry::results_of(&app.db, s1.tenant_id, s1.id).await.unwrap();
    let courses: Vec<_> = results.iter().map(|r| r.course_ja.as_str()).collect();
    assert_eq!(courses, ["日本文学概論"]);
}

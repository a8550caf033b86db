use backend::entities::student;
use backend::platform::passwords::hash_blocking;
use backend::registry::{import_csv, ImportError, RowFault};
use backend::testing::World;
use domain::{Stage, StudentStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use secrecy::SecretString;

async fn students(world: &World) -> Vec<student::Model> {
    student::Entity::find()
        .filter(student::Column::TenantId.eq(world.tenant.id))
        .all(&world.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_bad_row_stops_the_import_with_its_line_and_column_and_writes_nothing() {
    let world = World::new().await;
    let before = students(&world).await;
    let csv = "user_id,name,status,password\nn1,New One,enrolled,pw-1\nn2,New Two,studying,pw-2\n";

    let err = import_csv(&world.db, world.tenant.id, csv.as_bytes()).await.unwrap_err();

    assert_eq!(
        err,
        ImportError::Row {
            line: 3,
            column: "status".into(),
            reason: RowFault::UnknownStatus
        }
    );
    assert_eq!(students(&world).await, before);
}

#[tokio::test]
async fn a_file_without_a_password_column_is_refused() {
    let world = World::new().await;

    let err = import_csv(
        &world.db,
        world.tenant.id,
        "user_id,name\nn1,New\n".as_bytes(),
    )
    .await
    .unwrap_err();

    assert!(matches!(err, ImportError::Header(_)));
}

#[tokio::test]
async fn a_reimport_updates_students_by_user_id() {
    let world = World::new().await;

    let summary = import_csv(
        &world.db,
        world.tenant.id,
        "user_id,name,status,password\nS1,山田 花子,graduated,new-Pass-1\nn9,新入 生,enrolled,pw-9\n".as_bytes(),
    )
    .await
    .unwrap();

    assert_eq!((summary.added, summary.updated), (1, 1));
    let all = students(&world).await;
    let s1 = all.iter().find(|s| s.user_id_key == "s1").unwrap();
    assert_eq!(s1.status, StudentStatus::Graduated);
    // The new password is the one that logs in now.
    let logged_in = world.log_in("s1", "new-Pass-1", "").await.unwrap();
    assert_eq!(logged_in.stage, Stage::NeedsEmail);
}

#[tokio::test]
async fn an_argon2_hash_can_be_imported_instead_of_a_password() {
    let world = World::new().await;
    let hash = hash_blocking(&SecretString::from("hashed-Pass-7")).unwrap();
    let hash = hash.as_str();

    import_csv(
        &world.db,
        world.tenant.id,
        format!("user_id,name,password_hash\nh7,Hashed,\"{hash}\"\n").as_bytes(),
    )
    .await
    .unwrap();

    let logged_in = world.log_in("h7", "hashed-Pass-7", "").await.unwrap();
    assert_eq!(logged_in.stage, Stage::NeedsEmail);
}

#[tokio::test]
async fn a_malformed_hash_is_refused_with_its_line() {
    let world = World::new().await;

    let err = import_csv(
        &world.db,
        world.tenant.id,
        "user_id,name,password_hash\nh7,Hashed,md5:abc\n".as_bytes(),
    )
    .await
    .unwrap_err();

    assert!(
        matches!(err, ImportError::Row { line: 2, ref column, .. } if column == "password_hash")
    );
}

#[tokio::test]
async fn a_card_number_is_imported_and_one_given_twice_stops_the_import() {
    let world = World::new().await;
    let good = "user_id,name,card_number,password\nc1,Card One,A100,pw-1\nc2,Card Two,,pw-2\n";
    let twice =
        "user_id,name,card_number,password\nc3,Card Three,B200,pw-3\nc4,Card Four,B200,pw-4\n";
    let not_a_number = "user_id,name,card_number,password\nc5,Card Five,12-34,pw-5\n";

    import_csv(&world.db, world.tenant.id, good.as_bytes()).await.unwrap();
    let twice = import_csv(&world.db, world.tenant.id, twice.as_bytes()).await.unwrap_err();
    let not_a_number = import_csv(&world.db, world.tenant.id, not_a_number.as_bytes())
        .await
        .unwrap_err();

    let card = backend::registry::by_card_number(&world.db, world.tenant.id, "A100")
        .await
        .unwrap()
        .expect("the card's student");
    assert_eq!(card.user_id, "c1");
    assert!(
        matches!(twice, ImportError::Row { line: 3, ref column, .. } if column == "card_number")
    );
    assert!(
        matches!(not_a_number, ImportError::Row { line: 2, ref column, .. } if column == "card_number")
    );
    assert_eq!(
        students(&world).await.len(),
        4,
        "neither bad file added anyone"
    );
}

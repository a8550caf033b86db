use crate::helpers::*;
use app::backend::entities::session;
use app::error::AppError;
use sea_orm::{sea_query::Expr, EntityTrait};

fn cookie_value(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_id_is_renewed_at_login() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let before = app
        .login("s1", PASSWORD, SECOND_PASSWORD)
        .await
        .session_cookie()
        .unwrap();

    let after = app
        .login("s1", PASSWORD, SECOND_PASSWORD)
        .await
        .session_cookie()
        .unwrap();

    assert_ne!(cookie_value(&before), cookie_value(&after));
    assert_eq!(
        session::Entity::find().all(&app.db).await.unwrap().len(),
        1,
        "the old session is gone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let cookie = app
        .login("s1", PASSWORD, SECOND_PASSWORD)
        .await
        .session_cookie()
        .unwrap();

    app.call("logout", &[("tenant", TENANT)])
        .await
        .expect_redirect(&format!("/{TENANT}/login"));
    // Replaying the old cookie from another client does not bring the session back.
    let replay = client();
    let answer = replay
        .post(app.url("/api/home"))
        .header("cookie", cookie_value(&cookie))
        .form(&[("tenant", TENANT)])
        .send()
        .await
        .unwrap();

    let body = answer.text().await.unwrap();
    assert_eq!(
        serde_json::from_str::<AppError>(&body).unwrap(),
        AppError::NotSignedIn
    );
    assert!(session::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_expires() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    app.login("s1", PASSWORD, SECOND_PASSWORD).await;
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(0i64))
        .exec(&app.db)
        .await
        .unwrap();

    let answer = app.call("home", &[("tenant", TENANT)]).await;

    assert_eq!(answer.error(), AppError::NotSignedIn);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_expires_after_its_absolute_lifetime_even_when_active() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    app.login("s1", PASSWORD, SECOND_PASSWORD).await;
    session::Entity::update_many()
        .col_expr(session::Column::CreatedAt, Expr::value(0i64))
        .exec(&app.db)
        .await
        .unwrap();

    let answer = app.call("home", &[("tenant", TENANT)]).await;

    assert_eq!(answer.error(), AppError::NotSignedIn);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_of_one_university_does_not_open_another() {
    let app = TestApp::spawn().await;
    app::backend::tenants::add(
        &app.db,
        app::backend::tenants::NewTenant {
            slug: "other-u".into(),
            name: "別の大学".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    app.login("s1", PASSWORD, SECOND_PASSWORD).await;

    let answer = app.call("home", &[("tenant", "other-u")]).await;

    assert_eq!(answer.error(), AppError::NotSignedIn);
}

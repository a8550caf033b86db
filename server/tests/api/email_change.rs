use crate::helpers::*;
use app::error::{AppError, Field};
use backend::entities::{account, one_time_token};
use domain::i18n::{AccountMsg, CommonMsg, FieldMsg};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn request_change(app: &TestApp, new: &str, current: &str) -> ServerFnAnswer {
    app.request_email_change(new, current).await
}

async fn confirm_change(app: &TestApp, link: &str) -> ServerFnAnswer {
    app.call(
        "confirm_email_change",
        &[("tenant", TENANT), ("token", &token_of(link))],
    )
    .await
}

/// The registered address of s1, the student these tests sign in as.
async fn stored_email(app: &TestApp) -> Option<String> {
    account::Entity::find()
        .filter(account::Column::UserIdKey.eq("s1"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .email
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_change_needs_the_current_second_password() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "old@example.ac.jp").await;
    let tokens_before = one_time_token::Entity::find().all(&app.db).await.unwrap().len();

    let answer = request_change(&app, "new@example.ac.jp", "Wrong2026x").await;

    assert_eq!(
        answer.error(),
        AppError::invalid(Field::CurrentSecondPassword, FieldMsg::WrongSecondPassword)
    );
    assert_eq!(
        one_time_token::Entity::find().all(&app.db).await.unwrap().len(),
        tokens_before
    );
    assert!(app.queued_to("new@example.ac.jp").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_address_changes_only_when_the_link_is_confirmed_and_the_old_one_is_told() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "old@example.ac.jp").await;

    request_change(&app, "new@example.ac.jp", SECOND_PASSWORD)
        .await
        .expect_page(Page::EmailChangeSent);
    let link = link_in(&app.smtp().wait_for("new@example.ac.jp", 1).await.text());
    let requested_notice = app.smtp().wait_for("old@example.ac.jp", 2).await;
    let before_confirming = stored_email(&app).await;
    confirm_change(&app, &link).await.expect_page(Page::EmailChangeDone);
    let done_notice = app.smtp().wait_for("old@example.ac.jp", 3).await;

    assert!(link.contains(&format!("/{TENANT}/email/change/confirm?token=")));
    assert_eq!(before_confirming.as_deref(), Some("old@example.ac.jp"));
    assert_eq!(
        stored_email(&app).await.as_deref(),
        Some("new@example.ac.jp")
    );
    assert!(requested_notice.subject().contains("変更の手続きが行われました"));
    assert!(done_notice.subject().contains("メールアドレスが変更されました"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_change_request_voids_the_older_link() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "old@example.ac.jp").await;
    request_change(&app, "first@example.ac.jp", SECOND_PASSWORD)
        .await
        .expect_page(Page::EmailChangeSent);
    request_change(&app, "second@example.ac.jp", SECOND_PASSWORD)
        .await
        .expect_page(Page::EmailChangeSent);
    let first = link_in(&app.smtp().wait_for("first@example.ac.jp", 1).await.text());

    let answer = confirm_change(&app, &first).await;

    assert_eq!(
        answer.error(),
        AppError::Refused(CommonMsg::LinkVoided.into())
    );
    assert_eq!(
        stored_email(&app).await.as_deref(),
        Some("old@example.ac.jp")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_change_mails_are_limited_per_account() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "old@example.ac.jp").await;
    let limit = backend::account::Purpose::EmailChange.mails_per_hour();
    for n in 0..limit {
        request_change(&app, &format!("new-{n}@example.ac.jp"), SECOND_PASSWORD)
            .await
            .expect_page(Page::EmailChangeSent);
    }

    let one_more = request_change(&app, "one-more@example.ac.jp", SECOND_PASSWORD).await;

    assert_eq!(
        one_more.error(),
        AppError::Refused(AccountMsg::TooManyLinkMails.into())
    );
    assert!(app.queued_to("one-more@example.ac.jp").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_address_is_answered_like_a_free_one_and_refused_at_confirmation() {
    let app = TestApp::spawn().await;
    let other = client();
    app.complete_first_login("s2", "taken@example.ac.jp").await;
    app.signed_in("s1", "old@example.ac.jp").await;

    let taken = request_change(&app, "taken@example.ac.jp", SECOND_PASSWORD).await;
    let free = request_change(&app, "free@example.ac.jp", SECOND_PASSWORD).await;
    let link = link_in(&app.smtp().wait_for("taken@example.ac.jp", 2).await.text());
    let confirmed = app
        .call_with(
            &other,
            "confirm_email_change",
            &[("tenant", TENANT), ("token", &token_of(&link))],
        )
        .await;

    assert_eq!(
        (taken.status, taken.location()),
        (free.status, free.location())
    );
    assert_eq!(taken.body, free.body);
    // The first link was voided by the second request; ask again for the taken address.
    assert_eq!(
        confirmed.error(),
        AppError::Refused(CommonMsg::LinkVoided.into())
    );
    request_change(&app, "taken@example.ac.jp", SECOND_PASSWORD)
        .await
        .expect_page(Page::EmailChangeSent);
    let link = link_in(&app.smtp().wait_for("taken@example.ac.jp", 3).await.text());
    assert_eq!(
        confirm_change(&app, &link).await.error(),
        AppError::Refused(AccountMsg::EmailTaken.into())
    );
    assert_eq!(
        stored_email(&app).await.as_deref(),
        Some("old@example.ac.jp")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_change_link_cannot_be_used_again() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "old@example.ac.jp").await;
    request_change(&app, "new@example.ac.jp", SECOND_PASSWORD)
        .await
        .expect_page(Page::EmailChangeSent);
    let link = link_in(&app.smtp().wait_for("new@example.ac.jp", 1).await.text());
    confirm_change(&app, &link).await.expect_page(Page::EmailChangeDone);

    let again = confirm_change(&app, &link).await;
    let (_, page) = app.get(link.trim_start_matches(&app.base)).await;

    assert_eq!(again.error(), AppError::Refused(CommonMsg::LinkUsed.into()));
    assert!(
        page.contains("このURLはすでに使用されています。") && page.contains("メールアドレス変更")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_form_needs_a_signed_in_session() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "old@example.ac.jp").await;

    let answer = request_change(&app, "new@example.ac.jp", SECOND_PASSWORD).await;

    assert_eq!(answer.error(), AppError::NotSignedIn);
}

use crate::helpers::*;
use app::error::{AppError, Field};
use backend::entities::{account, one_time_token};
use domain::i18n::{AccountMsg, CommonMsg, FieldMsg};
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mail_carries_a_one_time_url_with_its_expiry_in_japan_time() {
    let app = TestApp::spawn().await;

    let link = app.register_email("s1", "s1@example.ac.jp").await;
    let mail = app.smtp().wait_for("s1@example.ac.jp", 1).await;

    assert!(link.starts_with(&format!("{}/{TENANT}/email/confirm?token=", app.base)));
    assert_eq!(token_of(&link).len(), 43);
    assert!(mail.text().contains("（日本時間）"), "{}", mail.text());
    assert!(mail.subject().contains("メールアドレス登録の確認"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_the_link_does_not_use_it_but_the_button_registers_the_address() {
    let app = TestApp::spawn().await;
    let link = app.register_email("s1", "s1@example.ac.jp").await;

    let (_, page) = app.get(link.trim_start_matches(&app.base)).await;
    let (_, page_again) = app.get(link.trim_start_matches(&app.base)).await;
    let answer = app.confirm_link(&link).await;

    assert!(
        page.contains("メールアドレスを登録する")
            && page_again.contains("メールアドレスを登録する")
    );
    answer.expect_page(Page::EmailDone);
    let stored = account::Entity::find()
        .filter(account::Column::UserIdKey.eq("s1"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.email.as_deref(), Some("s1@example.ac.jp"));
    assert!(stored.email_verified_at.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_hash_of_a_token_is_stored() {
    let app = TestApp::spawn().await;
    let link = app.register_email("s1", "s1@example.ac.jp").await;

    let stored = one_time_token::Entity::find().all(&app.db).await.unwrap();

    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].token_hash, token_of(&link));
    let sha256 = Sha256::digest(token_of(&link).as_bytes());
    let sha256_hex: String = sha256.iter().map(|byte| format!("{byte:02x}")).collect();
    assert_eq!(stored[0].token_hash, sha256_hex);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_link_cannot_be_used_again() {
    let app = TestApp::spawn().await;
    let link = app.register_email("s1", "s1@example.ac.jp").await;
    app.confirm_link(&link).await.expect_page(Page::EmailDone);

    let again = app.confirm_link(&link).await;
    let (_, page) = app.get(link.trim_start_matches(&app.base)).await;

    assert_eq!(again.error(), AppError::Refused(CommonMsg::LinkUsed.into()));
    assert!(page.contains("このURLはすでに使用されています。"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_link_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let link = app.register_email("s1", "s1@example.ac.jp").await;
    one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::ExpiresAt, Expr::value(0i64))
        .exec(&app.db)
        .await
        .unwrap();

    let answer = app.confirm_link(&link).await;
    let (_, page) = app.get(link.trim_start_matches(&app.base)).await;

    assert_eq!(
        answer.error(),
        AppError::Refused(CommonMsg::LinkExpired.into())
    );
    assert!(page.contains("このURLは有効期限が切れています。"));
    let stored = account::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(stored.email, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_request_voids_the_older_link() {
    let app = TestApp::spawn().await;
    let first = app.register_email("s1", "old@example.ac.jp").await;
    let second = app.register_email("s1", "new@example.ac.jp").await;

    let old = app.confirm_link(&first).await;
    let new = app.confirm_link(&second).await;

    assert_eq!(old.error(), AppError::Refused(CommonMsg::LinkVoided.into()));
    new.expect_page(Page::EmailDone);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_or_malformed_link_says_so() {
    let app = TestApp::spawn().await;

    let (_, page) = app.get(&format!("/{TENANT}/email/confirm?token={}", "A".repeat(43))).await;
    let answer = app.call("confirm_email", &[("tenant", TENANT), ("token", "short")]).await;

    assert!(page.contains("このURLは無効です。"));
    assert_eq!(
        answer.error(),
        AppError::Refused(CommonMsg::LinkUnknown.into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registration_form_refuses_a_confirmation_that_does_not_match() {
    let app = TestApp::spawn().await;
    app.login("s1", PASSWORD, "").await.expect_page(Page::EmailRegister);

    let answer = app
        .call(
            "register_email",
            &[
                ("tenant", TENANT),
                ("email", "a@example.ac.jp"),
                ("email_confirmation", "b@example.ac.jp"),
            ],
        )
        .await;
    let bad = app
        .call(
            "register_email",
            &[
                ("tenant", TENANT),
                ("email", "a＠example.ac.jp"),
                ("email_confirmation", "a＠example.ac.jp"),
            ],
        )
        .await;

    assert_eq!(
        answer.error(),
        AppError::invalid(Field::EmailConfirm, FieldMsg::EmailMismatch)
    );
    assert_eq!(
        bad.error(),
        AppError::invalid(Field::Email, FieldMsg::EmailFullWidth)
    );
    assert!(one_time_token::Entity::find().all(&app.db).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registration_form_needs_the_first_login_session() {
    let app = TestApp::spawn().await;

    let answer = app
        .call(
            "register_email",
            &[
                ("tenant", TENANT),
                ("email", "a@example.ac.jp"),
                ("email_confirmation", "a@example.ac.jp"),
            ],
        )
        .await;

    assert_eq!(answer.error(), AppError::NotSignedIn);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_registered_by_another_student_is_refused_at_confirmation() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "shared@example.ac.jp").await;
    let other = TestAppClient::new(&app);
    let link = other.register_email("s2", "shared@example.ac.jp").await;

    let answer = app.confirm_link(&link).await;

    assert_eq!(
        answer.error(),
        AppError::Refused(AccountMsg::EmailTaken.into())
    );
}

/// A second browser for the same app.
struct TestAppClient<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
}

impl<'a> TestAppClient<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            client: client(),
        }
    }

    async fn register_email(&self, user_id: &str, email: &str) -> String {
        self.app
            .call_with(
                &self.client,
                "login",
                &[
                    ("tenant", TENANT),
                    ("user_id", user_id),
                    ("password", PASSWORD),
                    ("second_password", ""),
                ],
            )
            .await
            .expect_page(Page::EmailRegister);
        let count = self.app.smtp().mails_to(email).len();
        self.app
            .call_with(
                &self.client,
                "register_email",
                &[
                    ("tenant", TENANT),
                    ("email", email),
                    ("email_confirmation", email),
                ],
            )
            .await
            .expect_page(Page::EmailSent);
        link_in(&self.app.smtp().wait_for(email, count + 1).await.text())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_mails_are_limited_per_account() {
    let app = TestApp::spawn().await;
    app.login("s1", PASSWORD, "").await.expect_page(Page::EmailRegister);
    let register = || {
        app.call(
            "register_email",
            &[
                ("tenant", TENANT),
                ("email", "s1@example.ac.jp"),
                ("email_confirmation", "s1@example.ac.jp"),
            ],
        )
    };
    let limit = backend::account::Purpose::EmailRegistration.mails_per_hour();
    for _ in 0..limit {
        register().await.expect_page(Page::EmailSent);
    }

    let one_more = register().await;

    assert_eq!(
        one_more.error(),
        AppError::Refused(AccountMsg::TooManyLinkMails.into())
    );
    assert_eq!(app.queued_to("s1@example.ac.jp").await.len() as u64, limit);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_link_never_replaces_a_verified_address() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let account = account::Entity::find().one(&app.db).await.unwrap().unwrap();
    // A registration link that outlived the registration (say, issued in a race with it).
    let new = backend::platform::one_time_tokens::NewToken {
        purpose: backend::account::Purpose::EmailRegistration.code(),
        account_id: account.id,
        email: Some("attacker@example.ac.jp"),
        now: backend::platform::clock::now_ms(),
        ttl_seconds: 600,
    };
    let stale = backend::platform::one_time_tokens::issue(&app.db, new).await.unwrap();

    let answer = app
        .call(
            "confirm_email",
            &[("tenant", TENANT), ("token", &stale.raw)],
        )
        .await;

    assert_eq!(
        answer.error(),
        AppError::Refused(CommonMsg::LinkVoided.into())
    );
    let after = account::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(after.email.as_deref(), Some("s1@example.ac.jp"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_of_one_university_is_unknown_on_the_pages_of_another() {
    let app = TestApp::spawn().await;
    app.add_other_university().await;
    let link = app.register_email("s1", "s1@example.ac.jp").await;
    let token = token_of(&link);

    let here = app.call("email_link_state", &[("tenant", TENANT), ("token", &token)]).await;
    let there = app
        .call(
            "email_link_state",
            &[("tenant", "other-u"), ("token", &token)],
        )
        .await;
    let used_there = app.call("confirm_email", &[("tenant", "other-u"), ("token", &token)]).await;

    assert_eq!(here.body, "\"Valid\"");
    assert_eq!(there.body, "\"Unknown\"");
    assert_eq!(
        used_there.error(),
        AppError::Refused(CommonMsg::LinkUnknown.into())
    );
}

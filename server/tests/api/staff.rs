//! The staff console's sign-in through HTTP: the operator's `staff add`, the mailed set-up
//! link, the password, the authenticator (its QR code and key), the recovery codes shown
//! once, the console, sign-out; and student and staff sessions that never open each other's
//! pages.

use crate::helpers::*;
use app::error::AppError;
use app::routes::Page;
use backend::platform::clock::now_ms;
use backend::staff::totp::{TotpSecret, STEP_SECONDS};
use reqwest::StatusCode;

const STAFF_PASSWORD: &str = "kyomu-office-2026";
const EMAIL: &str = "kyomu01@staff.test-u.ac.jp";

fn add_clerk(app: &TestApp) {
    let out = app.cli(&[
        "staff",
        "add",
        "--tenant",
        TENANT,
        "--login",
        "kyomu01",
        "--role",
        "clerk",
        "--email",
        EMAIL,
        "--name",
        "教務 一郎",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub(super) fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start} in the page")) + start.len();
    let to = text[from..].find(end).expect("the end") + from;
    &text[from..to]
}

/// The set-up page's form with the right password twice.
fn set_up_form(token: &str) -> [(&'static str, &str); 4] {
    [
        ("tenant", TENANT),
        ("token", token),
        ("new_password", STAFF_PASSWORD),
        ("new_password_confirm", STAFF_PASSWORD),
    ]
}

/// The console's home: the student search for `q`, its first page.
fn home_form<'a>(tenant: &'a str, q: &'a str) -> [(&'static str, &'a str); 4] {
    [("tenant", tenant), ("q", q), ("sort", ""), ("page", "1")]
}

/// The code an authenticator with this key shows now.
fn code_now(secret: &str) -> String {
    TotpSecret::from_base32(secret)
        .expect("a key")
        .code_at_step(now_ms() / 1000 / STEP_SECONDS)
}

async fn sign_in(app: &TestApp, password: &str, code: &str) -> ServerFnAnswer {
    let form = [
        ("tenant", TENANT),
        ("login_id", "kyomu01"),
        ("password", password),
        ("code", code),
    ];
    app.call("staff/sign_in", &form).await
}

/// Walks a new clerk from the set-up mail to the console; returns the authenticator's key.
pub(super) async fn set_up_clerk(app: &TestApp) -> String {
    add_clerk(app);
    let link = link_in(&app.smtp().wait_for(EMAIL, 1).await.text());
    let (status, page) = app.get(link.strip_prefix(&app.base).expect("a link here")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("パスワードの設定"), "{page}");
    let token = token_of(&link);
    let form = set_up_form(&token);
    let set = app.call("staff/set_password", &form).await;
    let signed_out_page = format!("{}?set-up=done", Page::StaffSignIn.href(TENANT));
    assert_eq!(
        set.location(),
        Some(signed_out_page.as_str()),
        "{}",
        set.body
    );
    sign_in(app, STAFF_PASSWORD, "").await.expect_page(Page::StaffFactor);
    let (_, factor) = app.get(&Page::StaffFactor.href(TENANT)).await;
    assert!(factor.contains("<svg"), "{factor}");
    // Without the renderer's `<!>` marker, which a browser shows as nothing.
    let secret = between(&factor, "<code class=\"secret\">", "</code>").replace("<!>", "");
    let form = [("tenant", TENANT), ("code", &code_now(&secret))];
    app.call("staff/confirm_factor", &form)
        .await
        .expect_page(Page::StaffRecoveryCodes);
    secret
}

#[tokio::test]
async fn a_clerk_added_on_the_command_line_sets_up_an_authenticator_and_reaches_the_console() {
    let app = TestApp::spawn().await;

    set_up_clerk(&app).await;
    let (_, codes) = app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let (_, again) = app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let (status, home) = app.get(&Page::StaffHome.href(TENANT)).await;

    assert_eq!(codes.matches("<li><code>").count(), 10, "{codes}");
    assert_eq!(again.matches("<li><code>").count(), 0);
    assert!(again.contains("回復コードは既に表示済みです"));
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("教務 一郎 (kyomu01)") && home.contains("担当者"),
        "{home}"
    );
}

#[tokio::test]
async fn the_set_up_link_leaves_the_address_bar_and_works_once() {
    let app = TestApp::spawn().await;
    add_clerk(&app);
    let link = link_in(&app.smtp().wait_for(EMAIL, 1).await.text());
    let path = link.strip_prefix(&app.base).unwrap();

    let first = app.client.get(app.url(path)).send().await.unwrap();
    let cookie = set_cookie_named(first.headers(), "shomei_link").expect("a link cookie");
    let token = token_of(&link);
    let form = set_up_form(&token);
    app.call("staff/set_password", &form).await;
    let second = app.call("staff/set_password", &form).await;

    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        first.headers()["location"],
        Page::StaffSetUp.href(TENANT).as_str()
    );
    assert!(
        cookie.contains(&format!("Path={}", Page::StaffSetUp.href(TENANT))),
        "{cookie}"
    );
    assert!(matches!(second.error(), AppError::Refused(_)));
}

#[tokio::test]
async fn a_short_password_or_a_mismatch_is_refused_under_its_field_and_keeps_the_link() {
    let app = TestApp::spawn().await;
    add_clerk(&app);
    let link = link_in(&app.smtp().wait_for(EMAIL, 1).await.text());
    let token = token_of(&link);
    let set = |new: &'static str, confirm: &'static str| {
        let token = token.clone();
        let app = &app;
        async move {
            let form = [
                ("tenant", TENANT),
                ("token", token.as_str()),
                ("new_password", new),
                ("new_password_confirm", confirm),
            ];
            app.call("staff/set_password", &form).await
        }
    };

    let short = set("short-one", "short-one").await.error();
    let mismatch = set(STAFF_PASSWORD, "kyomu-office-2027").await.error();
    let with_login_id = set("my-kyomu01-password", "my-kyomu01-password").await.error();
    let right = set(STAFF_PASSWORD, STAFF_PASSWORD).await;

    use app::error::Field;
    use domain::i18n::FieldMsg;
    assert_eq!(
        short,
        AppError::invalid(Field::NewPassword, FieldMsg::StaffPasswordTooShort)
    );
    assert_eq!(
        mismatch,
        AppError::invalid(Field::NewPasswordConfirm, FieldMsg::NewPasswordMismatch)
    );
    assert_eq!(
        with_login_id,
        AppError::invalid(Field::NewPassword, FieldMsg::StaffPasswordHasLoginId)
    );
    assert!(right.status.is_success(), "{}", right.body);
}

#[tokio::test]
async fn a_staff_member_signs_in_with_the_authenticators_code_and_a_used_code_is_refused() {
    let app = TestApp::spawn().await;
    let secret = set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    app.call("staff/sign_out", &[("tenant", TENANT)]).await;
    let signed_out = app.call("staff/home", &home_form(TENANT, "")).await.error();

    // The set-up used this step's code: the next step's is the next one accepted.
    tokio::time::sleep(std::time::Duration::from_millis(
        (STEP_SECONDS * 1000 - now_ms() % (STEP_SECONDS * 1000) + 100) as u64,
    ))
    .await;
    let code = code_now(&secret);
    let without_code = sign_in(&app, STAFF_PASSWORD, "").await.error();
    let with_code = sign_in(&app, STAFF_PASSWORD, &code).await;
    with_code.expect_page(Page::StaffHome);
    let home = app.call("staff/home", &home_form(TENANT, "")).await;
    let again = sign_in(&app, STAFF_PASSWORD, &code).await.error();

    assert_eq!(signed_out, AppError::NotSignedIn);
    assert!(matches!(without_code, AppError::Refused(_)));
    assert!(home.status.is_success(), "{}", home.body);
    assert!(matches!(again, AppError::Refused(_)));
}

#[tokio::test]
async fn a_students_session_opens_no_staff_page_and_a_staff_session_no_students_page() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let staff_home_as_student = app.call("staff/home", &home_form(TENANT, "")).await.error();

    let staff_app_client = client();
    add_clerk(&app);
    let link = link_in(&app.smtp().wait_for(EMAIL, 1).await.text());
    let token = token_of(&link);
    let form = set_up_form(&token);
    app.call_with(&staff_app_client, "staff/set_password", &form).await;
    let sign_in_form = [
        ("tenant", TENANT),
        ("login_id", "kyomu01"),
        ("password", STAFF_PASSWORD),
        ("code", ""),
    ];
    app.call_with(&staff_app_client, "staff/sign_in", &sign_in_form)
        .await
        .expect_page(Page::StaffFactor);
    let student_home_as_staff =
        app.call_with(&staff_app_client, "home", &[("tenant", TENANT)]).await.error();
    // A session that has passed only the password opens nothing but the authenticator's page.
    let console_before_factor = app
        .call_with(&staff_app_client, "staff/home", &home_form(TENANT, ""))
        .await
        .error();

    assert_eq!(staff_home_as_student, AppError::NotSignedIn);
    assert_eq!(student_home_as_staff, AppError::NotSignedIn);
    assert_eq!(console_before_factor, AppError::NotSignedIn);
}

#[tokio::test]
async fn a_staff_session_of_one_university_is_no_session_at_another() {
    let app = TestApp::spawn().await;
    let other = app.add_other_university().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;

    let here = app.call("staff/home", &home_form(TENANT, "")).await;
    let there = app.call("staff/home", &home_form(&other.slug, "")).await.error();

    assert!(here.status.is_success());
    assert_eq!(there, AppError::NotSignedIn);
}

#[tokio::test]
async fn the_staff_session_cookie_is_http_only_and_strict() {
    let app = TestApp::spawn().await;
    add_clerk(&app);
    let link = link_in(&app.smtp().wait_for(EMAIL, 1).await.text());
    let token = token_of(&link);
    let form = set_up_form(&token);
    app.call("staff/set_password", &form).await;

    let answer = sign_in(&app, STAFF_PASSWORD, "").await;
    let cookie = set_cookie_named(&answer.headers, "shomei_staff").expect("a staff cookie");

    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        answer.session_cookie().is_none(),
        "no student session is started"
    );
}

#[tokio::test]
async fn the_operator_lists_disables_and_resets_staff_members() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;

    let listed = app.cli(&["staff", "list", "--tenant", TENANT]);
    let reset = app.cli(&[
        "staff",
        "reset-factor",
        "--tenant",
        TENANT,
        "--login",
        "kyomu01",
    ]);
    let new_link = app.smtp().wait_for(EMAIL, 2).await;
    let disabled = app.cli(&["staff", "disable", "--tenant", TENANT, "--login", "kyomu01"]);
    let after = app.call("staff/home", &home_form(TENANT, "")).await.error();
    let unknown_role = app.cli(&[
        "staff", "add", "--tenant", TENANT, "--login", "x", "--role", "root", "--email", EMAIL,
        "--name", "x",
    ]);

    let listed = String::from_utf8_lossy(&listed.stdout).to_string();
    assert!(
        listed.contains("kyomu01 教務 一郎") && listed.contains("clerk"),
        "{listed}"
    );
    assert!(reset.status.success() && disabled.status.success());
    assert!(new_link.text().contains("/staff/setup?token="));
    assert_eq!(after, AppError::NotSignedIn);
    assert!(!unknown_role.status.success());
}

#[tokio::test]
async fn a_clerk_finds_the_universitys_students_and_never_another_universitys() {
    let app = TestApp::spawn().await;
    let other = app.add_other_university().await;
    let csv = "user_id,name,password\nz9,山田 別大学,pw-Pass-123\n";
    backend::registry::import_csv(&app.db, other.id, csv.as_bytes()).await.unwrap();
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;

    let (status, page) = app
        .get(&format!(
            "{}?q=%E5%B1%B1%E7%94%B0",
            Page::StaffHome.href(TENANT)
        ))
        .await;
    let everyone = app.call("staff/home", &home_form(TENANT, "")).await;
    let theirs = app.call("staff/home", &home_form(TENANT, "別大学")).await;

    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("山田 花子") && !page.contains("佐藤 太郎"),
        "{page}"
    );
    assert!(!page.contains("山田 別大学"));
    let everyone: serde_json::Value = serde_json::from_str(&everyone.body).unwrap();
    assert_eq!(everyone["search"]["total"], 3);
    let theirs: serde_json::Value = serde_json::from_str(&theirs.body).unwrap();
    assert_eq!(theirs["search"]["total"], 0);
}

#[tokio::test]
async fn the_search_is_in_the_order_its_address_names_and_its_headings_turn_it_round() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let home = Page::StaffHome.href(TENANT);

    let (status, page) = app.get(&format!("{home}?q=&sort=-student_number&page=1")).await;

    assert_eq!(status, StatusCode::OK);
    let position = |text: &str| page.find(text).unwrap_or_else(|| panic!("{text} in {page}"));
    // s2 has student number 1002, s1 1001.
    assert!(position("佐藤 太郎") < position("山田 花子"));
    assert!(page.contains(r#"aria-sort="descending""#), "{page}");
    assert!(
        page.contains(&format!(
            r#"href="{home}?q=&amp;sort=student_number&amp;page=1""#
        )) || page.contains(&format!(r#"href="{home}?q=&sort=student_number&page=1""#))
    );
    assert!(
        page.contains(r#"name="sort" value="-student_number""#),
        "{page}"
    );
}

/// The registry id of `user_id` at the test university, as the console's search gives it.
async fn found_id(app: &TestApp, user_id: &str) -> i64 {
    let answer = app.call("staff/home", &home_form(TENANT, user_id)).await;
    let found: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    found["search"]["students"][0]["id"].as_i64().expect("a student found")
}

/// Gives the set-up clerk another role, as an admin would (the test's arrangement, written
/// straight to the table: the services' role change is tested on its own).
pub(super) async fn give_role(app: &TestApp, role: &str) {
    use backend::entities::staff_member;
    use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
    staff_member::Entity::update_many()
        .col_expr(staff_member::Column::Role, Expr::value(role))
        .filter(staff_member::Column::LoginKey.eq("kyomu01"))
        .exec(&app.db)
        .await
        .unwrap();
}

fn student_form(id: &str) -> [(&'static str, &str); 3] {
    [("tenant", TENANT), ("id", id), ("page", "1")]
}

fn action_form<'a>(id: &'a str, action: &'a str) -> [(&'static str, &'a str); 3] {
    [("tenant", TENANT), ("id", id), ("action", action)]
}

#[tokio::test]
async fn a_clerk_opens_a_students_page_and_clears_their_login_failures() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    for _ in 0..3 {
        app.login("s1", "wrong-password", "").await;
    }
    let registry = "user_id,name,password,degree_name,degree_name_en,health_check_year\n\
                    s1,山田 花子,campus-Pass-1,学士（文学）,Bachelor of Arts,2026\n";
    backend::registry::import_csv(&app.db, app.tenant_id, registry.as_bytes())
        .await
        .unwrap();
    let id = found_id(&app, "s1").await.to_string();

    let (status, page) = app.get(&format!("{}?id={id}", Page::StaffStudent.href(TENANT))).await;
    let cleared = app.call("staff/student_action", &action_form(&id, "clear-delays")).await;
    let after = app.call("staff/student", &student_form(&id)).await;

    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("山田 花子") && page.contains("学籍情報"),
        "{page}"
    );
    assert!(page.contains("ログイン失敗"), "{page}");
    assert!(
        page.contains("学士（文学） / Bachelor of Arts") && page.contains("2026年度"),
        "{page}"
    );
    let back = format!(
        "{}?id={id}&done=delays-cleared",
        Page::StaffStudent.href(TENANT)
    );
    assert_eq!(cleared.location(), Some(back.as_str()), "{}", cleared.body);
    let after: serde_json::Value = serde_json::from_str(&after.body).unwrap();
    assert_eq!(after["account"]["login_failures"], 0);
    let names: Vec<&str> = after["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["code"].as_str())
        .collect();
    assert!(names.contains(&"staff_cleared_login_delays") && names.contains(&"login_failed"));
}

#[tokio::test]
async fn a_student_of_another_university_is_not_found_by_changing_the_id() {
    let app = TestApp::spawn().await;
    let other = app.add_other_university().await;
    let csv = "user_id,name,password\nz9,山田 別大学,pw-Pass-123\n";
    backend::registry::import_csv(&app.db, other.id, csv.as_bytes()).await.unwrap();
    let theirs = app.student_id(other.id, "z9").await.0.to_string();
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;

    let (status, page) = app.get(&format!("{}?id={theirs}", Page::StaffStudent.href(TENANT))).await;
    let read = app.call("staff/student", &student_form(&theirs)).await;
    let acted = app
        .call(
            "staff/student_action",
            &action_form(&theirs, "end-sessions"),
        )
        .await;

    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!page.contains("山田 別大学"));
    assert_eq!(read.error(), AppError::NotFound);
    assert_eq!(acted.error(), AppError::NotFound);
}

#[tokio::test]
async fn a_viewer_sees_a_student_without_the_desk_and_is_refused_an_action_with_403() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(&app, "viewer").await;
    app.login("s1", "wrong-password", "").await;
    let id = found_id(&app, "s1").await.to_string();

    let (status, page) = app.get(&format!("{}?id={id}", Page::StaffStudent.href(TENANT))).await;
    let refused = app.call("staff/student_action", &action_form(&id, "clear-delays")).await;

    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("山田 花子") && !page.contains("ログイン待機を解除"),
        "{page}"
    );
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let after = app.call("staff/student", &student_form(&id)).await;
    let after: serde_json::Value = serde_json::from_str(&after.body).unwrap();
    assert_eq!(after["account"]["login_failures"], 1, "nothing was cleared");
}

fn add_form<'a>(login_id: &'a str, email: &'a str) -> [(&'static str, &'a str); 5] {
    [
        ("tenant", TENANT),
        ("login_id", login_id),
        ("name", "学務 花子"),
        ("email", email),
        ("role", "viewer"),
    ]
}

#[tokio::test]
async fn an_admin_adds_a_member_in_the_console_who_gets_a_set_up_link_then_changes_and_disables_them(
) {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(&app, "admin").await;

    let added = app
        .call(
            "staff/add_member",
            &add_form("gakumu02", "gakumu02@staff.test-u.ac.jp"),
        )
        .await;
    let again = app
        .call(
            "staff/add_member",
            &add_form("GAKUMU02", "other@staff.test-u.ac.jp"),
        )
        .await;
    let mail = app.smtp().wait_for("gakumu02@staff.test-u.ac.jp", 1).await;
    let listed = app.call("staff/members", &[("tenant", TENANT)]).await;
    let members: serde_json::Value = serde_json::from_str(&listed.body).unwrap();
    let new = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["login_id"] == "gakumu02");
    let new_id = new.expect("the new member listed")["id"].as_i64().unwrap().to_string();
    let role = [
        ("tenant", TENANT),
        ("staff_id", &new_id),
        ("action", "role"),
        ("role", "clerk"),
    ];
    let changed = app.call("staff/member_action", &role).await;
    let disable = [
        ("tenant", TENANT),
        ("staff_id", &new_id),
        ("action", "disable"),
    ];
    let disabled = app.call("staff/member_action", &disable).await;
    let (status, page) = app.get(&Page::StaffMembers.href(TENANT)).await;

    let back = |done: &str| format!("{}?done={done}", Page::StaffMembers.href(TENANT));
    assert_eq!(
        added.location(),
        Some(back("added").as_str()),
        "{}",
        added.body
    );
    assert!(link_in(&mail.text()).contains("/staff/setup?token="));
    assert_eq!(
        again.error(),
        AppError::invalid(
            app::error::Field::LoginId,
            domain::i18n::FieldMsg::LoginIdTaken
        )
    );
    assert_eq!(
        changed.location(),
        Some(back("role-changed").as_str()),
        "{}",
        changed.body
    );
    assert_eq!(
        disabled.location(),
        Some(back("disabled").as_str()),
        "{}",
        disabled.body
    );
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("gakumu02") && page.contains("無効"), "{page}");
}

#[tokio::test]
async fn a_clerk_gets_403_for_the_staff_accounts_and_adds_no_one() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;

    let (status, page) = app.get(&Page::StaffMembers.href(TENANT)).await;
    let added = app
        .call(
            "staff/add_member",
            &add_form("gakumu02", "gakumu02@staff.test-u.ac.jp"),
        )
        .await;

    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("この操作を行う権限がありません。"), "{page}");
    assert_eq!(added.status, StatusCode::FORBIDDEN);
    let listed = app.cli(&["staff", "list", "--tenant", TENANT]);
    assert!(!String::from_utf8_lossy(&listed.stdout).contains("gakumu02"));
}

#[tokio::test]
async fn an_admin_cannot_act_on_a_member_of_another_university_by_changing_the_id() {
    let app = TestApp::spawn().await;
    let other = app.add_other_university().await;
    let args = [
        "staff",
        "add",
        "--tenant",
        &other.slug,
        "--login",
        "tanin",
        "--role",
        "admin",
    ];
    let out = app.cli(
        &[
            &args[..],
            &["--email", "tanin@other.example", "--name", "他大学 職員"],
        ]
        .concat(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs = {
        use backend::entities::staff_member;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let row = staff_member::Entity::find()
            .filter(staff_member::Column::TenantId.eq(other.id))
            .one(&app.db)
            .await
            .unwrap()
            .expect("their member");
        row.id.to_string()
    };
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(&app, "admin").await;

    let disable = [
        ("tenant", TENANT),
        ("staff_id", theirs.as_str()),
        ("action", "disable"),
    ];
    let disabled = app.call("staff/member_action", &disable).await;

    assert_eq!(disabled.error(), AppError::NotFound);
    let row = backend::entities::staff_member::Entity::find_by_id(theirs.parse::<i32>().unwrap());
    use sea_orm::EntityTrait;
    let row = row.one(&app.db).await.unwrap().unwrap();
    assert_eq!(row.disabled_at, None);
}

const SETTINGS: [&str; 13] = [
    "name",
    "name_en",
    "notes_ja",
    "notes_en",
    "helpdesk_ja",
    "helpdesk_en",
    "card_name",
    "top_up_min",
    "top_up_max",
    "balance_max",
    "link_minutes",
    "password_policy",
    "portal_origins",
];

/// The settings form as the page would post it: the current values, with `changes` made.
async fn settings_form(app: &TestApp, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let answer = app.call("staff/settings", &[("tenant", TENANT)]).await;
    let view: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    let mut form = vec![("tenant".to_owned(), TENANT.to_owned())];
    for field in SETTINGS {
        let changed = changes.iter().find(|(name, _)| *name == field).map(|(_, v)| *v);
        let value = changed.unwrap_or_else(|| view["form"][field].as_str().unwrap());
        form.push((format!("form[{field}]"), value.to_owned()));
    }
    form
}

async fn save_settings(app: &TestApp, changes: &[(&str, &str)]) -> ServerFnAnswer {
    let form = settings_form(app, changes).await;
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call("staff/save_settings", &pairs).await
}

#[tokio::test]
async fn an_admin_changes_the_help_desk_and_students_see_its_markup_as_text() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(&app, "admin").await;

    let saved = save_settings(&app, &[("helpdesk_ja", "<b>学生課</b> 内線 1234")]).await;
    let (_, login_page) = app.get(&Page::Login.href(TENANT)).await;

    let back = format!("{}?done=saved", Page::StaffSettings.href(TENANT));
    assert_eq!(saved.location(), Some(back.as_str()), "{}", saved.body);
    assert!(
        login_page.contains("&lt;b&gt;学生課&lt;/b&gt; 内線 1234"),
        "{login_page}"
    );
    assert!(!login_page.contains("<b>学生課</b>"));
    let events = backend::platform::audit::recent(&app.db, app.tenant_id, 5).await.unwrap();
    let event = events.iter().find(|e| e.event == "university_settings_changed").unwrap();
    assert!(event.detail.as_deref().unwrap().contains("helpdesk_ja"));
}

#[tokio::test]
async fn a_path_in_an_origin_or_an_empty_japanese_name_is_refused_under_its_field() {
    use app::error::Field;
    use domain::i18n::FieldMsg;
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(&app, "admin").await;
    let before = settings_form(&app, &[]).await;

    let origin = save_settings(&app, &[("portal_origins", "https://portal.example/login")]).await;
    let name = save_settings(&app, &[("name", " ")]).await;
    let amount = save_settings(&app, &[("top_up_min", "千円")]).await;

    assert_eq!(
        origin.error(),
        AppError::invalid(Field::PortalOrigins, FieldMsg::OriginInvalid)
    );
    assert_eq!(
        name.error(),
        AppError::invalid(Field::UniversityName, FieldMsg::Required)
    );
    assert_eq!(
        amount.error(),
        AppError::invalid(Field::TopUpMin, FieldMsg::AmountNotWhole)
    );
    assert_eq!(
        settings_form(&app, &[]).await,
        before,
        "nothing was written"
    );
}

#[tokio::test]
async fn a_clerk_reads_the_settings_and_gets_403_for_saving_them() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let before = settings_form(&app, &[]).await;

    let (status, page) = app.get(&Page::StaffSettings.href(TENANT)).await;
    let saved = save_settings(&app, &[("card_name", "M.I.C")]).await;

    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("設定の変更は管理者だけができます。"),
        "{page}"
    );
    assert_eq!(saved.status, StatusCode::FORBIDDEN, "{}", saved.body);
    assert_eq!(settings_form(&app, &[]).await, before);
}

#[tokio::test]
async fn an_admin_corrects_a_balance_once_per_form_and_a_clerk_is_refused_with_403() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let id = found_id(&app, "s1").await.to_string();
    let correct = |key: String, amount: &'static str| {
        let id = id.clone();
        let app = &app;
        async move {
            let form = [
                ("tenant", TENANT),
                ("id", id.as_str()),
                ("amount", amount),
                ("reason", "窓口での返金の訂正"),
                ("key", key.as_str()),
            ];
            app.call("staff/correct_balance", &form).await
        }
    };
    let as_clerk: serde_json::Value =
        serde_json::from_str(&app.call("staff/student", &student_form(&id)).await.body).unwrap();
    let by_clerk = correct("a-key-of-the-clerks-own-making".to_owned(), "1200").await;
    give_role(&app, "admin").await;
    let as_admin: serde_json::Value =
        serde_json::from_str(&app.call("staff/student", &student_form(&id)).await.body).unwrap();
    let key = as_admin["correction_key"].as_str().expect("a form key for an admin").to_owned();

    let first = correct(key.clone(), "+1,200").await;
    let again = correct(key.clone(), "+1,200").await;
    let below = correct(format!("{key}-2"), "−5000").await;

    assert_eq!(as_clerk["correction_key"], serde_json::Value::Null);
    assert_eq!(by_clerk.status, StatusCode::FORBIDDEN);
    let back = format!("{}?id={id}&done=corrected", Page::StaffStudent.href(TENANT));
    assert_eq!(first.location(), Some(back.as_str()), "{}", first.body);
    assert_eq!(again.location(), Some(back.as_str()), "{}", again.body);
    assert_eq!(
        app.card_balance(app.tenant_id, "s1").await,
        1200,
        "booked once"
    );
    assert_eq!(
        below.error(),
        AppError::Refused(domain::i18n::StaffMsg::CorrectionBelowZero.into())
    );
}

#[tokio::test]
async fn the_audit_log_is_filtered_by_student_and_kind_and_downloads_as_the_same_csv() {
    let app = TestApp::spawn().await;
    app.login("s1", "wrong-password", "").await;
    app.login("s2", "=cmd|' /C calc'!A0", "").await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;

    let form = [
        ("tenant", TENANT),
        ("query[event]", "login_failed"),
        ("query[student]", "S1"),
        ("page", "1"),
    ];
    let filtered = app.call("staff/audit", &form).await;
    let (status, page) = app
        .get(&format!(
            "{}?event=login_failed",
            Page::StaffAudit.href(TENANT)
        ))
        .await;
    let csv_path = format!(
        "/{TENANT}/{}?event=login_failed&student=s1",
        app::routes::STAFF_AUDIT_CSV
    );
    let csv = app.client.get(app.url(&csv_path)).send().await.unwrap();
    let csv_headers = csv.headers().clone();
    let csv = csv.text().await.unwrap();
    let signed_out = client().get(app.url(&csv_path)).send().await.unwrap();

    let filtered: serde_json::Value = serde_json::from_str(&filtered.body).unwrap();
    assert_eq!(filtered["total"], 1, "{filtered}");
    assert_eq!(filtered["events"][0]["student"], "s1");
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("2件"), "{page}");
    assert_eq!(csv_headers["cache-control"], "no-store");
    assert!(csv.starts_with("\u{feff}\"日時\""), "{csv}");
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.contains("\"ログイン失敗\",\"login_failed\",\"s1\""),
        "{csv}"
    );
    let to_sign_in = Page::StaffSignIn.href(TENANT);
    let location = signed_out.headers().get("location").and_then(|l| l.to_str().ok());
    assert_eq!(location, Some(to_sign_in.as_str()));
}

/// Who may call a staff server function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    /// On the way in: sign-in and the set-up link.
    BeforeSignIn,
    /// A session that has passed the password alone (the authenticator's set-up).
    SettingUp,
    /// Any staff session (sign-out).
    AnySession,
    /// A signed-in member of at least this role.
    Role(domain::StaffRole),
}

/// Every staff server function and who may call it. A new one fails
/// `every_staff_server_function_refuses_the_roles_below_its_own` until it is listed here.
const STAFF_FUNCTIONS: [(&str, Access); 29] = {
    use domain::StaffRole::{Admin, Clerk, Viewer};
    use Access::*;
    [
        ("staff/sign_in", BeforeSignIn),
        ("staff/set_up_link", BeforeSignIn),
        ("staff/set_password", BeforeSignIn),
        ("staff/factor", SettingUp),
        ("staff/confirm_factor", SettingUp),
        ("staff/recovery_codes", SettingUp),
        ("staff/sign_out", AnySession),
        ("staff/home", Role(Viewer)),
        ("staff/student", Role(Viewer)),
        ("staff/settings", Role(Viewer)),
        ("staff/audit", Role(Viewer)),
        ("staff/student_action", Role(Clerk)),
        ("staff/import_preview", Role(Clerk)),
        ("staff/import_apply", Role(Clerk)),
        ("staff/members", Role(Admin)),
        ("staff/add_member", Role(Admin)),
        ("staff/member_action", Role(Admin)),
        ("staff/save_settings", Role(Admin)),
        ("staff/correct_balance", Role(Admin)),
        ("staff/applications", Role(Viewer)),
        ("staff/application", Role(Viewer)),
        ("staff/application_action", Role(Clerk)),
        ("staff/revoke_certificate", Role(Admin)),
        ("staff/calendar", Role(Viewer)),
        ("staff/close_day", Role(Admin)),
        ("staff/reopen_day", Role(Admin)),
        ("staff/catalogue", Role(Viewer)),
        ("staff/catalogue_check", Role(Admin)),
        ("staff/catalogue_save", Role(Admin)),
    ]
};

const DEMO_CATALOGUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../catalogues/demo.toml");

/// An application of s1 (enrollment, `delivery`), paid from the balance put on the card for
/// it, made beside the server: its number.
pub(crate) async fn fresh_application(app: &TestApp, delivery: &str, n: usize) -> String {
    use backend::certificates::ApplicationRequest;
    use domain::{CatalogueCode, OrderLine};
    let tenant = backend::tenancy::require(&app.db, TENANT).await.unwrap();
    if backend::certificates::current(&app.db, tenant.id, chrono_today())
        .await
        .unwrap()
        .types
        .is_empty()
    {
        let imported = app.cli(&["catalogue", "import", "--tenant", TENANT, DEMO_CATALOGUE]);
        assert!(imported.status.success(), "{imported:?}");
    }
    app.put_on_card(app.tenant_id, "s1", 1000, "入金").await;
    let s1 = app.student_id(app.tenant_id, "s1").await;
    let request = ApplicationRequest {
        lines: vec![OrderLine {
            code: CatalogueCode::parse("enrollment").unwrap(),
            lang: domain::i18n::Lang::Ja,
            copies: 1,
        }],
        purpose: None,
        delivery: CatalogueCode::parse(delivery).unwrap(),
        address: (delivery == "post").then(|| {
            domain::Address::japan(&domain::AddressForm {
                postal_code: "1130033".to_owned(),
                prefecture: "東京都".to_owned(),
                city: "文京区".to_owned(),
                street: "本郷7-3-1".to_owned(),
                recipient: "山田 花子".to_owned(),
                ..Default::default()
            })
            .unwrap()
        }),
        lang: domain::i18n::Lang::Ja,
    };
    let key =
        backend::wallet::IdempotencyKey::parse(&format!("staff-test-application-{n:04}")).unwrap();
    app.applications()
        .apply(
            &backend::platform::audit::Actor::new("192.0.2.1".to_owned(), "t"),
            &tenant,
            s1,
            &request,
            &key,
        )
        .await
        .unwrap()
        .number
}

/// Application `number` started and issued by a clerk through the services beside the server.
pub(crate) async fn issue_beside_the_server(app: &TestApp, number: &str) {
    use backend::certificates::StaffAction::{Issue, Start};
    act_beside_the_server(app, number, [Start, Issue]).await;
}

/// Application `number` moved by a clerk through `actions`, through the services beside the
/// server.
pub(crate) async fn act_beside_the_server(
    app: &TestApp,
    number: &str,
    actions: [backend::certificates::StaffAction; 2],
) {
    let tenant = backend::tenancy::require(&app.db, TENANT).await.unwrap();
    let id = domain::parse_application_number(number).unwrap();
    let clerk = domain::StaffMember {
        id: 1,
        tenant_id: tenant.id,
        login_id: "kyomu01".to_owned(),
        role: domain::StaffRole::Clerk,
    };
    let actor = backend::platform::audit::Actor::new("192.0.2.1".to_owned(), "t");
    for action in actions {
        app.applications().act((&clerk, &actor), &tenant, id, action).await.unwrap();
    }
}

fn chrono_today() -> chrono::NaiveDate {
    backend::certificates::jst_date(now_ms())
}

#[tokio::test]
async fn every_staff_server_function_refuses_the_roles_below_its_own() {
    use domain::StaffRole;
    let registered: std::collections::BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .filter_map(|(path, _)| path.strip_prefix("/api/").map(str::to_owned))
        .filter(|path| path.starts_with("staff/"))
        .collect();
    let listed: std::collections::BTreeSet<String> =
        STAFF_FUNCTIONS.iter().map(|(path, _)| (*path).to_owned()).collect();
    assert_eq!(
        registered, listed,
        "list each staff server function in STAFF_FUNCTIONS with who may call it"
    );

    let app = TestApp::spawn().await;
    let other = app.cli(&[
        "staff",
        "add",
        "--tenant",
        TENANT,
        "--login",
        "tanin02",
        "--role",
        "viewer",
        "--email",
        "tanin02@staff.test-u.ac.jp",
        "--name",
        "他 職員",
    ]);
    assert!(other.status.success());
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let id = found_id(&app, "s1").await.to_string();
    let other_id = {
        use backend::entities::staff_member;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let row = staff_member::Entity::find()
            .filter(staff_member::Column::LoginKey.eq("tanin02"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        row.id.to_string()
    };
    let settings = settings_form(&app, &[]).await;

    for role in StaffRole::ALL {
        give_role(&app, role.code()).await;
        for (path, access) in STAFF_FUNCTIONS {
            let Access::Role(least) = access else {
                continue;
            };
            let n = format!("{}{}", role.code(), path.len());
            let login = format!("new-{n}");
            let email = format!("new-{n}@staff.test-u.ac.jp");
            let key = format!("roles-test-key-{n}-{}", role.code());
            let form: Vec<(String, String)> = match path {
                "staff/home" => vec![
                    ("q".into(), "".into()),
                    ("sort".into(), "kana".into()),
                    ("page".into(), "1".into()),
                ],
                "staff/student" => vec![("id".into(), id.clone()), ("page".into(), "1".into())],
                "staff/settings" | "staff/members" => vec![],
                "staff/audit" => vec![
                    ("query[from]".into(), "".into()),
                    ("page".into(), "1".into()),
                ],
                "staff/student_action" => vec![
                    ("id".into(), id.clone()),
                    ("action".into(), "clear-delays".into()),
                ],
                "staff/import_preview" => vec![("upload".into(), "0".into())],
                "staff/import_apply" => {
                    let upload = upload_csv(&app, IMPORT_CSV).await;
                    let upload = upload.split("upload=").nth(1).unwrap_or("0");
                    let upload = upload.split('&').next().unwrap().to_owned();
                    vec![("upload".into(), upload)]
                }
                "staff/add_member" => vec![
                    ("login_id".into(), login),
                    ("name".into(), "新 職員".into()),
                    ("email".into(), email),
                    ("role".into(), "viewer".into()),
                ],
                "staff/member_action" => vec![
                    ("staff_id".into(), other_id.clone()),
                    ("action".into(), "reset-factor".into()),
                ],
                "staff/save_settings" => {
                    settings.iter().filter(|(k, _)| k != "tenant").cloned().collect()
                }
                "staff/correct_balance" => vec![
                    ("id".into(), id.clone()),
                    ("amount".into(), "100".into()),
                    ("reason".into(), "権限の確認".into()),
                    ("key".into(), key),
                ],
                "staff/applications" => vec![("query[status]".into(), "accepted".into())],
                "staff/application" => {
                    vec![(
                        "number".into(),
                        fresh_application(&app, "pickup", path.len()).await,
                    )]
                }
                "staff/application_action" => vec![
                    (
                        "number".into(),
                        fresh_application(&app, "pickup", n.len() + 100 * role as usize).await,
                    ),
                    ("action".into(), "start".into()),
                ],
                "staff/revoke_certificate" => {
                    let number = fresh_application(&app, "pdf", 300 + 100 * role as usize).await;
                    issue_beside_the_server(&app, &number).await;
                    vec![
                        ("number".into(), number),
                        ("line".into(), "1".into()),
                        ("reason".into(), "other".into()),
                    ]
                }
                "staff/calendar" => vec![],
                // A day for each try, so an allowed one is never refused as already closed.
                "staff/close_day" | "staff/reopen_day" => {
                    let days = 10 + n.len() as u64 + 100 * role as u64;
                    let day = chrono_today() + chrono::Days::new(days);
                    vec![("day".into(), day.format("%Y-%m-%d").to_string())]
                }
                "staff/catalogue" => vec![("draft".into(), "0".into())],
                "staff/catalogue_check" => {
                    let (text, version) = super::staff_catalogue::editor_text(&app).await;
                    vec![("text".into(), text), ("version".into(), version)]
                }
                // Only an admin can have an edit to save; below, the role is refused first.
                "staff/catalogue_save" => {
                    let draft = match role {
                        StaffRole::Admin => super::staff_catalogue::checked_draft(&app).await,
                        _ => "1".to_owned(),
                    };
                    vec![("draft".into(), draft)]
                }
                other => panic!("no form for {other}: add one"),
            };
            let mut pairs = vec![("tenant", TENANT)];
            pairs.extend(form.iter().map(|(k, v)| (k.as_str(), v.as_str())));

            let answer = app.call(path, &pairs).await;

            if role < least {
                assert_eq!(
                    answer.status,
                    StatusCode::FORBIDDEN,
                    "{path} as {role:?}: {}",
                    answer.body
                );
            } else {
                assert!(
                    answer.status.is_success() || answer.status.is_redirection(),
                    "{path} as {role:?}: {} {}",
                    answer.status,
                    answer.body
                );
            }
        }
    }
    let refusals = backend::platform::audit::recent(&app.db, app.tenant_id, 200).await.unwrap();
    let audited = refusals.iter().filter(|e| e.event == "staff_forbidden").count();
    assert!(audited >= 9, "every refusal is audited: {audited}");
}

#[tokio::test]
async fn no_staff_function_of_a_signed_in_member_answers_at_another_university() {
    let app = TestApp::spawn().await;
    let other = app.add_other_university().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(&app, "admin").await;

    for (path, access) in STAFF_FUNCTIONS {
        if !matches!(access, Access::Role(_)) {
            continue;
        }
        let answer = app
            .call(
                path,
                &[("tenant", other.slug.as_str()), ("id", "1"), ("page", "1")],
            )
            .await;
        assert_ne!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
        assert!(
            !answer.status.is_redirection()
                || answer.location().is_some_and(|l| !l.contains("done=")),
            "{path}"
        );
    }
}

const IMPORT_CSV: &str = "user_id,name,student_number,password\n\
                          s1,山田 花子,1001,campus-Pass-1\n\
                          k9,新入 九,1009,campus-Pass-1\n";

/// Uploads `csv` as the import page's form does; returns where the browser is sent.
async fn upload_csv(app: &TestApp, csv: &str) -> String {
    upload_file(app, "registry", csv).await
}

/// Uploads `csv` as a file of `kind` (`registry`, `grades`); returns where the browser is sent.
async fn upload_file(app: &TestApp, kind: &str, csv: &str) -> String {
    let parts = [
        FormPart {
            name: "kind",
            file: None,
            body: kind.as_bytes(),
        },
        FormPart {
            name: "file",
            file: Some(("file.csv", "text/csv")),
            body: csv.as_bytes(),
        },
    ];
    app.post_multipart(&Page::StaffImport.href(TENANT), &parts).await
}

/// The upload's id in the address the upload sends the browser to.
fn upload_id(sent_to: &str) -> String {
    let after = sent_to.split("upload=").nth(1).expect("an upload");
    after.split('&').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_registry_file_larger_than_any_form_is_uploaded_whole_to_its_preview() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    // A faculty's students: far past the 16 KiB every other form is held to.
    let mut csv = String::from("user_id,name,student_number,password\n");
    for n in 0..600 {
        csv.push_str(&format!(
            "k{n:04},新入 学生{n},{:07},campus-Pass-1\n",
            2_600_000 + n
        ));
    }
    assert!(csv.len() > server::REQUEST_BODY_LIMIT);

    let sent_to = upload_csv(&app, &csv).await;
    let (status, page) = app.get(&sent_to).await;

    assert!(
        sent_to.starts_with(&format!("{}?upload=", Page::StaffImport.href(TENANT))),
        "{sent_to}"
    );
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("新規 600件"), "{page}");
}

#[tokio::test]
async fn a_clerk_uploads_a_registry_sees_its_preview_and_imports_it_once() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;

    let sent_to = upload_csv(&app, IMPORT_CSV).await;
    let upload = upload_id(&sent_to);
    let (status, page) = app.get(&sent_to).await;
    let applied = app
        .call(
            "staff/import_apply",
            &[("tenant", TENANT), ("upload", &upload)],
        )
        .await;
    let again = app
        .call(
            "staff/import_apply",
            &[("tenant", TENANT), ("upload", &upload)],
        )
        .await;

    assert!(
        sent_to.starts_with(&format!("{}?upload=", Page::StaffImport.href(TENANT))),
        "{sent_to}"
    );
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("新規 1件・更新 1件・変更なし 0件") && page.contains("k9"),
        "{page}"
    );
    let done = format!(
        "{}?done=applied&added=1&updated=1",
        Page::StaffImport.href(TENANT)
    );
    assert_eq!(applied.location(), Some(done.as_str()), "{}", applied.body);
    assert_eq!(
        again.error(),
        AppError::Refused(domain::i18n::StaffMsg::ImportGone.into())
    );
    assert!(app.student_id(app.tenant_id, "k9").await.0 > 0);
}

#[tokio::test]
async fn a_bad_row_is_shown_with_its_line_and_column_and_the_import_is_refused() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let csv = "user_id,name,status,password\nk1,新入 一,studying,campus-Pass-1\n";

    let sent_to = upload_csv(&app, csv).await;
    let upload = upload_id(&sent_to);
    let (_, page) = app.get(&sent_to).await;
    let applied = app
        .call(
            "staff/import_apply",
            &[("tenant", TENANT), ("upload", &upload)],
        )
        .await;

    assert!(
        page.contains("enrolled・graduated・on_leave・withdrawn のいずれかにしてください"),
        "{page}"
    );
    assert!(!page.contains(">取り込む<"), "no import button: {page}");
    assert_eq!(
        applied.error(),
        AppError::Refused(domain::i18n::StaffMsg::ImportFaulty.into())
    );
    let (status, _) = app.get(&format!("{}?upload=0", Page::StaffImport.href(TENANT))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_clerk_uploads_grades_sees_whose_results_they_replace_and_imports_them_once() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let csv = "user_id,year,term,course,course_en,credits,grade,category\n\
               s1,2025,前期,線形代数,Linear Algebra,2,A,専門\n\
               s1,2025,後期,解析学,Analysis,2,B,専門\n";

    let sent_to = upload_file(&app, "grades", csv).await;
    let upload = upload_id(&sent_to);
    let (status, page) = app.get(&sent_to).await;
    let as_registry = app
        .call(
            "staff/import_apply",
            &[("tenant", TENANT), ("upload", &upload)],
        )
        .await;
    let form = [("tenant", TENANT), ("upload", &upload), ("kind", "grades")];
    let applied = app.call("staff/import_apply", &form).await;
    let again = app.call("staff/import_apply", &form).await;

    assert!(sent_to.ends_with("&kind=grades"), "{sent_to}");
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("1人の成績を、このファイルの2件で置き換えます") && page.contains("s1: 0 → 2"),
        "{page}"
    );
    assert_eq!(
        as_registry.error(),
        AppError::Refused(domain::i18n::StaffMsg::ImportGone.into()),
        "a grade upload is not a registry's"
    );
    let done = format!(
        "{}?done=grades&students=1&results=2",
        Page::StaffImport.href(TENANT)
    );
    assert_eq!(applied.location(), Some(done.as_str()), "{}", applied.body);
    assert_eq!(
        again.error(),
        AppError::Refused(domain::i18n::StaffMsg::ImportGone.into())
    );
    let student = app.student_id(app.tenant_id, "s1").await;
    let results = backend::registry::results_of(&app.db, app.tenant_id, student.0).await.unwrap();
    assert_eq!(results.len(), 2);
}

#[tokio::test]
async fn a_viewer_cannot_upload_a_registry() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(&app, "viewer").await;

    let sent_to = upload_csv(&app, IMPORT_CSV).await;
    let (status, _) = app.get(&Page::StaffImport.href(TENANT)).await;

    assert_eq!(sent_to, "status 403 Forbidden");
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_upload_never_redirects_to_an_address_made_of_its_path() {
    let app = TestApp::spawn().await;

    let response = app
        .client
        .post(app.url("/%2F%2Fevil.example/staff/import"))
        .header("origin", &app.base)
        .header("content-type", "multipart/form-data; boundary=b")
        .body("--b--\r\n")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers().get("location").is_none());
}

#[tokio::test]
async fn a_clerk_takes_a_posted_application_from_the_queue_to_sent_and_the_student_sees_the_tracking_number(
) {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    app.login("s1", PASSWORD, SECOND_PASSWORD).await.expect_page(Page::Home);
    let number = fresh_application(&app, "post", 1).await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let mails_before = app.smtp().mails_to("s1@example.ac.jp").len();
    let act = |action: &'static str, tracking: &'static str| {
        let number = number.clone();
        let app = &app;
        async move {
            let form = [
                ("tenant", TENANT),
                ("number", number.as_str()),
                ("action", action),
                ("tracking", tracking),
            ];
            app.call("staff/application_action", &form).await
        }
    };

    let (_, queue) = app
        .get(&format!(
            "{}?status=accepted",
            Page::StaffApplications.href(TENANT)
        ))
        .await;
    let started = act("start", "").await;
    let bad_tracking = act("send", "no").await;
    let sent = act("send", "EJ123456789JP").await;
    let again = act("start", "").await;
    let (_, staff_page) = app
        .get(&format!(
            "{}?no={number}",
            Page::StaffApplication.href(TENANT)
        ))
        .await;
    let (_, student_page) = app
        .get(&format!(
            "{}?no={number}",
            Page::CertificatesApplication.href(TENANT)
        ))
        .await;

    assert!(queue.contains(&number), "{queue}");
    assert!(queue.contains("山田 花子"));
    assert_eq!(
        started.location(),
        Some(
            format!(
                "{}?no={number}&done=processing",
                Page::StaffApplication.href(TENANT)
            )
            .as_str()
        )
    );
    assert_eq!(
        bad_tracking.error(),
        AppError::invalid(
            app::error::Field::Tracking,
            domain::i18n::FieldMsg::TrackingInvalid
        )
    );
    assert!(sent.location().is_some_and(|l| l.ends_with("&done=sent")));
    assert_eq!(
        again.error(),
        AppError::Refused(domain::i18n::CertificateMsg::ChangedMeanwhile.into())
    );
    assert!(staff_page.contains("EJ123456789JP"));
    assert!(student_page.contains("発送済"));
    assert!(student_page.contains("EJ123456789JP"));
    let mail = app.smtp().wait_for("s1@example.ac.jp", mails_before + 2).await;
    assert!(
        mail.text().contains("追跡番号: EJ123456789JP"),
        "{}",
        mail.text()
    );
}

#[tokio::test]
async fn a_viewer_reads_the_queue_but_moves_nothing() {
    let app = TestApp::spawn().await;
    let number = fresh_application(&app, "pickup", 1).await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(&app, "viewer").await;

    let (status, page) = app
        .get(&format!(
            "{}?no={number}",
            Page::StaffApplication.href(TENANT)
        ))
        .await;
    let refused = app
        .call(
            "staff/application_action",
            &[
                ("tenant", TENANT),
                ("number", &number),
                ("action", "cancel"),
                ("reason", "試し"),
            ],
        )
        .await;

    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("この申請に行える処理はありません"));
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let (_, after) = app
        .get(&format!(
            "{}?no={number}",
            Page::StaffApplication.href(TENANT)
        ))
        .await;
    assert!(after.contains("受付済"));
}

#[tokio::test]
async fn the_days_post_downloads_as_csv_with_its_addresses_for_staff_only() {
    let app = TestApp::spawn().await;
    let posted = fresh_application(&app, "post", 1).await;
    let collected = fresh_application(&app, "pickup", 2).await;
    let csv_path = format!(
        "/{TENANT}/{}?status=accepted&delivery=post",
        app::routes::STAFF_APPLICATIONS_CSV
    );
    let (before_sign_in, _) = app.get(&csv_path).await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;

    let response = app.client.get(app.url(&csv_path)).send().await.unwrap();
    let headers = response.headers().clone();
    let csv = response.text().await.unwrap();

    assert_ne!(before_sign_in, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains(&posted), "{csv}");
    assert!(
        csv.contains("〒113-0033 東京都文京区本郷7-3-1 山田 花子 様"),
        "{csv}"
    );
    assert!(!csv.contains(&collected));
}

/// A clerk's action on application `number` through the console's form.
async fn act_on(app: &TestApp, number: &str, action: &str) -> ServerFnAnswer {
    let form = [("tenant", TENANT), ("number", number), ("action", action)];
    app.call("staff/application_action", &form).await
}

/// A GET of `path` as the browser's download: status, content type, cache rule, body.
async fn download(app: &TestApp, path: &str) -> (StatusCode, String, String, Vec<u8>) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, cache) = (header("content-type"), header("cache-control"));
    let status = response.status();
    (
        status,
        content_type,
        cache,
        response.bytes().await.unwrap().to_vec(),
    )
}

#[tokio::test]
async fn an_issued_pdf_downloads_for_its_student_and_the_office_and_for_nobody_else() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    app.login("s1", PASSWORD, SECOND_PASSWORD).await.expect_page(Page::Home);
    let number = fresh_application(&app, "pdf", 1).await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let pdf = |line: usize| {
        format!(
            "/{TENANT}/{}?no={number}&line={line}",
            app::routes::CERTIFICATE_PDF
        )
    };
    let (before_issue, ..) = download(&app, &pdf(1)).await;
    act_on(&app, &number, "start").await;

    let issued = act_on(&app, &number, "issue").await;
    let (status, content_type, cache, body) = download(&app, &pdf(1)).await;
    let (second_line, ..) = download(&app, &pdf(2)).await;
    let (not_a_line, ..) = download(&app, &pdf(0)).await;
    let staff_path = format!(
        "/{TENANT}/{}?no={number}&line=1",
        app::routes::STAFF_CERTIFICATE_PDF
    );
    let (for_office, office_type, ..) = download(&app, &staff_path).await;
    let (_, student_page) = app
        .get(&format!(
            "{}?no={number}",
            Page::CertificatesApplication.href(TENANT)
        ))
        .await;

    assert_eq!(before_issue, StatusCode::NOT_FOUND);
    assert!(issued.location().is_some_and(|l| l.ends_with("&done=issued")));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/pdf");
    assert_eq!(cache, "no-store");
    assert!(
        body.starts_with(b"%PDF-"),
        "{}",
        String::from_utf8_lossy(&body[..16])
    );
    assert_eq!(second_line, StatusCode::NOT_FOUND);
    assert_eq!(not_a_line, StatusCode::NOT_FOUND);
    assert_eq!(for_office, StatusCode::OK);
    assert_eq!(office_type, "application/pdf");
    assert!(student_page.contains("PDFをダウンロード"), "{student_page}");
    assert!(student_page.contains(&format!("no={number}&amp;line=1")));
}

#[tokio::test]
async fn another_students_certificate_is_not_found_by_changing_the_number() {
    let app = TestApp::spawn().await;
    // s1's application, issued beside the server; s2 signs in and asks for it.
    let number = fresh_application(&app, "pdf", 1).await;
    issue_beside_the_server(&app, &number).await;
    app.complete_first_login("s2", "s2@example.ac.jp").await;
    app.login("s2", PASSWORD, SECOND_PASSWORD).await.expect_page(Page::Home);

    let path = format!(
        "/{TENANT}/{}?no={number}&line=1",
        app::routes::CERTIFICATE_PDF
    );
    let (by_s2, _, _, body) = download(&app, &path).await;
    let staff_path = format!(
        "/{TENANT}/{}?no={number}&line=1",
        app::routes::STAFF_CERTIFICATE_PDF
    );
    let (student_at_staff_address, ..) = download(&app, &staff_path).await;

    assert_eq!(by_s2, StatusCode::NOT_FOUND);
    assert!(!body.starts_with(b"%PDF"));
    // A student's session is no staff session: the staff address sends it to sign in.
    assert_ne!(student_at_staff_address, StatusCode::OK);
}

#[tokio::test]
async fn a_name_no_font_can_print_stops_the_issue_with_the_character_named() {
    let app = TestApp::spawn().await;
    let number = fresh_application(&app, "pdf", 1).await;
    let renamed = format!("user_id,name,status,password\ns1,𠮷田 花子,enrolled,{PASSWORD}\n");
    backend::registry::import_csv(&app.db, app.tenant_id, renamed.as_bytes())
        .await
        .unwrap();
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    act_on(&app, &number, "start").await;

    let refused = act_on(&app, &number, "issue").await;

    assert_eq!(
        refused.error(),
        AppError::RefusedNaming {
            msg: domain::i18n::CertificateMsg::IssueUnprintable.into(),
            detail: ["「𠮷」(U+20BB7)".to_owned(), "「𠮷」(U+20BB7)".to_owned()],
        }
    );
    let (_, page) = app
        .get(&format!(
            "{}?no={number}",
            Page::StaffApplication.href(TENANT)
        ))
        .await;
    assert!(page.contains("処理中"), "{page}");
    let (status, ..) = download(
        &app,
        &format!(
            "/{TENANT}/{}?no={number}&line=1",
            app::routes::STAFF_CERTIFICATE_PDF
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_admin_closes_and_reopens_a_day_in_the_console_each_audited_and_a_clerk_may_not() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let tomorrow = (chrono_today() + chrono::Days::new(1)).format("%Y-%m-%d").to_string();
    let close = |day: String| {
        let app = &app;
        async move {
            let form = [
                ("tenant", TENANT),
                ("day", day.as_str()),
                ("note", "臨時休業"),
            ];
            app.call("staff/close_day", &form).await
        }
    };

    let (_, clerk_page) = app.get(&Page::StaffCalendar.href(TENANT)).await;
    let by_clerk = close(tomorrow.clone()).await;
    give_role(&app, "admin").await;
    let by_admin = close(tomorrow.clone()).await;
    let twice = close(tomorrow.clone()).await;
    let past = close("2020-01-06".to_owned()).await;
    let (_, admin_page) = app.get(&Page::StaffCalendar.href(TENANT)).await;
    let reopened = app
        .call(
            "staff/reopen_day",
            &[("tenant", TENANT), ("day", tomorrow.as_str())],
        )
        .await;
    let (_, after) = app.get(&Page::StaffCalendar.href(TENANT)).await;

    assert!(clerk_page.contains("休業日カレンダー"), "{clerk_page}");
    assert!(!clerk_page.contains("休業日を追加する"));
    assert_eq!(by_clerk.status, StatusCode::FORBIDDEN, "{}", by_clerk.body);
    assert!(by_admin.location().is_some_and(|l| l.ends_with("?done=closed")));
    assert_eq!(
        twice.error(),
        AppError::Refused(domain::i18n::CertificateMsg::ClosureTwice.into())
    );
    assert_eq!(
        past.error(),
        AppError::Refused(domain::i18n::CertificateMsg::ClosurePast.into())
    );
    assert!(
        admin_page.contains(&tomorrow) && admin_page.contains("臨時休業"),
        "{admin_page}"
    );
    assert!(reopened.location().is_some_and(|l| l.ends_with("?done=reopened")));
    assert!(!after.contains("臨時休業"));
    let (_, audit) = app.get(&Page::StaffAudit.href(TENANT)).await;
    assert!(audit.contains("休業日カレンダーの変更"), "{audit}");
}

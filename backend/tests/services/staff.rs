//! Staff accounts, sign-in with a second factor, sessions and roles.

use backend::platform::audit::{self, Actor};
use backend::staff::totp::{TotpSecret, STEP_SECONDS};
use backend::staff::{NewStaff, PendingFactor, SignIn, Staff, StaffError, StaffPolicy, StaffStage};
use backend::tenancy::{self, NewTenant};
use backend::testing::{at_once, World};
use domain::{LinkState, StaffMember, StaffRole};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";

struct Office {
    world: World,
    staff: Staff,
}

/// A member who has set a password and an authenticator.
struct Member {
    id: i32,
    login_id: String,
    secret: TotpSecret,
    recovery_codes: Vec<SecretString>,
    session: SecretString,
}

fn actor() -> Actor {
    Actor::new("198.51.100.4".to_owned(), "test")
}

impl Office {
    async fn new() -> Self {
        let world = World::new().await;
        let staff = Staff {
            db: world.db.clone(),
            clock: world.clock.clone(),
            passwords: world.accounts.passwords.clone(),
            throttle: world.accounts.settings.login_throttle.clone(),
            policy: StaffPolicy::default(),
            outbox: world.accounts.outbox.clone(),
            set_up_page: Arc::new(|slug| format!("http://shomei.test/{slug}/staff/setup")),
        };
        Self { world, staff }
    }

    fn tenant(&self) -> i32 {
        self.world.tenant.id
    }

    fn now(&self) -> i64 {
        self.world.clock.now_ms()
    }

    /// The code the member's authenticator shows now.
    fn code(&self, secret: &TotpSecret) -> String {
        secret.code_at_step(self.now() / 1000 / STEP_SECONDS)
    }

    async fn add(&self, tenant_id: i32, login_id: &str, role: StaffRole) -> (i32, SecretString) {
        let link = self
            .staff
            .add(
                None,
                &actor(),
                NewStaff {
                    tenant_id,
                    login_id,
                    name: "教務 一郎",
                    email: &format!("{login_id}@staff.example.ac.jp"),
                    role,
                },
            )
            .await
            .unwrap();
        (link.staff_id, link.token)
    }

    async fn sign_in(
        &self,
        login_id: &str,
        password: &str,
        code: &str,
    ) -> Result<backend::staff::SignedIn, StaffError> {
        self.sign_in_at(self.tenant(), login_id, password, code).await
    }

    async fn sign_in_at(
        &self,
        tenant_id: i32,
        login_id: &str,
        password: &str,
        code: &str,
    ) -> Result<backend::staff::SignedIn, StaffError> {
        self.staff
            .sign_in(
                &actor(),
                SignIn {
                    tenant_id,
                    login_id,
                    password: SecretString::from(password.to_owned()),
                    code,
                    old_session: None,
                },
            )
            .await
    }

    /// The authenticator to set up for the set-up session `raw` at university `tenant_id`.
    async fn pending_factor(&self, tenant_id: i32, raw: &str) -> PendingFactor {
        let tenant = tenancy::find_by_id(&self.world.db, tenant_id).await.unwrap().unwrap();
        self.staff.pending_factor(&tenant, raw).await.unwrap()
    }

    /// Adds a member and walks them through the set-up link and the authenticator.
    async fn member_at(&self, tenant_id: i32, login_id: &str, role: StaffRole) -> Member {
        let (id, token) = self.add(tenant_id, login_id, role).await;
        self.staff
            .set_password(&actor(), tenant_id, token.expose_secret(), PASSWORD.into())
            .await
            .unwrap();
        let first = self.sign_in_at(tenant_id, login_id, PASSWORD, "").await.unwrap();
        let raw = first.session.expose_secret().to_owned();
        let pending = self.pending_factor(tenant_id, &raw).await;
        let secret = TotpSecret::from_base32(pending.secret.expose_secret()).unwrap();
        let enabled = self
            .staff
            .confirm_factor(&actor(), tenant_id, &raw, &self.code(&secret))
            .await
            .unwrap();
        let recovery_codes = self
            .staff
            .take_recovery_codes(tenant_id, enabled.session.expose_secret())
            .await
            .unwrap()
            .unwrap();
        // The next code belongs to the next step: the one just used is spent.
        self.world.advance(Duration::from_secs(STEP_SECONDS as u64));
        Member {
            id,
            login_id: login_id.to_owned(),
            secret,
            recovery_codes,
            session: enabled.session,
        }
    }

    async fn member(&self, login_id: &str, role: StaffRole) -> Member {
        self.member_at(self.tenant(), login_id, role).await
    }

    async fn acting(&self, member: &Member) -> StaffMember {
        let (acting, stage) = self
            .staff
            .session(self.tenant(), member.session.expose_secret())
            .await
            .unwrap()
            .expect("a live session");
        assert_eq!(stage, StaffStage::SignedIn);
        acting
    }

    async fn events(&self, tenant_id: i32, code: &str) -> usize {
        let events = audit::recent(&self.world.db, tenant_id, 200).await.unwrap();
        events.iter().filter(|e| e.event == code).count()
    }
}

#[tokio::test]
async fn a_new_member_chooses_a_password_then_sets_up_the_authenticator_and_sees_ten_recovery_codes_once(
) {
    let office = Office::new().await;
    let (_, token) = office.add(office.tenant(), "kyomu01", StaffRole::Clerk).await;
    let tenant = office.tenant();

    office
        .staff
        .set_password(&actor(), tenant, token.expose_secret(), PASSWORD.into())
        .await
        .unwrap();
    let first = office.sign_in("KYOMU01", PASSWORD, "").await.unwrap();
    let raw = first.session.expose_secret().to_owned();
    let pending = office.pending_factor(tenant, &raw).await;
    let again = office.pending_factor(tenant, &raw).await;
    let secret = TotpSecret::from_base32(pending.secret.expose_secret()).unwrap();
    let enabled = office
        .staff
        .confirm_factor(&actor(), tenant, &raw, &office.code(&secret))
        .await
        .unwrap();
    let session = enabled.session.expose_secret();
    let before_codes = office.staff.session(tenant, session).await.unwrap();
    let codes = office.staff.take_recovery_codes(tenant, session).await.unwrap();
    let shown_again = office.staff.take_recovery_codes(tenant, session).await.unwrap();

    assert_eq!(first.stage, StaffStage::SecondFactorSetup);
    assert_eq!(again.secret.expose_secret(), pending.secret.expose_secret());
    assert!(pending.uri.expose_secret().starts_with("otpauth://totp/"));
    assert_eq!(enabled.stage, StaffStage::RecoveryCodes);
    assert_eq!(
        before_codes.map(|(_, stage)| stage),
        Some(StaffStage::RecoveryCodes)
    );
    assert_eq!(codes.map(|codes| codes.len()), Some(10));
    assert!(shown_again.is_none());
    // The set-up session gave way to a new one.
    assert!(office.staff.session(tenant, &raw).await.unwrap().is_none());
    let (member, stage) = office.staff.session(tenant, session).await.unwrap().unwrap();
    assert_eq!(
        (member.login_id.as_str(), member.role, stage),
        ("kyomu01", StaffRole::Clerk, StaffStage::SignedIn)
    );
    assert_eq!(office.world.count_rows("staff_recovery_codes").await, 10);
}

#[tokio::test]
async fn the_set_up_link_is_mailed_to_the_new_member_and_its_token_is_the_links() {
    let office = Office::new().await;

    let (_, token) = office.add(office.tenant(), "kyomu01", StaffRole::Clerk).await;

    let mails = backend::platform::outbox::newest(&office.world.db, 1).await.unwrap();
    assert_eq!(mails[0].recipient, "kyomu01@staff.example.ac.jp");
    assert!(mails[0].body_text.contains("http://shomei.test/test-u/staff/setup?token="));
    assert!(mails[0].body_text.contains("kyomu01"));
    assert_eq!(office.world.last_link_token().await, token.expose_secret());
}

#[tokio::test]
async fn a_set_up_link_works_once_and_a_short_password_is_refused_without_using_it() {
    let office = Office::new().await;
    let (_, token) = office.add(office.tenant(), "kyomu01", StaffRole::Clerk).await;
    let tenant = office.tenant();
    let raw = token.expose_secret();

    let short = office.staff.set_password(&actor(), tenant, raw, "short".into()).await;
    let first = office.staff.set_password(&actor(), tenant, raw, PASSWORD.into()).await;
    let second = office.staff.set_password(&actor(), tenant, raw, PASSWORD.into()).await;

    assert!(matches!(short, Err(StaffError::Invalid { .. })));
    assert_eq!(first, Ok(()));
    assert_eq!(second, Err(StaffError::LinkUnusable(LinkState::Used)));
}

#[tokio::test]
async fn a_set_up_link_of_another_university_is_unknown_here() {
    let office = Office::new().await;
    let other = tenancy::add(
        &office.world.db,
        NewTenant {
            slug: "other".to_owned(),
            name: "他大学".to_owned(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (_, token) = office.add(other.id, "kyomu01", StaffRole::Admin).await;

    let state = office.staff.set_up_link_state(office.tenant(), token.expose_secret()).await;

    assert_eq!(state, Ok(LinkState::Unknown));
}

#[tokio::test]
async fn every_wrong_input_gets_the_one_answer_and_counts_towards_the_delay() {
    let office = Office::new().await;
    let member = office.member("kyomu01", StaffRole::Clerk).await;
    let other = office.member("kyomu02", StaffRole::Clerk).await;
    let right = office.code(&member.secret);

    let other_recovery = other.recovery_codes[0].expose_secret().to_owned();
    let wrong = [
        ("wrong password!!", right.clone()),
        (PASSWORD, "000000".to_owned()),
        (PASSWORD, office.code(&other.secret)),
        (PASSWORD, other_recovery),
        (PASSWORD, String::new()),
    ];
    let mut answers = Vec::new();
    for (password, code) in &wrong {
        answers.push(office.sign_in("kyomu01", password, code).await);
    }
    answers.push(office.sign_in("nobody", PASSWORD, &right).await);
    let delayed = office.sign_in("kyomu01", PASSWORD, &right).await;

    for answer in &answers {
        assert_eq!(answer.as_ref().err(), Some(&StaffError::WrongCredentials));
    }
    // Four failures are free; the fifth starts a delay that the right code waits out too.
    assert_eq!(delayed.err(), Some(StaffError::SignInDelayed));
    assert_eq!(
        office.events(office.tenant(), "staff_sign_in_failed").await,
        6
    );
    assert_eq!(
        office.events(office.tenant(), "staff_sign_in_throttled").await,
        1
    );
}

#[tokio::test]
async fn the_delay_ends_by_itself_so_guessing_cannot_lock_a_member_out() {
    let office = Office::new().await;
    let member = office.member("kyomu01", StaffRole::Clerk).await;
    for _ in 0..6 {
        let _ = office.sign_in("kyomu01", "wrong password!!", "000000").await;
    }

    office.world.advance(Duration::from_secs(16 * 60));
    let signed_in = office.sign_in("kyomu01", PASSWORD, &office.code(&member.secret)).await;

    assert!(signed_in.is_ok());
}

#[tokio::test]
async fn a_code_is_accepted_once_even_when_sent_twice_at_once() {
    let office = Arc::new(Office::new().await);
    let member = office.member("kyomu01", StaffRole::Clerk).await;
    let code = office.code(&member.secret);

    let answers = at_once(4, |_| {
        let (office, code) = (office.clone(), code.clone());
        async move { office.sign_in("kyomu01", PASSWORD, &code).await.is_ok() }
    })
    .await;
    let later = office.sign_in("kyomu01", PASSWORD, &code).await;

    assert_eq!(answers.iter().filter(|ok| **ok).count(), 1, "{answers:?}");
    assert_eq!(later.err(), Some(StaffError::WrongCredentials));
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() {
    let office = Office::new().await;
    let member = office.member("kyomu01", StaffRole::Clerk).await;
    let code = member.recovery_codes[3].expose_secret().to_uppercase();

    let first = office.sign_in("kyomu01", PASSWORD, &code).await;
    let second = office.sign_in("kyomu01", PASSWORD, &code).await;

    assert_eq!(first.map(|s| s.stage).ok(), Some(StaffStage::SignedIn));
    assert_eq!(second.err(), Some(StaffError::WrongCredentials));
}

#[tokio::test]
async fn a_setup_session_opens_no_console_and_cannot_skip_the_authenticator() {
    let office = Office::new().await;
    let (_, token) = office.add(office.tenant(), "kyomu01", StaffRole::Admin).await;
    let tenant = office.tenant();
    office
        .staff
        .set_password(&actor(), tenant, token.expose_secret(), PASSWORD.into())
        .await
        .unwrap();
    let first = office.sign_in("kyomu01", PASSWORD, "").await.unwrap();
    let raw = first.session.expose_secret();
    office.pending_factor(tenant, raw).await;

    let wrong = office.staff.confirm_factor(&actor(), tenant, raw, "000000").await;
    let (_, stage) = office.staff.session(tenant, raw).await.unwrap().unwrap();

    assert_eq!(wrong.err(), Some(StaffError::WrongCredentials));
    assert_eq!(stage, StaffStage::SecondFactorSetup);
}

#[tokio::test]
async fn staff_sessions_end_after_15_idle_minutes_and_after_8_hours() {
    let office = Office::new().await;
    let member = office.member("kyomu01", StaffRole::Clerk).await;
    let raw = member.session.expose_secret();
    let tenant = office.tenant();

    office.world.advance(Duration::from_secs(14 * 60));
    let still = office.staff.session(tenant, raw).await.unwrap();
    office.world.advance(Duration::from_secs(16 * 60));
    let idle = office.staff.session(tenant, raw).await.unwrap();
    let busy = office.sign_in("kyomu01", PASSWORD, &office.code(&member.secret)).await.unwrap();
    for _ in 0..34 {
        office.world.advance(Duration::from_secs(14 * 60 + 30));
        office.staff.session(tenant, busy.session.expose_secret()).await.unwrap();
    }
    let after_8_hours = office.staff.session(tenant, busy.session.expose_secret()).await.unwrap();

    assert!(still.is_some());
    assert!(idle.is_none());
    assert!(after_8_hours.is_none());
}

#[tokio::test]
async fn a_viewer_or_clerk_cannot_manage_staff_and_the_refusal_is_audited() {
    let office = Office::new().await;
    let viewer = office.member("etsuran", StaffRole::Viewer).await;
    let clerk = office.member("kyomu01", StaffRole::Clerk).await;
    let tenant = office.tenant();

    for member in [&viewer, &clerk] {
        let acting = office.acting(member).await;
        let listed = office.staff.list(&acting, &actor(), tenant).await;
        let raised = office
            .staff
            .change_role(&acting, &actor(), tenant, member.id, StaffRole::Admin)
            .await;
        assert_eq!(listed.err(), Some(StaffError::Forbidden));
        assert_eq!(raised.err(), Some(StaffError::Forbidden));
    }

    let (_, role) = office
        .staff
        .session(tenant, clerk.session.expose_secret())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(role, StaffStage::SignedIn);
    assert_eq!(office.acting(&clerk).await.role, StaffRole::Clerk);
    assert_eq!(office.events(tenant, "staff_forbidden").await, 4);
}

#[tokio::test]
async fn an_admin_of_one_university_can_do_nothing_at_another() {
    let office = Office::new().await;
    let other = tenancy::add(
        &office.world.db,
        NewTenant {
            slug: "other".to_owned(),
            name: "他大学".to_owned(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let admin = office.member("admin", StaffRole::Admin).await;
    let theirs = office.member_at(other.id, "kyomu01", StaffRole::Clerk).await;
    let acting = office.acting(&admin).await;

    let listed = office.staff.list(&acting, &actor(), other.id).await;
    let disabled = office.staff.disable(Some(&acting), &actor(), other.id, theirs.id).await;
    // Their member's id at our university names no one here.
    let by_id_here =
        office.staff.disable(Some(&acting), &actor(), office.tenant(), theirs.id).await;
    // Our session is no session at their university.
    let session_there =
        office.staff.session(other.id, admin.session.expose_secret()).await.unwrap();
    let still_theirs =
        office.staff.session(other.id, theirs.session.expose_secret()).await.unwrap();

    assert_eq!(listed.err(), Some(StaffError::Forbidden));
    assert_eq!(disabled.err(), Some(StaffError::Forbidden));
    assert_eq!(by_id_here.err(), Some(StaffError::UnknownMember));
    assert!(session_there.is_none());
    assert!(still_theirs.is_some());
}

#[tokio::test]
async fn a_disabled_member_is_signed_out_and_cannot_sign_in_again() {
    let office = Office::new().await;
    let admin = office.member("admin", StaffRole::Admin).await;
    let leaver = office.member("kyomu01", StaffRole::Clerk).await;
    let acting = office.acting(&admin).await;
    let tenant = office.tenant();

    office.staff.disable(Some(&acting), &actor(), tenant, leaver.id).await.unwrap();
    let session = office.staff.session(tenant, leaver.session.expose_secret()).await.unwrap();
    let again = office.sign_in(&leaver.login_id, PASSWORD, &office.code(&leaver.secret)).await;

    assert!(session.is_none());
    assert_eq!(again.err(), Some(StaffError::WrongCredentials));
    assert_eq!(office.world.count_rows("staff_members").await, 2);
}

#[tokio::test]
async fn a_role_change_ends_the_members_sessions_so_it_holds_at_once() {
    let office = Office::new().await;
    let admin = office.member("admin", StaffRole::Admin).await;
    let clerk = office.member("kyomu01", StaffRole::Clerk).await;
    let acting = office.acting(&admin).await;
    let tenant = office.tenant();

    office
        .staff
        .change_role(&acting, &actor(), tenant, clerk.id, StaffRole::Viewer)
        .await
        .unwrap();
    let old_session = office.staff.session(tenant, clerk.session.expose_secret()).await.unwrap();
    let again = office.sign_in("kyomu01", PASSWORD, &office.code(&clerk.secret)).await.unwrap();
    let (member, _) = office
        .staff
        .session(tenant, again.session.expose_secret())
        .await
        .unwrap()
        .unwrap();

    assert!(old_session.is_none());
    assert_eq!(member.role, StaffRole::Viewer);
}

#[tokio::test]
async fn a_reset_second_factor_voids_the_old_authenticator_and_recovery_codes() {
    let office = Office::new().await;
    let admin = office.member("admin", StaffRole::Admin).await;
    let lost = office.member("kyomu01", StaffRole::Clerk).await;
    let acting = office.acting(&admin).await;
    let tenant = office.tenant();

    let link = office
        .staff
        .reset_second_factor(Some(&acting), &actor(), tenant, lost.id)
        .await
        .unwrap();
    let with_old_code = office.sign_in("kyomu01", PASSWORD, &office.code(&lost.secret)).await;
    let with_recovery = office
        .sign_in("kyomu01", PASSWORD, lost.recovery_codes[0].expose_secret())
        .await;
    office
        .staff
        .set_password(
            &actor(),
            tenant,
            link.token.expose_secret(),
            "another long password".into(),
        )
        .await
        .unwrap();
    let after_setup = office.sign_in("kyomu01", "another long password", "").await.unwrap();

    assert_eq!(with_old_code.err(), Some(StaffError::WrongCredentials));
    assert_eq!(with_recovery.err(), Some(StaffError::WrongCredentials));
    assert_eq!(after_setup.stage, StaffStage::SecondFactorSetup);
    assert_eq!(office.world.count_rows("staff_recovery_codes").await, 10);
}

#[tokio::test]
async fn a_login_id_is_unique_per_university_without_case() {
    let office = Office::new().await;
    office.add(office.tenant(), "kyomu01", StaffRole::Clerk).await;

    let again = office
        .staff
        .add(
            None,
            &actor(),
            NewStaff {
                tenant_id: office.tenant(),
                login_id: "KYOMU01",
                name: "教務 二郎",
                email: "two@staff.example.ac.jp",
                role: StaffRole::Viewer,
            },
        )
        .await;

    assert_eq!(again.err(), Some(StaffError::LoginIdTaken));
    assert_eq!(office.world.count_rows("staff_setup_links").await, 1);
}

#[tokio::test]
async fn an_admin_can_neither_disable_nor_demote_themselves() {
    let office = Office::new().await;
    let admin = office.member("kanri", StaffRole::Admin).await;
    let tenant = office.tenant();
    let acting = office.acting(&admin).await;

    let demoted = office
        .staff
        .change_role(&acting, &actor(), tenant, admin.id, StaffRole::Viewer)
        .await;
    let disabled = office.staff.disable(Some(&acting), &actor(), tenant, admin.id).await;

    assert_eq!(demoted.err(), Some(StaffError::OwnAccount));
    assert_eq!(disabled.err(), Some(StaffError::OwnAccount));
    assert_eq!(office.acting(&admin).await.role, StaffRole::Admin);
}

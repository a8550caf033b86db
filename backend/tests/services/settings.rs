//! A university's settings in the staff console: read by any member, changed by admins, each
//! change checked whole before anything is written and audited with before and after.

use backend::entities::tenant;
use backend::platform::audit::{self, Actor};
use backend::tenancy::settings::{self, SettingsError, SettingsField, UniversitySettings};
use backend::testing::World;
use domain::i18n::FieldMsg;
use domain::{StaffMember, StaffRole};
use sea_orm::EntityTrait;

fn member(tenant_id: i32, role: StaffRole) -> StaffMember {
    StaffMember {
        id: 52,
        tenant_id,
        login_id: "kanri".to_owned(),
        role,
    }
}

fn actor() -> Actor {
    Actor::new("198.51.100.9".to_owned(), "test")
}

async fn current(world: &World) -> UniversitySettings {
    let admin = member(world.tenant.id, StaffRole::Admin);
    settings::read(&world.db, (&admin, &actor()), world.tenant.id).await.unwrap()
}

async fn row(world: &World) -> tenant::Model {
    tenant::Entity::find_by_id(world.tenant.id)
        .one(&world.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn an_admin_changes_the_settings_and_the_log_holds_each_change_before_and_after() {
    let world = World::new().await;
    let admin = member(world.tenant.id, StaffRole::Admin);
    let largest_before = row(&world).await.top_up_max.to_string();
    let new = UniversitySettings {
        name_en: "Test University".to_owned(),
        helpdesk_ja: "  学生課 窓口\r\n内線 1234  ".to_owned(),
        top_up_max: 20_000,
        link_minutes: Some(30),
        portal_origins: "https://portal.test-u.ac.jp/\nhttp://127.0.0.1:8080".to_owned(),
        ..current(&world).await
    };

    let changed = settings::save(&world.db, (&admin, &actor()), world.tenant.id, new).await;

    let changed = changed.unwrap();
    assert_eq!(
        changed,
        [
            "name_en",
            "helpdesk_ja",
            "top_up_max",
            "link_minutes",
            "portal_origins"
        ]
    );
    let saved = row(&world).await;
    assert_eq!(saved.helpdesk_ja.as_deref(), Some("学生課 窓口\n内線 1234"));
    assert_eq!(saved.token_ttl_seconds, Some(1800));
    assert_eq!(
        saved.portal_origins.as_deref(),
        Some("https://portal.test-u.ac.jp http://127.0.0.1:8080")
    );
    let events = audit::recent(&world.db, world.tenant.id, 5).await.unwrap();
    let event = events.iter().find(|e| e.event == "university_settings_changed").unwrap();
    assert_eq!(event.staff_id, Some(52));
    let detail: serde_json::Value = serde_json::from_str(event.detail.as_deref().unwrap()).unwrap();
    let before_after = &detail["changed"]["top_up_max"];
    assert_eq!(before_after, &serde_json::json!([largest_before, "20000"]));
}

#[tokio::test]
async fn bad_settings_are_refused_by_field_and_nothing_is_written_or_logged() {
    let world = World::new().await;
    let admin = member(world.tenant.id, StaffRole::Admin);
    let base = current(&world).await;
    let before = row(&world).await;
    let cases = [
        (
            UniversitySettings {
                name: "  ".into(),
                ..base.clone()
            },
            SettingsField::Name,
            FieldMsg::Required,
        ),
        (
            UniversitySettings {
                portal_origins: "https://portal.example/login".into(),
                ..base.clone()
            },
            SettingsField::PortalOrigins,
            FieldMsg::OriginInvalid,
        ),
        (
            UniversitySettings {
                card_name: "M.I.C\u{7}".into(),
                ..base.clone()
            },
            SettingsField::CardName,
            FieldMsg::ControlCharacters,
        ),
        (
            UniversitySettings {
                top_up_max: base.top_up_min - 1,
                ..base.clone()
            },
            SettingsField::TopUpMax,
            FieldMsg::LimitsOrder,
        ),
        (
            UniversitySettings {
                link_minutes: Some(0),
                ..base.clone()
            },
            SettingsField::LinkMinutes,
            FieldMsg::LinkMinutesRange,
        ),
        (
            UniversitySettings {
                notes_en: "x".repeat(4001),
                ..base.clone()
            },
            SettingsField::NotesEn,
            FieldMsg::TooLong,
        ),
    ];

    for (bad, field, msg) in cases {
        let refused = settings::save(&world.db, (&admin, &actor()), world.tenant.id, bad).await;
        assert_eq!(refused.unwrap_err(), SettingsError::Invalid { field, msg });
    }

    assert_eq!(row(&world).await, before);
    let events = audit::recent(&world.db, world.tenant.id, 20).await.unwrap();
    assert!(!events.iter().any(|e| e.event == "university_settings_changed"));
}

#[tokio::test]
async fn html_in_a_help_desk_text_is_kept_as_text() {
    let world = World::new().await;
    let admin = member(world.tenant.id, StaffRole::Admin);
    let new = UniversitySettings {
        helpdesk_ja: "<script>alert(1)</script> 学生課".to_owned(),
        ..current(&world).await
    };

    settings::save(&world.db, (&admin, &actor()), world.tenant.id, new)
        .await
        .unwrap();

    let saved = row(&world).await.helpdesk_ja;
    assert_eq!(saved.as_deref(), Some("<script>alert(1)</script> 学生課"));
}

#[tokio::test]
async fn a_clerk_reads_the_settings_but_cannot_change_them_and_is_audited() {
    let world = World::new().await;
    let clerk = member(world.tenant.id, StaffRole::Clerk);
    let before = row(&world).await;

    let read = settings::read(&world.db, (&clerk, &actor()), world.tenant.id).await;
    let new = UniversitySettings {
        card_name: "M.I.C".into(),
        ..read.clone().unwrap()
    };
    let saved = settings::save(&world.db, (&clerk, &actor()), world.tenant.id, new).await;

    assert!(read.is_ok());
    assert_eq!(saved.unwrap_err(), SettingsError::Forbidden);
    assert_eq!(row(&world).await, before);
    let events = audit::recent(&world.db, world.tenant.id, 5).await.unwrap();
    assert!(events.iter().any(|e| e.event == "staff_forbidden" && e.staff_id == Some(52)));
}

#[tokio::test]
async fn an_admin_of_another_university_can_neither_read_nor_change_them() {
    let world = World::new().await;
    let stranger = member(world.tenant.id + 1, StaffRole::Admin);
    let base = current(&world).await;

    let read = settings::read(&world.db, (&stranger, &actor()), world.tenant.id).await;
    let saved = settings::save(&world.db, (&stranger, &actor()), world.tenant.id, base).await;

    assert_eq!(read.unwrap_err(), SettingsError::Forbidden);
    assert_eq!(saved.unwrap_err(), SettingsError::Forbidden);
}

#[tokio::test]
async fn saving_unchanged_settings_writes_and_logs_nothing() {
    let world = World::new().await;
    let admin = member(world.tenant.id, StaffRole::Admin);
    let before = row(&world).await;

    let changed = settings::save(
        &world.db,
        (&admin, &actor()),
        world.tenant.id,
        current(&world).await,
    )
    .await;

    assert!(changed.unwrap().is_empty());
    assert_eq!(row(&world).await, before);
}

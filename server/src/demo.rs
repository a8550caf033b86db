//! `shomei demo`: the university `demo` with a few students, so a newcomer can walk every
//! flow on one machine.

use backend::certificates;
use backend::platform::audit::Actor;
use backend::platform::clock::now_ms;
use backend::registry::{import_csv, ImportSummary};
use backend::tenancy::{self, NewTenant};
use sea_orm::DatabaseConnection;

/// The demo university's slug.
pub const SLUG: &str = "demo";

pub struct DemoStudent {
    pub user_id: &'static str,
    pub password: &'static str,
    pub name: &'static str,
}

pub const DEMO_STUDENTS: [DemoStudent; 3] = [
    DemoStudent {
        user_id: "s2401001",
        password: "campus-Pass-1001",
        name: "山田 花子",
    },
    DemoStudent {
        user_id: "s2401002",
        password: "campus-Pass-1002",
        name: "佐藤 太郎",
    },
    DemoStudent {
        user_id: "g2201003",
        password: "campus-Pass-1003",
        name: "鈴木 一郎",
    },
];

const DEMO_CSV: &str = "\
user_id,name,name_kana,name_en,student_number,faculty,department,status,admission_date,graduation_date,card_number,password
s2401001,山田 花子,ヤマダ ハナコ,Hanako Yamada,2401001,文学部,日本文学科,enrolled,2024-04-01,,MIC2401001,campus-Pass-1001
s2401002,佐藤 太郎,サトウ タロウ,Taro Sato,2401002,理工学部,情報工学科,enrolled,2024-04-01,,MIC2401002,campus-Pass-1002
g2201003,鈴木 一郎,スズキ イチロウ,Ichiro Suzuki,2201003,経済学部,経済学科,graduated,2022-04-01,2026-03-25,MIC2201003,campus-Pass-1003
";

/// The demo university's certificate catalogue: six types, five delivery methods and the
/// office's closures (also the example of the file's format).
pub const DEMO_CATALOGUE: &str = include_str!("../../catalogues/demo.toml");

/// Creates the demo university if it is missing and (re)imports its students and catalogue.
pub async fn create(db: &DatabaseConnection) -> anyhow::Result<ImportSummary> {
    let tenant = match tenancy::find(db, SLUG).await? {
        Some(existing) => existing,
        None => tenancy::add(
            db,
            NewTenant {
                slug: SLUG.to_owned(),
                name: "デモ大学".to_owned(),
                name_en: Some("Demo University".to_owned()),
                helpdesk_ja: Some(
                    "デモ大学 学生課 証明書窓口　電話 000-0000-0000（平日 9:00〜17:00）".to_owned(),
                ),
                helpdesk_en: Some(
                    "Demo University Student Affairs, certificates desk. Phone 000-0000-0000 (weekdays 9:00–17:00 JST)".to_owned(),
                ),
                ..Default::default()
            },
        )
        .await?,
    };
    // The demo university's card is the M.I.C of the manual: `M.I.Cオンラインチャージ`.
    let changes = tenancy::TenantChanges {
        card_name: Some("M.I.C".to_owned()),
        ..Default::default()
    };
    tenancy::change(db, SLUG, changes).await?;
    let catalogue = certificates::parse(DEMO_CATALOGUE)?;
    let operator = Actor::new("operator".to_owned(), "");
    certificates::import(db, &operator, tenant.id, &catalogue, now_ms()).await?;
    Ok(import_csv(db, tenant.id, DEMO_CSV.as_bytes()).await?)
}

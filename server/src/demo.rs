//! `shomei demo`: the university `demo` with a few students, so a newcomer can walk every
//! flow on one machine.

use backend::certificates;
use backend::platform::audit::Actor;
use backend::platform::clock::now_ms;
use backend::registry::{import_csv, import_grades, ImportSummary};
use backend::tenancy::{self, NewTenant};
use chrono::Datelike;
use sea_orm::DatabaseConnection;

/// The demo university's slug.
pub const SLUG: &str = "demo";

pub struct DemoStudent {
    pub user_id: &'static str,
    pub password: &'static str,
    pub name: &'static str,
}

pub const DEMO_STUDENTS: [DemoStudent; 4] = [
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
    // In her final year: she may order 卒業見込証明書, and her check-up of this year is cleared.
    DemoStudent {
        user_id: "s2301004",
        password: "campus-Pass-1004",
        name: "高橋 美咲",
    },
];

/// The fiscal year (年度) the demo's registry and grades are written in. They are moved on by
/// the years since, so that whenever `shomei demo` runs its students are as far through their
/// studies as written here: s2301004 in her final year with this year's check-up, s2401001
/// with this year's check-up, s2401002 with last year's, g2201003 graduated last March.
const WRITTEN_IN: i32 = 2026;

const DEMO_CSV: &str = "\
user_id,name,name_kana,name_en,student_number,faculty,department,faculty_en,department_en,status,admission_date,graduation_date,degree_name,degree_name_en,health_check_year,card_number,password
s2401001,山田 花子,ヤマダ ハナコ,Hanako Yamada,2401001,文学部,日本文学科,Faculty of Letters,Department of Japanese Literature,enrolled,2024-04-01,2028-03-25,学士（文学）,Bachelor of Arts,2026,MIC2401001,campus-Pass-1001
s2401002,佐藤 太郎,サトウ タロウ,Taro Sato,2401002,理工学部,情報工学科,Faculty of Science and Engineering,Department of Computer Science,enrolled,2024-04-01,2028-03-25,学士（工学）,Bachelor of Engineering,2025,MIC2401002,campus-Pass-1002
g2201003,鈴木 一郎,スズキ イチロウ,Ichiro Suzuki,2201003,経済学部,経済学科,Faculty of Economics,Department of Economics,graduated,2022-04-01,2026-03-25,学士（経済学）,Bachelor of Economics,2025,MIC2201003,campus-Pass-1003
s2301004,高橋 美咲,タカハシ ミサキ,Misaki Takahashi,2301004,文学部,英米文学科,Faculty of Letters,Department of English and American Literature,enrolled,2023-04-01,2027-03-25,学士（文学）,Bachelor of Arts,2026,MIC2301004,campus-Pass-1004
";

/// The demo students' course results, for their transcripts.
const DEMO_GRADES: &str = "\
user_id,year,term,course,course_en,credits,grade,category,term_en,category_en
s2401001,2024,前期,日本文学概論,Introduction to Japanese Literature,2,A,専門必修,Spring,Major (required)
s2401001,2024,前期,英語コミュニケーションI,English Communication I,1,S,教養,Spring,General education
s2401001,2024,後期,古典文学講読,Readings in Classical Literature,2,B,専門必修,Autumn,Major (required)
s2401001,2024,後期,情報リテラシー,Information Literacy,2,A,教養,Autumn,General education
s2401001,2025,前期,近代文学演習,Seminar in Modern Literature,2,S,専門選択,Spring,Major (elective)
s2401001,2025,通年,日本語学特講,Topics in Japanese Linguistics,4,A,専門選択,Full year,Major (elective)
s2401002,2024,前期,線形代数I,Linear Algebra I,2,B,専門必修,Spring,Major (required)
s2401002,2024,前期,プログラミング基礎,Fundamentals of Programming,2,S,専門必修,Spring,Major (required)
s2401002,2024,後期,データ構造とアルゴリズム,Data Structures and Algorithms,2,A,専門必修,Autumn,Major (required)
s2401002,2025,前期,オペレーティングシステム,Operating Systems,2,C,専門選択,Spring,Major (elective)
g2201003,2022,前期,ミクロ経済学,Microeconomics,2,A,専門必修,Spring,Major (required)
g2201003,2022,後期,マクロ経済学,Macroeconomics,2,A,専門必修,Autumn,Major (required)
g2201003,2023,通年,計量経済学,Econometrics,4,B,専門選択,Full year,Major (elective)
g2201003,2025,通年,卒業論文,Graduation Thesis,8,S,専門必修,Full year,Major (required)
s2301004,2023,前期,英米文学概論,Introduction to English and American Literature,2,S,専門必修,Spring,Major (required)
s2301004,2023,後期,英語学入門,Introduction to English Linguistics,2,A,専門必修,Autumn,Major (required)
s2301004,2024,通年,シェイクスピア研究,Shakespeare Studies,4,A,専門選択,Full year,Major (elective)
s2301004,2025,前期,第二言語習得論,Second Language Acquisition,2,B,専門選択,Spring,Major (elective)
s2301004,2026,通年,卒業論文,Graduation Thesis,8,認定,専門必修,Full year,Major (required)
";

/// The demo university's certificate catalogue: six types, five delivery methods and the
/// office's closures (also the example of the file's format).
pub const DEMO_CATALOGUE: &str = include_str!("../../catalogues/demo.toml");

/// `csv` with the years of its `columns` (`YYYY` or `YYYY-MM-DD`) moved on by `years`.
fn moved_on(csv: &str, columns: &[&str], years: i32) -> String {
    let mut lines = csv.lines();
    let header = lines.next().unwrap_or_default();
    let dated: Vec<usize> = header
        .split(',')
        .enumerate()
        .filter(|(_, name)| columns.contains(name))
        .map(|(at, _)| at)
        .collect();
    let rows = lines.map(|line| {
        let cells: Vec<String> = line
            .split(',')
            .enumerate()
            .map(|(at, cell)| {
                let year = cell.get(..4).and_then(|year| year.parse::<i32>().ok());
                match year.filter(|_| dated.contains(&at)) {
                    Some(year) => format!("{}{}", year + years, &cell[4..]),
                    None => cell.to_owned(),
                }
            })
            .collect();
        cells.join(",")
    });
    std::iter::once(header.to_owned()).chain(rows).map(|line| line + "\n").collect()
}

/// Fiscal years from the one the demo is written in to the one of `today`.
fn years_since_written(today: chrono::NaiveDate) -> i32 {
    domain::fiscal_year(today.year(), today.month()) - WRITTEN_IN
}

/// The demo's registry as of the fiscal year of `today`.
pub fn registry_csv(today: chrono::NaiveDate) -> String {
    let dated = ["admission_date", "graduation_date", "health_check_year"];
    moved_on(DEMO_CSV, &dated, years_since_written(today))
}

/// The demo students' course results as of the fiscal year of `today`.
pub fn grades_csv(today: chrono::NaiveDate) -> String {
    moved_on(DEMO_GRADES, &["year"], years_since_written(today))
}

/// Creates the demo university if it is missing and (re)imports its students and catalogue.
pub async fn create(db: &DatabaseConnection) -> anyhow::Result<ImportSummary> {
    create_at(db, now_ms()).await
}

/// [`create`] as of `at` (milliseconds since the epoch): the registry's years follow it.
pub async fn create_at(db: &DatabaseConnection, at: i64) -> anyhow::Result<ImportSummary> {
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
    certificates::import(db, &operator, tenant.id, &catalogue, at).await?;
    let today = certificates::jst_date(at);
    let summary = import_csv(db, tenant.id, registry_csv(today).as_bytes()).await?;
    import_grades(db, tenant.id, grades_csv(today).as_bytes()).await?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn in_the_year_it_is_written_in_the_demo_data_is_as_written() {
        let today = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();

        assert_eq!(registry_csv(today), DEMO_CSV);
        assert_eq!(grades_csv(today), DEMO_GRADES);
    }

    #[test]
    fn from_april_the_demo_students_are_a_year_further_on() {
        let today = NaiveDate::from_ymd_opt(2027, 4, 1).unwrap();

        let registry = registry_csv(today);
        let grades = grades_csv(today);

        let final_year = registry.lines().find(|l| l.starts_with("s2301004,")).unwrap();
        assert!(
            final_year.contains(",2024-04-01,2028-03-25,"),
            "{final_year}"
        );
        assert!(
            final_year.ends_with(",2027,MIC2301004,campus-Pass-1004"),
            "{final_year}"
        );
        assert!(grades.contains("s2301004,2027,通年,卒業論文,"));
        // Only dates and years move: numbers, cards and passwords stay as they are.
        assert!(
            final_year.starts_with("s2301004,高橋 美咲,タカハシ ミサキ,Misaki Takahashi,2301004,")
        );
        assert_eq!(registry.lines().count(), DEMO_CSV.lines().count());
    }
}

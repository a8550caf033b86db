//! A transcript's totals: the GPA by the university's rule and the credits earned, in all and
//! by category. Grade points are whole hundredths, so the sums are exact.
//!
//! A grade the rule gives points counts towards the GPA with its credits; it earns its
//! credits unless its points are 0 (a fail). A grade the rule does not list (認定, …) earns
//! its credits and stays out of the GPA.

use super::catalogue::GradePoints;
use crate::registry::CourseResult;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranscriptTotals {
    /// Hundredths, rounded half up (3.25 is 325); `None` with no graded course.
    pub gpa_hundredths: Option<u32>,
    pub earned: u32,
    /// Credits earned by category, in the order the categories first appear.
    pub earned_by_category: Vec<(String, u32)>,
}

pub fn totals(results: &[CourseResult], rule: &[GradePoints]) -> TranscriptTotals {
    let points_of = |grade: &str| rule.iter().find(|p| p.grade == grade).map(|p| p.hundredths);
    let (mut weighted, mut graded_credits, mut earned) = (0u64, 0u64, 0u32);
    let mut earned_by_category: Vec<(String, u32)> = Vec::new();
    for result in results {
        let credits = result.credits.max(0) as u32;
        let points = points_of(&result.grade);
        if let Some(points) = points {
            weighted += u64::from(points) * u64::from(credits);
            graded_credits += u64::from(credits);
        }
        if points != Some(0) {
            earned += credits;
            match earned_by_category.iter_mut().find(|(c, _)| *c == result.category) {
                Some((_, sum)) => *sum += credits,
                None => earned_by_category.push((result.category.clone(), credits)),
            }
        }
    }
    let gpa_hundredths = (graded_credits > 0)
        .then(|| ((2 * weighted + graded_credits) / (2 * graded_credits)) as u32);
    TranscriptTotals {
        gpa_hundredths,
        earned,
        earned_by_category,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(credits: i32, grade: &str, category: &str) -> CourseResult {
        CourseResult {
            fiscal_year: 2025,
            term: "前期".into(),
            course_ja: "科目".into(),
            course_en: None,
            credits,
            grade: grade.into(),
            category: category.into(),
            term_en: None,
            category_en: None,
        }
    }

    fn rule() -> Vec<GradePoints> {
        [("S", 400), ("A", 300), ("B", 200), ("C", 100), ("F", 0)]
            .into_iter()
            .map(|(grade, hundredths)| GradePoints {
                grade: grade.into(),
                hundredths,
            })
            .collect()
    }

    #[test]
    fn the_gpa_weighs_grades_by_credits_and_a_fail_earns_nothing() {
        let results = [
            course(2, "S", "必修"),
            course(4, "A", "選択"),
            course(2, "F", "必修"),
            course(8, "認定", "必修"),
        ];

        let totals = totals(&results, &rule());

        // (2×4 + 4×3 + 2×0) / 8 = 2.5
        assert_eq!(totals.gpa_hundredths, Some(250));
        assert_eq!(totals.earned, 14);
        assert_eq!(
            totals.earned_by_category,
            [("必修".to_owned(), 10), ("選択".to_owned(), 4)]
        );
    }

    #[test]
    fn the_gpa_rounds_half_up_to_hundredths_and_is_none_without_graded_courses() {
        // (4 + 3 + 3) / 3 = 3.333… → 3.33; (4 + 4 + 3 + 3 + 3 + 3 + 3 + 2) / 8 = 3.125 → 3.13
        let thirds = [course(1, "S", ""), course(1, "A", ""), course(1, "A", "")];
        let eighths: Vec<_> = ["S", "S", "A", "A", "A", "A", "A", "B"]
            .into_iter()
            .map(|grade| course(1, grade, ""))
            .collect();

        assert_eq!(totals(&thirds, &rule()).gpa_hundredths, Some(333));
        assert_eq!(totals(&eighths, &rule()).gpa_hundredths, Some(313));
        assert_eq!(
            totals(&[course(8, "認定", "")], &rule()).gpa_hundredths,
            None
        );
    }
}

//! The certificate catalogue's vocabulary, shared by the student's pages, the console and the
//! services: a certificate type's code, the ways a certificate reaches the student, and the
//! rules that limit who may order a type beyond the registry status.

use crate::i18n::{CertificateMsg, Lang};
use crate::StudentStatus;
use serde::{Deserialize, Serialize};

/// A certificate type's or a delivery method's code within its university's catalogue:
/// 1 to 32 of `a-z`, `0-9`, `_` and `-`, so it can stand in an address and a file as it is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CatalogueCode(String);

impl CatalogueCode {
    pub const MAX_CHARS: usize = 32;

    pub fn parse(text: &str) -> Option<CatalogueCode> {
        let fits = !text.is_empty()
            && text.len() <= Self::MAX_CHARS
            && text.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'));
        fits.then(|| CatalogueCode(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CatalogueCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a certificate reaches the student. A university names and prices its own delivery
/// methods; each is one of these kinds, which decides what the application asks for (an
/// address for post, one in Latin letters abroad) and what issuing it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeliveryKind {
    /// A PDF the student downloads.
    Pdf,
    /// Post within Japan, to an address with a postal code.
    Post,
    /// EMS abroad, to an address in Latin letters.
    Ems,
    /// Collected at the office's counter.
    Pickup,
    /// Printed at a campus machine.
    CampusPrint,
}

impl DeliveryKind {
    pub const ALL: [DeliveryKind; 5] = [
        DeliveryKind::Pdf,
        DeliveryKind::Post,
        DeliveryKind::Ems,
        DeliveryKind::Pickup,
        DeliveryKind::CampusPrint,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DeliveryKind::Pdf => "pdf",
            DeliveryKind::Post => "post",
            DeliveryKind::Ems => "ems",
            DeliveryKind::Pickup => "pickup",
            DeliveryKind::CampusPrint => "campus_print",
        }
    }

    pub fn from_code(code: &str) -> Option<DeliveryKind> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    pub fn msg(self) -> CertificateMsg {
        match self {
            DeliveryKind::Pdf => CertificateMsg::KindPdf,
            DeliveryKind::Post => CertificateMsg::KindPost,
            DeliveryKind::Ems => CertificateMsg::KindEms,
            DeliveryKind::Pickup => CertificateMsg::KindPickup,
            DeliveryKind::CampusPrint => CertificateMsg::KindCampusPrint,
        }
    }

    /// Whether the application must carry a postal address for this kind.
    pub fn needs_address(self) -> bool {
        matches!(self, DeliveryKind::Post | DeliveryKind::Ems)
    }
}

/// What a certificate type states, which decides the facts its document prints and its
/// wording: a university names its types as it likes, the catalogue says which of these each is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CertificateContent {
    /// 在学証明書: enrolled now, in which faculty.
    Enrollment,
    /// 成績証明書: every course result, the GPA and the credits earned.
    Transcript,
    /// 卒業見込証明書: expected to graduate on the expected date.
    ExpectedGraduation,
    /// 卒業証明書: graduated on the date.
    Graduation,
    /// 学位授与証明書: the degree conferred and when.
    Degree,
    /// 健康診断証明書: the check-up of the fiscal year cleared.
    HealthCheck,
}

impl CertificateContent {
    pub const ALL: [CertificateContent; 6] = [
        CertificateContent::Enrollment,
        CertificateContent::Transcript,
        CertificateContent::ExpectedGraduation,
        CertificateContent::Graduation,
        CertificateContent::Degree,
        CertificateContent::HealthCheck,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CertificateContent::Enrollment => "enrollment",
            CertificateContent::Transcript => "transcript",
            CertificateContent::ExpectedGraduation => "expected_graduation",
            CertificateContent::Graduation => "graduation",
            CertificateContent::Degree => "degree",
            CertificateContent::HealthCheck => "health_check",
        }
    }

    pub fn from_code(code: &str) -> Option<CertificateContent> {
        Self::ALL.into_iter().find(|content| content.code() == code)
    }
}

/// A rule beyond the registry status that a type may add to who may order it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderRule {
    /// 卒業見込証明書: only students whose expected graduation falls in the current fiscal
    /// year (April to March, in JST), so from 1 April of their final year.
    FinalYear,
    /// 健康診断証明書: only with this fiscal year's check-up recorded as cleared.
    HealthCheckCleared,
}

impl OrderRule {
    pub const ALL: [OrderRule; 2] = [OrderRule::FinalYear, OrderRule::HealthCheckCleared];

    pub fn code(self) -> &'static str {
        match self {
            OrderRule::FinalYear => "final_year",
            OrderRule::HealthCheckCleared => "health_check_cleared",
        }
    }

    pub fn from_code(code: &str) -> Option<OrderRule> {
        Self::ALL.into_iter().find(|rule| rule.code() == code)
    }

    pub fn msg(self) -> CertificateMsg {
        match self {
            OrderRule::FinalYear => CertificateMsg::RuleFinalYear,
            OrderRule::HealthCheckCleared => CertificateMsg::RuleHealthCheckCleared,
        }
    }
}

/// Why a student may not order a certificate type, shown beside the type (never hidden).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderRefusal {
    /// The type is not issued to students of this registry status.
    Status(StudentStatus),
    /// 卒業見込証明書 before 1 April of the year of expected graduation (or without one).
    NotFinalYear,
    /// No health check-up of this fiscal year recorded as cleared.
    NoHealthCheck,
}

impl OrderRefusal {
    /// The reason, in `lang`.
    pub fn text(self, lang: Lang) -> String {
        match self {
            OrderRefusal::Status(status) => CertificateMsg::RefusedStatus
                .text(lang)
                .replace("{status}", status.msg().text(lang)),
            OrderRefusal::NotFinalYear => CertificateMsg::RefusedNotFinalYear.text(lang).to_owned(),
            OrderRefusal::NoHealthCheck => {
                CertificateMsg::RefusedNoHealthCheck.text(lang).to_owned()
            }
        }
    }
}

/// The fiscal year (年度) of a date: April to March, named by the year it starts in.
pub fn fiscal_year(year: i32, month: u32) -> i32 {
    if month >= 4 {
        year
    } else {
        year - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalogue_code_is_short_lowercase_ascii() {
        assert!(CatalogueCode::parse("transcript").is_some());
        assert!(CatalogueCode::parse("grad-expected_2").is_some());
        for bad in ["", "Transcript", "成績", "a b", "../x", &"x".repeat(33)] {
            assert_eq!(CatalogueCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn kinds_and_rules_survive_their_codes() {
        for kind in DeliveryKind::ALL {
            assert_eq!(DeliveryKind::from_code(kind.code()), Some(kind));
        }
        for rule in OrderRule::ALL {
            assert_eq!(OrderRule::from_code(rule.code()), Some(rule));
        }
        assert_eq!(DeliveryKind::from_code("fax"), None);
    }

    #[test]
    fn a_refusal_names_the_status_in_the_readers_language() {
        let refusal = OrderRefusal::Status(StudentStatus::Graduated);
        assert_eq!(refusal.text(Lang::Ja), "卒業の方は申請できません。");
        assert_eq!(
            refusal.text(Lang::En),
            "Not issued to students whose status is Graduated."
        );
    }

    #[test]
    fn the_fiscal_year_starts_in_april() {
        assert_eq!(fiscal_year(2027, 3), 2026);
        assert_eq!(fiscal_year(2027, 4), 2027);
        assert_eq!(fiscal_year(2026, 12), 2026);
    }
}

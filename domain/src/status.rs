//! Statuses that services decide and pages show.

use crate::i18n::CommonMsg;
use serde::{Deserialize, Serialize};

/// How far a student has got: the first-login steps hold a session of their own that opens
/// only the page of that step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "db",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String")
)]
pub enum Stage {
    NeedsEmail,
    NeedsSecondPassword,
    SignedIn,
}

impl Stage {
    /// The value stored in the sessions table.
    pub fn code(self) -> &'static str {
        match self {
            Stage::NeedsEmail => "needs_email",
            Stage::NeedsSecondPassword => "needs_second_password",
            Stage::SignedIn => "signed_in",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        [
            Stage::NeedsEmail,
            Stage::NeedsSecondPassword,
            Stage::SignedIn,
        ]
        .into_iter()
        .find(|stage| stage.code() == code)
    }
}

/// What a one-time link's page says before anything is consumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkState {
    Valid,
    Expired,
    Used,
    Voided,
    Unknown,
}

impl LinkState {
    pub fn refusal(self) -> Option<CommonMsg> {
        match self {
            LinkState::Valid => None,
            LinkState::Expired => Some(CommonMsg::LinkExpired),
            LinkState::Used => Some(CommonMsg::LinkUsed),
            LinkState::Voided => Some(CommonMsg::LinkVoided),
            LinkState::Unknown => Some(CommonMsg::LinkUnknown),
        }
    }
}

/// A student's standing in the university's registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "db",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String")
)]
pub enum StudentStatus {
    Enrolled,
    Graduated,
    OnLeave,
    Withdrawn,
}

impl StudentStatus {
    pub const ALL: [StudentStatus; 4] = [
        StudentStatus::Enrolled,
        StudentStatus::Graduated,
        StudentStatus::OnLeave,
        StudentStatus::Withdrawn,
    ];

    /// The value in the registry's CSV and table.
    pub fn code(self) -> &'static str {
        match self {
            StudentStatus::Enrolled => "enrolled",
            StudentStatus::Graduated => "graduated",
            StudentStatus::OnLeave => "on_leave",
            StudentStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<StudentStatus> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    pub fn msg(self) -> CommonMsg {
        match self {
            StudentStatus::Enrolled => CommonMsg::StatusEnrolled,
            StudentStatus::Graduated => CommonMsg::StatusGraduated,
            StudentStatus::OnLeave => CommonMsg::StatusOnLeave,
            StudentStatus::Withdrawn => CommonMsg::StatusWithdrawn,
        }
    }
}

/// A stored code no status has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownCode;

// The stored form of a status is its code, and nothing else: one mapping each way.
macro_rules! stored_as_code {
    ($($status:ty),*) => {$(
        impl std::fmt::Display for $status {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $status {
            type Err = UnknownCode;

            fn from_str(code: &str) -> Result<Self, UnknownCode> {
                Self::from_code(code).ok_or(UnknownCode)
            }
        }
    )*};
}

stored_as_code!(Stage, StudentStatus, crate::PasswordPolicy);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_and_statuses_round_trip_through_their_codes() {
        for stage in [
            Stage::NeedsEmail,
            Stage::NeedsSecondPassword,
            Stage::SignedIn,
        ] {
            assert_eq!(Stage::from_code(stage.code()), Some(stage));
        }
        for status in StudentStatus::ALL {
            assert_eq!(StudentStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(StudentStatus::from_code("Enrolled"), None);
    }

    #[test]
    fn the_stored_form_of_a_status_is_its_code() {
        assert_eq!(
            Stage::NeedsSecondPassword.to_string(),
            "needs_second_password"
        );
        assert_eq!(
            "on_leave".parse::<StudentStatus>(),
            Ok(StudentStatus::OnLeave)
        );
        assert_eq!("On_Leave".parse::<StudentStatus>(), Err(UnknownCode));
    }
}

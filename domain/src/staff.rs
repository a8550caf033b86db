//! University staff as every service sees them: the acting staff member, their role, and what
//! each role may do. Services check a permission themselves with [`StaffMember::may`], so a
//! page that forgot to hide a button still cannot act.

use serde::{Deserialize, Serialize};

/// What a staff member may do, from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum StaffRole {
    /// Reads everything of the university, changes nothing.
    Viewer,
    /// Also acts on students (and, later, on applications).
    Clerk,
    /// Also runs staff accounts, the university's settings and balance corrections.
    Admin,
}

impl StaffRole {
    pub const ALL: [StaffRole; 3] = [StaffRole::Viewer, StaffRole::Clerk, StaffRole::Admin];

    pub fn code(self) -> &'static str {
        match self {
            StaffRole::Viewer => "viewer",
            StaffRole::Clerk => "clerk",
            StaffRole::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<StaffRole> {
        Self::ALL.into_iter().find(|role| role.code() == code)
    }

    /// The least role that has `permission`.
    pub fn least_for(permission: Permission) -> StaffRole {
        match permission {
            Permission::ReadStudents | Permission::ReadAuditLog | Permission::ReadSettings => {
                StaffRole::Viewer
            }
            Permission::ActOnStudents
            | Permission::ImportRegistry
            | Permission::ProcessApplications => StaffRole::Clerk,
            Permission::ManageStaff
            | Permission::ChangeSettings
            | Permission::CorrectBalances
            | Permission::CancelIssuedApplications => StaffRole::Admin,
        }
    }

    pub fn allows(self, permission: Permission) -> bool {
        self >= Self::least_for(permission)
    }
}

/// One thing a staff member may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    ReadStudents,
    ReadAuditLog,
    ReadSettings,
    ActOnStudents,
    ImportRegistry,
    ManageStaff,
    ChangeSettings,
    CorrectBalances,
    /// Moving an application through the queue, and cancelling it before it is issued.
    ProcessApplications,
    /// Cancelling (and refunding) an application already issued, sent or ready.
    CancelIssuedApplications,
}

impl Permission {
    pub const ALL: [Permission; 10] = [
        Permission::ReadStudents,
        Permission::ReadAuditLog,
        Permission::ReadSettings,
        Permission::ActOnStudents,
        Permission::ImportRegistry,
        Permission::ManageStaff,
        Permission::ChangeSettings,
        Permission::CorrectBalances,
        Permission::ProcessApplications,
        Permission::CancelIssuedApplications,
    ];
}

/// The staff member a request acts for, as the staff session found them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i32,
    pub tenant_id: i32,
    pub login_id: String,
    pub role: StaffRole,
}

impl StaffMember {
    /// Whether this member may do `permission` at university `tenant_id`: never at another.
    pub fn may(&self, permission: Permission, tenant_id: i32) -> bool {
        self.tenant_id == tenant_id && self.role.allows(permission)
    }
}

/// What the console's student search can be ordered by. Names in kanji have no order a
/// registrar would use; their reading (kana) does, so the name is sorted through its kana.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StudentSortKey {
    #[default]
    UserId,
    Kana,
    StudentNumber,
}

/// The order of the student search, as it travels in the page's address (`sort=kana`,
/// `sort=-kana` for descending). By user ID, ascending, unless the address says otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StudentSort {
    pub key: StudentSortKey,
    pub descending: bool,
}

impl StudentSortKey {
    pub const ALL: [StudentSortKey; 3] = [
        StudentSortKey::UserId,
        StudentSortKey::Kana,
        StudentSortKey::StudentNumber,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StudentSortKey::UserId => "user_id",
            StudentSortKey::Kana => "kana",
            StudentSortKey::StudentNumber => "student_number",
        }
    }
}

impl StudentSort {
    /// The order an address's `sort` names; anything else is the default order, so an edited
    /// or stale address still shows results.
    pub fn from_param(param: &str) -> StudentSort {
        let (descending, code) = match param.strip_prefix('-') {
            Some(code) => (true, code),
            None => (false, param),
        };
        StudentSortKey::ALL
            .into_iter()
            .find(|key| key.code() == code)
            .map(|key| StudentSort { key, descending })
            .unwrap_or_default()
    }

    pub fn to_param(self) -> String {
        format!(
            "{}{}",
            if self.descending { "-" } else { "" },
            self.key.code()
        )
    }

    /// The order a column's heading links to: this column ascending, or, when the results are
    /// already in that order, the other way round.
    pub fn toggled_to(self, key: StudentSortKey) -> StudentSort {
        StudentSort {
            key,
            descending: self.key == key && !self.descending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_has_what_the_one_below_has_and_more() {
        let all = Permission::ALL;
        let count = |role: StaffRole| all.iter().filter(|p| role.allows(**p)).count();
        assert_eq!(count(StaffRole::Viewer), 3);
        assert_eq!(count(StaffRole::Clerk), 6);
        assert_eq!(count(StaffRole::Admin), all.len());
        for permission in all {
            for (lower, higher) in [
                (StaffRole::Viewer, StaffRole::Clerk),
                (StaffRole::Clerk, StaffRole::Admin),
            ] {
                assert!(!lower.allows(permission) || higher.allows(permission));
            }
        }
        assert!(!StaffRole::Viewer.allows(Permission::ActOnStudents));
        assert!(!StaffRole::Clerk.allows(Permission::CorrectBalances));
        assert!(StaffRole::Clerk.allows(Permission::ProcessApplications));
        assert!(!StaffRole::Clerk.allows(Permission::CancelIssuedApplications));
    }

    #[test]
    fn a_member_may_nothing_at_another_university() {
        let admin = StaffMember {
            id: 1,
            tenant_id: 7,
            login_id: "kyomu01".into(),
            role: StaffRole::Admin,
        };
        assert!(admin.may(Permission::ReadStudents, 7));
        assert!(!admin.may(Permission::ReadStudents, 8));
    }

    #[test]
    fn roles_survive_their_codes() {
        for role in StaffRole::ALL {
            assert_eq!(StaffRole::from_code(role.code()), Some(role));
        }
        assert_eq!(StaffRole::from_code("root"), None);
    }

    #[test]
    fn a_sort_survives_its_address_and_anything_else_sorts_by_user_id() {
        for key in StudentSortKey::ALL {
            for descending in [false, true] {
                let sort = StudentSort { key, descending };
                assert_eq!(StudentSort::from_param(&sort.to_param()), sort);
            }
        }
        assert_eq!(StudentSort::from_param("-kana").key, StudentSortKey::Kana);
        assert!(StudentSort::from_param("-kana").descending);
        for odd in ["", "-", "--kana", "name; drop table", "KANA"] {
            assert_eq!(StudentSort::from_param(odd), StudentSort::default());
        }
    }

    #[test]
    fn a_heading_turns_its_own_order_round_and_starts_others_ascending() {
        let by_kana = StudentSort::from_param("kana");
        assert_eq!(by_kana.toggled_to(StudentSortKey::Kana).to_param(), "-kana");
        assert_eq!(
            StudentSort::from_param("-kana").toggled_to(StudentSortKey::Kana).to_param(),
            "kana"
        );
        assert_eq!(
            by_kana.toggled_to(StudentSortKey::UserId).to_param(),
            "user_id"
        );
    }
}

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
            Permission::ActOnStudents | Permission::ImportRegistry => StaffRole::Clerk,
            Permission::ManageStaff | Permission::ChangeSettings | Permission::CorrectBalances => {
                StaffRole::Admin
            }
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
}

impl Permission {
    pub const ALL: [Permission; 8] = [
        Permission::ReadStudents,
        Permission::ReadAuditLog,
        Permission::ReadSettings,
        Permission::ActOnStudents,
        Permission::ImportRegistry,
        Permission::ManageStaff,
        Permission::ChangeSettings,
        Permission::CorrectBalances,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_has_what_the_one_below_has_and_more() {
        let all = Permission::ALL;
        let count = |role: StaffRole| all.iter().filter(|p| role.allows(**p)).count();
        assert_eq!(count(StaffRole::Viewer), 3);
        assert_eq!(count(StaffRole::Clerk), 5);
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
}

//! What each event of the audit log is called in the staff console, keyed by the event's code
//! as the log stores it. The server's test of its events checks that every event has a name
//! here.

crate::catalogue! {
    pub enum AuditMsg {
        LoginSucceeded => ("ログイン成功", "Logged in"),
        LoginFailed => ("ログイン失敗", "Login failed"),
        LoginThrottled => ("ログイン待機中の試行", "Login tried during a delay"),
        Logout => ("ログアウト", "Logged out"),
        EmailRegistrationRequested => ("メールアドレス登録の申請", "Email registration requested"),
        EmailRegistered => ("メールアドレス登録", "Email registered"),
        EmailChangeRequested => ("メールアドレス変更の申請", "Email change requested"),
        EmailChanged => ("メールアドレス変更", "Email changed"),
        SecondPasswordSet => ("第2パスワード設定", "Second password set"),
        SecondPasswordChanged => ("第2パスワード変更", "Second password changed"),
        SecondPasswordResetRequested => ("第2パスワード再設定の申請", "Second password reset requested"),
        SecondPasswordReset => ("第2パスワード再設定", "Second password reset"),
        ReauthenticationFailed => ("本人確認の失敗", "Re-authentication failed"),
        SessionEndedByReauthentication => ("本人確認の失敗によるログアウト", "Logged out after failed re-authentication"),
        CardDebited => ("カード残高の利用", "Card debited"),
        CardAdjusted => ("カード残高の訂正", "Card balance corrected"),
        MachineAdded => ("学内端末の登録", "Campus machine added"),
        MachineRevoked => ("学内端末の取消", "Campus machine revoked"),
        LedgerVerified => ("台帳の検証", "Ledger verified"),
        TopUpCredited => ("チャージ入金", "Top-up credited"),
        DevGatewayPaid => ("開発用決済の支払", "Development gateway payment"),
        StaffAdded => ("教職員の追加", "Staff member added"),
        StaffPasswordSet => ("教職員パスワード設定", "Staff password set"),
        StaffSignedIn => ("教職員サインイン", "Staff signed in"),
        StaffSignInFailed => ("教職員サインイン失敗", "Staff sign-in failed"),
        StaffSignInThrottled => ("教職員サインイン待機中の試行", "Staff sign-in tried during a delay"),
        StaffSecondFactorEnabled => ("認証アプリの設定", "Authenticator set up"),
        StaffSecondFactorReset => ("認証アプリのリセット", "Authenticator reset"),
        StaffRoleChanged => ("教職員の権限変更", "Staff role changed"),
        StaffDisabled => ("教職員の無効化", "Staff member disabled"),
        StaffForbidden => ("権限のない操作の拒否", "Action refused: not allowed"),
        StaffViewedStudent => ("教職員による学生情報の閲覧", "Student record viewed by staff"),
        StaffClearedLoginDelays => ("教職員によるログイン待機の解除", "Login delays cleared by staff"),
        StaffEndedStudentSessions => ("教職員による全セッションの終了", "All sessions ended by staff"),
        StaffResentEmailLink => ("教職員による登録用URLの再送", "Registration link resent by staff"),
    }
}

impl AuditMsg {
    /// The name of the event stored as `code`, if it is one we know.
    pub fn of_event(code: &str) -> Option<AuditMsg> {
        let msg = match code {
            "login_succeeded" => AuditMsg::LoginSucceeded,
            "login_failed" => AuditMsg::LoginFailed,
            "login_throttled" => AuditMsg::LoginThrottled,
            "logout" => AuditMsg::Logout,
            "email_registration_requested" => AuditMsg::EmailRegistrationRequested,
            "email_registered" => AuditMsg::EmailRegistered,
            "email_change_requested" => AuditMsg::EmailChangeRequested,
            "email_changed" => AuditMsg::EmailChanged,
            "second_password_set" => AuditMsg::SecondPasswordSet,
            "second_password_changed" => AuditMsg::SecondPasswordChanged,
            "second_password_reset_requested" => AuditMsg::SecondPasswordResetRequested,
            "second_password_reset" => AuditMsg::SecondPasswordReset,
            "reauthentication_failed" => AuditMsg::ReauthenticationFailed,
            "session_ended_by_reauthentication" => AuditMsg::SessionEndedByReauthentication,
            "card_debited" => AuditMsg::CardDebited,
            "card_adjusted" => AuditMsg::CardAdjusted,
            "machine_added" => AuditMsg::MachineAdded,
            "machine_revoked" => AuditMsg::MachineRevoked,
            "ledger_verified" => AuditMsg::LedgerVerified,
            "top_up_credited" => AuditMsg::TopUpCredited,
            "dev_gateway_paid" => AuditMsg::DevGatewayPaid,
            "staff_added" => AuditMsg::StaffAdded,
            "staff_password_set" => AuditMsg::StaffPasswordSet,
            "staff_signed_in" => AuditMsg::StaffSignedIn,
            "staff_sign_in_failed" => AuditMsg::StaffSignInFailed,
            "staff_sign_in_throttled" => AuditMsg::StaffSignInThrottled,
            "staff_second_factor_enabled" => AuditMsg::StaffSecondFactorEnabled,
            "staff_second_factor_reset" => AuditMsg::StaffSecondFactorReset,
            "staff_role_changed" => AuditMsg::StaffRoleChanged,
            "staff_disabled" => AuditMsg::StaffDisabled,
            "staff_forbidden" => AuditMsg::StaffForbidden,
            "staff_viewed_student" => AuditMsg::StaffViewedStudent,
            "staff_cleared_login_delays" => AuditMsg::StaffClearedLoginDelays,
            "staff_ended_student_sessions" => AuditMsg::StaffEndedStudentSessions,
            "staff_resent_email_link" => AuditMsg::StaffResentEmailLink,
            _ => return None,
        };
        Some(msg)
    }
}

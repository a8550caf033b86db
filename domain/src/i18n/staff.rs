//! The staff console's pages: sign-in, the set-up link, the authenticator and its recovery
//! codes, and the console's home. Not linked by the students' islands.

crate::catalogue! {
    pub enum StaffMsg {
        SignInTitle => ("教職員サインイン", "Staff sign-in"),
        SignInLead => (
            "ログインID、パスワード、認証アプリに表示される6桁の確認コードを入力してください。初めてのサインインでは確認コードは空欄のままにしてください。",
            "Enter your login ID, your password and the 6-digit code your authenticator app shows. At your first sign-in, leave the code empty.",
        ),
        CodeHint => (
            "認証アプリを使えないときは、回復コードを入力できます（各コードは1回だけ使えます）。",
            "If you cannot use your authenticator app, enter one of your recovery codes (each works once).",
        ),
        SignInButton => ("サインイン", "Sign in"),
        WrongCredentials => (
            "ログインID、パスワード、または確認コードが正しくありません。",
            "The login ID, the password or the code is not correct.",
        ),
        SignInDelayed => (
            "サインインの失敗が続いたため、しばらく時間をおいてからお試しください。",
            "Too many failed sign-ins: please wait a while and try again.",
        ),
        SetUpTitle => ("パスワードの設定", "Choose your password"),
        SetUpLead => (
            "教職員用のパスワードを設定してください。12文字以上で、ログインIDを含まないものにしてください。",
            "Choose your staff password: at least 12 characters, not containing your login ID.",
        ),
        SetUpButton => ("設定する", "Set the password"),
        SetUpStartAgain => (
            "管理者に新しい設定用リンクの発行を依頼してください。",
            "Ask an administrator of your university for a new set-up link.",
        ),
        PasswordSet => (
            "パスワードを設定しました。サインインして認証アプリを設定してください。",
            "Your password is set. Sign in to set up your authenticator app.",
        ),
        FactorTitle => ("認証アプリの設定", "Set up your authenticator app"),
        FactorLead => (
            "認証アプリ（Google Authenticator、Microsoft Authenticator など）でQRコードを読み取り、表示された6桁のコードを入力してください。",
            "Scan the QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, …) and enter the 6-digit code it shows.",
        ),
        FactorSecret => ("QRコードを読み取れない場合は、次のキーを入力してください。", "If you cannot scan the code, type in this key:"),
        FactorButton => ("確認する", "Confirm"),
        FactorWrongCode => (
            "確認コードが正しくありません。認証アプリに表示されている最新のコードを入力してください。",
            "This code is not correct. Enter the newest code your authenticator app shows.",
        ),
        RecoveryTitle => ("回復コード", "Recovery codes"),
        RecoveryLead => (
            "認証アプリを使えなくなったときのための回復コードです。印刷するか安全な場所に保管してください。各コードは1回だけ使えます。このページを離れると二度と表示されません。",
            "These codes let you sign in if you lose your authenticator app. Print them or keep them somewhere safe. Each works once. They will not be shown again once you leave this page.",
        ),
        RecoveryShown => (
            "回復コードは既に表示済みです。紛失した場合は管理者に認証のリセットを依頼してください。",
            "Your recovery codes were already shown. If you lost them, ask an administrator to reset your second factor.",
        ),
        Continue => ("続ける", "Continue"),
        HomeTitle => ("教職員コンソール", "Staff console"),
        SignedInAs => ("サインイン中", "Signed in as"),
        Role => ("権限", "Role"),
        RoleViewer => ("閲覧者", "Viewer"),
        RoleClerk => ("担当者", "Clerk"),
        RoleAdmin => ("管理者", "Administrator"),
        SignOut => ("サインアウト", "Sign out"),
        StudentsHeading => ("学生の検索", "Find students"),
        SearchLabel => ("ユーザID・学籍番号・氏名・フリガナ", "User ID, student number, name or kana"),
        SearchButton => ("検索", "Search"),
        ResultsCount => ("{total}件中 {from}〜{to}件", "{from}–{to} of {total}"),
        NoStudents => ("該当する学生はいません。", "No student matches."),
        NameKana => ("フリガナ", "Kana"),
        Previous => ("前へ", "Previous"),
        Next => ("次へ", "Next"),
        PageOf => ("{page} / {pages} ページ", "Page {page} of {pages}"),
        SignedOut => ("サインアウトしました。", "You are signed out."),
        SessionEnded => (
            "サインインの有効期限が切れたか、サインインしていません。もう一度サインインしてください。",
            "Your sign-in has ended or you are not signed in. Please sign in again.",
        ),
    }
}

//! The common catalogue: the frame of every page, the menu, errors that any page may show,
//! one-time link states and the registry's statuses.

crate::catalogue! {
    pub enum CommonMsg {
        // Frame
        ServiceName => ("証明書発行サービス", "Certificate Issuance Service"),
        LanguageLabel => ("言語", "Language"),
        Menu => ("メニュー", "Menu"),
        Logout => ("ログアウト", "Log out"),
        SkipToContent => ("本文へ移動", "Skip to content"),
        MetaDescription => (
            "大学の各種証明書をオンラインで申請し、手数料をお支払いいただけるサービスです。",
            "Apply online for your university's certificates and pay their fees.",
        ),

        // Root and errors
        ChooseUniversity => ("ご利用の大学を選んでください。", "Choose your university."),
        NoUniversities => ("まだ大学が登録されていません。", "No university has been set up yet."),
        NotFoundTitle => ("ページが見つかりません", "Page not found"),
        NotFoundBody => (
            "URLをご確認ください。大学のホームページのリンクからアクセスしてください。",
            "Please check the address, or follow the link on your university's homepage.",
        ),

        // The university's notes and help desk, on its pages
        Notes => ("注意事項", "Notes"),
        Helpdesk => ("お問い合わせ", "Help desk"),

        // Buttons of the notice pages
        GoToLogin => ("ログインページへ移動", "Go to the login page"),

        // Registry statuses
        StatusEnrolled => ("在学", "Enrolled"),
        StatusGraduated => ("卒業", "Graduated"),
        StatusOnLeave => ("休学", "On leave"),
        StatusWithdrawn => ("退学", "Withdrawn"),

        // Development mailbox
        DevMailboxTitle => ("開発用メールボックス", "Development mailbox"),
        DevMailboxLead => (
            "SMTPサーバが設定されていないため、送信するメールをここに表示しています（開発用）。",
            "No SMTP server is configured, so outgoing mail is shown here instead (development only).",
        ),
        DevMailboxEmpty => ("メールはまだありません。", "No mail yet."),
        MailTo => ("宛先", "To"),
        MailSubject => ("件名", "Subject"),
        MailCreatedAt => ("作成日時", "Created"),

        // One-time links
        LinkExpired => ("このURLは有効期限が切れています。", "This link has expired."),
        LinkUsed => ("このURLはすでに使用されています。", "This link has already been used."),
        LinkVoided => (
            "このURLは、その後の新しい手続きにより無効になりました。最新のメールのURLを開いてください。",
            "This link was replaced by a newer request. Please open the link in the latest mail.",
        ),
        LinkUnknown => ("このURLは無効です。", "This link is not valid."),

        // Errors
        Forbidden => ("この操作を行う権限がありません。", "You are not allowed to do this."),
        SessionRequired => (
            "ログインの有効期限が切れました。もう一度ログインしてください。",
            "Your login has expired. Please log in again.",
        ),
        InternalError => (
            "処理中にエラーが発生しました。しばらくしてからもう一度お試しください。",
            "Something went wrong on our side. Please try again in a little while.",
        ),
        NetworkError => (
            "通信できませんでした。接続を確認して、もう一度お試しください。",
            "The request could not be sent. Check your connection and try again.",
        ),

        // Menu and account changes (manual 2.4)
        MenuLabel => ("アカウントのメニュー", "Account menu"),
        MenuEmailChange => ("メールアドレス変更", "Change email address"),
        MenuSecondPasswordChange => ("第2パスワード変更", "Change second password"),
        MenuManual => ("マニュアル", "Manual"),
        OkButton => ("OK", "OK"),
        ManualTitle => ("操作マニュアル", "User manual"),
        BackToHome => ("ホームへ戻る", "Back to home"),

        // Password policy and abuse limits
        TooManyRequests => (
            "短時間に多くの操作が行われました。しばらく待ってからもう一度お試しください。",
            "Too many requests in a short time. Wait a moment and try again.",
        ),
        ServiceBusy => (
            "ただいま混み合っています。少し待ってからもう一度お試しください。",
            "The service is busy right now. Wait a moment and try again.",
        ),
    }
}

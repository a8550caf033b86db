//! The account catalogue: login, email registration and change, the second password and the
//! home page (manual 2.1–2.4).

crate::catalogue! {
    pub enum AccountMsg {
        // Login
        LoginTitle => ("在学生ログイン", "Student login"),
        SecondPasswordFirstLoginHint => (
            "大学で利用しているユーザIDとパスワードを入力してください。初回ログイン時は第2パスワードを空欄のまま進みます。",
            "Enter the user ID and password you use at your university. On your first login, leave the second password empty.",
        ),
        LoginButton => ("ログイン", "Log in"),
        DefaultNotes => (
            "証明書発行サービスを利用するには、初回ログイン時にメールアドレスと第2パスワードの登録が必要です。第2パスワードは大学のパスワードとは別のものを設定してください。共用のパソコンでは、利用後に必ずログアウトしてください。",
            "Before using the service, register an email address and a second password at your first login. Choose a second password different from your university password. On a shared computer, always log out when you are done.",
        ),
        SupportedBrowsers => ("動作環境", "Supported browsers"),
        SupportedBrowsersText => (
            "パソコン: Chrome, Firefox, Safari, Edge（最新版）／スマートフォン: iPhone の Safari, Android の Chrome",
            "Computers: Chrome, Firefox, Safari, Edge (latest versions). Smartphones: Safari on iPhone, Chrome on Android.",
        ),
        DefaultHelpdesk => (
            "ご不明な点は、大学の証明書発行窓口にお問い合わせください。",
            "If you need help, please contact your university's certificate office.",
        ),

        // Email registration
        RegisterEmailTitle => ("メールアドレスの登録", "Register your email address"),
        RegisterEmailLead => (
            "登録するメールアドレスを「メールアドレス」欄と「メールアドレス（確認）」欄に入力し、「確認」ボタンを押してください。確認メールが届きます。",
            "Enter the address to register in both fields and press Confirm. A confirmation mail will be sent to it.",
        ),
        ConfirmButton => ("確認", "Confirm"),
        EmailSentTitle => ("確認メールを送信しました", "Confirmation mail sent"),
        EmailSentBody => (
            "登録したメールアドレス宛に確認メールを送信しました。メール本文にあるワンタイムURLを開き、登録を完了してください。URLには期限があります。期限はメールに記載されています。",
            "A confirmation mail has been sent to the address you entered. Open the one-time URL in the mail to complete the registration. The URL expires; the mail states when.",
        ),
        ConfirmEmailTitle => ("メールアドレスの確認", "Confirm your email address"),
        ConfirmEmailLead => (
            "下のボタンを押すと、メールアドレスの登録が完了します。",
            "Press the button below to complete the registration of your email address.",
        ),
        ConfirmEmailButton => ("メールアドレスを登録する", "Register this address"),
        EmailDoneTitle => ("メールアドレス設定完了", "Email address registered"),
        EmailDoneBody => (
            "メールアドレスの登録が完了しました。ログインページから再度ログインしてください。",
            "Your email address is registered. Please log in again from the login page.",
        ),

        // Second password setup
        SetupSecondPasswordTitle => ("第2パスワードの設定", "Set your second password"),
        SetupSecondPasswordLead => (
            "証明書発行サービス専用のパスワードを「第2パスワード」欄と「第2パスワード（確認）」欄に入力し、「設定」ボタンを押してください。",
            "Enter a password for this service only in both fields and press Set.",
        ),
        SetButton => ("設定", "Set"),
        SecondPasswordDoneTitle => ("第2パスワードを設定しました", "Second password set"),
        SecondPasswordDoneBody => (
            "第2パスワードの設定が完了しました。ユーザID、パスワード、第2パスワードを入力してログインしてください。",
            "Your second password is set. Log in with your user ID, password and second password.",
        ),

        // Home
        HomeTitle => ("ホーム", "Home"),
        Welcome => ("ようこそ", "Welcome"),
        ProfileHeading => ("登録情報", "Your details"),
        ProfileName => ("氏名", "Name"),
        ProfileStudentNumber => ("学籍番号", "Student number"),
        ProfileAffiliation => ("所属", "Faculty and department"),
        ProfileStatus => ("在籍状況", "Status"),
        ProfileEmail => ("メールアドレス", "Email address"),

        // One-time links
        LinkStartAgain => ("お手数ですが、ログインページから手続きをやり直してください。", "Please start again from the login page."),

        // Errors
        InvalidCredentials => (
            "ユーザID、パスワード、または第2パスワードが正しくありません。",
            "The user ID, password or second password is not correct.",
        ),

        // Menu and account changes (manual 2.4)
        ChangeButton => ("変更", "Change"),
        SendButton => ("送信", "Send"),
        ChangeEmailTitle => ("メールアドレスの変更", "Change your email address"),
        ChangeEmailLead => (
            "新しいメールアドレスを「新しいメールアドレス」欄と「新しいメールアドレス（確認）」欄に入力し、本人確認のため現在の第2パスワードを入力して「確認」ボタンを押してください。新しいメールアドレス宛に確認メールが届きます。",
            "Enter the new address in both fields and, to confirm it is you, your current second password; then press Confirm. A confirmation mail will be sent to the new address.",
        ),
        ChangeEmailSentTitle => ("確認メールを送信しました", "Confirmation mail sent"),
        ChangeEmailSentBody => (
            "新しいメールアドレス宛に確認メールを送信しました。メール本文にあるワンタイムURLを開き、変更を完了してください。変更が完了するまでは、現在のメールアドレスが使われます。URLには期限があります。",
            "A confirmation mail has been sent to the new address. Open the one-time URL in it to complete the change. Until then your current address stays registered. The URL expires.",
        ),
        ConfirmEmailChangeTitle => ("メールアドレス変更の確認", "Confirm the new email address"),
        ConfirmEmailChangeLead => (
            "下のボタンを押すと、メールアドレスの変更が完了します。",
            "Press the button below to complete the change of your email address.",
        ),
        ConfirmEmailChangeButton => ("メールアドレスを変更する", "Change my email address"),
        EmailChangedTitle => ("メールアドレスの変更完了", "Email address changed"),
        EmailChangedBody => (
            "メールアドレスの変更が完了しました。以前のメールアドレスにもお知らせを送りました。",
            "Your email address has been changed. A notice has also been sent to your previous address.",
        ),
        ChangeSecondPasswordTitle => ("第2パスワードの変更", "Change your second password"),
        ChangeSecondPasswordLead => (
            "現在の第2パスワードを「現在の第2パスワード」欄に、新しく登録する第2パスワードを「新しい第2パスワード」欄と「新しい第2パスワード（確認）」欄に入力し、「変更」ボタンを押してください。",
            "Enter your current second password, then the new one in both fields, and press Change.",
        ),
        SecondPasswordChangedTitle => ("第2パスワードの変更完了", "Second password changed"),
        SecondPasswordChangedBody => (
            "第2パスワードの変更が完了しました。ほかの端末でのログインは終了しました。登録メールアドレスにお知らせを送りました。",
            "Your second password has been changed. Logins on other devices have been ended, and a notice has been sent to your registered address.",
        ),
        ForgotSecondPassword => ("第2パスワードを忘れた場合", "Forgot your second password?"),
        ForgotTitle => ("第2パスワードの再設定", "Reset your second password"),
        ForgotLead => (
            "第2パスワードを再設定するため、登録しているメールアドレスを「メールアドレス」欄に入力し、「送信」ボタンを押してください。再設定用のワンタイムURLをお送りします。",
            "To reset your second password, enter your registered email address and press Send. We will send you a one-time URL for the reset.",
        ),
        ForgotSentTitle => ("受け付けました", "Request received"),
        ForgotSentBody => (
            "入力されたメールアドレスが登録されている場合、再設定用のメールを送信しました。メール本文にあるワンタイムURLを開き、新しい第2パスワードを設定してください。メールが届かない場合は、入力したメールアドレスをご確認のうえ、お問い合わせ窓口にご相談ください。",
            "If the address you entered is registered, a mail with a reset link has been sent to it. Open the one-time URL in the mail to set a new second password. If no mail arrives, check the address and contact the help desk.",
        ),
        ResetTitle => ("新しい第2パスワードの設定", "Set a new second password"),
        ResetLead => (
            "新しく登録する第2パスワードを「新しい第2パスワード」欄と「新しい第2パスワード（確認）」欄に入力し、「変更」ボタンを押してください。",
            "Enter your new second password in both fields and press Change.",
        ),
        ResetDoneTitle => ("第2パスワードの再設定完了", "Second password reset"),
        ResetDoneBody => (
            "第2パスワードの再設定が完了しました。ログインページから、新しい第2パスワードでログインしてください。",
            "Your second password has been reset. Log in from the login page with your new second password.",
        ),
        StartAgainEmailChange => (
            "ログイン後、メニューの「メールアドレス変更」から手続きをやり直してください。",
            "Log in and start again from \"Change email address\" in the menu.",
        ),
        StartAgainReset => (
            "ログインページの「第2パスワードを忘れた場合」から手続きをやり直してください。",
            "Start again from \"Forgot your second password?\" on the login page.",
        ),

        // Errors of 2.4
        ReauthenticationLoggedOut => (
            "現在の第2パスワードの誤りが続いたため、安全のためログアウトしました。もう一度ログインしてください。",
            "The current second password was wrong several times, so you have been logged out for your safety. Please log in again.",
        ),
        TooManyLinkMails => (
            "短時間に多くのメールを送信したため、しばらく送信できません。1時間ほど待ってからもう一度お試しください。",
            "Too many mails were sent in a short time. Wait about an hour and try again.",
        ),

        // Password policy and abuse limits
        LoginThrottled => (
            "ログインの失敗が続いたため、このユーザIDのログインを一時的に停止しています。数分待ってからもう一度お試しください。",
            "After several failed logins, logins for this user ID are paused for a while. Wait a few minutes and try again.",
        ),

        // The login page inside the university portal
        FramedLoginHint => (
            "ポータルの中でログインできない場合は、新しいタブで開いてください。",
            "If you cannot log in inside the portal, open this page in a new tab.",
        ),
        OpenInNewTab => ("新しいタブで開く", "Open in a new tab"),
        EmailTaken => (
            "このメールアドレスは登録できません。別のメールアドレスでやり直してください。",
            "This address cannot be registered. Please start again with another address.",
        ),
    }
}

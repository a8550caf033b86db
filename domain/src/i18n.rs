//! The message catalogue: every user-visible string, in Japanese (the default) and English.
//!
//! Messages are keys (`Msg`), so errors cross the wire as keys and each side renders them in
//! the reader's language. The language is chosen per request (`?lang=` or the `shomei_lang`
//! cookie) and written into `<html lang>`; the browser reads it back from there, so server and
//! browser always render the same text.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's own name, shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ja => "日本語",
            Lang::En => "English",
        }
    }
}

/// Name of the cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "shomei_lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Msg {
    // Frame
    ServiceName,
    LanguageLabel,
    Menu,
    Logout,
    SkipToContent,
    // Root and errors
    ChooseUniversity,
    NoUniversities,
    NotFoundTitle,
    NotFoundBody,
    // Login
    LoginTitle,
    UserId,
    Password,
    SecondPassword,
    SecondPasswordFirstLoginHint,
    LoginButton,
    Notes,
    DefaultNotes,
    SupportedBrowsers,
    SupportedBrowsersText,
    Helpdesk,
    DefaultHelpdesk,
    // Email registration
    RegisterEmailTitle,
    RegisterEmailLead,
    Email,
    EmailConfirm,
    ConfirmButton,
    EmailSentTitle,
    EmailSentBody,
    ConfirmEmailTitle,
    ConfirmEmailLead,
    ConfirmEmailButton,
    EmailDoneTitle,
    EmailDoneBody,
    GoToLogin,
    // Second password setup
    SetupSecondPasswordTitle,
    SetupSecondPasswordLead,
    SecondPasswordRule,
    SecondPasswordConfirm,
    SetButton,
    SecondPasswordDoneTitle,
    SecondPasswordDoneBody,
    // Home
    HomeTitle,
    Welcome,
    ProfileHeading,
    ProfileName,
    ProfileStudentNumber,
    ProfileAffiliation,
    ProfileStatus,
    ProfileEmail,
    StatusEnrolled,
    StatusGraduated,
    StatusOnLeave,
    StatusWithdrawn,
    // Development mailbox
    DevMailboxTitle,
    DevMailboxLead,
    DevMailboxEmpty,
    MailTo,
    MailSubject,
    MailCreatedAt,
    // One-time links
    LinkExpired,
    LinkUsed,
    LinkVoided,
    LinkUnknown,
    LinkStartAgain,
    // Mails
    MailEmailSubject,
    MailEmailBody,
    MailExpiryLabel,
    MailFooter,
    // Errors
    InvalidCredentials,
    Required,
    UserIdInvalid,
    EmailInvalid,
    EmailFullWidth,
    EmailTooLong,
    EmailMismatch,
    EmailTaken,
    PasswordTooShort,
    PasswordTooLong,
    PasswordNotHalfWidth,
    PasswordNeedsMix,
    PasswordMismatch,
    PasswordEqualsUniversity,
    PasswordEqualsUserId,
    SessionRequired,
    InternalError,
    NetworkError,
    // Menu and account changes (manual 2.4)
    MenuLabel,
    MenuEmailChange,
    MenuSecondPasswordChange,
    MenuManual,
    CurrentSecondPassword,
    NewEmail,
    NewEmailConfirm,
    NewSecondPassword,
    NewSecondPasswordConfirm,
    ChangeButton,
    SendButton,
    OkButton,
    ChangeEmailTitle,
    ChangeEmailLead,
    ChangeEmailSentTitle,
    ChangeEmailSentBody,
    ConfirmEmailChangeTitle,
    ConfirmEmailChangeLead,
    ConfirmEmailChangeButton,
    EmailChangedTitle,
    EmailChangedBody,
    ChangeSecondPasswordTitle,
    ChangeSecondPasswordLead,
    SecondPasswordChangedTitle,
    SecondPasswordChangedBody,
    ForgotSecondPassword,
    ForgotTitle,
    ForgotLead,
    ForgotSentTitle,
    ForgotSentBody,
    ResetTitle,
    ResetLead,
    ResetDoneTitle,
    ResetDoneBody,
    StartAgainEmailChange,
    StartAgainReset,
    ManualTitle,
    BackToHome,
    // Mails of 2.4
    MailEmailChangeSubject,
    MailEmailChangeBody,
    MailChangeRequestedSubject,
    MailChangeRequestedBody,
    MailEmailChangedSubject,
    MailEmailChangedBody,
    MailSecondPasswordChangedSubject,
    MailSecondPasswordChangedBody,
    MailResetSubject,
    MailResetBody,
    MailResetDoneSubject,
    MailResetDoneBody,
    MailNotYouFooter,
    // Errors of 2.4
    WrongSecondPassword,
    ReauthenticationLoggedOut,
    TooManyLinkMails,
    PasswordSameAsCurrent,
    EmailUnchanged,
    // Password policy and abuse limits
    SecondPasswordRuleLong,
    PasswordTooShortLong,
    PasswordHasControl,
    PasswordCommon,
    PasswordEqualsStudentNumber,
    LoginThrottled,
    TooManyRequests,
    ServiceBusy,
    // The login page inside the university portal
    FramedLoginHint,
    OpenInNewTab,
}

impl Msg {
    pub fn text(self, lang: Lang) -> &'static str {
        let (ja, en) = self.texts();
        match lang {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    fn texts(self) -> (&'static str, &'static str) {
        use Msg::*;
        match self {
            ServiceName => ("証明書発行サービス", "Certificate Issuance Service"),
            LanguageLabel => ("言語", "Language"),
            Menu => ("メニュー", "Menu"),
            Logout => ("ログアウト", "Log out"),
            SkipToContent => ("本文へ移動", "Skip to content"),
            ChooseUniversity => (
                "ご利用の大学を選んでください。",
                "Choose your university.",
            ),
            NoUniversities => (
                "まだ大学が登録されていません。",
                "No university has been set up yet.",
            ),
            NotFoundTitle => ("ページが見つかりません", "Page not found"),
            NotFoundBody => (
                "URLをご確認ください。大学のホームページのリンクからアクセスしてください。",
                "Please check the address, or follow the link on your university's homepage.",
            ),
            LoginTitle => ("在学生ログイン", "Student login"),
            UserId => ("ユーザID", "User ID"),
            Password => ("パスワード", "Password"),
            SecondPassword => ("第2パスワード", "Second password"),
            SecondPasswordFirstLoginHint => (
                "大学で利用しているユーザIDとパスワードを入力してください。初回ログイン時は第2パスワードを空欄のまま進みます。",
                "Enter the user ID and password you use at your university. On your first login, leave the second password empty.",
            ),
            LoginButton => ("ログイン", "Log in"),
            Notes => ("注意事項", "Notes"),
            DefaultNotes => (
                "証明書発行サービスを利用するには、初回ログイン時にメールアドレスと第2パスワードの登録が必要です。第2パスワードは大学のパスワードとは別のものを設定してください。共用のパソコンでは、利用後に必ずログアウトしてください。",
                "Before using the service, register an email address and a second password at your first login. Choose a second password different from your university password. On a shared computer, always log out when you are done.",
            ),
            SupportedBrowsers => ("動作環境", "Supported browsers"),
            SupportedBrowsersText => (
                "パソコン: Chrome, Firefox, Safari, Edge（最新版）／スマートフォン: iPhone の Safari, Android の Chrome",
                "Computers: Chrome, Firefox, Safari, Edge (latest versions). Smartphones: Safari on iPhone, Chrome on Android.",
            ),
            Helpdesk => ("お問い合わせ", "Help desk"),
            DefaultHelpdesk => (
                "ご不明な点は、大学の証明書発行窓口にお問い合わせください。",
                "If you need help, please contact your university's certificate office.",
            ),
            RegisterEmailTitle => ("メールアドレスの登録", "Register your email address"),
            RegisterEmailLead => (
                "登録するメールアドレスを「メールアドレス」欄と「メールアドレス（確認）」欄に入力し、「確認」ボタンを押してください。確認メールが届きます。",
                "Enter the address to register in both fields and press Confirm. A confirmation mail will be sent to it.",
            ),
            Email => ("メールアドレス", "Email address"),
            EmailConfirm => ("メールアドレス（確認）", "Email address (confirm)"),
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
            GoToLogin => ("ログインページへ移動", "Go to the login page"),
            SetupSecondPasswordTitle => ("第2パスワードの設定", "Set your second password"),
            SetupSecondPasswordLead => (
                "証明書発行サービス専用のパスワードを「第2パスワード」欄と「第2パスワード（確認）」欄に入力し、「設定」ボタンを押してください。",
                "Enter a password for this service only in both fields and press Set.",
            ),
            SecondPasswordRule => (
                "半角英数字8文字以上で、英大文字・英小文字・数字をそれぞれ1文字以上含めてください。大学で利用しているパスワードやユーザIDは設定できません。",
                "At least 8 half-width characters, with at least one upper-case letter, one lower-case letter and one digit. Your university password and your user ID cannot be used.",
            ),
            SecondPasswordConfirm => ("第2パスワード（確認）", "Second password (confirm)"),
            SetButton => ("設定", "Set"),
            SecondPasswordDoneTitle => ("第2パスワードを設定しました", "Second password set"),
            SecondPasswordDoneBody => (
                "第2パスワードの設定が完了しました。ユーザID、パスワード、第2パスワードを入力してログインしてください。",
                "Your second password is set. Log in with your user ID, password and second password.",
            ),
            HomeTitle => ("ホーム", "Home"),
            Welcome => ("ようこそ", "Welcome"),
            ProfileHeading => ("登録情報", "Your details"),
            ProfileName => ("氏名", "Name"),
            ProfileStudentNumber => ("学籍番号", "Student number"),
            ProfileAffiliation => ("所属", "Faculty and department"),
            ProfileStatus => ("在籍状況", "Status"),
            ProfileEmail => ("メールアドレス", "Email address"),
            StatusEnrolled => ("在学", "Enrolled"),
            StatusGraduated => ("卒業", "Graduated"),
            StatusOnLeave => ("休学", "On leave"),
            StatusWithdrawn => ("退学", "Withdrawn"),
            DevMailboxTitle => ("開発用メールボックス", "Development mailbox"),
            DevMailboxLead => (
                "SMTPサーバが設定されていないため、送信するメールをここに表示しています（開発用）。",
                "No SMTP server is configured, so outgoing mail is shown here instead (development only).",
            ),
            DevMailboxEmpty => ("メールはまだありません。", "No mail yet."),
            MailTo => ("宛先", "To"),
            MailSubject => ("件名", "Subject"),
            MailCreatedAt => ("作成日時", "Created"),
            LinkExpired => (
                "このURLは有効期限が切れています。",
                "This link has expired.",
            ),
            LinkUsed => (
                "このURLはすでに使用されています。",
                "This link has already been used.",
            ),
            LinkVoided => (
                "このURLは、その後の新しい手続きにより無効になりました。最新のメールのURLを開いてください。",
                "This link was replaced by a newer request. Please open the link in the latest mail.",
            ),
            LinkUnknown => ("このURLは無効です。", "This link is not valid."),
            LinkStartAgain => (
                "お手数ですが、ログインページから手続きをやり直してください。",
                "Please start again from the login page.",
            ),
            MailEmailSubject => (
                "【証明書発行サービス】メールアドレス登録の確認",
                "[Certificate Issuance Service] Confirm your email address",
            ),
            MailEmailBody => (
                "証明書発行サービスへのメールアドレス登録を受け付けました。\n次のURLを開き、表示される画面のボタンを押して登録を完了してください。",
                "We received a request to register this address with the Certificate Issuance Service.\nOpen the following URL and press the button on the page to complete the registration.",
            ),
            MailExpiryLabel => ("URLの有効期限", "This URL expires at"),
            MailFooter => (
                "このメールに心当たりがない場合は、破棄してください。このメールには返信できません。",
                "If you did not make this request, please ignore this mail. Replies to this address are not read.",
            ),
            InvalidCredentials => (
                "ユーザID、パスワード、または第2パスワードが正しくありません。",
                "The user ID, password or second password is not correct.",
            ),
            Required => ("入力してください。", "Please fill in this field."),
            UserIdInvalid => (
                "ユーザIDの形式が正しくありません。",
                "This is not a valid user ID.",
            ),
            EmailInvalid => (
                "メールアドレスの形式が正しくありません（例: name@example.ac.jp）。",
                "This is not a valid email address (for example name@example.ac.jp).",
            ),
            EmailFullWidth => (
                "メールアドレスは半角で入力してください。",
                "Please type the email address in half-width characters.",
            ),
            EmailTooLong => (
                "メールアドレスが長すぎます。",
                "This email address is too long.",
            ),
            EmailMismatch => (
                "確認欄のメールアドレスが一致しません。",
                "The two email addresses do not match.",
            ),
            EmailTaken => (
                "このメールアドレスは登録できません。別のメールアドレスでやり直してください。",
                "This address cannot be registered. Please start again with another address.",
            ),
            PasswordTooShort => (
                "8文字以上で入力してください。",
                "Use at least 8 characters.",
            ),
            PasswordTooLong => (
                "128文字以内で入力してください。",
                "Use at most 128 characters.",
            ),
            PasswordNotHalfWidth => (
                "半角英数字（記号も可）で入力してください。",
                "Use half-width letters, digits and symbols only.",
            ),
            PasswordNeedsMix => (
                "英大文字・英小文字・数字をそれぞれ1文字以上含めてください。",
                "Include at least one upper-case letter, one lower-case letter and one digit.",
            ),
            PasswordMismatch => (
                "確認欄の第2パスワードが一致しません。",
                "The two passwords do not match.",
            ),
            PasswordEqualsUniversity => (
                "大学で利用しているパスワードは第2パスワードに設定できません。",
                "Your university password cannot be used as the second password.",
            ),
            PasswordEqualsUserId => (
                "ユーザIDと同じ文字列は第2パスワードに設定できません。",
                "Your user ID cannot be used as the second password.",
            ),
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
            MenuLabel => ("アカウントのメニュー", "Account menu"),
            MenuEmailChange => ("メールアドレス変更", "Change email address"),
            MenuSecondPasswordChange => ("第2パスワード変更", "Change second password"),
            MenuManual => ("マニュアル", "Manual"),
            CurrentSecondPassword => ("現在の第2パスワード", "Current second password"),
            NewEmail => ("新しいメールアドレス", "New email address"),
            NewEmailConfirm => ("新しいメールアドレス（確認）", "New email address (confirm)"),
            NewSecondPassword => ("新しい第2パスワード", "New second password"),
            NewSecondPasswordConfirm => ("新しい第2パスワード（確認）", "New second password (confirm)"),
            ChangeButton => ("変更", "Change"),
            SendButton => ("送信", "Send"),
            OkButton => ("OK", "OK"),
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
            ManualTitle => ("操作マニュアル", "User manual"),
            BackToHome => ("ホームへ戻る", "Back to home"),
            MailEmailChangeSubject => (
                "【証明書発行サービス】メールアドレス変更の確認",
                "[Certificate Issuance Service] Confirm your new email address",
            ),
            MailEmailChangeBody => (
                "証明書発行サービスのメールアドレス変更を受け付けました。\n次のURLを開き、表示される画面のボタンを押して変更を完了してください。",
                "We received a request to change your address for the Certificate Issuance Service to this one.\nOpen the following URL and press the button on the page to complete the change.",
            ),
            MailChangeRequestedSubject => (
                "【証明書発行サービス】メールアドレス変更の手続きが行われました",
                "[Certificate Issuance Service] A change of your email address was requested",
            ),
            MailChangeRequestedBody => (
                "あなたのアカウントで、登録メールアドレスの変更手続きが行われました。新しいメールアドレスで確認が完了すると、このアドレスには今後お知らせが届かなくなります。",
                "A change of the registered email address was requested for your account. Once the new address is confirmed, notices will no longer be sent to this address.",
            ),
            MailEmailChangedSubject => (
                "【証明書発行サービス】メールアドレスが変更されました",
                "[Certificate Issuance Service] Your email address was changed",
            ),
            MailEmailChangedBody => (
                "あなたのアカウントの登録メールアドレスが変更されました。今後のお知らせは新しいメールアドレスに送られます。",
                "The registered email address of your account has been changed. Notices will be sent to the new address from now on.",
            ),
            MailSecondPasswordChangedSubject => (
                "【証明書発行サービス】第2パスワードが変更されました",
                "[Certificate Issuance Service] Your second password was changed",
            ),
            MailSecondPasswordChangedBody => (
                "あなたのアカウントの第2パスワードが変更されました。ほかの端末でのログインは終了しています。",
                "The second password of your account has been changed. Logins on other devices have been ended.",
            ),
            MailResetSubject => (
                "【証明書発行サービス】第2パスワードの再設定",
                "[Certificate Issuance Service] Reset your second password",
            ),
            MailResetBody => (
                "第2パスワードの再設定を受け付けました。\n次のURLを開き、新しい第2パスワードを設定してください。",
                "We received a request to reset your second password.\nOpen the following URL and set a new second password.",
            ),
            MailResetDoneSubject => (
                "【証明書発行サービス】第2パスワードが再設定されました",
                "[Certificate Issuance Service] Your second password was reset",
            ),
            MailResetDoneBody => (
                "あなたのアカウントの第2パスワードが再設定されました。すべての端末でのログインは終了しています。",
                "The second password of your account has been reset. All logins have been ended.",
            ),
            MailNotYouFooter => (
                "この手続きに心当たりがない場合は、すぐに大学のお問い合わせ窓口にご連絡ください。このメールには返信できません。",
                "If this was not you, contact your university's help desk at once. Replies to this address are not read.",
            ),
            WrongSecondPassword => (
                "現在の第2パスワードが正しくありません。",
                "The current second password is not correct.",
            ),
            TooManyLinkMails => (
                "短時間に多くのメールを送信したため、しばらく送信できません。1時間ほど待ってからもう一度お試しください。",
                "Too many mails were sent in a short time. Wait about an hour and try again.",
            ),
            ReauthenticationLoggedOut => (
                "現在の第2パスワードの誤りが続いたため、安全のためログアウトしました。もう一度ログインしてください。",
                "The current second password was wrong several times, so you have been logged out for your safety. Please log in again.",
            ),
            PasswordSameAsCurrent => (
                "現在の第2パスワードとは異なるものを設定してください。",
                "Choose a password different from the current one.",
            ),
            EmailUnchanged => (
                "現在登録されているメールアドレスと同じです。",
                "This is the address already registered.",
            ),
            SecondPasswordRuleLong => (
                "15文字以上で設定してください。文字の種類は問いません（空白やかなも使えます）。",
                "Use at least 15 characters of any kind (spaces and kana are fine).",
            ),
            PasswordTooShortLong => (
                "15文字以上で入力してください。",
                "Use at least 15 characters.",
            ),
            PasswordHasControl => (
                "タブや改行は使えません。",
                "Tabs and line breaks cannot be used.",
            ),
            PasswordCommon => (
                "よく使われていて推測されやすいパスワードのため設定できません。別のものにしてください。",
                "This password is among the most common ones and easy to guess. Choose another.",
            ),
            PasswordEqualsStudentNumber => (
                "学籍番号と同じ文字列は第2パスワードに設定できません。",
                "Your student number cannot be used as the second password.",
            ),
            LoginThrottled => (
                "ログインの失敗が続いたため、このユーザIDのログインを一時的に停止しています。数分待ってからもう一度お試しください。",
                "After several failed logins, logins for this user ID are paused for a while. Wait a few minutes and try again.",
            ),
            TooManyRequests => (
                "短時間に多くの操作が行われました。しばらく待ってからもう一度お試しください。",
                "Too many requests in a short time. Wait a moment and try again.",
            ),
            ServiceBusy => (
                "ただいま混み合っています。少し待ってからもう一度お試しください。",
                "The service is busy right now. Wait a moment and try again.",
            ),
            FramedLoginHint => (
                "ポータルの中でログインできない場合は、新しいタブで開いてください。",
                "If you cannot log in inside the portal, open this page in a new tab.",
            ),
            OpenInNewTab => ("新しいタブで開く", "Open in a new tab"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_code_round_trips() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("fr"), None);
    }

    #[test]
    fn english_and_japanese_texts_differ_for_error_messages() {
        assert_ne!(
            Msg::InvalidCredentials.text(Lang::Ja),
            Msg::InvalidCredentials.text(Lang::En)
        );
    }
}

//! The field catalogue: the labels, hints and refusals of form fields. The only catalogue the
//! islands link, so the student's WASM carries these texts and no others.

crate::catalogue! {
    pub enum FieldMsg {
        // Login
        UserId => ("ユーザID", "User ID"),
        Password => ("パスワード", "Password"),
        SecondPassword => ("第2パスワード", "Second password"),

        // Staff sign-in
        LoginId => ("ログインID", "Login ID"),
        OneTimeCode => ("確認コード", "Code"),
        NewPassword => ("新しいパスワード", "New password"),
        NewPasswordConfirm => ("新しいパスワード（確認）", "New password (confirm)"),
        StaffPasswordTooShort => ("12文字以上で入力してください。", "Use at least 12 characters."),
        StaffPasswordHasLoginId => (
            "ログインIDを含むパスワードは設定できません。",
            "The password must not contain your login ID.",
        ),
        NewPasswordMismatch => ("確認欄のパスワードが一致しません。", "The two passwords do not match."),
        StaffName => ("氏名", "Name"),
        LoginIdTaken => ("このログインIDは既に使われています。", "This login ID is already in use."),

        DateInvalid => ("日付は 2026-11-30 の形式で入力してください。この日付は条件から外しました。", "Enter dates like 2026-11-30. This date was left out of the filter."),

        // Balance corrections
        CorrectionAmount => ("訂正額（円。減らすときは -300 のように）", "Correction in yen (to take money off, like -300)"),
        CorrectionReason => ("理由", "Reason"),
        CorrectionZero => ("0円の訂正はできません。", "A correction cannot be 0 yen."),
        CorrectionTooLarge => ("訂正額は100万円以内で入力してください。", "A correction is at most 1,000,000 yen either way."),
        BadReason => ("理由を200文字以内で入力してください。", "Give a reason of at most 200 characters."),

        // University settings
        UniversityName => ("大学名", "University name (Japanese)"),
        UniversityNameEn => ("大学名（英語）", "University name (English)"),
        NotesJa => ("注意事項（日本語）", "Notes (Japanese)"),
        NotesEn => ("注意事項（英語）", "Notes (English)"),
        HelpdeskJa => ("問い合わせ先（日本語）", "Help desk (Japanese)"),
        HelpdeskEn => ("問い合わせ先（英語）", "Help desk (English)"),
        CardName => ("カードの名前", "Card name"),
        TopUpMin => ("チャージの最低額（円）", "Smallest top-up (yen)"),
        TopUpMax => ("チャージの最高額（円）", "Largest top-up (yen)"),
        BalanceMax => ("残高の上限（円）", "Largest balance (yen)"),
        LinkMinutes => ("ワンタイムURLの有効時間（分、空欄は既定値）", "One-time link lifetime (minutes; empty for the default)"),
        PasswordRule => ("第2パスワードの規則", "Second password rule"),
        PasswordRuleManual => ("マニュアルの規則（8文字以上、英大文字・英小文字・数字）", "The manual's rule (8+ characters, upper and lower case, digits)"),
        PasswordRuleLong => ("長いパスワード（15文字以上、文字の種類は問わない）", "Long passwords (15+ characters of any kind)"),
        PortalOrigins => ("ポータルのオリジン（1行に1つ）", "Portal origins (one per line)"),
        TooLong => ("入力できる文字数を超えています。", "This is too long."),
        ControlCharacters => ("使用できない文字が含まれています。", "This contains characters that cannot be used."),
        LimitsOrder => (
            "最低額 ≦ 最高額 ≦ 残高の上限（1,000万円以下）となる、1円以上の金額を入力してください。",
            "Enter amounts of at least 1 yen with smallest ≤ largest top-up ≤ largest balance (at most 10,000,000 yen).",
        ),
        LinkMinutesRange => ("1分から10080分（7日）までの整数で入力してください。", "Enter a whole number from 1 to 10080 minutes (7 days)."),
        OriginInvalid => (
            "https://portal.example.ac.jp のように、パスのないオリジンを1行に1つ入力してください。",
            "Enter one origin per line, like https://portal.example.ac.jp, without a path.",
        ),

        // Email registration
        Email => ("メールアドレス", "Email address"),
        EmailConfirm => ("メールアドレス（確認）", "Email address (confirm)"),

        // Second password setup
        SecondPasswordRule => (
            "半角英数字8文字以上で、英大文字・英小文字・数字をそれぞれ1文字以上含めてください。大学で利用しているパスワードやユーザIDは設定できません。",
            "At least 8 half-width characters, with at least one upper-case letter, one lower-case letter and one digit. Your university password and your user ID cannot be used.",
        ),
        SecondPasswordConfirm => ("第2パスワード（確認）", "Second password (confirm)"),

        // Errors
        Required => ("入力してください。", "Please fill in this field."),
        AmountNotWhole => (
            "金額は1円単位の数字で入力してください（例: 3000）。",
            "Enter the amount as a whole number of yen (for example 3000).",
        ),
        UserIdInvalid => ("ユーザIDの形式が正しくありません。", "This is not a valid user ID."),
        EmailInvalid => (
            "メールアドレスの形式が正しくありません（例: name@example.ac.jp）。",
            "This is not a valid email address (for example name@example.ac.jp).",
        ),
        EmailFullWidth => (
            "メールアドレスは半角で入力してください。",
            "Please type the email address in half-width characters.",
        ),
        EmailTooLong => ("メールアドレスが長すぎます。", "This email address is too long."),
        EmailMismatch => ("確認欄のメールアドレスが一致しません。", "The two email addresses do not match."),
        PasswordTooShort => ("8文字以上で入力してください。", "Use at least 8 characters."),
        PasswordTooLong => ("128文字以内で入力してください。", "Use at most 128 characters."),
        PasswordNotHalfWidth => (
            "半角英数字（記号も可）で入力してください。",
            "Use half-width letters, digits and symbols only.",
        ),
        PasswordNeedsMix => (
            "英大文字・英小文字・数字をそれぞれ1文字以上含めてください。",
            "Include at least one upper-case letter, one lower-case letter and one digit.",
        ),
        PasswordMismatch => ("確認欄の第2パスワードが一致しません。", "The two passwords do not match."),
        PasswordEqualsUniversity => (
            "大学で利用しているパスワードは第2パスワードに設定できません。",
            "Your university password cannot be used as the second password.",
        ),
        PasswordEqualsUserId => (
            "ユーザIDと同じ文字列は第2パスワードに設定できません。",
            "Your user ID cannot be used as the second password.",
        ),

        // Menu and account changes (manual 2.4)
        CurrentSecondPassword => ("現在の第2パスワード", "Current second password"),
        NewEmail => ("新しいメールアドレス", "New email address"),
        NewEmailConfirm => ("新しいメールアドレス（確認）", "New email address (confirm)"),
        NewSecondPassword => ("新しい第2パスワード", "New second password"),
        NewSecondPasswordConfirm => ("新しい第2パスワード（確認）", "New second password (confirm)"),

        // Errors of 2.4
        WrongSecondPassword => ("現在の第2パスワードが正しくありません。", "The current second password is not correct."),
        PasswordSameAsCurrent => (
            "現在の第2パスワードとは異なるものを設定してください。",
            "Choose a password different from the current one.",
        ),
        EmailUnchanged => ("現在登録されているメールアドレスと同じです。", "This is the address already registered."),

        // Password policy and abuse limits
        SecondPasswordRuleLong => (
            "15文字以上で設定してください。文字の種類は問いません（空白やかなも使えます）。",
            "Use at least 15 characters of any kind (spaces and kana are fine).",
        ),
        PasswordTooShortLong => ("15文字以上で入力してください。", "Use at least 15 characters."),
        PasswordHasControl => ("タブや改行は使えません。", "Tabs and line breaks cannot be used."),
        PasswordCommon => (
            "よく使われていて推測されやすいパスワードのため設定できません。別のものにしてください。",
            "This password is among the most common ones and easy to guess. Choose another.",
        ),
        // The certificate application's address (post within Japan, EMS abroad)
        PostalCode => ("郵便番号", "Postal code"),
        Prefecture => ("都道府県", "Prefecture"),
        City => ("市区町村", "City"),
        Street => ("町名・番地", "Street and number"),
        Building => ("建物名・部屋番号（任意）", "Building and room (optional)"),
        Recipient => ("宛名", "Recipient"),
        Country => ("国名", "Country"),
        Purpose => ("用途（任意）", "Purpose (optional)"),
        Copies => ("部数", "Copies"),
        PostalCodeInvalid => ("郵便番号は7桁の数字で入力してください（例: 113-0033）。", "Enter the postal code as 7 digits (like 113-0033)."),
        ChoosePrefecture => ("都道府県を選んでください。", "Choose a prefecture."),
        LatinLettersOnly => ("海外への送付先はローマ字（半角英数字）で入力してください。", "Write an address abroad in Latin letters and digits."),
        TrackingNumber => ("追跡番号", "Tracking number"),
        VerificationCode => ("照合コード", "Verification code"),
        ShareRecipient => ("共有する相手（会社名・部署など）", "Who it is for (company, department)"),
        ShareRecipientInvalid => ("共有する相手を、1行・100文字以内で入力してください。", "Enter who it is for, on one line, in 100 characters at most."),
        ShareDays => ("共有する日数（1〜365日）", "Days to share it (1 to 365)"),
        ShareDaysInvalid => ("共有する日数は、1から365までの数で入力してください。", "Enter the days as a number from 1 to 365."),
        ShareConsent => ("上記に同意します", "I agree to the above"),
        ShareConsentRequired => ("共有するには、個人情報の提供に同意してください。", "To share it, agree to give your personal data."),
        ChooseRevocationReason => ("失効の理由を選んでください。", "Choose the reason for revoking."),
        VerificationCodeInvalid => (
            "照合コードは、証明書に印刷された12文字です（例: K7MX-Q2WR-9TPA）。",
            "The verification code is the 12 characters printed on the certificate (like K7MX-Q2WR-9TPA).",
        ),
        VerificationCodeWrong => (
            "照合コードが一致しません。証明書に印刷されたとおりに入力してください。",
            "The verification code does not match. Enter it as printed on the certificate.",
        ),
        TrackingInvalid => ("追跡番号は4〜40文字の英数字とハイフンで入力してください。", "Enter the tracking number as 4 to 40 letters, digits and hyphens."),
        CopiesTooMany => ("部数が上限を超えています。各証明書の上限は一覧に表示しています。", "Too many copies. Each certificate's limit is shown in the list."),
        CopiesInvalid => ("部数は1以上の整数で入力してください。", "Enter the number of copies as a whole number from 1."),
        PasswordEqualsStudentNumber => (
            "学籍番号と同じ文字列は第2パスワードに設定できません。",
            "Your student number cannot be used as the second password.",
        ),
    }
}

//! The mail catalogue: subjects and texts of every mail. Server only: the student's WASM
//! never carries them.

domain::catalogue! {
    pub enum MailMsg {
        // Mails
        MailEmailSubject => (
            "【証明書発行サービス】メールアドレス登録の確認",
            "[Certificate Issuance Service] Confirm your email address",
        ),
        MailEmailBody => (
            "証明書発行サービスへのメールアドレス登録を受け付けました。\n次のURLを開き、表示される画面のボタンを押して登録を完了してください。",
            "We received a request to register this address with the Certificate Issuance Service.\nOpen the following URL and press the button on the page to complete the registration.",
        ),
        MailExpiryLabel => ("URLの有効期限", "This URL expires at"),

        // Staff (issue #15)
        MailStaffSetUpSubject => (
            "【証明書発行サービス】教職員アカウントの設定",
            "[Certificate Issuance Service] Set up your staff account",
        ),
        MailStaffSetUpBody => (
            "証明書発行サービスの教職員コンソールのアカウントが用意されました（ログインID: {login_id}）。\n次のURLを開いてパスワードを設定し、その後サインインして認証アプリを設定してください。",
            "A staff account of the Certificate Issuance Service's console is ready for you (login ID: {login_id}).\nOpen the following URL to choose your password, then sign in and set up your authenticator app.",
        ),
        MailFooter => (
            "このメールに心当たりがない場合は、破棄してください。このメールには返信できません。",
            "If you did not make this request, please ignore this mail. Replies to this address are not read.",
        ),

        // Mails of 2.4
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
        MailTopUpSubject => (
            "【証明書発行サービス】チャージ完了のお知らせ",
            "[Certificate Issuance Service] Your top-up is complete",
        ),
        MailTopUpBody => (
            "{card}へのチャージが完了しました。\nチャージ金額: {amount}円\nチャージ後の残高: {balance}円\n受付番号: {reference}\n\nチャージした残高は証明書の手数料などに使えます。現金での払い戻しはできません。",
            "Your {card} top-up is complete.\nAmount: {amount} yen\nBalance after the top-up: {balance} yen\nReference: {reference}\n\nThe balance pays for certificates and other fees. It cannot be paid back in cash.",
        ),
        MailApplicationSubject => (
            "【証明書発行サービス】証明書の申請を受け付けました",
            "[Certificate Issuance Service] Your application for certificates is accepted",
        ),
        MailApplicationBody => (
            "証明書の申請を受け付けました。\n申請番号: {number}\n{lines}\n受け取り方法: {delivery}（{delivery_fee}円）\n合計: {total}円（{paid}）\n発行予定日: {expected}\n\n申請の状況は「申請履歴」で確認できます。受付済のうちは取り消すことができ、その場合は{refund}",
            "Your application for certificates is accepted.\nApplication number: {number}\n{lines}\nDelivery: {delivery} ({delivery_fee} yen)\nTotal: {total} yen ({paid})\nExpected by: {expected}\n\nFollow it under Application history. While it is Accepted you can cancel it, and {refund}",
        ),
        MailApplicationPaidFromBalance => (
            "{card}の残高から支払い済み。支払い後の残高: {balance}円",
            "paid from your {card} balance; balance after it: {balance} yen",
        ),
        MailApplicationPaidThrough => ("{method}で支払い済み", "paid by {method}"),
        MailApplicationCancelToBalance => (
            "全額が残高に戻ります。",
            "the whole amount goes back to your balance.",
        ),
        MailApplicationCancelToGateway => (
            "全額がお支払いに使われた方法で返金されます。",
            "the whole amount is refunded the way it was paid.",
        ),
        MailApplicationStatusSubject => (
            "【証明書発行サービス】証明書の申請の状況が変わりました",
            "[Certificate Issuance Service] Your application for certificates has a new status",
        ),
        MailApplicationStatusBody => (
            "申請番号 {number} の状況が「{status}」になりました。{more}\n\n詳しくは「申請履歴」でご確認ください。",
            "Your application {number} is now: {status}.{more}\n\nSee Application history for the details.",
        ),
        MailApplicationTracking => ("\n追跡番号: {tracking}", "\nTracking number: {tracking}"),
        MailApplicationRefund => (
            "\n手数料 {total}円 は{card}の残高に戻しました。",
            "\nThe fees of {total} yen went back to your {card} balance.",
        ),
        MailApplicationReason => ("\n理由: {reason}", "\nReason: {reason}"),
        MailApplicationRefundGateway => (
            "\n手数料 {total}円 は、お支払いに使われた方法（{method}）で返金します。",
            "\nThe fees of {total} yen are refunded the way they were paid ({method}).",
        ),
        MailApplicationUnpaid => (
            "\nお支払いが完了しなかったため（カードが承認されなかったか、支払期限を過ぎました）、申請は終了しました。料金は請求されていません。必要な場合はもう一度申請してください。",
            "\nThe payment was not completed (the card was declined or the deadline passed), so the application has ended. Nothing was charged. Apply again if you still need it.",
        ),
        MailKonbiniExpiredSubject => (
            "【証明書発行サービス】コンビニ払いの支払期限が過ぎました",
            "[Certificate Issuance Service] Your convenience store payment has expired",
        ),
        MailKonbiniExpiredBody => (
            "{card}へのチャージ（{amount}円）は、支払期限までにお支払いがなかったため取り消されました。チャージする場合は、あらためてお申し込みください。",
            "Your {card} top-up of {amount} yen was cancelled: it was not paid by its deadline. To top up, please apply again.",
        ),
        MailReceiptFooter => (
            "このメールは送信専用です。ご不明な点は大学のお問い合わせ窓口にご連絡ください。",
            "Replies to this address are not read. For questions, contact your university's help desk.",
        ),
        MailNotYouFooter => (
            "この手続きに心当たりがない場合は、すぐに大学のお問い合わせ窓口にご連絡ください。このメールには返信できません。",
            "If this was not you, contact your university's help desk at once. Replies to this address are not read.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::i18n::checks;

    #[test]
    fn every_mail_text_has_a_japanese_and_an_english_version() {
        let faults = checks::faults(MailMsg::ALL, MailMsg::text);
        assert!(faults.is_empty(), "{faults:#?}");
    }
}

//! The card balance's pages: top-up, confirmation, the top-up's progress, and the history.
//! `{card}` stands for the university's name of its card (`M.I.C`), filled in by the page.

crate::catalogue! {
    pub enum WalletMsg {
        HomeFunctions => ("ご利用いただける機能", "What you can do here"),
        TopUpTitle => ("{card}オンラインチャージ", "{card} online top-up"),
        TopUpLead => (
            "{card}の残高にオンラインでチャージできます。チャージした残高は証明書の手数料や学内の証明書発行機で使えます。",
            "Top up the balance of your {card} online. The balance pays for certificates and at the campus certificate machines.",
        ),
        Balance => ("残高", "Balance"),
        Yen => ("{amount}円", "{amount} yen"),
        AmountLegend => ("チャージ金額", "Amount"),
        OtherAmount => ("その他の金額", "Another amount"),
        OtherAmountLabel => ("金額（円）", "Amount (yen)"),
        MethodLegend => ("お支払い方法", "Payment method"),
        MethodCard => ("クレジットカード", "Credit card"),
        MethodKonbini => ("コンビニ払い", "Convenience store"),
        ChooseMethod => ("お支払い方法を選んでください。", "Please choose a payment method."),
        Limits => (
            "1回のチャージは{min}円から{max}円まで、残高の上限は{balance_max}円です。",
            "A top-up is between {min} and {max} yen; the balance can hold at most {balance_max} yen.",
        ),
        Room => ("あと{room}円までチャージできます。", "You can top up {room} yen more."),
        NoRoom => (
            "残高が上限に達しているため、今はチャージできません。",
            "The balance is at its maximum: no top-up is possible now.",
        ),
        Prepaid => (
            "チャージした残高は前払式支払手段（資金決済法）です。現金での払い戻しはできません。証明書の申請を取り消した場合も、残高に戻ります。",
            "The balance is prepaid value under Japan's Payment Services Act: it cannot be paid back in cash. A cancelled certificate application is refunded to the balance.",
        ),
        NotAvailable => (
            "この大学では、オンラインチャージはまだご利用いただけません。",
            "Online top-up is not available at this university yet.",
        ),
        DevelopmentGateway => (
            "開発用の決済ゲートウェイを使用しています。実際の決済は行われません。",
            "A development payment gateway is in use: no real payment is made.",
        ),
        ReviewButton => ("確認画面へ", "Review"),
        ConfirmTitle => ("チャージ内容の確認", "Review your top-up"),
        ConfirmLead => (
            "内容をご確認のうえ、「支払いへ進む」を押してください。お支払いのページに移動します。",
            "Check the details, then press \"Go to payment\". You will be taken to the payment page.",
        ),
        TotalLabel => ("お支払い合計", "Total"),
        BalanceAfterLabel => ("チャージ後の残高", "Balance after the top-up"),
        PayButton => ("支払いへ進む", "Go to payment"),
        ChangeButton => ("金額を変更する", "Change the amount"),
        ProcessingTitle => ("処理中", "Processing"),
        ProcessingBody => (
            "お支払いの結果を確認しています。このページは自動で更新されます。",
            "We are waiting for the result of your payment. This page updates by itself.",
        ),
        ReloadButton => ("更新", "Refresh"),
        BackToPayment => ("お支払いのページに戻る", "Back to the payment page"),
        KonbiniTitle => ("コンビニでお支払いください", "Pay at a convenience store"),
        KonbiniBody => (
            "次のお支払い番号を、コンビニエンスストアの店頭端末またはレジでお伝えのうえ、支払期限までにお支払いください。お支払いが確認されると残高にチャージされ、メールでお知らせします。",
            "Give the payment number below at the terminal or the counter of a convenience store and pay by the deadline. Once the payment arrives, the balance is topped up and you get a mail.",
        ),
        KonbiniNumber => ("お支払い番号", "Payment number"),
        KonbiniDeadline => ("支払期限", "Deadline"),
        DoneTitle => ("チャージ完了", "Top-up complete"),
        DoneBody => ("チャージが完了しました。", "Your top-up is complete."),
        DeclinedTitle => ("お支払いできませんでした", "The payment did not go through"),
        Declined => (
            "カード会社によりお支払いが承認されませんでした。別のカードでお試しください。",
            "The card issuer did not approve the payment. Please try another card.",
        ),
        InsufficientFunds => (
            "カードの利用可能額が不足しているため、お支払いできませんでした。",
            "The card's available credit was not enough for the payment.",
        ),
        ExpiredTitle => ("支払期限が過ぎました", "The payment deadline has passed"),
        ExpiredBody => (
            "支払期限までにお支払いがなかったため、このチャージは取り消されました。",
            "This top-up was cancelled: it was not paid by its deadline.",
        ),
        TryAgain => ("もう一度チャージする", "Top up again"),
        AmountDone => ("チャージ金額", "Amount"),
        HistoryTitle => ("利用履歴", "History"),
        HistoryLead => (
            "{card}の入金と利用の履歴です（新しい順、日本時間）。",
            "Money in and out of your {card}, newest first (Japan time).",
        ),
        HistoryEmpty => ("まだ利用履歴はありません。", "Nothing has happened on this card yet."),
        HistoryWhen => ("日時", "Date and time"),
        HistoryKind => ("内容", "What"),
        HistoryAmount => ("金額", "Amount"),
        HistoryBalance => ("残高", "Balance"),
        HistoryCsv => ("CSVでダウンロード", "Download as CSV"),
        HistoryPrevious => ("新しい履歴", "Newer"),
        HistoryNext => ("古い履歴", "Older"),
        HistoryPage => ("{page} / {pages}ページ", "Page {page} of {pages}"),
        KindTopUp => ("チャージ", "Top-up"),
        KindMachineDebit => ("学内端末での支払い", "Paid at a campus machine"),
        KindAdjustment => ("残高の訂正", "Balance correction"),
        KindCertificateFee => ("証明書の申請", "Certificate application"),
        KindCertificateRefund => ("証明書の申請の取消（返金）", "Certificate application cancelled (refund)"),
        BelowMinimum => (
            "チャージ金額が1回の下限を下回っています。上記の範囲で指定してください。",
            "The amount is below the smallest top-up. Choose one within the range above.",
        ),
        AboveMaximum => (
            "チャージ金額が1回の上限を超えています。上記の範囲で指定してください。",
            "The amount is above the largest top-up. Choose one within the range above.",
        ),
        PastMaximumBalance => (
            "チャージすると残高の上限を超えます。上記の「あと○円」以内で指定してください。",
            "The balance would pass its maximum. Choose an amount within what is still possible, shown above.",
        ),
        GatewayUnavailable => (
            "ただいま決済サービスに接続できません。お支払いは行われていません。しばらくしてからもう一度お試しください。",
            "The payment service cannot be reached right now. Nothing was charged. Please try again later.",
        ),
        KeyReused => (
            "この確認画面は別の内容で使われました。もう一度金額を指定してください。",
            "This review page was used for another top-up. Please choose the amount again.",
        ),
    }
}

//! The certificates' catalogue: delivery kinds, order rules, and what a catalogue file or the
//! closure calendar can get wrong (for the console's pages and the operator's CLI).

crate::catalogue! {
    pub enum CertificateMsg {
        KindPdf => ("電子証明書（PDF）", "Electronic certificate (PDF)"),
        KindPost => ("郵送（国内）", "Post within Japan"),
        KindEms => ("EMS（海外）", "EMS abroad"),
        KindPickup => ("窓口で受け取り", "Collect at the counter"),
        KindCampusPrint => ("学内の証明書発行機で印刷", "Print at a campus machine"),
        RuleFinalYear => (
            "卒業予定年度の4月1日から申請できます",
            "Can be ordered from 1 April of the year of expected graduation",
        ),
        RefusedStatus => ("{status}の方は申請できません。", "Not issued to students whose status is {status}."),
        RefusedNotFinalYear => (
            "卒業予定年度の4月1日から申請できます。",
            "Can be ordered from 1 April of the year you are expected to graduate.",
        ),
        RefusedNoHealthCheck => (
            "今年度の健康診断の受診が記録されていません。受診済みの場合は保健センターにお問い合わせください。",
            "No health check-up of this year is recorded. If you have had it, please ask the health centre.",
        ),
        // 各種証明書のオンライン申請
        ApplyTitle => ("各種証明書のオンライン申請", "Apply for certificates online"),
        ApplyLead => (
            "必要な証明書の部数を入力し、受け取り方法を選んで「確認画面へ」を押してください。手数料は{card}の残高から支払います。",
            "Enter how many copies of each certificate you need, choose how to receive them, and press Review. The fees are paid from your {card} balance.",
        ),
        ApplyLeadGateway => (
            "必要な証明書の部数を入力し、受け取り方法を選んで「確認画面へ」を押してください。手数料は{card}の残高、クレジットカード、コンビニ払いのいずれかで支払えます。",
            "Enter how many copies of each certificate you need, choose how to receive them, and press Review. The fees are paid from your {card} balance, by credit card or at a convenience store.",
        ),
        NoCatalogue => (
            "現在、オンラインで申請できる証明書はありません。窓口にお問い合わせください。",
            "No certificates can be ordered online at the moment. Please ask the office.",
        ),
        FeePerCopy => ("手数料 1部 {fee}", "Fee {fee} per copy"),
        MostCopies => ("1回の申請で{max}部まで", "At most {max} copies per application"),
        ReadyBy => ("発行予定日 {date}", "Ready by {date}"),
        NotOrderable => ("申請できません", "Not available to you"),
        CopiesIn => ("{lang}の部数", "Copies in {lang}"),
        LangJa => ("和文", "Japanese"),
        LangEn => ("英文", "English"),
        DeliveryLegend => ("受け取り方法", "How to receive them"),
        DeliveryFee => ("手数料 {fee}", "Fee {fee}"),
        AddressLegend => ("送付先（郵送・EMSの場合）", "Address (for post and EMS)"),
        AddressHint => (
            "国内への郵送は郵便番号から宛名まで、EMS（海外）は国名を含めてローマ字で入力してください。",
            "For post within Japan fill in the postal code to the recipient; for EMS abroad write everything, the country included, in Latin letters.",
        ),
        ChoosePrefecture => ("選択してください", "Choose"),
        ReviewButton => ("確認画面へ", "Review"),
        ConfirmTitle => ("申請内容の確認", "Review your application"),
        ConfirmLead => (
            "内容を確認し、「申請する」を押してください。{card}の残高から支払います。",
            "Check the application and press Apply. It is paid from your {card} balance.",
        ),
        ColCertificate => ("証明書", "Certificate"),
        ColLanguage => ("言語", "Language"),
        ColCopies => ("部数", "Copies"),
        ColAmount => ("金額", "Amount"),
        DeliveryRow => ("受け取り方法", "Delivery"),
        TotalRow => ("合計", "Total"),
        ExpectedRow => ("発行予定日", "Ready by"),
        PurposeRow => ("用途", "Purpose"),
        AddressRow => ("送付先", "Address"),
        PaymentRow => ("支払い方法", "Payment"),
        PayFromBalance => ("{card}の残高", "{card} balance"),
        PayByCard => ("クレジットカード", "Credit card"),
        PayByKonbini => ("コンビニ払い", "Pay at a convenience store"),
        PayByLegend => ("支払い方法", "How to pay"),
        ChoosePayment => ("支払い方法を選んでください。", "Choose how to pay."),
        ConfirmLeadChoose => (
            "内容を確認し、支払い方法を選んで「申請する」を押してください。",
            "Check the application, choose how to pay and press Apply.",
        ),
        PayByGatewayNote => (
            "クレジットカード・コンビニ払いでは、お支払いが確認できた時点で受付済になります。コンビニ払いは、申請後に表示されるお支払い番号で期限までにお支払いください。期限を過ぎると申請は終了し、料金は請求されません。",
            "With a credit card or at a convenience store the application is accepted once the payment is confirmed. For a convenience store, pay with the number shown after applying, before its deadline; after that the application ends and nothing is charged.",
        ),
        ShortfallGateway => (
            "残高が{shortfall}不足しています。チャージするか、クレジットカード・コンビニ払いを選んでください。",
            "Your balance is {shortfall} short. Top up, or pay by credit card or at a convenience store.",
        ),
        AwaitingCardNotice => (
            "カードのお支払いを確認しています。確認できると受付済になり、受付メールが届きます。このページは自動で更新されます。",
            "Checking your card payment. Once it is confirmed the application is accepted and a receipt is mailed to you. This page refreshes itself.",
        ),
        AwaitingKonbiniNotice => (
            "次の番号で、期限までにコンビニでお支払いください。お支払いが確認できると受付済になり、受付メールが届きます。",
            "Pay at a convenience store with this number before the deadline. Once the payment is confirmed the application is accepted and a receipt is mailed to you.",
        ),
        PaymentPageLink => ("お支払いページへ", "Go to the payment page"),
        KonbiniNumberRow => ("お支払い番号", "Payment number"),
        KonbiniDeadlineRow => ("お支払い期限", "Pay by"),
        UnpaidNotice => (
            "お支払いが完了しなかったため（カードが承認されなかったか、期限を過ぎました）、この申請は終了しました。料金は請求されていません。必要な場合はもう一度申請してください。",
            "The payment was not completed (the card was declined or the deadline passed), so this application has ended. Nothing was charged. Apply again if you still need it.",
        ),
        PaidByRow => ("支払い方法", "Paid by"),
        GatewayUnavailable => (
            "決済サービスに接続できなかったため、申請を受け付けられませんでした。料金は請求されていません。しばらくしてからもう一度申請してください。",
            "The payment service could not be reached, so the application was not made and nothing was charged. Please apply again later.",
        ),
        CancelNoteGateway => (
            "受付済のうちは取り消すことができます。手数料は全額、お支払いに使われた方法（カード・コンビニ払い）で返金されます。",
            "While it is Accepted you can cancel it; the whole amount is refunded the way it was paid (card or convenience store).",
        ),
        CancelledNoticeGateway => (
            "申請を取り消しました。手数料はお支払いに使われた方法で返金されます。",
            "The application is cancelled; its fees are refunded the way they were paid.",
        ),
        BalanceRow => ("現在の残高", "Balance now"),
        BalanceAfterRow => ("支払い後の残高", "Balance after payment"),
        Shortfall => (
            "残高が{shortfall}不足しています。チャージしてから申請してください。",
            "Your balance is {shortfall} short. Please top up first.",
        ),
        TopUpLink => ("チャージする", "Top up"),
        SubmitButton => ("申請する", "Apply"),
        ChangeLink => ("申請内容を変更する", "Change the application"),
        DraftGone => (
            "この確認画面は使えなくなりました（24時間を過ぎたか、内容が見つかりません）。もう一度入力してください。",
            "This review page can no longer be used (it is over 24 hours old or cannot be found). Please fill in the application again.",
        ),
        AcceptedNotice => (
            "申請を受け付けました。受付メールを登録済みのメールアドレスに送信しました。",
            "Your application is accepted. A receipt has been sent to your registered email address.",
        ),
        HistoryTitle => ("申請履歴", "Application history"),
        NoApplications => ("まだ申請はありません。", "You have not applied for anything yet."),
        ColNumber => ("申請番号", "Application number"),
        ColDate => ("申請日時", "Applied"),
        ColContents => ("内容", "Contents"),
        ColStatus => ("状況", "Status"),
        ApplicationTitle => ("申請の詳細", "Application details"),
        NumberRow => ("申請番号", "Application number"),
        DateRow => ("申請日時", "Applied"),
        StatusRow => ("状況", "Status"),
        TrackingRow => ("追跡番号", "Tracking number"),
        TimelineHeading => ("状況の履歴", "Status history"),
        CopiesCount => ("{copies}部", "{copies} copies"),
        BackToApply => ("各種証明書のオンライン申請へ戻る", "Back to applying for certificates"),
        RefusedNotOrderable => (
            "申請できない証明書が含まれています。一覧に表示されている理由をご確認ください。",
            "The application includes a certificate you cannot order. See the reason shown in the list.",
        ),
        RefusedLanguage => ("その言語では発行していない証明書が含まれています。", "A certificate is not issued in the language chosen."),
        RefusedDelivery => (
            "選んだ受け取り方法では受け取れない証明書が含まれています。各証明書の受け取り方法をご確認ください。",
            "A certificate cannot be received the way you chose. See how each certificate can be received.",
        ),
        ChooseDelivery => ("受け取り方法を選んでください。", "Choose how to receive them."),
        AddressNeeded => (
            "この受け取り方法では送付先が必要です。国内への郵送は日本の住所、EMSは海外の住所を入力してください。",
            "This delivery needs an address: one in Japan for post, one abroad for EMS.",
        ),
        NoLines => ("証明書の部数を1部以上入力してください。", "Enter at least one copy of a certificate."),
        InsufficientBalance => (
            "残高が不足しているため申請できませんでした。チャージしてからもう一度お試しください。",
            "Your balance is too low for this application. Please top up and try again.",
        ),
        KeyReused => (
            "この確認画面からはすでに別の内容で申請されています。もう一度入力してください。",
            "An application with other contents was already made from this review page. Please fill it in again.",
        ),
        Deliveries => ("受け取り方法: {list}", "Delivery: {list}"),
        // The student's cancellation
        CancelButton => ("申請を取り消す", "Cancel this application"),
        CancelNote => (
            "受付済のうちは取り消すことができます。手数料は全額{card}の残高に戻ります。",
            "While it is Accepted you can cancel it; the whole amount goes back to your {card} balance.",
        ),
        CancelledNotice => ("申請を取り消しました。手数料は残高に戻りました。", "The application is cancelled and its fees are back on your balance."),
        CancelTooLate => (
            "この申請はすでに処理が始まっているため、取り消せません。窓口にお問い合わせください。",
            "The office has already started on this application, so it cannot be cancelled here. Please ask the office.",
        ),
        ReasonRow => ("取消の理由", "Reason for cancelling"),
        // The staff console's queue
        QueueTitle => ("証明書の申請", "Certificate applications"),
        QueueLead => (
            "申請を古い順に最大200件表示します。状況・証明書・受け取り方法・申請日・ユーザIDで絞り込めます。",
            "Applications, oldest first, at most 200 at a time. Filter by status, certificate, delivery, date and user ID.",
        ),
        FilterStatus => ("状況", "Status"),
        FilterType => ("証明書", "Certificate"),
        FilterDelivery => ("受け取り方法", "Delivery"),
        FilterFrom => ("申請日（から）", "Applied from"),
        FilterUntil => ("申請日（まで）", "Applied until"),
        FilterUserId => ("ユーザID", "User ID"),
        FilterAny => ("すべて", "Any"),
        FilterButton => ("絞り込む", "Filter"),
        QueueCount => ("{count}件", "{count} applications"),
        QueueCsv => ("CSVでダウンロード（発送用の送付先を含む）", "Download as CSV (with the addresses for the post)"),
        QueueEmpty => ("該当する申請はありません。", "No application matches."),
        ColStudent => ("学生", "Student"),
        StaffApplicationTitle => ("申請の処理", "Processing an application"),
        StudentRow => ("学生", "Student"),
        StudentNumberRow => ("学籍番号", "Student number"),
        RegistryStatusRow => ("在籍状況", "Registry status"),
        ActionsHeading => ("処理", "Actions"),
        ActionStart => ("処理を開始する", "Start processing"),
        ActionIssue => ("発行済にする（PDF）", "Mark issued (PDF)"),
        ActionSend => ("発送済にする", "Mark sent"),
        ActionReady => ("受取可にする", "Mark ready to collect"),
        ActionCollect => ("受取済にする", "Mark collected"),
        ActionCancel => ("取り消して返金する", "Cancel and refund"),
        ActionDone => ("状況を「{status}」にしました。", "The application is now: {status}."),
        NoActions => ("この申請に行える処理はありません。", "Nothing more can be done with this application."),
        ChangedMeanwhile => (
            "この申請の状況は別の操作で変わっています。画面を更新して確認してください。",
            "This application's status was changed meanwhile. Reload the page to see it.",
        ),
        WrongDelivery => ("この受け取り方法の申請には行えない処理です。", "This cannot be done for an application of this delivery."),
        BackToQueue => ("申請の一覧へ戻る", "Back to the applications"),
        BadDate => ("日付は 2026-11-30 の形式で入力してください。", "Enter dates like 2026-11-30."),
        StatusAwaitingPayment => ("支払待ち", "Awaiting payment"),
        StatusUnpaid => ("未払いで終了", "Closed unpaid"),
        StatusAccepted => ("受付済", "Accepted"),
        StatusProcessing => ("処理中", "Processing"),
        StatusIssued => ("発行済", "Issued"),
        StatusSent => ("発送済", "Sent"),
        StatusReady => ("受取可", "Ready to collect"),
        StatusCollected => ("受取済", "Collected"),
        StatusCancelled => ("取消", "Cancelled"),
        IssueMissingFact => (
            "学籍簿に{detail}が登録されていないため、証明書を発行できません。学籍簿を更新してから発行してください。",
            "The registry has no {detail} for this student, so the certificate cannot be issued. Update the registry, then issue it.",
        ),
        IssueNoContent => (
            "この証明書の種類には記載内容（content）が設定されていないため、PDFを発行できません。証明書カタログを更新してください。",
            "This certificate type does not say its content, so no PDF can be issued. Update the certificate catalogue.",
        ),
        IssueUnprintable => (
            "{detail}を印字できるフォントがないため、証明書を発行できません。文字を確認し、学籍簿の表記を見直すか運用者に相談してください。",
            "No font of the service can print {detail}, so the certificate cannot be issued. Check the character and the registry's spelling, or ask the operator.",
        ),
        CalendarTitle => ("休業日カレンダー", "Office closure days"),
        CalendarLead => (
            "土曜・日曜のほかに窓口が休業する日です。発行予定日はこの日を除いた営業日で数えます。",
            "The days the office is closed besides Saturdays and Sundays. Ready-by days count the working days without them.",
        ),
        CalendarEmpty => ("今日以降の休業日はありません。", "No closure days from today on."),
        ClosureDayLabel => ("日付", "Date"),
        ClosureNoteLabel => ("理由（任意）", "Reason (optional)"),
        CloseDayButton => ("休業日を追加する", "Add a closure day"),
        ReopenDayButton => ("削除する", "Remove"),
        ClosureAdded => ("休業日を追加しました。", "The closure day has been added."),
        ClosureRemoved => ("休業日を削除しました。", "The closure day has been removed."),
        ClosurePast => ("過ぎた日は変更できません。今日以降の日付を指定してください。", "A day that has passed cannot be changed. Choose today or a later date."),
        ClosureTwice => ("その日はすでに休業日です。", "The office is already closed on that day."),
        ClosureBadNote => (
            "理由は100文字以内で、改行や制御文字を含めずに入力してください。",
            "Write the reason in at most 100 characters, without line breaks or control characters.",
        ),
        ClosureBadDay => ("日付を「2026-12-29」の形で入力してください。", "Enter the date as 2026-12-29."),
        PriceChanged => (
            "この画面を表示した後に手数料が変わりました。最新の金額を確認してから、もう一度「申請する」を押してください。",
            "The fees changed after this page was shown. Check the new amounts, then press Apply again.",
        ),
        DownloadPdf => ("PDFをダウンロード", "Download the PDF"),
        PdfReady => (
            "証明書のPDFを発行しました。下のリンクからダウンロードできます。",
            "Your certificates have been issued as PDF. Download them from the links below.",
        ),
        RuleHealthCheckCleared => (
            "今年度の健康診断を受診済みの場合に申請できます",
            "Can be ordered once this year's health check-up is recorded as cleared",
        ),
    }
}

impl CertificateMsg {
    /// What a certificate issued in `language` is called (和文, 英文).
    pub fn language(language: crate::i18n::Lang) -> CertificateMsg {
        match language {
            crate::i18n::Lang::Ja => CertificateMsg::LangJa,
            crate::i18n::Lang::En => CertificateMsg::LangEn,
        }
    }
}

crate::catalogue! {
    /// What an issued certificate prints besides the registry's facts.
    pub enum DocumentMsg {
        Name => ("氏名", "Name"),
        BirthDate => ("生年月日", "Date of birth"),
        StudentNumber => ("学籍番号", "Student number"),
        Faculty => ("学部", "Faculty"),
        Department => ("学科", "Department"),
        AdmissionDate => ("入学年月日", "Date of admission"),
        GraduationDate => ("卒業年月日", "Date of graduation"),
        ExpectedGraduationDate => ("卒業見込年月日", "Expected date of graduation"),
        Degree => ("学位", "Degree"),
        CheckUpYear => ("健康診断の受診年度", "Academic year of the health check-up"),
        StatementEnrolled => (
            "上記の者は、本学に在学していることを証明する。",
            "This is to certify that the above-named person is enrolled at this university.",
        ),
        StatementOnLeave => (
            "上記の者は、本学に在籍し、現在休学中であることを証明する。",
            "This is to certify that the above-named person is registered at this university and is currently on leave of absence.",
        ),
        StatementTranscript => (
            "上記の者の本学における成績は、以上のとおりであることを証明する。",
            "This is to certify that the above is the academic record of the above-named person at this university.",
        ),
        StatementExpectedGraduation => (
            "上記の者は、{date}に本学を卒業する見込みであることを証明する。",
            "This is to certify that the above-named person is expected to graduate from this university on {date}.",
        ),
        StatementGraduation => (
            "上記の者は、{date}に本学を卒業したことを証明する。",
            "This is to certify that the above-named person graduated from this university on {date}.",
        ),
        StatementDegree => (
            "上記の者に、{date}に{degree}の学位を授与したことを証明する。",
            "This is to certify that the degree of {degree} was conferred on the above-named person on {date}.",
        ),
        StatementHealthCheck => (
            "上記の者は、{year}年度の本学定期健康診断を受診し、所定の検査を終えたことを証明する。",
            "This is to certify that the above-named person underwent and completed this university's regular health check-up of the {year} academic year.",
        ),
        Year => ("年度", "Year"),
        Term => ("学期", "Term"),
        Course => ("科目名", "Course"),
        Credits => ("単位", "Credits"),
        Grade => ("評価", "Grade"),
        Category => ("区分", "Category"),
        Gpa => ("GPA", "GPA"),
        NoGpa => ("なし", "none"),
        CreditsEarned => ("修得単位数", "Credits earned"),
        CreditsIn => ("{category} 修得単位数", "Credits earned in {category}"),
        NoCourses => ("記録された成績はありません。", "No course results are recorded."),
        DocumentNumber => ("証明書番号", "Certificate No."),
        IssuedOn => ("発行日", "Date of issue"),
        ApplicationNumber => ("申請番号", "Application No."),
        Page => ("{page}/{pages}", "{page}/{pages}"),
        Footer => (
            "この証明書は、{university}が証明書発行サービスにより電子的に発行したものです。",
            "This certificate was issued electronically by {university} through its certificate service.",
        ),
    }
}

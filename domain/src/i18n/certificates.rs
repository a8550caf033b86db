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
        RuleHealthCheckCleared => (
            "今年度の健康診断を受診済みの場合に申請できます",
            "Can be ordered once this year's health check-up is recorded as cleared",
        ),
    }
}

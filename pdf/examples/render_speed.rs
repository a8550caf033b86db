//! How long a certificate's PDF takes to make and how big it is (issue #17's performance
//! goals: one page ≤ 10 ms p95 and ≤ 80 KB with fonts; a 4-page transcript ≤ 40 ms p95).
//! Reported, never asserted: `bench/pdf.sh` runs it in a release build.
//!
//! Usage: render_speed [runs, default 200]

use backend::certificates::{
    CertificateDocument, CertificateRenderer, CourseTable, PrintedVerification, Seal,
};
use backend::platform::settings::IPAEX_MINCHO;
use domain::i18n::Lang;
use shomei_pdf::PdfRenderer;
use std::time::Instant;

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(200);
    let renderer = PdfRenderer::from_file(std::path::Path::new(IPAEX_MINCHO))
        .expect("IPAex Mincho (scripts/setup.sh installs it)");
    let one_page = certificate("在学証明書", None);
    let transcript = certificate("成績証明書", Some(courses(120)));
    for (name, document) in [("one_page", &one_page), ("transcript", &transcript)] {
        let pdf = renderer.render(document).expect("a PDF");
        // Kept for a look, and for `pdfinfo` to count its pages (bench/pdf.sh).
        std::fs::create_dir_all("target/bench-pdf").expect("target/ is writable");
        std::fs::write(format!("target/bench-pdf/{name}.pdf"), &pdf).expect("written");
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            let made = renderer.render(document).expect("a PDF");
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(made);
        }
        times.sort_by(f64::total_cmp);
        let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
        println!(
            "{name} runs={runs} bytes={} p50_ms={:.2} p95_ms={:.2}",
            pdf.len(),
            at(0.50),
            at(0.95)
        );
    }
}

/// A certificate as the office issues one, with a transcript's `courses` if given.
fn certificate(title: &str, courses: Option<CourseTable>) -> CertificateDocument {
    CertificateDocument {
        lang: Lang::Ja,
        university: "デモ大学".into(),
        title: title.into(),
        number: "00000042-1".into(),
        application_number: "00000042".into(),
        issued_on: "2026年12月1日".into(),
        facts: vec![
            ("氏名".into(), "山田 花子".into()),
            ("生年月日".into(), "2004年4月2日".into()),
            ("学籍番号".into(), "24L1001".into()),
            ("学部".into(), "文学部".into()),
            ("学科".into(), "日本文学科".into()),
            ("入学年月日".into(), "2024年4月1日".into()),
        ],
        statement: "上記の者は、本学に在学していることを証明する。".into(),
        courses,
        footer: "この証明書は、デモ大学が証明書発行サービスにより電子的に発行したものです。".into(),
        number_label: "証明書番号".into(),
        issued_on_label: "発行日".into(),
        application_label: "申請番号".into(),
        page_pattern: "{page}/{pages}".into(),
        verification: Some(PrintedVerification {
            url: "https://shomei.example.ac.jp/v/k3m9x2q7w4r8t6y5p2n4#K7MXQ2WR9TPA".into(),
            page: "https://shomei.example.ac.jp/v/k3m9x2q7w4r8t6y5p2n4".into(),
            code: "K7MX-Q2WR-9TPA".into(),
            code_label: "照合コード".into(),
            lead:
                "この証明書の内容は、QRコードまたは次のアドレスで照合コードを入力して確認できます。"
                    .into(),
        }),
        issued_ymd: (2026, 12, 1),
        record_file: Some(br#"{"format":"shomei-embedded-record/1"}"#.to_vec()),
        seal: Some(Seal::Text("デモ大学之印".into())),
    }
}

/// `n` course results over four years: about four pages.
fn courses(n: usize) -> CourseTable {
    let terms = ["前期", "後期"];
    let grades = ["S", "A", "B", "C"];
    CourseTable {
        headings: ["年度", "学期", "科目名", "単位", "評価", "区分"].map(String::from),
        rows: (0..n)
            .map(|i| {
                [
                    format!("{}", 2024 + i / 40),
                    terms[i / 20 % 2].to_owned(),
                    format!("日本文学演習 第{}部", i + 1),
                    "2".to_owned(),
                    grades[i % 4].to_owned(),
                    if i % 3 == 0 { "必修" } else { "選択" }.to_owned(),
                ]
            })
            .collect(),
        totals: vec![
            ("GPA".into(), "3.12".into()),
            ("修得単位数".into(), format!("{}", n * 2)),
            ("必修 修得単位数".into(), format!("{}", n.div_ceil(3) * 2)),
        ],
        empty: "記録された成績はありません。".into(),
    }
}

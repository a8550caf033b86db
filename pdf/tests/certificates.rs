//! Certificates rendered with the font the service ships with (Debian's IPAex Mincho, which
//! `scripts/setup.sh` installs) and read back with poppler's `pdftotext`, as a person would see
//! them.

use backend::certificates::{
    CertificateDocument, CertificateRenderer, CourseTable, PrintedVerification, RenderError, Seal,
};
use backend::platform::settings::IPAEX_MINCHO;
use domain::i18n::Lang;
use shomei_pdf::PdfRenderer;
use std::path::Path;
use std::process::Command;

fn renderer() -> PdfRenderer {
    PdfRenderer::from_file(Path::new(IPAEX_MINCHO)).expect("IPAex Mincho (scripts/setup.sh)")
}

fn enrollment(name: &str) -> CertificateDocument {
    CertificateDocument {
        lang: Lang::Ja,
        university: "デモ大学".into(),
        title: "在学証明書".into(),
        number: "00000042-1".into(),
        application_number: "00000042".into(),
        issued_on: "2026年12月1日".into(),
        facts: vec![
            ("氏名".into(), name.into()),
            ("学籍番号".into(), "24L1001".into()),
            ("学部".into(), "文学部".into()),
        ],
        statement: "上記の者は、本学に在学していることを証明する。".into(),
        courses: None,
        footer: "この証明書は、デモ大学が証明書発行サービスにより電子的に発行したものです。".into(),
        number_label: "証明書番号".into(),
        issued_on_label: "発行日".into(),
        application_label: "申請番号".into(),
        page_pattern: "{page}/{pages}".into(),
        verification: Some(PrintedVerification {
            url: "http://127.0.0.1:3000/v/k3m9x2q7w4r8t6y5p2n4#K7MXQ2WR9TPA".into(),
            page: "http://127.0.0.1:3000/v/k3m9x2q7w4r8t6y5p2n4".into(),
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

/// The text of a PDF as `pdftotext -layout` reads it, page by page.
fn text_of(pdf: &[u8]) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("shomei-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!(
        "{:x}.pdf",
        pdf.len() ^ pdf.iter().map(|b| *b as usize).sum::<usize>()
    ));
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, scripts/setup.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .split('\u{c}')
        .filter(|page| !page.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn an_enrollment_certificate_prints_every_fact_on_one_page() {
    let document = enrollment("山田 太郎");

    let pdf = renderer().render(&document).unwrap();

    assert!(pdf.starts_with(b"%PDF-"));
    let pages = text_of(&pdf);
    assert_eq!(pages.len(), 1);
    for expected in [
        "在学証明書",
        "山田 太郎",
        "24L1001",
        "文学部",
        "上記の者は、本学に在学していることを証明する。",
        "2026年12月1日",
        "デモ大学",
        "00000042-1",
        "1/1",
        "http://127.0.0.1:3000/v/k3m9x2q7w4r8t6y5p2n4",
        "照合コード",
        "K7MX-Q2WR-9TPA",
    ] {
        assert!(
            pages[0].contains(expected),
            "{expected} missing from\n{}",
            pages[0]
        );
    }
}

#[test]
fn the_font_is_subset_so_a_page_stays_small() {
    let pdf = renderer().render(&enrollment("山田 太郎")).unwrap();

    // IPAex Mincho is about 4 MB whole; the page carries only the glyphs it prints.
    assert!(pdf.len() < 80_000, "{} bytes", pdf.len());
}

#[test]
fn a_name_the_font_cannot_print_stops_the_certificate_and_names_the_character() {
    // U+20BB7 (𠮷, the 'tsuchi-yoshi' of many family names) is outside IPAex Mincho.
    let result = renderer().render(&enrollment("𠮷田 花子"));

    assert_eq!(result, Err(RenderError::Unprintable('𠮷')));
}

#[test]
fn a_long_transcript_runs_over_pages_each_numbered_with_its_headings() {
    let rows: Vec<[String; 6]> = (0..90)
        .map(|n| {
            [
                "2025".into(),
                "前期".into(),
                format!("科目その{n}"),
                "2".into(),
                "A".into(),
                "専門科目".into(),
            ]
        })
        .collect();
    let mut document = enrollment("山田 太郎");
    document.title = "成績証明書".into();
    document.courses = Some(CourseTable {
        headings: ["年度", "学期", "科目名", "単位", "評価", "区分"].map(String::from),
        rows,
        totals: vec![
            ("GPA".into(), "3.00".into()),
            ("修得単位数".into(), "180".into()),
        ],
        empty: "記録された成績はありません。".into(),
    });

    let pages = text_of(&renderer().render(&document).unwrap());

    assert!(pages.len() >= 2, "{} pages", pages.len());
    let total = pages.len();
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("{}/{total}", n + 1)),
            "page {}",
            n + 1
        );
        assert!(page.contains("科目名"), "headings on page {}", n + 1);
    }
    let all = pages.join("\n");
    assert!(all.contains("科目その0") && all.contains("科目その89"));
    assert!(all.contains("3.00") && all.contains("180"));
}

#[test]
fn an_english_certificate_wraps_its_statement_between_words() {
    let mut document = enrollment("Taro Yamada");
    document.lang = Lang::En;
    document.title = "Certificate of Enrollment".into();
    document.statement = "This is to certify that the above-named person is registered at this \
        university and is currently on leave of absence, and this sentence is long enough to \
        need a second line."
        .into();

    let pages = text_of(&renderer().render(&document).unwrap());

    assert!(pages[0].contains("Certificate of Enrollment"));
    assert!(pages[0].contains("Taro Yamada"));
    // No word is cut between two lines.
    for word in ["registered", "university", "currently", "absence,"] {
        assert!(pages[0].contains(word), "{word} cut in\n{}", pages[0]);
    }
}

/// `pdf` rendered to a PNG of its first page under `target/certificate-previews/{name}.png`,
/// kept for a person to look at (CI keeps `target/`).
fn preview(pdf: &[u8], name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/certificate-previews");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let stem = dir.join(name);
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&file)
        .arg(&stem)
        .status()
        .expect("pdftoppm (poppler-utils, scripts/setup.sh)");
    assert!(status.success());
    stem.with_extension("png")
}

#[test]
fn the_footer_carries_a_qr_code_that_a_phone_reads_as_the_verification_page_with_its_code() {
    let document = enrollment("山田 太郎");

    let pdf = renderer().render(&document).unwrap();

    let png = preview(&pdf, "specimen-enrollment-ja");
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(&png)
        .output()
        .expect("zbarimg (zbar-tools, scripts/setup.sh)");
    let read = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        read.trim(),
        "http://127.0.0.1:3000/v/k3m9x2q7w4r8t6y5p2n4#K7MXQ2WR9TPA"
    );
}

/// What `tool` (of poppler-utils) prints about `pdf`.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    poppler_in(&tempfile_dir(), tool, args, pdf)
}

/// The same, run in `dir`, where what it writes stays.
fn poppler_in(dir: &Path, tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let file = dir.join("certificate.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new(tool)
        .args(args)
        .arg(&file)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|_| panic!("{tool} (poppler-utils, scripts/setup.sh)"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A fresh directory under `target/` for one test's files.
fn tempfile_dir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../target/pdf-test-files/{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_certificate_declares_pdf_a_3b_embeds_its_font_and_carries_its_record_as_a_file() {
    let document = enrollment("山田 太郎");

    let pdf = renderer().render(&document).unwrap();

    let metadata = poppler("pdfinfo", &["-meta"], &pdf);
    assert!(
        metadata.contains("<pdfaid:part>3</pdfaid:part>"),
        "{metadata}"
    );
    assert!(
        metadata.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{metadata}"
    );
    let fonts = poppler("pdffonts", &[], &pdf);
    let font_rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!font_rows.is_empty(), "{fonts}");
    for row in font_rows {
        // name type encoding emb sub uni object: every font embedded, as a subset.
        let columns: Vec<&str> = row.split_whitespace().collect();
        let emb = columns[columns.len() - 5];
        let sub = columns[columns.len() - 4];
        assert_eq!((emb, sub), ("yes", "yes"), "{fonts}");
    }
    let files = poppler("pdfdetach", &["-list"], &pdf);
    assert!(files.contains("certificate-record.json"), "{files}");
    let dir = tempfile_dir();
    poppler_in(
        &dir,
        "pdfdetach",
        &["-save", "1", "-o", "record.json"],
        &pdf,
    );
    let saved = std::fs::read(dir.join("record.json")).unwrap();
    assert_eq!(Some(saved), document.record_file);
}

/// The first page's pixels at 50 dpi, as `pdftoppm` draws it (RGB, from its PPM).
fn pixels(pdf: &[u8]) -> Vec<[u8; 3]> {
    let dir = tempfile_dir();
    let file = dir.join("certificate.pdf");
    std::fs::write(&file, pdf).unwrap();
    // Without `-png`, a binary PPM: "P6", width, height, 255, then RGB.
    let out = Command::new("pdftoppm")
        .args(["-r", "50", "-f", "1", "-l", "1"])
        .arg(&file)
        .output()
        .expect("pdftoppm (poppler-utils, scripts/setup.sh)");
    assert!(out.status.success());
    let ppm = out.stdout;
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    ppm[at + 1..].chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect()
}

fn seal_red([r, g, b]: [u8; 3]) -> bool {
    r > 150 && g < 110 && b < 110
}

fn pure_blue([r, g, b]: [u8; 3]) -> bool {
    r < 80 && g < 80 && b > 180
}

/// A `side`-pixel PNG with a transparent ground and a blue square ring: a seal as scanned.
fn blue_ring(side: u32) -> Vec<u8> {
    let mut rgba = Vec::with_capacity((side * side * 4) as usize);
    for y in 0..side {
        for x in 0..side {
            let edge = x.min(y).min(side - 1 - x).min(side - 1 - y);
            let ink = (side / 10..side / 5).contains(&edge);
            rgba.extend_from_slice(if ink {
                &[0, 0, 255, 255]
            } else {
                &[0, 0, 0, 0]
            });
        }
    }
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, side, side);
    encoder.set_color(png::ColorType::Rgba);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&rgba).unwrap();
    writer.finish().unwrap();
    png
}

#[test]
fn without_an_image_the_seal_is_set_in_type_in_red_beside_the_university() {
    let sealed = enrollment("山田 太郎");
    let mut unsealed = enrollment("山田 太郎");
    unsealed.seal = None;

    let pdf = renderer().render(&sealed).unwrap();
    let plain = renderer().render(&unsealed).unwrap();

    let text = text_of(&pdf).join("\n");
    for c in ["之", "印"] {
        assert!(text.contains(c), "{c} in\n{text}");
    }
    let red = pixels(&pdf).into_iter().filter(|p| seal_red(*p)).count();
    assert!(red > 100, "{red} red pixels");
    assert_eq!(
        pixels(&plain).into_iter().filter(|p| seal_red(*p)).count(),
        0
    );
    preview(&pdf, "specimen-seal-in-type");
}

#[test]
fn an_uploaded_seal_image_is_drawn_with_its_transparency_and_the_file_stays_pdf_a_3b() {
    let mut document = enrollment("山田 太郎");
    document.seal = Some(Seal::Image(std::sync::Arc::new(blue_ring(240))));

    let pdf = renderer().render(&document).unwrap();

    let images = poppler("pdfimages", &["-list"], &pdf);
    // page num type width height …
    let kinds: Vec<(String, String, String)> = images
        .lines()
        .skip(2)
        .map(|row| {
            let columns: Vec<&str> = row.split_whitespace().collect();
            let column = |i: usize| columns.get(i).copied().unwrap_or_default().to_owned();
            (column(2), column(3), column(4))
        })
        .collect();
    let seal = ("image".to_owned(), "240".to_owned(), "240".to_owned());
    assert!(kinds.contains(&seal), "{images}");
    // Its transparent ground is a soft mask: what lies under it stays readable.
    assert!(kinds.iter().any(|(kind, _, _)| kind == "smask"), "{images}");
    let blue = pixels(&pdf).into_iter().filter(|p| pure_blue(*p)).count();
    assert!(blue > 100, "{blue} blue pixels");
    let metadata = poppler("pdfinfo", &["-meta"], &pdf);
    assert!(
        metadata.contains("<pdfaid:part>3</pdfaid:part>"),
        "{metadata}"
    );
    preview(&pdf, "specimen-seal-image");
}

#[test]
fn a_seal_image_that_does_not_decode_stops_the_certificate() {
    let mut document = enrollment("山田 太郎");
    document.seal = Some(Seal::Image(std::sync::Arc::new(b"not a png".to_vec())));

    let made = renderer().render(&document);

    assert!(matches!(made, Err(RenderError::Failed(_))), "{made:?}");
}

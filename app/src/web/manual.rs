//! The student manual (manual 3.1): Markdown sources kept in `app/manual/`, rendered on the
//! server with the university's name and help desk filled in.

use crate::api::views::TenantView;
use domain::i18n::Lang;

const MANUAL_JA: &str = include_str!("../../manual/manual.ja.md");
const MANUAL_EN: &str = include_str!("../../manual/manual.en.md");

/// The manual as HTML. The university's own texts are escaped before they are put in.
pub fn render(tenant: &TenantView, lang: Lang) -> String {
    let source = match lang {
        Lang::Ja => MANUAL_JA,
        Lang::En => MANUAL_EN,
    };
    let helpdesk = tenant
        .helpdesk(lang)
        .lines()
        .map(escape_markdown)
        .collect::<Vec<_>>()
        .join("  \n");
    let filled = source
        .replace(
            "{{university}}",
            &escape_markdown(tenant.display_name(lang)),
        )
        .replace("{{helpdesk}}", &helpdesk)
        .replace("{{card}}", &escape_markdown(tenant.card_name(lang)));
    let parser = pulldown_cmark::Parser::new(&filled).map(|event| match event {
        // Raw HTML in the sources (or smuggled in through a tenant's text) is shown as text.
        pulldown_cmark::Event::Html(html) | pulldown_cmark::Event::InlineHtml(html) => {
            pulldown_cmark::Event::Text(html)
        }
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

/// Makes a university's text literal in Markdown.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_{}[]()#+-.!<>|&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(helpdesk: &str) -> TenantView {
        TenantView {
            slug: "demo".into(),
            name: "デモ大学".into(),
            name_en: Some("Demo University".into()),
            notes_ja: None,
            notes_en: None,
            helpdesk_ja: Some(helpdesk.into()),
            helpdesk_en: None,
            password_policy: Default::default(),
            card_name_ja: "M.I.C".into(),
            card_name_en: "M.I.C".into(),
        }
    }

    #[test]
    fn the_manual_names_the_card_of_the_university_and_says_it_is_not_paid_back_in_cash() {
        let ja = render(&tenant("窓口"), Lang::Ja);
        let en = render(&tenant("desk"), Lang::En);
        assert!(ja.contains("M.I.Cオンラインチャージ"), "{ja}");
        assert!(ja.contains("現金での払い戻しはできません"));
        assert!(en.contains("cannot be paid back in cash"));
        assert!(!ja.contains("{{card}}") && !en.contains("{{card}}"));
    }

    #[test]
    fn the_manual_names_the_screens_and_the_help_desk() {
        let html = render(&tenant("学生課 電話 000-1111-2222"), Lang::Ja);
        assert!(html.contains("<h1>操作マニュアル</h1>"));
        assert!(html.contains("第2パスワードを忘れた場合"));
        assert!(
            html.contains("学生課 電話 000\u{2d}1111\u{2d}2222") || html.contains("000-1111-2222")
        );
        assert!(html.contains("デモ大学"));
    }

    #[test]
    fn a_universitys_text_cannot_inject_markup() {
        let html = render(&tenant("<script>alert(1)</script>"), Lang::Ja);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn the_english_manual_is_in_english() {
        let html = render(&tenant("x"), Lang::En);
        assert!(html.contains("<h1>User manual</h1>") && html.contains("Demo University"));
    }
}

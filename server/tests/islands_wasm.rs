//! The student's WASM links only the field catalogue (docs/PERFORMANCE.md): every field
//! message is in it, and no text of a page or a mail. Reads the built site, so
//! `scripts/test.sh` runs it after building, with `SHOMEI_CHECK_WASM` naming the file.

use backend::platform::mail_messages::MailMsg;
use domain::i18n::{AccountMsg, CommonMsg, FieldMsg, Lang};

/// Shorter texts ("OK", "Menu") could be found by chance in any binary.
const SHORTEST_CHECKED: usize = 10;

fn texts<K: Copy>(keys: &[K], text: impl Fn(K, Lang) -> &'static str) -> Vec<&'static str> {
    keys.iter()
        .flat_map(|&key| Lang::ALL.map(|lang| text(key, lang)))
        .filter(|text| text.len() >= SHORTEST_CHECKED)
        .collect()
}

fn holds(wasm: &[u8], text: &str) -> bool {
    wasm.windows(text.len()).any(|window| window == text.as_bytes())
}

#[test]
#[ignore = "needs the built site: scripts/test.sh runs it after building, with SHOMEI_CHECK_WASM"]
fn the_islands_carry_every_field_message_and_no_page_or_mail_text() {
    let path = std::env::var("SHOMEI_CHECK_WASM").expect("SHOMEI_CHECK_WASM names the WASM");
    let wasm = std::fs::read(&path).expect("the built WASM");
    let fields = texts(FieldMsg::ALL, FieldMsg::text);
    let mut others = texts(CommonMsg::ALL, CommonMsg::text);
    others.extend(texts(AccountMsg::ALL, AccountMsg::text));
    others.extend(texts(MailMsg::ALL, MailMsg::text));
    // A page text that is also a field's (a label repeated as a heading) may be there.
    others.retain(|text| !fields.iter().any(|field| field.contains(text)));

    let missing: Vec<_> = fields.iter().filter(|text| !holds(&wasm, text)).collect();
    let linked: Vec<_> = others.iter().filter(|text| holds(&wasm, text)).collect();

    assert!(
        missing.is_empty(),
        "field messages missing from {path}: {missing:#?}"
    );
    assert!(
        linked.is_empty(),
        "page or mail texts linked into {path}: {linked:#?}"
    );
}

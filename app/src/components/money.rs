//! Money as the pages show it: amounts in yen and a card's history as a table (the student's
//! history page and a student's page in the staff console).

use super::{scroll_table, Column, RegionName};
use crate::api::views::MovementView;
use crate::i18n::{t, use_lang, Lang, WalletMsg};
use domain::Yen;
use leptos::prelude::*;

/// An amount as `3,000円` / `¥3,000`.
pub fn yen(amount: Yen, lang: Lang) -> String {
    WalletMsg::Yen.text(lang).replace("{amount}", &amount.to_string())
}

/// A signed amount of the history: `+3,000円`, `−300円`.
fn signed_yen(amount: i64, lang: Lang) -> String {
    let abs = Yen::new(amount.abs()).unwrap_or_default();
    let sign = if amount < 0 { "−" } else { "+" };
    format!("{sign}{}", yen(abs, lang))
}

/// The lines of a card's history as a table (or a notice when there are none), labelled by
/// the heading whose id is `heading`.
pub fn movements_table(movements: &[MovementView], heading: &'static str) -> AnyView {
    if movements.is_empty() {
        return view! { <p class="notice" role="status">{t(WalletMsg::HistoryEmpty)}</p> }
            .into_any();
    }
    let lang = use_lang();
    let columns: [Column; 4] = [
        (WalletMsg::HistoryWhen.into(), false),
        (WalletMsg::HistoryKind.into(), false),
        (WalletMsg::HistoryAmount.into(), true),
        (WalletMsg::HistoryBalance.into(), true),
    ];
    let rows = movements
        .iter()
        .map(|line| {
            let what = match line.description.is_empty() || line.kind == "top_up" {
                true => t(line.kind_msg()).to_owned(),
                false => format!("{} {}", t(line.kind_msg()), line.description),
            };
            let balance = Yen::new(line.balance_after).unwrap_or_default();
            view! {
                <tr>
                    <td>{line.at.clone()}</td>
                    <td>{what}</td>
                    <td class="number">{signed_yen(line.amount, lang)}</td>
                    <td class="number">{yen(balance, lang)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {scroll_table(RegionName::Heading(heading), &columns, rows)}
    }
    .into_any()
}

/// Waits for a payment through the gateway (a top-up, an application's fees) to settle, then
/// loads its page again.
#[island]
pub fn SettleWatch(tenant: String, reference: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use crate::api::wallet::top_up_settled;
        let asked = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let handle = set_interval_with_handle(
            move || {
                // One question at a time on a slow network.
                if asked.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    return;
                }
                let (tenant, reference, asked) = (tenant.clone(), reference.clone(), asked.clone());
                leptos::task::spawn_local(async move {
                    if let Ok(true) = top_up_settled(tenant, reference).await {
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().reload();
                        }
                    }
                    asked.store(false, std::sync::atomic::Ordering::SeqCst);
                });
            },
            std::time::Duration::from_secs(2),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (tenant, reference);
}

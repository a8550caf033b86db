//! The card balance (`M.I.Cオンラインチャージ`, `利用履歴`): what the pages show, and the two
//! forms of a top-up, each a thin adapter over the wallet's services.

use super::views::{CardView, HistoryView, ReviewView, TopUpView};
use crate::error::{AppError, Field};
#[cfg(feature = "ssr")]
use crate::routes::Page;
use domain::i18n::FieldMsg;
use domain::{AmountError, Yen};
use leptos::prelude::*;

/// The amount a top-up form sends: one of the buttons, or `other` and the amount typed.
pub fn chosen_amount(amount: &str, other_amount: Option<&str>) -> Result<Yen, AppError> {
    let typed = match amount {
        "other" => other_amount.unwrap_or_default(),
        chosen => chosen,
    };
    Yen::parse(typed).map_err(|err| {
        let msg = match err {
            AmountError::Missing => FieldMsg::Required,
            _ => FieldMsg::AmountNotWhole,
        };
        AppError::invalid(Field::Amount, msg)
    })
}

/// How many lines a page of the history shows.
pub const HISTORY_PAGE_SIZE: u64 = 20;

/// The top-up page: balance, limits, waiting konbini slips.
#[server(endpoint = "card_overview")]
pub async fn card_overview(tenant: String) -> Result<CardView, AppError> {
    use crate::web::{request, wallet};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    wallet::overview(&state, &at, request::lang()).await
}

/// The top-up form: checks the amount and the method, then shows the confirmation (whose
/// address carries the idempotency key of this one top-up, so a reload or a second tab of
/// it never pays twice).
#[server(endpoint = "review_top_up")]
pub async fn review_top_up(
    tenant: String,
    amount: String,
    other_amount: Option<String>,
    method: String,
) -> Result<(), AppError> {
    use crate::web::{request, wallet};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    let amount = chosen_amount(&amount, other_amount.as_deref())?;
    let method = wallet::method(&method)?;
    wallet::check(&state, &at, amount).await?;
    let key = wallet::new_key();
    let query = format!(
        "?amount={}&method={}&key={key}",
        amount.get(),
        method.code()
    );
    leptos_axum::redirect(&format!("{}{query}", Page::CardConfirm.href(&tenant)));
    Ok(())
}

/// The confirmation page's data.
#[server(endpoint = "top_up_review")]
pub async fn top_up_review(
    tenant: String,
    amount: String,
    method: String,
    key: String,
) -> Result<ReviewView, AppError> {
    use crate::web::{request, wallet};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    let amount = chosen_amount(&amount, None)?;
    wallet::review(&state, &at, amount, &method, key).await
}

/// `支払いへ進む`: opens the checkout at the gateway (once per key) and sends the student to
/// its payment page.
#[server(endpoint = "start_top_up")]
pub async fn start_top_up(
    tenant: String,
    amount: String,
    method: String,
    key: String,
) -> Result<(), AppError> {
    use crate::web::{request, wallet};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    let amount = chosen_amount(&amount, None)?;
    let top_up = wallet::start(&state, &at, amount, &method, &key).await?;
    let next = match top_up.redirect_url {
        Some(page) if top_up.method == backend::wallet::gateway::PaymentMethod::Card => page,
        // A konbini slip is shown on shomei's own page.
        _ => format!("{}?ref={}", Page::CardTopUp.href(&tenant), top_up.reference),
    };
    leptos_axum::redirect(&next);
    Ok(())
}

/// A top-up's progress, for its page (which reloads itself until it is settled).
#[server(endpoint = "top_up_status")]
pub async fn top_up_status(tenant: String, reference: String) -> Result<TopUpView, AppError> {
    use crate::web::{request, wallet};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    wallet::status(&state, &at, &reference, request::lang()).await
}

/// A page of the card's history, newest first.
#[server(endpoint = "card_history")]
pub async fn card_history(tenant: String, page: u64) -> Result<HistoryView, AppError> {
    use crate::web::{request, wallet};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    wallet::history(&state, &at, page).await
}

/// Whether a top-up has left `処理中` (paid, declined, expired): asked by its page every few
/// seconds, which then loads once more to show how it ended.
#[server(endpoint = "top_up_settled")]
pub async fn top_up_settled(tenant: String, reference: String) -> Result<bool, AppError> {
    use crate::web::{request, wallet};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    wallet::settled(&state, &at, &reference).await
}

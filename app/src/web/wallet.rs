//! The card balance's views, built from the wallet's services for the signed-in student, and
//! what its refusals say.

use super::state::AppState;
use crate::api::views::{CardView, HistoryView, MovementView, ReviewView, TopUpView};
use crate::api::wallet::HISTORY_PAGE_SIZE;
use crate::error::AppError;
use backend::account::StudentSession;
use backend::platform::clock::jst_minute;
use backend::platform::outbox::format_jst;
use backend::wallet::gateway::PaymentMethod;
use backend::wallet::ledger::{self, Movement};
use backend::wallet::top_ups::{Limits, NewTopUp, TopUp, TopUpError};
use backend::wallet::IdempotencyKey;
use domain::i18n::{Lang, WalletMsg};
use domain::{StudentId, Yen};

impl From<TopUpError> for AppError {
    fn from(err: TopUpError) -> Self {
        match err {
            TopUpError::NotAvailable => AppError::Refused(WalletMsg::NotAvailable.into()),
            TopUpError::BelowMinimum { .. } => AppError::Refused(WalletMsg::BelowMinimum.into()),
            TopUpError::AboveMaximum { .. } => AppError::Refused(WalletMsg::AboveMaximum.into()),
            TopUpError::PastMaximumBalance { .. } => {
                AppError::Refused(WalletMsg::PastMaximumBalance.into())
            }
            TopUpError::GatewayUnavailable => {
                AppError::Refused(WalletMsg::GatewayUnavailable.into())
            }
            TopUpError::KeyReused => AppError::Refused(WalletMsg::KeyReused.into()),
            TopUpError::Unknown => AppError::NotFound,
            TopUpError::BadNotice | TopUpError::Storage => AppError::Internal,
        }
    }
}

pub fn method(code: &str) -> Result<PaymentMethod, AppError> {
    PaymentMethod::from_code(code).ok_or(AppError::Refused(WalletMsg::ChooseMethod.into()))
}

async fn student(state: &AppState, at: &StudentSession) -> Result<StudentId, AppError> {
    Ok(state.accounts.registry_student(at).await?.id)
}

async fn balance(
    state: &AppState,
    at: &StudentSession,
    student: StudentId,
) -> Result<Yen, AppError> {
    Ok(ledger::balance(&state.db, at.tenant.id, student).await?)
}

fn development(state: &AppState) -> bool {
    state.top_ups.gateway.as_ref().is_some_and(|g| g.is_development())
}

pub async fn overview(
    state: &AppState,
    at: &StudentSession,
    lang: Lang,
) -> Result<CardView, AppError> {
    let student = student(state, at).await?;
    let limits = Limits::of(&at.tenant);
    let waiting = match state.top_ups.gateway {
        Some(_) => state.top_ups.open_konbini(at.tenant.id, student).await?,
        None => Vec::new(),
    };
    let balance = balance(state, at, student).await?;
    let mut waiting_views = Vec::new();
    for top_up in waiting {
        waiting_views.push(view(state, at, top_up, balance, lang));
    }
    Ok(CardView {
        tenant: at.tenant.clone().into(),
        balance,
        min: limits.min,
        max: limits.max,
        balance_max: limits.balance_max,
        room: state.top_ups.room(&at.tenant, student).await?,
        available: state.top_ups.gateway.is_some(),
        development: development(state),
        waiting: waiting_views,
    })
}

/// The amount against the university's limits and the card's room.
pub async fn check(state: &AppState, at: &StudentSession, amount: Yen) -> Result<(), AppError> {
    if state.top_ups.gateway.is_none() {
        return Err(TopUpError::NotAvailable.into());
    }
    let student = student(state, at).await?;
    Ok(state.top_ups.check(&at.tenant, student, amount).await?)
}

/// A fresh idempotency key for one top-up's confirmation.
pub fn new_key() -> String {
    backend::platform::secrets::random_secret()
}

fn key(text: &str) -> Result<IdempotencyKey, AppError> {
    IdempotencyKey::parse(text).ok_or(AppError::Refused(WalletMsg::KeyReused.into()))
}

pub async fn review(
    state: &AppState,
    at: &StudentSession,
    amount: Yen,
    method_code: &str,
    key_text: String,
) -> Result<ReviewView, AppError> {
    method(method_code)?;
    key(&key_text)?;
    let student = student(state, at).await?;
    let balance = balance(state, at, student).await?;
    Ok(ReviewView {
        tenant: at.tenant.clone().into(),
        amount,
        method: method_code.to_owned(),
        balance,
        balance_after: balance.checked_add(amount).unwrap_or(Yen::MAX),
        key: key_text,
        development: development(state),
    })
}

/// Where the gateway sends its notices of a university's payments.
pub fn notify_url(state: &AppState, slug: &str) -> String {
    state.settings.link(&format!("/webhooks/payments/{slug}"))
}

pub async fn start(
    state: &AppState,
    at: &StudentSession,
    amount: Yen,
    method_code: &str,
    key_text: &str,
) -> Result<TopUp, AppError> {
    let method = method(method_code)?;
    let key = key(key_text)?;
    let student = student(state, at).await?;
    let slug = at.tenant.slug.clone();
    let settings = state.settings.clone();
    let return_url = move |reference: &str| {
        settings.link(&format!(
            "{}?ref={reference}",
            crate::routes::Page::CardTopUp.href(&slug)
        ))
    };
    let notify_url = notify_url(state, &at.tenant.slug);
    let new = NewTopUp {
        tenant: &at.tenant,
        student,
        amount,
        method,
        key: &key,
        lang: super::request::lang(),
        return_url: &return_url,
        notify_url,
    };
    Ok(state.top_ups.start(new).await?)
}

fn view(
    state: &AppState,
    at: &StudentSession,
    top_up: TopUp,
    balance: Yen,
    lang: Lang,
) -> TopUpView {
    let waiting = top_up.state == backend::wallet::top_ups::TopUpState::AwaitingPayment;
    TopUpView {
        tenant: at.tenant.clone().into(),
        reference: top_up.reference,
        amount: top_up.amount,
        method: top_up.method.code().to_owned(),
        state: top_up.state.code().to_owned(),
        decline_reason: top_up.decline_reason,
        konbini_number: top_up.konbini_number,
        konbini_deadline: top_up.konbini_deadline.map(|at| format_jst(at, lang)),
        payment_page: top_up
            .redirect_url
            .filter(|_| waiting && top_up.method == PaymentMethod::Card),
        balance,
        development: development(state),
    }
}

pub async fn status(
    state: &AppState,
    at: &StudentSession,
    reference: &str,
    lang: Lang,
) -> Result<TopUpView, AppError> {
    let student = student(state, at).await?;
    let top_up = state.top_ups.find(at.tenant.id, student, reference).await?;
    let balance = balance(state, at, student).await?;
    Ok(view(state, at, top_up, balance, lang))
}

pub async fn settled(
    state: &AppState,
    at: &StudentSession,
    reference: &str,
) -> Result<bool, AppError> {
    let student = student(state, at).await?;
    Ok(state.top_ups.settled(at.tenant.id, student, reference).await?)
}

pub(crate) fn movement(movement: Movement) -> MovementView {
    MovementView {
        at: jst_minute(movement.at),
        kind: movement.kind.map_or("adjustment", |k| k.code()).to_owned(),
        description: movement.description,
        amount: movement.amount,
        balance_after: movement.balance_after,
    }
}

pub async fn history(
    state: &AppState,
    at: &StudentSession,
    page: u64,
) -> Result<HistoryView, AppError> {
    let student = student(state, at).await?;
    let page = page.max(1);
    let (movements, count) = ledger::history(
        &state.db,
        at.tenant.id,
        student,
        page - 1,
        HISTORY_PAGE_SIZE,
    )
    .await?;
    Ok(HistoryView {
        tenant: at.tenant.clone().into(),
        balance: balance(state, at, student).await?,
        movements: movements.into_iter().map(movement).collect(),
        page,
        pages: count.div_ceil(HISTORY_PAGE_SIZE).max(1),
    })
}

/// The most lines a CSV download holds (years of a student's use).
const CSV_LINES: u64 = 100_000;

/// The whole history as CSV, newest first, with a byte-order mark so spreadsheet programs
/// read the Japanese as UTF-8.
pub async fn history_csv(
    state: &AppState,
    at: &StudentSession,
    lang: Lang,
) -> Result<String, AppError> {
    let student = student(state, at).await?;
    let (movements, _) = ledger::history(&state.db, at.tenant.id, student, 0, CSV_LINES).await?;
    let mut out = String::from("\u{feff}");
    let header = [
        WalletMsg::HistoryWhen,
        WalletMsg::HistoryKind,
        WalletMsg::HistoryAmount,
        WalletMsg::HistoryBalance,
    ]
    .map(|msg| msg.text(lang));
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for line in movements.into_iter().map(movement) {
        let what = match line.description.is_empty() {
            true => line.kind_msg().text(lang).to_owned(),
            false => format!("{} {}", line.kind_msg().text(lang), line.description),
        };
        // Quoted, with quotes doubled; a leading =, +, - or @ would be a formula to a
        // spreadsheet program, so text fields never start with one.
        let what = what.trim_start_matches(['=', '+', '-', '@']).replace('"', "\"\"");
        out.push_str(&format!(
            "{},\"{}\",{},{}\r\n",
            line.at, what, line.amount, line.balance_after
        ));
    }
    Ok(out)
}

//! `M.I.Cオンラインチャージ`: the balance and the top-up form, the confirmation, the top-up's
//! progress (`処理中` until the gateway's notice, then `チャージ完了`, or a konbini slip), and
//! `利用履歴`. Every form works before the WASM has loaded: plain radio buttons and inputs,
//! posted natively.

use crate::api::views::{CardView, HistoryView, ReviewView, TenantView, TopUpView};
use crate::api::wallet::{
    card_history, card_overview, top_up_review, top_up_status, ReviewTopUp, StartTopUp,
};
use crate::components::{movements_table, pager, use_tenant_slug, yen, PagerTexts};
use crate::components::{refusal, server_messages, signed_in_page, signed_in_page_or};
use crate::components::{ButtonLink, FormAlert, Frame, SettleWatch};
use crate::error::Field;
use crate::i18n::{t, use_lang, CommonMsg, Lang, WalletMsg};
use crate::routes::{Page, CARD_HISTORY_CSV};
use domain::Yen;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The amounts offered as buttons (yen).
const AMOUNTS: [i64; 4] = [1_000, 3_000, 5_000, 10_000];

/// `{card}` in a message replaced by the university's name of its card; capitalised when it
/// opens an English sentence.
fn with_card(msg: WalletMsg, tenant: &TenantView, lang: Lang) -> String {
    let text = msg.text(lang).replace("{card}", tenant.card_name(lang));
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if lang == Lang::En => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}

fn query(name: &'static str) -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get(name).unwrap_or_default())
}

#[component]
fn DevelopmentNotice(development: bool) -> impl IntoView {
    development.then(|| view! { <p class="notice warning">{t(WalletMsg::DevelopmentGateway)}</p> })
}

/// `M.I.Cオンラインチャージ`: the balance, the limits and the top-up form.
#[component]
pub fn CardPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let loaded = Resource::new(move || slug.get(), card_overview);
    signed_in_page(slug, loaded, |view| view! { <CardContent view/> })
}

#[component]
fn CardContent(view: CardView) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ReviewTopUp>::new();
    let error = refusal(action.value());
    let [amount_message] = server_messages(&error, [Field::Amount]);
    let tenant = view.tenant.clone();
    let title = with_card(WalletMsg::TopUpTitle, &tenant, lang);
    let limits = WalletMsg::Limits
        .text(lang)
        .replace("{min}", &view.min.to_string())
        .replace("{max}", &view.max.to_string())
        .replace("{balance_max}", &view.balance_max.to_string());
    let room = if view.room < view.min {
        t(WalletMsg::NoRoom).to_owned()
    } else {
        WalletMsg::Room.text(lang).replace("{room}", &view.room.to_string())
    };
    let amount_choices = AMOUNTS
        .into_iter()
        .filter_map(Yen::new)
        .enumerate()
        .map(|(i, amount)| {
            let id = format!("amount-{}", amount.get());
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name="amount" value=amount.get().to_string() checked=i == 1/>
                    <label for=id>{yen(amount, lang)}</label>
                </div>
            }
        })
        .collect_view();
    let slug = tenant.slug.clone();
    let form = view.available.then(move || {
        let amount_message = amount_message.map(|msg| msg.text(lang));
        view! {
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=slug/>
                <fieldset class="choices">
                    <legend>{t(WalletMsg::AmountLegend)}</legend>
                    {amount_choices}
                    <div class="choice">
                        <input type="radio" id="amount-other" name="amount" value="other"/>
                        <label for="amount-other">{t(WalletMsg::OtherAmount)}</label>
                    </div>
                    <div class="field">
                        <label for="other_amount">{t(WalletMsg::OtherAmountLabel)}</label>
                        <input id="other_amount" name="other_amount" inputmode="numeric" autocomplete="off"
                            aria-describedby="amount-message" aria-invalid=if amount_message.is_some() { "true" } else { "false" }/>
                        <p class="field-message" id="amount-message">{amount_message}</p>
                    </div>
                </fieldset>
                <fieldset class="choices">
                    <legend>{t(WalletMsg::MethodLegend)}</legend>
                    <div class="choice">
                        <input type="radio" id="method-card" name="method" value="card" checked=true/>
                        <label for="method-card">{t(WalletMsg::MethodCard)}</label>
                    </div>
                    <div class="choice">
                        <input type="radio" id="method-konbini" name="method" value="konbini"/>
                        <label for="method-konbini">{t(WalletMsg::MethodKonbini)}</label>
                    </div>
                </fieldset>
                <div class="actions">
                    <button type="submit" class="primary">{t(WalletMsg::ReviewButton)}</button>
                </div>
            </ActionForm>
        }
    });
    let waiting = (!view.waiting.is_empty()).then(|| {
        let items = view
            .waiting
            .iter()
            .map(|top_up| {
                let href = format!("{}?ref={}", Page::CardTopUp.href(&tenant.slug), top_up.reference);
                view! { <li><a href=href>{format!("{} {}", t(WalletMsg::KonbiniTitle), yen(top_up.amount, lang))}</a></li> }
            })
            .collect_view();
        view! { <ul class="waiting">{items}</ul> }
    });
    view! {
        <Frame title=WalletMsg::TopUpTitle title_text=title.clone() tenant=tenant.clone() signed_in=true>
            <h1>{title}</h1>
            <p class="lead">{with_card(WalletMsg::TopUpLead, &tenant, lang)}</p>
            <DevelopmentNotice development=view.development/>
            <dl class="balance">
                <dt>{t(WalletMsg::Balance)}</dt>
                <dd>{yen(view.balance, lang)}</dd>
            </dl>
            {waiting}
            <FormAlert error=error.clone()/>
            {if view.available {
                view! {
                    <p>{limits}" "{room}</p>
                    {form}
                }.into_any()
            } else {
                view! { <p class="notice" role="status">{t(WalletMsg::NotAvailable)}</p> }.into_any()
            }}
            <p class="notice">{t(WalletMsg::Prepaid)}</p>
            <p class="secondary-links">
                <a href=Page::CardHistory.href(&tenant.slug)>{t(WalletMsg::HistoryTitle)}</a>
                <a href=Page::Home.href(&tenant.slug)>{t(CommonMsg::BackToHome)}</a>
            </p>
        </Frame>
    }
}

/// The confirmation: every figure once more, then the gateway's payment page.
#[component]
pub fn CardConfirmPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let (amount, method, key) = (query("amount"), query("method"), query("key"));
    let loaded = Resource::new(
        move || (slug.get(), amount.get(), method.get(), key.get()),
        |(slug, amount, method, key)| top_up_review(slug, amount, method, key),
    );
    // A confirmation whose address was changed into nonsense goes back to the form.
    signed_in_page_or(
        slug,
        loaded,
        Page::Card,
        |view| view! { <ConfirmContent view/> },
    )
}

#[component]
fn ConfirmContent(view: ReviewView) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<StartTopUp>::new();
    let error = refusal(action.value());
    let tenant = view.tenant.clone();
    let method = match view.method.as_str() {
        "konbini" => t(WalletMsg::MethodKonbini),
        _ => t(WalletMsg::MethodCard),
    };
    let row = |label: WalletMsg, value: String| {
        view! { <div class="profile-row"><dt>{t(label)}</dt><dd>{value}</dd></div> }
    };
    let change_href = Page::Card.href(&tenant.slug);
    view! {
        <Frame title=WalletMsg::ConfirmTitle tenant=tenant.clone() signed_in=true>
            <h1>{t(WalletMsg::ConfirmTitle)}</h1>
            <p class="lead">{t(WalletMsg::ConfirmLead)}</p>
            <DevelopmentNotice development=view.development/>
            <FormAlert error=error.clone()/>
            <dl class="profile">
                {row(WalletMsg::AmountDone, yen(view.amount, lang))}
                {row(WalletMsg::MethodLegend, method.to_owned())}
                {row(WalletMsg::TotalLabel, yen(view.amount, lang))}
                {row(WalletMsg::Balance, yen(view.balance, lang))}
                {row(WalletMsg::BalanceAfterLabel, yen(view.balance_after, lang))}
            </dl>
            <p class="notice">{t(WalletMsg::Prepaid)}</p>
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=tenant.slug.clone()/>
                <input type="hidden" name="amount" value=view.amount.get().to_string()/>
                <input type="hidden" name="method" value=view.method.clone()/>
                <input type="hidden" name="key" value=view.key.clone()/>
                <div class="actions">
                    <button type="submit" class="primary">{t(WalletMsg::PayButton)}</button>
                </div>
            </ActionForm>
            <p class="secondary-links">
                <a href=change_href>{t(WalletMsg::ChangeButton)}</a>
            </p>
        </Frame>
    }
}

/// A top-up's progress: `処理中` (reloading itself) until the gateway's notice has come, then
/// `チャージ完了`; a konbini slip; a declined card; an expired slip.
#[component]
pub fn CardTopUpPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let reference = query("ref");
    let loaded = Resource::new(
        move || (slug.get(), reference.get()),
        |(slug, reference)| top_up_status(slug, reference),
    );
    signed_in_page(slug, loaded, |view| view! { <TopUpContent view/> })
}

#[component]
fn TopUpContent(view: TopUpView) -> impl IntoView {
    let lang = use_lang();
    let tenant = view.tenant.clone();
    let here = Page::CardTopUp.href(&tenant.slug);
    let reload = view! {
        <form method="get" action=here class="actions">
            <input type="hidden" name="ref" value=view.reference.clone()/>
            <button type="submit" class="secondary">{t(WalletMsg::ReloadButton)}</button>
        </form>
    };
    let again =
        view! { <ButtonLink href=Page::Card.href(&tenant.slug) label=WalletMsg::TryAgain/> };
    let amount_row = view! {
        <div class="profile-row"><dt>{t(WalletMsg::AmountDone)}</dt><dd>{yen(view.amount, lang)}</dd></div>
    };
    let (title, body) = match (view.state.as_str(), view.method.as_str()) {
        ("paid", _) => (
            WalletMsg::DoneTitle,
            view! {
                <p role="status" class="notice">{t(WalletMsg::DoneBody)}</p>
                <dl class="profile">
                    {amount_row}
                    <div class="profile-row"><dt>{t(WalletMsg::BalanceAfterLabel)}</dt><dd>{yen(view.balance, lang)}</dd></div>
                </dl>
                <ButtonLink href=Page::CardHistory.href(&tenant.slug) label=WalletMsg::HistoryTitle/>
            }
            .into_any(),
        ),
        ("declined", _) => {
            let why = match view.decline_reason.as_deref() {
                Some("insufficient_funds") => WalletMsg::InsufficientFunds,
                _ => WalletMsg::Declined,
            };
            (
                WalletMsg::DeclinedTitle,
                view! { <p role="alert" class="form-alert">{t(why)}</p>{again} }.into_any(),
            )
        }
        ("expired", _) => (
            WalletMsg::ExpiredTitle,
            view! { <p role="status" class="notice">{t(WalletMsg::ExpiredBody)}</p>{again} }.into_any(),
        ),
        ("awaiting_payment", "konbini") => (
            WalletMsg::KonbiniTitle,
            view! {
                <p class="lead">{t(WalletMsg::KonbiniBody)}</p>
                <dl class="profile">
                    {amount_row}
                    <div class="profile-row"><dt>{t(WalletMsg::KonbiniNumber)}</dt><dd class="slip-number">{view.konbini_number.clone()}</dd></div>
                    <div class="profile-row"><dt>{t(WalletMsg::KonbiniDeadline)}</dt><dd>{view.konbini_deadline.clone()}</dd></div>
                </dl>
                {reload}
            }
            .into_any(),
        ),
        _ => (
            WalletMsg::ProcessingTitle,
            view! {
                // Asks every few seconds and loads the page once it has settled; without
                // JavaScript, the button. (A page that reloads itself on a timer would take a
                // screen reader's place away each time: WCAG 2.2.1.)
                <SettleWatch tenant=tenant.slug.clone() reference=view.reference.clone()/>
                <p role="status" class="notice">{t(WalletMsg::ProcessingBody)}</p>
                <dl class="profile">{amount_row}</dl>
                {reload}
                {view.payment_page.clone().map(|page| view! {
                    <p class="secondary-links"><a href=page>{t(WalletMsg::BackToPayment)}</a></p>
                })}
            }
            .into_any(),
        ),
    };
    view! {
        <Frame title tenant=tenant.clone() signed_in=true>
            <h1>{t(title)}</h1>
            <DevelopmentNotice development=view.development/>
            {body}
            <p class="secondary-links">
                <a href=Page::Home.href(&tenant.slug)>{t(CommonMsg::BackToHome)}</a>
            </p>
        </Frame>
    }
}

/// `利用履歴`: every movement with its time (JST), kind, amount and the balance after it,
/// newest first, a page at a time; and the whole of it as CSV.
#[component]
pub fn CardHistoryPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let page = query("page");
    let loaded = Resource::new(
        move || (slug.get(), page.get()),
        |(slug, page)| card_history(slug, page.parse().unwrap_or(1)),
    );
    signed_in_page(slug, loaded, |view| view! { <HistoryContent view/> })
}

#[component]
fn HistoryContent(view: HistoryView) -> impl IntoView {
    let lang = use_lang();
    let tenant = view.tenant.clone();
    let here = Page::CardHistory.href(&tenant.slug);
    let table = movements_table(&view.movements, "history-heading");
    let texts = PagerTexts {
        previous: WalletMsg::HistoryPrevious.into(),
        next: WalletMsg::HistoryNext.into(),
        page_of: WalletMsg::HistoryPage.into(),
    };
    let pages = pager(
        (view.page, view.pages),
        |page| format!("{here}?page={page}"),
        texts,
    );
    view! {
        <Frame title=WalletMsg::HistoryTitle tenant=tenant.clone() signed_in=true>
            <h1 id="history-heading">{t(WalletMsg::HistoryTitle)}</h1>
            <p class="lead">{with_card(WalletMsg::HistoryLead, &tenant, lang)}</p>
            <dl class="balance">
                <dt>{t(WalletMsg::Balance)}</dt>
                <dd>{yen(view.balance, lang)}</dd>
            </dl>
            {table}
            {pages}
            <p class="secondary-links">
                <a href=format!("/{}/{CARD_HISTORY_CSV}", tenant.slug) download="">{t(WalletMsg::HistoryCsv)}</a>
                <a href=Page::Card.href(&tenant.slug)>{with_card(WalletMsg::TopUpTitle, &tenant, lang)}</a>
                <a href=Page::Home.href(&tenant.slug)>{t(CommonMsg::BackToHome)}</a>
            </p>
        </Frame>
    }
}

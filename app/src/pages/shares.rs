//! `証明書の共有` (`/{tenant}/certificates/shares`): the student makes a share link of an issued
//! certificate for a named recipient (after reading and agreeing to the consent text), copies
//! it, sees each time it was opened, and revokes it. Plain forms, posted natively.

use crate::api::shares::{
    certificate_shares, CreateShare, RevokeShare, ShareState, ShareView, SharesView, SharingView,
};
use crate::components::{
    refusal, scroll_table, server_messages, signed_in_page, use_tenant_slug, Column, FormAlert,
    Frame, RegionName,
};
use crate::error::Field;
use crate::i18n::{t, use_lang, CertificateMsg, FieldMsg, Msg};
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CertificatesSharesPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let query = use_query_map();
    let loaded = Resource::new(
        move || {
            let value = |name: &str| query.with(|q| q.get(name).unwrap_or_default());
            (slug.get(), value("no"), value("line"), value("created"))
        },
        |(slug, number, line, created)| certificate_shares(slug, number, line, created),
    );
    signed_in_page(slug, loaded, |view| view! { <SharesContent view/> })
}

#[component]
fn SharesContent(view: SharesView) -> impl IntoView {
    let query = use_query_map();
    let revoked_now = query.with_untracked(|q| q.get("revoked").is_some());
    let slug = view.tenant.slug.clone();
    let form = view
        .sharing
        .clone()
        .map(|sharing| view! { <ShareForm slug=slug.clone() sharing/> });
    let list = if view.shares.is_empty() {
        view! { <p>{t(CertificateMsg::SharesEmpty)}</p> }.into_any()
    } else {
        let items = view
            .shares
            .iter()
            .map(|share| {
                let created = view.created == Some(share.id);
                view! { <ShareItem slug=slug.clone() share=share.clone() created/> }
            })
            .collect_view();
        view! { <ul class="shares" aria-labelledby="shares-heading">{items}</ul> }.into_any()
    };
    view! {
        <Frame title=CertificateMsg::SharesTitle tenant=view.tenant.clone() signed_in=true>
            <h1>{t(CertificateMsg::SharesTitle)}</h1>
            <p class="lead">{t(CertificateMsg::SharesLead)}</p>
            {revoked_now.then(|| view! { <p class="notice" role="status">{t(CertificateMsg::ShareRevokedNotice)}</p> })}
            {form}
            <h2 id="shares-heading">{t(CertificateMsg::SharesHeading)}</h2>
            {list}
            <p class="secondary-links">
                <a href=Page::CertificatesHistory.href(&slug)>{t(CertificateMsg::HistoryTitle)}</a>
            </p>
        </Frame>
    }
}

/// Whom, for how long, and the consent: the share of one certificate.
#[component]
fn ShareForm(slug: String, sharing: SharingView) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<CreateShare>::new();
    let error = refusal(action.value());
    let [recipient_message, days_message, consent_message] = server_messages(
        &error,
        [Field::ShareRecipient, Field::ShareDays, Field::ShareConsent],
    );
    let name = match lang {
        crate::i18n::Lang::Ja => sharing.name_ja.clone(),
        crate::i18n::Lang::En => sharing.name_en.clone(),
    };
    let what = t(CertificateMsg::ShareFor)
        .replace("{name}", &name)
        .replace("{number}", &sharing.number);
    let invalid = |message: Option<FieldMsg>| if message.is_some() { "true" } else { "false" };
    view! {
        <section class="share-form" aria-labelledby="share-form-heading">
            <h2 id="share-form-heading">{t(CertificateMsg::ShareCreateHeading)}</h2>
            <p>{what}</p>
            <FormAlert error=error.clone()/>
            <ActionForm action>
                <input type="hidden" name="tenant" value=slug/>
                <input type="hidden" name="number" value=sharing.number.clone()/>
                <input type="hidden" name="line" value=sharing.line.to_string()/>
                <div class="field">
                    <label for="share-recipient">{t(FieldMsg::ShareRecipient)}</label>
                    <input id="share-recipient" name="recipient" type="text" maxlength="100" autocomplete="organization"
                        aria-describedby="share-recipient-message" aria-invalid=invalid(recipient_message)/>
                    <p class="field-message" id="share-recipient-message">{recipient_message.map(t)}</p>
                </div>
                <div class="field">
                    <label for="share-days">{t(FieldMsg::ShareDays)}</label>
                    <input id="share-days" name="days" type="number" inputmode="numeric" min="1" max="365"
                        value=sharing.default_days.to_string()
                        aria-describedby="share-days-message" aria-invalid=invalid(days_message)/>
                    <p class="field-message" id="share-days-message">{days_message.map(t)}</p>
                </div>
                <fieldset class="consent">
                    <legend>{t(CertificateMsg::ShareConsentHeading)}</legend>
                    <p>{t(CertificateMsg::ShareConsentText)}</p>
                    <div class="check">
                        <input id="share-consent" name="consent" type="checkbox" value="yes"
                            aria-describedby="share-consent-message" aria-invalid=invalid(consent_message)/>
                        <label for="share-consent">{t(FieldMsg::ShareConsent)}</label>
                    </div>
                    <p class="field-message" id="share-consent-message">{consent_message.map(t)}</p>
                </fieldset>
                <div class="actions">
                    <button type="submit" class="primary">{t(CertificateMsg::ShareCreateButton)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// One share: for whom, its link, its state, its revoke button and its access log.
#[component]
fn ShareItem(slug: String, share: ShareView, created: bool) -> impl IntoView {
    let action = ServerAction::<RevokeShare>::new();
    let error = refusal(action.value());
    let ShareView {
        id,
        link,
        recipient,
        number,
        line,
        made,
        until,
        state,
        visits,
    } = share;
    let state_text = t(match state {
        ShareState::Open => CertificateMsg::ShareStateOpen,
        ShareState::Expired => CertificateMsg::ShareStateExpired,
        ShareState::Revoked => CertificateMsg::ShareStateRevoked,
    });
    let heading_id = format!("share-{id}");
    let link_id = format!("share-link-{id}");
    let link = link.map(|link| {
        view! {
            <div class="field">
                <label for=link_id.clone()>{t(CertificateMsg::ShareLink)}</label>
                <input id=link_id.clone() class="share-link" type="text" readonly value=link/>
            </div>
        }
    });
    let revoke_label = format!("{} — {recipient}", t(CertificateMsg::ShareRevokeButton));
    let revoke = (state == ShareState::Open).then(|| {
        view! {
            <ActionForm action>
                <input type="hidden" name="tenant" value=slug/>
                <input type="hidden" name="share" value=id.to_string()/>
                <div class="actions">
                    <button type="submit" class="secondary">{revoke_label}</button>
                </div>
            </ActionForm>
        }
    });
    let log = if visits.is_empty() {
        view! { <p>{t(CertificateMsg::ShareLogEmpty)}</p> }.into_any()
    } else {
        let rows = visits
            .into_iter()
            .map(|visit| {
                view! {
                    <tr>
                        <td>{visit.at}</td>
                        <td>{visit.outcome}</td>
                        <td>{visit.address}</td>
                        <td>{visit.browser}</td>
                    </tr>
                }
            })
            .collect_view();
        let columns: [Column; 4] = [
            (Msg::Certificate(CertificateMsg::ColWhen), false),
            (Msg::Certificate(CertificateMsg::ColOutcome), false),
            (Msg::Certificate(CertificateMsg::ColAddress), false),
            (Msg::Certificate(CertificateMsg::ColBrowser), false),
        ];
        let name = format!("{} — {recipient}", t(CertificateMsg::ShareLogHeading));
        scroll_table(RegionName::Text(name), &columns, rows).into_any()
    };
    view! {
        <li class="share">
            <h3 id=heading_id>{recipient.clone()}</h3>
            {created.then(|| view! { <p class="notice" role="status">{t(CertificateMsg::ShareCreated)}</p> })}
            {link}
            <dl class="facts">
                <dt>{t(CertificateMsg::VerifyNumber)}</dt><dd>{format!("{number}-{line}")}</dd>
                <dt>{t(CertificateMsg::VerifyStatus)}</dt><dd>{state_text}</dd>
                <dt>{t(CertificateMsg::ShareMade)}</dt><dd>{made}</dd>
                <dt>{t(CertificateMsg::ShareUntil)}</dt><dd>{until}</dd>
            </dl>
            <FormAlert error=error.clone()/>
            {revoke}
            <h4>{t(CertificateMsg::ShareLogHeading)}</h4>
            {log}
        </li>
    }
}

use crate::api::login::Logout;
use crate::api::views::TenantView;
use crate::error::AppError;
use crate::i18n::{t, use_lang, CommonMsg, Lang, Msg};
use crate::routes::Page;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

/// The frame of every page: the service and university names, the language switch, the
/// menu of a signed-in student, and the help desk.
#[component]
pub fn Frame(
    #[prop(into)] title: Msg,
    /// The title as written, when it carries more than its message (the card's name).
    #[prop(optional, into)]
    title_text: Option<String>,
    #[prop(optional)] tenant: Option<TenantView>,
    #[prop(optional)] signed_in: bool,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    let university = tenant.as_ref().map(|t| t.display_name(lang).to_owned());
    let title = title_text.unwrap_or_else(|| title.text(lang).to_owned());
    let document_title = match &university {
        Some(name) => format!("{title} | {name} | {}", t(CommonMsg::ServiceName)),
        None => format!("{title} | {}", t(CommonMsg::ServiceName)),
    };
    let menu = match (&tenant, signed_in) {
        (Some(tenant), true) => {
            Some(view! { <Menu tenant=tenant.slug.clone() texts=MenuTexts::new(lang)/> })
        }
        _ => None,
    };
    let helpdesk = tenant.as_ref().map(|tenant| {
        view! {
            <section class="helpdesk" aria-labelledby="helpdesk-heading">
                <h2 id="helpdesk-heading">{t(CommonMsg::Helpdesk)}</h2>
                <p>{tenant.helpdesk(lang)}</p>
            </section>
        }
    });
    view! {
        <Title text=document_title/>
        <Meta name="description" content=t(CommonMsg::MetaDescription)/>
        <a class="skip-link" href="#main">{t(CommonMsg::SkipToContent)}</a>
        <header class="site-header">
            <div class="brand">
                <span class="service-name">{t(CommonMsg::ServiceName)}</span>
                {university.map(|name| view! { <span class="university-name">{name}</span> })}
            </div>
            <div class="header-tools">
                <LanguageSwitch/>
                {menu}
            </div>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">{helpdesk}</footer>
    }
}

/// Links to the same page in each language. They reload the page (`rel="external"`), and
/// the server remembers the choice in a cookie.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let current = use_lang();
    let location = use_location();
    let links = Lang::ALL
        .into_iter()
        .map(|lang| {
            let href = move || lang_href(&location.pathname.get(), &location.search.get(), lang);
            let is_current = lang == current;
            view! {
                <li>
                    <a
                        href=href
                        rel="external"
                        hreflang=lang.code()
                        lang=lang.code()
                        aria-current=is_current.then_some("true")
                    >
                        {lang.native_name()}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="language-switch" aria-label=t(CommonMsg::LanguageLabel)>
            <ul>{links}</ul>
        </nav>
    }
}

/// `path?…&lang=xx`, keeping the other query parameters (a one-time URL's token) and dropping
/// the ones that carried a form's earlier error.
pub fn lang_href(path: &str, search: &str, lang: Lang) -> String {
    let mut pairs: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && !matches!(key, "lang" | "__err" | "__path")
        })
        .collect();
    let lang_pair = format!("lang={}", lang.code());
    pairs.push(&lang_pair);
    // `//host/…` or `/\host/…` (which browsers read as `//`) would leave the site: the link
    // always starts with exactly one slash.
    let path = path.trim_start_matches(['/', '\\']);
    format!("/{path}?{}", pairs.join("&"))
}

const LOGOUT_URL: &str = <Logout as leptos::server_fn::ServerFn>::PATH;

/// The menu's texts, taken from the catalogue on the server and handed to the island as
/// its props: the island itself links no page catalogue into the WASM.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MenuTexts {
    button: String,
    label: String,
    email_change: String,
    second_password_change: String,
    manual: String,
    logout: String,
}

impl MenuTexts {
    fn new(lang: Lang) -> Self {
        let text = |msg: CommonMsg| msg.text(lang).to_owned();
        Self {
            button: text(CommonMsg::Menu),
            label: text(CommonMsg::MenuLabel),
            email_change: text(CommonMsg::MenuEmailChange),
            second_password_change: text(CommonMsg::MenuSecondPasswordChange),
            manual: text(CommonMsg::MenuManual),
            logout: text(CommonMsg::Logout),
        }
    }
}

/// The `メニュー` button at the top right of a signed-in student's pages. A `<details>`
/// element, so it opens without JavaScript and screen readers announce it as expanded or
/// collapsed; as an island, opening moves the focus into it and Escape closes it.
#[island]
fn Menu(tenant: String, texts: MenuTexts) -> impl IntoView {
    let details = NodeRef::<leptos::html::Details>::new();
    let first_item = NodeRef::<leptos::html::A>::new();
    let summary = NodeRef::<leptos::html::Summary>::new();
    let on_toggle = move |_| {
        if let (Some(details), Some(first)) = (details.get(), first_item.get()) {
            if details.open() {
                let _ = first.focus();
            }
        }
    };
    // A tap or click anywhere outside the menu closes it.
    let outside = window_event_listener(leptos::ev::pointerdown, move |ev| {
        if let (Some(details), Some(target)) = (details.get_untracked(), ev.target()) {
            if details.open() && !holds(&details, target) {
                details.set_open(false);
            }
        }
    });
    on_cleanup(move || outside.remove());
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        // Tab (or Shift+Tab) out of the menu closes it, where Escape would no longer reach
        // it. Checked once the key has moved the focus, wherever it went (the page, or out
        // of the page).
        if ev.key() == "Tab" {
            set_timeout(
                move || {
                    let focused = document().active_element();
                    if let Some(details) = details.get_untracked() {
                        if !focused.is_some_and(|element| holds(&details, element.into())) {
                            details.set_open(false);
                        }
                    }
                },
                std::time::Duration::ZERO,
            );
        }
        if ev.key() == "Escape" {
            if let (Some(details), Some(summary)) = (details.get(), summary.get()) {
                if details.open() {
                    details.set_open(false);
                    let _ = summary.focus();
                    ev.prevent_default();
                }
            }
        }
    };
    view! {
        <details
            class="menu"
            node_ref=details
            on:toggle=on_toggle
            on:keydown=on_keydown
        >
            <summary role="button" aria-haspopup="true" node_ref=summary>{texts.button}</summary>
            <nav class="menu-items" aria-label=texts.label>
                <ul>
                    <li>
                        <a class="menu-item" href=Page::EmailChange.href(&tenant) node_ref=first_item>
                            {texts.email_change}
                        </a>
                    </li>
                    <li>
                        <a class="menu-item" href=Page::SecondPasswordChange.href(&tenant)>
                            {texts.second_password_change}
                        </a>
                    </li>
                    <li>
                        <a class="menu-item" href=Page::Manual.href(&tenant)>{texts.manual}</a>
                    </li>
                    <li>
                        <form method="post" action=LOGOUT_URL>
                            <input type="hidden" name="tenant" value=tenant.clone()/>
                            <button type="submit" class="menu-item">{texts.logout}</button>
                        </form>
                    </li>
                </ul>
            </nav>
        </details>
    }
}

/// Whether `target` is `element` or inside it.
fn holds(element: &leptos::web_sys::Element, target: leptos::web_sys::EventTarget) -> bool {
    use leptos::wasm_bindgen::JsCast;
    target
        .dyn_into::<leptos::web_sys::Node>()
        .is_ok_and(|node| element.contains(Some(&node)))
}

/// The 404 page: an unknown university or path.
#[component]
pub fn NotFoundView() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Frame title=CommonMsg::NotFoundTitle>
            <h1>{t(CommonMsg::NotFoundTitle)}</h1>
            <p>{t(CommonMsg::NotFoundBody)}</p>
        </Frame>
    }
}

/// A page the signed-in staff member's role does not open (answered 403).
#[component]
pub fn ForbiddenView() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <Frame title=CommonMsg::Forbidden>
            <p class="form-alert" role="alert">{t(CommonMsg::Forbidden)}</p>
        </Frame>
    }
}

/// A failure on our side while loading a page.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    let msg = error.form_message().unwrap_or(CommonMsg::InternalError.into());
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::INTERNAL_SERVER_ERROR);
    }
    view! {
        <Frame title=CommonMsg::InternalError>
            <p class="form-alert" role="alert">{t(msg)}</p>
        </Frame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_link_keeps_the_token_and_drops_old_errors() {
        assert_eq!(
            lang_href(
                "/demo/email/confirm",
                "?token=abc&lang=ja&__err=x&__path=y",
                Lang::En
            ),
            "/demo/email/confirm?token=abc&lang=en"
        );
        assert_eq!(
            lang_href("/demo/login", "", Lang::Ja),
            "/demo/login?lang=ja"
        );
    }

    #[test]
    fn the_language_link_of_any_address_stays_on_the_site() {
        assert_eq!(
            lang_href("//evil.example/x", "", Lang::En),
            "/evil.example/x?lang=en"
        );
        assert_eq!(
            lang_href("/\\evil.example", "", Lang::Ja),
            "/evil.example?lang=ja"
        );
    }
}

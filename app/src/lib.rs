//! shomei's application: routes, screens and server functions, for browser and server. The
//! HTTP adapter (`web`) is server only, behind the `ssr` feature, like the `backend` crate's
//! services it calls; parsers and messages come from the `domain` crate.

// Leptos view types nest deeply; computing their layout needs a deeper limit.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod i18n;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod web;

use crate::components::NotFoundView;
use crate::i18n::Lang;
use crate::pages::*;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The language of this page: on the server from the request, in the browser from
/// `<html lang>`, which the server wrote.
pub fn page_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| web::request::lang_of(&parts))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|html| html.get_attribute("lang"))
                .and_then(|code| Lang::from_code(&code))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::default()
        }
    }
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = page_lang();
    #[cfg(feature = "ssr")]
    web::request::send_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="referrer" content="same-origin"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <leptos_meta::MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(page_lang());
    // Pages load their data before the response starts (SsrMode::Async), so a 404 status
    // and redirects reach the browser, and forms work before the WASM has loaded.
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFoundView/> }>
                <Route path=path!("") view=RootPage ssr=SsrMode::Async/>
                <Route path=path!("/dev/mailbox") view=DevMailboxPage ssr=SsrMode::Async/>
                <Route path=path!("/v/:document") view=VerificationPage ssr=SsrMode::Async/>
                <Route path=path!("/s/:token") view=SharePage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/email/register") view=RegisterEmailPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/email/sent") view=EmailSentPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/email/confirm") view=ConfirmEmailPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/email/done") view=EmailDonePage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/second-password/setup") view=SetupSecondPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/second-password/done") view=SecondPasswordDonePage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/home") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/email/change") view=ChangeEmailPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/email/change/sent") view=ChangeEmailSentPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/email/change/confirm") view=ConfirmEmailChangePage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/email/change/done") view=EmailChangedPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/second-password/change") view=ChangeSecondPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/second-password/changed") view=SecondPasswordChangedPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/second-password/forgot") view=ForgotSecondPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/second-password/forgot/sent") view=ForgotSentPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/second-password/reset") view=ResetSecondPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/second-password/reset/done") view=ResetDonePage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/manual") view=ManualPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/card") view=CardPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/card/confirm") view=CardConfirmPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/card/top-up") view=CardTopUpPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/card/history") view=CardHistoryPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/certificates") view=CertificatesPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/certificates/confirm") view=CertificatesConfirmPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/certificates/history") view=CertificatesHistoryPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/certificates/application") view=CertificatesApplicationPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/certificates/shares") view=CertificatesSharesPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/login") view=StaffSignInPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/setup") view=StaffSetUpPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/factor") view=StaffFactorPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/recovery-codes") view=StaffRecoveryCodesPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff") view=StaffHomePage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/student") view=StaffStudentPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/members") view=StaffMembersPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/settings") view=StaffSettingsPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/audit") view=StaffAuditPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/import") view=StaffImportPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/applications") view=StaffApplicationsPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/application") view=StaffApplicationPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/calendar") view=StaffCalendarPage ssr=SsrMode::Async/>
                <Route path=path!("/:tenant/staff/catalogue") view=StaffCataloguePage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

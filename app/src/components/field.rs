use crate::domain::{emails_match, passwords_match, EmailAddress, PasswordPolicy, SecondPassword};
use crate::error::{AppError, Field as ErrorField};
use crate::i18n::{use_lang, Msg};
use leptos::prelude::*;

/// A labelled input whose message appears under it: the browser's check (the same parser
/// the server runs) once the field has been left, or the server's answer.
#[component]
pub fn Field(
    label: Msg,
    name: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<Msg>,
    value: RwSignal<String>,
    #[prop(into)] check: Signal<Option<Msg>>,
    #[prop(into)] server_error: Signal<Option<Msg>>,
) -> impl IntoView {
    let lang = use_lang();
    let touched = RwSignal::new(false);
    let message = move || {
        touched
            .get()
            .then(|| check.get())
            .flatten()
            .or_else(|| server_error.get())
    };
    let message_id = format!("{name}-message");
    let hint_id = format!("{name}-hint");
    let described_by = if hint.is_some() {
        format!("{hint_id} {message_id}")
    } else {
        message_id.clone()
    };
    view! {
        <div class="field">
            <label for=name>{label.text(lang)}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint.text(lang)}</p> })}
            <input
                id=name
                name=name
                type=input_type
                autocomplete=autocomplete
                aria-describedby=described_by
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                on:input=move |ev| value.set(event_target_value(&ev))
                on:blur=move |ev| {
                    value.set(event_target_value(&ev));
                    touched.set(true);
                }
            />
            <p class="field-message" id=message_id aria-live="polite">
                {move || message().map(|msg| msg.text(lang))}
            </p>
        </div>
    }
}

/// The answer of a form that belongs to no single field (wrong credentials, an expired
/// session, a failure on our side).
#[component]
pub fn FormAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        error
            .get()
            .and_then(|err| err.form_message())
            .map(|msg| view! { <p class="form-alert" role="alert">{msg.text(lang)}</p> })
    }
}

/// An email address and its confirmation, checked as the server checks them.
#[component]
pub fn EmailPair(
    names: [&'static str; 2],
    labels: [Msg; 2],
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let server =
        move |field| Signal::derive(move || error.get().and_then(|e| e.field_message(field)));
    view! {
        <Field
            label=labels[0]
            name=names[0]
            input_type="email"
            autocomplete="email"
            value=email
            check=Signal::derive(move || EmailAddress::parse(&email.get()).err())
            server_error=server(ErrorField::Email)
        />
        <Field
            label=labels[1]
            name=names[1]
            input_type="email"
            autocomplete="email"
            value=confirmation
            check=Signal::derive(move || emails_match(&email.get(), &confirmation.get()).err())
            server_error=server(ErrorField::EmailConfirm)
        />
    }
}

/// A new second password and its confirmation, with the rule shown and checked as the
/// server checks it.
#[component]
pub fn NewPasswordPair(
    names: [&'static str; 2],
    labels: [Msg; 2],
    policy: PasswordPolicy,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let server =
        move |field| Signal::derive(move || error.get().and_then(|e| e.field_message(field)));
    view! {
        <Field
            label=labels[0]
            name=names[0]
            input_type="password"
            autocomplete="new-password"
            hint=policy.hint()
            value=password
            check=Signal::derive(move || SecondPassword::parse_under(policy, &password.get()).err())
            server_error=server(ErrorField::SecondPassword)
        />
        <Field
            label=labels[1]
            name=names[1]
            input_type="password"
            autocomplete="new-password"
            value=confirmation
            check=Signal::derive(move || passwords_match(&password.get(), &confirmation.get()).err())
            server_error=server(ErrorField::SecondPasswordConfirm)
        />
    }
}

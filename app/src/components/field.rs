//! Form fields. The page and its form are rendered on the server and submit without
//! JavaScript; the fields are islands, the only part of a form that ships to the browser,
//! where they run the server's own parsers as soon as a field is left.

use crate::error::{AppError, Field as ErrorField};
use crate::i18n::{use_lang, FieldMsg};
use domain::{emails_match, passwords_match, EmailAddress, PasswordPolicy, SecondPassword, UserId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The check the browser runs on a single field; the server runs the same one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check {
    /// Only the server can judge it (a second password at login).
    ServerOnly,
    Required,
    UserId,
    Email,
    /// A postal code in Japan, when one is typed (the field also serves EMS abroad).
    PostalCode,
}

impl Check {
    fn run(self, value: &str) -> Option<FieldMsg> {
        match self {
            Check::ServerOnly => None,
            Check::Required => value.trim().is_empty().then_some(FieldMsg::Required),
            Check::UserId => UserId::parse(value).err(),
            Check::Email => EmailAddress::parse(value).err(),
            Check::PostalCode => (!value.trim().is_empty() && domain::postal_code(value).is_none())
                .then_some(FieldMsg::PostalCodeInvalid),
        }
    }
}

/// How a field is named, labelled and filled in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpec {
    pub label: FieldMsg,
    pub name: String,
    pub input_type: String,
    pub autocomplete: String,
}

impl FieldSpec {
    pub fn new(label: FieldMsg, name: &str, input_type: &str, autocomplete: &str) -> Self {
        Self {
            label,
            name: name.to_owned(),
            input_type: input_type.to_owned(),
            autocomplete: autocomplete.to_owned(),
        }
    }
}

/// The refusal the server gave this form's last submission, read once while the page
/// renders on the server (a refused native post comes back with it in the URL).
pub fn refusal<T>(
    answer: impl GetUntracked<Value = Option<Result<T, AppError>>>,
) -> Option<AppError> {
    answer.get_untracked().and_then(Result::err)
}

/// The messages the server gave `fields` in its answer to the last submission.
pub fn server_messages<const N: usize>(
    error: &Option<AppError>,
    fields: [ErrorField; N],
) -> [Option<FieldMsg>; N] {
    fields.map(|field| error.as_ref().and_then(|e| e.field_message(field)))
}

/// A single field with its check.
#[island]
pub fn CheckedField(
    spec: FieldSpec,
    check: Check,
    server_message: Option<FieldMsg>,
) -> impl IntoView {
    let value = RwSignal::new(String::new());
    view! {
        <FieldView
            spec
            hint=None
            value
            check=Signal::derive(move || check.run(&value.get()))
            server_message
        />
    }
}

/// A value typed twice: an email address, or a new second password under the university's
/// rule (the server alone knows the common-password list and the student's own IDs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pair {
    Email,
    NewPassword(PasswordPolicy),
}

impl Pair {
    fn spec(self, label: FieldMsg, name: &str) -> FieldSpec {
        match self {
            Pair::Email => FieldSpec::new(label, name, "email", "email"),
            Pair::NewPassword(_) => FieldSpec::new(label, name, "password", "new-password"),
        }
    }

    fn hint(self) -> Option<FieldMsg> {
        match self {
            Pair::Email => None,
            Pair::NewPassword(policy) => Some(policy.hint()),
        }
    }

    fn check(self, value: &str) -> Option<FieldMsg> {
        match self {
            Pair::Email => EmailAddress::parse(value).err(),
            Pair::NewPassword(policy) => SecondPassword::parse_under(policy, value).err(),
        }
    }

    fn check_confirmation(self, value: &str, confirmation: &str) -> Option<FieldMsg> {
        match self {
            Pair::Email => emails_match(value, confirmation).err(),
            Pair::NewPassword(_) => passwords_match(value, confirmation).err(),
        }
    }
}

/// A value and its confirmation, checked as the server checks them.
#[island]
pub fn FieldPair(
    pair: Pair,
    names: [String; 2],
    labels: [FieldMsg; 2],
    server_messages: [Option<FieldMsg>; 2],
) -> impl IntoView {
    let value = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let [name, confirmation_name] = names;
    let [server_message, confirmation_server_message] = server_messages;
    view! {
        <FieldView
            spec=pair.spec(labels[0], &name)
            hint=pair.hint()
            value
            check=Signal::derive(move || pair.check(&value.get()))
            server_message
        />
        <FieldView
            spec=pair.spec(labels[1], &confirmation_name)
            hint=None
            value=confirmation
            check=Signal::derive(move || pair.check_confirmation(&value.get(), &confirmation.get()))
            server_message=confirmation_server_message
        />
    }
}

/// A labelled input whose message appears under it: the browser's check once the field has
/// been left, or else the server's answer to the last submission.
#[component]
fn FieldView(
    spec: FieldSpec,
    hint: Option<FieldMsg>,
    value: RwSignal<String>,
    check: Signal<Option<FieldMsg>>,
    server_message: Option<FieldMsg>,
) -> impl IntoView {
    let lang = use_lang();
    // A field only passed through says nothing: its check speaks once the student has typed
    // in it and left it (an empty required field is the server's to refuse at the submit).
    let typed = RwSignal::new(false);
    let touched = RwSignal::new(false);
    // Secrets are never written anywhere but the field itself.
    let keeps_value = spec.input_type != "password";
    let name = spec.name.clone();
    let input = NodeRef::<leptos::html::Input>::new();
    // Runs once the island is awake. The student (or a password manager) may have typed
    // before that: the field is read, never overwritten, unless it comes back refused.
    Effect::new({
        let name = name.clone();
        move |_| {
            let Some(field) = input.get() else { return };
            let kept = keeps_value.then(|| kept_input::take(&name)).flatten();
            if let (Some(typed), true) = (kept, field.value().is_empty()) {
                field.set_value(&typed);
            }
            // Typed before the island woke (a slow phone, a password manager): typed all the same.
            if !field.value().is_empty() {
                typed.set(true);
            }
            value.set(field.value());
        }
    });
    let message = move || touched.get().then(|| check.get()).flatten().or(server_message);
    let message_id = format!("{}-message", spec.name);
    let hint_id = format!("{}-hint", spec.name);
    let described_by = if hint.is_some() {
        format!("{hint_id} {message_id}")
    } else {
        message_id.clone()
    };
    view! {
        <div class="field">
            <label for=spec.name.clone()>{spec.label.text(lang)}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint.text(lang)}</p> })}
            <input
                id=spec.name.clone()
                name=spec.name
                type=spec.input_type
                autocomplete=spec.autocomplete
                aria-describedby=described_by
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                node_ref=input
                on:input=move |ev| {
                    typed.set(true);
                    value.set(event_target_value(&ev));
                    if keeps_value {
                        kept_input::keep(&name, &value.get_untracked());
                    }
                }
                on:blur=move |ev| {
                    value.set(event_target_value(&ev));
                    if typed.get_untracked() {
                        touched.set(true);
                    }
                }
            />
            <p class="field-message" id=message_id aria-live="polite">
                {move || message().map(|msg| msg.text(lang))}
            </p>
        </div>
    }
}

/// A refused submission comes back as a new page (the URL then carries `__err`), which
/// would empty the form: what the student typed is kept in the tab's session storage while
/// the form is sent and put back if the form comes back refused. Storage is cleared on
/// every load either way.
mod kept_input {
    #[cfg(feature = "hydrate")]
    fn storage_key(name: &str) -> Option<(web_sys::Storage, String)> {
        let window = web_sys::window()?;
        let storage = window.session_storage().ok()??;
        let path = window.location().pathname().ok()?;
        Some((storage, format!("shomei-typed:{path}:{name}")))
    }

    pub fn keep(name: &str, typed: &str) {
        #[cfg(feature = "hydrate")]
        if let Some((storage, key)) = storage_key(name) {
            let _ = storage.set_item(&key, typed);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (name, typed);
    }

    pub fn take(name: &str) -> Option<String> {
        #[cfg(feature = "hydrate")]
        {
            let (storage, key) = storage_key(name)?;
            let typed = storage.get_item(&key).ok().flatten();
            let _ = storage.remove_item(&key);
            let search = web_sys::window()?.location().search().ok()?;
            typed.filter(|_| search.contains("__err="))
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = name;
            None
        }
    }
}

/// The answer to a form's last submission that belongs to no single field (wrong
/// credentials, an expired session, a failure on our side). Rendered on the server.
#[component]
pub fn FormAlert(error: Option<AppError>) -> impl IntoView {
    let lang = use_lang();
    error
        .and_then(|err| err.form_text(lang))
        .map(|text| view! { <p class="form-alert" role="alert">{text}</p> })
}

/// The fields of a new second password and its confirmation, in the order the forms show them.
pub const NEW_PASSWORD_FIELDS: [ErrorField; 2] = [
    ErrorField::SecondPassword,
    ErrorField::SecondPasswordConfirm,
];

/// `現在の第2パスワード`: re-authentication before a sensitive change.
#[component]
pub fn CurrentPasswordField(error: Option<crate::error::AppError>) -> impl IntoView {
    let [server_message] = server_messages(&error, [ErrorField::CurrentSecondPassword]);
    view! {
        <CheckedField
            spec=FieldSpec::new(FieldMsg::CurrentSecondPassword, "current_second_password", "password", "current-password")
            check=Check::Required
            server_message
        />
    }
}

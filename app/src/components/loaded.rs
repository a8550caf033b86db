use crate::components::{ForbiddenView, NotFoundView};
use crate::error::AppError;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use serde::{de::DeserializeOwned, Serialize};

/// A signed-in student's page, its data loaded on the server before the answer starts: an
/// unknown university or record gets the 404 page, a missing session the login page.
pub fn signed_in_page<T, F, V>(
    slug: Memo<String>,
    loaded: Resource<Result<T, AppError>>,
    content: F,
) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    signed_in_page_or(slug, loaded, Page::Login, content)
}

/// The same, sending a refusal of the page's own input (an address someone changed) to
/// `refused` instead of the login page.
pub fn signed_in_page_or<T, F, V>(
    slug: Memo<String>,
    loaded: Resource<Result<T, AppError>>,
    refused: Page,
    content: F,
) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    page_behind(slug, loaded, (Page::Login, refused), content)
}

/// A page behind a sign-in: `content` with what it loaded; a visitor without the session
/// goes to `sign_in` (the students' login, or the staff's sign-in), and any other refusal
/// to `refused`.
pub fn page_behind<T, F, V>(
    slug: Memo<String>,
    loaded: Resource<Result<T, AppError>>,
    (sign_in, refused): (Page, Page),
    content: F,
) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let content = content.clone();
                Suspend::new(async move {
                    match loaded.await {
                        Ok(view) => content(view).into_any(),
                        Err(AppError::NotFound) => view! { <NotFoundView/> }.into_any(),
                        Err(AppError::Forbidden) => view! { <ForbiddenView/> }.into_any(),
                        Err(AppError::NotSignedIn) => {
                            view! { <Redirect path=sign_in.href(&slug.get_untracked())/> }
                                .into_any()
                        }
                        Err(_) => {
                            view! { <Redirect path=refused.href(&slug.get_untracked())/> }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// A console page over its data: without a staff session at this university (or at another
/// stage), the sign-in page.
pub fn staff_page<T, F, V>(
    slug: Memo<String>,
    loaded: Resource<Result<T, AppError>>,
    content: F,
) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    page_behind(
        slug,
        loaded,
        (Page::StaffSignIn, Page::StaffSignIn),
        content,
    )
}

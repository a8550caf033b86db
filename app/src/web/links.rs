//! The pages one-time links open, as `routes.rs` defines them.

use crate::routes::Page;
use backend::account::{LinkPages, Purpose};
use domain::TenantSlug;

/// The page a link of `purpose` opens.
pub fn page_of(purpose: Purpose) -> Page {
    match purpose {
        Purpose::EmailRegistration => Page::EmailConfirm,
        Purpose::EmailChange => Page::EmailChangeConfirm,
        Purpose::SecondPasswordReset => Page::SecondPasswordReset,
    }
}

/// The path of the page a link of `purpose` opens at the university `slug`.
pub fn page_path(slug: &str, purpose: Purpose) -> String {
    page_of(purpose).href(slug)
}

/// What a one-time link is for: a student's account, or a staff member's set-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    Account(Purpose),
    StaffSetUp,
}

/// The university and purpose of a link page's path, when `path` is exactly one: a valid
/// university slug followed by one of the link pages. Nothing else is a link page.
pub fn link_page(path: &str) -> Option<(&str, Purpose)> {
    match link_page_of_any(path)? {
        (slug, LinkKind::Account(purpose)) => Some((slug, purpose)),
        (_, LinkKind::StaffSetUp) => None,
    }
}

/// The same, the staff's set-up page included.
pub fn link_page_of_any(path: &str) -> Option<(&str, LinkKind)> {
    let (slug, page) = Page::of_path(path)?;
    if !TenantSlug::is_valid(slug) {
        return None;
    }
    if page == Page::StaffSetUp {
        return Some((slug, LinkKind::StaffSetUp));
    }
    let purpose = Purpose::ALL.into_iter().find(|p| page_of(*p) == page)?;
    Some((slug, LinkKind::Account(purpose)))
}

/// The path of the page a link of `kind` opens at the university `slug`.
pub fn kind_path(slug: &str, kind: LinkKind) -> String {
    match kind {
        LinkKind::Account(purpose) => page_path(slug, purpose),
        LinkKind::StaffSetUp => Page::StaffSetUp.href(slug),
    }
}

/// Tells the account services where link pages are, for the URLs in their mails.
pub struct RoutedLinkPages;

impl LinkPages for RoutedLinkPages {
    fn path(&self, slug: &str, purpose: Purpose) -> String {
        page_path(slug, purpose)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_three_link_pages_of_a_valid_university_are_link_pages() {
        assert_eq!(
            link_page("/demo/email/confirm"),
            Some(("demo", Purpose::EmailRegistration))
        );
        assert_eq!(
            link_page("/demo/email/change/confirm"),
            Some(("demo", Purpose::EmailChange))
        );
        assert_eq!(
            link_page("/demo/second-password/reset"),
            Some(("demo", Purpose::SecondPasswordReset))
        );
        assert_eq!(
            link_page_of_any("/demo/staff/setup"),
            Some(("demo", LinkKind::StaffSetUp))
        );
        assert_eq!(link_page("/demo/staff/setup"), None);
        for path in [
            "//evil.example/email/confirm",
            "/demo/home",
            "/demo/email/confirm/",
            "/demo/email/confirm;Domain=evil",
            "/Demo/email/confirm",
            "/../email/confirm",
            "/demo",
        ] {
            assert_eq!(link_page(path), None, "{path}");
        }
    }
}

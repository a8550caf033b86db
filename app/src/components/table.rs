//! A table in its own scrolling box (the page never scrolls sideways at 320 px), the box a
//! named, focusable region so a keyboard can scroll it.

use crate::i18n::{t, Msg};
use leptos::prelude::*;

/// What names the scrolling region: a heading's id, or a text of its own.
pub enum RegionName {
    Heading(&'static str),
    Text(String),
}

/// A column: its heading, and whether it holds numbers (aligned right).
pub type Column = (Msg, bool);

pub fn scroll_table(name: RegionName, columns: &[Column], rows: impl IntoView) -> impl IntoView {
    let headings = columns
        .iter()
        .map(|(msg, number)| {
            view! { <th scope="col" class=number.then_some("number")>{t(*msg)}</th> }
        })
        .collect_view();
    table_in_region(name, headings, rows)
}

/// Where a column's heading leads when the server can order the rows by it, and whether the
/// rows are in its order now (`Some(descending)`).
pub struct SortLink {
    pub href: String,
    pub current: Option<bool>,
}

/// [`scroll_table`] whose columns with a [`SortLink`] have their heading as a link to the rows
/// in that column's order; the column the rows are in says so (`aria-sort`, and an arrow).
pub fn sortable_table(
    name: RegionName,
    columns: Vec<(Column, Option<SortLink>)>,
    rows: impl IntoView,
) -> impl IntoView {
    let headings = columns
        .into_iter()
        .map(|((msg, number), sort)| {
            let class = number.then_some("number");
            match sort {
                None => view! { <th scope="col" class=class>{t(msg)}</th> }.into_any(),
                Some(SortLink { href, current }) => {
                    let (aria_sort, arrow) = match current {
                        None => ("none", ""),
                        Some(false) => ("ascending", "▲"),
                        Some(true) => ("descending", "▼"),
                    };
                    view! {
                        <th scope="col" class=class aria-sort=aria_sort>
                            <a href=href class="sort">{t(msg)}<span aria-hidden="true">{arrow}</span></a>
                        </th>
                    }
                    .into_any()
                }
            }
        })
        .collect_view();
    table_in_region(name, headings, rows)
}

fn table_in_region(
    name: RegionName,
    headings: impl IntoView,
    rows: impl IntoView,
) -> impl IntoView {
    let (labelled_by, label) = match name {
        RegionName::Heading(id) => (Some(id), None),
        RegionName::Text(text) => (None, Some(text)),
    };
    view! {
        <div class="table-scroll" role="region" aria-labelledby=labelled_by aria-label=label tabindex="0">
            <table>
                <thead>
                    <tr>{headings}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// What a pager says: its two links, and "page {page} of {pages}".
pub struct PagerTexts {
    pub previous: Msg,
    pub next: Msg,
    pub page_of: Msg,
}

/// Links to the previous and next page (where there is one) around "page N of M"; `href`
/// gives a page's address.
pub fn pager(
    (page, pages): (u64, u64),
    href: impl Fn(u64) -> String,
    texts: PagerTexts,
) -> AnyView {
    let page_of = t(texts.page_of)
        .replace("{page}", &page.to_string())
        .replace("{pages}", &pages.to_string());
    let previous =
        (page > 1).then(|| view! { <a href=href(page - 1) rel="prev">{t(texts.previous)}</a> });
    let next =
        (page < pages).then(|| view! { <a href=href(page + 1) rel="next">{t(texts.next)}</a> });
    view! {
        <nav class="pager" aria-label=page_of.clone()>
            {previous}
            <span>{page_of.clone()}</span>
            {next}
        </nav>
    }
    .into_any()
}

/// `text` for a URL's query, every byte but letters, digits and `-_.~` as `%XX`.
pub fn query_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

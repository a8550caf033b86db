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
    let (labelled_by, label) = match name {
        RegionName::Heading(id) => (Some(id), None),
        RegionName::Text(text) => (None, Some(text)),
    };
    let headings = columns
        .iter()
        .map(|(msg, number)| {
            view! { <th scope="col" class=number.then_some("number")>{t(*msg)}</th> }
        })
        .collect_view();
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

//! The browser entry point: hydrates the islands of the server-rendered page (the form
//! fields and the menu); everything else stays plain HTML.

// Leptos view types nest deeply; computing their layout needs a deeper limit.
#![recursion_limit = "256"]

// The islands are exported by the app crate; naming it links them into this module.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

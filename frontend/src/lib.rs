//! The browser entry point: hydrates the server-rendered page.

// Leptos view types nest deeply; computing their layout needs a deeper limit.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}

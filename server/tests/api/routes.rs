use app::routes::{Page, DEV_MAILBOX, SHARE, VERIFICATION};
use std::collections::BTreeSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_routes_rs_is_routed_and_nothing_else() {
    let routed: BTreeSet<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|route| route.path().replace('{', ":").replace('}', ""))
        .collect();

    let mut expected: BTreeSet<String> = Page::ALL.iter().map(|page| page.pattern()).collect();
    expected.insert("/".to_owned());
    expected.insert(DEV_MAILBOX.to_owned());
    expected.insert(VERIFICATION.to_owned());
    expected.insert(SHARE.to_owned());
    assert_eq!(routed, expected);
}

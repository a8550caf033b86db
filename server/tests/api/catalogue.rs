//! The operator's catalogue commands, through the real `shomei` binary.

use crate::helpers::{TestApp, TENANT};

const DEMO_CATALOGUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../catalogues/demo.toml");

fn printed(output: &std::process::Output) -> (bool, String) {
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[tokio::test]
async fn the_operator_imports_a_catalogue_file_and_reads_it_back_with_expected_days() {
    let app = TestApp::spawn().await;

    let (imported, said) =
        printed(&app.cli(&["catalogue", "import", "--tenant", TENANT, DEMO_CATALOGUE]));
    let (shown, listing) = printed(&app.cli(&["catalogue", "show", "--tenant", TENANT]));

    assert!(imported, "{said}");
    assert!(
        said.contains("certificate types 6 added, 0 updated, 0 withdrawn"),
        "{said}"
    );
    assert!(
        said.contains("closure calendar replaced (33 day(s))"),
        "{said}"
    );
    assert!(shown, "{listing}");
    assert!(
        listing.contains("成績証明書 / Academic Transcript"),
        "{listing}"
    );
    assert!(listing.contains("rule final_year"), "{listing}");
    assert!(listing.contains("ready 20"), "{listing}");
    assert!(
        listing.contains("GPA rule: S 4.00, A 3.00, B 2.00, C 1.00, F 0.00"),
        "{listing}"
    );
}

#[tokio::test]
async fn a_faulty_catalogue_file_is_refused_with_where_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let faulty = std::env::temp_dir().join(format!("faulty-{}.toml", std::process::id()));
    let text = std::fs::read_to_string(DEMO_CATALOGUE)
        .unwrap()
        .replace("fee = 2000", "fee = 2000000");
    std::fs::write(&faulty, text).unwrap();

    let (checked, check_said) = printed(&app.cli(&[
        "catalogue",
        "import",
        "--check",
        "--tenant",
        TENANT,
        faulty.to_str().unwrap(),
    ]));
    let (imported, said) = printed(&app.cli(&[
        "catalogue",
        "import",
        "--tenant",
        TENANT,
        faulty.to_str().unwrap(),
    ]));
    let (_, listing) = printed(&app.cli(&["catalogue", "show", "--tenant", TENANT]));
    std::fs::remove_file(&faulty).ok();

    assert!(!checked && !imported);
    for said in [check_said, said] {
        assert!(said.contains("nothing was imported"), "{said}");
        assert!(
            said.contains(r#"delivery 3 ("ems"): the fee must be whole yen from 0 to 100000"#),
            "{said}"
        );
    }
    assert!(!listing.contains("Academic Transcript"), "{listing}");
}

#[tokio::test]
async fn the_demo_university_comes_with_its_catalogue() {
    let app = TestApp::spawn().await;

    let (made, said) = printed(&app.cli(&["demo"]));
    let (_, listing) = printed(&app.cli(&["catalogue", "show", "--tenant", "demo"]));

    assert!(made, "{said}");
    for name in [
        "在学証明書",
        "成績証明書",
        "卒業見込証明書",
        "卒業証明書",
        "学位授与証明書",
        "健康診断証明書",
    ] {
        assert!(listing.contains(name), "{name} in {listing}");
    }
}

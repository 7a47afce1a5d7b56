//! The price table's refresh script (`planner-core/prices/refresh.py`), run on sample offer
//! files in the format of AWS's price-list bulk files (`fixtures/prices/`): it must find every
//! price among decoys, take the first tier of graduated prices, and write exactly the table
//! the cost estimate uses; a price it cannot find is an error, never a guess.

use std::path::Path;
use std::process::{Command, Output};

fn refresh(from: &Path, extra: &[&str]) -> Output {
    let root = tests::moto::workspace_dir();
    Command::new("python3")
        .arg(root.join("planner-core/prices/refresh.py"))
        .arg("--from")
        .arg(from)
        .args(["--as-of", "2024-06"])
        .args(extra)
        .output()
        .expect("python3 runs")
}

/// The table between the script's markers in cost.rs.
fn committed_table() -> String {
    let root = tests::moto::workspace_dir();
    let text = std::fs::read_to_string(root.join("planner-core/src/analysis/cost.rs")).unwrap();
    let begin = text.find("// prices: begin").expect("begin marker");
    let end = text.find("// prices: end").expect("end marker") + "// prices: end\n".len();
    text[begin..end].to_owned()
}

#[test]
fn the_script_writes_the_committed_table_from_aws_offer_files() {
    let out = refresh(&tests::fixtures().join("prices"), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), committed_table());
}

#[test]
fn a_missing_price_is_an_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("prices-missing-{}", std::process::id()));
    for offer in ["AmazonEC2", "AmazonVPC", "AmazonCloudWatch"] {
        let from = tests::fixtures().join(format!("prices/{offer}/us-east-1/index.json"));
        let mut doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(from).unwrap()).unwrap();
        if offer == "AmazonVPC" {
            let products = doc["products"].as_object_mut().unwrap();
            products.retain(|_, p| p["attributes"]["usagetype"] != "USE1-VpcEndpoint-Hours");
        }
        let to = dir.join(format!("{offer}/us-east-1"));
        std::fs::create_dir_all(&to).unwrap();
        std::fs::write(to.join("index.json"), doc.to_string()).unwrap();
    }
    let out = refresh(&dir, &["--region", "us-east-1"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("AmazonVPC in us-east-1: no on-demand price for usage type")
            && stderr.contains("VpcEndpoint-Hours"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

//! Every part editable in a form, end to end: an instance edited and one added in the
//! instances tab, drawn in the topology and in the exported plan; the NAT instances' settings
//! in the network tab, in the exported plan; a tier's size switched between prefix length and
//! host count keeping its meaning; and a security group's card naming the instance that
//! carries it, as the graph does.

use planner_core::resource::{Resource, ResourceKind};
use planner_core::Planned;
use serde_json::{json, Value};
use tests::web::{Page, Web};

use crate::baseline::{export_matches_executor, start_blank};
use crate::{expect_drawn, first_difference, plan_doc, preset_doc, scratch, start_preset};

/// Sets the `<select>` matching `css` to `value` as a person choosing it does (one `change`).
async fn choose(page: &Page, css: &str, value: &str) {
    page.wait_for(css).await;
    page.js(
        "const s = document.querySelector(arguments[0]);
         s.value = arguments[1];
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(css), json!(value)],
    )
    .await;
}

/// The CSS selector of the field editing `path`.
fn field(path: &str) -> String {
    format!(r#"[id="field-{path}"]"#)
}

/// Exports plan.json, checks it against `executor plan` of the design it holds, and asserts
/// it is byte for byte `planned`'s.
async fn export_is(page: &Page, name: &str, planned: &Planned) -> Value {
    let dir = scratch(name);
    let bytes = export_matches_executor(page, &dir, None).await;
    std::fs::remove_dir_all(dir).expect("remove the scratch folder");
    let want = planned.plan.to_json();
    assert!(
        bytes == want.as_bytes(),
        "the exported plan is not the design's as typed:\n{}",
        first_difference(&String::from_utf8_lossy(&bytes), &want)
    );
    serde_json::from_slice(&bytes).expect("the export is JSON")
}

/// The plan's instance named `name`.
fn instance<'p>(planned: &'p Planned, name: &str) -> &'p Resource {
    planned
        .plan
        .resources
        .iter()
        .find(|r| matches!(&r.kind, ResourceKind::Instance { name: n, .. } if n == name))
        .unwrap_or_else(|| panic!("no instance {name} in the plan"))
}

#[tokio::test]
async fn instances_edited_and_added_in_their_form_are_drawn_and_exported() {
    let web = Web::start().await;
    let page = web.open("instances").await;
    page.goto("/").await;
    start_preset(&page, "titus").await;
    page.click("#tab-instances").await;

    // The guide's bastion, every field shown in the user's words.
    let bastion = r#".instance-card[data-instance="titus-bastion"]"#;
    let head = page.text(&format!("{bastion} h3")).await;
    assert_eq!(head, "Bastion host titus-bastion");
    assert_eq!(
        page.value(&field("instances[0].instance_type")).await,
        "t3.micro"
    );
    assert_eq!(page.value(&field("instances[0].tier")).await, "public");
    assert_eq!(page.value(&field("instances[0].ami")).await, "alias");
    assert_eq!(
        page.value(&field("instances[0].ami.alias")).await,
        "al2023-x86_64"
    );
    let checked = page
        .attrs(
            &format!(r#"{bastion} .instance-groups input[type="checkbox"]:checked"#),
            "id",
        )
        .await;
    // In the order of the design's groups.
    assert_eq!(
        checked,
        [
            "field-instances[0].security_groups-titusbastion",
            "field-instances[0].security_groups-titusmaster-mainvpc"
        ]
    );

    // The bastion grows; a jump host is added, moved to the private tier, put in the
    // infrastructure group, given the master's profile, a key pair, an Ubuntu image and a
    // boot script.
    page.set_value(&field("instances[0].instance_type"), "t3.small")
        .await;
    page.click("#instance-add-jump_host").await;
    page.wait_for(r#".instance-card[data-instance="jump-host"]"#)
        .await;
    choose(&page, &field("instances[1].tier"), "private").await;
    page.click(&field("instances[1].security_groups-titusmaster-mainvpc"))
        .await;
    choose(
        &page,
        &field("instances[1].instance_profile"),
        "titusmasterInstanceProfile",
    )
    .await;
    page.set_value(&field("instances[1].key_name"), "ops").await;
    choose(
        &page,
        &field("instances[1].ami.alias"),
        "ubuntu-24.04-amd64",
    )
    .await;
    page.set_value(&field("instances[1].user_data"), "#!/bin/bash\necho hi\n")
        .await;

    let mut doc = preset_doc("titus");
    doc["instances"][0]["instance_type"] = json!("t3.small");
    doc["instances"]
        .as_array_mut()
        .expect("instances")
        .push(json!({
            "name": "jump-host",
            "role": "jump_host",
            "ami": {"alias": "ubuntu-24.04-amd64"},
            "instance_type": "t3.micro",
            "tier": "private",
            "security_groups": ["titusmaster-mainvpc"],
            "instance_profile": "titusmasterInstanceProfile",
            "key_name": "ops",
            "user_data": "#!/bin/bash\necho hi\n"
        }));
    let planned = plan_doc(&doc, None).expect("the edited design plans");
    expect_drawn(&page, "", &planned).await;
    let ResourceKind::Instance { instance_type, .. } = &instance(&planned, "titus-bastion").kind
    else {
        unreachable!()
    };
    assert_eq!(instance_type, "t3.small");

    // The topology draws both, each in a subnet of its tier, with its type.
    let drawn = page
        .js(
            "return Array.from(document.querySelectorAll('svg.topology-svg g.instance'),
                g => [g.closest('[data-tier]')?.dataset.tier, g.textContent])",
            vec![],
        )
        .await;
    let drawn: Vec<(Option<String>, String)> = serde_json::from_value(drawn).expect("pairs");
    let find = |name: &str| {
        drawn
            .iter()
            .find(|(_, text)| text.contains(name))
            .unwrap_or_else(|| panic!("{name} is not drawn: {drawn:?}"))
    };
    let (tier, text) = find("titus-bastion");
    assert!(text.contains("t3.small"), "{text}");
    assert_eq!(tier.as_deref(), Some("public"));
    let (tier, text) = find("jump-host");
    assert!(text.contains("t3.micro"), "{text}");
    assert_eq!(tier.as_deref(), Some("private"));
    page.screenshot("instances-tab").await;

    let exported = export_is(&page, "instances", &planned).await;
    assert_eq!(exported["design"]["instances"], doc["instances"]);

    // A wrong value is marked at its field, with the core's message.
    page.set_value(&field("instances[1].instance_type"), "big")
        .await;
    let mut bad = doc.clone();
    bad["instances"][1]["instance_type"] = json!("big");
    let (path, message) = plan_doc(&bad, None).expect_err("no such type");
    assert_eq!(path, "instances[1].instance_type");
    page.wait_until(
        &format!("the error {message:?} under the instance type"),
        &format!(
            "const e = document.getElementById({})?.closest('.field')?.querySelector('.field-error');
             return e && e.textContent === {}",
            json!(format!("field-{path}")),
            json!(message)
        ),
    )
    .await;
    page.screenshot("instance-error").await;

    // Removed: the plan is the guide's again, with the bigger bastion.
    page.click(r#"button[aria-label="Remove instance jump-host"]"#)
        .await;
    doc["instances"].as_array_mut().expect("instances").pop();
    let planned = plan_doc(&doc, None).expect("the design plans");
    expect_drawn(&page, "", &planned).await;
    page.wait_gone(r#".instance-card[data-instance="jump-host"]"#)
        .await;
    page.finish().await;
}

#[tokio::test]
async fn nat_instance_settings_are_in_the_network_tab_and_the_exported_plan() {
    let web = Web::start().await;
    let page = web.open("nat-instances").await;
    page.goto("/").await;
    start_blank(&page).await;
    page.click("#tab-network").await;
    assert_eq!(page.count("fieldset.nat-instances").await, 0, "no NAT");
    choose(&page, &field("nat"), "single_gateway").await;
    page.wait_for(&format!(
        r#"{} option[value="single_gateway"]:checked"#,
        field("nat")
    ))
    .await;
    assert_eq!(
        page.count("fieldset.nat-instances").await,
        0,
        "a NAT gateway has no instance settings"
    );
    choose(&page, &field("nat"), "single_instance").await;
    page.type_into(&field("nat_instances.instance_type"), "t4g.micro")
        .await;
    page.click(&field("nat_instances.autoscaling")).await;
    choose(&page, &field("nat_instances.ami"), "ssm_parameter").await;
    page.wait_for(&field("nat_instances.ami.ssm_parameter"))
        .await;

    let parameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
    assert_eq!(
        page.value(&field("nat_instances.ami.ssm_parameter")).await,
        parameter,
        "the default image's parameter, for the Graviton type"
    );
    let doc = json!({
        "name": "my-network",
        "region": "us-east-1",
        "vpc": {"cidr": "10.0.0.0/16"},
        "availability_zones": 2,
        "tiers": [
            {"name": "public", "kind": "public", "size": {"prefix": 24}},
            {"name": "private", "kind": "private", "size": {"prefix": 22}}
        ],
        "nat": "single_instance",
        "nat_instances": {
            "instance_type": "t4g.micro",
            "autoscaling": true,
            "ami": {"ssm_parameter": parameter}
        }
    });
    let planned = plan_doc(&doc, None).expect("the design plans");
    let template = planned
        .plan
        .resources
        .iter()
        .find_map(|r| match &r.kind {
            ResourceKind::LaunchTemplate { instance_type, .. } => Some(instance_type.as_str()),
            _ => None,
        })
        .expect("the NAT instance's launch template");
    assert_eq!(template, "t4g.micro");
    expect_drawn(&page, "", &planned).await;
    page.js(
        "document.querySelector('fieldset.nat-instances').scrollIntoView()",
        vec![],
    )
    .await;
    page.screenshot("nat-instances").await;
    let exported = export_is(&page, "nat-instances", &planned).await;
    assert_eq!(exported["design"]["nat_instances"], doc["nat_instances"]);

    // Back to a gateway: the settings are hidden (and kept in the design).
    choose(&page, &field("nat"), "gateway_per_az").await;
    page.wait_gone("fieldset.nat-instances").await;
    page.finish().await;
}

#[tokio::test]
async fn switching_a_size_between_prefix_and_hosts_converts_it() {
    let web = Web::start().await;
    let page = web.open("size-units").await;
    page.goto("/").await;
    start_blank(&page).await;
    let size = field("tiers[1].size");
    let unit = r#"[id="field-tiers[1]"] select[aria-label="Size by"]"#;
    assert_eq!(page.value(&size).await, "22");
    let blank = |size: Value| {
        json!({
            "name": "my-network",
            "region": "us-east-1",
            "vpc": {"cidr": "10.0.0.0/16"},
            "availability_zones": 2,
            "tiers": [
                {"name": "public", "kind": "public", "size": {"prefix": 24}},
                {"name": "private", "kind": "private", "size": size}
            ],
            "nat": "gateway_per_az"
        })
    };
    let slash22 = plan_doc(&blank(json!({"prefix": 22})), None).expect("plans");

    // A /22 holds 1,024 addresses, of which AWS keeps 5.
    choose(&page, unit, "hosts").await;
    page.poll("1019 hosts", || async {
        match page.value(&size).await {
            v if v == "1019" => Ok(()),
            v => Err(v),
        }
    })
    .await;
    let hosts = plan_doc(&blank(json!({"hosts": 1019})), None).expect("plans");
    assert_eq!(
        crate::subnets(&hosts),
        crate::subnets(&slash22),
        "the same /22s"
    );
    expect_drawn(&page, "", &hosts).await;
    page.screenshot("hosts").await;

    // And back.
    choose(&page, unit, "prefix").await;
    page.poll("/22", || async {
        match page.value(&size).await {
            v if v == "22" => Ok(()),
            v => Err(v),
        }
    })
    .await;
    expect_drawn(&page, "", &slash22).await;

    // A count takes the smallest prefix that holds it: 1,020 needs a /21.
    choose(&page, unit, "hosts").await;
    page.poll("1019 hosts again", || async {
        match page.value(&size).await {
            v if v == "1019" => Ok(()),
            v => Err(v),
        }
    })
    .await;
    page.set_value(&size, "1020").await;
    choose(&page, unit, "prefix").await;
    page.poll("/21", || async {
        match page.value(&size).await {
            v if v == "21" => Ok(()),
            v => Err(v),
        }
    })
    .await;
    let slash21 = plan_doc(&blank(json!({"prefix": 21})), None).expect("plans");
    expect_drawn(&page, "", &slash21).await;
    page.finish().await;
}

#[tokio::test]
async fn a_groups_card_names_the_instances_that_carry_it() {
    let web = Web::start().await;
    let page = web.open("sg-instances").await;
    page.goto("/").await;
    start_preset(&page, "titus").await;
    page.click("#tab-sg").await;
    let card = r#"article.sg-group[data-group="titusbastion"]"#;
    let item = format!(r#"{card} .sg-instances li[data-instance="titus-bastion"]"#);
    let text = page.text(&item).await;
    assert_eq!(text, "instance titus-bastion (bastion, tier public)");
    assert_eq!(
        page.count(&format!("{card} .sg-attached > p.empty")).await,
        0,
        "not \"attached to nothing\""
    );
    // The graph agrees: the group is drawn with members, not as attached to nothing.
    page.wait_for("svg.sg-graph").await;
    page.js(
        &format!("document.querySelector('{card}').scrollIntoView()"),
        vec![],
    )
    .await;
    page.screenshot("titusbastion").await;

    // The item leads to the instance's card.
    page.click(&format!("{item} button")).await;
    page.wait_until(
        "the bastion's card focused in the instances tab",
        r#"return document.activeElement?.id === 'field-instances[0]'
            && document.getElementById('tab-instances')?.getAttribute('aria-selected') === 'true'"#,
    )
    .await;
    page.finish().await;
}

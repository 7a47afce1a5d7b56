//! The moto harness itself: `tests::moto::Moto` and the recording, fault-injecting
//! `tests::proxy::Proxy`, driven by the real AWS SDK. Needs moto: `tests/setup-moto.sh`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use aws_config::retry::RetryConfig;
use aws_config::SdkConfig;
use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
use tests::account::{self, sdk_config};
use tests::moto::Moto;
use tests::proxy::{Call, Fault, Proxy};

/// As [`sdk_config`] (the SDK's defaults: standard retry, 3 attempts), without retries: the
/// first error comes back.
async fn sdk_no_retry(endpoint: &str) -> SdkConfig {
    sdk_config(endpoint)
        .await
        .into_builder()
        .retry_config(RetryConfig::disabled())
        .build()
}

fn started() -> (Moto, Proxy) {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint());
    (moto, proxy)
}

fn pair(service: &str, action: &str) -> (String, String) {
    (service.to_owned(), action.to_owned())
}

fn faults(calls: &[Call]) -> Vec<Option<Fault>> {
    calls.iter().map(|c| c.fault).collect()
}

#[tokio::test]
async fn describe_vpcs_goes_through_and_is_recorded() {
    let (_moto, proxy) = started();
    let ec2 = aws_sdk_ec2::Client::new(&sdk_config(&proxy.endpoint()).await);
    let vpcs = ec2.describe_vpcs().send().await.expect("DescribeVpcs");
    let cidrs: Vec<_> = vpcs.vpcs().iter().filter_map(|v| v.cidr_block()).collect();
    assert!(
        cidrs.contains(&"172.31.0.0/16"),
        "moto's default VPC: {cidrs:?}"
    );
    assert_eq!(proxy.actions(), [pair("ec2", "DescribeVpcs")]);
    assert!(proxy.mutating_calls().is_empty());
    assert_eq!(proxy.calls()[0].fault, None);
}

#[tokio::test]
async fn sts_and_ssm_are_recorded_by_service_and_action() {
    let (_moto, proxy) = started();
    let config = sdk_config(&proxy.endpoint()).await;
    let sts = aws_sdk_sts::Client::new(&config);
    let me = sts
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
    assert_eq!(me.account(), Some("123456789012"));

    // SSM speaks JSON 1.1: the action comes from X-Amz-Target.
    let ssm = aws_sdk_ssm::Client::new(&config);
    ssm.put_parameter()
        .name("/harness/p")
        .value("v")
        .r#type(aws_sdk_ssm::types::ParameterType::String)
        .send()
        .await
        .expect("PutParameter");
    let got = ssm
        .get_parameters()
        .names("/harness/p")
        .names("/harness/missing")
        .send()
        .await
        .expect("GetParameters");
    assert_eq!(got.parameters()[0].value(), Some("v"));
    assert_eq!(got.invalid_parameters(), ["/harness/missing"]);

    assert_eq!(
        proxy.actions(),
        [
            pair("sts", "GetCallerIdentity"),
            pair("ssm", "PutParameter"),
            pair("ssm", "GetParameters"),
        ]
    );
    let mutating: Vec<_> = proxy
        .mutating_calls()
        .into_iter()
        .map(|c| c.action)
        .collect();
    assert_eq!(mutating, ["PutParameter"]);
    let calls = proxy.calls();
    assert!(calls.windows(2).all(|w| w[0].at <= w[1].at));

    proxy.clear();
    assert!(proxy.calls().is_empty());
}

#[tokio::test]
async fn throttled_calls_are_retried_by_the_sdk() {
    let (_moto, proxy) = started();
    let config = sdk_config(&proxy.endpoint()).await;

    proxy.fail_calls(&[0, 1], Fault::Throttle);
    let ec2 = aws_sdk_ec2::Client::new(&config);
    ec2.describe_vpcs()
        .send()
        .await
        .expect("DescribeVpcs succeeds on the third attempt");
    let calls = proxy.calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(calls.iter().all(|c| c.action == "DescribeVpcs"));
    assert_eq!(
        faults(&calls),
        [Some(Fault::Throttle), Some(Fault::Throttle), None]
    );

    proxy.clear_faults();
    proxy.clear();
    proxy.fail_calls(&[0], Fault::ServerError);
    let sts = aws_sdk_sts::Client::new(&config);
    let me = sts
        .get_caller_identity()
        .send()
        .await
        .expect("STS after a 503");
    assert_eq!(me.account(), Some("123456789012"));
    assert_eq!(faults(&proxy.calls()), [Some(Fault::ServerError), None]);
}

#[tokio::test]
async fn faults_come_back_as_each_protocols_errors() {
    let (_moto, proxy) = started();
    let config = sdk_no_retry(&proxy.endpoint()).await;
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let sts = aws_sdk_sts::Client::new(&config);
    let ssm = aws_sdk_ssm::Client::new(&config);

    proxy.fail_every(1, Fault::Throttle);
    let e = ec2.describe_vpcs().send().await.expect_err("throttled");
    assert_eq!(e.code(), Some("RequestLimitExceeded"));
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(400));
    let e = sts
        .get_caller_identity()
        .send()
        .await
        .expect_err("throttled");
    assert_eq!(e.code(), Some("Throttling"));
    assert_eq!(e.message(), Some("Rate exceeded"));
    let e = ssm
        .get_parameters()
        .names("x")
        .send()
        .await
        .expect_err("throttled");
    assert_eq!(e.code(), Some("ThrottlingException"));

    proxy.clear_faults();
    proxy.fail_every(1, Fault::ServerError);
    let e = ec2.describe_vpcs().send().await.expect_err("503");
    assert_eq!(e.code(), Some("Unavailable"));
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(503));
    let e = sts.get_caller_identity().send().await.expect_err("503");
    assert_eq!(e.code(), Some("ServiceUnavailable"));
    let e = ssm
        .get_parameters()
        .names("x")
        .send()
        .await
        .expect_err("503");
    assert_eq!(e.code(), Some("ServiceUnavailableException"));

    // Only the chosen action fails, and only as often as asked.
    proxy.clear_faults();
    proxy.fail_action("GetCallerIdentity", 1, Fault::Throttle);
    ec2.describe_vpcs().send().await.expect("not targeted");
    sts.get_caller_identity()
        .send()
        .await
        .expect_err("targeted");
    sts.get_caller_identity().send().await.expect("used up");

    // Every second call from now on.
    proxy.clear_faults();
    proxy.clear();
    proxy.fail_every(2, Fault::Throttle);
    for _ in 0..4 {
        let _ = sts.get_caller_identity().send().await;
    }
    assert_eq!(
        faults(&proxy.calls()),
        [None, Some(Fault::Throttle), None, Some(Fault::Throttle)]
    );
}

#[tokio::test]
async fn latency_delays_every_call() {
    let (_moto, proxy) = started();
    let sts = aws_sdk_sts::Client::new(&sdk_config(&proxy.endpoint()).await);
    sts.get_caller_identity().send().await.expect("warm up");
    let delay = Duration::from_millis(300);
    proxy.latency(delay);
    let started = Instant::now();
    sts.get_caller_identity().send().await.expect("slow call");
    let took = started.elapsed();
    assert!(took >= delay, "took {took:?}, latency {delay:?}");
    proxy.latency(Duration::ZERO);
}

#[tokio::test]
async fn reset_forgets_created_vpcs() {
    let (moto, proxy) = started();
    let ec2 = aws_sdk_ec2::Client::new(&sdk_config(&proxy.endpoint()).await);
    let tag = Tag::builder().key("harness").value("reset").build();
    ec2.create_vpc()
        .cidr_block("10.42.0.0/16")
        .tag_specifications(
            TagSpecification::builder()
                .resource_type(ResourceType::Vpc)
                .tags(tag)
                .build(),
        )
        .send()
        .await
        .expect("CreateVpc");
    let ours = || {
        ec2.describe_vpcs()
            .filters(account::tag_filter("harness", "reset"))
            .send()
    };
    assert_eq!(ours().await.expect("DescribeVpcs").vpcs().len(), 1);
    let mutating: Vec<_> = proxy
        .mutating_calls()
        .into_iter()
        .map(|c| c.action)
        .collect();
    assert_eq!(mutating, ["CreateVpc"]);

    moto.reset();
    assert!(ours().await.expect("DescribeVpcs").vpcs().is_empty());
}

#[tokio::test]
async fn the_sdk_keeps_its_connection_alive() {
    let (_moto, proxy) = started();
    let sts = aws_sdk_sts::Client::new(&sdk_config(&proxy.endpoint()).await);
    for _ in 0..10 {
        sts.get_caller_identity().send().await.expect("sequential");
    }
    assert_eq!(proxy.calls().len(), 10);
    assert!(
        proxy.connections() <= 2,
        "{} connections for 10 sequential calls",
        proxy.connections()
    );

    // Concurrent calls each get a connection and all succeed.
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let sts = sts.clone();
        tasks.spawn(async move { sts.get_caller_identity().send().await });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("task").expect("concurrent");
    }
    assert_eq!(proxy.calls().len(), 18);
}

/// Sends raw HTTP/1.1 requests on one connection; returns each response's (status, body).
fn raw_exchange(port: u16, requests: &[Vec<u8>]) -> Vec<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the proxy");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut answers = Vec::new();
    let mut buf = Vec::new();
    for request in requests {
        stream.write_all(request).expect("send");
        // Read one response: head, then content-length bytes.
        let (status, body) = loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
                let status: u16 = head[9..12].parse().expect("status");
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map(|v| v.trim().parse().expect("length"))
                    .expect("a content-length");
                if buf.len() >= end + 4 + len {
                    let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + len]).into_owned();
                    buf.drain(..end + 4 + len);
                    break (status, body);
                }
            }
            let mut chunk = [0u8; 8192];
            let n = stream.read(&mut chunk).expect("read");
            assert!(n > 0, "proxy closed the connection early");
            buf.extend_from_slice(&chunk[..n]);
        };
        answers.push((status, body));
    }
    answers
}

/// Blocking code can use the harness too (the proxy has its own runtime); chunked request
/// bodies and several requests on one connection work.
#[test]
fn blocking_raw_http_through_the_proxy() {
    let (moto, proxy) = started();
    let auth = "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/ec2/aws4_request, \
                SignedHeaders=host, Signature=0";
    let form = "Action=DescribeVpcs&Version=2016-11-15";
    let chunked = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n\
         {:x}\r\n{}\r\n{:x}\r\n{}\r\n0\r\n\r\n",
        10,
        &form[..10],
        form.len() - 10,
        &form[10..]
    );
    let plain = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    );
    let reset = "POST /moto-api/reset HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
    let answers = raw_exchange(
        proxy.port(),
        &[
            chunked.into_bytes(),
            plain.into_bytes(),
            reset.as_bytes().to_vec(),
        ],
    );
    assert_eq!(answers.len(), 3);
    for (status, body) in &answers[..2] {
        assert_eq!(*status, 200, "{body}");
        assert!(body.contains("DescribeVpcsResponse"), "{body}");
    }
    assert_eq!(answers[2].0, 200);
    assert_eq!(proxy.connections(), 1);
    assert_eq!(
        proxy.actions(),
        [
            pair("ec2", "DescribeVpcs"),
            pair("ec2", "DescribeVpcs"),
            pair("", "POST /moto-api/reset"),
        ]
    );
    moto.reset();
}

/// `apply_env` points a child process at the proxy and strips the developer's profile.
#[test]
fn child_environment() {
    let (moto, proxy) = started();
    let mut cmd = Command::new("env");
    cmd.env("AWS_PROFILE", "production")
        .env("AWS_ENDPOINT_URL_EC2", "https://ec2.amazonaws.com");
    proxy.apply_env(&mut cmd);
    let out = cmd.output().expect("run env");
    let text = String::from_utf8_lossy(&out.stdout);
    let vars: Vec<&str> = text.lines().collect();
    let endpoint = format!("AWS_ENDPOINT_URL={}", proxy.endpoint());
    for want in [
        endpoint.as_str(),
        "AWS_ACCESS_KEY_ID=testing",
        "AWS_SECRET_ACCESS_KEY=testing",
        "AWS_REGION=us-east-1",
        "AWS_EC2_METADATA_DISABLED=true",
    ] {
        assert!(vars.contains(&want), "{want} missing from {vars:?}");
    }
    assert!(
        !vars.iter().any(|v| v.starts_with("AWS_PROFILE=")),
        "{vars:?}"
    );
    assert!(
        !vars.iter().any(|v| v.starts_with("AWS_ENDPOINT_URL_")),
        "{vars:?}"
    );
    assert!(moto.env().contains(&("AWS_ENDPOINT_URL", moto.endpoint())));
}

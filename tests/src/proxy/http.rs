//! Reading AWS requests as they cross the proxy: the request head, which service and action
//! a call is, and the error each protocol answers a fault with.

use super::record::Fault;

/// A request as read from the client.
pub(super) struct Head {
    pub(super) method: String,
    pub(super) target: String,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub(super) version: u8,
    pub(super) headers: Vec<(String, Vec<u8>)>,
}

impl Head {
    pub(super) fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    pub(super) fn header_str(&self, name: &str) -> Option<&str> {
        self.header(name).and_then(|v| std::str::from_utf8(v).ok())
    }

    /// Whether the comma-separated header `name` has `token` (case-insensitive).
    pub(super) fn has_token(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .filter_map(|(_, v)| std::str::from_utf8(v).ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }
}

/// Headers that describe one hop, not the message: never forwarded as they are.
pub(super) fn is_hop_by_hop(name: &str) -> bool {
    const HOP: &[&str] = &[
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "expect",
    ];
    HOP.iter().any(|h| name.eq_ignore_ascii_case(h))
}

/// A response to send to the client.
pub(super) struct Answer {
    pub(super) status: u16,
    /// Without framing headers.
    pub(super) headers: Vec<(String, Vec<u8>)>,
    pub(super) body: Vec<u8>,
    /// moto's content-length, kept for HEAD.
    pub(super) head_length: Option<Vec<u8>>,
}

impl Answer {
    pub(super) fn bad_gateway(message: String) -> Answer {
        Answer {
            status: 502,
            headers: vec![("content-type".into(), b"text/plain".to_vec())],
            body: message.into_bytes(),
            head_length: None,
        }
    }
}

/// The signing name in `Authorization: AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/
/// aws4_request, …` (or in a presigned URL's `X-Amz-Credential`), or "".
pub(super) fn service_of(head: &Head) -> String {
    let from_scope = |credential: &str| {
        let parts: Vec<&str> = credential.split('/').collect();
        (parts.len() >= 5).then(|| parts[parts.len() - 2].to_owned())
    };
    if let Some(auth) = head.header_str("authorization") {
        if let Some(service) = auth
            .split([' ', ','])
            .find_map(|field| field.trim().strip_prefix("Credential="))
            .and_then(from_scope)
        {
            return service;
        }
    }
    query(&head.target)
        .and_then(|q| form_value(q.as_bytes(), "X-Amz-Credential"))
        .and_then(|c| from_scope(&c))
        .unwrap_or_default()
}

/// The operation's name: see [`Call::action`].
pub(super) fn action_of(head: &Head, body: &[u8]) -> String {
    if let Some(target) = head.header_str("x-amz-target") {
        return target.rsplit('.').next().unwrap_or(target).to_owned();
    }
    let form = head
        .header_str("content-type")
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let from_body = if form {
        form_value(body, "Action")
    } else {
        None
    };
    from_body
        .or_else(|| query(&head.target).and_then(|q| form_value(q.as_bytes(), "Action")))
        .unwrap_or_else(|| {
            let path = head.target.split('?').next().unwrap_or("/");
            format!("{} {path}", head.method)
        })
}

pub(super) fn query(target: &str) -> Option<&str> {
    target.split_once('?').map(|(_, q)| q)
}

/// The percent-decoded value of `key` in an `application/x-www-form-urlencoded` text.
pub(super) fn form_value(form: &[u8], key: &str) -> Option<String> {
    form.split(|&b| b == b'&').find_map(|pair| {
        let (k, v) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        (percent_decode(k) == key).then(|| percent_decode(v))
    })
}

pub(super) fn percent_decode(text: &[u8]) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < text.len() => {
                let hex = std::str::from_utf8(&text[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What a refused call is told (AWS's words without the caller and the action).
const DENIED: &str = "You are not authorized to perform this operation.";

/// The error AWS would answer for `fault`, in the format of the request's protocol.
pub(super) fn fault_response(head: &Head, service: &str, fault: Fault, index: usize) -> Answer {
    let request_id = format!("proxy-fault-{index}");
    let json = head.header("x-amz-target").is_some()
        || head
            .header_str("content-type")
            .is_some_and(|t| t.starts_with("application/x-amz-json"));
    let status = match fault {
        Fault::Throttle => 400,
        Fault::ServerError => 503,
        Fault::AccessDenied if json => 400,
        Fault::AccessDenied => 403,
    };
    let (content_type, code, body) = if json {
        let (code, message) = match fault {
            Fault::Throttle => ("ThrottlingException", "Rate exceeded"),
            Fault::ServerError => ("ServiceUnavailableException", "Service is unavailable"),
            Fault::AccessDenied => ("AccessDeniedException", DENIED),
        };
        let content_type = head
            .header_str("content-type")
            .unwrap_or("application/x-amz-json-1.1")
            .to_owned();
        let body = format!(r#"{{"__type":"{code}","message":"{message}"}}"#);
        (content_type, code, body)
    } else if service == "ec2" {
        let (code, message) = match fault {
            Fault::Throttle => ("RequestLimitExceeded", "Request limit exceeded."),
            Fault::ServerError => (
                "Unavailable",
                "The server is overloaded and can't handle the request.",
            ),
            Fault::AccessDenied => ("UnauthorizedOperation", DENIED),
        };
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code>\
             <Message>{message}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        );
        ("text/xml;charset=UTF-8".to_owned(), code, body)
    } else {
        let (kind, code, message) = match fault {
            Fault::Throttle => ("Sender", "Throttling", "Rate exceeded"),
            Fault::ServerError => ("Receiver", "ServiceUnavailable", "Service is unavailable"),
            Fault::AccessDenied => ("Sender", "AccessDenied", DENIED),
        };
        let body = format!(
            "<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}\
             </Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        );
        ("text/xml".to_owned(), code, body)
    };
    Answer {
        status,
        headers: vec![
            ("content-type".into(), content_type.into_bytes()),
            ("x-amzn-requestid".into(), request_id.into_bytes()),
            ("x-amzn-errortype".into(), code.as_bytes().to_vec()),
        ],
        body: body.into_bytes(),
        head_length: None,
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn form_values_are_decoded() {
        let form = b"Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=tag%3AName&X=a+b";
        assert_eq!(form_value(form, "Action").as_deref(), Some("DescribeVpcs"));
        assert_eq!(
            form_value(form, "Filter.1.Name").as_deref(),
            Some("tag:Name")
        );
        assert_eq!(form_value(form, "X").as_deref(), Some("a b"));
        assert_eq!(form_value(form, "Missing"), None);
        assert_eq!(percent_decode(b"100%"), "100%");
        assert_eq!(percent_decode(b"%4"), "%4");
    }
}

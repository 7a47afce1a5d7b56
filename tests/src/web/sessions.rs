//! chromedriver's open sessions and the plain HTTP requests that end them, shared by the
//! driver that opens sessions and the pages that close them.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Duration;

/// Open sessions and their scratch folders, closed when the driver stops.
#[derive(Default)]
pub(super) struct Sessions {
    pub(super) port: u16,
    pub(super) open: BTreeMap<String, PathBuf>,
}

impl Sessions {
    /// Ends a session (quits its browser) and removes its scratch folder.
    pub(super) fn close(&mut self, id: &str) {
        if let Some(scratch) = self.open.remove(id) {
            let _ = blocking_request(self.port, "DELETE", &format!("/session/{id}"));
            let _ = std::fs::remove_dir_all(scratch);
        }
    }
}

/// A minimal blocking HTTP/1.1 request (one per connection) to 127.0.0.1:port: (status, body).
pub(super) fn blocking_request(
    port: u16,
    method: &str,
    path: &str,
) -> Result<(u16, String), String> {
    let timeout = Duration::from_secs(30);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    // chromedriver keeps the connection open despite `Connection: close`: read the head,
    // then as many bytes as it announces.
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    let (head_len, status, length) = loop {
        let n = stream.read(&mut chunk).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err(format!(
                "the connection closed mid-answer: {:.200}",
                String::from_utf8_lossy(&response)
            ));
        }
        response.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Response::new(&mut headers);
        if let httparse::Status::Complete(len) =
            parsed.parse(&response).map_err(|e| e.to_string())?
        {
            let length = parsed
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                .and_then(|h| {
                    std::str::from_utf8(h.value)
                        .ok()?
                        .trim()
                        .parse::<usize>()
                        .ok()
                });
            break (len, parsed.code.unwrap_or_default(), length);
        }
    };
    match length {
        Some(length) => {
            while response.len() < head_len + length {
                let n = stream.read(&mut chunk).map_err(|e| e.to_string())?;
                if n == 0 {
                    break;
                }
                response.extend_from_slice(&chunk[..n]);
            }
        }
        None => {
            stream
                .read_to_end(&mut response)
                .map_err(|e| e.to_string())?;
        }
    }
    let body = String::from_utf8_lossy(&response[head_len..]).into_owned();
    Ok((status, body))
}

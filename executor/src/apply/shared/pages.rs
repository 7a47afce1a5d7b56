//! Pagination of EC2 and Auto Scaling list calls that answer a `NextToken`.

use std::future::Future;

/// Every item of a paginated call: `call(token)` sends one page request and answers its items
/// and the next token; an absent or empty token ends the listing.
pub async fn all_pages<T, E, F, Fut>(mut call: F) -> Result<Vec<T>, E>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), E>>,
{
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let (page, next) = call(token.take()).await?;
        items.extend(page);
        match next.filter(|t| !t.is_empty()) {
            Some(t) => token = Some(t),
            None => return Ok(items),
        }
    }
}

//! Pagination as the ZGW standard prescribes: `page` starts at 1, `count`,
//! `next` and `previous` are URLs of the same list with another `page`.

use serde::Serialize;

pub const PAGE_SIZE: i64 = 100;

#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub count: i64,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<T>,
}

/// Builds the page envelope. `list_url` is the list URL with its other query
/// parameters (already encoded), without `page`.
pub fn envelope<T>(results: Vec<T>, count: i64, page: i64, list_url: &str) -> Page<T> {
    let with_page = |p: i64| {
        let sep = if list_url.contains('?') { '&' } else { '?' };
        format!("{list_url}{sep}page={p}")
    };
    let last = ((count + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    Page {
        count,
        next: (page < last).then(|| with_page(page + 1)),
        previous: (page > 1).then(|| with_page(page - 1)),
        results,
    }
}

pub fn offset(page: i64) -> i64 {
    (page - 1) * PAGE_SIZE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        let p = envelope(Vec::<u8>::new(), 250, 2, "http://x/l?a=1");
        assert_eq!(p.next.as_deref(), Some("http://x/l?a=1&page=3"));
        assert_eq!(p.previous.as_deref(), Some("http://x/l?a=1&page=1"));
        let p = envelope(Vec::<u8>::new(), 0, 1, "http://x/l");
        assert!(p.next.is_none() && p.previous.is_none());
    }
}

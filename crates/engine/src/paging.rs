//! Reading a whole list, page after page: for imports and reports that need
//! every row the caller can see, not one screen of it.

use pendamping_domain::read::{Page, PageRequest};

/// A walk over a whole list: the largest page from the start, then the page
/// after the last item read, until a page says there is no next one.
///
/// ```text
/// let mut pages = Pages::default();
/// let mut all = Vec::new();
/// while let Some(request) = pages.next_request() {
///     all.extend(pages.read(reader.agreements(&filter, &request).await?));
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Pages {
    next: Option<PageRequest>,
}

impl Default for Pages {
    fn default() -> Self {
        Pages {
            next: Some(PageRequest {
                first: Some(pendamping_storage::page::MAX_PAGE_SIZE),
                ..PageRequest::default()
            }),
        }
    }
}

impl Pages {
    /// The page to ask for next; `None` once the list is read.
    pub fn next_request(&self) -> Option<PageRequest> {
        self.next.clone()
    }

    /// The items of the page just read; moves the walk past them.
    pub fn read<T>(&mut self, page: Page<T>) -> Vec<T> {
        let last = page.items.last().map(|(key, _)| key.clone());
        self.next = match (last, page.has_next_page, self.next.take()) {
            (Some(key), true, Some(request)) => Some(PageRequest {
                after: Some(key),
                ..request
            }),
            _ => None,
        };
        page.into_items()
    }
}

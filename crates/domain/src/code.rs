//! What every closed set of codes (declared with `code_enum!`) offers, so that
//! tables and functions can be written once over any of them.

use std::fmt::{Debug, Display};

/// A closed set of SCREAMING_CASE codes, stored and sent as text.
pub trait Code: Copy + Eq + Debug + Display + Send + Sync + 'static {
    /// Every value, in declaration order.
    fn all() -> &'static [Self];
    /// The stored and wire code of this value.
    fn code(self) -> &'static str;
}

/// Declares a closed set of codes stored and sent as SCREAMING_CASE strings,
/// with the conversions every layer needs (`as_str`, `FromStr`, `ALL`).
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and wire code of this value.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The codes of a set of values (for storage's `IN (…)` filters).
            pub fn codes(set: &[$name]) -> ::std::vec::Vec<&'static str> {
                set.iter().map(|value| value.as_str()).collect()
            }
        }

        impl $crate::code::Code for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }

            fn code(self) -> &'static str {
                self.as_str()
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::validation::UnknownCode;

            fn from_str(code: &str) -> Result<Self, Self::Err> {
                match code {
                    $($code => Ok($name::$variant),)+
                    other => Err($crate::validation::UnknownCode {
                        kind: stringify!($name),
                        code: other.to_owned(),
                    }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Declares a typed identifier over a database row id, so that an office id
/// can never be passed where a district id is meant.
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(row: i64) -> Self {
                $name(row)
            }
        }

        impl ::std::convert::From<$name> for i64 {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl $name {
            /// The row ids of many, as storage takes them.
            pub fn rows(ids: &[Self]) -> Vec<i64> {
                ids.iter().map(|id| id.0).collect()
            }
        }
    };
}

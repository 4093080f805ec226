//! Validation results that name the field and the problem, so that every layer
//! above can tell a client exactly what to fix.

use std::fmt;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The input field, as the client named it (e.g. `periodEnd`).
    pub field: String,
    /// What is wrong with it, in a sentence.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Collects every field error of one input before refusing it, so a client
/// learns all that is wrong in one round trip.
#[derive(Debug, Default)]
pub struct Validation {
    errors: Vec<FieldError>,
}

impl Validation {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// Checks a required free-text field: present after trimming, at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.push(field, "must not be empty");
        } else if trimmed.chars().count() > max {
            self.push(field, format!("must be at most {max} characters"));
        }
    }

    /// Checks a code (an office's, a methodology's): present, at most `max`
    /// characters, and only capital letters, digits and '-'.
    pub fn code(&mut self, field: &str, value: &str, max: usize) {
        self.text(field, value, max);
        self.check(
            value
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
            field,
            "may hold only capital letters, digits and '-'",
        );
    }

    /// Checks an optional free-text field: when given, as [`Validation::text`].
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) {
        if let Some(value) = value {
            self.text(field, value, max);
        }
    }

    /// Reads an optional score given as a decimal (0–100, two decimals):
    /// `None` when not given, or when it is not a score (then the field's error is kept).
    pub fn optional_score(
        &mut self,
        field: &str,
        value: Option<f64>,
    ) -> Option<crate::score::Score> {
        match crate::score::Score::from_decimal(value?) {
            Ok(score) => Some(score),
            Err(e) => {
                self.push(field, e.to_string());
                None
            }
        }
    }

    pub fn check(&mut self, ok: bool, field: &str, message: &str) {
        if !ok {
            self.push(field, message);
        }
    }

    /// Ends validation: `Ok` when nothing was wrong, otherwise every error found.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

/// A stored or sent code that names no known value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{code}` is not a known {kind}")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_problem_with_its_field() {
        let mut v = Validation::new();
        v.text("name", "   ", 10);
        v.text("code", "ABCDEFGHIJKLMNOP", 10);
        v.text("province", "Sulawesi Barat", 40);
        let errors = v.finish().expect_err("two fields are wrong");
        assert_eq!(
            errors,
            vec![
                FieldError::new("name", "must not be empty"),
                FieldError::new("code", "must be at most 10 characters"),
            ]
        );
    }

    #[test]
    fn a_clean_input_passes() {
        let mut v = Validation::new();
        v.text("name", "Dinas Kesehatan", 200);
        v.optional_text("shortName", None, 40);
        assert!(v.finish().is_ok());
    }
}

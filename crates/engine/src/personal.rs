//! What a caller who is not an admin may read of people in recorded text:
//! labels and audit/event payloads written before labels became display
//! names still carry e-mail addresses (issue 13, "nothing personal crosses a
//! scope"). The API and the spreadsheet exports both redact through here.

/// What stands for an e-mail address a caller may not read.
pub const HIDDEN: &str = "—";

/// Whether a whole text is an e-mail address.
pub fn looks_like_email(s: &str) -> bool {
    let mut parts = s.splitn(2, '@');
    let (Some(local), Some(domain)) = (parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty() && domain.contains('.') && !s.contains(char::is_whitespace)
}

/// Whether a recorded label must be replaced for a caller who is not an
/// admin: it carries an e-mail (labels recorded before they became display
/// names do).
pub fn label_needs_name(stored: &str) -> bool {
    stored.contains('@')
}

/// A recorded label as a caller reads it: as recorded for admins and for
/// labels without an e-mail; otherwise the acting user's display name
/// (`name`), or [`HIDDEN`] when the user is not known.
pub fn shown_label(reads_recorded: bool, stored: String, name: Option<String>) -> String {
    if reads_recorded || !label_needs_name(&stored) {
        stored
    } else {
        name.unwrap_or_else(|| HIDDEN.to_owned())
    }
}

/// A JSON text (audit `before`/`after`, event payloads) as a non-admin may
/// read it: no `email` members, and no member whose whole value is an e-mail
/// address (an actor recorded before labels became display names).
pub fn redact_json(text: &str) -> String {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("email");
                map.values_mut().for_each(walk);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::String(s) if looks_like_email(s) => *s = HIDDEN.to_owned(),
            _ => {}
        }
    }
    if !text.contains('@') {
        return text.to_owned();
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(mut value) => {
            walk(&mut value);
            value.to_string()
        }
        Err(_) => HIDDEN.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mails_leave_payloads_and_nothing_else_does() {
        let text = r#"{"email":"a@b.example","actor":"sekda@mamuju.example","name":"Sekda","n":3}"#;
        let shown: serde_json::Value = serde_json::from_str(&redact_json(text)).unwrap();
        assert_eq!(
            shown,
            serde_json::json!({"actor": HIDDEN, "name": "Sekda", "n": 3})
        );
        assert_eq!(redact_json(r#"{"name":"Sekda"}"#), r#"{"name":"Sekda"}"#);
        assert!(!looks_like_email("Sekretariat Daerah"));
    }

    #[test]
    fn only_admins_read_an_e_mail_label() {
        let stored = || "rsud@mamujutengah.example".to_owned();
        let name = || Some("Petugas RSUD".to_owned());
        assert_eq!(shown_label(true, stored(), name()), stored());
        assert_eq!(shown_label(false, stored(), name()), "Petugas RSUD");
        assert_eq!(shown_label(false, stored(), None), HIDDEN);
        assert_eq!(shown_label(false, "Sekda".into(), None), "Sekda");
    }
}

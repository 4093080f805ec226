//! Messages in Bahasa Indonesia (the default) and English, from Fluent files
//! compiled into the binary; numbers and dates written the way each language
//! writes them.
//!
//! Every word a page shows goes through [`Tr::m`] (or one of its helpers).
//! A message id with no translation shows the id itself and is remembered,
//! so that the tests can render every page and assert that none was missing.

use std::collections::BTreeSet;
use std::sync::{LazyLock, Mutex};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language of the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Id,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];

    /// The BCP 47 code, as in `<html lang>` and the `lang` cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        let primary = code.split(['-', '_']).next().unwrap_or("");
        match primary {
            "id" | "in" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language for an `Accept-Language` header: the first one of ours
    /// in the order of the caller's preference; Indonesian otherwise.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut choices: Vec<(f32, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, part)| {
                let mut pieces = part.split(';');
                let lang = Lang::from_code(pieces.next()?)?;
                let quality = pieces
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (quality > 0.0).then_some((quality, position, lang))
            })
            .collect();
        choices.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        choices.first().map_or(Lang::Id, |c| c.2)
    }
}

/// The message files of one language, in the order they are loaded.
pub const FILES: [(&str, &str, &str); 4] = [
    ("id", "main.ftl", include_str!("../locales/id/main.ftl")),
    ("id", "enums.ftl", include_str!("../locales/id/enums.ftl")),
    ("en", "main.ftl", include_str!("../locales/en/main.ftl")),
    ("en", "enums.ftl", include_str!("../locales/en/enums.ftl")),
];

struct Bundles {
    id: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let langid: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // No Unicode isolation marks around arguments: our pages are left-to-right.
    bundle.set_use_isolating(false);
    for (code, name, source) in FILES {
        if code != lang.code() {
            continue;
        }
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                tracing::error!(file = name, lang = code, ?errors, "message file has errors");
                resource
            }
        };
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(file = name, lang = code, ?errors, "duplicate messages");
        }
    }
    bundle
}

static BUNDLES: LazyLock<Bundles> = LazyLock::new(|| Bundles {
    id: bundle(Lang::Id),
    en: bundle(Lang::En),
});

/// Message ids asked for and not found, in any language (for the tests).
static MISSES: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// The message ids that were asked for and missing since the last call.
pub fn take_misses() -> BTreeSet<String> {
    match MISSES.lock() {
        Ok(mut misses) => std::mem::take(&mut *misses),
        Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
    }
}

fn record_miss(lang: Lang, id: &str) {
    tracing::warn!(lang = lang.code(), id, "missing message");
    let mut misses = match MISSES.lock() {
        Ok(misses) => misses,
        Err(poisoned) => poisoned.into_inner(),
    };
    misses.insert(format!("{}:{id}", lang.code()));
}

/// Whether the language has a message with this id.
pub fn has(lang: Lang, id: &str) -> bool {
    let bundles = &*BUNDLES;
    let bundle = match lang {
        Lang::Id => &bundles.id,
        Lang::En => &bundles.en,
    };
    bundle.has_message(id)
}

/// The translator of one page: its language, and the formatting of numbers
/// and dates in it.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundles = &*BUNDLES;
        let bundle = match self.lang {
            Lang::Id => &bundles.id,
            Lang::En => &bundles.en,
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            record_miss(self.lang, id);
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, ?errors, "message formatted with errors");
        }
        text.into_owned()
    }

    /// The message `id`.
    pub fn m(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with named arguments (text).
    pub fn a(&self, id: &str, args: &[(&str, &str)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, FluentValue::from(value.to_string()));
        }
        self.format(id, Some(&fluent))
    }

    /// The message `id` with one number argument `n` (plural forms select on it).
    pub fn n(&self, id: &str, n: i64) -> String {
        let mut fluent = FluentArgs::new();
        fluent.set("n", FluentValue::from(n));
        self.format(id, Some(&fluent))
    }

    /// An enum value: the message `{prefix}-{VALUE}` (e.g. `status-SUBMITTED`).
    pub fn e(&self, prefix: &str, value: &str) -> String {
        self.m(&format!("{prefix}-{value}"))
    }

    /// Whether this language has the message (for optional, more specific texts).
    pub fn has(&self, id: &str) -> bool {
        has(self.lang, id)
    }

    /// A decimal number with `places` decimals: `97,36` or `97.36`, thousands
    /// grouped with `.` or `,`.
    pub fn num(&self, value: f64, places: usize) -> String {
        let text = format!("{:.*}", places, value.abs());
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) => (w.to_owned(), Some(f.to_owned())),
            None => (text.clone(), None),
        };
        let (group, decimal) = match self.lang {
            Lang::Id => ('.', ','),
            Lang::En => (',', '.'),
        };
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(c);
        }
        let sign = if value < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
            "−"
        } else {
            ""
        };
        match fraction {
            Some(f) => format!("{sign}{grouped}{decimal}{f}"),
            None => format!("{sign}{grouped}"),
        }
    }

    /// A whole number, grouped.
    pub fn int(&self, value: i64) -> String {
        self.num(value as f64, 0)
    }

    /// A calendar date written out: `29 April 2021`, `5 Desember 2022`.
    pub fn date(&self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike as _;
        format!(
            "{} {} {}",
            date.day(),
            self.m(&format!("month-{}", date.month())),
            date.year()
        )
    }

    /// A short date for tables: `29 Apr 2021`.
    pub fn date_short(&self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike as _;
        format!(
            "{} {} {}",
            date.day(),
            self.m(&format!("month-short-{}", date.month())),
            date.year()
        )
    }

    /// A date given as `YYYY-MM-DD` text (as the API sends it); the text itself otherwise.
    pub fn date_text(&self, text: &str) -> String {
        match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => self.date(date),
            Err(_) => text.to_owned(),
        }
    }

    /// An instant in the district's time zone: `29 April 2021, 14.05 WITA`.
    /// Indonesian separates hours and minutes with a full stop.
    pub fn datetime(&self, text: &str, zone: &str) -> String {
        let Ok(instant) = chrono::DateTime::parse_from_rfc3339(text) else {
            return text.to_owned();
        };
        let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::Asia::Jakarta);
        let local = instant.with_timezone(&tz);
        let abbreviation = zone_abbreviation(zone);
        let separator = match self.lang {
            Lang::Id => '.',
            Lang::En => ':',
        };
        format!(
            "{}, {}{separator}{} {abbreviation}",
            self.date(local.date_naive()),
            local.format("%H"),
            local.format("%M"),
        )
    }
}

/// WIB, WITA or WIT for an Indonesian IANA zone; the zone name otherwise.
pub fn zone_abbreviation(zone: &str) -> &str {
    match zone {
        "Asia/Jakarta" | "Asia/Pontianak" => "WIB",
        "Asia/Makassar" => "WITA",
        "Asia/Jayapura" => "WIT",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|line| line.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
            .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim().to_owned()))
            .collect()
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        for (_, name, _) in FILES.iter().filter(|(code, _, _)| *code == "id") {
            let id_source = FILES
                .iter()
                .find(|(c, n, _)| *c == "id" && n == name)
                .map(|f| f.2)
                .unwrap_or_default();
            let en_source = FILES
                .iter()
                .find(|(c, n, _)| *c == "en" && n == name)
                .map(|f| f.2)
                .unwrap_or_default();
            let only_id: Vec<_> = ids(id_source)
                .difference(&ids(en_source))
                .cloned()
                .collect();
            let only_en: Vec<_> = ids(en_source)
                .difference(&ids(id_source))
                .cloned()
                .collect();
            assert!(
                only_id.is_empty(),
                "{name}: only in Indonesian: {only_id:?}"
            );
            assert!(only_en.is_empty(), "{name}: only in English: {only_en:?}");
        }
    }

    /// Every message id written literally in a template or in the code
    /// (`.m("…")`, `.a("…"`, `.n("…"`, `chrome("…"`) exists in both languages.
    #[test]
    fn every_literal_message_id_in_templates_and_code_exists() {
        fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    files(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        files(&root.join("templates"), &mut paths);
        files(&root.join("src"), &mut paths);
        let mut found = BTreeSet::new();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            for opener in [".m(\"", ".a(\"", ".n(\"", "chrome(\"", ".a(\n"] {
                for piece in text.split(opener).skip(1) {
                    let piece = piece.trim_start().trim_start_matches('"');
                    let id: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect();
                    if id.len() > 2 && !id.starts_with("no-such") {
                        found.insert(id);
                    }
                }
            }
        }
        assert!(found.len() > 100, "the scan finds the ids: {}", found.len());
        for lang in Lang::ALL {
            let missing: Vec<_> = found.iter().filter(|id| !has(lang, id)).collect();
            assert!(missing.is_empty(), "{}: missing {missing:?}", lang.code());
        }
    }

    #[test]
    fn message_files_parse_without_errors() {
        for (code, name, source) in FILES {
            assert!(
                FluentResource::try_new(source.to_owned()).is_ok(),
                "{code}/{name} has syntax errors"
            );
        }
    }

    #[test]
    fn numbers_and_dates_follow_the_language() {
        let id = Tr::new(Lang::Id);
        let en = Tr::new(Lang::En);
        assert_eq!(id.num(97.36, 2), "97,36");
        assert_eq!(en.num(97.36, 2), "97.36");
        assert_eq!(id.num(12345.5, 1), "12.345,5");
        assert_eq!(en.int(1_000_000), "1,000,000");
        let date = chrono::NaiveDate::from_ymd_opt(2021, 4, 29).unwrap();
        assert_eq!(id.date(date), "29 April 2021");
        assert_eq!(en.date(date), "29 April 2021");
        let december = chrono::NaiveDate::from_ymd_opt(2022, 12, 5).unwrap();
        assert_eq!(id.date(december), "5 Desember 2022");
        assert_eq!(en.date(december), "5 December 2022");
        assert_eq!(
            id.datetime("2021-04-29T06:05:00Z", "Asia/Makassar"),
            "29 April 2021, 14.05 WITA"
        );
        assert_eq!(
            en.datetime("2021-04-29T06:05:00Z", "Asia/Jakarta"),
            "29 April 2021, 13:05 WIB"
        );
    }

    #[test]
    fn accept_language_picks_our_languages_in_preference_order() {
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,id;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("id-ID,id;q=0.9,en;q=0.8"),
            Lang::Id
        );
        assert_eq!(Lang::from_accept_language("fr, en;q=0.5"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr"), Lang::Id);
        assert_eq!(Lang::from_accept_language("id;q=0.2, en;q=0.9"), Lang::En);
    }

    #[test]
    fn a_missing_message_is_recorded() {
        let _ = take_misses();
        assert_eq!(
            Tr::new(Lang::En).m("no-such-message-xyz"),
            "no-such-message-xyz"
        );
        assert!(take_misses().contains("en:no-such-message-xyz"));
    }
}

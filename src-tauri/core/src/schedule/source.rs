//! What an occurrence comes from, typed: the digest, a reminder, a follow-up, a birthday, an
//! event or a call to ask about. Stored (and sent over IPC) as the key text Kith has always
//! written (`digest`, `reminder:12`, `followUp:7`, `birthday:42:2026`, `event:3`,
//! `callCheck:9`), so no stored row changes; this is the one place that spells or reads it.
//! A text that is not exactly one of these is an error, never a default id.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What an occurrence comes from. With its due time, it names the occurrence once and for all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Source {
    /// Today's plan.
    Digest,
    /// A reminder the user set.
    Reminder { id: i64 },
    /// An open follow-up on its due date.
    FollowUp { id: i64 },
    /// A contact's birthday in `year` (one a year).
    Birthday { contact_id: i64, year: i32 },
    /// An event's start.
    Event { id: i64 },
    /// "Did you reach them?" about the occurrence the user chose Call on.
    CallCheck { occurrence_id: i64 },
}

/// A stored source text this Kith cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a known Source")]
pub struct UnknownSource(pub String);

impl Source {
    /// A SQL `LIKE` pattern matching every reminder's source (and nothing else).
    pub const REMINDERS_LIKE: &'static str = "reminder:%";

    /// The occurrence a call check asks about, if this is one.
    pub fn call_asked_about(self) -> Option<i64> {
        match self {
            Source::CallCheck { occurrence_id } => Some(occurrence_id),
            _ => None,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Source::Digest => f.write_str("digest"),
            Source::Reminder { id } => write!(f, "reminder:{id}"),
            Source::FollowUp { id } => write!(f, "followUp:{id}"),
            Source::Birthday { contact_id, year } => write!(f, "birthday:{contact_id}:{year}"),
            Source::Event { id } => write!(f, "event:{id}"),
            Source::CallCheck { occurrence_id } => write!(f, "callCheck:{occurrence_id}"),
        }
    }
}

impl FromStr for Source {
    type Err = UnknownSource;

    fn from_str(text: &str) -> Result<Source, UnknownSource> {
        let unknown = || UnknownSource(text.to_string());
        let mut parts = text.split(':');
        let tag = parts.next().unwrap_or_default();
        let mut number = || -> Result<i64, UnknownSource> {
            parts
                .next()
                .and_then(|n| n.parse::<i64>().ok())
                .filter(|n| *n > 0)
                .ok_or_else(unknown)
        };
        let source = match tag {
            "digest" => Source::Digest,
            "reminder" => Source::Reminder { id: number()? },
            "followUp" => Source::FollowUp { id: number()? },
            "birthday" => Source::Birthday {
                contact_id: number()?,
                year: i32::try_from(number()?).map_err(|_| unknown())?,
            },
            "event" => Source::Event { id: number()? },
            "callCheck" => Source::CallCheck {
                occurrence_id: number()?,
            },
            _ => return Err(unknown()),
        };
        // Exactly the text Kith writes: no sign, padding or trailing part.
        if source.to_string() != text {
            return Err(unknown());
        }
        Ok(source)
    }
}

impl From<Source> for String {
    fn from(source: Source) -> String {
        source.to_string()
    }
}

impl TryFrom<String> for Source {
    type Error = UnknownSource;

    fn try_from(text: String) -> Result<Source, UnknownSource> {
        text.parse()
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn each_source_is_written_as_kith_has_always_written_it_and_read_back() {
        let on = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        // The texts as the due rules formatted them before sources were typed.
        let cases = [
            (Source::Digest, "digest".to_string()),
            (Source::Reminder { id: 12 }, format!("reminder:{}", 12)),
            (Source::FollowUp { id: 7 }, format!("followUp:{}", 7)),
            (
                Source::Birthday {
                    contact_id: 42,
                    year: 2026,
                },
                format!("birthday:{}:{}", 42, on.format("%Y")),
            ),
            (Source::Event { id: 3 }, format!("event:{}", 3)),
            (
                Source::CallCheck { occurrence_id: 9 },
                format!("callCheck:{}", 9),
            ),
        ];
        for (source, text) in cases {
            assert_eq!(source.to_string(), text);
            assert_eq!(text.parse::<Source>(), Ok(source));
            assert_eq!(serde_json::to_value(source).unwrap(), text.as_str());
            assert_eq!(
                serde_json::from_value::<Source>(text.clone().into()).unwrap(),
                source
            );
        }
    }

    #[test]
    fn a_garbled_source_is_an_error_never_id_minus_one() {
        for text in [
            "",
            "reminder",
            "reminder:",
            "reminder:x",
            "reminder:-1",
            "reminder:+4",
            "reminder:04",
            "reminder:4:5",
            "callCheck:",
            "callCheck:abc",
            "birthday:4",
            "birthday:4:99999999999",
            "Digest",
            "digest:1",
            "meeting:3",
        ] {
            assert_eq!(
                text.parse::<Source>(),
                Err(UnknownSource(text.into())),
                "{text}"
            );
        }
        assert!(serde_json::from_value::<Source>("reminder:x".into()).is_err());
    }

    #[test]
    fn the_reminders_pattern_is_the_prefix_a_reminder_is_written_with() {
        let text = Source::Reminder { id: 5 }.to_string();
        let prefix = Source::REMINDERS_LIKE.trim_end_matches('%');
        assert!(text.starts_with(prefix));
        for other in [
            Source::Digest,
            Source::FollowUp { id: 5 },
            Source::Event { id: 5 },
            Source::CallCheck { occurrence_id: 5 },
        ] {
            assert!(!other.to_string().starts_with(prefix), "{other}");
        }
    }
}

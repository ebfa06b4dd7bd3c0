//! Domain types shared with the UI (TypeScript bindings are generated from them with ts-rs)
//! and the rules that make an input valid. Validation happens here, before any SQL runs, so
//! a rejected input never reaches the database.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

/// Longest display name, company or role we accept, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest free-text notes on a contact, in characters.
pub const MAX_NOTES_CHARS: usize = 20_000;
/// Longest label of an email or phone ("work", "mobile", …).
pub const MAX_LABEL_CHARS: usize = 40;
/// An email address is at most 254 characters (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest phone number, extensions included.
pub const MAX_PHONE_CHARS: usize = 40;
/// Most emails or phones one contact may carry.
pub const MAX_ENTRIES: usize = 20;

/// A labelled value such as an email or phone number ("work" → "ana@example.com").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LabeledValue {
    #[serde(default)]
    pub label: String,
    pub value: String,
}

/// What the add-contact form sends. Optional text left empty is stored as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct NewContact {
    pub display_name: String,
    #[serde(default)]
    pub emails: Vec<LabeledValue>,
    #[serde(default)]
    pub phones: Vec<LabeledValue>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub company: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub role: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub notes: Option<String>,
}

/// A contact as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Contact {
    #[ts(type = "number")]
    pub id: i64,
    pub display_name: String,
    pub emails: Vec<LabeledValue>,
    pub phones: Vec<LabeledValue>,
    pub company: Option<String>,
    pub role: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

/// One row of the contact list: enough to recognise someone at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContactSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub display_name: String,
    pub company: Option<String>,
    pub role: Option<String>,
    pub primary_email: Option<String>,
    pub primary_phone: Option<String>,
}

impl NewContact {
    /// Trims every field, turns empty optional text into `None` and checks every rule.
    /// Returns the cleaned contact, or the first rule broken.
    pub fn validated(self) -> Result<NewContact> {
        let display_name = single_line("displayName", "Name", &self.display_name)?
            .ok_or_else(|| Error::invalid("displayName", "Name is required."))?;
        Ok(NewContact {
            display_name,
            emails: entries("emails", self.emails, email)?,
            phones: entries("phones", self.phones, phone)?,
            company: optional_single_line("company", "Company", self.company)?,
            role: optional_single_line("role", "Role", self.role)?,
            notes: notes(self.notes)?,
        })
    }
}

fn too_long(what: &str, max: usize) -> String {
    format!("{what} is too long (at most {max} characters).")
}

/// A one-line text: trimmed, at most [`MAX_NAME_CHARS`], no control characters.
/// Empty after trimming yields `None`.
fn single_line(field: &'static str, what: &str, text: &str) -> Result<Option<String>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(field, too_long(what, MAX_NAME_CHARS)));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            format!("{what} must fit on one line (no tabs, line breaks or control characters)."),
        ));
    }
    Ok(Some(text.to_owned()))
}

fn optional_single_line(
    field: &'static str,
    what: &str,
    text: Option<String>,
) -> Result<Option<String>> {
    match text {
        Some(text) => single_line(field, what, &text),
        None => Ok(None),
    }
}

fn notes(text: Option<String>) -> Result<Option<String>> {
    let Some(text) = text else { return Ok(None) };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_NOTES_CHARS {
        return Err(Error::invalid("notes", too_long("Notes", MAX_NOTES_CHARS)));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(Error::invalid(
            "notes",
            "Notes contain control characters that cannot be stored.",
        ));
    }
    Ok(Some(text.to_owned()))
}

/// Validates a list of labelled values with `check` for each value; blank rows (no value)
/// are dropped, as a form sends them when the user leaves an extra row empty.
fn entries(
    field: &'static str,
    list: Vec<LabeledValue>,
    check: fn(&'static str, &str) -> Result<String>,
) -> Result<Vec<LabeledValue>> {
    let mut out: Vec<LabeledValue> = Vec::with_capacity(list.len());
    for entry in list {
        if entry.value.trim().is_empty() {
            continue;
        }
        let value = check(field, entry.value.trim())?;
        let label = single_line(field, "A label", &entry.label)?.unwrap_or_default();
        if label.chars().count() > MAX_LABEL_CHARS {
            return Err(Error::invalid(field, too_long("A label", MAX_LABEL_CHARS)));
        }
        if out.iter().any(|e| e.value.eq_ignore_ascii_case(&value)) {
            return Err(Error::invalid(field, format!("{value} is listed twice.")));
        }
        out.push(LabeledValue { label, value });
    }
    if out.len() > MAX_ENTRIES {
        return Err(Error::invalid(
            field,
            format!("A contact can have at most {MAX_ENTRIES} {field}."),
        ));
    }
    Ok(out)
}

fn email(field: &'static str, value: &str) -> Result<String> {
    if value.chars().count() > MAX_EMAIL_CHARS {
        return Err(Error::invalid(
            field,
            too_long("An email address", MAX_EMAIL_CHARS),
        ));
    }
    let well_formed = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if !well_formed {
        return Err(Error::invalid(
            field,
            format!("“{value}” does not look like an email address."),
        ));
    }
    Ok(value.to_owned())
}

fn phone(field: &'static str, value: &str) -> Result<String> {
    if value.chars().count() > MAX_PHONE_CHARS {
        return Err(Error::invalid(
            field,
            too_long("A phone number", MAX_PHONE_CHARS),
        ));
    }
    let allowed = value
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if !allowed || digits < 3 {
        return Err(Error::invalid(
            field,
            format!("“{value}” is not a phone number: use digits, spaces and + - ( ) ."),
        ));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> NewContact {
        NewContact {
            display_name: name.into(),
            ..NewContact::default()
        }
    }

    fn field_of(result: Result<NewContact>) -> &'static str {
        match result {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn trims_and_drops_empty_optionals() {
        let c = NewContact {
            display_name: "  Priya Raman ".into(),
            company: Some("  ".into()),
            role: Some(" Staff PM ".into()),
            notes: Some("\n".into()),
            emails: vec![
                LabeledValue {
                    label: " work ".into(),
                    value: " priya@example.com ".into(),
                },
                LabeledValue {
                    label: "home".into(),
                    value: "   ".into(),
                },
            ],
            phones: vec![],
        }
        .validated()
        .unwrap();
        assert_eq!(c.display_name, "Priya Raman");
        assert_eq!(c.company, None);
        assert_eq!(c.role.as_deref(), Some("Staff PM"));
        assert_eq!(c.notes, None);
        assert_eq!(
            c.emails,
            vec![LabeledValue {
                label: "work".into(),
                value: "priya@example.com".into()
            }]
        );
    }

    #[test]
    fn name_is_required() {
        assert_eq!(field_of(named("").validated()), "displayName");
        assert_eq!(field_of(named(" \t ").validated()), "displayName");
    }

    #[test]
    fn name_length_is_counted_in_characters() {
        assert!(named(&"é".repeat(MAX_NAME_CHARS)).validated().is_ok());
        assert_eq!(
            field_of(named(&"é".repeat(MAX_NAME_CHARS + 1)).validated()),
            "displayName"
        );
    }

    #[test]
    fn name_must_be_one_line() {
        assert_eq!(field_of(named("Ana\nBell").validated()), "displayName");
        assert_eq!(field_of(named("Ana\u{0}").validated()), "displayName");
    }

    #[test]
    fn markup_is_just_text() {
        let c = named("<img src=x onerror=alert(1)>").validated().unwrap();
        assert_eq!(c.display_name, "<img src=x onerror=alert(1)>");
    }

    #[test]
    fn bad_emails_are_rejected() {
        for bad in [
            "ana",
            "@example.com",
            "ana@",
            "ana@@x",
            "a na@x.org",
            "ana@.x",
        ] {
            let c = NewContact {
                emails: vec![LabeledValue {
                    label: String::new(),
                    value: bad.into(),
                }],
                ..named("Ana")
            };
            assert_eq!(field_of(c.validated()), "emails", "{bad}");
        }
    }

    #[test]
    fn duplicate_emails_are_rejected() {
        let e = |v: &str| LabeledValue {
            label: String::new(),
            value: v.into(),
        };
        let c = NewContact {
            emails: vec![e("ana@x.org"), e("ANA@x.org")],
            ..named("Ana")
        };
        assert_eq!(field_of(c.validated()), "emails");
    }

    #[test]
    fn phones_need_digits() {
        let p = |v: &str| NewContact {
            phones: vec![LabeledValue {
                label: "mobile".into(),
                value: v.into(),
            }],
            ..named("Ana")
        };
        assert!(p("+44 (20) 7946-0958").validated().is_ok());
        assert_eq!(field_of(p("call me").validated()), "phones");
        assert_eq!(field_of(p("12").validated()), "phones");
        assert_eq!(field_of(p(&"1".repeat(41)).validated()), "phones");
    }

    #[test]
    fn oversized_notes_are_rejected() {
        let c = NewContact {
            notes: Some("x".repeat(MAX_NOTES_CHARS + 1)),
            ..named("Ana")
        };
        assert_eq!(field_of(c.validated()), "notes");
    }

    #[test]
    fn too_many_entries_are_rejected() {
        let c = NewContact {
            phones: (0..=MAX_ENTRIES)
                .map(|i| LabeledValue {
                    label: String::new(),
                    value: format!("555 01{i:02}"),
                })
                .collect(),
            ..named("Ana")
        };
        assert_eq!(field_of(c.validated()), "phones");
    }

    #[test]
    fn unknown_fields_in_ipc_json_are_refused() {
        let parsed: std::result::Result<NewContact, _> =
            serde_json::from_str(r#"{"displayName":"Ana","isAdmin":true}"#);
        assert!(parsed.is_err());
    }
}

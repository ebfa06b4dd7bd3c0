//! Domain types shared with the UI (TypeScript bindings are generated from them with ts-rs)
//! and the rules that make an input valid. Validation happens here, before any SQL runs, so
//! a rejected input never reaches the database.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

mod field;
pub use field::ContactField;

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
/// Most emails, phones or links one contact may carry.
pub const MAX_ENTRIES: usize = 20;
/// Longest link (a profile URL, a website).
pub const MAX_LINK_CHARS: usize = 2048;
/// Longest "how we met" story.
pub const MAX_HOW_WE_MET_CHARS: usize = 2_000;
/// Longest tag, and most tags on one contact.
pub const MAX_TAG_CHARS: usize = 50;
pub const MAX_TAGS: usize = 50;
/// Longest keep-in-touch cadence: ten years.
pub const MAX_CADENCE_DAYS: u32 = 3650;

/// A labelled value such as an email or phone number ("work" → "ana@example.com").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LabeledValue {
    #[serde(default)]
    pub label: String,
    pub value: String,
}

/// How close someone is; each circle has a default keep-in-touch cadence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Circle {
    Inner,
    Close,
    #[default]
    Network,
    Acquaintance,
}

impl Circle {
    pub const ALL: [Circle; 4] = [
        Circle::Inner,
        Circle::Close,
        Circle::Network,
        Circle::Acquaintance,
    ];

    /// The name stored in the database and sent over IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            Circle::Inner => "inner",
            Circle::Close => "close",
            Circle::Network => "network",
            Circle::Acquaintance => "acquaintance",
        }
    }

    pub fn parse(name: &str) -> Option<Circle> {
        Circle::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Days between touches when the user has not chosen otherwise: weekly-ish for the
    /// people closest to you, twice a year for acquaintances.
    pub fn default_cadence_days(self) -> u32 {
        match self {
            Circle::Inner => 14,
            Circle::Close => 30,
            Circle::Network => 90,
            Circle::Acquaintance => 180,
        }
    }
}

/// How someone prefers to be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Channel {
    Call,
    Video,
    Email,
    Message,
    InPerson,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Call,
        Channel::Video,
        Channel::Email,
        Channel::Message,
        Channel::InPerson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Call => "call",
            Channel::Video => "video",
            Channel::Email => "email",
            Channel::Message => "message",
            Channel::InPerson => "inPerson",
        }
    }

    pub fn parse(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// A birthday; the year is optional (many people share the day, not the year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Birthday {
    pub month: u32,
    pub day: u32,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub year: Option<i32>,
}

impl Birthday {
    /// Checks that the date exists (29 February only without a year or in a leap year).
    pub fn validated(self) -> Result<Birthday> {
        let invalid = || Error::invalid("birthday", "That birthday is not a real date.");
        if let Some(year) = self.year {
            if !(1900..=2100).contains(&year) {
                return Err(Error::invalid(
                    "birthday",
                    "A birth year must be between 1900 and 2100.",
                ));
            }
        }
        // 2000 is a leap year, so a year-less 29 February is accepted.
        chrono::NaiveDate::from_ymd_opt(self.year.unwrap_or(2000), self.month, self.day)
            .ok_or_else(invalid)?;
        Ok(self)
    }

    /// As people read it: "17 April", or "17 April 1990" with the year.
    pub fn words(self) -> String {
        let day_month = chrono::NaiveDate::from_ymd_opt(2000, self.month, self.day)
            .map(|d| d.format("%-d %B").to_string())
            .unwrap_or_else(|| self.to_db());
        match self.year {
            Some(y) => format!("{day_month} {y}"),
            None => day_month,
        }
    }

    /// 'YYYY-MM-DD', or '--MM-DD' without a year (the vCard form).
    pub fn to_db(self) -> String {
        match self.year {
            Some(y) => format!("{y:04}-{:02}-{:02}", self.month, self.day),
            None => format!("--{:02}-{:02}", self.month, self.day),
        }
    }

    pub fn from_db(text: &str) -> Option<Birthday> {
        let (year, rest) = match text.strip_prefix("--") {
            Some(rest) => (None, rest),
            None => {
                let (y, rest) = text.split_once('-')?;
                (Some(y.parse().ok()?), rest)
            }
        };
        let (m, d) = rest.split_once('-')?;
        Some(Birthday {
            month: m.parse().ok()?,
            day: d.parse().ok()?,
            year,
        })
    }
}

/// What the contact form sends, to add a contact or to replace an existing one's fields.
/// Optional text left empty is stored as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct ContactInput {
    pub display_name: String,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub given_name: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub family_name: Option<String>,
    #[serde(default)]
    pub emails: Vec<LabeledValue>,
    #[serde(default)]
    pub phones: Vec<LabeledValue>,
    /// LinkedIn, website, …
    #[serde(default)]
    pub links: Vec<LabeledValue>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub company: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub role: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub location: Option<String>,
    /// An IANA zone name such as "Europe/Lisbon".
    #[serde(default)]
    #[ts(optional = nullable)]
    pub time_zone: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub how_we_met: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub notes: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub circle: Circle,
    /// Days between touches; absent means the circle's default.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub cadence_days: Option<u32>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub preferred_channel: Option<Channel>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub birthday: Option<Birthday>,
}

/// A contact as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Contact {
    #[ts(type = "number")]
    pub id: i64,
    pub display_name: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub emails: Vec<LabeledValue>,
    pub phones: Vec<LabeledValue>,
    pub links: Vec<LabeledValue>,
    pub company: Option<String>,
    pub role: Option<String>,
    pub location: Option<String>,
    pub time_zone: Option<String>,
    pub how_we_met: Option<String>,
    pub notes: Option<String>,
    pub tags: Vec<String>,
    pub circle: Circle,
    /// The contact's own cadence, if set.
    pub cadence_days: Option<u32>,
    /// The cadence in force: the contact's own, else the shortest rule among its tags, else
    /// its circle's; none while its only touches are imported connections.
    pub effective_cadence_days: Option<u32>,
    /// Where [`Contact::effective_cadence_days`] comes from.
    pub cadence_source: crate::cadence::CadenceSource,
    pub preferred_channel: Option<Channel>,
    pub birthday: Option<Birthday>,
    pub last_touch_at: Option<DateTime<Utc>>,
    pub next_due_at: Option<DateTime<Utc>>,
    /// After this the contact is overdue (1.5× the cadence since the last touch).
    pub overdue_at: Option<DateTime<Utc>>,
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
    pub circle: Circle,
    pub last_touch_at: Option<DateTime<Utc>>,
    pub next_due_at: Option<DateTime<Utc>>,
    /// Where the contact stands against their cadence now.
    pub due: crate::cadence::DueState,
}

impl Contact {
    /// The contact's own fields, as the contact form would send them back unchanged.
    pub fn to_input(&self) -> ContactInput {
        ContactInput {
            display_name: self.display_name.clone(),
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            emails: self.emails.clone(),
            phones: self.phones.clone(),
            links: self.links.clone(),
            company: self.company.clone(),
            role: self.role.clone(),
            location: self.location.clone(),
            time_zone: self.time_zone.clone(),
            how_we_met: self.how_we_met.clone(),
            notes: self.notes.clone(),
            tags: self.tags.clone(),
            circle: self.circle,
            cadence_days: self.cadence_days,
            preferred_channel: self.preferred_channel,
            birthday: self.birthday,
        }
    }
}

impl ContactInput {
    /// Trims every field, turns empty optional text into `None` and checks every rule.
    /// Returns the cleaned contact, or the first rule broken.
    pub fn validated(self) -> Result<ContactInput> {
        let display_name = single_line("displayName", "Name", &self.display_name)?
            .ok_or_else(|| Error::invalid("displayName", "Name is required."))?;
        if let Some(days) = self.cadence_days {
            if !(1..=MAX_CADENCE_DAYS).contains(&days) {
                return Err(Error::invalid(
                    "cadenceDays",
                    format!("Keep in touch every 1 to {MAX_CADENCE_DAYS} days."),
                ));
            }
        }
        Ok(ContactInput {
            display_name,
            given_name: optional_single_line("givenName", "Given name", self.given_name)?,
            family_name: optional_single_line("familyName", "Family name", self.family_name)?,
            emails: entries("emails", self.emails, email)?,
            phones: entries("phones", self.phones, phone)?,
            links: entries("links", self.links, link)?,
            company: optional_single_line("company", "Company", self.company)?,
            role: optional_single_line("role", "Role", self.role)?,
            location: optional_single_line("location", "Location", self.location)?,
            time_zone: time_zone(self.time_zone)?,
            how_we_met: long_text(
                "howWeMet",
                "How you met",
                self.how_we_met,
                MAX_HOW_WE_MET_CHARS,
            )?,
            notes: long_text("notes", "Notes", self.notes, MAX_NOTES_CHARS)?,
            tags: tags(self.tags)?,
            circle: self.circle,
            cadence_days: self.cadence_days,
            preferred_channel: self.preferred_channel,
            birthday: self.birthday.map(Birthday::validated).transpose()?,
        })
    }
}

fn too_long(what: &str, max: usize) -> String {
    format!("{what} is too long (at most {max} characters).")
}

/// A one-line text: trimmed, at most [`MAX_NAME_CHARS`], no control characters.
/// Empty after trimming yields `None`.
pub(crate) fn single_line(field: &'static str, what: &str, text: &str) -> Result<Option<String>> {
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

pub(crate) fn optional_single_line(
    field: &'static str,
    what: &str,
    text: Option<String>,
) -> Result<Option<String>> {
    match text {
        Some(text) => single_line(field, what, &text),
        None => Ok(None),
    }
}

/// Free text over several lines (notes, how you met): trimmed, at most `max` characters.
pub(crate) fn long_text(
    field: &'static str,
    what: &str,
    text: Option<String>,
    max: usize,
) -> Result<Option<String>> {
    let Some(text) = text else { return Ok(None) };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max {
        return Err(Error::invalid(field, too_long(what, max)));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(Error::invalid(
            field,
            format!("{what} contain control characters that cannot be stored."),
        ));
    }
    Ok(Some(text.to_owned()))
}

pub(crate) fn time_zone(zone: Option<String>) -> Result<Option<String>> {
    let Some(zone) = zone else { return Ok(None) };
    let zone = zone.trim();
    if zone.is_empty() {
        return Ok(None);
    }
    match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => Ok(Some(tz.name().to_owned())),
        Err(_) => Err(Error::invalid(
            "timeZone",
            format!("“{zone}” is not a known time zone: use a name such as Europe/Lisbon."),
        )),
    }
}

/// One tag: trimmed, one line, at most [`MAX_TAG_CHARS`]; `None` when blank.
pub(crate) fn tag_name(field: &'static str, text: &str) -> Result<Option<String>> {
    let Some(tag) = single_line(field, "A tag", text)? else {
        return Ok(None);
    };
    if tag.chars().count() > MAX_TAG_CHARS {
        return Err(Error::invalid(field, too_long("A tag", MAX_TAG_CHARS)));
    }
    Ok(Some(tag))
}

/// Tags: trimmed, one line, at most [`MAX_TAG_CHARS`] each and [`MAX_TAGS`] in all; the same
/// tag twice (ignoring case) is kept once.
fn tags(list: Vec<String>) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for tag in list {
        let Some(tag) = tag_name("tags", &tag)? else {
            continue;
        };
        if !out.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            out.push(tag);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(Error::invalid(
            "tags",
            format!("A contact can have at most {MAX_TAGS} tags."),
        ));
    }
    Ok(out)
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

pub(crate) fn email(field: &'static str, value: &str) -> Result<String> {
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

pub(crate) fn link(field: &'static str, value: &str) -> Result<String> {
    if value.chars().count() > MAX_LINK_CHARS {
        return Err(Error::invalid(field, too_long("A link", MAX_LINK_CHARS)));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            field,
            format!("“{value}” is not a link: links have no spaces."),
        ));
    }
    Ok(value.to_owned())
}

pub(crate) fn phone(field: &'static str, value: &str) -> Result<String> {
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

/// A `tel:` link for `phone` (digits and a leading +, as RFC 3966 wants them), or `None`
/// when it has too few digits to call.
pub fn tel_link(phone: &str) -> Option<String> {
    let mut number: String = phone.chars().filter(|c| c.is_ascii_digit()).collect();
    if number.len() < 3 {
        return None;
    }
    if phone.trim_start().starts_with('+') {
        number.insert(0, '+');
    }
    Some(format!("tel:{number}"))
}

#[cfg(test)]
mod tests;

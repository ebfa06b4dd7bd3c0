//! The one table of a contact's single-valued fields: each field's name (as stored and sent
//! over IPC), its label (the words the window shows, exported to the UI once), its value as
//! text and how that text goes back in. Imports, sync and merging two people loop over
//! [`ContactField::ALL`] instead of listing fields, so a new field is added here and nowhere
//! else. Emails, phones, links and tags are lists, not fields: merges join them as sets.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Birthday, Channel, Circle, ContactInput};
use crate::{Error, Result};

/// A single-valued field of a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ContactField {
    DisplayName,
    GivenName,
    FamilyName,
    Company,
    Role,
    Location,
    TimeZone,
    Birthday,
    HowWeMet,
    Notes,
    Circle,
    CadenceDays,
    PreferredChannel,
}

impl ContactField {
    /// Every field, in the order the window lists them.
    pub const ALL: [ContactField; 13] = [
        ContactField::DisplayName,
        ContactField::GivenName,
        ContactField::FamilyName,
        ContactField::Company,
        ContactField::Role,
        ContactField::Location,
        ContactField::TimeZone,
        ContactField::Birthday,
        ContactField::HowWeMet,
        ContactField::Notes,
        ContactField::Circle,
        ContactField::CadenceDays,
        ContactField::PreferredChannel,
    ];

    /// The name stored in the database and sent over IPC, as the contact form names it.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactField::DisplayName => "displayName",
            ContactField::GivenName => "givenName",
            ContactField::FamilyName => "familyName",
            ContactField::Company => "company",
            ContactField::Role => "role",
            ContactField::Location => "location",
            ContactField::TimeZone => "timeZone",
            ContactField::Birthday => "birthday",
            ContactField::HowWeMet => "howWeMet",
            ContactField::Notes => "notes",
            ContactField::Circle => "circle",
            ContactField::CadenceDays => "cadenceDays",
            ContactField::PreferredChannel => "preferredChannel",
        }
    }

    /// The field in words, as the window and the merge summaries say it ("how you met"); the
    /// UI gets these through the generated `fieldLabels.ts`.
    pub fn label(self) -> &'static str {
        match self {
            ContactField::DisplayName => "name",
            ContactField::GivenName => "given name",
            ContactField::FamilyName => "family name",
            ContactField::Company => "company",
            ContactField::Role => "role",
            ContactField::Location => "location",
            ContactField::TimeZone => "time zone",
            ContactField::Birthday => "birthday",
            ContactField::HowWeMet => "how you met",
            ContactField::Notes => "notes",
            ContactField::Circle => "circle",
            ContactField::CadenceDays => "keep-in-touch days",
            ContactField::PreferredChannel => "preferred channel",
        }
    }

    /// A setting the user keeps in Kith about how to keep in touch (circle, cadence,
    /// channel) rather than something said about the person: a file's merge leaves it alone.
    pub fn is_setting(self) -> bool {
        matches!(
            self,
            ContactField::Circle | ContactField::CadenceDays | ContactField::PreferredChannel
        )
    }

    /// The field's value in `c` as text, the form [`ContactField::set`] reads back (a
    /// birthday as `--04-17`, a circle as `inner`); `None` when it has none. Two contacts
    /// have the same value exactly when these are equal.
    pub fn value(self, c: &ContactInput) -> Option<String> {
        match self {
            ContactField::DisplayName => Some(c.display_name.clone()),
            ContactField::GivenName => c.given_name.clone(),
            ContactField::FamilyName => c.family_name.clone(),
            ContactField::Company => c.company.clone(),
            ContactField::Role => c.role.clone(),
            ContactField::Location => c.location.clone(),
            ContactField::TimeZone => c.time_zone.clone(),
            ContactField::Birthday => c.birthday.map(Birthday::to_db),
            ContactField::HowWeMet => c.how_we_met.clone(),
            ContactField::Notes => c.notes.clone(),
            ContactField::Circle => Some(c.circle.as_str().to_owned()),
            ContactField::CadenceDays => c.cadence_days.map(|d| d.to_string()),
            ContactField::PreferredChannel => c.preferred_channel.map(|ch| ch.as_str().to_owned()),
        }
    }

    /// The field's value in `c` as people read it: like [`ContactField::value`], a birthday
    /// in words ("17 April 1990").
    pub fn shown(self, c: &ContactInput) -> Option<String> {
        match self {
            ContactField::Birthday => c.birthday.map(Birthday::words),
            _ => self.value(c),
        }
    }

    /// Sets the field of `c` to `text`, a value as [`ContactField::value`] writes it (""
    /// for none); an error when it cannot be (not a date, not a circle).
    pub fn set(self, c: &mut ContactInput, text: &str) -> Result<()> {
        let some = || (!text.is_empty()).then(|| text.to_owned());
        let bad = || Error::Corrupt(format!("“{text}” cannot go back into {}", self.as_str()));
        match self {
            ContactField::DisplayName => c.display_name = text.to_owned(),
            ContactField::GivenName => c.given_name = some(),
            ContactField::FamilyName => c.family_name = some(),
            ContactField::Company => c.company = some(),
            ContactField::Role => c.role = some(),
            ContactField::Location => c.location = some(),
            ContactField::TimeZone => c.time_zone = some(),
            ContactField::HowWeMet => c.how_we_met = some(),
            ContactField::Notes => c.notes = some(),
            ContactField::Birthday => {
                c.birthday = some()
                    .map(|t| Birthday::from_db(&t).ok_or_else(bad))
                    .transpose()?
            }
            ContactField::Circle => c.circle = Circle::parse(text).ok_or_else(bad)?,
            ContactField::CadenceDays => {
                c.cadence_days = some().map(|t| t.parse().map_err(|_| bad())).transpose()?
            }
            ContactField::PreferredChannel => {
                c.preferred_channel = some()
                    .map(|t| Channel::parse(&t).ok_or_else(bad))
                    .transpose()?
            }
        }
        Ok(())
    }

    /// Gives `into` the value `from` has in this field.
    pub fn copy(self, into: &mut ContactInput, from: &ContactInput) {
        match self {
            ContactField::DisplayName => into.display_name.clone_from(&from.display_name),
            ContactField::GivenName => into.given_name.clone_from(&from.given_name),
            ContactField::FamilyName => into.family_name.clone_from(&from.family_name),
            ContactField::Company => into.company.clone_from(&from.company),
            ContactField::Role => into.role.clone_from(&from.role),
            ContactField::Location => into.location.clone_from(&from.location),
            ContactField::TimeZone => into.time_zone.clone_from(&from.time_zone),
            ContactField::Birthday => into.birthday = from.birthday,
            ContactField::HowWeMet => into.how_we_met.clone_from(&from.how_we_met),
            ContactField::Notes => into.notes.clone_from(&from.notes),
            ContactField::Circle => into.circle = from.circle,
            ContactField::CadenceDays => into.cadence_days = from.cadence_days,
            ContactField::PreferredChannel => into.preferred_channel = from.preferred_channel,
        }
    }
}

impl std::fmt::Display for ContactField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;

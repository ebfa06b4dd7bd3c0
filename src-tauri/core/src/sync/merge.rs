//! Joining a contact changed in Kith and on the server since the last round, against what
//! both had then (the ancestor). A field one side changed takes that side's value; a field
//! both changed differently takes the server's, and Kith's value goes to the conflict log,
//! from where the user can restore it. Emails, phones, links and tags are sets: what either
//! side added is in, what either side removed is out (values compared as the import compares
//! them: emails without case, phones by their digits, LinkedIn profiles by their name).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::import::identity::{linkedin_key, phone_key};
use crate::model::{Birthday, ContactInput, LabeledValue};

/// One field both sides changed: the server's value was taken, Kith's kept here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncConflict {
    /// The field, as the contact form names it (`company`, `notes`).
    pub field: String,
    /// Kith's value, set aside ("" when Kith had none).
    pub kept: String,
    /// The server's value, now the contact's.
    pub took: String,
}

/// The joined contact and the fields where the server's value won.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub contact: ContactInput,
    pub conflicts: Vec<SyncConflict>,
}

/// `local` and `remote`, both descended from `ancestor`, as one contact.
pub fn merge(ancestor: &ContactInput, local: &ContactInput, remote: &ContactInput) -> Merged {
    let mut conflicts = Vec::new();
    let mut out = remote.clone();
    macro_rules! field {
        ($f:ident, $name:expr, $text:expr) => {
            let (a, l, r) = (&ancestor.$f, &local.$f, &remote.$f);
            if l != r {
                if r == a {
                    out.$f = l.clone();
                } else if l != a {
                    let text = $text;
                    conflicts.push(SyncConflict {
                        field: $name.to_owned(),
                        kept: text(l),
                        took: text(r),
                    });
                }
            }
        };
    }
    let plain = |v: &Option<String>| v.clone().unwrap_or_default();
    field!(display_name, "displayName", |v: &String| v.clone());
    field!(given_name, "givenName", plain);
    field!(family_name, "familyName", plain);
    field!(company, "company", plain);
    field!(role, "role", plain);
    field!(location, "location", plain);
    field!(time_zone, "timeZone", plain);
    field!(how_we_met, "howWeMet", plain);
    field!(notes, "notes", plain);
    field!(birthday, "birthday", |b: &Option<Birthday>| b
        .map(Birthday::to_db)
        .unwrap_or_default());
    field!(circle, "circle", |c: &crate::model::Circle| c
        .as_str()
        .to_owned());
    field!(cadence_days, "cadenceDays", |d: &Option<u32>| d
        .map(|d| d.to_string())
        .unwrap_or_default());
    field!(preferred_channel, "preferredChannel", |c: &Option<
        crate::model::Channel,
    >| c
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default());

    out.emails = sets(&ancestor.emails, &local.emails, &remote.emails, |v| {
        v.trim().to_lowercase()
    });
    out.phones = sets(&ancestor.phones, &local.phones, &remote.phones, |v| {
        phone_key(v).unwrap_or_else(|| v.trim().to_owned())
    });
    out.links = sets(&ancestor.links, &local.links, &remote.links, |v| {
        linkedin_key(v).unwrap_or_else(|| v.trim().trim_end_matches('/').to_lowercase())
    });
    let tag = |t: &String| LabeledValue {
        label: String::new(),
        value: t.clone(),
    };
    let tags = |list: &[String]| list.iter().map(tag).collect::<Vec<_>>();
    out.tags = sets(
        &tags(&ancestor.tags),
        &tags(&local.tags),
        &tags(&remote.tags),
        |v| v.trim().to_lowercase(),
    )
    .into_iter()
    .map(|v| v.value)
    .collect();
    Merged {
        contact: out,
        conflicts,
    }
}

/// Sets `field` of `contact` back to `kept`, a value the conflict log holds (as [`merge`]
/// wrote it): the user chose their own value after all.
pub fn restore(contact: &mut ContactInput, field: &str, kept: &str) -> crate::Result<()> {
    let text = || (!kept.is_empty()).then(|| kept.to_owned());
    let bad = || crate::Error::Corrupt(format!("“{kept}” cannot go back into {field}"));
    match field {
        "displayName" => contact.display_name = kept.to_owned(),
        "givenName" => contact.given_name = text(),
        "familyName" => contact.family_name = text(),
        "company" => contact.company = text(),
        "role" => contact.role = text(),
        "location" => contact.location = text(),
        "timeZone" => contact.time_zone = text(),
        "howWeMet" => contact.how_we_met = text(),
        "notes" => contact.notes = text(),
        "birthday" => {
            contact.birthday = match text() {
                Some(t) => Some(Birthday::from_db(&t).ok_or_else(bad)?),
                None => None,
            }
        }
        "circle" => contact.circle = crate::model::Circle::parse(kept).ok_or_else(bad)?,
        "cadenceDays" => {
            contact.cadence_days = match text() {
                Some(t) => Some(t.parse().map_err(|_| bad())?),
                None => None,
            }
        }
        "preferredChannel" => {
            contact.preferred_channel = match text() {
                Some(t) => Some(crate::model::Channel::parse(&t).ok_or_else(bad)?),
                None => None,
            }
        }
        _ => return Err(bad()),
    }
    Ok(())
}

/// The server's values without those Kith removed, then those Kith added; a value's label
/// from the side that changed it.
fn sets(
    ancestor: &[LabeledValue],
    local: &[LabeledValue],
    remote: &[LabeledValue],
    key: impl Fn(&str) -> String,
) -> Vec<LabeledValue> {
    let find = |list: &[LabeledValue], k: &str| list.iter().find(|v| key(&v.value) == k).cloned();
    let mut out: Vec<LabeledValue> = Vec::new();
    for r in remote {
        let k = key(&r.value);
        let (was, mine) = (find(ancestor, &k), find(local, &k));
        match (was, mine) {
            // Kith removed it; the server did not touch it.
            (Some(was), None) if was == *r => continue,
            // Kith relabelled it; the server did not.
            (Some(was), Some(mine)) if was == *r && mine != *r => out.push(mine),
            _ => out.push(r.clone()),
        }
    }
    for l in local {
        let k = key(&l.value);
        let on_server = remote.iter().any(|r| key(&r.value) == k);
        if !on_server && find(ancestor, &k).is_none() && !out.iter().any(|o| key(&o.value) == k) {
            out.push(l.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests;

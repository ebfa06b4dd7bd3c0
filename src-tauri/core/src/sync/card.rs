//! A contact as a CardDAV server keeps it: one vCard per person. Reading goes through the
//! vCard importer (the same labels, birthdays and `X-KITH-*` properties). Writing back edits
//! the server's copy: only the properties of fields Kith changed are touched, emails, phones
//! and links value by value (with their grouped labels), so a PHOTO, another app's `X-`
//! properties or a department in ORG come back as they went. A new contact becomes a vCard
//! 4.0 with its own UID.

use calcard::vcard::{VCard, VCardEntry, VCardProperty, VCardValue, VCardVersion};
use calcard::{Entry, Parser};

use crate::export::vcard::card as fresh_card;
use crate::import::vcard::person;
use crate::model::{ContactInput, LabeledValue};
use crate::vcard::{
    first_text, has_kith, is, is_other, year_less_as_apple, AB_LABEL, CADENCE, CHANNEL, CIRCLE,
    HOW_WE_MET,
};
use crate::{Error, Result};

/// A server's card as Kith reads it.
#[derive(Debug, Clone)]
pub struct ServerCard {
    /// Its UID, as written.
    pub uid: Option<String>,
    /// Kith's view of it.
    pub contact: ContactInput,
    /// It carries at least one `X-KITH-*` property (another app may have dropped them all).
    pub has_kith: bool,
    /// The card itself, for editing.
    pub card: VCard,
    /// The card as the server sent it, whose lines go back as they were wherever Kith
    /// changes nothing.
    pub text: String,
}

/// The person in `text` (one vCard), or `None` for a card that is not a person (a group, a
/// place): Kith leaves those alone.
pub fn read(text: &str) -> Result<Option<ServerCard>> {
    let card = parse(text)?;
    let has_kith = has_kith(&card);
    Ok(person(&card).map(|(contact, uid)| ServerCard {
        uid,
        contact,
        has_kith,
        card,
        text: text.to_owned(),
    }))
}

fn parse(text: &str) -> Result<VCard> {
    match Parser::new(text).entry() {
        Entry::VCard(card) => Ok(card),
        _ => Err(Error::parse(
            None,
            "The server sent something that is not a vCard.",
        )),
    }
}

/// A new contact's card: every field Kith keeps, and `uid`; vCard 4.0, or 3.0 for a server
/// that takes nothing newer (`v3`).
pub fn new_card(uid: &str, contact: &ContactInput, v3: bool) -> String {
    let mut card = fresh_card(contact);
    card.entries.insert(
        0,
        VCardEntry::new(VCardProperty::Uid).with_value(uid.to_owned()),
    );
    if v3 {
        year_less_as_apple(&mut card);
        return write_as(&card, VCardVersion::V3_0);
    }
    write(&card)
}

fn write(card: &VCard) -> String {
    write_as(card, card.version().unwrap_or(VCardVersion::V4_0))
}

fn write_as(card: &VCard, version: VCardVersion) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = card.write_to(&mut out, version);
    out
}

/// The server's card with what changed from `was` (Kith's view of it) to `now` written into
/// it: every line of a property Kith did not change goes back byte for byte, as the server
/// sent it. Kith's own properties are written whenever the card has lost them.
pub fn edit(server: &ServerCard, was: &ContactInput, now: &ContactInput) -> String {
    let edited = edited(&server.card, was, now);
    keep_server_lines(&server.text, &edited)
}

/// `edited` written out, each entry that is also one of `original`'s content lines as that
/// line (its case, parameters, folding and escapes as they were); the others as Kith writes
/// them.
fn keep_server_lines(original: &str, edited: &VCard) -> String {
    let version = edited.version().unwrap_or(VCardVersion::V4_0);
    let version_line = format!("VERSION:{}", version_text(version));
    // Each original content line (with its folded continuations), and the entry it reads as.
    let mut theirs: Vec<(VCardEntry, String)> = Vec::new();
    for line in content_lines(original) {
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("BEGIN:") || upper.starts_with("END:") {
            continue;
        }
        let alone = format!("BEGIN:VCARD\r\n{version_line}\r\n{line}\r\nEND:VCARD\r\n");
        if let Entry::VCard(card) = Parser::new(&alone).entry() {
            let mut entries = card
                .entries
                .into_iter()
                .filter(|e| e.name != VCardProperty::Version || upper.starts_with("VERSION"));
            if let (Some(entry), None) = (entries.next(), entries.next()) {
                theirs.push((entry, line));
            }
        }
    }
    let mut out = String::from("BEGIN:VCARD\r\n");
    for entry in &edited.entries {
        match theirs.iter().position(|(e, _)| e == entry) {
            Some(at) => {
                out.push_str(&theirs.remove(at).1);
                out.push_str("\r\n");
            }
            None => {
                let alone = VCard {
                    entries: vec![entry.clone()],
                };
                let text = write_as(&alone, version);
                for line in content_lines(&text) {
                    let upper = line.to_ascii_uppercase();
                    let framing = upper.starts_with("BEGIN:")
                        || upper.starts_with("END:")
                        || (upper.starts_with("VERSION:") && entry.name != VCardProperty::Version);
                    if !framing {
                        out.push_str(&line);
                        out.push_str("\r\n");
                    }
                }
            }
        }
    }
    out.push_str("END:VCARD\r\n");
    out
}

fn version_text(version: VCardVersion) -> &'static str {
    match version {
        VCardVersion::V2_0 => "2.0",
        VCardVersion::V2_1 => "2.1",
        VCardVersion::V3_0 => "3.0",
        VCardVersion::V4_0 => "4.0",
    }
}

/// `text`'s content lines, each with its folded continuation lines (as sent, without the
/// final line break).
fn content_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\r', '\n']);
        match out.last_mut() {
            Some(last) if line.starts_with([' ', '\t']) => {
                last.push_str("\r\n");
                last.push_str(bare);
            }
            _ if bare.is_empty() => {}
            _ => out.push(bare.to_owned()),
        }
    }
    out
}

/// `base` with what changed from `was` to `now` written into it.
fn edited(base: &VCard, was: &ContactInput, now: &ContactInput) -> VCard {
    let fresh = fresh_card(now);
    let mut out = base.clone();
    if was.display_name != now.display_name {
        replace(&mut out, &fresh, &[VCardProperty::Fn]);
    }
    if (&was.given_name, &was.family_name) != (&now.given_name, &now.family_name) {
        replace(&mut out, &fresh, &[VCardProperty::N]);
    }
    if was.role != now.role {
        replace(
            &mut out,
            &fresh,
            &[VCardProperty::Title, VCardProperty::Role],
        );
    }
    if was.time_zone != now.time_zone {
        replace(&mut out, &fresh, &[VCardProperty::Tz]);
    }
    if was.birthday != now.birthday {
        replace(&mut out, &fresh, &[VCardProperty::Bday]);
        if base.version() == Some(VCardVersion::V3_0) {
            year_less_as_apple(&mut out);
        }
    }
    if was.notes != now.notes {
        replace(&mut out, &fresh, &[VCardProperty::Note]);
    }
    if was.tags != now.tags {
        replace(&mut out, &fresh, &[VCardProperty::Categories]);
    }
    let lost_kith = !has_kith(base);
    for (name, changed) in [
        (CIRCLE, was.circle != now.circle),
        (CADENCE, was.cadence_days != now.cadence_days),
        (CHANNEL, was.preferred_channel != now.preferred_channel),
        (HOW_WE_MET, was.how_we_met != now.how_we_met),
    ] {
        if changed || lost_kith {
            replace(&mut out, &fresh, &[VCardProperty::Other(name.to_owned())]);
        }
    }
    if was.company != now.company {
        first_part(
            &mut out,
            &fresh,
            VCardProperty::Org,
            0,
            now.company.as_deref(),
        );
    }
    if was.location != now.location {
        first_part(
            &mut out,
            &fresh,
            VCardProperty::Adr,
            3,
            now.location.as_deref(),
        );
    }
    let links = [
        VCardProperty::Url,
        VCardProperty::Socialprofile,
        VCardProperty::Other("X-SOCIALPROFILE".into()),
    ];
    for (names, before, after) in [
        (&[VCardProperty::Email][..], &was.emails, &now.emails),
        (&[VCardProperty::Tel][..], &was.phones, &now.phones),
        (&links[..], &was.links, &now.links),
    ] {
        if before != after {
            values(&mut out, &fresh, names, before, after);
        }
    }
    out
}

/// Drops every entry of `names` from `out` and adds `fresh`'s entries of the first.
fn replace(out: &mut VCard, fresh: &VCard, names: &[VCardProperty]) {
    out.entries.retain(|e| !names.iter().any(|p| is(e, p)));
    out.entries.extend(
        fresh
            .entries
            .iter()
            .filter(|e| names.first().is_some_and(|p| is(e, p)))
            .cloned(),
    );
}

/// Sets component `index` of the first `p` (ORG's company, ADR's locality) to `value`,
/// keeping its other components; adds the property when there is none, and drops it when
/// `value` is gone and nothing else was in it.
fn first_part(out: &mut VCard, fresh: &VCard, p: VCardProperty, index: usize, value: Option<&str>) {
    let Some(at) = out.entries.iter().position(|e| e.name == p) else {
        out.entries
            .extend(fresh.entries.iter().filter(|e| e.name == p).cloned());
        return;
    };
    let entry = &mut out.entries[at];
    while entry.values.len() <= index {
        entry.values.push(VCardValue::Text(String::new()));
    }
    entry.values[index] = VCardValue::Text(value.unwrap_or_default().to_owned());
    if p == VCardProperty::Adr {
        // Kith's location may have come from the locality and the country together.
        if let Some(country) = entry.values.get_mut(6) {
            *country = VCardValue::Text(String::new());
        }
    }
    let empty = entry
        .values
        .iter()
        .all(|v| matches!(v, VCardValue::Text(t) if t.trim().is_empty()));
    if empty {
        out.entries.remove(at);
    }
}

/// Emails, phones or links, value by value: an entry whose value (or label) Kith no longer
/// has goes, with its grouped label; a value Kith added comes in as Kith writes it.
fn values(
    out: &mut VCard,
    fresh: &VCard,
    names: &[VCardProperty],
    before: &[LabeledValue],
    after: &[LabeledValue],
) {
    let kept = |v: &str| {
        after
            .iter()
            .any(|a| a.value == v && before.iter().any(|b| b.value == v && b.label == a.label))
    };
    let mut gone_groups = Vec::new();
    out.entries.retain(|e| {
        if !names.iter().any(|p| is(e, p)) {
            return true;
        }
        let keep = first_text(e).is_some_and(|v| kept(&v));
        if !keep {
            gone_groups.extend(e.group.clone());
        }
        keep
    });
    // A group's label goes with the last value in it.
    let still: Vec<String> = out
        .entries
        .iter()
        .filter(|e| !is_other(e, AB_LABEL))
        .filter_map(|e| e.group.clone())
        .collect();
    out.entries.retain(|e| match &e.group {
        Some(group) if is_other(e, AB_LABEL) => {
            !gone_groups.contains(group) || still.contains(group)
        }
        _ => true,
    });
    let mut used: Vec<String> = out.entries.iter().filter_map(|e| e.group.clone()).collect();
    for a in after.iter().filter(|a| !kept(&a.value)) {
        let added: Vec<&VCardEntry> = fresh
            .entries
            .iter()
            .filter(|e| {
                names[..1].iter().any(|p| is(e, p)) && first_text(e).as_deref() == Some(&a.value)
            })
            .collect();
        for e in added {
            let mut e = e.clone();
            if let Some(group) = &e.group {
                let label = fresh
                    .entries
                    .iter()
                    .find(|l| l.group.as_deref() == Some(group.as_str()) && is_other(l, AB_LABEL))
                    .cloned();
                let name = (1..)
                    .map(|n| format!("item{n}"))
                    .find(|n| !used.contains(n))
                    .unwrap_or_default();
                used.push(name.clone());
                e.group = Some(name.clone());
                out.entries.push(e);
                if let Some(mut label) = label {
                    label.group = Some(name);
                    out.entries.push(label);
                }
            } else {
                out.entries.push(e);
            }
        }
    }
}

#[cfg(test)]
mod tests;

//! The vCard vocabulary Kith speaks, in one place: its own `X-KITH-*` properties, the labels
//! of emails, phones and links (a standard TYPE for work / home / mobile, Apple's grouped
//! `X-ABLabel` for any other, a link's label from its address), and year-less birthdays
//! (`--MMDD` in vCard 4.0, Apple's year 1604 with `X-APPLE-OMIT-YEAR` in 3.0). The importer
//! (`import/vcard.rs`), the exporter (`export/vcard.rs`) and sync (`sync/card.rs`) all read
//! and write cards through it, never through each other. Pure: calcard's types in and out,
//! no file, no store.

use calcard::common::PartialDateTime;
use calcard::vcard::{
    VCard, VCardEntry, VCardParameter, VCardParameterName, VCardParameterValue, VCardProperty,
    VCardType, VCardValue,
};

use crate::model::{Birthday, LabeledValue};

/// The contact's circle (`close`, `network`…).
pub(crate) const CIRCLE: &str = "X-KITH-CIRCLE";
/// How often to be in touch, in days.
pub(crate) const CADENCE: &str = "X-KITH-CADENCE";
/// The preferred channel (`email`, `phone`…).
pub(crate) const CHANNEL: &str = "X-KITH-CHANNEL";
/// How you met, in the user's words.
pub(crate) const HOW_WE_MET: &str = "X-KITH-HOW-WE-MET";
/// Kith's own properties, which other apps may strip.
pub(crate) const KITH_PROPERTIES: [&str; 4] = [CIRCLE, CADENCE, CHANNEL, HOW_WE_MET];

/// Apple's label of a grouped value (`item1.EMAIL` + `item1.X-ABLabel:conference`).
pub(crate) const AB_LABEL: &str = "X-ABLabel";
/// The year Apple writes for a birthday without one.
pub(crate) const APPLE_NO_YEAR: u16 = 1604;
/// The parameter with which Apple says a birthday's year is not one.
const APPLE_OMIT_YEAR: &str = "X-APPLE-OMIT-YEAR";

/// What a link is, from its address ("LinkedIn" for linkedin.com/in/…).
pub fn link_label(url: &str) -> &'static str {
    let lower = url.to_ascii_lowercase();
    if lower.contains("linkedin.com/") {
        "LinkedIn"
    } else if lower.contains("github.com/") {
        "GitHub"
    } else if lower.contains("mastodon") || lower.contains("fosstodon") {
        "Mastodon"
    } else {
        "website"
    }
}

/// The text values of an entry, a structured one's components joined by spaces.
pub(crate) fn texts(e: &VCardEntry) -> Vec<String> {
    e.values
        .iter()
        .filter_map(|v| match v {
            VCardValue::Text(t) => Some(t.clone()),
            VCardValue::Component(parts) => Some(parts.join(" ")),
            _ => None,
        })
        .collect()
}

/// The first non-blank text value of an entry, trimmed.
pub(crate) fn first_text(e: &VCardEntry) -> Option<String> {
    texts(e).into_iter().find_map(|t| {
        let t = t.trim();
        (!t.is_empty()).then(|| t.to_owned())
    })
}

/// The entry is the non-standard property `name` (any case).
pub(crate) fn is_other(e: &VCardEntry, name: &str) -> bool {
    matches!(&e.name, VCardProperty::Other(n) if n.eq_ignore_ascii_case(name))
}

/// The entry is property `p` (a non-standard one by its name, in any case).
pub(crate) fn is(e: &VCardEntry, p: &VCardProperty) -> bool {
    match p {
        VCardProperty::Other(name) => is_other(e, name),
        p => e.name == *p,
    }
}

/// The card carries at least one of Kith's own properties.
pub(crate) fn has_kith(card: &VCard) -> bool {
    card.entries
        .iter()
        .any(|e| KITH_PROPERTIES.iter().any(|p| is_other(e, p)))
}

/// The value of Kith's property `name` in `card`, if any.
pub(crate) fn kith(card: &VCard, name: &str) -> Option<String> {
    card.entries
        .iter()
        .filter(|e| is_other(e, name))
        .find_map(first_text)
}

/// Kith's property `name` with `value`.
pub(crate) fn other(name: &str, value: &str) -> VCardEntry {
    VCardEntry::new(VCardProperty::Other(name.to_owned())).with_value(value.to_owned())
}

/// The standard TYPE of a label, for the three every address book knows.
fn standard_type(label: &str) -> Option<VCardType> {
    match label {
        "work" => Some(VCardType::Work),
        "home" => Some(VCardType::Home),
        "mobile" | "cell" => Some(VCardType::Cell),
        _ => None,
    }
}

/// Labelled values as entries of `p`: a standard TYPE for work / home / mobile, none for no
/// label (or a link labelled as its address says), a grouped X-ABLabel otherwise (`group`
/// counts the groups of the card so far).
pub(crate) fn labelled(
    entries: &mut Vec<VCardEntry>,
    group: &mut usize,
    p: VCardProperty,
    values: &[LabeledValue],
) {
    for v in values {
        let entry = VCardEntry::new(p.clone()).with_value(v.value.clone());
        match standard_type(v.label.as_str()) {
            Some(t) => entries.push(entry.with_param(VCardParameter::typ(t))),
            None if v.label.is_empty()
                || (p == VCardProperty::Url && link_label(&v.value) == v.label) =>
            {
                entries.push(entry)
            }
            None => {
                *group += 1;
                let name = format!("item{group}");
                entries.push(entry.with_group(Some(name.clone())));
                entries.push(other(AB_LABEL, &v.label).with_group(Some(name)));
            }
        }
    }
}

/// The words of TYPE parameters ("work", "cell"), in 2.1's bare form too (TEL;WORK;VOICE).
fn type_words(e: &VCardEntry) -> Vec<String> {
    let mut words = Vec::new();
    for p in &e.params {
        match (&p.name, &p.value) {
            (VCardParameterName::Type, VCardParameterValue::Type(t)) => {
                words.push(format!("{t:?}").to_lowercase())
            }
            (VCardParameterName::Type, VCardParameterValue::Text(t)) => {
                words.extend(t.split(',').map(|w| w.trim().to_lowercase()))
            }
            (VCardParameterName::Other(n), VCardParameterValue::Null) => {
                words.push(n.to_lowercase())
            }
            _ => {}
        }
    }
    words
}

/// The label of a value: Apple's X-ABLabel of its group, else its first meaningful TYPE.
pub(crate) fn label_of(card: &VCard, e: &VCardEntry) -> String {
    if let Some(group) = &e.group {
        let label = card
            .entries
            .iter()
            .filter(|o| o.group.as_deref() == Some(group.as_str()) && is_other(o, AB_LABEL))
            .find_map(first_text);
        if let Some(label) = label {
            // Apple's own labels look like "_$!<Mobile>!$_".
            return label
                .trim_start_matches("_$!<")
                .trim_end_matches(">!$_")
                .to_lowercase();
        }
    }
    type_words(e)
        .into_iter()
        .find(|w| {
            !matches!(
                w.as_str(),
                "internet" | "pref" | "voice" | "x400" | "text" | "msg"
            )
        })
        .map(|w| if w == "cell" { "mobile".into() } else { w })
        .unwrap_or_default()
}

/// A birthday as a BDAY value: a year-less one as `--MMDD`.
pub(crate) fn birthday_value(b: Birthday) -> VCardValue {
    VCardValue::PartialDateTime(PartialDateTime {
        year: b.year.and_then(|y| u16::try_from(y).ok()),
        month: u8::try_from(b.month).ok(),
        day: u8::try_from(b.day).ok(),
        ..PartialDateTime::default()
    })
}

/// The birthday of a BDAY entry written as a date (`None` for text, or a date without a
/// month and day): Apple's year 1604, or any year with X-APPLE-OMIT-YEAR, is no year.
pub(crate) fn birthday_of(e: &VCardEntry) -> Option<Birthday> {
    let omit_year = e.params.iter().any(
        |p| matches!(&p.name, VCardParameterName::Other(n) if n.eq_ignore_ascii_case(APPLE_OMIT_YEAR)),
    );
    e.values.iter().find_map(|v| match v {
        VCardValue::PartialDateTime(d) => Some(Birthday {
            month: u32::from(d.month?),
            day: u32::from(d.day?),
            year: d
                .year
                .filter(|y| !omit_year && *y != APPLE_NO_YEAR)
                .map(i32::from),
        }),
        _ => None,
    })
}

/// A birthday without a year, as vCard 3.0 readers take it: Apple's year 1604 with
/// X-APPLE-OMIT-YEAR (3.0 has no `--MM-DD`).
pub(crate) fn year_less_as_apple(card: &mut VCard) {
    for e in card
        .entries
        .iter_mut()
        .filter(|e| e.name == VCardProperty::Bday)
    {
        for v in &mut e.values {
            if let VCardValue::PartialDateTime(d) = v {
                if d.year.is_none() {
                    d.year = Some(APPLE_NO_YEAR);
                    e.params.push(VCardParameter::new(
                        VCardParameterName::Other(APPLE_OMIT_YEAR.into()),
                        APPLE_NO_YEAR.to_string(),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "vcard/tests.rs"]
mod tests;

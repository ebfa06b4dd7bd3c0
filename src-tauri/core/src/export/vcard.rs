//! Contacts as vCard 4.0 (RFC 6350), written with calcard. Every field Kith keeps has a
//! place: standard properties where vCard has one (labels as TYPE, or Apple's grouped
//! X-ABLabel for any other), and X-KITH-* for the circle, cadence, preferred channel and how
//! you met, so that exporting and importing again gives the same contacts.

use calcard::vcard::{VCard, VCardEntry, VCardProperty, VCardValue, VCardVersion};

use crate::model::{Contact, ContactInput};
use crate::vcard::{birthday_value, labelled, other, CADENCE, CHANNEL, CIRCLE, HOW_WE_MET};

fn text(p: VCardProperty, value: &str) -> VCardEntry {
    VCardEntry::new(p).with_value(value.to_owned())
}

/// The card of `c`, every field Kith keeps in its place.
pub(crate) fn card(c: &ContactInput) -> VCard {
    let mut e: Vec<VCardEntry> = Vec::new();
    let mut group = 0;
    e.push(text(VCardProperty::Fn, &c.display_name));
    e.push(VCardEntry::new(VCardProperty::N).with_values(vec![
        VCardValue::Text(c.family_name.clone().unwrap_or_default()),
        VCardValue::Text(c.given_name.clone().unwrap_or_default()),
        VCardValue::Text(String::new()),
        VCardValue::Text(String::new()),
        VCardValue::Text(String::new()),
    ]));
    labelled(&mut e, &mut group, VCardProperty::Email, &c.emails);
    labelled(&mut e, &mut group, VCardProperty::Tel, &c.phones);
    labelled(&mut e, &mut group, VCardProperty::Url, &c.links);
    if let Some(company) = &c.company {
        e.push(text(VCardProperty::Org, company));
    }
    if let Some(role) = &c.role {
        e.push(text(VCardProperty::Title, role));
    }
    if let Some(location) = &c.location {
        e.push(
            VCardEntry::new(VCardProperty::Adr).with_values(
                ["", "", "", location.as_str(), "", "", ""]
                    .map(|p| VCardValue::Text(p.to_owned()))
                    .to_vec(),
            ),
        );
    }
    if let Some(tz) = &c.time_zone {
        e.push(text(VCardProperty::Tz, tz));
    }
    if let Some(b) = c.birthday {
        e.push(VCardEntry::new(VCardProperty::Bday).with_value(birthday_value(b)));
    }
    if let Some(notes) = &c.notes {
        e.push(text(VCardProperty::Note, notes));
    }
    if !c.tags.is_empty() {
        e.push(
            VCardEntry::new(VCardProperty::Categories)
                .with_values(c.tags.iter().cloned().map(VCardValue::Text).collect()),
        );
    }
    e.push(other(CIRCLE, c.circle.as_str()));
    if let Some(days) = c.cadence_days {
        e.push(other(CADENCE, &days.to_string()));
    }
    if let Some(channel) = c.preferred_channel {
        e.push(other(CHANNEL, channel.as_str()));
    }
    if let Some(met) = &c.how_we_met {
        e.push(other(HOW_WE_MET, met));
    }
    VCard { entries: e }
}

/// The card of `c` as vCard 4.0 text (CRLF lines folded at 75 octets); a file is the cards
/// one after another.
pub fn card_text(c: &Contact) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = card(&c.to_input()).write_to(&mut out, VCardVersion::V4_0);
    out
}

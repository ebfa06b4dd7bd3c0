use super::*;
use crate::model::{Birthday, Circle};

/// A card as Apple Contacts keeps it on a server: a photo, grouped labels, another app's
/// property, a department in ORG, and Kith's properties.
const APPLE: &str = "BEGIN:VCARD\r
VERSION:3.0\r
PRODID:-//Apple Inc.//iPhone OS 18.0//EN\r
UID:6F1C2B7E-0D3A-4C61-9E0B-6A3F2B9C1D44\r
N:Raman;Priya;;;\r
FN:Priya Raman\r
ORG:Acme;Platform\r
TITLE:Engineer\r
item1.EMAIL;type=INTERNET:priya@acme.example\r
item1.X-ABLabel:_$!<Other>!$_\r
TEL;type=CELL;type=VOICE:+351 912 345 678\r
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAA=\r
X-SOCIAL-APP:priya42\r
X-KITH-CIRCLE:close\r
END:VCARD\r
";

fn priya() -> ServerCard {
    read(APPLE).unwrap().unwrap()
}

#[test]
fn a_server_card_is_read_as_the_importer_reads_it() {
    let card = priya();
    assert!(card.has_kith);
    assert_eq!(
        card.uid.as_deref(),
        Some("6f1c2b7e-0d3a-4c61-9e0b-6a3f2b9c1d44")
    );
    let c = &card.contact;
    assert_eq!(c.display_name, "Priya Raman");
    assert_eq!(c.company.as_deref(), Some("Acme"));
    assert_eq!(c.circle, Circle::Close);
    assert_eq!(c.emails[0].value, "priya@acme.example");
    // A group card is not a person.
    let group = "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Rust Lisbon\r\nEND:VCARD\r\n";
    assert!(read(group).unwrap().is_none());
    assert!(read("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").is_err());
}

#[test]
fn an_edit_touches_only_what_changed_and_keeps_what_kith_does_not_model() {
    let card = priya();
    let was = card.contact.clone();
    let mut now = was.clone();
    now.company = Some("Globex".into());
    now.emails.push(LabeledValue {
        label: "home".into(),
        value: "priya@home.example".into(),
    });
    now.birthday = Some(Birthday {
        month: 2,
        day: 29,
        year: None,
    });
    let text = edit(&card, &was, &now);
    // Every line of what Kith did not change comes back byte for byte (parameters in the
    // server's order and case).
    for kept in APPLE.split("\r\n").filter(|l| !l.starts_with("ORG")) {
        assert!(text.contains(kept), "{kept} missing from\n{text}");
    }
    // ORG keeps its department; the new email has a TYPE; read back, it is `now`.
    assert!(text.contains("ORG:Globex;Platform"), "{text}");
    let back = read(&text).unwrap().unwrap().contact;
    assert_eq!(back, now);
}

#[test]
fn a_removed_value_goes_with_its_grouped_label_and_stripped_kith_properties_come_back() {
    let card = priya();
    let was = card.contact.clone();
    let mut now = was.clone();
    now.emails.clear();
    let text = edit(&card, &was, &now);
    assert!(!text.contains("priya@acme.example"), "{text}");
    assert!(!text.contains("X-ABLabel"), "{text}");

    // Another app dropped every X-KITH-* property: an edit puts them back.
    let stripped = APPLE.replace("X-KITH-CIRCLE:close\r\n", "");
    let card = read(&stripped).unwrap().unwrap();
    assert!(!card.has_kith);
    let mut now = card.contact.clone();
    now.circle = Circle::Close;
    now.cadence_days = Some(21);
    let text = edit(&card, &card.contact, &now);
    assert!(text.contains("X-KITH-CIRCLE:close"), "{text}");
    assert!(text.contains("X-KITH-CADENCE:21"), "{text}");
}

#[test]
fn a_new_contact_is_a_vcard_4_with_its_uid_that_reads_back_the_same() {
    let mut contact = priya().contact;
    contact.cadence_days = Some(30);
    let text = new_card("kith-1234", &contact, false);
    assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"), "{text}");
    let back = read(&text).unwrap().unwrap();
    assert_eq!(back.uid.as_deref(), Some("kith-1234"));
    assert_eq!(back.contact, contact);
}

#[test]
fn for_a_server_that_takes_only_vcard_3_a_new_contact_is_a_3_0_card_that_reads_back_the_same() {
    let mut contact = priya().contact;
    contact.cadence_days = Some(30);
    contact.birthday = Some(crate::model::Birthday {
        month: 3,
        day: 14,
        year: None,
    });
    let text = new_card("kith-1234", &contact, true);
    assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\n"), "{text}");
    assert!(!text.contains("VERSION:4.0"), "{text}");
    let back = read(&text).unwrap().unwrap();
    assert_eq!(back.uid.as_deref(), Some("kith-1234"));
    assert_eq!(back.contact, contact, "{text}");
}

use calcard::vcard::{VCard, VCardEntry, VCardProperty, VCardValue, VCardVersion};
use calcard::{Entry, Parser};

use super::*;

fn lv(label: &str, value: &str) -> LabeledValue {
    LabeledValue {
        label: label.to_owned(),
        value: value.to_owned(),
    }
}

fn parse(text: &str) -> VCard {
    match Parser::new(text).entry() {
        Entry::VCard(card) => card,
        other => panic!("not a card: {other:?}"),
    }
}

fn written(card: &VCard, version: VCardVersion) -> String {
    let mut out = String::new();
    card.write_to(&mut out, version).unwrap();
    out
}

#[test]
fn a_link_is_named_by_its_address() {
    assert_eq!(link_label("https://www.LinkedIn.com/in/ana"), "LinkedIn");
    assert_eq!(link_label("https://github.com/ana"), "GitHub");
    assert_eq!(link_label("https://fosstodon.org/@ana"), "Mastodon");
    assert_eq!(link_label("https://ana.example"), "website");
}

#[test]
fn labels_are_written_as_types_or_apple_groups_and_read_back() {
    let mut entries = Vec::new();
    let mut group = 0;
    let emails = [
        lv("work", "a@work.example"),
        lv("conference", "a@talks.example"),
        lv("", "a@plain.example"),
    ];
    labelled(&mut entries, &mut group, VCardProperty::Email, &emails);
    labelled(
        &mut entries,
        &mut group,
        VCardProperty::Tel,
        &[lv("mobile", "+44 7700 900123")],
    );
    labelled(
        &mut entries,
        &mut group,
        VCardProperty::Url,
        &[lv("GitHub", "https://github.com/ana")],
    );
    assert_eq!(group, 1, "only the custom label needs a group");
    let text = written(&VCard { entries }, VCardVersion::V4_0);
    assert!(text.contains("item1.X-ABLabel:conference"), "{text}");
    assert!(
        !text.contains("X-ABLabel:GitHub"),
        "a link's own label is its address: {text}"
    );
    let card = parse(&text);
    let read: Vec<(String, String)> = card
        .entries
        .iter()
        .filter(|e| e.name != VCardProperty::Version && !is_other(e, AB_LABEL))
        .filter_map(|e| first_text(e).map(|v| (label_of(&card, e), v)))
        .collect();
    assert_eq!(
        read,
        [
            ("work", "a@work.example"),
            ("conference", "a@talks.example"),
            ("", "a@plain.example"),
            ("mobile", "+44 7700 900123"),
            ("", "https://github.com/ana"),
        ]
        .map(|(l, v)| (l.to_owned(), v.to_owned()))
    );
}

#[test]
fn apples_own_labels_and_bare_2_1_types_are_read() {
    let card = parse(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nitem1.TEL:1\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\n\
         TEL;WORK;VOICE:2\r\nEMAIL;TYPE=INTERNET,HOME:h@x.example\r\nEND:VCARD\r\n",
    );
    let labels: Vec<String> = card
        .entries
        .iter()
        .filter(|e| e.name == VCardProperty::Tel || e.name == VCardProperty::Email)
        .map(|e| label_of(&card, e))
        .collect();
    assert_eq!(labels, ["mobile", "work", "home"]);
}

#[test]
fn a_year_less_birthday_is_dashes_in_4_0_and_apples_1604_in_3_0() {
    let b = Birthday {
        month: 2,
        day: 29,
        year: None,
    };
    let mut card = VCard {
        entries: vec![VCardEntry::new(VCardProperty::Bday).with_value(birthday_value(b))],
    };
    let v4 = written(&card, VCardVersion::V4_0);
    assert!(v4.contains("BDAY:--0229"), "{v4}");
    year_less_as_apple(&mut card);
    let v3 = written(&card, VCardVersion::V3_0);
    assert!(v3.contains("X-APPLE-OMIT-YEAR=1604"), "{v3}");
    assert!(v3.contains("1604"), "{v3}");
    for text in [v4, v3] {
        let back = parse(&text);
        let bday = back
            .entries
            .iter()
            .find(|e| e.name == VCardProperty::Bday)
            .and_then(birthday_of);
        assert_eq!(bday, Some(b), "{text}");
    }
}

#[test]
fn a_birthday_with_a_year_keeps_it_unless_apple_says_to_omit_it() {
    let read = |line: &str| {
        let card = parse(&format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n{line}\r\nEND:VCARD\r\n"
        ));
        card.entries
            .iter()
            .find(|e| e.name == VCardProperty::Bday)
            .and_then(birthday_of)
    };
    let with_year = |year| Birthday {
        month: 11,
        day: 2,
        year,
    };
    assert_eq!(read("BDAY:1988-11-02"), Some(with_year(Some(1988))));
    assert_eq!(
        read("BDAY;X-APPLE-OMIT-YEAR=1988:1988-11-02"),
        Some(with_year(None))
    );
    assert_eq!(read("BDAY:1604-11-02"), Some(with_year(None)));
    let mut kept = VCard {
        entries: vec![
            VCardEntry::new(VCardProperty::Bday).with_value(birthday_value(with_year(Some(1988))))
        ],
    };
    year_less_as_apple(&mut kept);
    assert!(!written(&kept, VCardVersion::V3_0).contains("OMIT"));
}

#[test]
fn kiths_own_properties_are_found_in_any_case() {
    let card = parse("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\r\nx-kith-cadence:21\r\nEND:VCARD\r\n");
    assert!(has_kith(&card));
    assert_eq!(kith(&card, CADENCE).as_deref(), Some("21"));
    assert_eq!(kith(&card, CIRCLE), None);
    assert!(is(&card.entries[2], &VCardProperty::Other(CADENCE.into())));
    let plain = parse("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\r\nEND:VCARD\r\n");
    assert!(!has_kith(&plain));
    assert!(matches!(
        &other(CIRCLE, "close").values[..],
        [VCardValue::Text(t)] if t == "close"
    ));
}

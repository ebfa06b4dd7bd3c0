use super::*;

fn named(name: &str) -> ContactInput {
    ContactInput {
        display_name: name.into(),
        ..ContactInput::default()
    }
}

fn field_of(result: Result<ContactInput>) -> &'static str {
    match result {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn trims_and_drops_empty_optionals() {
    let c = ContactInput {
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
        ..ContactInput::default()
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
        let c = ContactInput {
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
    let c = ContactInput {
        emails: vec![e("ana@x.org"), e("ANA@x.org")],
        ..named("Ana")
    };
    assert_eq!(field_of(c.validated()), "emails");
}

#[test]
fn phones_need_digits() {
    let p = |v: &str| ContactInput {
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
    let c = ContactInput {
        notes: Some("x".repeat(MAX_NOTES_CHARS + 1)),
        ..named("Ana")
    };
    assert_eq!(field_of(c.validated()), "notes");
}

#[test]
fn too_many_entries_are_rejected() {
    let c = ContactInput {
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
fn time_zones_must_be_iana_names() {
    let tz = |z: &str| ContactInput {
        time_zone: Some(z.into()),
        ..named("Ana")
    };
    assert_eq!(
        tz(" America/Sao_Paulo ")
            .validated()
            .unwrap()
            .time_zone
            .as_deref(),
        Some("America/Sao_Paulo")
    );
    assert_eq!(field_of(tz("Mars/Olympus_Mons").validated()), "timeZone");
    assert_eq!(field_of(tz("GMT+25").validated()), "timeZone");
}

#[test]
fn birthdays_must_exist() {
    let b = |month, day, year| ContactInput {
        birthday: Some(Birthday { month, day, year }),
        ..named("Ana")
    };
    assert!(b(2, 29, None).validated().is_ok());
    assert!(b(2, 29, Some(1996)).validated().is_ok());
    assert_eq!(field_of(b(2, 29, Some(1997)).validated()), "birthday");
    assert_eq!(field_of(b(13, 1, None).validated()), "birthday");
    assert_eq!(field_of(b(4, 31, None).validated()), "birthday");
    assert_eq!(field_of(b(1, 1, Some(1066)).validated()), "birthday");
}

#[test]
fn birthdays_round_trip_through_their_stored_form() {
    for b in [
        Birthday {
            month: 3,
            day: 7,
            year: None,
        },
        Birthday {
            month: 12,
            day: 31,
            year: Some(1988),
        },
    ] {
        assert_eq!(Birthday::from_db(&b.to_db()), Some(b));
    }
    assert_eq!(Birthday::from_db("--03-07").map(|b| b.year), Some(None));
    assert_eq!(Birthday::from_db("junk"), None);
}

#[test]
fn cadence_is_bounded() {
    let c = |days| ContactInput {
        cadence_days: Some(days),
        ..named("Ana")
    };
    assert!(c(1).validated().is_ok());
    assert!(c(MAX_CADENCE_DAYS).validated().is_ok());
    assert_eq!(field_of(c(0).validated()), "cadenceDays");
    assert_eq!(field_of(c(MAX_CADENCE_DAYS + 1).validated()), "cadenceDays");
}

#[test]
fn tags_are_trimmed_and_kept_once() {
    let c = ContactInput {
        tags: vec![
            " former colleague ".into(),
            "Former Colleague".into(),
            "".into(),
            "rust".into(),
        ],
        ..named("Ana")
    };
    assert_eq!(c.validated().unwrap().tags, ["former colleague", "rust"]);
    let too_many = ContactInput {
        tags: (0..=MAX_TAGS).map(|i| format!("t{i}")).collect(),
        ..named("Ana")
    };
    assert_eq!(field_of(too_many.validated()), "tags");
}

#[test]
fn phones_become_tel_links() {
    assert_eq!(
        tel_link(" +351 912 345 678").as_deref(),
        Some("tel:+351912345678")
    );
    assert_eq!(
        tel_link("(555) 010-2030").as_deref(),
        Some("tel:5550102030")
    );
    assert_eq!(tel_link("12"), None);
}

#[test]
fn links_have_no_spaces() {
    let l = |v: &str| ContactInput {
        links: vec![LabeledValue {
            label: "LinkedIn".into(),
            value: v.into(),
        }],
        ..named("Ana")
    };
    assert!(l("https://www.linkedin.com/in/ana-lima")
        .validated()
        .is_ok());
    assert_eq!(field_of(l("ana lima on linkedin").validated()), "links");
}

#[test]
fn unknown_enum_values_in_ipc_json_are_refused() {
    for json in [
        r#"{"displayName":"Ana","circle":"besties"}"#,
        r#"{"displayName":"Ana","preferredChannel":"pigeon"}"#,
        r#"{"displayName":"Ana","cadenceDays":-3}"#,
    ] {
        assert!(
            serde_json::from_str::<ContactInput>(json).is_err(),
            "{json}"
        );
    }
}

#[test]
fn unknown_fields_in_ipc_json_are_refused() {
    let parsed: std::result::Result<ContactInput, _> =
        serde_json::from_str(r#"{"displayName":"Ana","isAdmin":true}"#);
    assert!(parsed.is_err());
}

//! Merging what a file says about someone into what Kith knows, field by field: empty
//! fields filled, emails, phones, links and tags as sets, the file's value only where the
//! user takes it; and the summary of what a merge adds and where the two disagree. Pure;
//! sync will merge server copies the same way.

use super::identity::Listed;
use super::plan::Conflict;
use crate::model::{self, ContactField, ContactInput};

/// `current` with what `incoming` adds: empty fields filled, new emails, phones, links and
/// tags appended, and the file's value for each field in `take`. The user's settings
/// (circle, cadence, channel) stay Kith's.
pub fn merge(
    current: &ContactInput,
    incoming: &ContactInput,
    take: &[ContactField],
) -> ContactInput {
    let mut out = current.clone();
    fill(&mut out, incoming, take, |f| !f.is_setting());
    for list in Listed::ALL {
        let into = list.of_mut(&mut out);
        for v in list.of(incoming) {
            if into.len() < model::MAX_ENTRIES
                && !into
                    .iter()
                    .any(|x| list.key(&x.value) == list.key(&v.value))
            {
                into.push(v.clone());
            }
        }
    }
    for t in &incoming.tags {
        if out.tags.len() < model::MAX_TAGS
            && !out
                .tags
                .iter()
                .any(|x| x.to_lowercase() == t.to_lowercase())
        {
            out.tags.push(t.clone());
        }
    }
    out
}

/// Each field of `out` that `which` names filled from `from` where `out` has none, or where
/// the user takes `from`'s value (`take`) and it has one.
pub(crate) fn fill(
    out: &mut ContactInput,
    from: &ContactInput,
    take: &[ContactField],
    which: impl Fn(ContactField) -> bool,
) {
    for f in ContactField::ALL.into_iter().filter(|f| which(*f)) {
        let empty = f.value(out).is_none_or(|t| t.trim().is_empty());
        if f.value(from).is_some() && (empty || take.contains(&f)) {
            f.copy(out, from);
        }
    }
}

/// What a merge adds, in words, and where the two disagree.
pub fn differences(
    current: &ContactInput,
    merged: &ContactInput,
    incoming: &ContactInput,
) -> (Vec<String>, Vec<Conflict>) {
    let mut adds = Vec::new();
    let mut conflicts = Vec::new();
    for f in ContactField::ALL.into_iter().filter(|f| !f.is_setting()) {
        let (now, after, theirs) = (f.shown(current), f.shown(merged), f.shown(incoming));
        if now != after {
            adds.push(format!(
                "{} {}",
                f.label(),
                quoted(&after.unwrap_or_default())
            ));
        } else if let (Some(now), Some(theirs)) = (now, theirs) {
            if now.trim() != theirs.trim() {
                conflicts.push(Conflict {
                    field: f,
                    current: now,
                    incoming: theirs,
                });
            }
        }
    }
    for list in Listed::ALL {
        let (before, after) = (list.of(current), list.of(merged));
        for v in &after[before.len().min(after.len())..] {
            adds.push(format!("{} {}", list.word(), quoted(&v.value)));
        }
    }
    for t in &merged.tags[current.tags.len().min(merged.tags.len())..] {
        adds.push(format!("tag {}", quoted(t)));
    }
    (adds, conflicts)
}

/// A value as a merge summary shows it: quoted, on one line, long text cut.
fn quoted(value: &str) -> String {
    let line = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut shown: String = line.chars().take(60).collect();
    if line.chars().count() > 60 {
        shown.push('…');
    }
    format!("“{shown}”")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Birthday, LabeledValue};

    fn lv(value: &str) -> LabeledValue {
        LabeledValue {
            label: String::new(),
            value: value.into(),
        }
    }

    fn priya() -> ContactInput {
        ContactInput {
            display_name: "Priya Raman".into(),
            company: Some("Acme".into()),
            emails: vec![lv("priya@acme.example")],
            phones: vec![lv("+44 7700 900123")],
            tags: vec!["Rust".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_merge_fills_what_is_empty_and_keeps_what_kith_has() {
        let incoming = ContactInput {
            display_name: "Priya R.".into(),
            company: Some("Globex".into()),
            role: Some("CTO".into()),
            emails: vec![lv("PRIYA@acme.example"), lv("p@home.example")],
            phones: vec![lv("+44 (7700) 900-123")],
            links: vec![lv("https://www.linkedin.com/in/priya-raman/")],
            tags: vec!["rust".into(), "Mentors".into()],
            ..Default::default()
        };
        let merged = merge(&priya(), &incoming, &[]);
        assert_eq!(merged.display_name, "Priya Raman");
        assert_eq!(merged.company.as_deref(), Some("Acme"));
        assert_eq!(merged.role.as_deref(), Some("CTO"));
        let values = |v: &[LabeledValue]| v.iter().map(|v| v.value.clone()).collect::<Vec<_>>();
        assert_eq!(
            values(&merged.emails),
            ["priya@acme.example", "p@home.example"]
        );
        assert_eq!(
            values(&merged.phones),
            ["+44 7700 900123"],
            "same digits, one phone"
        );
        assert_eq!(merged.tags, ["Rust", "Mentors"]);

        let (adds, conflicts) = differences(&priya(), &merged, &incoming);
        assert_eq!(
            adds,
            [
                "role “CTO”",
                "email “p@home.example”",
                "link “https://www.linkedin.com/in/priya-raman/”",
                "tag “Mentors”"
            ]
        );
        let fields: Vec<ContactField> = conflicts.iter().map(|c| c.field).collect();
        assert_eq!(fields, [ContactField::DisplayName, ContactField::Company]);
        assert_eq!(
            (
                conflicts[1].current.as_str(),
                conflicts[1].incoming.as_str()
            ),
            ("Acme", "Globex")
        );
    }

    #[test]
    fn a_birthday_is_said_in_words_not_in_its_stored_form() {
        let incoming = ContactInput {
            birthday: Some(Birthday {
                month: 4,
                day: 17,
                year: None,
            }),
            ..priya()
        };
        let merged = merge(&priya(), &incoming, &[]);
        let (adds, _) = differences(&priya(), &merged, &incoming);
        assert_eq!(adds, ["birthday “17 April”"]);
        let older = ContactInput {
            birthday: Some(Birthday {
                month: 4,
                day: 18,
                year: Some(1990),
            }),
            ..priya()
        };
        let (_, conflicts) = differences(&merged, &merged, &older);
        assert_eq!(
            (
                conflicts[0].current.as_str(),
                conflicts[0].incoming.as_str()
            ),
            ("17 April", "18 April 1990")
        );
    }

    #[test]
    fn a_field_the_user_takes_comes_from_the_file() {
        let incoming = ContactInput {
            display_name: "Priya Raman".into(),
            company: Some("Globex".into()),
            ..Default::default()
        };
        let merged = merge(&priya(), &incoming, &[ContactField::Company]);
        assert_eq!(merged.company.as_deref(), Some("Globex"));
        // Taking a field the file leaves empty keeps Kith's value.
        let merged = merge(&priya(), &incoming, &[ContactField::Notes]);
        assert_eq!(merged.notes, None);
        assert_eq!(merged, merge(&priya(), &incoming, &[]));
        // Merging with itself changes nothing and says nothing.
        let same = merge(&priya(), &priya(), &[]);
        assert_eq!(same, priya());
        assert_eq!(differences(&priya(), &same, &priya()), (vec![], vec![]));
    }

    #[test]
    fn a_value_written_another_way_is_not_added_twice() {
        let current = ContactInput {
            links: vec![lv("https://priya.example/")],
            ..priya()
        };
        let incoming = ContactInput {
            emails: vec![lv("mailto:Priya@Acme.example")],
            phones: vec![lv("tel:+447700900123")],
            links: vec![lv("http://priya.example")],
            ..priya()
        };
        let merged = merge(&current, &incoming, &[]);
        assert_eq!(merged, current);
        assert_eq!(
            differences(&current, &merged, &incoming).0,
            Vec::<String>::new()
        );
    }

    #[test]
    fn long_values_are_cut_in_the_summary() {
        assert_eq!(quoted("a\n  b"), "“a b”");
        let long = "x".repeat(80);
        assert_eq!(quoted(&long), format!("“{}…”", "x".repeat(60)));
    }
}

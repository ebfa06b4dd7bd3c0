//! Who is who: the keys that identify a person across files and Kith (a LinkedIn profile,
//! an email, a phone's digits, a name without case, accents or word order), the one way two
//! emails, phones or links are found to be the same value, the index of everyone known by
//! them, and when two people with one name may still be two. Pure: the store fills the index
//! from the database.

use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::plan::MatchedBy;
use crate::model::{ContactInput, LabeledValue};

/// A LinkedIn profile address reduced to what identifies it: "in/priya-raman".
pub fn linkedin_key(url: &str) -> Option<String> {
    let lower = url.trim().to_lowercase();
    let at = lower.find("linkedin.com/")?;
    let path = &lower[at + "linkedin.com/".len()..];
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.trim_end_matches('/');
    path.starts_with("in/").then(|| path.to_owned())
}

/// Digits of a phone number, when there are enough to tell people apart: a `tel:` in front,
/// spaces and punctuation do not count, and a leading + is no digit. "0049 30…" is not
/// "+49 30…": the 00 is dialled, so the digits differ.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 6).then_some(digits)
}

/// An email address as compared: without spaces around it, case or a `mailto:` in front.
pub fn email_key(email: &str) -> String {
    let lower = email.trim().to_lowercase();
    match lower.strip_prefix("mailto:") {
        Some(address) => address.trim().to_owned(),
        None => lower,
    }
}

/// A link as compared: a LinkedIn profile by its name ([`linkedin_key`]), any other link
/// without spaces around it, case, its `http://` or `https://`, or slashes at the end.
pub fn link_key(url: &str) -> String {
    if let Some(profile) = linkedin_key(url) {
        return profile;
    }
    let lower = url.trim().to_lowercase();
    let bare = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
        .unwrap_or(&lower);
    bare.trim_end_matches('/').to_owned()
}

/// The lists of values a contact has, each compared by its own key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    Emails,
    Phones,
    Links,
}

impl Listed {
    pub const ALL: [Listed; 3] = [Listed::Emails, Listed::Phones, Listed::Links];

    /// One value of the list in words ("email").
    pub fn word(self) -> &'static str {
        match self {
            Listed::Emails => "email",
            Listed::Phones => "phone",
            Listed::Links => "link",
        }
    }

    pub fn of(self, c: &ContactInput) -> &[LabeledValue] {
        match self {
            Listed::Emails => &c.emails,
            Listed::Phones => &c.phones,
            Listed::Links => &c.links,
        }
    }

    pub fn of_mut(self, c: &mut ContactInput) -> &mut Vec<LabeledValue> {
        match self {
            Listed::Emails => &mut c.emails,
            Listed::Phones => &mut c.phones,
            Listed::Links => &mut c.links,
        }
    }

    /// The key two values of the list share when they are one: [`email_key`], [`link_key`],
    /// a phone's [`phone_key`] (a number too short for one, by its text).
    pub fn key(self, value: &str) -> String {
        match self {
            Listed::Emails => email_key(value),
            Listed::Phones => phone_key(value).unwrap_or_else(|| value.trim().to_owned()),
            Listed::Links => link_key(value),
        }
    }
}

/// A name without case, accents, punctuation or word order: "Núñez, José" → "jose nunez".
pub fn name_key(name: &str) -> String {
    let folded: String = name
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    words.sort_unstable();
    words.join(" ")
}

/// Who is who, by each key: filled from the database, then by the file's new records (their
/// "ids" are `-(index + 1)` so they never clash with a contact's).
#[derive(Default)]
pub struct Index {
    linkedin: HashMap<String, i64>,
    emails: HashMap<String, i64>,
    phones: HashMap<String, i64>,
    names: HashMap<String, Vec<i64>>,
}

impl Index {
    /// Adds contact `id`'s LinkedIn profile at `url` (other links identify nobody).
    pub fn add_link(&mut self, id: i64, url: &str) {
        if let Some(k) = linkedin_key(url) {
            self.linkedin.entry(k).or_insert(id);
        }
    }

    pub fn add_email(&mut self, id: i64, email: &str) {
        self.emails.entry(email_key(email)).or_insert(id);
    }

    pub fn add_phone(&mut self, id: i64, phone: &str) {
        if let Some(k) = phone_key(phone) {
            self.phones.entry(k).or_insert(id);
        }
    }

    pub fn add_name(&mut self, id: i64, name: &str) {
        self.names.entry(name_key(name)).or_default().push(id);
    }

    /// Adds everything that identifies `c` as `id`.
    pub fn add(&mut self, id: i64, c: &ContactInput) {
        for l in &c.links {
            self.add_link(id, &l.value);
        }
        for e in &c.emails {
            self.add_email(id, &e.value);
        }
        for p in &c.phones {
            self.add_phone(id, &p.value);
        }
        self.add_name(id, &c.display_name);
    }

    /// The contact `c` is, by its strongest key; a name alone needs `same_person` to agree.
    pub fn find(
        &self,
        c: &ContactInput,
        same_person: impl Fn(i64) -> bool,
    ) -> Option<(i64, MatchedBy)> {
        let by = |found: Option<&i64>, how| found.map(|id| (*id, how));
        c.links
            .iter()
            .find_map(|l| {
                by(
                    self.linkedin.get(&linkedin_key(&l.value)?),
                    MatchedBy::LinkedIn,
                )
            })
            .or_else(|| {
                c.emails
                    .iter()
                    .find_map(|e| by(self.emails.get(&email_key(&e.value)), MatchedBy::Email))
            })
            .or_else(|| {
                c.phones
                    .iter()
                    .find_map(|p| by(self.phones.get(&phone_key(&p.value)?), MatchedBy::Phone))
            })
            .or_else(|| {
                self.names
                    .get(&name_key(&c.display_name))?
                    .iter()
                    .find(|id| same_person(**id))
                    .map(|id| (*id, MatchedBy::Name))
            })
    }
}

/// What tells people apart when their names are the same: their emails and LinkedIn
/// profiles.
#[derive(Debug, Default)]
pub struct Identity {
    emails: Vec<String>,
    profiles: Vec<String>,
}

impl Identity {
    pub fn of(c: &ContactInput) -> Identity {
        Identity {
            emails: c.emails.iter().map(|e| email_key(&e.value)).collect(),
            profiles: c
                .links
                .iter()
                .filter_map(|l| linkedin_key(&l.value))
                .collect(),
        }
    }

    /// Whether two people with the same name may be one: not when both have emails or
    /// LinkedIn profiles and share none.
    pub fn may_be(&self, other: &Identity) -> bool {
        let differ = |x: &[String], y: &[String]| {
            !x.is_empty() && !y.is_empty() && !x.iter().any(|v| y.contains(v))
        };
        !differ(&self.emails, &other.emails) && !differ(&self.profiles, &other.profiles)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LabeledValue;

    fn person(
        name: &str,
        email: Option<&str>,
        phone: Option<&str>,
        profile: Option<&str>,
    ) -> ContactInput {
        let lv = |v: Option<&str>| {
            v.map(|v| LabeledValue {
                label: String::new(),
                value: v.into(),
            })
            .into_iter()
            .collect()
        };
        ContactInput {
            display_name: name.into(),
            emails: lv(email),
            phones: lv(phone),
            links: lv(profile),
            ..Default::default()
        }
    }

    #[test]
    fn near_same_names_share_a_key() {
        assert_eq!(name_key("José  Núñez"), name_key("jose nunez"));
        assert_eq!(name_key("Núñez, José"), name_key("José Núñez"));
        assert_ne!(name_key("Jose Nunez"), name_key("Josefa Nunez"));
        assert_eq!(
            linkedin_key("https://uk.linkedin.com/in/Priya-Raman/?trk=x").as_deref(),
            Some("in/priya-raman")
        );
        assert_eq!(linkedin_key("https://www.linkedin.com/company/acme"), None);
        assert_eq!(
            phone_key("+44 (0)20 7946-0000").as_deref(),
            Some("4402079460000")
        );
        assert_eq!(phone_key("ext. 12"), None);
    }

    /// Each list's value written several ways is one value; the last of each is another.
    #[test]
    fn one_value_however_it_is_written() {
        let cases: [(Listed, &[&str], &str); 3] = [
            (
                Listed::Emails,
                &[
                    "priya@acme.example",
                    "Priya@ACME.example",
                    "  priya@acme.example ",
                    "mailto:priya@acme.example",
                    "MAILTO:Priya@Acme.Example",
                ],
                "p.riya@acme.example",
            ),
            (
                Listed::Phones,
                &[
                    "+44 20 7946 0018",
                    "+44 (20) 7946-0018",
                    "tel:+442079460018",
                    " 44.20.7946.0018 ",
                ],
                // A dialled 00 is digits.
                "0044 20 7946 0018",
            ),
            (
                Listed::Links,
                &[
                    "https://priya.example/blog",
                    "https://priya.example/blog/",
                    "http://priya.example/blog",
                    "HTTPS://Priya.Example/Blog//",
                    " https://priya.example/blog ",
                ],
                "https://priya.example/blog/2",
            ),
        ];
        for (list, ways, other) in cases {
            let key = list.key(ways[0]);
            for way in ways {
                assert_eq!(list.key(way), key, "{list:?} {way}");
            }
            assert_ne!(list.key(other), key, "{list:?} {other}");
        }
        assert_eq!(email_key(" MailTo:A@B.example"), "a@b.example");
        assert_eq!(link_key("http://a.example/"), "a.example");
    }

    #[test]
    fn a_phone_identifies_by_six_digits_and_a_link_only_as_a_profile() {
        assert_eq!(
            phone_key("tel:+44 20 7946 0018").as_deref(),
            Some("442079460018")
        );
        assert_eq!(phone_key("112"), None, "too short to tell people apart");
        // In a contact's own list a short number is still one number, by its text.
        assert_eq!(Listed::Phones.key(" 112 "), Listed::Phones.key("112"));
        assert_ne!(Listed::Phones.key("112"), Listed::Phones.key("999"));
        // A LinkedIn profile is its name, wherever it is served from.
        assert_eq!(
            link_key("https://uk.linkedin.com/in/Priya-Raman/?trk=x"),
            "in/priya-raman"
        );
        assert_eq!(
            link_key("http://www.linkedin.com/in/priya-raman"),
            "in/priya-raman"
        );
        assert_eq!(linkedin_key("https://priya.example/in/x"), None);
    }

    #[test]
    fn the_strongest_key_wins_and_a_name_alone_needs_agreement() {
        let mut index = Index::default();
        index.add(
            1,
            &person("Priya Raman", Some("priya@acme.example"), None, None),
        );
        index.add(2, &person("Jonas Berg", None, Some("+49 30 1234567"), None));
        index.add(
            3,
            &person(
                "Ana Lima",
                None,
                None,
                Some("https://linkedin.com/in/ana-lima"),
            ),
        );
        index.add(4, &person("Priya Raman", None, None, None));
        let found = |c: &ContactInput, agree: bool| index.find(c, |_| agree);
        // The profile beats the email, the email beats the phone.
        let both = person(
            "P. R.",
            Some("PRIYA@acme.example"),
            None,
            Some("https://www.linkedin.com/in/ana-lima/"),
        );
        assert_eq!(found(&both, false), Some((3, MatchedBy::LinkedIn)));
        assert_eq!(
            found(
                &person("P. R.", Some("Priya@Acme.example"), None, None),
                false
            ),
            Some((1, MatchedBy::Email))
        );
        assert_eq!(
            found(&person("J", None, Some("0049 (30) 1234567"), None), false),
            None,
            "other digits are another number"
        );
        assert_eq!(
            found(&person("J", None, Some("+49-30-1234567"), None), false),
            Some((2, MatchedBy::Phone))
        );
        // By name, the first one the caller agrees is the same person.
        assert_eq!(
            found(&person("raman, priya", None, None, None), true),
            Some((1, MatchedBy::Name))
        );
        assert_eq!(
            found(&person("raman, priya", None, None, None), false),
            None
        );
    }

    #[test]
    fn one_name_may_still_be_two_people() {
        let a = Identity::of(&person("Priya Raman", Some("p@one.example"), None, None));
        let b = Identity::of(&person("Priya Raman", Some("p@two.example"), None, None));
        let c = Identity::of(&person("Priya Raman", None, None, None));
        assert!(!a.may_be(&b), "both have emails and share none");
        assert!(
            a.may_be(&c) && c.may_be(&b),
            "one knows nothing to tell them apart"
        );
        let d = Identity::of(&person("Priya Raman", Some("P@ONE.example"), None, None));
        assert!(a.may_be(&d));
    }
}

//! Who is who: the keys that identify a person across files and Kith (a LinkedIn profile,
//! an email, a phone's digits, a name without case, accents or word order), the index of
//! everyone known by them, and when two people with one name may still be two. Pure: the
//! store fills the index from the database.

use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::plan::MatchedBy;
use crate::model::ContactInput;

/// A LinkedIn profile address reduced to what identifies it: "in/priya-raman".
pub fn linkedin_key(url: &str) -> Option<String> {
    let lower = url.trim().to_lowercase();
    let at = lower.find("linkedin.com/")?;
    let path = &lower[at + "linkedin.com/".len()..];
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.trim_end_matches('/');
    path.starts_with("in/").then(|| path.to_owned())
}

/// Digits of a phone number, when there are enough to tell people apart.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 6).then_some(digits)
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
        self.emails.entry(email.to_lowercase()).or_insert(id);
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
                    .find_map(|e| by(self.emails.get(&e.value.to_lowercase()), MatchedBy::Email))
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
            emails: c.emails.iter().map(|e| e.value.to_lowercase()).collect(),
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

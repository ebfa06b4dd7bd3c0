//! People who may be one person entered twice (two imports, a typo, a new company), found by
//! the keys an import matches on — the same LinkedIn profile, email or phone, the same name,
//! or names one letter apart — and how two of them become one. Below those sure pairs come
//! the "maybe" ones: the commonest real duplicate has a work email in one record and a
//! personal one in the other, so similar names with different emails are offered when the
//! two also share a company or a tag. Every pair is found through a key (an email, a name,
//! a company with a family name), never by comparing everyone with everyone. Pure: the store
//! loads who is who and carries a merge out.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::import::identity::{email_key, linkedin_key, name_key, phone_key, Identity};
use crate::import::merge::{fill, merge};
use crate::import::Conflict;
use crate::model::{Circle, Contact, ContactField, ContactInput, ContactSummary};

/// A key shared by more people than this identifies none of them (an office switchboard, a
/// team's mailbox, a common name in this network).
pub const MAX_SHARING: usize = 6;

/// Names shorter than this (as keys) are too short for "one letter apart" to mean a typo.
const MIN_SIMILAR: usize = 7;

/// Why two people may be one, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SameBy {
    LinkedIn,
    Email,
    Phone,
    Name,
    SimilarName,
}

/// Two people who may be one: the one Kith would keep (the longer history, else the first
/// added) and the other, why, and the value they share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DuplicatePair {
    pub keep: ContactSummary,
    pub other: ContactSummary,
    pub by: SameBy,
    /// The email, phone, profile or name they share (for a similar name, the other's).
    pub value: String,
    /// Not sure: the names are alike but their emails differ (or their names only start
    /// alike), and they share a company or a tag. Listed after the sure pairs.
    pub maybe: bool,
    /// The company both are at, as the kept one spells it.
    #[ts(optional = nullable)]
    pub same_company: Option<String>,
    /// The tags both have.
    pub same_tags: Vec<String>,
}

/// The likely pairs, strongest first, and how many more there are than are listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Duplicates {
    pub pairs: Vec<DuplicatePair>,
    pub more: u32,
}

/// What moves from the other contact to the one kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Moves {
    /// Touches (interactions, connections included).
    pub touches: u32,
    pub follow_ups: u32,
    pub reminders: u32,
    pub events: u32,
}

/// What merging `other` into `keep` would do: the contact as it would be, what it gains,
/// the fields where the two disagree (the kept one's value stays unless the user takes the
/// other's), and what moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MergePreview {
    pub keep: Contact,
    pub other: Contact,
    /// How many touches each has (connections included): with their emails, phones,
    /// birthday and last touch, what tells two people apart.
    pub keep_touches: u32,
    pub other_touches: u32,
    pub merged: ContactInput,
    pub adds: Vec<String>,
    pub conflicts: Vec<Conflict>,
    pub moves: Moves,
}

/// A merge done: the contact kept as it now is, the name of the one merged into it, what
/// moved, and the id that undoes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MergeReport {
    #[ts(type = "number")]
    pub merge_id: i64,
    pub kept: Contact,
    /// The id the other contact had (it no longer exists).
    #[ts(type = "number")]
    pub other_id: i64,
    pub other_name: String,
    pub moves: Moves,
}

/// A merge done earlier, as Settings lists it: who went into whom, when, and whether it can
/// still be undone (not once undone, nor once the kept contact changed since).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MergeSummary {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub kept_id: i64,
    pub kept_name: String,
    pub other_name: String,
    pub created_at: DateTime<Utc>,
    #[ts(optional = nullable)]
    pub undone_at: Option<DateTime<Utc>>,
    pub can_undo: bool,
}

/// Someone as the search for duplicates sees them: their id and what identifies them (a
/// name, emails, phones, links, company and tags; the rest of the input is empty).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub person: ContactInput,
}

/// A pair of candidates' ids (smaller first), why they may be one and the value shared,
/// whether it is only a maybe, and the company and tags they share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Likely {
    pub a: i64,
    pub b: i64,
    pub by: SameBy,
    pub value: String,
    pub maybe: bool,
    pub same_company: Option<String>,
    pub same_tags: Vec<String>,
}

/// Every pair of `people` who may be one person, by their strongest reason: the sure pairs
/// strongest first, then the maybes; pairs in `apart` (the user said they are two people)
/// are left out.
pub fn likely_pairs(people: &[Candidate], apart: &HashSet<(i64, i64)>) -> Vec<Likely> {
    let mut found: HashMap<(i64, i64), Likely> = HashMap::new();
    let mut offer = |x: &Candidate, y: &Candidate, by: SameBy, value: &str, maybe: bool| {
        let key = (x.id.min(y.id), x.id.max(y.id));
        if x.id == y.id || apart.contains(&key) {
            return;
        }
        let stronger = found
            .get(&key)
            .is_none_or(|l| (maybe, by) < (l.maybe, l.by));
        if stronger {
            let (same_company, same_tags) = shared(&x.person, &y.person);
            found.insert(
                key,
                Likely {
                    a: key.0,
                    b: key.1,
                    by,
                    value: value.to_owned(),
                    maybe,
                    same_company,
                    same_tags,
                },
            );
        }
    };

    // The same profile, email or phone.
    type ValuesOf = fn(&ContactInput) -> Vec<&str>;
    type KeyOf = fn(&str) -> Option<String>;
    let kinds: [(SameBy, ValuesOf, KeyOf); 3] = [
        (SameBy::LinkedIn, |c| values(&c.links), linkedin_key),
        (SameBy::Email, |c| values(&c.emails), |e| Some(email_key(e))),
        (SameBy::Phone, |c| values(&c.phones), phone_key),
    ];
    for (by, of, key) in kinds {
        let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in people.iter().enumerate() {
            let mut keys: Vec<String> = of(&p.person).into_iter().filter_map(key).collect();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                groups.entry(k).or_default().push(i);
            }
        }
        for (k, members) in groups.iter().filter(|(_, m)| sharing(m.len())) {
            for (n, &x) in members.iter().enumerate() {
                // Shown as the first of the two spells it.
                let shown = of(&people[x].person)
                    .into_iter()
                    .find(|v| key(v).as_ref() == Some(k))
                    .unwrap_or(k);
                for &y in &members[n + 1..] {
                    offer(&people[x], &people[y], by, shown, false);
                }
            }
        }
    }

    // The same name, or names one letter apart, unless what they have tells them apart.
    let identities: Vec<Identity> = people.iter().map(|p| Identity::of(&p.person)).collect();
    let mut names: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        names
            .entry(name_key(&p.person.display_name))
            .or_default()
            .push(i);
    }
    let names: Vec<(String, Vec<usize>)> = names
        .into_iter()
        .filter(|(k, m)| !k.is_empty() && m.len() <= MAX_SHARING)
        .collect();
    let mut pair_names = |g: &[usize], h: &[usize], by: SameBy| {
        for &x in g {
            for &y in h {
                if x >= y {
                    continue;
                }
                let (p, q) = (&people[x].person, &people[y].person);
                let maybe = if identities[x].may_be(&identities[y]) {
                    false
                } else if maybe_one(p, q) {
                    true
                } else {
                    continue;
                };
                offer(&people[x], &people[y], by, &q.display_name, maybe);
            }
        }
    };
    for (_, members) in &names {
        pair_names(members, members, SameBy::Name);
    }
    for (g, h) in one_letter_apart(&names) {
        pair_names(&names[g].1, &names[h].1, SameBy::SimilarName);
        pair_names(&names[h].1, &names[g].1, SameBy::SimilarName);
    }

    // At one company, the same family name and one given name the start of the other's
    // ("Dan" and "Daniel"): a maybe, bucketed by company, family name and first letters.
    let mut colleagues: HashMap<(String, String, String), Vec<(usize, String)>> = HashMap::new();
    let mut companies: HashMap<&str, String> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        let Some(company) = p.person.company.as_deref() else {
            continue;
        };
        let company = companies.entry(company).or_insert_with(|| fold(company));
        if company.is_empty() {
            continue;
        }
        let name = fold(&p.person.display_name);
        let mut words = name.split(' ');
        let (Some(given), Some(family)) = (words.next(), words.next_back()) else {
            continue;
        };
        if given.chars().count() < MIN_GIVEN {
            continue;
        }
        let stem: String = given.chars().take(MIN_GIVEN).collect();
        colleagues
            .entry((company.clone(), family.to_owned(), stem))
            .or_default()
            .push((i, given.to_owned()));
    }
    for members in colleagues.values().filter(|m| sharing(m.len())) {
        for (n, (x, gx)) in members.iter().enumerate() {
            for (y, gy) in &members[n + 1..] {
                let (p, q) = (&people[*x].person, &people[*y].person);
                let starts =
                    gx != gy && (gx.starts_with(gy.as_str()) || gy.starts_with(gx.as_str()));
                if starts && (identities[*x].may_be(&identities[*y]) || maybe_one(p, q)) {
                    offer(
                        &people[*x],
                        &people[*y],
                        SameBy::SimilarName,
                        &q.display_name,
                        true,
                    );
                }
            }
        }
    }

    let mut pairs: Vec<Likely> = found.into_values().collect();
    pairs.sort_by_key(|l| (l.maybe, l.by, l.a, l.b));
    pairs
}

/// Given names shorter than this do not start a nickname bucket ("Al" would match "Alice").
const MIN_GIVEN: usize = 3;

/// Lower case, accents and punctuation gone, words single-spaced and in their order (unlike
/// `name_key`, which sorts them).
fn fold(text: &str) -> String {
    let folded: String = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The company (as `a` spells it) and the tags two people share.
fn shared(a: &ContactInput, b: &ContactInput) -> (Option<String>, Vec<String>) {
    let company = match (&a.company, &b.company) {
        (Some(x), Some(y)) if !fold(x).is_empty() && fold(x) == fold(y) => {
            Some(x.trim().to_owned())
        }
        _ => None,
    };
    let tags = a
        .tags
        .iter()
        .filter(|t| b.tags.iter().any(|u| u.to_lowercase() == t.to_lowercase()))
        .cloned()
        .collect();
    (company, tags)
}

/// Whether two people whose names match but whose emails differ may still be one: the
/// commonest duplicate is a work address in one record and a personal one in the other.
/// They must share a company or a tag, have no two different LinkedIn profiles, and no two
/// different addresses at one domain (two mailboxes at one place are two people).
fn maybe_one(a: &ContactInput, b: &ContactInput) -> bool {
    let profiles = |c: &ContactInput| -> HashSet<String> {
        c.links
            .iter()
            .filter_map(|l| linkedin_key(&l.value))
            .collect()
    };
    let (pa, pb) = (profiles(a), profiles(b));
    if !pa.is_empty() && !pb.is_empty() && pa.is_disjoint(&pb) {
        return false;
    }
    let domains = |c: &ContactInput| -> HashMap<String, String> {
        c.emails
            .iter()
            .filter_map(|e| {
                let e = email_key(&e.value);
                let (_, domain) = e.rsplit_once('@')?;
                Some((domain.to_owned(), e.clone()))
            })
            .collect()
    };
    let (da, db) = (domains(a), domains(b));
    if da.iter().any(|(d, e)| db.get(d).is_some_and(|f| f != e)) {
        return false;
    }
    let (company, tags) = shared(a, b);
    company.is_some() || !tags.is_empty()
}

fn values(v: &[crate::model::LabeledValue]) -> Vec<&str> {
    v.iter().map(|l| l.value.as_str()).collect()
}

/// Whether a key shared by `n` people may identify one person.
fn sharing(n: usize) -> bool {
    (2..=MAX_SHARING).contains(&n)
}

/// The pairs of `names` (indexes, first < second) whose keys are one edit apart — a letter
/// more, less, changed, or two side by side swapped — found through the keys with one
/// letter left out (two keys one edit apart share such a variant), not by comparing every
/// pair.
fn one_letter_apart(names: &[(String, Vec<usize>)]) -> Vec<(usize, usize)> {
    let hasher = BuildHasherDefault::<DefaultHasher>::default();
    let mut variants: Vec<(u64, usize)> = Vec::new();
    let chars: Vec<Vec<char>> = names.iter().map(|(k, _)| k.chars().collect()).collect();
    for (i, c) in chars.iter().enumerate() {
        if c.len() < MIN_SIMILAR - 1 {
            continue;
        }
        variants.push((hasher.hash_one(c), i));
        for left_out in 0..c.len() {
            let mut v = c.clone();
            v.remove(left_out);
            variants.push((hasher.hash_one(&v), i));
        }
    }
    variants.sort_unstable();
    let mut pairs = HashSet::new();
    for run in variants.chunk_by(|x, y| x.0 == y.0) {
        // A variant many names share is a short, common stem: no typo to find there.
        if run.len() > 4 * MAX_SHARING {
            continue;
        }
        for (n, &(_, g)) in run.iter().enumerate() {
            for &(_, h) in &run[n + 1..] {
                let (g, h) = (g.min(h), g.max(h));
                let long_enough = chars[g].len().max(chars[h].len()) >= MIN_SIMILAR;
                if g != h && long_enough && one_edit(&chars[g], &chars[h]) {
                    pairs.insert((g, h));
                }
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
    pairs.sort_unstable();
    pairs
}

/// Whether `a` becomes `b` by one letter added, removed, changed, or two neighbours swapped
/// (a digit is no letter: "Colleague 1" and "Colleague 2" are two people).
fn one_edit(a: &[char], b: &[char]) -> bool {
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[start..], &b[start..]);
    let end = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (
        &a[..a.len() - end.min(a.len())],
        &b[..b.len() - end.min(b.len())],
    );
    if !a.iter().chain(b).all(|c| c.is_alphabetic()) {
        return false;
    }
    match (a.len(), b.len()) {
        (0, 1) | (1, 0) | (1, 1) => true,
        (2, 2) => a[0] == b[1] && a[1] == b[0],
        _ => false,
    }
}

/// `keep` and `other` as one person: `keep`'s fields, empty ones filled from `other` and
/// `other`'s value where the user takes it (`take`); emails, phones, links and tags of both;
/// both notes and both "how we met" kept (nothing anyone wrote is dropped); the closer
/// circle; `keep`'s cadence and channel, else `other`'s.
pub fn merge_people(
    keep: &ContactInput,
    other: &ContactInput,
    take: &[ContactField],
) -> ContactInput {
    let mut out = merge(keep, other, take);
    let joined = |mine: &Option<String>, theirs: &Option<String>| match (mine, theirs) {
        (Some(m), Some(t)) if !t.trim().is_empty() && !m.contains(t.trim()) => {
            Some(if m.trim().is_empty() {
                t.clone()
            } else {
                format!("{}\n\n{}", m.trim_end(), t.trim())
            })
        }
        _ => None,
    };
    if let Some(notes) = joined(&keep.notes, &other.notes) {
        out.notes = Some(notes);
    }
    if let Some(met) = joined(&keep.how_we_met, &other.how_we_met) {
        out.how_we_met = Some(met);
    }
    // The settings: `keep`'s, else `other`'s (a circle is never empty: the closer one).
    fill(&mut out, other, &[], ContactField::is_setting);
    out.circle = closer(keep.circle, other.circle);
    out
}

/// The closer of two circles.
fn closer(a: Circle, b: Circle) -> Circle {
    let rank = |c: Circle| Circle::ALL.iter().position(|x| *x == c);
    if rank(b) < rank(a) {
        b
    } else {
        a
    }
}

#[cfg(test)]
mod tests;

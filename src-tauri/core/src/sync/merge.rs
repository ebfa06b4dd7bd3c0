//! Joining a contact changed in Kith and on the server since the last round, against what
//! both had then (the ancestor). A field one side changed takes that side's value; a field
//! both changed differently takes the server's, and Kith's value goes to the conflict log,
//! from where the user can restore it. Emails, phones, links and tags are sets: what either
//! side added is in, what either side removed is out (values compared by `identity`'s keys, as
//! the import compares them: emails without case, phones by their digits, LinkedIn profiles
//! by their name).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::import::identity::Listed;
use crate::model::{ContactField, ContactInput, LabeledValue};

/// One field both sides changed: the server's value was taken, Kith's kept here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncConflict {
    /// The field (stored by its name, as the contact form names it: `company`, `notes`).
    pub field: ContactField,
    /// Kith's value, set aside ("" when Kith had none).
    pub kept: String,
    /// The server's value, now the contact's.
    pub took: String,
}

/// The joined contact and the fields where the server's value won.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub contact: ContactInput,
    pub conflicts: Vec<SyncConflict>,
}

/// `local` and `remote`, both descended from `ancestor`, as one contact.
pub fn merge(ancestor: &ContactInput, local: &ContactInput, remote: &ContactInput) -> Merged {
    let mut conflicts = Vec::new();
    let mut out = remote.clone();
    for f in ContactField::ALL {
        let (a, l, r) = (f.value(ancestor), f.value(local), f.value(remote));
        if l != r {
            if r == a {
                f.copy(&mut out, local);
            } else if l != a {
                conflicts.push(SyncConflict {
                    field: f,
                    kept: l.unwrap_or_default(),
                    took: r.unwrap_or_default(),
                });
            }
        }
    }

    for list in Listed::ALL {
        *list.of_mut(&mut out) = sets(list.of(ancestor), list.of(local), list.of(remote), |v| {
            list.key(v)
        });
    }
    let tag = |t: &String| LabeledValue {
        label: String::new(),
        value: t.clone(),
    };
    let tags = |list: &[String]| list.iter().map(tag).collect::<Vec<_>>();
    out.tags = sets(
        &tags(&ancestor.tags),
        &tags(&local.tags),
        &tags(&remote.tags),
        |v| v.trim().to_lowercase(),
    )
    .into_iter()
    .map(|v| v.value)
    .collect();
    Merged {
        contact: out,
        conflicts,
    }
}

/// Sets `field` of `contact` back to `kept`, a value the conflict log holds (as [`merge`]
/// wrote it): the user chose their own value after all.
pub fn restore(contact: &mut ContactInput, field: ContactField, kept: &str) -> crate::Result<()> {
    field.set(contact, kept)
}

/// The server's values without those Kith removed, then those Kith added; a value's label
/// from the side that changed it.
fn sets(
    ancestor: &[LabeledValue],
    local: &[LabeledValue],
    remote: &[LabeledValue],
    key: impl Fn(&str) -> String,
) -> Vec<LabeledValue> {
    let find = |list: &[LabeledValue], k: &str| list.iter().find(|v| key(&v.value) == k).cloned();
    let mut out: Vec<LabeledValue> = Vec::new();
    for r in remote {
        let k = key(&r.value);
        let (was, mine) = (find(ancestor, &k), find(local, &k));
        match (was, mine) {
            // Kith removed it; the server did not touch it.
            (Some(was), None) if was == *r => continue,
            // Kith relabelled it; the server did not.
            (Some(was), Some(mine)) if was == *r && mine != *r => out.push(mine),
            _ => out.push(r.clone()),
        }
    }
    for l in local {
        let k = key(&l.value);
        let on_server = remote.iter().any(|r| key(&r.value) == k);
        if !on_server && find(ancestor, &k).is_none() && !out.iter().any(|o| key(&o.value) == k) {
            out.push(l.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests;

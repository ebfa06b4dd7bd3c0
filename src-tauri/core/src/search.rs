//! What the contact list asks for: free text and filters, all optional, and how typed text
//! becomes a safe FTS5 prefix query. Plain data that crosses IPC; the store runs it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Circle;

/// Most rows one search returns.
pub const MAX_RESULTS: u32 = 100_000;
/// Longest search text accepted.
pub const MAX_QUERY_CHARS: usize = 200;
/// How many text matches are ranked when the text is the only criterion. Ranking (bm25) is
/// most of a search's cost: over 100,000 contacts, every match of a one-letter prefix takes
/// ~20 ms, the first 2,000 ~5 ms (past §7's budget), the first 500 ~2 ms. Each letter typed
/// narrows the matches until they are all ranked; a network of a few thousand people ranks
/// every match of any prefix longer than a letter or two.
pub const RANKED_CANDIDATES: u32 = 500;

/// Which contacts to show against their cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DueFilter {
    /// Due or overdue.
    Due,
    /// Overdue only.
    Overdue,
    /// Never contacted: no touch of the user's own (imported connections aside).
    Never,
}

/// How the matches are ordered. Without one, a search with text puts the best match first
/// (see `Store::search_contacts`) and a search without text orders by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ContactSort {
    /// By name, A to Z.
    Name,
    /// The latest touch first; people never touched last.
    LastTouch,
    /// The soonest (or most overdue) due date first; people with no rhythm yet last.
    NextDue,
}

/// One tag and how many active contacts carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TagCount {
    pub name: String,
    pub count: u32,
}

/// A search: free text and filters, all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct ContactQuery {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub circle: Option<Circle>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub tag: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub company: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub due: Option<DueFilter>,
    /// Only the people kept up with (`true`: a touch of the user's own or a rhythm in
    /// force) or only the others (`false`: imported connections nobody has touched yet).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub kept: Option<bool>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub sort: Option<ContactSort>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub limit: Option<u32>,
}

/// Turns what the user typed into an FTS5 query: every word must match, each as a prefix.
/// Punctuation separates words and FTS5 syntax is never passed through.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_becomes_a_safe_prefix_query() {
        assert_eq!(fts_query("jo"), Some("\"jo\"*".into()));
        assert_eq!(fts_query("  ana   li "), Some("\"ana\"* \"li\"*".into()));
        assert_eq!(fts_query("priya@acme"), Some("\"priya\"* \"acme\"*".into()));
        assert_eq!(
            fts_query("\"NEAR(a b)\" OR *"),
            Some("\"NEAR\"* \"a\"* \"b\"* \"OR\"*".into())
        );
        assert_eq!(fts_query(" @#! "), None);
    }
}

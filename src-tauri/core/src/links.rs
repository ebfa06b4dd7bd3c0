//! Which links Kith opens: web pages (`https`, `http`), mail (`mailto`) and phone calls
//! (`tel`) — nothing else. A stored `javascript:`, `file:` or `data:` link, or anything
//! without one of those schemes, stays text: opening it would run or read something on this
//! computer.

use serde::Serialize;
use ts_rs::TS;

use crate::{Error, Result};

/// What an openable link opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum LinkKind {
    /// A web page in the browser (a LinkedIn profile among them).
    Web,
    /// The mail client.
    Mail,
    /// The phone app.
    Phone,
}

/// The longest link Kith hands to the desktop.
const MAX_LINK_CHARS: usize = 2048;

/// `url` as Kith would open it, trimmed, with what it opens; an error in words for anything
/// else.
pub fn openable(url: &str) -> Result<(LinkKind, String)> {
    let url = url.trim();
    let refuse = || {
        Err(Error::invalid(
            "url",
            "Kith opens only web pages, mail and phone links.",
        ))
    };
    if url.chars().count() > MAX_LINK_CHARS || url.chars().any(char::is_control) {
        return refuse();
    }
    let Some((scheme, rest)) = url.split_once(':') else {
        return refuse();
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" | "http" if rest.starts_with("//") && rest.len() > 2 => {
            Ok((LinkKind::Web, url.to_owned()))
        }
        "mailto" if rest.contains('@') => Ok((LinkKind::Mail, url.to_owned())),
        // Digits and a leading +, as the phone app wants them.
        "tel" => match crate::model::tel_link(rest) {
            Some(link) => Ok((LinkKind::Phone, link)),
            None => refuse(),
        },
        _ => refuse(),
    }
}

/// Whether `url` is a LinkedIn profile (shown as such on the contact page).
pub fn is_linkedin(url: &str) -> bool {
    crate::import::identity::linkedin_key(url).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_mail_and_phone_links_open_and_nothing_else_does() {
        for (url, kind) in [
            ("https://priya.dev/", LinkKind::Web),
            ("  HTTP://example.org/a?b=c ", LinkKind::Web),
            ("https://www.linkedin.com/in/priya-raman", LinkKind::Web),
            ("mailto:priya@acme.example", LinkKind::Mail),
            ("MAILTO:priya@acme.example?subject=Hello", LinkKind::Mail),
            ("tel:+44 20 7946 0018", LinkKind::Phone),
        ] {
            assert_eq!(openable(url).map(|(k, _)| k).ok(), Some(kind), "{url}");
        }
        assert_eq!(
            openable(" https://priya.dev/ ").unwrap().1,
            "https://priya.dev/"
        );
        assert_eq!(
            openable("tel:+44 20 7946 0018").unwrap().1,
            "tel:+442079460018"
        );
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:fetch('//x')",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "smb://server/share",
            "priya.dev",
            "https:",
            "https://",
            "mailto:",
            "tel:call-me",
            "",
            "https://example.org/\u{0}x",
            "https://example.org/\nx",
        ] {
            let e = openable(url).unwrap_err();
            assert!(matches!(e, Error::Invalid { .. }), "{url}: {e:?}");
        }
        assert!(openable(&format!("https://example.org/{}", "a".repeat(3000))).is_err());
    }

    #[test]
    fn a_linkedin_profile_is_recognised() {
        assert!(is_linkedin("https://www.linkedin.com/in/priya-raman/"));
        assert!(!is_linkedin("https://priya.dev/"));
    }
}

//! Small networks for tests, built the way a user would build them (through the real
//! store): `person("Priya").circle(Circle::Close).touched(InteractionKind::Call, t).add(…)`.
//! One builder for the core's tests, the command line's and the journeys'. Never used by
//! Kith itself; it is compiled always (not behind a feature) so that the app, its tests and
//! the journeys share one build of the core.

use chrono::{DateTime, Utc};

use crate::history::{InteractionInput, InteractionKind};
use crate::model::{Birthday, Circle, ContactInput, LabeledValue};
use crate::{Result, Store};

/// A contact to add, with the history a test needs.
#[derive(Debug, Clone)]
#[must_use = "a person is only stored by .add()"]
pub struct Person {
    input: ContactInput,
    touches: Vec<(InteractionKind, DateTime<Utc>)>,
}

/// A contact named `name` (network circle, no cadence of their own, no history).
pub fn person(name: &str) -> Person {
    Person {
        input: ContactInput {
            display_name: name.into(),
            ..ContactInput::default()
        },
        touches: Vec::new(),
    }
}

impl Person {
    pub fn circle(mut self, circle: Circle) -> Person {
        self.input.circle = circle;
        self
    }

    pub fn tags(mut self, tags: &[&str]) -> Person {
        self.input.tags = tags.iter().map(|t| (*t).to_owned()).collect();
        self
    }

    pub fn company(mut self, company: &str) -> Person {
        self.input.company = Some(company.into());
        self
    }

    pub fn email(mut self, email: &str) -> Person {
        self.input.emails.push(LabeledValue {
            label: String::new(),
            value: email.into(),
        });
        self
    }

    /// Keep in touch every `days` days, whatever their circle says.
    pub fn cadence(mut self, days: u32) -> Person {
        self.input.cadence_days = Some(days);
        self
    }

    /// A birthday without a year.
    pub fn birthday(mut self, month: u32, day: u32) -> Person {
        self.input.birthday = Some(Birthday {
            month,
            day,
            year: None,
        });
        self
    }

    /// A touch of `kind` with them alone at `at`, logged after they are added.
    pub fn touched(mut self, kind: InteractionKind, at: DateTime<Utc>) -> Person {
        self.touches.push((kind, at));
        self
    }

    /// Adds them to `store` as of `added`, then logs their touches; returns their id.
    pub fn add(self, store: &mut Store, added: DateTime<Utc>) -> Result<i64> {
        let id = store.add_contact(self.input, added)?.id;
        for (kind, at) in self.touches {
            touch(store, &[id], kind, at, at.max(added))?;
        }
        Ok(id)
    }
}

/// Logs a touch of `kind` at `at` with everyone in `who` (a lunch with two people), as of
/// `now`; returns its id.
pub fn touch(
    store: &mut Store,
    who: &[i64],
    kind: InteractionKind,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let input = InteractionInput {
        contact_ids: who.to_vec(),
        kind,
        occurred_at: at,
        direction: None,
        notes: None,
    };
    Ok(store.log_interaction(input, now)?.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::temp_store;

    #[test]
    fn a_person_is_added_with_what_was_asked_and_their_touches() {
        let (_dir, mut store) = temp_store();
        let added: DateTime<Utc> = "2026-10-01T10:00:00Z".parse().unwrap();
        let called: DateTime<Utc> = "2026-11-20T10:00:00Z".parse().unwrap();
        let id = person("Priya Raman")
            .circle(Circle::Close)
            .tags(&["Rust"])
            .company("Acme")
            .email("priya@acme.example")
            .cadence(21)
            .birthday(2, 29)
            .touched(InteractionKind::Call, called)
            .add(&mut store, added)
            .unwrap();
        let priya = store.get_contact(id).unwrap();
        assert_eq!(
            (priya.circle, priya.cadence_days, priya.company.as_deref()),
            (Circle::Close, Some(21), Some("Acme"))
        );
        assert_eq!(priya.tags, ["Rust"]);
        assert_eq!(priya.emails[0].value, "priya@acme.example");
        assert_eq!(priya.last_touch_at, Some(called));
        assert_eq!(store.timeline(id, 10).unwrap().len(), 1);
    }
}

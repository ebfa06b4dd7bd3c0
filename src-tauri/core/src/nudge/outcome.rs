//! What an answer to a nudge does: the occurrence's new state, the call a "Did you reach
//! them?" settles with it, the touch Done logs with its contact, the one-off Snooze sets a
//! day later. Pure: the store applies it under its write lock (and only to an occurrence
//! still waiting for an answer).

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::history::{Direction, InteractionInput, InteractionKind};
use crate::reminder::{Occurrence, OccurrenceAction, OccurrenceState, ReminderInput};
use crate::repeat::Repeat;

/// How long Snooze puts a nudge off.
pub const SNOOZE: Duration = Duration::days(1);

/// What answering one occurrence does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The occurrence's new state.
    pub state: OccurrenceState,
    /// The occurrence the user chose Call on, settled with the same state when this answers
    /// the "Did you reach them?" that asks about it.
    pub settles_call: Option<i64>,
    /// The touch to log (Done on a nudge about a contact).
    pub log: Option<InteractionInput>,
    /// The one-off reminder to set (Snooze), at its wall-clock time in the user's zone.
    pub snooze: Option<ReminderInput>,
}

/// What `answer` does to `occurrence` at `now`: Done logs a touch of `kind` (a call unless
/// said otherwise) with its contact, Snooze brings it back as a one-off a day later in the
/// user's zone `tz`, Dismiss only closes it, Call waits to ask whether they were reached.
pub fn outcome(
    answer: OccurrenceAction,
    kind: Option<InteractionKind>,
    occurrence: &Occurrence,
    tz: Tz,
    now: DateTime<Utc>,
) -> Outcome {
    let state = match answer {
        OccurrenceAction::Done => OccurrenceState::Done,
        OccurrenceAction::Snooze => OccurrenceState::Snoozed,
        OccurrenceAction::Dismiss => OccurrenceState::Dismissed,
        OccurrenceAction::Call => OccurrenceState::Calling,
    };
    let log = match (answer, occurrence.contact_id) {
        (OccurrenceAction::Done, Some(contact)) => Some(InteractionInput {
            contact_ids: vec![contact],
            kind: kind.unwrap_or(InteractionKind::Call),
            occurred_at: now,
            direction: Some(Direction::Outbound),
            notes: None,
        }),
        _ => None,
    };
    let snooze = (answer == OccurrenceAction::Snooze).then(|| {
        let again = (now + SNOOZE).with_timezone(&tz).naive_local();
        ReminderInput {
            contact_id: occurrence.contact_id,
            title: occurrence.title.clone(),
            date: again.date(),
            time: again.format("%H:%M").to_string(),
            repeat: Repeat::Never,
        }
    });
    Outcome {
        state,
        settles_call: occurrence.source.call_asked_about(),
        log,
        snooze,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{ReminderKind, Source};

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn occurrence(source: Source, contact_id: Option<i64>) -> Occurrence {
        Occurrence {
            id: 5,
            source,
            kind: ReminderKind::OneOff,
            contact_id,
            title: "Call Bob".into(),
            due_at: at("2026-11-23T10:00:00Z"),
            fired_at: at("2026-11-23T10:00:00Z"),
            state: OccurrenceState::Fired,
            delivery: None,
        }
    }

    const BERLIN: Tz = chrono_tz::Europe::Berlin;

    #[test]
    fn done_logs_an_outbound_call_with_its_contact_unless_another_kind_is_said() {
        let now = at("2026-11-23T10:05:00Z");
        let bob = occurrence(Source::Reminder { id: 1 }, Some(7));
        let done = outcome(OccurrenceAction::Done, None, &bob, BERLIN, now);
        assert_eq!(
            done,
            Outcome {
                state: OccurrenceState::Done,
                settles_call: None,
                log: Some(InteractionInput {
                    contact_ids: vec![7],
                    kind: InteractionKind::Call,
                    occurred_at: now,
                    direction: Some(Direction::Outbound),
                    notes: None,
                }),
                snooze: None,
            }
        );
        let emailed = outcome(
            OccurrenceAction::Done,
            Some(InteractionKind::Email),
            &bob,
            BERLIN,
            now,
        );
        assert_eq!(emailed.log.map(|l| l.kind), Some(InteractionKind::Email));
        // Without a contact there is nobody to log a touch with.
        let nobody = occurrence(Source::Digest, None);
        assert_eq!(
            outcome(OccurrenceAction::Done, None, &nobody, BERLIN, now).log,
            None
        );
    }

    #[test]
    fn snooze_sets_a_one_off_a_day_later_at_the_same_time_in_the_users_zone() {
        // 23:30 UTC on Saturday 24 October is 01:30 on Sunday in Berlin; a day later is
        // Monday 00:30 there, after the clocks went back.
        let now = at("2026-10-24T23:30:00Z");
        let digest = occurrence(Source::Digest, None);
        let snoozed = outcome(OccurrenceAction::Snooze, None, &digest, BERLIN, now);
        assert_eq!(snoozed.state, OccurrenceState::Snoozed);
        assert_eq!(snoozed.log, None);
        assert_eq!(
            snoozed.snooze,
            Some(ReminderInput {
                contact_id: None,
                title: "Call Bob".into(),
                date: "2026-10-26".parse().unwrap(),
                time: "00:30".into(),
                repeat: Repeat::Never,
            })
        );
    }

    #[test]
    fn dismiss_only_closes_call_waits_and_a_call_check_settles_its_call() {
        let now = at("2026-11-23T10:05:00Z");
        let bob = occurrence(Source::Reminder { id: 1 }, Some(7));
        for (answer, state) in [
            (OccurrenceAction::Dismiss, OccurrenceState::Dismissed),
            (OccurrenceAction::Call, OccurrenceState::Calling),
        ] {
            assert_eq!(
                outcome(answer, None, &bob, BERLIN, now),
                Outcome {
                    state,
                    settles_call: None,
                    log: None,
                    snooze: None,
                }
            );
        }
        let check = occurrence(Source::CallCheck { occurrence_id: 3 }, Some(7));
        for answer in [
            OccurrenceAction::Done,
            OccurrenceAction::Snooze,
            OccurrenceAction::Dismiss,
        ] {
            assert_eq!(
                outcome(answer, None, &check, BERLIN, now).settles_call,
                Some(3)
            );
        }
        let yes = outcome(OccurrenceAction::Done, None, &check, BERLIN, now);
        assert_eq!(yes.log.map(|l| l.kind), Some(InteractionKind::Call));
    }
}

//! Keep-in-touch arithmetic: when a contact is next due, and whether they are due or overdue.
//! Pure functions over plain values and a `now`; the store calls them, they never run SQL.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A contact is *overdue* past this multiple of their cadence (PRODUCT.md §2).
pub const OVERDUE_FACTOR: f64 = 1.5;

/// Where a contact stands against their cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DueState {
    /// Touched within the cadence.
    Upcoming,
    /// At least one cadence since the last touch.
    Due,
    /// More than 1.5 cadences since the last touch.
    Overdue,
}

/// The cadence restarts from the latest touch, whoever reached out; a contact never touched
/// counts from when it was added.
pub fn next_due(
    last_touch: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    cadence_days: u32,
) -> DateTime<Utc> {
    last_touch.unwrap_or(created_at) + Duration::days(i64::from(cadence_days))
}

/// When a contact due at `next_due` becomes overdue: half a cadence later (1.5× in all).
pub fn overdue_at(next_due: DateTime<Utc>, cadence_days: u32) -> DateTime<Utc> {
    let grace = f64::from(cadence_days) * 86_400.0 * (OVERDUE_FACTOR - 1.0);
    next_due + Duration::seconds(grace as i64)
}

/// Due from `next_due` on, overdue after `overdue_at`.
pub fn due_state(
    next_due: Option<DateTime<Utc>>,
    overdue_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> DueState {
    match (next_due, overdue_at) {
        (_, Some(overdue)) if now > overdue => DueState::Overdue,
        (Some(due), _) if now >= due => DueState::Due,
        _ => DueState::Upcoming,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn next_due_counts_from_the_latest_touch_or_from_creation() {
        assert_eq!(next_due(Some(day(10)), day(1), 7), day(17));
        assert_eq!(next_due(None, day(1), 7), day(8));
    }

    #[test]
    fn due_at_one_cadence_overdue_past_one_and_a_half() {
        // Touched on day 1, every 10 days: due on day 11, overdue after day 16.
        let due = next_due(Some(day(1)), day(1), 10);
        let overdue = overdue_at(due, 10);
        assert_eq!((due, overdue), (day(11), day(16)));
        let at = |d| due_state(Some(due), Some(overdue), day(d));
        assert_eq!(at(10), DueState::Upcoming);
        assert_eq!(at(11), DueState::Due);
        assert_eq!(at(16), DueState::Due);
        assert_eq!(at(17), DueState::Overdue);
        assert_eq!(due_state(None, None, day(17)), DueState::Upcoming);
    }
}

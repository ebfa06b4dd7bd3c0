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

/// Due at 1× the cadence, overdue past 1.5×.
pub fn due_state(
    last_touch: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    cadence_days: u32,
    now: DateTime<Utc>,
) -> DueState {
    let since = now - last_touch.unwrap_or(created_at);
    let cadence = Duration::days(i64::from(cadence_days));
    if since.num_seconds() as f64 > cadence.num_seconds() as f64 * OVERDUE_FACTOR {
        DueState::Overdue
    } else if since >= cadence {
        DueState::Due
    } else {
        DueState::Upcoming
    }
}

/// The instant before which a contact with this cadence counts as overdue when its due date
/// is `next_due` (used to filter in SQL on the stored due date).
pub fn overdue_after(next_due: DateTime<Utc>, cadence_days: u32) -> DateTime<Utc> {
    next_due
        + Duration::seconds((f64::from(cadence_days) * 86_400.0 * (OVERDUE_FACTOR - 1.0)) as i64)
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
        let touched = Some(day(1));
        assert_eq!(due_state(touched, day(1), 10, day(10)), DueState::Upcoming);
        assert_eq!(due_state(touched, day(1), 10, day(11)), DueState::Due);
        assert_eq!(due_state(touched, day(1), 10, day(16)), DueState::Due);
        assert_eq!(due_state(touched, day(1), 10, day(17)), DueState::Overdue);
    }

    #[test]
    fn overdue_after_is_half_a_cadence_past_due() {
        assert_eq!(overdue_after(day(11), 10), day(16));
    }
}

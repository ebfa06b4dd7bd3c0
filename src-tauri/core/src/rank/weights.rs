//! The ranking's weights: how much each signal of Today counts, in one table with the rules
//! they keep, so the ranking can be read and tuned in one place.

/// How much each signal counts. One table, so the ranking can be read and tuned in one place.
/// The rules it keeps (PRODUCT.md §3), each tested by a judged scenario in
/// `tests/judged.rs`:
/// 1. Something owed (a follow-up late or due today, homework to report back) comes before
///    a routine check-in that is a little late; a late promise weighs more each day, and a
///    little more the closer the person.
/// 2. What can only be done today (a birthday today, a promise due today) comes before
///    everything that can wait a day, whatever the circle and however late: its points
///    start above [`Weights::WAIT_CAP`] plus the most a circle adds, and everything that can
///    wait counts together at most `WAIT_CAP`. A late promise is above it too (it only gets
///    later). A birthday today leads for inner and close people over a promise up to about
///    a week late; tomorrow it beats a routine check-in; later in the week it is a reason,
///    not a leader.
/// 3. "Touched recently" softens routine suggestions but never hides something owed or a
///    birthday today.
/// 4. Days are the user's calendar days in their zone.
/// 5. A goal lifts only the people who would advance it, a little when on pace, more when
///    behind: behind pace, above an acquaintance a few weeks late on a half-year rhythm.
/// 6. Imported connections are not a debt: no cadence applies to them (the store leaves
///    [`Candidate::cadence_days`] empty) until the user gives one or touches them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Per cadence elapsed, from 1× on (so due = 10, twice the cadence = 20), slowing down
    /// past [`Weights::CADENCE_KNEE`] (see [`super::cadence_points`]): being due is the backbone
    /// of the list, but routine.
    pub cadence: f64,
    /// A follow-up due today: can only be kept today (rule 2), so above everything that can
    /// wait a day, whatever the circle: above [`Weights::WAIT_CAP`] + 3 for the inner
    /// circle, even for an acquaintance (52 > 48 + 3).
    pub follow_up_today: f64,
    /// A follow-up past its due date, before [`Weights::follow_up_per_day`]: already more
    /// than one due today (a day late: 54 + 3 > 52).
    pub follow_up_late: f64,
    /// Added per day a promise is late, up to [`Weights::LATE_DAYS_CAP`] days: a promise
    /// five days late to a network contact (54 + 15 + 1 + 1) beats an acquaintance's
    /// birthday today (52); to a close friend, from nine days late (54 + 27 + 2) it beats
    /// another close friend's birthday today (80).
    pub follow_up_per_day: f64,
    /// Added per circle step to a late or due follow-up: a promise to a closer person
    /// weighs a little more.
    pub follow_up_closeness: f64,
    /// A follow-up due in the next [`Weights::SOON_DAYS`] days: worth doing before it is
    /// late, enough to list someone alone but below anything owed.
    pub follow_up_soon: f64,
    /// Homework done but not told: the cheapest, warmest touch there is; owed, so above a
    /// check-in up to 1.5 cadences late. It can wait a day: counted under
    /// [`Weights::WAIT_CAP`].
    pub report_back: f64,
    /// In the audience of an active goal behind pace, and a touch would advance it: above
    /// an acquaintance up to 1.2 cadences late (36 days on a half-year rhythm: 12 > 10 × 1.2,
    /// rule 5), below anyone half a cadence late.
    pub goal_behind: f64,
    /// In the audience of an active goal on pace but not yet met: the user asked for
    /// these people, so they are listed, below anyone due.
    pub goal_on_pace: f64,
    /// Birthday today for inner and close people: leads the plan (rule 2), above anything
    /// that can wait and above a promise to someone as close up to eight days late.
    pub birthday_today_close: f64,
    /// Birthday today for the others: only today, so above everything that can wait a day
    /// whatever the circle (52 > 48 + 3), as a promise due today is; below a late promise.
    pub birthday_today: f64,
    /// Birthday tomorrow: say it today, above a check-in a little late. It can wait a day:
    /// counted under [`Weights::WAIT_CAP`].
    pub birthday_tomorrow: f64,
    /// Birthday later within [`Weights::BIRTHDAY_DAYS`]: a reason, enough to list someone
    /// when nothing else is due.
    pub birthday_soon: f64,
    /// A long silence after a rich history: strong ties fade quietly.
    pub dormant: f64,
    /// Added per circle step (acquaintance 0 … inner 3): closer people come first on ties.
    pub circle: f64,
    /// One of their events is in the next [`Weights::EVENT_DAYS`] days: a reason to invite
    /// them, worth less than the threshold alone, so it shapes the touch of people who are
    /// due anyway rather than adding people to the list.
    pub event_invite: f64,
    /// Touched today or yesterday: taken off the routine points only (cadence, goals,
    /// dormancy, events, a birthday later this week), never below zero, so it never hides
    /// what is owed (rule 3).
    pub recent_penalty: f64,
}

impl Weights {
    pub const DEFAULT: Weights = Weights {
        cadence: 10.0,
        follow_up_today: 52.0,
        follow_up_late: 54.0,
        follow_up_per_day: 3.0,
        follow_up_closeness: 1.0,
        follow_up_soon: 6.0,
        report_back: 15.0,
        goal_behind: 12.0,
        goal_on_pace: 5.0,
        birthday_today_close: 80.0,
        birthday_today: 52.0,
        birthday_tomorrow: 14.0,
        birthday_soon: 5.0,
        dormant: 7.0,
        circle: 1.0,
        event_invite: 4.0,
        recent_penalty: 15.0,
    };
    /// Past this many cadences, lateness still counts but ever less (never past one more).
    pub const CADENCE_KNEE: f64 = 3.0;
    /// The most everything that can wait a day counts together (routine reasons, a
    /// report-back, a birthday tomorrow): a little above the most a check-in alone can
    /// reach (40) with a dormant tie (7), so lateness still orders nearly everyone, and
    /// below what can only be done today (rule 2).
    pub const WAIT_CAP: f64 = 48.0;
    /// A reconnect goal lifts only people not touched for this many days: seeing someone
    /// again days later is not reconnecting.
    pub const RECONNECT_AFTER_DAYS: i64 = 7;
    /// A promise stops gaining weight after this many days late.
    pub const LATE_DAYS_CAP: i64 = 14;
    /// "Soon" for a follow-up due date, in days.
    pub const SOON_DAYS: i64 = 3;
    /// "Recently touched": today or yesterday, in the user's calendar days.
    pub const RECENT_DAYS: i64 = 2;
    /// An event this many days ahead is a reason to invite its people.
    pub const EVENT_DAYS: i64 = 14;
    /// A birthday this many days ahead is mentioned.
    pub const BIRTHDAY_DAYS: i64 = 7;
    /// A tie is strong after this many interactions …
    pub const DORMANT_MIN_INTERACTIONS: u32 = 5;
    /// … and dormant after this long without one.
    pub const DORMANT_DAYS: i64 = 180;
    /// Calls and video calls are suggested only between these local hours (9:00–20:00).
    pub const DAYTIME: (u32, u32) = (9, 20);
    /// Suggestions below this score (before the circle's points) are not worth a nudge.
    pub const THRESHOLD: f64 = 5.0;
}

//! Keep-in-touch arithmetic: which cadence is in force for a contact and where it comes
//! from, when the contact is next due and overdue, and whether they are due now. Days are
//! the user's calendar days in their time zone, so "due today" starts at their midnight,
//! across daylight-saving changes too. Pure functions over plain values and a `now`; the
//! store calls them, they never run SQL.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::local_midnight;
use crate::model::Circle;

/// A contact is *overdue* past this multiple of their cadence (PRODUCT.md §2).
pub const OVERDUE_FACTOR: f64 = 1.5;

/// The default keep-in-touch cadence of each circle, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CircleCadences {
    pub inner: u32,
    pub close: u32,
    pub network: u32,
    pub acquaintance: u32,
}

impl CircleCadences {
    pub fn get(&self, circle: Circle) -> u32 {
        match circle {
            Circle::Inner => self.inner,
            Circle::Close => self.close,
            Circle::Network => self.network,
            Circle::Acquaintance => self.acquaintance,
        }
    }
}

impl Default for CircleCadences {
    fn default() -> Self {
        CircleCadences {
            inner: Circle::Inner.default_cadence_days(),
            close: Circle::Close.default_cadence_days(),
            network: Circle::Network.default_cadence_days(),
            acquaintance: Circle::Acquaintance.default_cadence_days(),
        }
    }
}

/// A rule of the user's: contacts with this tag are kept in touch with every `days` days
/// ("former colleague: every 60 days").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CadenceRule {
    pub tag: String,
    pub days: u32,
}

/// Where a contact's cadence comes from, as the contact page says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "from")]
#[ts(export)]
pub enum CadenceSource {
    /// Set on the contact itself.
    Own,
    /// The shortest rule among the contact's tags.
    Tag { tag: String },
    /// The default of the contact's circle.
    Circle,
    /// None yet: the contact's only touches are connections an import recorded, which are
    /// not a debt until the user gives a cadence or touches them once.
    NotYet,
}

/// The cadence in force for a contact, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    /// `None` when no cadence applies ([`CadenceSource::NotYet`]).
    pub days: Option<u32>,
    pub source: CadenceSource,
}

/// Everything that decides cadences and due dates besides the contact itself: the user's
/// time zone, the circle defaults and the tag rules. The store loads it once per write.
#[derive(Debug, Clone, PartialEq)]
pub struct DueRules {
    pub tz: Tz,
    pub circles: CircleCadences,
    /// Days by tag name, lowercased (tags match without regard to case).
    tags: HashMap<String, u32>,
}

/// Where a contact stands for [`DueRules`]: what the store keeps on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Touches {
    /// Interactions other than imported connections.
    pub real: u32,
    /// Imported connections.
    pub connections: u32,
}

impl DueRules {
    pub fn new(tz: Tz, circles: CircleCadences, rules: &[CadenceRule]) -> DueRules {
        DueRules {
            tz,
            circles,
            tags: rules
                .iter()
                .map(|r| (r.tag.to_lowercase(), r.days))
                .collect(),
        }
    }

    /// The contact's own cadence, else the shortest rule among its tags (ties: the first
    /// tag by name), else its circle's default — unless its only touches are imported
    /// connections and it has no cadence of its own: then none yet.
    pub fn in_force(
        &self,
        own: Option<u32>,
        circle: Circle,
        tags: &[String],
        touches: Touches,
    ) -> InForce {
        if let Some(days) = own {
            return InForce {
                days: Some(days),
                source: CadenceSource::Own,
            };
        }
        if touches.real == 0 && touches.connections > 0 {
            return InForce {
                days: None,
                source: CadenceSource::NotYet,
            };
        }
        let rule = tags
            .iter()
            .filter_map(|t| self.tags.get(&t.to_lowercase()).map(|d| (*d, t)))
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        match rule {
            Some((days, tag)) => InForce {
                days: Some(days),
                source: CadenceSource::Tag { tag: tag.clone() },
            },
            None => InForce {
                days: Some(self.circles.get(circle)),
                source: CadenceSource::Circle,
            },
        }
    }

    /// When a contact last touched at `anchor` (or added then, if never touched) is due
    /// and when overdue, with a cadence of `days`: the start of the user's day `days`
    /// calendar days after the anchor's day, and of the first day past 1.5 cadences.
    pub fn due_dates(&self, anchor: DateTime<Utc>, days: u32) -> (DateTime<Utc>, DateTime<Utc>) {
        due_dates(anchor, days, self.tz)
    }
}

/// When a contact last touched at `anchor` (or added then) is due and when overdue, with a
/// cadence of `days`, in the user's zone `tz`: see [`DueRules::due_dates`].
pub fn due_dates(anchor: DateTime<Utc>, days: u32, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let day = local_day(anchor, tz);
    let (due, overdue) = due_days(days);
    (
        local_midnight(tz, day + Duration::days(due)),
        local_midnight(tz, day + Duration::days(overdue)),
    )
}

/// The rule, in calendar days since the last touch, for a cadence of `days`: due from
/// `days` on (1×), overdue from the first day past 1.5× on.
fn due_days(days: u32) -> (i64, i64) {
    let overdue_after = (f64::from(days) * OVERDUE_FACTOR).floor() as i64;
    (i64::from(days), overdue_after + 1)
}

/// The calendar day of `at` in `tz`.
pub fn local_day(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// How many of the user's calendar days lie between `from` and `to` (negative when `to` is
/// earlier): yesterday evening is one day ago this morning, whatever the hour or the
/// daylight-saving change between them.
pub fn calendar_days(from: DateTime<Utc>, to: DateTime<Utc>, tz: Tz) -> i64 {
    (local_day(to, tz) - local_day(from, tz)).num_days()
}

/// "1 day", "3 days".
pub fn days_words(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} day")
    } else {
        format!("{n} days")
    }
}

/// Where a contact stands at `now`: due from `next_due` on, overdue from `overdue_at` on, no
/// rhythm at all without a due date. The one rule behind every screen that says it — the
/// contact list's chip, the contact page, the network picture's counts (all from the dates
/// the store keeps) and Today's cadence reason (from [`due_state_at`], which computes the
/// same dates).
pub fn due_state(
    next_due: Option<DateTime<Utc>>,
    overdue_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> DueState {
    match (next_due, overdue_at) {
        (None, _) => DueState::NoRhythm,
        (_, Some(overdue)) if now >= overdue => DueState::Overdue,
        (Some(due), _) if now >= due => DueState::Due,
        _ => DueState::Upcoming,
    }
}

/// [`due_state`] for a contact last touched (or added) at `anchor` with a cadence of
/// `days` in force (`None`: no rhythm yet), in the user's zone `tz`: the same answer as
/// from the dates the store keeps ([`due_dates`] starts each state at the user's midnight
/// of the day [`due_state_after`] counts it from), as a test checks across months and
/// daylight-saving changes.
pub fn due_state_at(
    anchor: DateTime<Utc>,
    days: Option<u32>,
    tz: Tz,
    now: DateTime<Utc>,
) -> DueState {
    due_state_after(calendar_days(anchor, now, tz), days)
}

/// [`due_state`] `since` calendar days after the last touch (or the day added), with a
/// cadence of `days` in force: what Today uses, which has counted the days already (no
/// time-zone arithmetic per contact, over tens of thousands of them).
pub fn due_state_after(since: i64, days: Option<u32>) -> DueState {
    match days.filter(|d| *d > 0).map(due_days) {
        None => DueState::NoRhythm,
        Some((_, overdue)) if since >= overdue => DueState::Overdue,
        Some((due, _)) if since >= due => DueState::Due,
        Some(_) => DueState::Upcoming,
    }
}

/// Where a contact stands against their cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DueState {
    /// No cadence applies yet: the only touches are imported connections.
    NoRhythm,
    /// Touched within the cadence.
    Upcoming,
    /// At least one cadence since the last touch.
    Due,
    /// More than 1.5 cadences since the last touch.
    Overdue,
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn rules(tz: Tz, tags: &[(&str, u32)]) -> DueRules {
        let tags: Vec<CadenceRule> = tags
            .iter()
            .map(|(tag, days)| CadenceRule {
                tag: (*tag).into(),
                days: *days,
            })
            .collect();
        DueRules::new(tz, CircleCadences::default(), &tags)
    }

    const TOUCHED: Touches = Touches {
        real: 1,
        connections: 0,
    };

    #[test]
    fn due_and_overdue_start_at_the_users_midnight() {
        let lisbon = rules(chrono_tz::Europe::Lisbon, &[]);
        // Touched on 1 January at 18:00, every 10 days: due from midnight on 11 January,
        // overdue from midnight on 17 January (more than 15 days after).
        let touched = Utc.with_ymd_and_hms(2026, 1, 1, 18, 0, 0).unwrap();
        let (due, overdue) = lisbon.due_dates(touched, 10);
        assert_eq!(due, Utc.with_ymd_and_hms(2026, 1, 11, 0, 0, 0).unwrap());
        assert_eq!(overdue, Utc.with_ymd_and_hms(2026, 1, 17, 0, 0, 0).unwrap());
        let at = |d, h| {
            due_state(
                Some(due),
                Some(overdue),
                Utc.with_ymd_and_hms(2026, 1, d, h, 0, 0).unwrap(),
            )
        };
        assert_eq!(at(10, 23), DueState::Upcoming);
        assert_eq!(at(11, 0), DueState::Due);
        assert_eq!(at(16, 23), DueState::Due);
        assert_eq!(at(17, 0), DueState::Overdue);
        assert_eq!(due_state(None, None, touched), DueState::NoRhythm);
    }

    #[test]
    fn the_state_from_a_touch_and_a_cadence_is_the_state_from_the_dates_kept() {
        let lisbon = chrono_tz::Europe::Lisbon;
        let touched = Utc.with_ymd_and_hms(2026, 1, 1, 18, 0, 0).unwrap();
        let at = |d, h| Utc.with_ymd_and_hms(2026, 1, d, h, 0, 0).unwrap();
        let state = |now| due_state_at(touched, Some(10), lisbon, now);
        // Every 10 days: upcoming to the 10th, due from the 11th (1×), overdue from the 17th
        // (past 1.5× = 15 days): the boundaries, each side.
        assert_eq!(state(at(1, 19)), DueState::Upcoming);
        assert_eq!(state(at(10, 23)), DueState::Upcoming);
        assert_eq!(state(at(11, 0)), DueState::Due);
        assert_eq!(state(at(16, 23)), DueState::Due);
        assert_eq!(state(at(17, 0)), DueState::Overdue);
        assert_eq!(state(at(31, 0)), DueState::Overdue);
        let (due, overdue) = rules(lisbon, &[]).due_dates(touched, 10);
        for day in 1..=31 {
            for hour in [0, 12, 23] {
                let now = at(day, hour);
                assert_eq!(
                    state(now),
                    due_state(Some(due), Some(overdue), now),
                    "{now}"
                );
            }
        }
        // An odd cadence: 1.5 × 7 = 10.5, so overdue from the 11th day on.
        let weekly = |d| due_state_at(touched, Some(7), lisbon, at(d, 9));
        assert_eq!(weekly(7), DueState::Upcoming);
        assert_eq!(weekly(8), DueState::Due);
        assert_eq!(weekly(11), DueState::Due);
        assert_eq!(weekly(12), DueState::Overdue);
        // Across daylight-saving changes, in zones whose midnight is skipped or repeated too:
        // the state from counted days is the state from the dates kept, every hour of a year.
        for zone in [
            chrono_tz::Europe::Berlin,
            chrono_tz::America::Santiago,
            chrono_tz::America::Havana,
            chrono_tz::Pacific::Auckland,
        ] {
            let touched = Utc.with_ymd_and_hms(2026, 1, 1, 23, 30, 0).unwrap();
            for days in [1, 7, 30, 90] {
                let (due, overdue) = due_dates(touched, days, zone);
                for hour in 0..24 * 400 {
                    let now = touched + Duration::hours(hour);
                    assert_eq!(
                        due_state_at(touched, Some(days), zone, now),
                        due_state(Some(due), Some(overdue), now),
                        "{zone} every {days} days at {now}"
                    );
                }
            }
        }
        // No cadence in force: no rhythm yet, however long the silence.
        assert_eq!(
            due_state_at(touched, None, lisbon, at(31, 0)),
            DueState::NoRhythm
        );
        assert_eq!(
            due_state(None, Some(overdue), at(31, 0)),
            DueState::NoRhythm
        );
    }

    #[test]
    fn a_day_shortened_by_daylight_saving_is_still_a_day() {
        let berlin = chrono_tz::Europe::Berlin;
        // 00:30 CET on 20 March; clocks spring forward on 29 March.
        let touched = Utc.with_ymd_and_hms(2026, 3, 19, 23, 30, 0).unwrap();
        let (due, _) = rules(berlin, &[]).due_dates(touched, 30);
        // Due from 00:00 CEST on 19 April (22:00 UTC on the 18th), under 30 × 24 hours later.
        assert_eq!(due, Utc.with_ymd_and_hms(2026, 4, 18, 22, 0, 0).unwrap());
        assert_eq!(calendar_days(touched, due, berlin), 30);
        assert!(due - touched < Duration::days(30));
        // Late last evening is one day ago this morning.
        let evening = Utc.with_ymd_and_hms(2026, 11, 22, 22, 0, 0).unwrap();
        let morning = Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap();
        assert_eq!(
            calendar_days(evening, morning, chrono_tz::Europe::Lisbon),
            1
        );
        assert_eq!(
            calendar_days(morning, evening, chrono_tz::Europe::Lisbon),
            -1
        );
    }

    #[test]
    fn the_cadence_in_force_is_the_contacts_own_then_the_shortest_tag_rule_then_the_circles() {
        let r = rules(chrono_tz::UTC, &[("Former colleague", 60), ("mentor", 45)]);
        let tags = |t: &[&str]| t.iter().map(|t| (*t).to_string()).collect::<Vec<_>>();
        assert_eq!(
            r.in_force(Some(7), Circle::Network, &tags(&["mentor"]), TOUCHED),
            InForce {
                days: Some(7),
                source: CadenceSource::Own
            }
        );
        assert_eq!(
            r.in_force(
                None,
                Circle::Network,
                &tags(&["former colleague", "mentor"]),
                TOUCHED
            ),
            InForce {
                days: Some(45),
                source: CadenceSource::Tag {
                    tag: "mentor".into()
                }
            }
        );
        assert_eq!(
            r.in_force(None, Circle::Close, &tags(&["friend"]), TOUCHED),
            InForce {
                days: Some(30),
                source: CadenceSource::Circle
            }
        );
        // Never touched at all: the circle's cadence counts from when they were added.
        let never = Touches {
            real: 0,
            connections: 0,
        };
        assert_eq!(r.in_force(None, Circle::Inner, &[], never).days, Some(14));
    }

    #[test]
    fn imported_connections_alone_are_not_a_debt() {
        let r = rules(chrono_tz::UTC, &[("acme", 30)]);
        let connected = Touches {
            real: 0,
            connections: 1,
        };
        let acme = vec!["acme".to_string()];
        assert_eq!(
            r.in_force(None, Circle::Acquaintance, &acme, connected),
            InForce {
                days: None,
                source: CadenceSource::NotYet
            }
        );
        // A cadence of their own, or one real touch, and they are kept in touch with again.
        assert_eq!(
            r.in_force(Some(90), Circle::Acquaintance, &acme, connected)
                .days,
            Some(90)
        );
        let called = Touches {
            real: 1,
            connections: 1,
        };
        assert_eq!(
            r.in_force(None, Circle::Acquaintance, &acme, called).days,
            Some(30)
        );
    }

    #[test]
    fn one_day_is_singular() {
        assert_eq!(days_words(1), "1 day");
        assert_eq!(days_words(2), "2 days");
        assert_eq!(days_words(0), "0 days");
    }
}

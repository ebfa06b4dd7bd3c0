//! User settings stored as key/value rows: the default cadence of each circle, and the
//! preferences of the user's day (nudge time, time zone, week start, daily budget).

use rusqlite::{named_params, Connection, OptionalExtension};

use super::cadence::{due_rules, refresh_due, Scope};
use super::{codec, Store};
use crate::model::{Circle, MAX_CADENCE_DAYS};
use crate::schedule::DayRules;
use crate::{Error, Result};

use crate::cadence::CircleCadences;
use crate::preferences::{default_quiet_from, default_quiet_to, default_working_days};
use crate::preferences::{
    Day, Preferences, Theme, WeekStart, DEFAULT_DAILY_BUDGET, MAX_DAILY_BUDGET,
};

fn key(circle: Circle) -> String {
    format!("cadence.{}", circle.as_str())
}

/// The cadence of `circle`: the user's setting, else the built-in default.
pub(crate) fn circle_cadence(conn: &Connection, circle: Circle) -> Result<u32> {
    Ok(get(conn, &key(circle))?
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| circle.default_cadence_days()))
}

pub(crate) fn all_circle_cadences(conn: &Connection) -> Result<CircleCadences> {
    Ok(CircleCadences {
        inner: circle_cadence(conn, Circle::Inner)?,
        close: circle_cadence(conn, Circle::Close)?,
        network: circle_cadence(conn, Circle::Network)?,
        acquaintance: circle_cadence(conn, Circle::Acquaintance)?,
    })
}

/// The enum value a setting stores by name; an unknown name is an error, not a default.
fn stored<'a, T: serde::Deserialize<'a>>(name: &'a str, what: &str) -> Result<T> {
    codec::from_name(name).ok_or_else(|| {
        Error::Corrupt(format!(
            "The stored {what} “{name}” is not one this Kith knows."
        ))
    })
}

/// The day the user's weeks start (Monday until set).
pub(crate) fn week_start(conn: &Connection) -> Result<WeekStart> {
    match get(conn, "week_start")? {
        None => Ok(WeekStart::default()),
        Some(name) => stored(&name, "week start"),
    }
}

/// The stored value of setting `key`, if any.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = :key")?
        .query_row(named_params! { ":key": key }, |r| r.get(0))
        .optional()?)
}

/// Stores setting `key`, replacing any earlier value.
/// The zone of the user's days while they have not chosen one: the system's, as the program
/// that opened the store found it (`kith` reads TZ or /etc/localtime; the app's onboarding
/// stores the browser's zone instead). Never stored; UTC when nobody said.
static SYSTEM_ZONE: std::sync::OnceLock<chrono_tz::Tz> = std::sync::OnceLock::new();

/// Counts days in `zone` in this process while no time zone is stored (the first call wins).
pub fn use_system_zone(zone: chrono_tz::Tz) {
    let _ = SYSTEM_ZONE.set(zone);
}

/// The user's time zone (setting `time_zone`; until set, the system's zone when the program
/// gave it, else UTC).
pub(crate) fn user_zone(conn: &Connection) -> Result<chrono_tz::Tz> {
    Ok(get(conn, "time_zone")?
        .and_then(|z| z.parse().ok())
        .or_else(|| SYSTEM_ZONE.get().copied())
        .unwrap_or(chrono_tz::UTC))
}

pub(crate) fn put(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (:key, :value)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(named_params! { ":key": key, ":value": value })?;
    Ok(())
}

/// Checks a nudge time written as "HH:MM" (24-hour clock).
fn nudge_time(text: &str) -> Result<String> {
    chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map(|t| t.format("%H:%M").to_string())
        .map_err(|_| Error::Invalid {
            field: "nudgeTime",
            reason: format!("“{text}” is not a time of day such as 09:00."),
        })
}

/// The settings that belong to this installation rather than to its network (an SQL
/// condition on `key`): the sync account and where it stands, and how far the scheduler has
/// checked for nudges. A restore keeps the installation's own and never takes a file's.
pub(crate) const INSTALLATION_KEYS: &str =
    "(key GLOB 'sync.*' OR key = 'schedule_checked_through')";

/// Checks every stored setting of the network as Settings checks what the user types (a
/// restored file's settings are taken only if Kith could have written them); keys that are
/// not Kith's are refused. The installation's own ([`INSTALLATION_KEYS`]) are never taken.
pub(crate) fn check_stored(conn: &Connection) -> Result<()> {
    let rows: Vec<(String, String)> = conn
        .prepare(&format!(
            "SELECT key, value FROM settings WHERE NOT {INSTALLATION_KEYS} ORDER BY key"
        ))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let bad = |key: &str, value: &str, what: &str| {
        Error::parse(
            None,
            format!("the setting “{key}” holds “{value}”, which is not {what}"),
        )
    };
    let number = |key: &str, value: &str, max: u32| match value.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(()),
        _ => Err(bad(key, value, &format!("a number from 1 to {max}"))),
    };
    for (key, value) in &rows {
        let circle = key
            .strip_prefix("cadence.")
            .and_then(codec::from_name::<Circle>);
        match key.as_str() {
            "nudge_time" => nudge_time(value)
                .map(drop)
                .map_err(|_| bad(key, value, "a time of day"))?,
            "quiet_from" | "quiet_to" if value.is_empty() => {}
            "quiet_from" | "quiet_to" => nudge_time(value)
                .map(drop)
                .map_err(|_| bad(key, value, "a time of day"))?,
            "daily_budget" => number(key, value, MAX_DAILY_BUDGET)?,
            "time_zone" => value
                .parse::<chrono_tz::Tz>()
                .map(drop)
                .map_err(|_| bad(key, value, "a known time zone"))?,
            "onboarded" if value == "0" || value == "1" => {}
            "onboarded" => return Err(bad(key, value, "0 or 1")),
            "week_start" => stored::<WeekStart>(value, "week start").map(drop)?,
            "theme" => stored::<Theme>(value, "theme").map(drop)?,
            "working_days" => {
                for day in value.split(',').filter(|d| !d.is_empty()) {
                    stored::<Day>(day, "working day")?;
                }
            }
            _ if circle.is_some() => number(key, value, MAX_CADENCE_DAYS)?,
            _ => return Err(bad(key, value, "a setting Kith knows")),
        }
    }
    Ok(())
}

impl Store {
    /// The user's day: nudge time (09:00 until set), time zone, whether the onboarding ran,
    /// daily budget (3 until set) and week start (Monday until set).
    pub fn preferences(&self) -> Result<Preferences> {
        let (tz, _) = self.calendar()?;
        Ok(Preferences {
            nudge_time: get(&self.conn, "nudge_time")?.unwrap_or_else(|| "09:00".into()),
            time_zone: tz.name().to_owned(),
            onboarded: get(&self.conn, "onboarded")?.as_deref() == Some("1"),
            daily_budget: get(&self.conn, "daily_budget")?
                .and_then(|v| v.parse().ok())
                .unwrap_or(DEFAULT_DAILY_BUDGET),
            week_start: week_start(&self.conn)?,
            quiet_from: match get(&self.conn, "quiet_from")? {
                None => default_quiet_from(),
                Some(t) => Some(t).filter(|t| !t.is_empty()),
            },
            quiet_to: match get(&self.conn, "quiet_to")? {
                None => default_quiet_to(),
                Some(t) => Some(t).filter(|t| !t.is_empty()),
            },
            theme: match get(&self.conn, "theme")? {
                None => Theme::default(),
                Some(name) => stored(&name, "theme")?,
            },
            working_days: match get(&self.conn, "working_days")? {
                None => default_working_days(),
                Some(days) => days
                    .split(',')
                    .filter(|d| !d.is_empty())
                    .map(|d| stored(d, "working day"))
                    .collect::<Result<_>>()?,
            },
        })
    }

    /// The rules for when nudges may come, from the preferences.
    pub fn day_rules(&self) -> Result<DayRules> {
        let prefs = self.preferences()?;
        let (tz, _) = self.calendar()?;
        let time = |t: &str| chrono::NaiveTime::parse_from_str(t, "%H:%M").ok();
        Ok(DayRules {
            tz,
            nudge_time: time(&prefs.nudge_time).unwrap_or(chrono::NaiveTime::MIN),
            quiet: prefs
                .quiet_from
                .as_deref()
                .and_then(time)
                .zip(prefs.quiet_to.as_deref().and_then(time)),
            working_days: prefs.working_days.iter().map(|d| d.weekday()).collect(),
        })
    }

    /// Saves every preference — all or nothing.
    pub fn set_preferences(&mut self, prefs: Preferences) -> Result<Preferences> {
        let time = nudge_time(&prefs.nudge_time)?;
        if !(1..=MAX_DAILY_BUDGET).contains(&prefs.daily_budget) {
            return Err(Error::Invalid {
                field: "dailyBudget",
                reason: format!("Plan for 1 to {MAX_DAILY_BUDGET} people a day."),
            });
        }
        let tz: chrono_tz::Tz = prefs.time_zone.trim().parse().map_err(|_| Error::Invalid {
            field: "timeZone",
            reason: format!(
                "“{}” is not a known time zone: use a name such as Europe/Lisbon.",
                prefs.time_zone
            ),
        })?;
        let quiet = |field: &'static str, t: &Option<String>| -> Result<String> {
            match t.as_deref().map(str::trim) {
                None | Some("") => Ok(String::new()),
                Some(t) => nudge_time(t).map_err(|_| Error::Invalid {
                    field,
                    reason: format!("“{t}” is not a time of day such as 21:00."),
                }),
            }
        };
        let quiet_from = quiet("quietFrom", &prefs.quiet_from)?;
        let quiet_to = quiet("quietTo", &prefs.quiet_to)?;
        if quiet_from.is_empty() != quiet_to.is_empty() {
            return Err(Error::Invalid {
                field: if quiet_from.is_empty() {
                    "quietFrom"
                } else {
                    "quietTo"
                },
                reason: "Give quiet hours a start and an end, or neither.".into(),
            });
        }
        if !quiet_from.is_empty() && quiet_from == quiet_to {
            return Err(Error::Invalid {
                field: "quietTo",
                reason: "Quiet hours end when they start: choose another end.".into(),
            });
        }
        if prefs.working_days.is_empty() {
            return Err(Error::Invalid {
                field: "workingDays",
                reason: "Choose at least one day for the daily plan.".into(),
            });
        }
        let days: Vec<String> = Day::ALL
            .into_iter()
            .filter(|d| prefs.working_days.contains(d))
            .map(|d| codec::name_of(&d))
            .collect::<rusqlite::Result<_>>()?;
        self.write(|tx| {
            let moved = get(tx, "time_zone")?.as_deref() != Some(tz.name());
            put(tx, "quiet_from", &quiet_from)?;
            put(tx, "quiet_to", &quiet_to)?;
            put(tx, "working_days", &days.join(","))?;
            put(tx, "nudge_time", &time)?;
            put(tx, "time_zone", tz.name())?;
            put(tx, "onboarded", if prefs.onboarded { "1" } else { "0" })?;
            put(tx, "daily_budget", &prefs.daily_budget.to_string())?;
            put(tx, "week_start", &codec::name_of(&prefs.week_start)?)?;
            put(tx, "theme", &codec::name_of(&prefs.theme)?)?;
            // Due dates start at the user's midnight: a new zone moves them.
            if moved {
                refresh_due(tx, &due_rules(tx)?, Scope::All)?;
            }
            Ok(())
        })?;
        self.preferences()
    }

    pub fn circle_cadences(&self) -> Result<CircleCadences> {
        all_circle_cadences(&self.conn)
    }

    /// Changes the default cadence of every circle at once, and moves the due date of each
    /// contact that follows its circle's default — all in one transaction.
    pub fn set_circle_cadences(&mut self, cadences: CircleCadences) -> Result<CircleCadences> {
        for circle in Circle::ALL {
            let days = cadences.get(circle);
            if !(1..=MAX_CADENCE_DAYS).contains(&days) {
                return Err(Error::Invalid {
                    field: "cadence",
                    reason: format!(
                        "Keep in touch with your {} circle every 1 to {MAX_CADENCE_DAYS} days.",
                        circle.as_str()
                    ),
                });
            }
        }
        self.write(|tx| {
            for circle in Circle::ALL {
                put(tx, &key(circle), &cadences.get(circle).to_string())?;
            }
            refresh_due(tx, &due_rules(tx)?, Scope::All)?;
            Ok(())
        })?;
        self.circle_cadences()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::temp_store;

    #[test]
    fn preferences_are_checked_and_saved_together() {
        let (_dir, mut store) = temp_store();
        let defaults = store.preferences().unwrap();
        assert_eq!(defaults.nudge_time, "09:00");
        assert!(!defaults.onboarded);
        assert_eq!(defaults.daily_budget, 3);
        assert_eq!(defaults.week_start, WeekStart::Monday);
        let saved = store
            .set_preferences(Preferences {
                nudge_time: "8:30".into(),
                time_zone: "America/Sao_Paulo".into(),
                onboarded: true,
                daily_budget: 5,
                week_start: WeekStart::Sunday,
                quiet_from: Some("22:30".into()),
                quiet_to: Some("7:00".into()),
                working_days: vec![Day::Saturday, Day::Monday],
                theme: Theme::Dark,
            })
            .unwrap();
        assert_eq!(saved.theme, Theme::Dark);
        assert_eq!(saved.nudge_time, "08:30");
        assert_eq!(saved.time_zone, "America/Sao_Paulo");
        assert!(saved.onboarded);
        assert_eq!(saved.daily_budget, 5);
        assert_eq!(saved.quiet_to.as_deref(), Some("07:00"));
        assert_eq!(saved.working_days, [Day::Monday, Day::Saturday]);
        let rules = store.day_rules().unwrap();
        assert_eq!(rules.tz, chrono_tz::America::Sao_Paulo);
        assert_eq!(
            rules.working_days,
            [chrono::Weekday::Mon, chrono::Weekday::Sat]
        );
        assert_eq!(store.calendar().unwrap().1, chrono::Weekday::Sun);
        let good = || Preferences {
            nudge_time: "09:00".into(),
            time_zone: "Europe/Lisbon".into(),
            onboarded: false,
            daily_budget: 3,
            week_start: WeekStart::Monday,
            quiet_from: default_quiet_from(),
            quiet_to: default_quiet_to(),
            working_days: default_working_days(),
            theme: Theme::System,
        };
        for (bad, field) in [
            (
                Preferences {
                    nudge_time: "25:00".into(),
                    ..good()
                },
                "nudgeTime",
            ),
            (
                Preferences {
                    nudge_time: "noon".into(),
                    ..good()
                },
                "nudgeTime",
            ),
            (
                Preferences {
                    time_zone: "Mars/Base".into(),
                    ..good()
                },
                "timeZone",
            ),
            (
                Preferences {
                    daily_budget: 0,
                    ..good()
                },
                "dailyBudget",
            ),
            (
                Preferences {
                    daily_budget: 21,
                    ..good()
                },
                "dailyBudget",
            ),
            (
                Preferences {
                    quiet_from: Some("late".into()),
                    ..good()
                },
                "quietFrom",
            ),
            (
                Preferences {
                    quiet_to: None,
                    ..good()
                },
                "quietTo",
            ),
            (
                Preferences {
                    quiet_to: Some("21:00".into()),
                    ..good()
                },
                "quietTo",
            ),
            (
                Preferences {
                    working_days: vec![],
                    ..good()
                },
                "workingDays",
            ),
        ] {
            let err = store.set_preferences(bad).unwrap_err();
            assert_eq!(err.field(), Some(field));
            assert_eq!(store.preferences().unwrap(), saved);
        }
    }
}

//! Today, judged: small networks written down as a thoughtful friend would weigh them, each
//! with who must make the top three, who must come first where it is obvious, and who must
//! not appear. Every network is built through the store on a real SQLite file and ranked by
//! `Store::today`, so loading and ranking are judged together.
//!
//! The rules they hold Kith to (PRODUCT.md §3): something owed (a late or due follow-up, a
//! report-back) comes before a routine check-in that is a little late, and a late promise
//! weighs more each day; what can only be done today (a birthday today, a promise due
//! today) comes before everything that can wait a day, whatever the circle and however late
//! (checked against every circle at four lateness levels, and with daily budgets of 1 to 5);
//! a birthday today leads for close people; "touched recently" softens routine suggestions
//! but never hides something owed; days are the user's calendar days in their zone; a goal
//! lifts the people who would advance it, and one behind pace comes before an acquaintance a
//! few days late; imported connections are not a debt.

mod judged_support;

use judged_support::{goal, p, run_all, Scenario};
use kith_core::goals::{GoalKind, GoalStatus, Metric, Period};
use kith_core::model::{Channel, Circle};
use kith_core::rank::Action;

fn scenarios() -> Vec<Scenario> {
    vec![
        // ── Something owed against routine check-ins ─────────────────────────────────
        Scenario::new("a week-late promise to a close friend leads over a due check-in")
            .person(p("Ana").circle(Circle::Close).touched(20).promise("send the deck", -7))
            .person(p("Ben").circle(Circle::Close).touched(33))
            .first("Ana")
            .top3(&["Ana", "Ben"]),
        Scenario::new("a promise due today beats a contact a few days past their cadence")
            .person(p("Cy").touched(10).promise("send the intro", 0))
            .person(p("Dan").touched(95))
            .first("Cy")
            .top3(&["Cy", "Dan"]),
        Scenario::new("reporting back on finished homework beats someone barely due")
            .person(p("Eva").touched(20).reported_nothing("read the book she recommended"))
            .person(p("Finn").touched(92))
            .first("Eva")
            .reason("Eva", "You finished “read the book she recommended”"),
        Scenario::new("a late promise weighs more the later it is")
            .person(p("Gus").touched(10).promise("send notes", -2))
            .person(p("Hal").touched(10).promise("send notes", -12))
            .first("Hal"),
        Scenario::new("a late promise to an acquaintance beats a routine acquaintance check-in")
            .person(p("Ivy").circle(Circle::Acquaintance).touched(30).promise("share the repo", -3))
            .person(p("Jon").circle(Circle::Acquaintance).touched(190))
            .first("Ivy"),
        Scenario::new("a neglected inner friend and a day-late promise both make the list")
            .person(p("Kai").circle(Circle::Inner).touched(45))
            .person(p("Lea").circle(Circle::Acquaintance).touched(20).promise("send the link", -1))
            .person(p("Moe").touched(20))
            .top3(&["Kai", "Lea"])
            .absent(&["Moe"]),
        Scenario::new("a late promise comes before one due in three days")
            .person(p("Mo").touched(10).promise("book the room", 3))
            .person(p("Ned").touched(10).promise("send the slides", -2))
            .first("Ned")
            .top3(&["Ned", "Mo"]),
        Scenario::new("a follow-up due next month lists no one yet")
            .person(p("Ola").touched(10).promise("send the report", 30))
            .empty(),
        Scenario::new("a week-late promise to a close friend leads over a network contact gone silent for a year")
            .person(p("Nils").circle(Circle::Close).touched(10).promise("return the book", -7))
            .person(p("Olga").touched(400))
            .first("Nils"),
        Scenario::new("the reason says how late a promise is")
            .person(p("Pat").touched(10).promise("send the deck", -4))
            .reason("Pat", "Follow-up 4 days late: send the deck"),
        Scenario::new("a promise due today says so")
            .person(p("Quinn").touched(10).promise("call back", 0))
            .reason("Quinn", "Follow-up due today: call back"),
        // ── Birthdays ─────────────────────────────────────────────────────────────────
        Scenario::new("a birthday today leads for an inner friend")
            .person(p("Quin").circle(Circle::Inner).touched(5).birthday_in(0))
            .person(p("Ray").circle(Circle::Close).touched(40))
            .first("Quin")
            .action("Quin", Action::WishHappyBirthday),
        Scenario::new("a close friend's birthday today leads over several people due")
            .person(p("Sol").circle(Circle::Close).touched(10).birthday_in(0))
            .person(p("Tom").touched(120))
            .person(p("Uma").circle(Circle::Close).touched(36))
            .first("Sol")
            .top3(&["Sol", "Tom", "Uma"]),
        Scenario::new("a close friend's birthday today leads over someone silent for years")
            .person(p("Lars").circle(Circle::Close).touched(3).birthday_in(0))
            .person(p("Mona").touched(3 * 365))
            .first("Lars"),
        Scenario::new("a birthday tomorrow beats a routine check-in")
            .person(p("Val").touched(30).birthday_in(1))
            .person(p("Wes").touched(93))
            .first("Val")
            .reason("Val", "Birthday tomorrow"),
        Scenario::new("a birthday in five days is a reason, not a leader")
            .person(p("Xia").touched(30).birthday_in(5))
            .person(p("Yann").touched(95))
            .first("Yann"),
        Scenario::new("an acquaintance's birthday does not beat a late promise")
            .person(p("Zed").circle(Circle::Acquaintance).touched(30).birthday_in(0))
            .person(p("Abe").touched(10).promise("send the contract", -5))
            .first("Abe")
            .top3(&["Abe", "Zed"]),
        Scenario::new("29 February is celebrated on 1 March in a common year")
            .at("2027-03-01T10:00:00Z")
            .person(p("Bea").circle(Circle::Close).touched(10).birthday(2, 29))
            .person(p("Cal").touched(100))
            .first("Bea")
            .reason("Bea", "Birthday today"),
        Scenario::new("a birthday this week is mentioned when nothing else is due")
            .person(p("Sara").circle(Circle::Close).touched(10).birthday_in(3))
            .person(p("Tim").touched(10))
            .top3(&["Sara"])
            .absent(&["Tim"]),
        // ── What can only be done today, before what can wait a day ──────────────────
        Scenario::new("two birthdays today make a plan of three over a check-in 117 days late")
            .person(p("Ana").touched(40).birthday_in(0))
            .person(p("Ben").circle(Circle::Acquaintance).touched(20).birthday_in(0))
            .person(p("Cy").touched(90 + 117))
            .person(p("Dot").circle(Circle::Close).touched(50))
            .person(p("Eli").circle(Circle::Inner).touched(20))
            .plan(2, &["Ana", "Ben"])
            .plan(3, &["Ana", "Ben"])
            .above("Ben", "Cy")
            .reason("Cy", "Overdue: was due 117 days ago (every 90 days)"),
        Scenario::new("a promise due today comes before an inner friend a few days late")
            .person(p("Fay").circle(Circle::Acquaintance).touched(10).promise("send the link", 0))
            .person(p("Gus").circle(Circle::Inner).touched(17))
            .first("Fay")
            .plan(2, &["Fay", "Gus"]),
        Scenario::new("an acquaintance's birthday today comes before an inner friend a few days late")
            .person(p("Hal").circle(Circle::Acquaintance).touched(30).birthday_in(0))
            .person(p("Ivy").circle(Circle::Inner).touched(18))
            .first("Hal")
            .action("Hal", Action::WishHappyBirthday),
        Scenario::new("a birthday today and a promise due today fill a plan of two before four people late")
            .person(p("Jan").circle(Circle::Inner).touched(20))
            .person(p("Kit").circle(Circle::Close).touched(70).history(6, 30))
            .person(p("Lin").touched(300))
            .person(p("Max").circle(Circle::Acquaintance).touched(400))
            .person(p("Nia").circle(Circle::Acquaintance).touched(5).birthday_in(0))
            .person(p("Oz").touched(8).promise("book the table", 0))
            .plan(1, &["Oz"])
            .plan(2, &["Oz", "Nia"])
            .plan(3, &["Oz", "Nia", "Lin"])
            .plan(4, &["Oz", "Nia", "Lin", "Kit"])
            .plan(5, &["Oz", "Nia", "Lin", "Kit", "Max"])
            .above("Max", "Jan"),
        Scenario::new("a birthday today comes before a strong tie gone quiet, overdue and in a goal")
            .goal(goal("Stay close to old friends", Metric::InteractionsLogged, 8, Period::Monthly).tag("old friend"))
            .person(p("Pia").circle(Circle::Inner).tag("old friend").added(3000).touched(2 * 365).history(20, 20).goes_to_event_in(3))
            .person(p("Rex").circle(Circle::Acquaintance).touched(4).birthday_in(0))
            .first("Rex")
            .plan(2, &["Rex", "Pia"])
            .why("Pia", "All that can wait a day counts at most 48"),
        Scenario::new("a report-back and a birthday tomorrow wait for a promise due today")
            .person(p("Sid").circle(Circle::Close).touched(40).reported_nothing("read the paper").birthday_in(1))
            .person(p("Tea").circle(Circle::Acquaintance).touched(6).promise("send the photos", 0))
            .first("Tea"),
        Scenario::new("a promise late still comes before a birthday today of an acquaintance")
            .person(p("Uma").circle(Circle::Acquaintance).touched(30).birthday_in(0))
            .person(p("Val").circle(Circle::Acquaintance).touched(30).promise("return the drill", -2))
            .first("Val")
            .plan(2, &["Val", "Uma"]),
        Scenario::new("a close friend's birthday today comes before a promise to another close friend a few days late")
            .person(p("Wyn").circle(Circle::Close).touched(10).birthday_in(0))
            .person(p("Xev").circle(Circle::Close).touched(10).promise("send the photos", -3))
            .first("Wyn")
            .plan(2, &["Wyn", "Xev"]),
        Scenario::new("two promises due today and a birthday today fill a plan of three before inner friends late")
            .person(p("Ada").circle(Circle::Inner).touched(30))
            .person(p("Bob").circle(Circle::Inner).touched(60))
            .person(p("Cat").circle(Circle::Inner).touched(16))
            .person(p("Dan").circle(Circle::Acquaintance).touched(3).promise("send the CV", 0))
            .person(p("Ema").circle(Circle::Network).touched(3).promise("share the notes", 0))
            .person(p("Fox").circle(Circle::Acquaintance).touched(3).birthday_in(0))
            .plan(3, &["Dan", "Ema", "Fox"])
            .above("Fox", "Bob"),
        // ── A goal behind pace, before an acquaintance a few days late ───────────────
        Scenario::new("someone who would advance a goal behind pace comes before an acquaintance a few days late on a half-year rhythm")
            .goal(goal("Talk to product managers", Metric::DistinctContactsReached, 6, Period::Monthly).tag("product manager"))
            .person(p("Gia").tag("product manager").touched(40))
            .person(p("Hob").circle(Circle::Acquaintance).touched(184))
            .first("Gia")
            .plan(1, &["Gia"])
            .why("Gia", "behind pace"),
        Scenario::new("an acquaintance who would advance a goal behind pace comes before another a few weeks late")
            .goal(goal("Meet people at Acme", Metric::DistinctContactsReached, 6, Period::Monthly).tag("acme"))
            .person(p("Ike").circle(Circle::Acquaintance).tag("acme").touched(60))
            .person(p("Jem").circle(Circle::Acquaintance).touched(200))
            .above("Ike", "Jem")
            .plan(1, &["Ike"]),
        Scenario::new("a goal behind pace does not beat someone half a cadence late")
            .goal(goal("Talk to product managers", Metric::DistinctContactsReached, 6, Period::Monthly).tag("product manager"))
            .person(p("Kay").tag("product manager").touched(40))
            .person(p("Lev").touched(140))
            .first("Lev")
            .plan(2, &["Lev", "Kay"]),
        Scenario::new("a reconnect goal does not lift someone seen this week, even last month")
            .at("2026-12-03T10:00:00Z")
            .goal(goal("Reconnect with former colleagues", Metric::DistinctContactsReached, 5, Period::Monthly).tag("former colleague").kind(GoalKind::ReconnectColleagues))
            .person(p("Ola").tag("former colleague").touched(4))
            .person(p("Pim").tag("former colleague").touched(40))
            .top3(&["Pim"])
            .absent(&["Ola"])
            .reason("Pim", "Goal: former colleagues, 0 of 5"),
        // ── Reasons read right ──────────────────────────────────────────────────────
        Scenario::new("a birthday a week from a Thursday is next Thursday")
            .at("2026-12-03T10:00:00Z")
            .person(p("Quy").circle(Circle::Close).touched(40).birthday_in(7))
            .reason("Quy", "Birthday next Thursday"),
        Scenario::new("their time is said only when it is not the user's, with what to do at their night")
            .person(p("Ria").circle(Circle::Close).touched(40).channel(Channel::Call).lives_in("Europe/Lisbon"))
            .person(p("Sam").circle(Circle::Close).touched(40).channel(Channel::Call).lives_in("America/Los_Angeles"))
            .action("Ria", Action::Call)
            .action("Sam", Action::Message)
            .reason("Sam", "02:00 there — message instead"),
        // ── Touched recently ─────────────────────────────────────────────────────────
        Scenario::new("a birthday today is not hidden by a call yesterday")
            .person(p("Cal").circle(Circle::Inner).touched_hours(20).birthday_in(0))
            .person(p("Dot").touched(100))
            .first("Cal"),
        Scenario::new("someone just seen who is owed a late follow-up stays listed")
            .person(p("Dee").touched_hours(20).promise("send the slides", -3))
            .person(p("Eli").touched(100))
            .top3(&["Dee", "Eli"]),
        Scenario::new("someone just seen whose homework is done gets the report-back")
            .person(p("Eli").touched_hours(30).reported_nothing("try the climbing gym"))
            .top3(&["Eli"])
            .action("Eli", Action::ReportBack),
        Scenario::new("a promise due today to someone seen this morning stays listed")
            .person(p("Rhea").circle(Circle::Inner).touched_hours(3).promise("send the photos", 0))
            .top3(&["Rhea"]),
        Scenario::new("a recent touch softens a routine goal lift")
            .goal(goal("Learn from designers", Metric::InteractionsLogged, 6, Period::Monthly).tag("designer"))
            .person(p("Fay").tag("designer").touched_hours(20))
            .person(p("Gil").tag("designer").touched(50))
            .first("Gil")
            .absent(&["Fay"]),
        Scenario::new("someone seen this morning is not listed for a birthday next week")
            .person(p("Hana").touched_hours(3).birthday_in(4))
            .empty(),
        // ── The user's calendar days, in their zone ──────────────────────────────────
        Scenario::new("lateness counts calendar days: last evening's call is a day ago")
            .zone("Europe/Lisbon")
            .at("2026-11-23T08:00:00Z")
            .person(p("Ivo").circle(Circle::Close).touched_at("2026-10-23T22:00:00Z"))
            .reason("Ivo", "Due 1 day ago (every 30 days)"),
        Scenario::new("a day that lost an hour to daylight saving still counts as a day")
            .zone("Europe/Berlin")
            .at("2026-04-18T22:15:00Z")
            .person(p("Jo").circle(Circle::Close).touched_at("2026-03-19T23:30:00Z"))
            .top3(&["Jo"])
            .reason("Jo", "Due today (every 30 days)"),
        Scenario::new("the user's day, not UTC's, decides that someone is due today")
            .zone("Pacific/Auckland")
            .at("2026-11-23T12:00:00Z")
            .person(p("Kiri").circle(Circle::Close).touched_at("2026-10-24T20:00:00Z"))
            .top3(&["Kiri"])
            .reason("Kiri", "Due today (every 30 days)"),
        Scenario::new("a follow-up due today where the user lives is due, not late")
            .zone("America/Los_Angeles")
            .at("2026-11-24T06:00:00Z")
            .person(p("Kim").touched(10).promise_on("send the invoice", "2026-11-23"))
            .person(p("Lou").touched(10).promise_on("send the draft", "2026-11-22"))
            .first("Lou")
            .reason("Kim", "Follow-up due today: send the invoice")
            .reason("Lou", "Follow-up 1 day late: send the draft"),
        Scenario::new("a birthday today where the user lives, while UTC is still yesterday")
            .zone("Asia/Tokyo")
            .at("2026-11-22T16:00:00Z")
            .person(p("Mia").circle(Circle::Inner).touched(5).birthday(11, 23))
            .person(p("Nao").touched(100))
            .first("Mia")
            .reason("Mia", "Birthday today"),
        Scenario::new("one day overdue is one day")
            .person(p("Quentin").circle(Circle::Close).touched(31))
            .reason("Quentin", "Due 1 day ago (every 30 days)"),
        Scenario::new("a call is not suggested in the middle of their night")
            .person(p("Leilani").circle(Circle::Close).touched(40).channel(Channel::Call).lives_in("Pacific/Honolulu"))
            .action("Leilani", Action::Message),
        // ── Goals ────────────────────────────────────────────────────────────────────
        Scenario::new("a goal lifts someone not yet reached this period, not someone already counted")
            .goal(goal("Reconnect with former colleagues", Metric::DistinctContactsReached, 4, Period::Monthly).tag("former colleague"))
            .person(p("Otto").tag("former colleague").touched(3))
            .person(p("Pam").tag("former colleague").touched(70))
            .top3(&["Pam"])
            .absent(&["Otto"]),
        Scenario::new("a goal's reason says what one touch would do")
            .goal(goal("Reconnect with former colleagues", Metric::DistinctContactsReached, 4, Period::Monthly).tag("former colleague"))
            .person(p("Otto").tag("former colleague").touched(3))
            .person(p("Pam").tag("former colleague").touched(70))
            .reason("Pam", "Goal: former colleagues, 1 of 4"),
        Scenario::new("a weekly goal lifts its people from the first morning of the week")
            .goal(goal("Talk to product managers", Metric::DistinctContactsReached, 3, Period::Weekly).tag("product manager"))
            .person(p("Qin").tag("product manager").touched(40))
            .person(p("Rob").touched(40))
            .top3(&["Qin"])
            .absent(&["Rob"]),
        Scenario::new("a goal already met this period lifts no one")
            .goal(goal("Reconnect", Metric::DistinctContactsReached, 1, Period::Monthly).tag("former colleague"))
            .person(p("Sam").tag("former colleague").touched(60))
            .person(p("Sue").tag("former colleague").touched(4))
            .empty(),
        Scenario::new("a paused goal lifts no one")
            .goal(goal("Reconnect", Metric::DistinctContactsReached, 5, Period::Monthly).tag("former colleague").status(GoalStatus::Paused))
            .person(p("Tia").tag("former colleague").touched(60))
            .empty(),
        Scenario::new("someone never met is suggested for a goal about meeting new people")
            .goal(goal("Meet designers", Metric::NewContactsMet, 2, Period::Monthly).tag("designer"))
            .person(p("Uri").tag("designer").added(5))
            .person(p("Vic").tag("designer").touched(40))
            .top3(&["Uri"])
            .absent(&["Vic"])
            .reason("Uri", "Goal: designers, 0 of 2"),
        Scenario::new("a goal lift does not beat a late promise")
            .goal(goal("Reconnect", Metric::DistinctContactsReached, 5, Period::Monthly).tag("former colleague"))
            .person(p("Wil").touched(10).promise("send the CV", -4))
            .person(p("Xan").tag("former colleague").touched(60))
            .first("Wil")
            .top3(&["Wil", "Xan"]),
        Scenario::new("a goal about interactions lifts its people every time")
            .goal(goal("Learn from designers", Metric::InteractionsLogged, 8, Period::Monthly).tag("designer"))
            .person(p("Yara").tag("designer").touched(6))
            .top3(&["Yara"]),
        // ── Imported connections ─────────────────────────────────────────────────────
        Scenario::new("LinkedIn connections made years ago are not a debt")
            .people((0..30).map(|i| {
                p(&format!("Connection {i:02}"))
                    .circle(Circle::Acquaintance)
                    .added(3)
                    .connected(400 + i * 90)
            }))
            .person(p("Yve").touched(100))
            .first("Yve")
            .absent(&["Connection 00", "Connection 15", "Connection 29"]),
        Scenario::new("a connection called since is kept by cadence again")
            .person(p("Zoe").circle(Circle::Acquaintance).added(3).connected(5 * 365).touched(200))
            .top3(&["Zoe"]),
        Scenario::new("a connection given a cadence of their own is due")
            .person(p("Ada").circle(Circle::Acquaintance).every(30).added(3).connected(400))
            .top3(&["Ada"]),
        Scenario::new("imported connections still serve goals")
            .goal(goal("Reconnect with Acme alumni", Metric::DistinctContactsReached, 3, Period::Monthly).tag("acme"))
            .person(p("Bo").tag("acme").circle(Circle::Acquaintance).added(3).connected(3 * 365))
            .top3(&["Bo"])
            .reason("Bo", "Goal: Acme alumni, 0 of 3"),
        Scenario::new("imported connections are the new people of a goal about meeting people")
            .goal(goal("Meet people at Acme", Metric::NewContactsMet, 2, Period::Monthly).tag("acme"))
            .person(p("Cleo").tag("acme").circle(Circle::Acquaintance).added(3).connected(2 * 365))
            .top3(&["Cleo"]),
        // ── Tag cadence rules ─────────────────────────────────────────────────────────
        Scenario::new("a tag rule makes its people due sooner than their circle would")
            .rule("former colleague", 60)
            .person(p("Eve").tag("former colleague").touched(65))
            .person(p("Frank").touched(65))
            .top3(&["Eve"])
            .absent(&["Frank"])
            .reason("Eve", "Due 5 days ago (every 60 days)"),
        Scenario::new("a contact's own cadence beats a tag rule")
            .rule("mentor", 14)
            .person(p("Gina").tag("mentor").every(90).touched(20))
            .person(p("Hugo").tag("mentor").touched(20))
            .top3(&["Hugo"])
            .absent(&["Gina"]),
        Scenario::new("the shortest of two tag rules applies")
            .rule("mentor", 20)
            .rule("former colleague", 60)
            .person(p("Iris").tag("former colleague").tag("mentor").touched(25))
            .reason("Iris", "Due 5 days ago (every 20 days)"),
        // ── Snoozed, dismissed, archived ─────────────────────────────────────────────
        Scenario::new("a snoozed person never appears, even when owed")
            .person(p("Dora").touched(10).promise("pay back", -10).snoozed(3))
            .person(p("Ed").touched(100))
            .absent(&["Dora"])
            .first("Ed"),
        Scenario::new("an archived person never appears")
            .person(p("Fox").touched(300).archived())
            .empty(),
        Scenario::new("a person dismissed today waits until tomorrow")
            .person(p("Gia").circle(Circle::Close).touched(50).dismissed())
            .person(p("Hol").touched(100))
            .absent(&["Gia"])
            .first("Hol"),
        // ── Ties, circles, tiny networks ─────────────────────────────────────────────
        Scenario::new("an empty network has nothing to suggest").empty(),
        Scenario::new("one person, not due: nothing to suggest")
            .person(p("Ian").touched(5))
            .empty(),
        Scenario::new("equally late, the closer circle comes first")
            .person(p("Hol").touched(135))
            .person(p("Gia").circle(Circle::Close).touched(45))
            .first("Gia"),
        Scenario::new("equally late in one circle, the names decide")
            .person(p("Ivan").touched(100))
            .person(p("Abel").touched(100))
            .first("Abel"),
        Scenario::new("a strong tie gone quiet resurfaces")
            .person(p("Jade").every(365).touched(200).history(8, 30))
            .top3(&["Jade"])
            .reason("Jade", "Quiet for 6 months after 9 conversations"),
        Scenario::new("an event coming up turns a due touch into an invitation")
            .person(p("Pete").touched(95).goes_to_event_in(5))
            .action("Pete", Action::InviteToEvent),
        Scenario::new("an event alone adds no one")
            .person(p("Ruth").touched(10).goes_to_event_in(5))
            .empty(),
    ]
}

#[test]
fn today_picks_what_a_thoughtful_friend_would_pick() {
    let mut all = scenarios();
    all.extend(only_today_against_every_circle_and_lateness());
    run_all(all);
}

/// A birthday today and a promise due today, each to an acquaintance, against a check-in in
/// every circle at every lateness: a few days, half a cadence, two cadences, ten (with a
/// strong history gone quiet): what can only be done today comes first.
fn only_today_against_every_circle_and_lateness() -> Vec<Scenario> {
    let mut out = Vec::new();
    for circle in Circle::ALL {
        let cadence = i64::from(circle.default_cadence_days());
        for (late, words) in [
            (3, "a few days"),
            (cadence / 2, "half a cadence"),
            (cadence, "a whole cadence"),
            (9 * cadence, "nine cadences"),
        ] {
            let late_one = || {
                let person = p("Late")
                    .circle(circle)
                    .added(20 * cadence)
                    .touched(cadence + late);
                if late > cadence {
                    person.history(10, 30)
                } else {
                    person
                }
            };
            out.push(
                Scenario::new(&format!(
                    "an acquaintance's birthday today comes before a {circle:?} check-in {words} late"
                ))
                .person(late_one())
                .person(p("Today").circle(Circle::Acquaintance).touched(10).birthday_in(0))
                .first("Today")
                .plan(2, &["Today", "Late"]),
            );
            out.push(
                Scenario::new(&format!(
                    "a promise due today to an acquaintance comes before a {circle:?} check-in {words} late"
                ))
                .person(late_one())
                .person(p("Today").circle(Circle::Acquaintance).touched(10).promise("send it", 0))
                .first("Today")
                .plan(2, &["Today", "Late"]),
            );
        }
    }
    out
}

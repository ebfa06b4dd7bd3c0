//! Today, judged: small networks written down as a thoughtful friend would weigh them, each
//! with who must make the top three, who must come first where it is obvious, and who must
//! not appear. Every network is built through the store on a real SQLite file and ranked by
//! `Store::today`, so loading and ranking are judged together.
//!
//! The rules they hold Kith to (PRODUCT.md §3): something owed (a late or due follow-up, a
//! report-back) comes before a routine check-in that is a little late, and a late promise
//! weighs more each day; a birthday today leads for close people; "touched recently"
//! softens routine suggestions but never hides something owed; days are the user's
//! calendar days in their zone; a goal lifts the people who would advance it; imported
//! connections are not a debt.

mod judged_support;

use judged_support::{goal, p, run_all, Scenario};
use kith_core::goals::{GoalStatus, Metric, Period};
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
            .reason("Ivo", "Overdue by 1 day (every 30 days)"),
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
            .reason("Quentin", "Overdue by 1 day (every 30 days)"),
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
            .reason("Pam", "would make it 2 of 4"),
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
            .reason("Uri", "Someone new for “Meet designers”"),
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
            .reason("Bo", "Counts toward “Reconnect with Acme alumni”"),
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
            .reason("Eve", "Overdue by 5 days (every 60 days)"),
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
            .reason("Iris", "Overdue by 5 days (every 20 days)"),
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
    run_all(scenarios());
}

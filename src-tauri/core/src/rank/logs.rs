//! What Done on a Today card records: the kind of touch each action logs, decided here so
//! the window only shows it ([`super::Suggestion::logs`]).

use super::Action;
use crate::history::InteractionKind;

impl Action {
    /// The kind of touch that doing this logs.
    pub fn logs(self) -> InteractionKind {
        match self {
            Action::Call => InteractionKind::Call,
            Action::VideoCall => InteractionKind::VideoCall,
            Action::Email => InteractionKind::Email,
            Action::InviteForCoffee => InteractionKind::Coffee,
            Action::ShareArticle => InteractionKind::SharedArticle,
            Action::SayThanks => InteractionKind::ThankYouNote,
            // Asking, reporting back, wishing and inviting are written words.
            Action::Message
            | Action::AskHowTheyAre
            | Action::ReportBack
            | Action::WishHappyBirthday
            | Action::InviteToEvent => InteractionKind::Message,
            // A promise kept is whatever it was; Today ticks the follow-up itself when it can.
            Action::DoFollowUp => InteractionKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_logs_the_touch_it_is() {
        let logs = |a: Action| a.logs();
        assert_eq!(logs(Action::VideoCall), InteractionKind::VideoCall);
        assert_eq!(logs(Action::InviteForCoffee), InteractionKind::Coffee);
        assert_eq!(logs(Action::ShareArticle), InteractionKind::SharedArticle);
        assert_eq!(logs(Action::SayThanks), InteractionKind::ThankYouNote);
        assert_eq!(logs(Action::WishHappyBirthday), InteractionKind::Message);
        assert_eq!(logs(Action::DoFollowUp), InteractionKind::Other);
    }
}

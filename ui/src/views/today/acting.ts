// What each button of a Today card does, and how it is taken back. A card acted on becomes
// an `Acted` row in its place: what was done, an offer to go on where there is one ("Let
// them know"), and an Undo that reverts every step taken from that card.

import { api, type Suggestion } from "../../lib/api";
import { actions } from "../../lib/format";

export type Choice = "done" | "tomorrow" | "week" | "notToday";

export type Acted = {
  message: string;
  /** A next step offered beside the message (the loop-back after a promise kept). */
  offer: { label: string; run: () => Promise<Acted> } | null;
  undo: () => Promise<void>;
};

/** True when "Done" on this card ticks the promise it is about rather than logging a touch. */
export const keepsPromise = (s: Suggestion): s is Suggestion & { followUpId: number } =>
  s.action === "doFollowUp" && s.followUpId !== null;

/** The label of the card's first button: what pressing it records. */
export const doneLabel = (s: Suggestion): string => (keepsPromise(s) ? "Mark as done" : "Log as done");

export async function act(s: Suggestion, choice: Choice): Promise<Acted> {
  const unhide = () => api.unhideSuggestion(s.contactId).then(() => undefined);
  switch (choice) {
    case "tomorrow":
      await api.snoozeSuggestion(s.contactId, 1);
      return { message: `${s.name} is back tomorrow.`, offer: null, undo: unhide };
    case "week":
      await api.snoozeSuggestion(s.contactId, 7);
      return { message: `${s.name} is back in a week.`, offer: null, undo: unhide };
    case "notToday":
      await api.dismissSuggestion(s.contactId);
      return { message: `Not today for ${s.name}.`, offer: null, undo: unhide };
    case "done":
      return keepsPromise(s) ? keepPromise(s) : logTouch(s);
  }
}

/** Logs the touch the card stands for, of the kind the backend chose with its action. */
async function logTouch(s: Suggestion): Promise<Acted> {
  const what = actions[s.action];
  const logged = await api.logInteraction({
    contactIds: [s.contactId],
    kind: s.logs,
    occurredAt: new Date().toISOString(),
    direction: "outbound",
    notes: null,
  });
  return {
    message: `Logged: ${what.label.toLowerCase()} with ${s.name}.`,
    offer: null,
    undo: () => api.deleteInteraction(logged.id).then(() => undefined),
  };
}

async function keepPromise(s: Suggestion & { followUpId: number }): Promise<Acted> {
  const done = await api.setFollowUpDone(s.followUpId, true);
  const reopen = () => api.setFollowUpDone(s.followUpId, false).then(() => undefined);
  return {
    message: `Done: “${done.title}”. Let ${s.name} know?`,
    offer: {
      label: "Let them know",
      run: async () => {
        const told = await api.reportBack(s.followUpId);
        return {
          message: `Done: “${done.title}”, and ${s.name} knows (a message is logged).`,
          offer: null,
          undo: async () => {
            await api.deleteInteraction(told.id);
            await reopen();
          },
        };
      },
    },
    undo: reopen,
  };
}

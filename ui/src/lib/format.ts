// Words and dates as the UI shows them. One place for labels, so every view says the same.

import type { Circle } from "./bindings/Circle";
import type { Channel } from "./bindings/Channel";
import type { InteractionKind } from "./bindings/InteractionKind";
import type { GoalKind } from "./bindings/GoalKind";
import type { Metric } from "./bindings/Metric";
import type { Pace } from "./bindings/Pace";
import type { Period } from "./bindings/Period";
import type { Action } from "./bindings/Action";

export const circleLabels: Record<Circle, string> = {
  inner: "Inner circle",
  close: "Close",
  network: "Network",
  acquaintance: "Acquaintance",
};

export const channelLabels: Record<Channel, string> = {
  call: "Call",
  video: "Video call",
  email: "Email",
  message: "Message",
  inPerson: "In person",
};

export const kindLabels: Record<InteractionKind, string> = {
  call: "Call",
  videoCall: "Video call",
  email: "Email",
  message: "Message",
  coffee: "Coffee",
  meeting: "Meeting",
  event: "Event",
  intro: "Intro",
  sharedArticle: "Shared an article",
  thankYouNote: "Thank-you note",
  /** Written by imports (LinkedIn's "Connected On"); not offered when logging. */
  connected: "Connected",
  other: "Other",
};

const DAY = 86_400_000;

/** The user's time zone from Settings: days are their calendar days there. */
let userZone: string | undefined;

/** `words` as the start of a sentence or a choice in a list: "how you met" → "How you met". */
export function capitalised(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function setUserZone(zone: string) {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    userZone = zone;
  } catch {
    userZone = undefined;
  }
}

/** The day of `d` in the user's zone, as a count of days (so differences are calendar days). */
function dayNumber(d: Date): number {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: userZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(d);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part("year"), part("month") - 1, part("day")) / DAY;
}

/** A plain calendar date ("2026-12-24") is that day wherever the user is. */
function dateNumber(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY : null;
}

/**
 * "today", "in 3 days", "12 days ago" (up to about three months), then a date: counted in
 * the user's calendar days in their zone, across daylight-saving changes. Takes an instant
 * or a plain date.
 */
export function relativeDay(iso: string, now: Date = new Date()): string {
  const plain = dateNumber(iso);
  const then = plain === null ? new Date(iso) : new Date(plain * DAY);
  const days = (plain ?? dayNumber(then)) - dayNumber(now);
  if (days === 0) return "today";
  if (days === 1) return "tomorrow";
  if (days === -1) return "yesterday";
  if (Math.abs(days) < 100) return days > 0 ? `in ${days} days` : `${-days} days ago`;
  return then.toLocaleDateString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    timeZone: plain === null ? userZone : "UTC",
  });
}

export function longDate(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, {
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
  });
}

/** "Dec 1, 2026, 9:38 PM": when something was done, as a settings list shows it. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** "just now", "2 minutes ago", "3 hours ago", then the date and time: a recent moment. */
export function ago(iso: string, now: Date = new Date()): string {
  const minutes = Math.floor((now.getTime() - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return minutes === 1 ? "a minute ago" : `${minutes} minutes ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return hours === 1 ? "an hour ago" : `${hours} hours ago`;
  return dateTime(iso);
}

export function time(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/** A `datetime-local` input value for a date, in local time. */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const goalKinds: { kind: GoalKind; label: string; hint: string }[] = [
  { kind: "secureRole", label: "Secure a new role", hint: "Talk to people who can open doors." },
  { kind: "buildSkill", label: "Build a new skill", hint: "Learn from people who do it well." },
  { kind: "changeField", label: "Move into a new industry or function", hint: "Meet people where you want to be." },
  { kind: "reconnectColleagues", label: "Reconnect with former colleagues", hint: "Old ties are the warmest." },
  { kind: "growVisibility", label: "Grow visibility in my organisation", hint: "Be known beyond your team." },
  { kind: "attendEvents", label: "Attend networking events", hint: "Show up, meet people, follow up." },
  { kind: "custom", label: "Something else", hint: "Your own goal, your own rules." },
];

export const metricLabels: Record<Metric, string> = {
  interactionsLogged: "interactions",
  distinctContactsReached: "people reached",
  newContactsMet: "new people met",
  eventsAttended: "events attended",
  followUpsCompleted: "follow-ups done",
};

export const periodLabels: Record<Period, string> = {
  weekly: "every week",
  monthly: "every month",
  byDeadline: "by a date",
};

/** The pace in words: "2 behind", "on track", … */
export function paceText(pace: Pace): string {
  switch (pace.state) {
    case "ahead":
      return `${pace.by} ahead of pace`;
    case "behind":
      return `behind by ${pace.by}`;
    case "onTrack":
      return "on track";
    case "done":
      return "done for this period";
    case "inactive":
      return "not running";
  }
}

/** What a suggestion asks the user to do, in words (what "Log as done" records comes with it: `logs`). */
export const actions: Record<Action, { label: string }> = {
  call: { label: "Call" },
  videoCall: { label: "Video call" },
  email: { label: "Send an email" },
  message: { label: "Send a message" },
  inviteForCoffee: { label: "Invite for a coffee" },
  shareArticle: { label: "Share an article" },
  sayThanks: { label: "Say thanks" },
  askHowTheyAre: { label: "Ask how they are" },
  reportBack: { label: "Report back on your homework" },
  doFollowUp: { label: "Do what you promised" },
  wishHappyBirthday: { label: "Wish a happy birthday" },
  inviteToEvent: { label: "Invite them to the event" },
};

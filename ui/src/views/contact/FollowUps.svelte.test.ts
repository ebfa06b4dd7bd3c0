// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Contact } from "../../lib/api";
import { closeForm, openForm, settle, typeInto } from "../../lib/test-dom";
import FollowUps from "./FollowUps.svelte";
import Reminders from "./Reminders.svelte";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  closeForm();
  document.body.innerHTML = "";
  clearMocks();
});

const person = (id: number, displayName: string) => ({ id, displayName }) as unknown as Contact;
const field = (id: string) => document.getElementById(id) as HTMLInputElement;

describe("FollowUps and Reminders", () => {
  it("keep a half-typed follow-up with its person when another is opened", () => {
    const props = $state({ contact: person(1, "Marta Silva"), followUps: [], onchanged: async () => {} });
    mounted = mount(FollowUps, { target: document.body, props });
    flushSync();
    typeInto(field("fu-title"), "Send Marta the slides");

    props.contact = person(2, "Priya Raman");
    flushSync();
    expect(field("fu-title").value).toBe("");

    props.contact = person(1, "Marta Silva");
    flushSync();
    expect(field("fu-title").value).toBe("Send Marta the slides");
  });

  it("keep a half-typed reminder with its person when the page goes", async () => {
    mockIPC((cmd) => {
      if (cmd === "list_reminders") return [];
      if (cmd.startsWith("plugin:event|")) return 1;
      if (cmd === "repeat_choices") return [{ repeat: { kind: "never" }, words: "once" }];
      throw `unexpected ${cmd}`;
    });
    openForm(Reminders, { contact: person(3, "Ana Lima") });
    await settle();
    typeInto(field("rem-title"), "Ask Ana about Lisbon");
    closeForm();
    document.body.innerHTML = "";

    openForm(Reminders, { contact: person(4, "Ben Okafor") });
    await settle();
    expect(field("rem-title").value).toBe("");
    closeForm();
    document.body.innerHTML = "";

    openForm(Reminders, { contact: person(3, "Ana Lima") });
    await settle();
    expect(field("rem-title").value).toBe("Ask Ana about Lisbon");
  });
});

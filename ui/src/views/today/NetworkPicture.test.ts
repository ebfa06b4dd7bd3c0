// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mount, unmount } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { NetworkPicture as Picture } from "../../lib/api";
import { settle } from "../../lib/test-dom";
import NetworkPicture from "./NetworkPicture.svelte";

/** 800 imported connections and 40 people kept up with, as after a LinkedIn import. */
let picture: Picture;
let mounted: Record<string, unknown> | null = null;

beforeEach(() => {
  picture = {
    weeks: [{ start: "2026-11-30", calls: 1, messages: 2, inPerson: 0, other: 0 }],
    circles: [
      { circle: "inner", count: 4 },
      { circle: "close", count: 10 },
      { circle: "network", count: 826 },
      { circle: "acquaintance", count: 0 },
    ],
    due: { upcoming: 35, due: 3, overdue: 2, noRhythm: 800 },
  };
  mockIPC((cmd) => (cmd === "network_picture" ? picture : null), { shouldMockEvents: true });
});

afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  clearMocks();
  document.body.innerHTML = "";
});

const chips = () =>
  [...document.body.querySelectorAll("[data-testid=network-due] .count-chip")].map((c) =>
    c.textContent?.replace(/\s+/g, " ").trim(),
  );

describe("the network picture", () => {
  it("counts people with no rhythm yet apart from those within their rhythm", async () => {
    mounted = mount(NetworkPicture, { target: document.body });
    await settle();
    expect(chips()).toEqual(["within their rhythm 35", "due 3", "overdue 2", "no rhythm yet 800"]);
  });

  it("says nothing of rhythms not yet given when everyone has one", async () => {
    picture.due = { upcoming: 35, due: 3, overdue: 2, noRhythm: 0 };
    mounted = mount(NetworkPicture, { target: document.body });
    await settle();
    expect(chips()).toEqual(["within their rhythm 35", "due 3", "overdue 2"]);
  });
});

// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { mount, unmount } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Duplicates from "./Duplicates.svelte";
import { press, settle, typeInto } from "../../lib/test-dom";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  clearMocks();
  document.body.innerHTML = "";
});

describe("Duplicates", () => {
  it("Escape in the merge-by-hand picker closes its list, not the pane; the next Escape does", async () => {
    mockIPC(
      (cmd) => {
        if (cmd === "find_duplicates") return { pairs: [], more: 0 };
        if (cmd === "search_contacts")
          return [{ id: 4, displayName: "Marcus Jonson", company: "Acme", role: null, circle: "network", due: "noRhythm" }];
        if (cmd === "count_contacts") return 1;
        return null;
      },
      { shouldMockEvents: true },
    );
    let closed = 0;
    mounted = mount(Duplicates, { target: document.body, props: { onmerged: () => {}, onclose: () => void closed++ } });
    await settle();
    const field = document.getElementById("merge-by-hand") as HTMLInputElement;
    field.focus();
    typeInto(field, "marc");
    await settle();
    await settle();
    expect(document.querySelector('[data-testid="merge-pick-suggestion"]')).not.toBeNull();
    press(field, "Escape");
    expect(document.querySelector('[data-testid="merge-pick-suggestion"]')).toBeNull();
    expect(closed).toBe(0);
    press(field, "Escape");
    expect(closed).toBe(1);
  });
});

// The window is always current: a screen names the parts of the network it shows and how to
// load them again, and reloads whenever another process (the command line, a sync round, a
// nudge answered from the notification) changes one of them. Only what the screen loads is
// replaced: scroll, selection and half-typed forms stay as they are.

import { onDestroy, onMount } from "svelte";
import { api, type Area } from "./api";

/** Reloads with `reload` when another process changes one of `areas`. Call while a component is set up. */
export function reloadOn(areas: Area[], reload: () => unknown): void {
  let stop: (() => void) | undefined;
  let gone = false;
  onMount(() => {
    void api
      .onChanged((changed) => {
        if (changed.some((a) => areas.includes(a))) void reload();
      })
      .then((unlisten) => {
        if (gone) unlisten();
        else stop = unlisten;
      });
  });
  onDestroy(() => {
    gone = true;
    stop?.();
  });
}

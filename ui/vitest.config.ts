import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Unit tests of the UI's plain TypeScript (the IPC door, helpers): no browser, Tauri's IPC
// mocked with @tauri-apps/api/mocks. The screens themselves are tested end to end.
export default defineConfig({
  // Compiles the runes in *.svelte.ts helpers.
  plugins: [svelte()],
  test: {
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/lib/test-setup.ts"],
  },
});

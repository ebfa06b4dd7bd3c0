import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Unit tests of the UI's plain TypeScript (the IPC door, helpers) and of the small kit's
// components (mounted in happy-dom: files that say `@vitest-environment happy-dom`), Tauri's
// IPC mocked with @tauri-apps/api/mocks. The screens themselves are tested end to end.
export default defineConfig({
  // Compiles the runes in *.svelte.ts helpers.
  plugins: [svelte()],
  // Svelte's client runtime (mount), not its server one.
  resolve: { conditions: ["browser"] },
  test: {
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/lib/test-setup.ts"],
  },
});

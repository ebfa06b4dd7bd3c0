import { defineConfig } from "vitest/config";

// Unit tests of the UI's plain TypeScript (the IPC door, helpers): no browser, Tauri's IPC
// mocked with @tauri-apps/api/mocks. The screens themselves are tested end to end.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/lib/test-setup.ts"],
  },
});

// Tauri's IPC mocks expect a browser's `window`; in Node the global object stands in.
(globalThis as unknown as { window: typeof globalThis }).window = globalThis;

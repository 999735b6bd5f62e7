import { defineConfig } from 'vitest/config';

// Browser tests against the running product; one file at a time since they share one server.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['./e2e/product.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});

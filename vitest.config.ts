import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    environment: 'jsdom', // not happy-dom: mark.js loops forever there
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    mockReset: true,
    restoreMocks: true,
    testTimeout: 20000,
  },
});

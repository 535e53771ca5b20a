import { defineConfig } from 'wxt';
import { normalizeZip } from './scripts/lib/deterministic-zip';

// Manifest and build settings. Permissions are explained in README.md ("Permissions").
export default defineConfig({
  // Reproducible packages: WXT's zips carry build times and file-system order; rewrite
  // them with a fixed time (SOURCE_DATE_EPOCH or 1980-01-01) and entries sorted by name.
  hooks: {
    'zip:extension:done': (_wxt, zipPath) => normalizeZip(zipPath),
    'zip:sources:done': (_wxt, zipPath) => normalizeZip(zipPath),
  },
  manifest: ({ browser }) => ({
    name: 'Drug Lens',
    description:
      'Finds drug names on web pages and explains them in a plain-language card. All data is bundled; nothing is sent anywhere.',
    permissions: ['storage', 'contextMenus'],
    commands: {
      'toggle-site': {
        suggested_key: { default: 'Alt+Shift+L' },
        description: 'Turn Drug Lens on or off for this site',
      },
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'drug-lens@drug-lens.example',
          strict_min_version: '140.0',
          data_collection_permissions: { required: ['none'] },
        },
        // data_collection_permissions needs Firefox for Android 142 (web-ext lint: KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION).
        gecko_android: { strict_min_version: '142.0' },
      },
    }),
  }),
});

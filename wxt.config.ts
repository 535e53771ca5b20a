import { defineConfig } from 'wxt';

// Manifest and build settings. Permissions are explained in README.md ("Permissions").
export default defineConfig({
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
      },
    }),
  }),
});

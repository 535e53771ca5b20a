import { describe, expect, it } from 'vitest';
import { applyPatch, migrateSettings } from '../../utils/settings';
import { DEFAULT_SETTINGS, isActiveOn, siteKey } from '../../utils/settings-core';

describe('settings', () => {
  it('migrates unversioned settings without losing valid choices', () => {
    const old = { blockedSites: ['news.example'], hover: true, color: '#ff0000', fontScale: 9 };
    const s = migrateSettings(old);
    expect(s.version).toBe(1);
    expect(s.disabledSites).toEqual(['news.example']);
    expect(s.trigger).toBe('hover');
    expect(s.color).toBe('#ff0000');
    expect(s.fontScale).toBe(DEFAULT_SETTINGS.fontScale); // invalid value falls back
  });

  it('rejects unknown or invalid fields in a patch', () => {
    expect(() => applyPatch(DEFAULT_SETTINGS, { evil: 1 })).toThrow();
    expect(() => applyPatch(DEFAULT_SETTINGS, { color: 'red; background:url(x)' })).toThrow();
    expect(applyPatch(DEFAULT_SETTINGS, { firstOnly: true }).firstOnly).toBe(true);
  });

  it('turns off per site and everywhere', () => {
    const s = applyPatch(DEFAULT_SETTINGS, { disabledSites: ['forum.example'] });
    expect(siteKey('https://www.forum.example/t/1')).toBe('forum.example');
    expect(isActiveOn(s, 'https://forum.example/x')).toBe(false);
    expect(isActiveOn(s, 'https://other.example/x')).toBe(true);
    expect(isActiveOn(applyPatch(s, { enabled: false }), 'https://other.example/x')).toBe(false);
  });
});

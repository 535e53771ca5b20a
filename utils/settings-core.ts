/**
 * The settings the content script needs, without the schema library: the shape, the
 * defaults and the site rules. Validation and migration live in settings.ts (background,
 * options, popup); the content script only receives settings the background has checked.
 */
export const SETTINGS_VERSION = 1;

export interface SettingsValues {
  version: 1;
  enabled: boolean;
  disabledSites: string[];
  highlightStyle: 'underline' | 'background' | 'outline';
  color: string;
  trigger: 'click' | 'hover';
  hoverDelayMs: number;
  firstOnly: boolean;
  maxMarks: number;
  theme: 'system' | 'light' | 'dark';
  fontScale: number;
  region: 'uk' | 'us' | 'both';
  view: 'patient' | 'student';
}

export const DEFAULT_SETTINGS: SettingsValues = {
  version: SETTINGS_VERSION,
  enabled: true,
  disabledSites: [],
  highlightStyle: 'underline',
  color: '#1a73e8',
  trigger: 'click',
  hoverDelayMs: 400,
  firstOnly: false,
  maxMarks: 2000,
  theme: 'system',
  fontScale: 1,
  region: 'both',
  view: 'patient',
};

/**
 * Settings as the background sent them (already validated there), over the defaults;
 * a field of the wrong type keeps its default.
 */
export function withDefaults(value: unknown): SettingsValues {
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const d = (DEFAULT_SETTINGS as unknown as Record<string, unknown>)[k];
      if (k !== 'version' && d !== undefined && typeof v === typeof d && Array.isArray(v) === Array.isArray(d)) out[k] = v;
    }
  }
  return out as unknown as SettingsValues;
}

/** The hostname a site toggle applies to ("www." folded). */
export function siteKey(url: string): string | null {
  try {
    const u = new URL(url);
    if (!/^https?:|^file:/.test(u.protocol)) return null;
    return u.protocol === 'file:' ? 'file://' : u.hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
}

export function isActiveOn(settings: SettingsValues, url: string): boolean {
  if (!settings.enabled) return false;
  const key = siteKey(url);
  return !key || !settings.disabledSites.includes(key);
}

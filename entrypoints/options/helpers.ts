/**
 * The options page's pure parts: reading a site typed by the user, reading a settings
 * file, and the words used to describe each setting.
 */
import { migrateSettings, Settings } from '@/utils/settings';
import { DEFAULT_SETTINGS } from '@/utils/settings-core';

export type SettingKey = Exclude<keyof Settings, 'version'>;
export const SETTING_KEYS = Object.keys(Settings.shape).filter((k) => k !== 'version') as SettingKey[];

export const MAX_SITES = 5000;
export const EXPORT_FILE_NAME = 'drug-lens-settings.json';
/** Larger than any valid settings file (5,000 sites of 253 characters). */
export const MAX_IMPORT_BYTES = 2_000_000;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;

/**
 * A hostname from what the user typed: a bare hostname or a web address. Lower-cased,
 * "www." and a trailing dot removed, international names in their xn-- form, so it
 * matches the key the extension uses for a page (siteKey in utils/settings.ts).
 */
export function normaliseSite(input: string): { site: string } | { error: string } {
  const text = input.trim().toLowerCase();
  if (!text) return { error: 'Type a site’s address, for example example.com.' };
  if (/^file:/.test(text)) return { site: 'file://' };
  const invalid = { error: `“${input.trim()}” is not a valid site address. Type a hostname such as example.com.` };
  if (/\s/.test(text)) return invalid;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//.exec(text);
  if (scheme && scheme[1] !== 'http' && scheme[1] !== 'https') {
    return { error: 'Only web addresses (http or https) and hostnames can be added.' };
  }
  let url: URL;
  try {
    url = new URL(scheme ? text : `http://${text}`);
  } catch {
    return invalid;
  }
  if (url.username || url.password) return invalid;
  const host = url.hostname.replace(/\.$/, '').replace(/^www\./, '');
  if (!host || host.length > 253) return invalid;
  if (!IPV6.test(host) && !host.split('.').every((label) => LABEL.test(label))) return invalid;
  return { site: host };
}

export type ImportResult =
  | { ok: true; settings: Settings; fromFile: SettingKey[]; defaulted: SettingKey[] }
  | { ok: false; error: string };

/** Names an older version of Drug Lens used for settings that still exist. */
const LEGACY_KEYS = ['blockedSites', 'hover'];

/**
 * Reads a settings file. Anything that is not a JSON object holding at least one Drug
 * Lens setting is refused; otherwise it goes through migrateSettings, so old and
 * partial files work, and every field missing or not valid is set to its default.
 */
export function parseSettingsFile(text: string): ImportResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, error: 'This file is not a valid JSON file. Nothing was changed.' };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, error: 'This file does not hold a settings object. Nothing was changed.' };
  }
  const obj = raw as Record<string, unknown>;
  const known = [...SETTING_KEYS, ...LEGACY_KEYS];
  if (!Object.keys(obj).some((k) => known.includes(k))) {
    return { ok: false, error: 'This file has no Drug Lens settings in it. Nothing was changed.' };
  }
  const settings = migrateSettings(obj);
  const fromFile: SettingKey[] = [];
  const defaulted: SettingKey[] = [];
  for (const key of SETTING_KEYS) {
    const valid = key in obj && Settings.shape[key].safeParse(obj[key]).success;
    if (valid || !sameValue(settings[key], DEFAULT_SETTINGS[key])) fromFile.push(key);
    else defaulted.push(key);
  }
  return { ok: true, settings, fromFile, defaulted };
}

/** Every field but `version`, as saveSettings takes it. */
export function toPatch(settings: Settings): Omit<Settings, 'version'> {
  const { version: _version, ...patch } = settings;
  return patch;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const STYLE_LABEL: Record<Settings['highlightStyle'], string> = {
  underline: 'Dotted underline',
  background: 'Background tint',
  outline: 'Outline',
};
export const TRIGGER_LABEL: Record<Settings['trigger'], string> = {
  click: 'When I click a marked name (or press Enter on it)',
  hover: 'When I hover over a marked name (clicking still works)',
};
export const THEME_LABEL: Record<Settings['theme'], string> = {
  system: 'Match my device',
  light: 'Light',
  dark: 'Dark',
};
export const REGION_LABEL: Record<Settings['region'], string> = {
  uk: 'UK and EU',
  us: 'US',
  both: 'Both (UK/EU and US)',
};
export const VIEW_LABEL: Record<Settings['view'], string> = {
  patient: 'Patient: plain language',
  student: 'Student: adds how it works, codes and related medicines',
};

export const SETTING_LABEL: Record<SettingKey, string> = {
  enabled: 'On everywhere',
  disabledSites: 'Sites where Drug Lens is off',
  highlightStyle: 'Highlight style',
  color: 'Highlight colour',
  trigger: 'Open the card',
  hoverDelayMs: 'Hover delay',
  firstOnly: 'First occurrence only',
  maxMarks: 'Most marks on a page',
  theme: 'Theme',
  fontScale: 'Text size',
  region: 'Brand names for',
  view: 'Card view',
};

/** A setting's value in words. */
export function describeValue<K extends SettingKey>(key: K, value: Settings[K]): string {
  switch (key) {
    case 'enabled':
    case 'firstOnly':
      return value ? 'Yes' : 'No';
    case 'disabledSites': {
      const sites = value as string[];
      return sites.length ? sites.join(', ') : 'none';
    }
    case 'highlightStyle':
      return STYLE_LABEL[value as Settings['highlightStyle']];
    case 'trigger':
      return value === 'hover' ? 'on hover' : 'on click';
    case 'hoverDelayMs':
      return `${value} ms`;
    case 'maxMarks':
      return (value as number).toLocaleString('en-GB');
    case 'theme':
      return THEME_LABEL[value as Settings['theme']];
    case 'fontScale':
      return percent(value as number);
    case 'region':
      return value === 'both' ? 'UK/EU and US' : REGION_LABEL[value as Settings['region']];
    case 'view':
      return value === 'student' ? 'Student' : 'Patient';
    default:
      return String(value);
  }
}

export function percent(scale: number): string {
  return `${Math.round(scale * 100)} %`;
}

/** 80 % to 160 % in steps of 10, plus the current value if it lies between. */
export function fontScaleChoices(current: number): number[] {
  const steps = [80, 90, 100, 110, 120, 130, 140, 150, 160].map((p) => p / 100);
  if (!steps.includes(current)) steps.push(current);
  return steps.sort((a, b) => a - b);
}

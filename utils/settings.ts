/**
 * Settings: one versioned schema, defaults, and migration from older versions.
 * Stored in storage.local under "settings" by the background only.
 */
import { z } from 'zod';
import type { SettingsValues } from './settings-core';

import { DEFAULT_SETTINGS, SETTINGS_VERSION } from './settings-core';

export const Settings = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  /** Off everywhere when false. */
  enabled: z.boolean(),
  /** Hostnames where Drug Lens is off. */
  disabledSites: z.array(z.string().min(1).max(253)).max(5000),
  highlightStyle: z.enum(['underline', 'background', 'outline']),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  trigger: z.enum(['click', 'hover']),
  hoverDelayMs: z.number().int().min(100).max(3000),
  firstOnly: z.boolean(),
  maxMarks: z.number().int().min(1).max(100000),
  theme: z.enum(['system', 'light', 'dark']),
  fontScale: z.number().min(0.8).max(1.6),
  region: z.enum(['uk', 'us', 'both']),
  view: z.enum(['patient', 'student']),
});
export type Settings = z.infer<typeof Settings>;


// The plain type the content script uses must stay the schema's type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameShape: Same<Settings, SettingsValues> = true;
void sameShape;

/** A partial update, as the options page and popup send it. */
export const SettingsPatch = Settings.omit({ version: true }).partial().strict();

/**
 * Brings any stored value up to the current version. Unknown or invalid fields fall
 * back to defaults one by one, so nothing valid is lost on upgrade.
 */
export function migrateSettings(stored: unknown): Settings {
  if (!stored || typeof stored !== 'object') return { ...DEFAULT_SETTINGS };
  const raw = { ...(stored as Record<string, unknown>) };
  // Version 0 (unversioned) stored the site list as "blockedSites" and "hover" as a boolean.
  if (raw.version === undefined) {
    if (Array.isArray(raw.blockedSites) && !raw.disabledSites) raw.disabledSites = raw.blockedSites;
    if (typeof raw.hover === 'boolean' && !raw.trigger) raw.trigger = raw.hover ? 'hover' : 'click';
  }
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const shape = Settings.shape;
  for (const key of Object.keys(shape) as (keyof Settings)[]) {
    if (key === 'version' || !(key in raw)) continue;
    const ok = shape[key].safeParse(raw[key]);
    if (ok.success) out[key] = ok.data;
  }
  out.version = SETTINGS_VERSION;
  return Settings.parse(out);
}

export function applyPatch(current: Settings, patch: unknown): Settings {
  const p = SettingsPatch.parse(patch);
  return Settings.parse({ ...current, ...p });
}

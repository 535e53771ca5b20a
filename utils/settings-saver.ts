/**
 * Saving settings from an extension page (the options page, the popup). A change shows
 * at once; saves go to the background one after another, so no answer can overtake a
 * later change; what the background stored is shown once the last pending save is
 * answered; a save that fails puts back the settings last confirmed.
 */
import type { Settings } from './settings';

type Show = (next: Settings | ((shown: Settings) => Settings)) => void;

export interface SettingsSaver {
  /** The settings as the background holds them (loaded, or changed elsewhere). */
  confirm(settings: Settings): void;
  /** Saves not answered yet. */
  readonly pending: number;
  /** Shows and saves a change: resolves with what was stored, rejects once the confirmed settings are shown again. */
  save(patch: Partial<Settings>): Promise<Settings>;
}

export function createSettingsSaver(send: (patch: Partial<Settings>) => Promise<Settings>, show: Show, initial: Settings): SettingsSaver {
  let confirmed = initial;
  let queue: Promise<unknown> = Promise.resolve();
  let pending = 0;
  return {
    confirm(settings) {
      confirmed = settings;
    },
    get pending() {
      return pending;
    },
    async save(patch) {
      show((s) => ({ ...s, ...patch }));
      pending++;
      const run = queue.then(() => send(patch));
      queue = run.catch(() => undefined);
      try {
        const stored = await run;
        confirmed = stored;
        if (pending === 1) show(stored);
        return stored;
      } catch (err) {
        show(confirmed);
        throw err;
      } finally {
        pending--;
      }
    },
  };
}

/**
 * The options page: every setting, saved as soon as it changes, the list of sites where
 * Drug Lens is off, and export and import of all settings as a JSON file.
 */
import { h, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { markCss } from '@/utils/mark-style';
import { MARK_TAG } from '@/utils/page-text';
import { sendMessage } from '@/utils/protocol';
import { migrateSettings, type Settings } from '@/utils/settings';
import { DEFAULT_SETTINGS } from '@/utils/settings-core';
import { createSettingsSaver } from '@/utils/settings-saver';
import {
  describeValue,
  EXPORT_FILE_NAME,
  fontScaleChoices,
  MAX_IMPORT_BYTES,
  MAX_SITES,
  normaliseSite,
  parseSettingsFile,
  percent,
  REGION_LABEL,
  SETTING_LABEL,
  STYLE_LABEL,
  THEME_LABEL,
  toPatch,
  TRIGGER_LABEL,
  VIEW_LABEL,
  type SettingKey,
} from './helpers';

type Patch = Partial<Omit<Settings, 'version'>>;
type NumberKey = 'hoverDelayMs' | 'maxMarks';

interface ImportSummary {
  file: string;
  settings: Settings;
  fromFile: SettingKey[];
  defaulted: SettingKey[];
}

const LIMITS: Record<NumberKey, { min: number; max: number; step: number }> = {
  hoverDelayMs: { min: 100, max: 3000, step: 50 },
  maxMarks: { min: 1, max: 100000, step: 1 },
};

function reason(err: unknown): string {
  return err instanceof Error && err.message ? err.message : 'the extension did not answer';
}

export function App() {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [loaded, setLoaded] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [drafts, setDrafts] = useState<Partial<Record<NumberKey | 'color', string>>>({});
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<NumberKey | 'site', string>>>({});
  const [siteText, setSiteText] = useState('');
  const [importError, setImportError] = useState('');
  const [imported, setImported] = useState<ImportSummary | null>(null);
  const [focusSiteAt, setFocusSiteAt] = useState<number | null>(null);

  const [saver] = useState(() => createSettingsSaver((patch) => sendMessage('saveSettings', patch), setSettings, DEFAULT_SETTINGS));
  const statusTimer = useRef<number | undefined>(undefined);
  const siteInput = useRef<HTMLInputElement>(null);
  const removeButtons = useRef<(HTMLButtonElement | null)[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    sendMessage('getSettings', undefined)
      .then((s) => {
        const current = migrateSettings(s);
        saver.confirm(current);
        setSettings(current);
      })
      .catch((err) => setError(`Could not load your settings: ${reason(err)}. The defaults are shown.`))
      .finally(() => setLoaded(true));

    const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area !== 'local' || !changes.settings || saver.pending > 0) return;
      const next = migrateSettings(changes.settings.newValue);
      saver.confirm(next);
      setSettings(next);
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      browser.storage.onChanged.removeListener(onChanged);
      window.clearTimeout(statusTimer.current);
    };
  }, []);

  const sites = [...settings.disabledSites].sort((a, b) => a.localeCompare(b));

  useEffect(() => {
    if (focusSiteAt === null) return;
    setFocusSiteAt(null);
    const target = sites.length ? removeButtons.current[Math.min(focusSiteAt, sites.length - 1)] : siteInput.current;
    target?.focus();
  }, [focusSiteAt, settings.disabledSites]);

  /** Shows a status message; cleared first so the same words are announced again. */
  function announce(text: string) {
    setStatus('');
    window.clearTimeout(statusTimer.current);
    statusTimer.current = window.setTimeout(() => setStatus(text), 40);
  }

  async function save(patch: Patch, done = 'Saved.'): Promise<boolean> {
    setError('');
    try {
      await saver.save(patch);
      announce(done);
      return true;
    } catch (err) {
      setStatus('');
      setError(`Could not save: ${reason(err)}. The change was not kept.`);
      return false;
    }
  }

  function commitNumber(key: NumberKey) {
    const draft = drafts[key];
    if (draft === undefined) return;
    const { min, max } = LIMITS[key];
    const n = Number(draft.trim());
    if (!draft.trim() || !Number.isInteger(n) || n < min || n > max) {
      setFieldErrors((e) => ({
        ...e,
        [key]: `Enter a whole number from ${min.toLocaleString('en-GB')} to ${max.toLocaleString('en-GB')}. Not saved.`,
      }));
      return;
    }
    setFieldErrors((e) => ({ ...e, [key]: undefined }));
    setDrafts((d) => ({ ...d, [key]: undefined }));
    if (n !== settings[key]) void save({ [key]: n });
  }

  function commitColour(value: string) {
    setDrafts((d) => ({ ...d, color: undefined }));
    if (/^#[0-9a-fA-F]{6}$/.test(value) && value.toLowerCase() !== settings.color.toLowerCase()) void save({ color: value });
  }

  function addSite(e: Event) {
    e.preventDefault();
    const result = normaliseSite(siteText);
    if ('error' in result) {
      setFieldErrors((f) => ({ ...f, site: result.error }));
      return;
    }
    const { site } = result;
    if (settings.disabledSites.includes(site)) {
      setFieldErrors((f) => ({ ...f, site: `${site} is already in the list.` }));
      return;
    }
    if (settings.disabledSites.length >= MAX_SITES) {
      setFieldErrors((f) => ({ ...f, site: `The list is full (${MAX_SITES.toLocaleString('en-GB')} sites). Remove one first.` }));
      return;
    }
    setFieldErrors((f) => ({ ...f, site: undefined }));
    setSiteText('');
    void save({ disabledSites: [...settings.disabledSites, site] }, `Saved: Drug Lens is now off on ${site}.`);
  }

  function removeSite(site: string, index: number) {
    setFocusSiteAt(index);
    void save({ disabledSites: settings.disabledSites.filter((s) => s !== site) }, `Saved: Drug Lens is back on for ${site}.`);
  }

  async function exportSettings() {
    const current = await sendMessage('getSettings', undefined)
      .then(migrateSettings)
      .catch(() => settings);
    const blob = new Blob([`${JSON.stringify(current, null, 2)}\n`], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = EXPORT_FILE_NAME;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    announce(`Exported your settings as ${EXPORT_FILE_NAME}.`);
  }

  async function importSettings(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setImported(null);
    setImportError('');
    if (file.size > MAX_IMPORT_BYTES) {
      setImportError(`“${file.name}” is too large to be a Drug Lens settings file. Nothing was changed.`);
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch {
      setImportError(`“${file.name}” could not be read. Nothing was changed.`);
      return;
    }
    const result = parseSettingsFile(text);
    if (!result.ok) {
      setImportError(`“${file.name}”: ${result.error}`);
      return;
    }
    setDrafts({});
    setFieldErrors({});
    const ok = await save(toPatch(result.settings), `Saved: settings imported from ${file.name}.`);
    if (ok) setImported({ file: file.name, settings: result.settings, fromFile: result.fromFile, defaulted: result.defaulted });
    else setImportError(`“${file.name}” could not be saved. Nothing was changed.`);
  }

  const previewColour = drafts.color ?? settings.color;
  const scales = fontScaleChoices(settings.fontScale);

  return (
    <div class="dl-root op-root" data-theme={settings.theme} style={{ '--dl-scale': String(settings.fontScale) }}>
      <main class="op-main" aria-busy={!loaded}>
        <h1 class="op-title">Drug Lens settings</h1>
        <p class="op-muted">Changes are saved as soon as you make them.</p>
        {!loaded ? (
          <p class="op-muted" data-testid="loading">
            Loading your settings…
          </p>
        ) : (
          <>

        <fieldset class="op-section" data-testid="section-sites">
          <legend>Where Drug Lens works</legend>
          <Check
            id="enabled"
            label="Highlight medicine names on all sites"
            hint="Turn this off to stop Drug Lens everywhere. The list of sites below is kept."
            checked={settings.enabled}
            onChange={(v) => void save({ enabled: v })}
          />
          <fieldset class="op-group">
            <legend>Sites where Drug Lens is off</legend>
            {sites.length ? (
              <ul class="op-sites" data-testid="site-list" aria-label="Sites where Drug Lens is off">
                {sites.map((site, i) => (
                  <li key={site}>
                    <span class="op-site">{site === 'file://' ? 'Files on this computer (file://)' : site}</span>
                    <button
                      type="button"
                      class="op-button op-small"
                      ref={(el) => {
                        removeButtons.current[i] = el;
                      }}
                      onClick={() => removeSite(site, i)}
                    >
                      Remove<span class="op-visually-hidden"> {site}</span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p class="op-muted" data-testid="site-list-empty">
                No sites yet: Drug Lens works on every site.
              </p>
            )}
            <form class="op-add" onSubmit={addSite} noValidate>
              <label for="site">Add a site</label>
              <div class="op-row">
                <input
                  id="site"
                  ref={siteInput}
                  type="text"
                  inputMode="url"
                  autocomplete="off"
                  autocapitalize="off"
                  spellcheck={false}
                  placeholder="example.com"
                  value={siteText}
                  aria-invalid={fieldErrors.site ? 'true' : undefined}
                  aria-describedby={fieldErrors.site ? 'site-hint site-error' : 'site-hint'}
                  onInput={(e) => setSiteText((e.target as HTMLInputElement).value)}
                />
                <button type="submit" class="op-button">
                  Add
                </button>
              </div>
              <p id="site-hint" class="op-hint">
                A hostname such as example.com, or paste the page’s address. “www.” is left out.
              </p>
              {fieldErrors.site ? (
                <p id="site-error" class="op-error" role="alert">
                  {fieldErrors.site}
                </p>
              ) : null}
            </form>
          </fieldset>
        </fieldset>

        <fieldset class="op-section">
          <legend>Highlighting</legend>
          <Radios
            name="highlightStyle"
            legend="Style"
            value={settings.highlightStyle}
            options={STYLE_LABEL}
            onChange={(v) => void save({ highlightStyle: v })}
          />
          <div class="op-field">
            <label for="color">Colour</label>
            <div class="op-row">
              <input
                id="color"
                type="color"
                value={previewColour.toLowerCase()}
                aria-describedby="color-value"
                onInput={(e) => {
                  const v = (e.target as HTMLInputElement).value;
                  setDrafts((d) => ({ ...d, color: v }));
                }}
                onChange={(e) => commitColour((e.target as HTMLInputElement).value)}
              />
              <span id="color-value" class="op-muted">
                {previewColour.toLowerCase()}
              </span>
              <button
                type="button"
                class="op-button op-small"
                disabled={settings.color.toLowerCase() === DEFAULT_SETTINGS.color}
                onClick={() => commitColour(DEFAULT_SETTINGS.color)}
              >
                Use the default colour
              </button>
            </div>
          </div>
          <div class="op-preview" data-testid="preview">
            <style>{markCss({ highlightStyle: settings.highlightStyle, color: previewColour })}</style>
            <p class="op-hint" id="preview-label">
              Preview
            </p>
            <p aria-describedby="preview-label">
              Your care team may suggest {h(MARK_TAG, { 'data-druglens': '', 'data-testid': 'preview-mark' }, 'imatinib')} with
              other medicines.
            </p>
          </div>
        </fieldset>

        <fieldset class="op-section">
          <legend>How much to mark</legend>
          <Check
            id="firstOnly"
            label="Mark only the first time each medicine appears on a page"
            checked={settings.firstOnly}
            onChange={(v) => void save({ firstOnly: v })}
          />
          <NumberField
            id="maxMarks"
            label="Most marks on a page"
            hint="From 1 to 100,000. Very long pages stay quick."
            settings={settings}
            drafts={drafts}
            errors={fieldErrors}
            onDraft={(v) => setDrafts((d) => ({ ...d, maxMarks: v }))}
            onCommit={() => commitNumber('maxMarks')}
          />
        </fieldset>

        <fieldset class="op-section">
          <legend>Opening the card</legend>
          <Radios
            name="trigger"
            legend="When to open it"
            value={settings.trigger}
            options={TRIGGER_LABEL}
            onChange={(v) => void save({ trigger: v })}
          />
          <NumberField
            id="hoverDelayMs"
            label="Hover delay"
            unit="ms"
            hint={`From 100 to 3,000 milliseconds. ${settings.trigger === 'hover' ? '' : 'Used only when the card opens on hover. '}Clicking or Enter always opens it.`}
            settings={settings}
            drafts={drafts}
            errors={fieldErrors}
            onDraft={(v) => setDrafts((d) => ({ ...d, hoverDelayMs: v }))}
            onCommit={() => commitNumber('hoverDelayMs')}
          />
        </fieldset>

        <fieldset class="op-section">
          <legend>The card</legend>
          <Radios
            name="region"
            legend="Brand names for"
            value={settings.region}
            options={REGION_LABEL}
            onChange={(v) => void save({ region: v })}
          />
          <Radios name="view" legend="Card view when it opens" value={settings.view} options={VIEW_LABEL} onChange={(v) => void save({ view: v })} />
        </fieldset>

        <fieldset class="op-section">
          <legend>Appearance</legend>
          <p class="op-hint">For the card, the toolbar pop-up and this page.</p>
          <Radios name="theme" legend="Theme" value={settings.theme} options={THEME_LABEL} onChange={(v) => void save({ theme: v })} />
          <div class="op-field">
            <label for="fontScale">Text size</label>
            <select
              id="fontScale"
              value={String(settings.fontScale)}
              onChange={(e) => void save({ fontScale: Number((e.target as HTMLSelectElement).value) })}
            >
              {scales.map((s) => (
                <option key={s} value={String(s)}>
                  {percent(s)}
                  {s === 1 ? ' (standard)' : ''}
                </option>
              ))}
            </select>
          </div>
        </fieldset>

        <fieldset class="op-section">
          <legend>Back up and restore</legend>
          <div class="op-field">
            <button type="button" class="op-button" aria-describedby="export-hint" onClick={() => void exportSettings()}>
              Export settings
            </button>
            <p id="export-hint" class="op-hint">
              Downloads {EXPORT_FILE_NAME}, to keep or to use on another computer.
            </p>
          </div>
          <div class="op-field">
            <label for="import">Import settings from a file</label>
            <input
              id="import"
              ref={fileInput}
              type="file"
              accept=".json,application/json"
              aria-describedby={importError ? 'import-hint import-error' : 'import-hint'}
              onChange={(e) => void importSettings(e.target as HTMLInputElement)}
            />
            <p id="import-hint" class="op-hint">
              A file exported from Drug Lens. Anything missing from it is set to the default.
            </p>
            {importError ? (
              <p id="import-error" class="op-error" role="alert" data-testid="import-error">
                {importError}
              </p>
            ) : null}
          </div>
          {imported ? <ImportReport summary={imported} /> : null}
        </fieldset>
          </>
        )}
      </main>
      <div class="op-bar">
        {error ? (
          <p class="op-error" role="alert" data-testid="save-error">
            {error}
          </p>
        ) : null}
        <p class="op-status" role="status" data-testid="status">
          {status}
        </p>
      </div>
    </div>
  );
}

function Check(props: { id: string; label: string; hint?: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div class="op-field">
      <label class="op-choice" for={props.id}>
        <input
          id={props.id}
          type="checkbox"
          checked={props.checked}
          aria-describedby={props.hint ? `${props.id}-hint` : undefined}
          onChange={(e) => props.onChange((e.target as HTMLInputElement).checked)}
        />
        <span>{props.label}</span>
      </label>
      {props.hint ? (
        <p id={`${props.id}-hint`} class="op-hint">
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

function Radios<V extends string>(props: { name: string; legend: string; value: V; options: Record<V, string>; onChange: (value: V) => void }) {
  return (
    <fieldset class="op-group">
      <legend>{props.legend}</legend>
      {(Object.keys(props.options) as V[]).map((v) => (
        <label class="op-choice" key={v}>
          <input
            type="radio"
            name={props.name}
            value={v}
            checked={props.value === v}
            onChange={(e) => (e.target as HTMLInputElement).checked && props.onChange(v)}
          />
          <span>{props.options[v]}</span>
        </label>
      ))}
    </fieldset>
  );
}

function NumberField(props: {
  id: NumberKey;
  label: string;
  unit?: string;
  hint: string;
  settings: Settings;
  drafts: Partial<Record<string, string>>;
  errors: Partial<Record<string, string>>;
  onDraft: (value: string) => void;
  onCommit: () => void;
}) {
  const { id } = props;
  const { min, max, step } = LIMITS[id];
  const error = props.errors[id];
  return (
    <div class="op-field">
      <label for={id}>{props.label}</label>
      <div class="op-row">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={step}
          value={props.drafts[id] ?? String(props.settings[id])}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
          onInput={(e) => props.onDraft((e.target as HTMLInputElement).value)}
          onChange={props.onCommit}
          onKeyDown={(e) => e.key === 'Enter' && props.onCommit()}
        />
        {props.unit ? <span class="op-muted">{props.unit}</span> : null}
      </div>
      <p id={`${id}-hint`} class="op-hint">
        {props.hint}
      </p>
      {error ? (
        <p id={`${id}-error`} class="op-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function ImportReport({ summary }: { summary: ImportSummary }) {
  const { file, settings, fromFile, defaulted } = summary;
  const item = (key: SettingKey): ComponentChildren => (
    <li key={key}>
      {SETTING_LABEL[key]}: <strong>{describeValue(key, settings[key])}</strong>
    </li>
  );
  return (
    <section class="op-report" data-testid="import-summary" aria-labelledby="import-summary-title">
      <h2 id="import-summary-title">Imported from {file}</h2>
      {fromFile.length ? <ul>{fromFile.map(item)}</ul> : null}
      {defaulted.length ? (
        <>
          <p>Not in the file or not valid, so set to the default:</p>
          <ul>{defaulted.map(item)}</ul>
        </>
      ) : null}
    </section>
  );
}

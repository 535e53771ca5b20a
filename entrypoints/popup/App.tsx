/**
 * The toolbar popup: search any drug (suggestions as you type, keyboard-driven), the
 * medicines found on the current tab grouped by class and route, and the site switches.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { DrugCard } from '@/components/DrugCard';
import type { CardData, Suggestion } from '@/utils/lookup';
import { sendMessage, type PageDrug } from '@/utils/protocol';
import { type Settings } from '@/utils/settings';
import { DEFAULT_SETTINGS } from '@/utils/settings-core';
import { createSettingsSaver } from '@/utils/settings-saver';
import { KIND_LABEL } from '@/utils/lookup';

const PRIVATE = !!browser.extension?.inIncognitoContext;

async function activeTabId(): Promise<number | undefined> {
  const fromQuery = new URLSearchParams(location.search).get('tab');
  if (fromQuery && /^\d+$/.test(fromQuery)) return Number(fromQuery);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

type PageInfo = Awaited<ReturnType<typeof fetchPageInfo>>;
async function fetchPageInfo(tabId: number) {
  return sendMessage('getPageInfo', undefined, { tabId, frameId: 0 }).catch(() => null);
}

export function App() {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [query, setQuery] = useState('');
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(-1);
  const [stack, setStack] = useState<CardData[]>([]);
  const [notFound, setNotFound] = useState('');
  const [tabId, setTabId] = useState<number>();
  const [pageDrugs, setPageDrugs] = useState<PageDrug[]>([]);
  const [page, setPage] = useState<PageInfo>(null);
  const [effects, setEffects] = useState<{ id: string; name: string; drugs: { id: string; name: string }[] }[]>([]);
  const input = useRef<HTMLInputElement>(null);
  /** The suggestion last chosen (its label fills the box: no new suggestions for it). */
  const chosen = useRef('');
  /** Bumped whenever suggestions in flight are no longer wanted. */
  const suggestSeq = useRef(0);
  // In a private window, choices are kept in memory only, never stored.
  const [saver] = useState(() =>
    createSettingsSaver((patch) => (PRIVATE ? sendMessage('savePrivateSettings', patch) : sendMessage('saveSettings', patch)), setSettings, DEFAULT_SETTINGS),
  );
  const card = stack[stack.length - 1];

  useEffect(() => {
    void (PRIVATE ? sendMessage('getPrivateSettings', undefined) : sendMessage('getSettings', undefined))
      .then((s) => {
        saver.confirm(s);
        setSettings(s);
      })
      .catch(() => undefined);
    void activeTabId().then(async (id) => {
      if (id === undefined) return;
      setTabId(id);
      const drugs = await sendMessage('getPageDrugs', { tabId: id }).catch(() => []);
      setPageDrugs(drugs);
      const info = await fetchPageInfo(id);
      setPage(info);
      if (info?.effects.length && drugs.length) {
        setEffects(await sendMessage('linkSideEffects', { effects: info.effects, drugs: drugs.map((d) => d.id) }).catch(() => []));
      }
    });
    input.current?.focus();
  }, []);

  useEffect(() => {
    const seq = ++suggestSeq.current;
    const q = query.trim();
    if (!q || q === chosen.current) {
      setSuggestions([]);
      return;
    }
    const timer = setTimeout(() => {
      void sendMessage('suggest', { query: q })
        .then((s) => {
          if (seq !== suggestSeq.current) return;
          setSuggestions(s);
          setActive(-1);
        })
        .catch(() => setSuggestions([]));
    }, 60);
    return () => clearTimeout(timer);
  }, [query]);

  async function show(promise: Promise<CardData | null>, label: string) {
    suggestSeq.current++;
    const c = await promise.catch(() => null);
    setSuggestions([]);
    if (c) {
      setStack([c]);
      setNotFound('');
    } else {
      setStack([]);
      setNotFound(label);
    }
  }

  function choose(s: Suggestion) {
    chosen.current = s.label;
    setQuery(s.label);
    void show(sendMessage('lookupDrug', { id: s.id, text: s.label, kind: s.kind }), s.label);
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'ArrowDown' && suggestions.length) {
      e.preventDefault();
      setActive((a) => (a + 1) % suggestions.length);
    } else if (e.key === 'ArrowUp' && suggestions.length) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? suggestions.length - 1 : a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (active >= 0 && suggestions[active]) choose(suggestions[active]);
      else if (query.trim()) void show(sendMessage('lookupName', { name: query.trim() }), query.trim());
    } else if (e.key === 'Escape' && suggestions.length) {
      e.preventDefault();
      setSuggestions([]);
    }
  }

  async function save(patch: Partial<Settings>) {
    // The switch shows the choice at once, whatever renders before the save answers (the page info below).
    await saver.save(patch).catch(() => undefined);
    if (tabId !== undefined) setTimeout(() => void fetchPageInfo(tabId).then(setPage), 100);
  }

  const site = page?.site ?? null;
  const siteOff = !!site && settings.disabledSites.includes(site);
  const groups = useMemo(() => groupDrugs(pageDrugs), [pageDrugs]);

  return (
    <main class="dl-root" data-theme={settings.theme} style={{ '--dl-scale': String(settings.fontScale) }}>
      <h1 class="pp-title">
        Drug Lens
        <a class="dl-link" href={browser.runtime.getURL('/options.html')} target="_blank" rel="noreferrer">
          Settings
        </a>
      </h1>
      <div class="pp-search">
        <label class="pp-muted" for="q">
          Look up a medicine by generic name, brand or code
        </label>
        <input
          id="q"
          ref={input}
          type="search"
          role="combobox"
          list={undefined}
          aria-autocomplete="list"
          aria-expanded={suggestions.length > 0}
          aria-controls="pp-suggestions"
          aria-activedescendant={active >= 0 ? `pp-s-${active}` : undefined}
          autocomplete="off"
          spellcheck={false}
          placeholder="e.g. imatinib, Gleevec, STI-571"
          value={query}
          onInput={(e) => {
            chosen.current = '';
            setQuery((e.target as HTMLInputElement).value);
          }}
          onKeyDown={onKeyDown}
          data-testid="search"
        />
        {suggestions.length ? (
          <ul id="pp-suggestions" class="pp-suggestions" role="listbox" aria-label="Suggestions" data-testid="suggestions">
            {suggestions.map((s, i) => (
              <li id={`pp-s-${i}`} role="option" aria-selected={i === active} onMouseDown={(e) => (e.preventDefault(), choose(s))}>
                <strong>{s.label}</strong>
                {s.label.toLowerCase() !== s.name.toLowerCase() ? (
                  <span class="pp-muted">
                    {' '}
                    — {s.kind === 'm' ? 'did you mean' : `${KIND_LABEL[s.kind]} of`} {s.name}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {notFound ? (
        <p class="pp-muted" role="status" data-testid="not-found">
          No medicine found for “{notFound}”. Check the spelling on the box or leaflet.
        </p>
      ) : null}
      {card ? (
        <div class="pp-card" data-testid="popup-card">
          <DrugCard
            card={card}
            view={settings.view}
            region={settings.region}
            headingId="pp-card-title"
            onViewChange={(v) => void save({ view: v })}
            onOpenDrug={(id) =>
              void sendMessage('lookupDrug', { id, text: '' })
                .then((c) => c && setStack([...stack, c]))
                .catch(() => undefined)
            }
            onBack={stack.length > 1 ? () => setStack(stack.slice(0, -1)) : undefined}
            onClose={() => setStack([])}
          />
        </div>
      ) : null}

      <section class="pp-section" aria-labelledby="pp-page" data-testid="page-drugs">
        <h2 id="pp-page">Medicines on this page</h2>
        {!page ? (
          <p class="pp-muted">Drug Lens cannot read this page (browser pages and the web store are off limits).</p>
        ) : !pageDrugs.length ? (
          <p class="pp-muted">{page.active ? 'No medicines found on this page.' : 'Drug Lens is off for this page.'}</p>
        ) : (
          groups.map(([klass, routes]) => (
            <div class="pp-group">
              <h3>{klass}</h3>
              {routes.map(([route, drugs]) => (
                <div>
                  <p class="pp-muted">{route}</p>
                  <ul>
                    {drugs.map((d) => (
                      <li>
                        <button
                          type="button"
                          data-testid={`page-drug-${d.id}`}
                          onClick={() =>
                            tabId !== undefined &&
                            void sendMessage('revealDrug', { id: d.id }, { tabId, frameId: 0 }).then((ok) => ok && window.close())
                          }
                        >
                          {d.name}
                        </button>{' '}
                        <span class="pp-muted">×{d.count}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          ))
        )}
        {effects.length ? (
          <div data-testid="page-effects" class="pp-section">
            <h2>Side effects mentioned on this page</h2>
            <ul class="pp-effects">
              {effects.map((e) => (
                <li>
                  <strong>{e.name}</strong>
                  <span class="pp-muted"> — can be caused by </span>
                  {e.drugs.map((d, i) => (
                    <>
                      {i ? ', ' : ''}
                      <button type="button" class="dl-link" onClick={() => void show(sendMessage('lookupDrug', { id: d.id, text: d.name }), d.name)}>
                        {d.name}
                      </button>
                    </>
                  ))}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>

      <div class="pp-toggles">
        {site ? (
          <label>
            <input
              type="checkbox"
              data-testid="toggle-site"
              checked={siteOff}
              onChange={(e) => {
                const off = (e.target as HTMLInputElement).checked;
                const list = settings.disabledSites.filter((s) => s !== site);
                void save({ disabledSites: off ? [...list, site] : list });
              }}
            />
            Off for {site}
          </label>
        ) : null}
        <label>
          <input
            type="checkbox"
            data-testid="toggle-all"
            checked={!settings.enabled}
            onChange={(e) => void save({ enabled: !(e.target as HTMLInputElement).checked })}
          />
          Off everywhere
        </label>
      </div>
    </main>
  );
}

/** class → route → drugs, classes and routes sorted by name. */
function groupDrugs(drugs: PageDrug[]): [string, [string, PageDrug[]][]][] {
  const byClass = new Map<string, Map<string, PageDrug[]>>();
  for (const d of drugs) {
    const k = d.classes[0] ?? 'Other medicines';
    const r = d.routes[0] ?? 'Route not recorded';
    const m = byClass.get(k) ?? new Map<string, PageDrug[]>();
    m.set(r, [...(m.get(r) ?? []), d]);
    byClass.set(k, m);
  }
  return [...byClass]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, m]) => [k, [...m].sort(([a], [b]) => a.localeCompare(b))]);
}

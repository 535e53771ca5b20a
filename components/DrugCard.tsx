/**
 * The drug card: props in, JSX out. Used in the page (shadow root) and in the popup.
 * Order follows the patient's questions: what is it, when to get help, how it is
 * given, what it is for, what it may do, where this comes from.
 */
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { FREQUENCY_LEGEND, URGENCY_LABEL, type Frequency, type Urgency } from '../data/labels';
import type { CardData, CardEffect } from '../utils/lookup';

export type CardView = 'patient' | 'student';

export interface DrugCardProps {
  card: CardData;
  view: CardView;
  onViewChange?: (view: CardView) => void;
  onOpenDrug?: (id: string) => void;
  onBack?: () => void;
  onClose?: () => void;
  pinned?: boolean;
  onPinChange?: (pinned: boolean) => void;
  region?: 'uk' | 'us' | 'both';
  /** Buttons act only on trusted (user) events; set false in unit tests. */
  trustedOnly?: boolean;
  headingId?: string;
}

const FREQ_WORD: Record<Frequency, string> = {
  'very-common': 'Very common',
  common: 'Common',
  uncommon: 'Uncommon',
  rare: 'Rare',
  'not-known': 'Not known',
};
const LEVELS: Urgency[] = ['emergency', 'now', 'next-visit'];

/** Wraps a handler so synthetic clicks from page scripts are ignored. */
function trusted<E extends Event>(on: boolean, fn: (e: E) => void) {
  return (e: E) => {
    if (on && !e.isTrusted) return;
    fn(e);
  };
}

function matchedLine(card: CardData): JSX.Element {
  const m = card.matched;
  if (card.tier === 'stem') {
    return (
      <p class="dl-matched" data-testid="matched">
        “{m?.text ?? card.name}” — not in our list of medicines
      </p>
    );
  }
  if (m?.fuzzy) {
    return (
      <p class="dl-matched" data-testid="matched">
        “{m.text}” — did you mean <strong>{card.name}</strong>?
      </p>
    );
  }
  if (m && m.text.toLowerCase() !== card.name.toLowerCase()) {
    return (
      <p class="dl-matched" data-testid="matched">
        “{m.text}” — {m.label} of <strong>{card.name}</strong>
      </p>
    );
  }
  return (
    <p class="dl-matched" data-testid="matched">
      {m ? `“${m.text}” — ` : ''}
      {m ? m.label : 'generic name'}
    </p>
  );
}

function EffectItem({ e, showFrequency }: { e: CardEffect; showFrequency: boolean }) {
  return (
    <li>
      <details>
        <summary>
          <span class="dl-effect-name">{e.name}</span>
          {e.note ? <span class="dl-note"> — {e.note}</span> : null}
          {showFrequency && e.frequency ? (
            <span class={`dl-freq dl-freq-${e.frequency}`} title={FREQUENCY_LEGEND[e.frequency]}>
              {FREQ_WORD[e.frequency]}
            </span>
          ) : null}
        </summary>
        <p class="dl-advice">{e.advice}</p>
      </details>
    </li>
  );
}

export function DrugCard(props: DrugCardProps) {
  const { card, view } = props;
  const t = props.trustedOnly ?? true;
  const headingId = props.headingId ?? 'dl-card-title';
  const [showLegend, setShowLegend] = useState(false);
  const region = props.region ?? 'both';
  const brandRows: [string, string[]][] = [];
  const ukeu = [...new Set([...card.brands.UK, ...card.brands.EU])];
  if (region !== 'us' && ukeu.length) brandRows.push(['UK/EU', ukeu]);
  if (region !== 'uk' && card.brands.US.length) brandRows.push(['US', card.brands.US]);
  const classLine = card.classes[0];

  return (
    <article class={`dl-card dl-view-${view}`} data-testid="drug-card" data-drug-id={card.id} data-tier={card.tier}>
      <header class="dl-head">
        <div class="dl-toolbar">
          {props.onBack ? (
            <button type="button" class="dl-icon" aria-label="Back" data-testid="back" onClick={trusted(t, () => props.onBack?.())}>
              ←
            </button>
          ) : null}
          <div class="dl-switch" role="group" aria-label="Detail level">
            {(['patient', 'student'] as const).map((v) => (
              <button
                type="button"
                aria-pressed={view === v}
                data-testid={`view-${v}`}
                onClick={trusted(t, () => props.onViewChange?.(v))}
              >
                {v === 'patient' ? 'Patient' : 'Student'}
              </button>
            ))}
          </div>
          {props.onPinChange ? (
            <button
              type="button"
              class="dl-icon dl-pin"
              aria-pressed={!!props.pinned}
              title="Keep the card open while you scroll"
              data-testid="pin"
              onClick={trusted(t, () => props.onPinChange?.(!props.pinned))}
            >
              {props.pinned ? 'Pinned' : 'Pin'}
            </button>
          ) : null}
          {props.onClose ? (
            <button type="button" class="dl-icon" aria-label="Close" data-testid="close" onClick={trusted(t, () => props.onClose?.())}>
              ×
            </button>
          ) : null}
        </div>
        <h2 id={headingId} class="dl-name" data-testid="drug-name">
          {card.name}
        </h2>
        {card.pronunciation ? (
          <p class="dl-pron" data-testid="pronunciation">
            Say it: {card.pronunciation}
          </p>
        ) : null}
        {matchedLine(card)}
        {card.tier === 'stem' ? (
          <p class="dl-tier" data-testid="tier-note">
            Not a medicine we know. Likely class, from its name ending “{card.stem}”: this is a guess from the
            naming rules for medicines, not a record. Check the name with your pharmacist.
          </p>
        ) : card.tier !== 'reviewed' ? (
          <p class="dl-tier" data-testid="tier-note">
            {card.tier === 'class'
              ? 'Basic record: we have not written a reviewed summary for this medicine yet. The side effects below are typical of its class, not checked for this medicine.'
              : 'Basic record: names, class and route from public datasets only. We have not written a reviewed summary for this medicine yet.'}
          </p>
        ) : null}
      </header>

      {card.urgent.length ? (
        <section class="dl-urgent" aria-labelledby={`${headingId}-urgent`} data-testid="urgent">
          <h3 id={`${headingId}-urgent`}>When to get help</h3>
          {LEVELS.map((level) => {
            const items = card.urgent.filter((u) => u.level === level);
            if (!items.length) return null;
            return (
              <div class={`dl-level dl-level-${level}`} data-level={level}>
                <h4>{URGENCY_LABEL[level]}</h4>
                <ul>
                  {items.map((u) => (
                    <li>
                      <strong>{u.name}</strong>
                      {u.note ? `: ${u.note}` : ''}
                      {u.thresholds.length ? <span class="dl-thresholds"> ({u.thresholds.join('; ')})</span> : null}
                      <p class="dl-advice">{u.advice}</p>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </section>
      ) : null}

      <section class="dl-section" data-testid="drug-class">
        <h3>What it is</h3>
        {classLine ? (
          <p>
            <strong>{classLine.name}</strong>
            {card.classes[1] ? <span class="dl-parent"> ({card.classes[1].name})</span> : null}: {classLine.plain}
          </p>
        ) : (
          <p>We do not have a class for this medicine.</p>
        )}
        {card.what ? <p data-testid="what">{card.what}</p> : null}
      </section>

      {view === 'student' ? (
        <section class="dl-section dl-student" data-testid="student">
          <h3>How it works</h3>
          {card.target ? (
            <p>
              <strong>Target:</strong> {card.target}
            </p>
          ) : null}
          {card.mechanism ? <p>{card.mechanism}</p> : null}
          {!card.target && !card.mechanism ? <p>No mechanism summary yet for this medicine.</p> : null}
          {card.codes.length ? (
            <p data-testid="codes">
              <strong>Codes:</strong> {card.codes.join(', ')}
            </p>
          ) : null}
          {card.generics.length ? (
            <p>
              <strong>Other names:</strong> {card.generics.join(', ')}
            </p>
          ) : null}
          {card.siblings.length ? (
            <div data-testid="siblings">
              <strong>Same class:</strong>{' '}
              <ul class="dl-inline">
                {card.siblings.map((s) => (
                  <li>
                    <button type="button" class="dl-link" onClick={trusted(t, () => props.onOpenDrug?.(s.id))}>
                      {s.name}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {card.classSource ? (
            <p class="dl-small" data-testid="class-source">
              Classification from: {card.classSource}
            </p>
          ) : null}
        </section>
      ) : null}

      <section class="dl-section" data-testid="route">
        <h3>How it is given</h3>
        {card.given ? <p>{card.given}</p> : null}
        {!card.given && card.routes.length ? <p>{capitalise(card.routes.join('; '))}</p> : null}
        {!card.given && !card.routes.length ? <p>See the leaflet in the pack.</p> : null}
      </section>

      {card.uses.length ? (
        <section class="dl-section" data-testid="uses">
          <h3>What it is used for</h3>
          <ul>
            {card.uses.map((u) => (
              <li>{u}</li>
            ))}
          </ul>
        </section>
      ) : null}

      {card.common.length ? (
        <section class="dl-section" data-testid="side-effects">
          <h3>
            {card.tier === 'reviewed' ? 'Common side effects' : 'Side effects typical of this class'}
            {card.tier === 'reviewed' ? (
              <button
                type="button"
                class="dl-link dl-legend-toggle"
                aria-expanded={showLegend}
                onClick={trusted(t, () => setShowLegend(!showLegend))}
              >
                What do the words mean?
              </button>
            ) : null}
          </h3>
          {showLegend ? (
            <ul class="dl-legend" data-testid="legend">
              {(Object.keys(FREQUENCY_LEGEND) as Frequency[]).map((f) => (
                <li>{FREQUENCY_LEGEND[f]}</li>
              ))}
            </ul>
          ) : null}
          <ul class="dl-effects">
            {card.common.map((e) => (
              <EffectItem e={e} showFrequency={card.tier === 'reviewed'} />
            ))}
          </ul>
          <p class="dl-small">Not every side effect is listed — read the leaflet in the pack.</p>
        </section>
      ) : (
        <section class="dl-section">
          <p class="dl-small">Not every side effect is listed — read the leaflet in the pack.</p>
        </section>
      )}

      {card.tips.length ? (
        <section class="dl-section" data-testid="tips">
          <h3>Tips</h3>
          <ul>
            {card.tips.map((tip) => (
              <li>{tip}</li>
            ))}
          </ul>
        </section>
      ) : null}

      {brandRows.length ? (
        <section class="dl-section" data-testid="brands">
          <h3>Brand names</h3>
          {brandRows.map(([label, names]) => (
            <p>
              <strong>{label}:</strong> {names.join(', ')}
            </p>
          ))}
        </section>
      ) : null}

      <footer class="dl-foot" data-testid="sources">
        {card.reviewedOn ? <p data-testid="reviewed-on">Last reviewed: {card.reviewedOn}</p> : null}
        <p>
          Sources:{' '}
          {[
            ...card.references.map((r) => `${r.title}${r.section ? `, section ${r.section}` : ''} (${r.date})`),
            ...card.datasets.map((d) => `${d.title} (${d.version})`),
          ].join('; ')}
        </p>
        <p class="dl-disclaimer" data-testid="disclaimer">
          This supports, not replaces, advice from your doctor, nurse or pharmacist.
        </p>
      </footer>
    </article>
  );
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

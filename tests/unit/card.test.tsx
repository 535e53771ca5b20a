import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { DrugCard } from '../../components/DrugCard';
import type { CardData } from '../../utils/lookup';
import { LOOKUP } from './helpers';

const host = () => document.body.appendChild(document.createElement('div'));
afterEach(() => (document.body.innerHTML = ''));

describe('DrugCard', () => {
  it('shows what was matched, the urgent box first, class, route, uses, side effects, brands, sources and the disclaimer', () => {
    const el = host();
    render(<DrugCard card={LOOKUP.byName('Gleevec')!} view="patient" trustedOnly={false} />, el);
    const text = el.textContent!;
    const order = ['“Gleevec” — brand name of Imatinib', 'When to get help', 'What it is', 'How it is given', 'What it is used for', 'Common side effects', 'Brand names', 'Last reviewed', 'This supports, not replaces'];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(el.querySelector('[data-level=now]')!.textContent).toContain('temperature above 37.5 °C');
    expect(text).toContain('Not every side effect is listed — read the leaflet in the pack.');
    expect(el.querySelector('[data-testid=student]')).toBeNull();
  });

  it('adds how it works, codes and class siblings in the student view', () => {
    const el = host();
    render(<DrugCard card={LOOKUP.byName('imatinib')!} view="student" trustedOnly={false} />, el);
    const student = el.querySelector('[data-testid=student]')!.textContent!;
    expect(student).toContain('BCR-ABL');
    expect(student).toContain('STI-571');
    expect(el.querySelector('[data-testid=siblings]')!.textContent).toContain('Dasatinib');
  });

  it('ignores synthetic clicks from page scripts on its buttons', () => {
    const el = host();
    let closed = 0;
    let views: string[] = [];
    render(<DrugCard card={LOOKUP.byName('imatinib')!} view="patient" onClose={() => closed++} onViewChange={(v) => views.push(v)} />, el);
    (el.querySelector('[data-testid=close]') as HTMLButtonElement).click();
    (el.querySelector('[data-testid=view-student]') as HTMLButtonElement).click();
    expect(closed).toBe(0);
    expect(views).toEqual([]);
  });

  it('says "did you mean" for a typo', () => {
    const el = host();
    render(<DrugCard card={LOOKUP.byName('ponatinob')!} view="patient" trustedOnly={false} />, el);
    expect(el.querySelector('[data-testid=matched]')!.textContent).toBe('“ponatinob” — did you mean Ponatinib?');
  });

  it('renders every string field as text, never as HTML', () => {
    const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
    const base = LOOKUP.byName('imatinib')!;
    const evil: CardData = JSON.parse(JSON.stringify(base), (_k, v) => (typeof v === 'string' && !/^(very-common|common|uncommon|rare|not-known|emergency|now|next-visit|reviewed|b|g)$/.test(v) ? payload : v));
    const el = host();
    render(<DrugCard card={evil} view="student" trustedOnly={false} />, el);
    expect(el.querySelector('img, script')).toBeNull();
    expect(el.textContent).toContain(payload);
    expect((window as unknown as { __xss?: number }).__xss).toBeUndefined();
  });
});

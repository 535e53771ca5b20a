import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardReader, launchExtension, markTexts, SEED_MARKS, startServer, waitForMarks, watchErrors, type Ext, type Server } from './harness';

let ext: Ext;
let server: Server;

beforeAll(async () => {
  server = await startServer();
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('the lookup path in real Chromium', () => {
  it('marks every seed name, brand and code, case-insensitively, as whole words only', async () => {
    const page = await ext.context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.origin}/pages/foundation.html`);
    await waitForMarks(page, 20);
    const marks = await markTexts(page);
    expect(marks).toEqual(SEED_MARKS);
    expect(await page.locator('#near druglens-mark').count()).toBe(0);
    expect(await page.locator('#excluded druglens-mark').count()).toBe(0);
    expect(await page.locator('textarea').inputValue()).toBe('imatinib in a textarea');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens the card from a click with data from the background, and closes it with Esc, the close button or a click outside', async () => {
    const page = await ext.context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.origin}/pages/foundation.html`);
    await waitForMarks(page, 20);
    const card = new CardReader(page);
    const mark = page.locator('#brands druglens-mark', { hasText: 'Glivec' });
    await mark.click();
    await card.waitOpen();
    expect(await card.text('drug-name')).toBe('Imatinib');
    expect(await card.text('matched')).toContain('“Glivec” — brand name of Imatinib');
    expect(await card.text('drug-class')).toContain('Tyrosine kinase inhibitor');
    expect(await card.text('route')).toContain('once a day, alongside chemotherapy');
    expect(await card.text('uses')).toContain('20–30 % of people with ALL');
    expect(await card.text('side-effects')).toContain('Diarrhoea');
    const urgent = await card.text('urgent');
    expect(urgent).toContain('temperature above 37.5 °C');
    expect(urgent).toContain('temperature below 36 °C');
    expect(urgent).toContain('4 or more loose stools in 24 hours');
    expect(await card.text('brands')).toMatch(/UK\/EU:\s*Glivec[\s\S]*US:\s*Gleevec/);
    expect(await card.text('sources')).toContain('Last reviewed: 2026-11-28');
    expect(await card.text('disclaimer')).toContain('supports, not replaces, advice from your doctor, nurse or pharmacist');
    // The card is a labelled dialog next to its mark.
    expect(await card.eval('function(){ const d = this.querySelector("[role=dialog]"); return d && d.getAttribute("aria-labelledby"); }')).toBe('dl-card-title');
    const m = (await mark.boundingBox())!;
    const r = (await card.rect())!;
    expect(Math.abs(r.y - (m.y + m.height)) < 20 || Math.abs(r.y + r.height - m.y) < 20).toBe(true);

    await page.keyboard.press('Escape');
    await card.waitClosed();
    expect(await mark.evaluate((el) => el === document.activeElement)).toBe(true);

    await mark.click();
    await card.waitOpen();
    await card.click('[data-testid=close]');
    await card.waitClosed();
    expect(await mark.evaluate((el) => el === document.activeElement)).toBe(true);

    await mark.click();
    await card.waitOpen();
    await page.mouse.click(900, 20);
    await card.waitClosed();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('ignores clicks a page script fakes on a mark', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${server.origin}/pages/foundation.html`);
    await waitForMarks(page, 20);
    const card = new CardReader(page);
    await page.evaluate(() => {
      const m = document.querySelector('druglens-mark') as HTMLElement;
      m.click();
      m.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    await page.waitForTimeout(500);
    expect(await card.isOpen()).toBe(false);
    await page.locator('druglens-mark').first().click();
    await card.waitOpen();
    await page.close();
  });

  it('opens the card from the keyboard: Tab to a mark, then Enter', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${server.origin}/pages/foundation.html`);
    await waitForMarks(page, 20);
    const card = new CardReader(page);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({ tag: document.activeElement?.localName, text: document.activeElement?.textContent, role: document.activeElement?.getAttribute('role'), label: document.activeElement?.getAttribute('aria-label') }));
    expect(focused).toEqual({ tag: 'druglens-mark', text: 'imatinib', role: 'button', label: 'imatinib: drug information' });
    await page.keyboard.press('Enter');
    await card.waitOpen();
    expect(await card.text('drug-name')).toBe('Imatinib');
    expect(await card.hasFocus()).toBe(true);
    await page.keyboard.press('Escape');
    await card.waitClosed();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('imatinib');
    await page.close();
  });

  it('keeps the card inside the viewport for a mark at the bottom-right edge', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${server.origin}/pages/foundation.html`);
    await waitForMarks(page, 20);
    const card = new CardReader(page);
    await page.locator('#edge druglens-mark').click();
    await card.waitOpen();
    await page.waitForTimeout(100);
    const r = (await card.rect())!;
    const vp = page.viewportSize()!;
    expect(r.x).toBeGreaterThanOrEqual(0);
    expect(r.y).toBeGreaterThanOrEqual(0);
    expect(r.x + r.width).toBeLessThanOrEqual(vp.width);
    expect(r.y + r.height).toBeLessThanOrEqual(vp.height);
    await page.close();
  });

  it('searches from the toolbar popup: a brand typed in any case shows the same card', async () => {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await page.getByTestId('search').fill('gleev');
    await page.getByTestId('suggestions').getByText('Gleevec').waitFor();
    await page.getByTestId('search').press('ArrowDown');
    await page.getByTestId('search').press('Enter');
    await page.getByTestId('popup-card').waitFor();
    expect(await page.getByTestId('drug-name').textContent()).toBe('Imatinib');
    expect(await page.getByTestId('urgent').textContent()).toContain('temperature above 37.5 °C');
    await page.getByTestId('search').fill('blincyto');
    await page.getByTestId('search').press('Enter');
    await page.getByTestId('drug-name').filter({ hasText: 'Blinatumomab' }).waitFor();
    expect(await page.getByTestId('route').textContent()).toContain('portable pump');
    await page.getByTestId('search').fill('notadrugatall');
    await page.getByTestId('search').press('Enter');
    await page.getByTestId('not-found').waitFor();
    await page.close();
  });

  it('sent no request anywhere but the fixture server and the extension', () => {
    expect(ext.requests.length).toBeGreaterThan(0);
    expect(ext.foreignRequests()).toEqual([]);
  });
});

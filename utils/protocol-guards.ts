/**
 * Run-time checks for every message payload and sender. A page can forge anything a
 * content script can send, so the background trusts nothing it has not checked here.
 */
import { z } from 'zod';
import { Settings, SettingsPatch } from './settings';

const Name = z.string().min(1).max(200);
export const PAYLOADS = {
  lookupDrug: z.strictObject({
    id: z.string().regex(/^[a-z0-9-]{1,120}$/),
    text: z.string().max(200),
    kind: z.enum(['g', 'b', 'c', 'a', 'm']).optional(),
    fuzzy: z.string().max(200).optional(),
  }),
  lookupName: z.strictObject({ name: Name }),
  suggest: z.strictObject({ query: z.string().max(200) }),
  resolveTypos: z.strictObject({ words: z.array(z.string().max(64)).max(5000) }),
  getSettings: z.undefined().or(z.null()),
  getPageIndex: z.undefined().or(z.null()),
  getEffectTerms: z.undefined().or(z.null()),
  // Strict objects: a record would take any key and silently drop "__proto__".
  saveSettings: SettingsPatch,
  saveView: z.strictObject({ view: z.enum(['patient', 'student']) }),
  reportPageDrugs: z.strictObject({
    drugs: z.array(z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,120}$/), count: z.number().int().min(0).max(1e6) })).max(20000),
  }),
  getPageDrugs: z.strictObject({ tabId: z.number().int().min(0) }),
  revealDrug: z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,120}$/) }),
  getPageInfo: z.undefined().or(z.null()),
  showCard: z.strictObject({ text: z.string().max(200), card: z.unknown() }),
  applySettings: Settings,
  linkSideEffects: z.strictObject({
    effects: z.array(z.string().regex(/^[a-z0-9-]{1,80}$/)).max(500),
    drugs: z.array(z.string().regex(/^[a-z0-9-]{1,120}$/)).max(5000),
  }),
  getPrivateSettings: z.undefined().or(z.null()),
  savePrivateSettings: SettingsPatch,
} as const;
export type MessageName = keyof typeof PAYLOADS;

/** Which senders may send which messages. */
export type SenderKind = 'extension-page' | 'content-script' | 'foreign';

export interface SenderLike {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number; incognito?: boolean; url?: string };
  frameId?: number;
}

/** Classifies a sender: our own pages (popup, options), our content scripts, or anyone else. */
export function senderKind(sender: SenderLike, extensionId: string, extensionOrigin: string): SenderKind {
  if (sender.id !== extensionId) return 'foreign';
  const url = sender.url ?? '';
  const origin = sender.origin ?? (url ? safeOrigin(url) : '');
  if (origin === extensionOrigin.replace(/\/$/, '') && url.startsWith(extensionOrigin)) return 'extension-page';
  return sender.tab ? 'content-script' : 'foreign';
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

export const ALLOWED: Record<MessageName, SenderKind[]> = {
  lookupDrug: ['content-script', 'extension-page'],
  lookupName: ['content-script', 'extension-page'],
  suggest: ['extension-page'],
  resolveTypos: ['content-script', 'extension-page'],
  getSettings: ['content-script', 'extension-page'],
  getPageIndex: ['content-script'],
  getEffectTerms: ['content-script'],
  saveSettings: ['extension-page'],
  saveView: ['content-script', 'extension-page'],
  reportPageDrugs: ['content-script'],
  getPageDrugs: ['extension-page'],
  revealDrug: ['extension-page'],
  getPageInfo: ['extension-page'],
  showCard: ['extension-page'],
  applySettings: ['extension-page'],
  linkSideEffects: ['extension-page'],
  getPrivateSettings: ['extension-page'],
  savePrivateSettings: ['extension-page'],
};

export class RejectedMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RejectedMessage';
  }
}

/** Throws RejectedMessage unless the sender may send `name` with this payload. */
export function checkMessage<N extends MessageName>(
  name: N,
  data: unknown,
  sender: SenderLike,
  extensionId: string,
  extensionOrigin: string,
): z.infer<(typeof PAYLOADS)[N]> {
  const kind = senderKind(sender, extensionId, extensionOrigin);
  if (!ALLOWED[name]?.includes(kind)) throw new RejectedMessage(`${name} is not accepted from ${kind}`);
  const parsed = PAYLOADS[name].safeParse(data);
  if (!parsed.success) throw new RejectedMessage(`${name}: invalid payload`);
  return parsed.data as z.infer<(typeof PAYLOADS)[N]>;
}

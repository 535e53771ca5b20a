/**
 * Which text on a page may be marked. Functions take their root as a parameter so
 * tests can pass a fragment or a shadow root.
 *
 * Skipped: scripts and styles, form fields and buttons, anything editable, code
 * editors, SVG/MathML, our own marks and UI.
 */

/** DOM constants as numbers, so this module also runs under jsdom in Node (CLI, tests). */
export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const FRAGMENT_NODE = 11;
const SHOW_ELEMENT = 0x1;
const SHOW_TEXT = 0x4;
const FILTER_ACCEPT = 1;
const FILTER_REJECT = 2;
const FILTER_SKIP = 3;

export const MARK_TAG = 'druglens-mark';
export const UI_TAG = 'druglens-card';

const SKIP_TAGS = new Set([
  'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'OPTGROUP',
  'BUTTON', 'TITLE', 'HEAD', 'IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'CANVAS', 'VIDEO', 'AUDIO',
  'svg', 'math', 'DRUGLENS-MARK', 'DRUGLENS-CARD',
]);

/** Code editors and rich-text editors, by the classes they put on their roots. */
export const EDITOR_SELECTOR = [
  '.CodeMirror', '.cm-editor', '.monaco-editor', '.ace_editor', '.ProseMirror', '.ql-editor',
  '.ck-editor', '.cke', '.tox-edit-area', '.mce-content-body', '.trix-content', '[data-slate-editor]',
  '[data-lexical-editor]', '.DraftEditor-root',
].join(',');

/** Everything under these is never scanned (used with Element.closest for added subtrees). */
export const EXCLUDE_SELECTOR = [
  'script', 'style', 'noscript', 'template', 'textarea', 'input', 'select', 'option', 'button',
  'title', 'head', 'iframe', 'object', 'embed', 'canvas', 'video', 'audio', 'svg', 'math',
  '[contenteditable]:not([contenteditable="false"])', '[role="textbox"]', '[role="combobox"]',
  '[aria-hidden="true"]', MARK_TAG, UI_TAG, EDITOR_SELECTOR,
].join(',');

export function isExcludedElement(el: Element): boolean {
  if (SKIP_TAGS.has(el.tagName)) return true;
  const ce = el.getAttribute('contenteditable');
  if (ce !== null && ce !== 'false') return true;
  const role = el.getAttribute('role');
  if (role === 'textbox' || role === 'combobox') return true;
  if (el.getAttribute('aria-hidden') === 'true') return true;
  if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') return true;
  return (el.classList.length > 0 || el.hasAttribute('data-lexical-editor') || el.hasAttribute('data-slate-editor')) && el.matches(EDITOR_SELECTOR);
}

/** True if `node` sits inside anything we never touch (checks ancestors, crossing no shadow boundary). */
export function isInExcludedContext(node: Node): boolean {
  const el = node.nodeType === ELEMENT_NODE ? (node as Element) : node.parentElement;
  if (!el) return true;
  if (el.ownerDocument?.designMode === 'on') return true;
  return el.closest(EXCLUDE_SELECTOR) !== null;
}

const MIN_TEXT = /\S\S/;

/** An incremental walk over the markable text under `root`: call next() until null. */
export interface TextWalker {
  next(): Text | null;
}

/**
 * Walks the text nodes under `root` that may be marked, in document order, lazily, so
 * a huge page can be scanned a slice at a time. Open shadow roots found on the way are
 * handed to `onShadowRoot` (they are walked separately).
 */
export function createTextWalker(root: Node, onShadowRoot?: (s: ShadowRoot) => void): TextWalker {
  if (root.nodeType === TEXT_NODE) {
    let done = false;
    return {
      next() {
        if (done) return null;
        done = true;
        return MIN_TEXT.test((root as Text).data) && !isInExcludedContext(root) ? (root as Text) : null;
      },
    };
  }
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, SHOW_ELEMENT | SHOW_TEXT, {
    acceptNode(node) {
      if (node.nodeType === TEXT_NODE) {
        return MIN_TEXT.test((node as Text).data) ? FILTER_ACCEPT : FILTER_SKIP;
      }
      const el = node as Element;
      if (isExcludedElement(el)) return FILTER_REJECT;
      if (onShadowRoot && el.shadowRoot) onShadowRoot(el.shadowRoot);
      return FILTER_SKIP;
    },
  });
  return { next: () => walker.nextNode() as Text | null };
}

/** All markable text nodes under `root`, in document order (open shadow roots collected). */
export function collectTextNodes(root: Node, shadowRoots?: ShadowRoot[]): Text[] {
  const out: Text[] = [];
  const w = createTextWalker(root, shadowRoots ? (s) => shadowRoots.push(s) : undefined);
  for (let t = w.next(); t; t = w.next()) out.push(t);
  return out;
}

/** The marks' own style, added to the page (and open shadow roots) as a constructed sheet. */
import type { SettingsValues as Settings } from './settings-core';
import { MARK_TAG } from './page-text';

export function markCss(s: Pick<Settings, 'highlightStyle' | 'color'>): string {
  const c = s.color;
  const look =
    s.highlightStyle === 'background'
      ? `background-color: ${c}33 !important; border-radius: 2px !important;`
      : s.highlightStyle === 'outline'
        ? `box-shadow: 0 0 0 1px ${c} !important; border-radius: 2px !important;`
        : `text-decoration: underline dotted ${c} !important; text-decoration-thickness: 2px !important; text-underline-offset: 2px !important;`;
  // Specific enough to beat page rules such as "span { display: block }" or "* { all: unset }",
  // and free of anything that changes layout (no padding, margin, border or font change).
  return `${MARK_TAG}[data-druglens] {
  all: unset;
  display: inline !important;
  color: inherit !important;
  font: inherit !important;
  cursor: pointer !important;
  ${look}
}
${MARK_TAG}[data-druglens]:focus-visible {
  outline: 2px solid ${c} !important;
  outline-offset: 1px !important;
}
@media (forced-colors: active) {
  ${MARK_TAG}[data-druglens] { text-decoration: underline !important; }
}`;
}

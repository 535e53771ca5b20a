// ESLint (flat config): no HTML or eval sinks in our code. Store reviews and addons-linter
// (`web-ext lint`) reject innerHTML with data, eval and remote code, and a page can put any
// text in front of us, so page text, drug data and settings must only ever become DOM text.
// Scope: entrypoints/, components/, utils/, data/*.ts, scripts/ (and this file).
import tseslint from 'typescript-eslint';

const HTML = 'parses a string as HTML: page text or data could become markup and script. Build nodes (Preact, createElement, textContent) instead.';
const EVAL = 'runs a string as code: forbidden in extensions (store policy, CSP) and a code-injection risk.';

/** [selector, message] for no-restricted-syntax; the ids let one file opt out of one sink with a reason. */
export const SINKS = {
  innerHTML: [
    "AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/], AssignmentExpression > MemberExpression.left[property.value=/^(innerHTML|outerHTML)$/]",
    `Assigning innerHTML/outerHTML ${HTML}`,
  ],
  insertAdjacentHTML: [
    "CallExpression > MemberExpression.callee[property.name='insertAdjacentHTML'], CallExpression > MemberExpression.callee[property.value='insertAdjacentHTML']",
    `insertAdjacentHTML ${HTML}`,
  ],
  createContextualFragment: [
    "CallExpression > MemberExpression.callee[property.name='createContextualFragment']",
    `Range.createContextualFragment ${HTML}`,
  ],
  documentWrite: [
    "CallExpression > MemberExpression.callee[property.name=/^write(ln)?$/][object.name='document'], CallExpression > MemberExpression.callee[property.name=/^write(ln)?$/][object.property.name='document']",
    `document.write ${HTML}`,
  ],
  dangerousHTML: [
    "JSXAttribute[name.name='dangerouslySetInnerHTML'], Property[key.name='dangerouslySetInnerHTML']",
    `dangerouslySetInnerHTML ${HTML}`,
  ],
  eval: ["CallExpression[callee.name='eval'], CallExpression > MemberExpression.callee[property.name='eval']", `eval ${EVAL}`],
  newFunction: ["NewExpression[callee.name='Function'], CallExpression[callee.name='Function']", `The Function constructor ${EVAL}`],
  impliedEval: [
    "CallExpression[callee.name=/^set(Timeout|Interval)$/][arguments.0.type=/^(Literal|TemplateLiteral|BinaryExpression)$/], CallExpression[callee.property.name=/^set(Timeout|Interval)$/][arguments.0.type=/^(Literal|TemplateLiteral|BinaryExpression)$/]",
    `A string passed to setTimeout/setInterval ${EVAL}`,
  ],
};

const sinkRules = (omit = []) => ({
  'no-restricted-syntax': [
    'error',
    ...Object.entries(SINKS)
      .filter(([id]) => !omit.includes(id))
      .map(([, [selector, message]]) => ({ selector, message })),
  ],
  'no-restricted-globals': ['error', { name: 'eval', message: `eval ${EVAL}` }],
  'no-restricted-properties': [
    'error',
    { object: 'document', property: 'write', message: `document.write ${HTML}` },
    { object: 'document', property: 'writeln', message: `document.writeln ${HTML}` },
  ],
  'no-eval': 'error',
  'no-implied-eval': 'error',
  'no-new-func': 'error',
});

export default tseslint.config(
  {
    // Everything outside the scope above is left alone (tests, fixtures, generated files, builds).
    ignores: ['**/*', '!entrypoints/', '!entrypoints/**', '!components/', '!components/**', '!utils/', '!utils/**', '!data/', '!data/*.ts', '!scripts/', '!scripts/**', '!eslint.config.js'],
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    extends: [tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      ...sinkRules(),
      // Dead code is reported, not fatal; a leading underscore marks a deliberate unused name.
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The benchmark's test page (never shipped) appends the benchmark's own fixture HTML.
    files: ['scripts/bench/page-entry.ts'],
    rules: { 'no-restricted-syntax': sinkRules(['innerHTML'])['no-restricted-syntax'] },
  },
);

// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layers from './scripts/eslint/layers.js';

/** Import boundaries: a folder's name says where its code runs (see README, "Layout"). */
const noElectron = {
  name: 'electron',
  message: "Only electron/main.ts, electron/preload.ts and electron/shell/ may import 'electron'.",
};
const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'http',
  'https',
  'net',
  'child_process',
  'crypto',
  'stream',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'coverage/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            { group: nodeBuiltins, message: 'shared/ is pure TypeScript: no Node built-ins.' },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ imports nothing from the processes.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [{ group: ['**/renderer/**'], message: 'The main process never imports the renderer.' }],
        },
      ],
    },
  },
  {
    // Inside the main process, imports run down the layers (base → http → export → jobs → providers →
    // secrets → app → cli | web | shell), never back up.
    files: ['electron/**/*.ts'],
    plugins: { layers },
    rules: { 'layers/order': 'error' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer has no Node.' },
            {
              group: ['**/electron/**'],
              message: 'The renderer talks to the main process only through renderer/api/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Handing a URL to the OS can run code (file:, smb:, ms-msdt:): only the one safe-link helper may.
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['electron/shell/external-links.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          property: 'openExternal',
          message: 'Open links with openExternalSafely() from electron/shell/external-links.ts.',
        },
      ],
    },
  },
);

import { Alert, createTheme, Modal, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 6 under white text, and coloured text at shade 6, miss WCAG AA; 8 passes in both schemes.
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
  components: {
    // A light alert's coloured title on its tinted background falls short of WCAG AA contrast.
    Alert: Alert.extend({ styles: { title: { color: 'var(--mantine-color-text)' } } }),
    // A dialog's × button has no text: it is named for what it does.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

/**
 * Mantine's default "dimmed" grey, and the text of light buttons, badges and the active navigation entry on
 * their tinted backgrounds, are below 4.5:1 contrast; a darker grey and paler tints pass WCAG AA.
 * Coloured status text (`c="red"`, `c="teal"`, `c="orange"`) takes shade 9 on white and Mantine's shade 4
 * on the dark background: one fixed shade is too pale for one scheme or too dark for the other. So does
 * the error text under a field, which Mantine draws in shade 8 on dark (3.4:1).
 */
const STATUS_TEXT = ['red', 'teal', 'orange'];

export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    ...Object.fromEntries(
      Object.keys(t.colors).flatMap((c) => [
        [`--mantine-color-${c}-light`, `var(--mantine-color-${c}-0)`],
        [`--mantine-color-${c}-light-hover`, `var(--mantine-color-${c}-1)`],
      ]),
    ),
    ...Object.fromEntries(
      STATUS_TEXT.map((c) => [`--mantine-color-${c}-text`, `var(--mantine-color-${c}-9)`]),
    ),
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-error': 'var(--mantine-color-red-4)',
  },
});

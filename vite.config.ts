import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer alone: served by the desktop shell (app://) and by browser mode, both from dist/renderer/.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // No inline scripts or data: URLs for modules: the page runs under a strict CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
});

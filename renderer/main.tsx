import '@mantine/core/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config } from 'zod';
import { createClient } from './api/index.ts';
import { App } from './App.tsx';

// The page runs under a CSP without 'unsafe-eval'; zod must not even probe for it (the probe is reported).
config({ jitless: true });

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App client={createClient()} />
  </StrictMode>,
);

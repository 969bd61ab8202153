import type { Authorization } from './auth.ts';

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The consent page a user sees at the vendor: which app asks for what, Approve or Deny. */
export function authorizePage(id: string, auth: Authorization): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to Xarios</title></head>
<body>
<main>
<h1>Sign in to Xarios</h1>
<p>The application <strong>${escape(auth.clientId)}</strong> asks to read your reports
(${escape(auth.scope || 'no scopes')}).</p>
<form method="post" action="/connect/authorize/decision">
<input type="hidden" name="id" value="${escape(id)}">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</main>
</body></html>`;
}

/**
 * axe-core's WCAG 2.0 and 2.1 A and AA rules run in the page, and its findings as readable lines. The rule
 * that a control's accessible name holds its visible label (WCAG 2.5.3) is experimental in axe, so it is
 * turned on by name.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';

const AXE = path.resolve('node_modules/axe-core/axe.min.js');

export interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

export async function axe(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    // axe-core is loaded into the page above; its types are not visible from here.
    const { axe: run } = window as unknown as {
      axe: { run(ctx: Document, opts: object): Promise<{ violations: Finding[] }> };
    };
    const result = await run.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      rules: { 'label-content-name-mismatch': { enabled: true } },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

export function describe(screenName: string, findings: Finding[]): string[] {
  return findings.map(
    (f) =>
      `${screenName}: ${f.id} (${f.impact ?? 'n/a'}) ${f.help}\n` +
      f.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
        .join('\n'),
  );
}

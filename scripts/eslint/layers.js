// @ts-check
/**
 * The main process's inner layering: a folder of electron/ may import only from its own layer and the
 * layers below it, so no import runs back up. Order, lowest first:
 *   base → http → export → jobs → providers → secrets → app → cli | web | shell (and main.ts, preload.ts)
 * The top three are peers. shared/ sits beside the order: any layer may import it.
 */
import path from 'node:path';

export const LAYERS = ['base', 'http', 'export', 'jobs', 'providers', 'secrets', 'app', 'top'];
const TOP = new Set(['cli', 'web', 'shell']);

/** The layer of a file under electron/, or undefined for a file elsewhere. */
function layerOf(file) {
  const rel = path.relative(path.resolve('electron'), path.resolve(file));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const first = rel.split(path.sep)[0];
  if (rel === first || TOP.has(first)) return 'top'; // electron/main.ts, electron/preload.ts
  return LAYERS.includes(first) ? first : undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const order = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep imports inside electron/ running down the layers, never back up.' },
    schema: [],
    messages: {
      up: 'electron/{{from}}/ may not import from electron/{{to}}/: {{to}} sits above {{from}} (order: base → http → export → jobs → providers → secrets → app → cli | web | shell). Move what both need down, or pass it in.',
    },
  },
  create(context) {
    const from = layerOf(context.filename);
    if (!from) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(context.filename), source));
      if (!to || LAYERS.indexOf(to) <= LAYERS.indexOf(from)) return;
      const name = (l) => (l === 'top' ? 'cli | web | shell' : l);
      context.report({ node, messageId: 'up', data: { from: name(from), to: name(to) } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { order } };

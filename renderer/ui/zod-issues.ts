import type { z } from 'zod';

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/** zod's "Invalid input" for a union says nothing useful; name what would be accepted instead. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && issue.message === 'Invalid input') {
    const expected = issue.errors
      .flat()
      .map((i) => (i.code === 'invalid_type' ? (TYPE_WORDS[i.expected] ?? i.expected) : undefined))
      .filter((x): x is string => !!x);
    const last = issue.path.at(-1);
    const what = last === undefined ? 'This value' : `"${String(last)}"`;
    if (expected.length) return `${what} must be ${[...new Set(expected)].join(', or ')}`;
  }
  return issue.message;
}

/**
 * Assigns each problem to the form field whose key is the longest prefix of the problem's path, so the
 * message shows next to the control that can fix it; the first problem of a field is the one to fix first (an
 * empty index is "missing", not also "has a bad character"). Problems no field claims go under ''.
 */
export function issuesByField(
  error: z.ZodError | undefined,
  fieldKeys: readonly string[],
  /** Other keys a field edits (a date range's ends), to the field's key. */
  claimedBy: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!error) return out;
  const keys = [...fieldKeys, ...Object.keys(claimedBy)].sort((a, b) => b.length - a.length);
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    const key = keys.find((k) => path === k || path.startsWith(`${k}.`));
    const field = key === undefined ? '' : (claimedBy[key] ?? key);
    out[field] ??= issueMessage(issue);
  }
  return out;
}

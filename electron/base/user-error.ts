import type { z } from 'zod';

/** Bad input from the user: shown as is (exit code 2 in the CLI), never with a stack trace. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** One line per problem, naming the field: `query.filterBy.createdAt: Use an ISO-8601 UTC time ...`. */
export function zodMessage(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((i) => {
      const where = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      return where ? `${where}: ${i.message}` : i.message;
    })
    .join('\n');
}

import { Alert, Text } from '@mantine/core';

interface Props {
  ok: boolean | undefined;
  /** The alert's title when it worked, and when it did not. */
  titles: readonly [ok: string, failed: string];
  message: string | undefined;
  /** When the result was made, in words ("Tested 14:02"); left out while unknown. */
  when?: string | undefined;
  testId: string;
  timeTestId?: string;
  mt?: string;
}

/** The outcome of a connection test or a sign-in: green or red, what was said, and when. */
export function ResultAlert({ ok, titles, message, when, testId, timeTestId, mt }: Props) {
  return (
    <Alert mt={mt} color={ok ? 'green' : 'red'} title={ok ? titles[0] : titles[1]} data-testid={testId}>
      {message}
      {when !== undefined && (
        <Text size="xs" c="dimmed" mt={4} data-testid={timeTestId}>
          {when}
        </Text>
      )}
    </Alert>
  );
}

/** The titles of a connection test's result. */
export const CONNECTION_TEST = ['Connection works', 'Connection failed'] as const;

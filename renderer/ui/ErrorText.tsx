import { Text, type MantineSize } from '@mantine/core';
import type { ReactNode } from 'react';

/** What went wrong, beside the control it concerns and read out as it appears; nothing while empty. */
export function ErrorText({ size = 'sm', children }: { size?: MantineSize; children: ReactNode }) {
  if (!children) return null;
  return (
    <Text size={size} c="red" role="alert">
      {children}
    </Text>
  );
}

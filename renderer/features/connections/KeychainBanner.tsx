import { Alert } from '@mantine/core';
import { useApp } from '../../stores/context.tsx';

/** Says plainly when secrets live only as long as this run, because no OS keychain could be used. */
export function KeychainBanner() {
  const keychain = useApp((s) => s.info?.keychain);
  if (!keychain || keychain.kind !== 'memory') return null;
  return (
    <Alert
      color="yellow"
      title="Secrets are kept for this session only"
      role="alert"
      data-testid="keychain-banner"
    >
      {keychain.warning ??
        'No system keychain is available. Secrets you enter are forgotten when Export Desk closes.'}
    </Alert>
  );
}

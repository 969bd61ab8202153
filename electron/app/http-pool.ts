import type { Settings } from '../../shared/api.ts';
import { HttpClient } from '../http/client.ts';
import type { StallPolicy } from '../http/deadline.ts';

export interface HttpPoolOptions {
  env: NodeJS.ProcessEnv;
  version?: string | undefined;
  httpTimeoutMs?: number | undefined;
  httpDeadlineMs?: number | undefined;
  httpStall?: StallPolicy | undefined;
}

/**
 * The HTTP client for the network settings in force (proxy, CA file): a new one when they change.
 * Exports already running keep the client they started with; every client is closed with the pool.
 */
export class HttpPool {
  private current: HttpClient | undefined;
  private currentKey = '';
  private readonly retired: HttpClient[] = [];

  constructor(private readonly opts: HttpPoolOptions) {}

  client(settings: Settings | undefined): HttpClient {
    const key = JSON.stringify([settings?.proxyUrl, settings?.caFile]);
    if (!this.current || key !== this.currentKey) {
      if (this.current) this.retired.push(this.current);
      const {
        env,
        version,
        httpTimeoutMs: timeoutMs,
        httpDeadlineMs: deadlineMs,
        httpStall: stall,
      } = this.opts;
      this.current = new HttpClient({
        ...(settings?.proxyUrl ? { proxyUrl: settings.proxyUrl } : {}),
        ...(settings?.caFile ? { caFile: settings.caFile } : {}),
        env,
        userAgent: `ExportDesk/${version ?? '0'}`,
        ...(timeoutMs ? { timeoutMs } : {}),
        ...(deadlineMs ? { deadlineMs } : {}),
        ...(stall ? { stall } : {}),
      });
      this.currentKey = key;
    }
    return this.current;
  }

  async close(): Promise<void> {
    await Promise.all([this.current, ...this.retired].map((c) => c?.close()));
  }
}

import type { Settings } from '../../shared/api.ts';
import { HttpClient } from '../http/client.ts';
import type { AppServiceOptions } from './service.ts';

type HttpPoolOptions = Pick<
  AppServiceOptions,
  'version' | 'httpTimeoutMs' | 'httpDeadlineMs' | 'httpStall'
> & {
  env: NodeJS.ProcessEnv;
};

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
      const o = this.opts;
      this.current = new HttpClient({
        ...(settings?.proxyUrl ? { proxyUrl: settings.proxyUrl } : {}),
        ...(settings?.caFile ? { caFile: settings.caFile } : {}),
        env: o.env,
        userAgent: `ExportDesk/${o.version ?? '0'}`,
        ...(o.httpTimeoutMs ? { timeoutMs: o.httpTimeoutMs } : {}),
        ...(o.httpDeadlineMs ? { deadlineMs: o.httpDeadlineMs } : {}),
        ...(o.httpStall ? { stall: o.httpStall } : {}),
      });
      this.currentKey = key;
    }
    return this.current;
  }

  async close(): Promise<void> {
    await Promise.all([this.current, ...this.retired].map((c) => c?.close()));
  }
}

/**
 * Chooses how requests leave the machine: directly, through an explicit proxy, or through the proxy the
 * environment names. TLS is always verified; a corporate CA is added to Node's roots, never in place of
 * them, so public vendor hosts keep working behind an inspecting proxy.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici';

export interface DispatcherOptions {
  /** http(s)://host:port, optionally with user:pass@. Wins over the environment. */
  proxyUrl?: string;
  /** PEM file of extra CA certificates, added to Node's default roots. */
  caFile?: string;
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read when proxyUrl is not set; default process.env. */
  env?: NodeJS.ProcessEnv;
}

function loadCa(caFile: string): string[] {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the CA certificate file ${caFile}: ${(e as Error).message}`, { cause: e });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`the CA certificate file ${caFile} holds no PEM certificate`);
  }
  return [...rootCertificates, pem];
}

/** Lower case first, as curl and undici read them. Empty means "none", never "look at process.env". */
function fromEnv(env: NodeJS.ProcessEnv): { httpProxy: string; httpsProxy: string; noProxy: string } {
  const pick = (name: string): string => (env[name.toLowerCase()] ?? env[name.toUpperCase()] ?? '').trim();
  return { httpProxy: pick('http_proxy'), httpsProxy: pick('https_proxy'), noProxy: pick('no_proxy') };
}

export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const tls = opts.caFile ? { ca: loadCa(opts.caFile) } : {};
  if (opts.proxyUrl) {
    const url = new URL(opts.proxyUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`the proxy must be an http:// or https:// URL, not ${url.protocol}`);
    }
    return new ProxyAgent({ uri: opts.proxyUrl, requestTls: tls, proxyTls: tls });
  }
  const env = fromEnv(opts.env ?? process.env);
  if (env.httpProxy || env.httpsProxy) {
    // Every value is passed, even empty ones, so undici never falls back to process.env behind our back.
    return new EnvHttpProxyAgent({ ...env, connect: tls, requestTls: tls, proxyTls: tls });
  }
  return new Agent({ connect: tls });
}

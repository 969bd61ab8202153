import type { KeytarLike } from '../../../electron/secrets/store.ts';

type Method = keyof KeytarLike;

/**
 * An in-memory stand-in for keytar. `failWith` makes a method reject as libsecret does; `hang` makes it
 * never settle, like a keyring waiting on an unlock prompt nobody can see.
 */
export class FakeKeytar implements KeytarLike {
  readonly entries = new Map<string, string>();
  readonly failures = new Map<Method, string>();
  readonly hanging = new Set<Method>();
  readonly calls: Method[] = [];

  failWith(method: Method, message: string): this {
    this.failures.set(method, message);
    return this;
  }

  hang(method: Method): this {
    this.hanging.add(method);
    return this;
  }

  accounts(service: string): string[] {
    return [...this.entries.keys()].filter((k) => k.startsWith(`${service}\n`)).map((k) => k.split('\n')[1]!);
  }

  async getPassword(service: string, account: string): Promise<string | null> {
    await this.#enter('getPassword');
    return this.entries.get(`${service}\n${account}`) ?? null;
  }

  async setPassword(service: string, account: string, password: string): Promise<void> {
    await this.#enter('setPassword');
    this.entries.set(`${service}\n${account}`, password);
  }

  async deletePassword(service: string, account: string): Promise<boolean> {
    await this.#enter('deletePassword');
    return this.entries.delete(`${service}\n${account}`);
  }

  async findCredentials(service: string): Promise<Array<{ account: string; password: string }>> {
    await this.#enter('findCredentials');
    return this.accounts(service).map((account) => ({
      account,
      password: this.entries.get(`${service}\n${account}`)!,
    }));
  }

  async #enter(method: Method): Promise<void> {
    this.calls.push(method);
    if (this.hanging.has(method)) await new Promise(() => {});
    const failure = this.failures.get(method);
    if (failure !== undefined) throw new Error(failure);
  }
}

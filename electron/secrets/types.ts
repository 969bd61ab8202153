/** Where secrets live for this run. The renderer only ever learns `kind` and `warning`, never a value. */
export interface SecretStore {
  readonly kind: 'keychain' | 'memory';
  /** Set for 'memory': why no keychain is used and what the user can do about it, in plain words. */
  readonly warning?: string;
  /** Set for 'memory': why no keychain is used, in a few words, for messages that add their own advice. */
  readonly reason?: string;
  get(account: string): Promise<string | undefined>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  has(account: string): Promise<boolean>;
  /** Removes every secret whose account starts with `prefix` (e.g. all of one connection); returns how many. */
  deleteByPrefix(prefix: string): Promise<number>;
}

/** The part of keytar we use; tests pass a fake with the same shape. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/**
 * The simulated Omni organisation: users, folders, labels and documents, generated from a seed. Names are
 * unicode and carry the characters a cursor must survive in a URL (& + # % = ? / spaces), and sort values
 * repeat (same names, same counts, same update times) so ties at a page boundary happen.
 */
import { picker, prng } from '../cxone/random.ts';

export interface SimUser {
  id: string;
  userName: string;
  displayName: string;
  active: boolean;
}

export interface SimFolder {
  id: string;
  name: string;
  path: string;
  scope: 'organization' | 'restricted';
}

export interface SimLabel {
  name: string;
  verified: boolean;
  homepage: boolean;
}

export interface SimDocument {
  identifier: string;
  name: string;
  connectionId: string;
  deleted: boolean;
  folder: SimFolder | null;
  labels: SimLabel[];
  owner: { id: string; name: string };
  scope: 'organization' | 'restricted' | 'public';
  updatedAt: string;
  favorites: number;
  visits: number;
}

export interface Organisation {
  users: SimUser[];
  folders: SimFolder[];
  labels: SimLabel[];
  documents: SimDocument[];
}

const FIRST = [
  'Åsa',
  'Blobby',
  'Zoë',
  'José',
  'Łukasz',
  'Ngọc',
  'Søren',
  '美咲',
  'Ana',
  'Chloé',
  'Amir',
  'Olu',
];
const LAST = [
  'Öberg',
  'Müller',
  'García',
  'Nguyễn',
  'O’Brien',
  '山田',
  'Smith',
  'Dvořák',
  'Kowalski',
  'Ølstad',
];
const LABELS: SimLabel[] = [
  { name: 'Marketing', verified: false, homepage: false },
  { name: 'Finance', verified: true, homepage: true },
  { name: 'Ventes 📈', verified: false, homepage: false },
  { name: '財務', verified: true, homepage: false },
  { name: 'Q1 2024', verified: false, homepage: false },
  { name: 'Straße & Co', verified: false, homepage: false },
  { name: 'Produktion', verified: true, homepage: true },
  { name: 'R&D+Ops', verified: false, homepage: false },
];
const WORDS = [
  'Blob Web Traffic',
  'Product Totals',
  'Revenue & Margin',
  'C++ builds',
  'Umsatz über Zeit',
  'Taux de conversion',
  '売上ダッシュボード',
  'Funnel #3',
  '100% done?',
  'a=b / c',
  'Ñandú report',
  'Émoji 🚀 launches',
  'Zebra stats',
  'weekly KPIs',
];

/** Shaped like a version 4 UUID, as Omni writes its ids. */
const hex = (n: number, p: ReturnType<typeof picker>): string =>
  Array.from({ length: n }, () => p.int(0, 15).toString(16)).join('');

export function generateOrganisation(seed: number, documentCount: number, userCount: number): Organisation {
  const p = picker(prng(seed));
  const users: SimUser[] = Array.from({ length: userCount }, (_, i) => {
    const first = FIRST[i % FIRST.length] as string;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length] as string;
    const n = Math.floor(i / (FIRST.length * LAST.length));
    return {
      id: p.uuid(),
      userName: `user${i + 1}@example.com`,
      displayName: `${first} ${last}${n ? ` ${n + 1}` : ''}`,
      active: i % 17 !== 16,
    };
  });
  const folders: SimFolder[] = Array.from({ length: 12 }, (_, i) => {
    const name = ['In Progress Reports', 'Finanças', 'Team 🐳', 'Archive/2023', 'Ops & Support'][
      i % 5
    ] as string;
    const full = i < 5 ? name : `${name} ${i}`;
    return {
      id: p.uuid(),
      name: full,
      path: full
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, '-')
        .replace(/^-|-$/g, ''),
      scope: i % 3 === 2 ? 'restricted' : 'organization',
    };
  });
  const base = Date.UTC(2025, 0, 7, 10);
  const seen = new Set<string>();
  const documents: SimDocument[] = Array.from({ length: documentCount }, (_, i) => {
    let identifier = hex(8, p);
    while (seen.has(identifier)) identifier = hex(8, p);
    seen.add(identifier);
    const owner = users[p.int(0, Math.min(users.length, 40) - 1)] as SimUser;
    const labelCount = p.pick([0, 0, 1, 1, 1, 2, 2, 3]);
    const labels = [...new Set(Array.from({ length: labelCount }, () => p.pick(LABELS)))];
    // About one name in five is shared with another document, so name ties cross page boundaries.
    const name = p.chance(0.2) ? p.pick(WORDS) : `${p.pick(WORDS)} ${i + 1}`;
    return {
      identifier,
      name,
      connectionId: 'c0f12353-4817-4398-bcc0-d501e6dd2f64',
      deleted: p.chance(0.04),
      folder: p.chance(0.15) ? null : p.pick(folders),
      labels,
      owner: { id: owner.id, name: owner.displayName },
      scope: p.pick(['organization', 'organization', 'restricted', 'public'] as const),
      // Whole hours: several documents share an update time.
      updatedAt: new Date(base + p.int(0, 24 * 400) * 3_600_000).toISOString().replace('.000Z', 'Z'),
      favorites: p.int(0, 12),
      visits: p.int(0, 400),
    };
  });
  return { users, folders, labels: LABELS, documents };
}

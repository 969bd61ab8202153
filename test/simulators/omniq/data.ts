/**
 * Deterministic OmniQ documents following the reference doc's schema, plus the values real exports
 * trip over: unicode names, questions with commas/quotes/newlines, spreadsheet formulas, integers past
 * 2^53, keys missing from some records and a key that only shows up deep into the data set.
 */

import { hashSeed, prng } from '../random.ts';

/** One document as the simulator holds it. `externalRef` is a bigint so it can go on the wire unrounded. */
export type Row = Record<string, unknown>;

/** The index names exactly as the doc lists them, including its `campaings` spelling. */
export const OMNIQ_INDEXES = [
  'templates_reports',
  'communicationlogs',
  'hsm_templates',
  'communications',
  'manual_instances',
  'users',
  'campaings',
  'profiles',
  'reports',
  'agents',
] as const;
export type OmniqIndex = (typeof OMNIQ_INDEXES)[number];

export function isOmniqIndex(value: unknown): value is OmniqIndex {
  return typeof value === 'string' && (OMNIQ_INDEXES as readonly string[]).includes(value);
}

/** Position (in simulator order) from which `workflow.attrs.contact.company` starts to appear. */
export const OMNIQ_LATE_KEY_FROM = 3000;
/** `externalRef` of the record at position i is EXTERNAL_REF_BASE + 7 * i: always above 2^53. */
export const EXTERNAL_REF_BASE = 9007199254740993n;

const YEAR_START = Date.UTC(2025, 0, 1);
const YEAR_SPAN = Date.UTC(2026, 0, 1) - YEAR_START; // last possible value: 2025-12-31T23:59:59.999Z
const DAY = 86_400_000;

const BOT_MODULES = ['welcome', 'faq', 'survey', 'handoff'];
const CAMPAIGNS = ['Spring Promo', 'Renewals Q3', 'Soporte técnico', 'Black Friday', '客户回访'];
const INSTANCES = ['wa-main', 'wa-support', 'webchat-eu'];
const PLATFORMS = ['whatsapp', 'webchat', 'messenger', 'instagram', 'telegram'];
const STEPS = ['start', 'menu', 'bot', 'queue', 'agent', 'closed'];
const BOTS = ['Ava', 'Max', 'Lumi'];
const FIRST_NAMES = [
  'Ana',
  'José',
  'Zoë',
  'François',
  'Łukasz',
  'Søren',
  'Müller',
  "O'Brien",
  '山田',
  '李雷',
  'محمد',
  'Ana 🌸',
  '😀 Sam',
  'Nguyễn',
  'Ñandú',
];
const QUESTIONS = [
  'Where is my order?',
  'Hi, can you help me, please?',
  'He said "call me back" twice',
  'Line one\nLine two',
  'Windows line\r\nbreak, and a comma',
  '=HYPERLINK("http://x","y")',
  '+1 more question',
  '-2+3',
  '@SUM(1)',
  '\tstarts with a tab',
  '¿Cuándo abren? 营业时间?',
  '',
];
const COMPANIES = ['Acme, Inc.', 'Globex', 'Initech "Labs"', 'Société Générale', '株式会社テスト'];

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0').slice(-width);

interface Draft {
  createdMs: number;
  id: string;
  doc: Row;
}

/**
 * `count` documents of `index` for `tenant`, sorted by createdAt then _id (the order the simulator
 * pages through). Same arguments, same output, byte for byte.
 */
export function generateOmniqRecords(
  index: OmniqIndex,
  count: number,
  seed: number,
  tenant: string,
  /** When the records were created: [start, start + span) in ms. Default: the year 2025. */
  period: { start: number; span: number } = { start: YEAR_START, span: YEAR_SPAN },
): Row[] {
  const rnd = prng(hashSeed(seed, index, tenant));
  const int = (min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const chance = (p: number): boolean => rnd() < p;
  const iso = (ms: number): string => new Date(ms).toISOString();

  const drafts: Draft[] = [];
  let previousMs = period.start;
  for (let i = 0; i < count; i++) {
    let createdMs = period.start + Math.floor(rnd() * period.span);
    if (i > 0 && chance(0.02))
      createdMs = previousMs; // ties: _id decides their order
    else if (chance(0.02) && createdMs - (createdMs % DAY) >= period.start) createdMs -= createdMs % DAY; // midnight, as in the doc's date examples
    previousMs = createdMs;

    // Shaped like a MongoDB ObjectId: seconds, random bytes, counter (unique within the set).
    const id =
      hex(Math.floor(createdMs / 1000), 8) + hex(int(0, 0xfffff), 5) + hex(int(0, 0xfffff), 5) + hex(i, 6);
    const firstName = pick(FIRST_NAMES);
    const instance = pick(INSTANCES);
    const doc: Row = {
      _id: id,
      botModule: chance(0.3) ? null : pick(BOT_MODULES),
      campaign: pick(CAMPAIGNS),
      client: hex(int(0, 0xffffff), 6) + hex(int(0, 0xffffff), 6) + hex(int(0, 0xffffff), 6) + hex(i, 6),
      createdAt: iso(createdMs),
      instance,
      platform: pick(PLATFORMS),
      scid: `521${int(1000000000, 9999999999)}@c.us`,
      step: pick(STEPS),
      isNewClient: chance(0.3),
      workflow: {
        attrs: {
          clientFromTemplate: chance(0.2),
          templateId: `tpl_${hex(int(0, 0xffff), 4)}`,
          contact: {
            number1: `+1555${int(1000000, 9999999)}`,
            email: `user${i}.${index}@example.com`,
            firstName,
            question: pick(QUESTIONS),
          },
        },
      },
      agentTotalTime: chance(0.4) ? null : int(5, 3600),
      botStartedAt: iso(createdMs + int(0, 5000)),
      botTotalTime: chance(0.2) ? null : int(100, 900_000) / 1000,
      poolTotalTime: chance(0.5) ? null : int(0, 1200),
      bot: pick(BOTS),
      tenantIdKey: `${tenant}_${instance}`,
      updatedAt: iso(createdMs + int(0, 3 * DAY)),
      tenantId: tenant,
      __v: chance(0.8) ? 0 : int(1, 4),
    };
    omitSomeOptionalKeys(doc, chance);
    drafts.push({ createdMs, id, doc });
  }

  drafts.sort((a, b) => a.createdMs - b.createdMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const companyRnd = prng(hashSeed(seed, index, tenant, 'company'));
  return drafts.map(({ doc }, position) => {
    if (position >= OMNIQ_LATE_KEY_FROM && companyRnd() < 0.5) {
      contactOf(doc).company = COMPANIES[Math.floor(companyRnd() * COMPANIES.length)];
    }
    doc.externalRef = EXTERNAL_REF_BASE + BigInt(position) * 7n;
    return doc;
  });
}

/** Real documents drop keys rather than set them to null; exports must not depend on every key existing. */
function omitSomeOptionalKeys(doc: Row, chance: (p: number) => boolean): void {
  if (chance(0.06)) delete doc.botModule;
  if (chance(0.06)) delete doc.agentTotalTime;
  if (chance(0.05)) delete doc.poolTotalTime;
  const attrs = (doc.workflow as { attrs: Row }).attrs;
  if (chance(0.05)) delete attrs.templateId;
  if (chance(0.07)) delete contactOf(doc).email;
}

function contactOf(doc: Row): Row {
  return (doc.workflow as { attrs: { contact: Row } }).attrs.contact;
}

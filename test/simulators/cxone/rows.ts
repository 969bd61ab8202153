/**
 * Generated rows, one UTC day at a time. A day's rows depend only on seed, entity, version and the day,
 * never on the range they were asked in, so a range split into jobs yields the same rows as the whole.
 * Text fields carry what real exports trip over: commas, quotes, line breaks (LF and CRLF), accents,
 * CJK, emoji and a value that a spreadsheet would run as a formula.
 */
import type { CxoneEntityKind } from './columns.ts';
import { DAY_MS, hashSeed, isoSeconds, picker, prng, type Picker } from './random.ts';

export const TENANT_DISPLAY_NAME = 'Demo Tenant, Inc.';

/**
 * Comments are taken in turn rather than at random, so every awkward value shows up within a day's
 * rows (one per entry), however small the range.
 */
const REVIEW_COMMENTS = [
  '=HYPERLINK("http://example.com","click")',
  'I disagree, the customer asked twice.',
  'He said "call me back", so I did',
  'Line one\nLine two',
  'Windows line\r\nbreak, with a comma',
  'Ça va? Très bien — merci',
  '顧客は満足していました',
  'Great call 👍🏽',
  '',
  '+1 for the greeting',
];
const RESOLVER_COMMENTS = [
  '',
  'Agreed, score adjusted.',
  'Kept as is; see "Greeting" section',
  'Revisado ✅',
];
const PLAN_NAMES = [
  'Voice QA, EMEA',
  'Plan "Gold"',
  'Qualité – Français',
  '品質計画 2025',
  'Chat Excellence 💬',
];
const FORM_NAMES = ['Voice form, v2', 'Chat – Empathy', 'Email "Tone" form', 'Évaluation générale'];
const TEAMS = [
  { id: '5b1e2c3d-7a8b-4c9d-8e0f-112233445566', name: 'Support, Tier 1' },
  { id: '6c2f3d4e-8b9c-4dae-9f10-223344556677', name: 'Ventas – México' },
  { id: '7d304e5f-9cad-4ebf-a021-334455667788', name: 'サポート東京' },
  { id: '8e415f60-adbe-4fc0-b132-445566778899', name: 'Équipe "Nord"' },
];
const FIRST_NAMES = ['Ana', 'José', 'Zoë', 'François', 'Łukasz', 'Søren', '山田', '李雷', 'Ana 🌸', 'Nguyễn'];
const LAST_NAMES = [
  "O'Brien",
  'Müller',
  'García-López',
  'Ødegård',
  '田中',
  'Smith, Jr.',
  'Nuñez',
  'Kowalski',
];
const WORKFLOW_STATUSES = [
  'Claimed (new)',
  'Sent to Agent',
  'Dispute',
  'In Progress',
  'In Review',
  'Completed Reviewed',
  'Completed Acknowledged',
  'Completed No Review',
  'Completed',
  'Expired',
];
const RANKS = ['Gold', 'Silver', 'Bronze', 'Needs improvement'];
const DISPOSITIONS = [
  'Resolved',
  '=1+1',
  'Callback, requested',
  'Résolu "OK"',
  'Escalated\nto supervisor',
  '转接',
  '',
];
const SKILLS = ['Sales, EN', 'Support|ES', 'Billing – FR', 'VIP 🌟'];
const RECORDING_STATUSES = ['Recorded', 'Not Recorded', 'Partially Recorded', 'Deleted'];

/** The values of one day's rows, in column order. */
export function rowsForDay(
  seed: number,
  entityName: CxoneEntityKind,
  version: string,
  dayMs: number,
  count: number,
): string[][] {
  const p = picker(prng(hashSeed(seed, entityName, version, String(dayMs))));
  const dayIndex = Math.floor(dayMs / DAY_MS);
  const rows: string[][] = [];
  for (let i = 0; i < count; i++) {
    // Spread over the day in order: row i falls in the i-th slice of it.
    const at = dayMs + Math.floor(((i + p.rnd()) * DAY_MS) / count / 1000) * 1000;
    rows.push(
      entityName === 'qm-workflows'
        ? qmWorkflowRow(p, at, dayIndex + i)
        : interactionMetadataRow(p, at, dayIndex + i),
    );
  }
  return rows;
}

function fullName(p: Picker): [string, string] {
  return [p.pick(FIRST_NAMES), p.pick(LAST_NAMES)];
}

function qmWorkflowRow(p: Picker, submittedMs: number, turn: number): string[] {
  const type = p.chance(0.8) ? 'Evaluation' : 'Self-Assessment';
  const status = p.pick(WORKFLOW_STATUSES);
  const maxScore = p.pick([40, 50, 100]);
  const failedCritical = p.chance(0.1);
  const percentage = failedCritical ? 0 : p.int(3000, 10000) / 100;
  const startMs = submittedMs - p.int(300, 7200) * 1000;
  const interactionStart = startMs - p.int(3600, 3 * 86_400) * 1000;
  const interactionType = p.pick(['Phone call', 'Chat', 'Email']);
  const team = p.pick(TEAMS);
  const disputed = status === 'Dispute' || status === 'Completed Reviewed';
  const [evaFirst, evaLast] = fullName(p);
  const [agentFirst, agentLast] = fullName(p);
  const [dispFirst, dispLast] = disputed ? fullName(p) : ['', ''];
  const [assignerFirst, assignerLast] = fullName(p);
  return [
    TENANT_DISPLAY_NAME,
    p.uuid(),
    type,
    p.pick(['Manual trigger', 'Quality Plan', 'Calibration']),
    status,
    type === 'Self-Assessment' ? '' : p.chance(0.3) ? 'TRUE' : 'FALSE',
    p.pick(['Open', 'Closed', 'Timed-Out']),
    p.pick(PLAN_NAMES),
    p.pick(FORM_NAMES),
    String(p.int(1, 7)),
    isoSeconds(startMs),
    isoSeconds(submittedMs),
    isoSeconds(submittedMs + p.int(0, 3 * 86_400) * 1000),
    percentage.toFixed(2),
    ((percentage * maxScore) / 100).toFixed(2),
    String(maxScore),
    p.pick(RANKS),
    failedCritical ? 'true' : 'false',
    REVIEW_COMMENTS[turn % REVIEW_COMMENTS.length] ?? '',
    disputed ? p.pick(RESOLVER_COMMENTS) : '',
    p.uuid(),
    p.digits(11),
    interactionType,
    isoSeconds(interactionStart),
    isoSeconds(interactionStart + p.int(30, 2400) * 1000),
    p.pick(['Inbound', 'Outbound']),
    team.id,
    team.name,
    interactionType === 'Phone call' ? `+1555${p.digits(7)}` : '',
    evaFirst,
    evaLast,
    agentFirst,
    agentLast,
    dispFirst,
    dispLast,
    assignerFirst,
    assignerLast,
  ];
}

function interactionMetadataRow(p: Picker, startMs: number, turn: number): string[] {
  const [first, last] = fullName(p);
  return [
    p.digits(11),
    isoSeconds(startMs),
    p.pick(RECORDING_STATUSES),
    p.chance(0.5) ? p.pick(SKILLS) : `${p.pick(SKILLS)}; ${p.pick(SKILLS)}`,
    p.digits(7),
    `${first} ${last}`,
    p.pick(TEAMS).name,
    `+1555${p.digits(7)}`,
    p.uuid(),
    `+1${p.digits(10)}`,
    `800555${p.digits(4)}`,
    DISPOSITIONS[turn % DISPOSITIONS.length] ?? '',
  ];
}

/**
 * `npm run demo`: sends a signed sequence of sample events for the synthetic case C-1001 to
 * a running server and prints its deadlines. It finds the server where `npm start` does:
 * BASE_URL, else http://127.0.0.1:$PORT (PORT default 3000); it signs with WEBHOOK_SECRET,
 * else `npm start`'s development secret. Every person is an obviously fake professional;
 * there is no child's data anywhere.
 */
import { DEV_WEBHOOK_SECRET, localBaseUrl } from '#bin/local-defaults.js';
import { signWebhook } from '#platform/webhook.js';

const HELP = `Usage: npm run demo   (with npm start running)

Sends signed sample events for case C-1001 to a running npm start and prints its deadlines.
Environment:
  PORT            the port npm start serves on (default 3000)
  BASE_URL        the server's address instead (default http://127.0.0.1:$PORT)
  WEBHOOK_SECRET  the secret npm start uses (default: its development secret)`;

const BASE_URL = localBaseUrl();
const SECRET = process.env.WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET;
const CASE = 'C-1001';

// Event ids and times are fixed for the day, so running the demo twice is a redelivery.
const now = new Date();
const day = now.toISOString().slice(0, 10);
const base =
  Date.parse(`${day}T09:00:00Z`) <= now.getTime()
    ? Date.parse(`${day}T09:00:00Z`)
    : Date.parse(`${day}T00:00:00Z`);
const at = (minutes: number) =>
  new Date(base + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
let n = 0;
const id = () => `demo-${day}-${String(++n).padStart(2, '0')}`;

const people = [
  ['P-0001', 'Manager One', 'team-manager'],
  ['P-0002', 'Worker Two', 'allocated-worker'],
  ['P-0003', 'Supervisor Three', 'mh-supervisor'],
  ['P-0004', 'Worker Four', 'mh-worker'],
  ['P-0005', 'Worker Five', 'co-worker'],
  ['P-0006', 'LADO Officer Six', 'lado'],
  ['P-0007', 'EDT Manager Seven', 'head-of-service'],
  ['P-0008', 'Supervisor Eight', 'supervisor'],
] as const;

const events: Record<string, unknown>[] = [
  ...people.map(([personId, name]) => ({
    id: id(),
    type: 'person.upserted',
    occurredAt: at(0),
    data: {
      personId,
      name,
      email: `${name.toLowerCase().replaceAll(' ', '.')}@example.gov.uk`,
      // The EDT manager is paged by SMS out of hours: a reserved fictional UK number.
      ...(personId === 'P-0007' ? { phone: '+447700900007' } : {}),
      // Overdue reminders escalate to the recipient's manager, then the head of service.
      ...(personId === 'P-0007' ? {} : { managerId: personId === 'P-0001' ? 'P-0007' : 'P-0001' }),
      team: 'north-assessment',
    },
  })),
  {
    id: id(),
    type: 'rota.shift',
    occurredAt: at(0),
    data: {
      personId: 'P-0007',
      from: `${day}T17:00:00Z`,
      to: new Date(Date.parse(`${day}T09:00:00Z`) + 86_400_000).toISOString(),
    },
  },
  {
    id: id(),
    type: 'case.opened',
    occurredAt: at(1),
    caseId: CASE,
    data: {
      team: 'north-assessment',
      riskLevel: 'standard',
      jointWithMentalHealth: true,
      // Everyone but the EDT manager, who is reached through the rota, not the case.
      workers: people
        .filter(([personId]) => personId !== 'P-0007')
        .map(([personId, , role]) => ({ personId, role })),
    },
  },
  {
    id: id(),
    type: 'lado.concern-raised',
    occurredAt: at(2),
    caseId: CASE,
    data: { allegationId: 'A-1' },
  },
  {
    id: id(),
    type: 'disagreement.raised',
    occurredAt: at(3),
    caseId: CASE,
    data: { disagreementId: 'D-1' },
  },
  {
    id: id(),
    type: 'coworking.started',
    occurredAt: at(4),
    caseId: CASE,
    data: { reviewEveryWeeks: 4 },
  },
];

async function send(event: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify(event);
  const response = await fetch(`${BASE_URL}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signWebhook(SECRET, body) },
    body,
  });
  const answer = await response.text();
  console.log(
    `${response.status}  ${String(event.type).padEnd(20)} ${event.id}${response.ok ? '' : `  ${answer}`}`,
  );
  if (!response.ok) process.exitCode = 1;
}

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  day: '2-digit',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

async function main(): Promise<void> {
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    console.log(HELP);
    return;
  }
  console.log(`Sending ${events.length} signed events to ${BASE_URL}\n`);
  for (const event of events) await send(event);
  const response = await fetch(`${BASE_URL}/v1/cases/${CASE}/deadlines`);
  const { deadlines } = (await response.json()) as {
    deadlines: {
      id: string;
      rule: string;
      status: string;
      dueAt: string;
      stage?: number;
      explain: string[];
    }[];
  };
  console.log(`\nDeadlines on ${CASE} (due times in Europe/London):\n`);
  for (const d of deadlines) {
    const stage = d.stage === undefined ? '' : ` stage ${d.stage}`;
    console.log(
      `  ${(d.rule + stage).padEnd(30)} ${d.status.padEnd(9)} ${london.format(new Date(d.dueAt))}`,
    );
    for (const line of d.explain) console.log(`      ${line}`);
  }
  console.log(
    `\nMore: curl -s ${BASE_URL}/v1/cases/${CASE}/audit  and  curl -s '${BASE_URL}/v1/deadlines?status=open'`,
  );
}

main().catch((error: unknown) => {
  console.error(
    `demo failed: ${error instanceof Error ? error.message : String(error)} (is \`npm start\` running at ${BASE_URL}? Set PORT or BASE_URL)`,
  );
  process.exit(1);
});

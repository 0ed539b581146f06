/**
 * `npm run bench:web`: the managers' pages on DynamoDB Local, timed inside the web handler
 * (server side: from the request reaching the handler to its answer, no browser).
 *
 * 1. `/app` for a team manager whose team has 2,000 open deadlines, all due this week or
 *    next (the dashboard's worst case: every one is read, 200 a section are listed). Written
 *    through the real commit path (`DynamoCaseStore.commitCase`: projections, team index,
 *    report counters), 1,000 cases with a LADO concern and a disagreement each.
 * 2. The compliance report for 12 months × 20 teams × 12 rules (2,880 counter items, each
 *    with a lateness histogram), read by a head of service: the page and its CSV.
 *
 * Targets: /app p95 < 300 ms; the report < 500 ms. Figures are printed as ratios to the
 * targets and are never asserted (they depend on the machine: it is shared and has 2 cores).
 * Options: WEB_REQUESTS (50 per measurement), WEB_DEADLINES (2000).
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startDynamoDbLocal } from '#functions/local/standins.js';
import { makeWebHandler } from '#functions/web/app.js';
import { localAuth } from '#functions/web/auth.js';
import { dashboard } from '#functions/web/dashboard-view.js';
import { complianceReport } from '#functions/web/reports.js';
import { LocalSessions } from '#functions/web/session.js';
import { webDeps } from '#functions/web/wiring.js';
import { reportTeams } from '#kernel/access.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { emptyCounts, type ReportItem } from '#kernel/reports/figures.js';
import { makeDocumentClient } from '#platform/clients.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { DynamoReportStore } from '#platform/dynamodb/report-store.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import type { CaseEvent } from '#schemas/events.js';
import { fmt, printSummary, runBench, table } from './support/stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_REGION ??= 'eu-west-2';

const REQUESTS = Number(process.env.WEB_REQUESTS ?? 50);
const DEADLINES = Number(process.env.WEB_DEADLINES ?? 2000);
const AUTHORITY: AuthorityConfig = {
  authority: 'Example Borough Council',
  division: 'england-and-wales',
  preset: 'southampton',
  links: { caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}' },
  fallbackContact: { email: 'duty.inbox@example.gov.uk' },
} as AuthorityConfig;
/** Monday 7 June 2027, 08:00 BST: the clocks below fall due this week and next. */
const NOW = new Date('2027-06-07T07:00:00Z');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
}

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  try {
    const tableName = `bench-web-${Date.now()}`;
    await createTable(new DynamoDBClient({ endpoint: dynamo.endpoint }), tableName);
    const client = makeDocumentClient({ endpoint: dynamo.endpoint });
    const engine = makeCaseEngine(AUTHORITY);
    const store = new DynamoCaseStore(client, tableName);
    const directory = new DynamoDirectory(client, tableName);
    const record = (eventId: string) => ({
      eventId,
      type: 'person.upserted',
      caseId: null,
      bodyHash: 'h',
      answer: { statusCode: 202, body: {} },
      receivedAt: NOW.toISOString(),
    });
    const people = [
      { personId: 'P-0001', name: 'Head One', team: 'management' },
      { personId: 'P-0100', name: 'Manager North', team: 'north', managerId: 'P-0001' },
      { personId: 'P-0101', name: 'Worker North', team: 'north', managerId: 'P-0100' },
    ];
    for (const p of people)
      await directory.upsertPerson(
        { ...p, email: `${p.personId}@example.gov.uk`, updatedAt: NOW.toISOString() },
        record(`p-${p.personId}`),
      );

    // 1. 2,000 open deadlines for north: per case a LADO concern and a disagreement.
    const seedStart = performance.now();
    const cases = Math.ceil(DEADLINES / 2);
    for (let i = 0; i < cases; i += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, cases - i) }, async (_, k) => {
          const caseId = `C-${String(10_000 + i + k)}`;
          // Spread over the two weeks: raised between Monday 08:00 and the next Friday.
          const at = new Date(NOW.getTime() + ((i + k) % 9) * 86_400_000 + 3_600_000);
          const events = [
            {
              type: 'case.opened',
              data: { team: 'north', workers: [{ personId: 'P-0101', role: 'allocated-worker' }] },
            },
            { type: 'lado.concern-raised', data: { allegationId: 'A-1' } },
            { type: 'disagreement.raised', data: { disagreementId: 'D-1' } },
          ];
          let stored: Awaited<ReturnType<typeof store.loadCase>>;
          for (const [n, e] of events.entries()) {
            stored = await store.loadCase(caseId);
            const event = {
              id: `${caseId}-${n}`,
              caseId,
              occurredAt: at.toISOString(),
              ...e,
            } as CaseEvent;
            const result = engine.applyEvent(stored?.aggregate, event, at);
            await store.commitCase({
              caseId,
              expectedVersion: stored?.version ?? 0,
              before: stored?.aggregate,
              after: result.aggregate,
              audit: result.audit,
              now: at,
            });
          }
        }),
      );
    }
    const seedSeconds = (performance.now() - seedStart) / 1000;

    // 2. The report's counters: 12 months × 20 teams × 12 rules, each with a histogram.
    const reports = new DynamoReportStore(client, tableName);
    const items: ReportItem[] = [];
    for (let m = 1; m <= 12; m++)
      for (let t = 0; t < 20; t++)
        for (let r = 0; r < 12; r++) {
          const counts = emptyCounts();
          Object.assign(counts, { open: r, metOnTime: 20 + t, metLate: 5, breached: 2 });
          counts.late['working-days'] = { 1: 2, 2: 1, 5: 1, 12: 1 };
          items.push({
            key: {
              month: `2026-${String(m).padStart(2, '0')}`,
              rule: `rule-${r}`,
              team: `team-${t}`,
            },
            counts,
          });
        }
    await reports.replaceAll(items);

    const sessions = new LocalSessions();
    const deps = webDeps({
      client,
      tableName,
      engine,
      authority: AUTHORITY,
      auth: localAuth(sessions),
      clock: { now: () => NOW },
      secureCookies: false,
    });
    const handler = makeWebHandler(deps);

    const request = (path: string, personId: string, query = ''): APIGatewayProxyEventV2 => {
      const routeKey = path.endsWith('.csv')
        ? `GET ${path}`
        : path.startsWith('/app/reports')
          ? 'GET /app/reports/compliance'
          : `GET ${path}`;
      return {
        version: '2.0',
        routeKey,
        rawPath: path,
        rawQueryString: query,
        headers: { 'accept-encoding': 'gzip' },
        cookies: [`ts_session=${sessions.issue(personId, NOW)}`],
        queryStringParameters: Object.fromEntries(new URLSearchParams(query)),
        isBase64Encoded: false,
        requestContext: {
          http: {
            method: 'GET',
            path,
            protocol: 'HTTP/1.1',
            sourceIp: '127.0.0.1',
            userAgent: 'bench',
          },
          domainName: 'localhost',
        } as APIGatewayProxyEventV2['requestContext'],
      };
    };
    const measure = async (event: () => APIGatewayProxyEventV2) => {
      for (let i = 0; i < 5; i++) await handler(event()); // warm: templates compiled, caches filled
      const times: number[] = [];
      let status = 0;
      let bytes = 0;
      for (let i = 0; i < REQUESTS; i++) {
        const start = performance.now();
        const answer = await handler(event());
        times.push(performance.now() - start);
        status = answer.statusCode;
        bytes = answer.body.length;
      }
      return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), status, bytes };
    };

    // Where the time goes: the use cases alone (DynamoDB Local's reads and the arithmetic).
    const viewer = {
      personId: 'P-0100',
      name: 'Manager North',
      roles: ['team-manager' as const],
      teams: ['north'],
      cases: [],
    };
    const head = {
      personId: 'P-0001',
      name: 'Head One',
      roles: ['head-of-service' as const],
      teams: [],
      cases: [],
    };
    const timeOf = async (run: () => Promise<unknown>) => {
      for (let i = 0; i < 3; i++) await run();
      const times: number[] = [];
      for (let i = 0; i < Math.min(REQUESTS, 20); i++) {
        const start = performance.now();
        await run();
        times.push(performance.now() - start);
      }
      return percentile(times, 0.5);
    };
    const dashboardReads = await timeOf(() => dashboard(viewer, deps.views));
    const reportReads = await timeOf(() =>
      complianceReport({ from: '2026-01', to: '2026-12', teams: reportTeams(head) }, deps.reports),
    );
    const home = await measure(() => request('/app', 'P-0100'));
    const report = await measure(() =>
      request('/app/reports/compliance', 'P-0001', 'from=2026-01&to=2026-12'),
    );
    const csv = await measure(() =>
      request('/app/reports/compliance', 'P-0001', 'from=2026-01&to=2026-12&format=csv'),
    );
    const row = (name: string, r: typeof home, target: number) => [
      name,
      String(r.status),
      fmt(r.bytes),
      fmt(r.p50, 1),
      fmt(r.p95, 1),
      `${fmt(target)} ms`,
      `${fmt(r.p95 / target, 2)} ×`,
    ];
    console.log(
      `bench:web — ${DEADLINES} open deadlines for one team (seeded in ${fmt(seedSeconds, 1)} s), ${items.length} report items; ${REQUESTS} requests each, after 5 warm-up\n`,
    );
    console.log(
      table(
        [
          'page',
          'status',
          'bytes (gzip, base64)',
          'p50 ms',
          'p95 ms',
          'target p95',
          'p95 ÷ target',
        ],
        [
          row('/app (team manager, 2,000 open)', home, 300),
          row('/app/reports/compliance (12 × 20 × 12)', report, 500),
          row('  the same as CSV', csv, 500),
        ],
      ),
    );
    console.log(
      `\nOf which the use case alone (reads and arithmetic, no rendering), p50: dashboard ${fmt(dashboardReads, 1)} ms, report ${fmt(reportReads, 1)} ms. Load average at the end: ${loadavg()
        .map((l) => fmt(l, 1))
        .join(', ')} on ${availableParallelism()} cores.`,
    );
    const met = (r: typeof home, target: number) => (r.p95 < target ? 'yes' : 'no');
    printSummary(
      ['measure', 'value', 'target', 'met'],
      [
        ['/app p95, 2,000 open (ms)', fmt(home.p95, 1), '< 300', met(home, 300)],
        ['compliance report p95, 12 × 20 × 12 (ms)', fmt(report.p95, 1), '< 500', met(report, 500)],
        ['  as CSV p95 (ms)', fmt(csv.p95, 1), '< 500', met(csv, 500)],
      ],
      home.p95 >= 300 || report.p95 >= 500 || csv.p95 >= 500,
    );
  } finally {
    await dynamo.stop();
  }
}

runBench(main);

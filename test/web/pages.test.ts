import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Scenario, Session, startScenario } from './support.js';

let scenario: Scenario;

beforeAll(async () => {
  scenario = await startScenario(inject('dynamoEndpoint'), inject('sesEndpoint'));
}, 120_000);

afterAll(async () => {
  await scenario.close();
});

const as = (personId: string) => new Session(scenario.url).signIn(personId);
const text = async (response: Response) => {
  expect(response.status, await response.clone().text()).toBe(200);
  return response.text();
};
/** The rows of one dashboard section (between its heading and the next). */
const section = (html: string, id: string) => html.split(`id="${id}"`)[1]?.split('<h2')[0] ?? '';

describe('sign-in (local mode)', () => {
  it('sends a visitor without a session to the sign-in page, and back after signing in', async () => {
    // Prepare
    const visitor = new Session(scenario.url);
    // Act
    const first = await visitor.get('/app/people');
    // Assess
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/app/sign-in?next=%2Fapp%2Fpeople');
    const page = await text(await visitor.get('/app/sign-in?next=%2Fapp%2Fpeople'));
    expect(page).toContain('Manager North');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] as string;
    const signedIn = await visitor.post('/app/sign-in', {
      personId: 'P-0100',
      csrf,
      next: '/app/people',
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/app/people');
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('ts_session='));
    expect(cookie).toMatch(/; Path=\/app; Max-Age=28800; HttpOnly; SameSite=Lax$/);
    expect((await visitor.get('/app/people')).status).toBe(200);
  });

  it('refuses a sign-in without the form’s CSRF token, or for someone not in the directory', async () => {
    const visitor = new Session(scenario.url);
    await visitor.get('/app/sign-in');
    expect(
      (await visitor.post('/app/sign-in', { personId: 'P-0100', csrf: 'forged' })).status,
    ).toBe(403);
    const page = await text(await visitor.get('/app/sign-in'));
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] as string;
    const unknown = await visitor.post('/app/sign-in', { personId: 'P-9999', csrf });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('personId: nobody in the directory has this id');
  });

  it('signs out only with the session’s CSRF token', async () => {
    const manager = await as('P-0100');
    expect((await manager.post('/app/sign-out', { csrf: 'forged' })).status).toBe(403);
    const page = await text(await manager.get('/app'));
    const csrf = /action="\/app\/sign-out"[\s\S]*?name="csrf" value="([^"]+)"/.exec(
      page,
    )?.[1] as string;
    const out = await manager.post('/app/sign-out', { csrf });
    expect(out.status).toBe(303);
    expect(manager.cookie('ts_session')).toBeUndefined();
    expect((await manager.get('/app')).status).toBe(303);
  });

  it('tells a signed-in person with no role that they have none', async () => {
    const worker = await as('P-0101');
    const answer = await worker.get('/app');
    expect(answer.status).toBe(403);
    expect(await answer.text()).toContain('no Timescales role');
  });
});

describe('/app: the signed-in manager’s teams', () => {
  it('lists the team’s breached, due-this-week and due-next-week clocks, each linking its case', async () => {
    const html = await text(await (await as('P-0100')).get('/app'));
    // The concern on C-5001 fell due at 09:00 BST today unmet; A-4 on C-5003 on 5 June.
    const breached = section(html, 'breached');
    expect(breached).toContain('href="/app/cases/C-5001"');
    expect(breached).toContain('href="/app/cases/C-5003"');
    expect(breached).toContain('LADO notification');
    // The disagreement raised this morning is due Friday 11 June, 17:00.
    expect(section(html, 'this-week')).toContain('Friday 11 June 2027, 17:00 (BST)');
    // The weekly co-working review is due Wednesday 16 June, 17:00.
    expect(section(html, 'next-week')).toContain('href="/app/cases/C-5002"');
    expect(section(html, 'next-week')).toContain('Wednesday 16 June 2027, 17:00 (BST)');
    // C-5004 has no LADO: its reminders reached nobody, and the page says what would fix it.
    const unrouted = section(html, 'unrouted');
    expect(unrouted).toContain('href="/app/cases/C-5004"');
    expect(unrouted).toMatch(/lado/);
    // Not the south team's case.
    expect(html).not.toContain('C-6001');
  });

  it('shows a head of service every team, and the EDT manager the urgent clocks only', async () => {
    const head = await text(await (await as('P-0001')).get('/app'));
    expect(head).toContain('C-6001');
    expect(head).toContain('C-5002');
    const edt = await text(await (await as('P-0300')).get('/app'));
    expect(section(edt, 'this-week')).toContain('C-6001');
    expect(edt).not.toContain('C-5002'); // co-working reviews are not urgent
  });

  it('shows no contact details: those are on /app/people only', async () => {
    const head = await as('P-0001');
    for (const path of ['/app', '/app/cases/C-5001', '/app/on-call', '/app/reports/compliance']) {
      const html = await text(await head.get(path));
      expect(html, path).not.toMatch(/@example\.gov\.uk|\+447700900/);
    }
    const people = await text(await head.get('/app/people'));
    expect(people).toContain('edt.manager.one@example.gov.uk');
    expect(people).toContain('+447700900300');
  });
});

describe('/app/cases/{caseId}', () => {
  it('shows the deadlines with their explanations, the reminders by role, and the audit trail', async () => {
    const html = await text(await (await as('P-0100')).get('/app/cases/C-5001'));
    expect(html).toContain('How the due time was worked out');
    expect(html).toContain('LADO notification');
    expect(html).toMatch(/Breached/);
    // The concern's reminders went to the LADO (by role), and the audit trail has the breach.
    expect(html).toMatch(/lado[^<]*<\/td>\s*<td[^>]*>Lado One \(P-0102\)/);
    expect(html).toContain('breached');
  });

  it('refuses another team’s case (403) and says so for an unknown one (404)', async () => {
    const manager = await as('P-0100');
    expect((await manager.get('/app/cases/C-6001')).status).toBe(403);
    expect((await manager.get('/app/cases/C-0000')).status).toBe(404);
  });
});

describe('/app/on-call and /app/people', () => {
  it('show who is on call in the next 7 days, urgent clocks open now, and away periods with delegates', async () => {
    const edt = await as('P-0300');
    const onCall = await text(await edt.get('/app/on-call'));
    expect(onCall).toContain('Nobody is on the EDT rota now');
    expect(onCall).toContain('Edt Manager One (P-0300)');
    expect(onCall).toContain('Wednesday 9 June 2027, 17:00 (BST)');
    expect(onCall).toContain('C-6001');
    const people = await text(await edt.get('/app/people'));
    expect(people).toContain('delegate Manager North (P-0100)');
  });
});

describe('/app/reports/compliance', () => {
  it('gives June 2027’s LADO notifications for north, worked by hand, as a page and as RFC 4180 CSV', async () => {
    // C-5003: four due 2–5 June, three met on time, one breached; C-5001: one due 9 June at
    // 09:00 BST, breached; C-5004: one due 9 June at 13:00 BST, still open → 6 due, 3 met on
    // time, 2 breached, 1 open: on time 3 / (6 − 1) = 60.0 %.
    const manager = await as('P-0100');
    const query = 'from=2027-06&to=2027-06&rule=lado-notification';
    const html = await text(await manager.get(`/app/reports/compliance?${query}`));
    expect(html).toContain('divided by the clocks due in the month that are no longer open');
    const csv = await manager.get(`/app/reports/compliance?${query}&format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const body = await csv.text();
    expect(body.split('\r\n')[0]).toBe(
      'rule,team,month,due,met_on_time,met_late,breached,open,on_time_pct,median_lateness,p75_lateness,lateness_unit',
    );
    expect(parse(body, { columns: true })).toEqual([
      {
        rule: 'lado-notification',
        team: 'north',
        month: '2027-06',
        due: '6',
        met_on_time: '3',
        met_late: '0',
        breached: '2',
        open: '1',
        on_time_pct: '60.0',
        median_lateness: '',
        p75_lateness: '',
        lateness_unit: 'hours',
      },
    ]);
  });

  it('gives one row per deadline in deadlines.csv, and refuses a team that is not the manager’s', async () => {
    const manager = await as('P-0100');
    const body = await (
      await manager.get('/app/reports/deadlines.csv?from=2027-06-01&to=2027-06-05')
    ).text();
    const rows = parse(body, { columns: true }) as Record<string, string>[];
    const notifications = rows.filter((r) => r.rule === 'lado-notification');
    expect(notifications.map((r) => [r.case, r.status])).toEqual([
      ['C-5003', 'met_on_time'],
      ['C-5003', 'met_on_time'],
      ['C-5003', 'met_on_time'],
      ['C-5003', 'breached'],
    ]);
    expect(notifications[0]).toMatchObject({
      deadline: 'lado-notification.A-1',
      team: 'north',
      started: '2027-06-01T10:00:00+01:00',
      due: '2027-06-02T10:00:00+01:00',
      met: '2027-06-01T16:00:00+01:00',
    });
    expect((await manager.get('/app/reports/compliance?team=south')).status).toBe(403);
  });

  it('answers bad filters with a 400 naming the field (a page, or a problem for CSV)', async () => {
    const manager = await as('P-0100');
    const page = await manager.get('/app/reports/compliance?from=2027-13');
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('from: must be a month YYYY-MM or a date YYYY-MM-DD');
    const csv = await manager.get('/app/reports/compliance?from=2027-13&format=csv');
    expect(csv.status).toBe(400);
    expect(csv.headers.get('content-type')).toBe('application/problem+json');
    expect(((await csv.json()) as { errors: unknown }).errors).toEqual([
      { field: 'from', message: 'must be a month YYYY-MM or a date YYYY-MM-DD' },
    ]);
    expect((await manager.get('/app/reports/compliance?from=2027-06&to=2027-01')).status).toBe(400);
  });

  it('is not for an EDT manager alone', async () => {
    expect((await (await as('P-0300')).get('/app/reports/compliance')).status).toBe(403);
  });
});

describe('the stylesheet', () => {
  it('is served by the same function with a hashed name, a year’s immutable cache and no GDS Transport', async () => {
    const html = await text(await (await as('P-0100')).get('/app'));
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] as string;
    expect(href).toMatch(/^\/app\/assets\/app-[0-9a-f]{12}\.css$/);
    const css = await fetch(`${scenario.url}${href}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = await css.text();
    expect(body).toContain('.govuk-table');
    expect(body).not.toContain('GDS Transport');
    expect((await fetch(`${scenario.url}/app/assets/nothing.css`)).status).toBe(404);
  });
});

import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  INTERNAL_CODES,
  ISO_INSTANT,
  type Scenario,
  Session,
  startScenario,
  visibleText,
} from './support.js';

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
    expect(visibleText(await unknown.text())).toContain(
      'Person: nobody in the directory has this id',
    );
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

  it('tells a signed-in person with no role and no case what they can do, offers sign-out, and links to no page that would refuse them', async () => {
    const visitor = await as('P-0400');
    const answer = await visitor.get('/app');
    expect(answer.status).toBe(403);
    const html = await answer.text();
    expect(visibleText(html)).toContain(
      'You have no Timescales role and are not named on any open case.',
    );
    expect(visibleText(html)).toContain('Ask your council’s Timescales administrator');
    // A sign-out form with the session's token; no link into /app at all (each would be a 403).
    expect(html).toMatch(/action="\/app\/sign-out"[\s\S]*?name="csrf" value="[^"]+"/);
    expect(html).not.toMatch(/href="\/app(\/(?!assets\/)[^"]*)?"/);
    const out = /action="\/app\/sign-out"[\s\S]*?name="csrf" value="([^"]+)"/.exec(html)?.[1];
    expect((await visitor.post('/app/sign-out', { csrf: out ?? '' })).status).toBe(303);
  });

  it('lets someone named on cases, with no role, see those cases and nothing else', async () => {
    // Worker North is the allocated worker of the north cases (and C-5004's only worker).
    const worker = await as('P-0101');
    const home = await text(await worker.get('/app'));
    expect(visibleText(home)).toContain('Your cases’ deadlines');
    expect(home).toContain('href="/app/cases/C-5001"');
    expect(home).not.toContain('C-6001');
    // The navigation offers only their deadlines.
    expect(home).not.toContain('href="/app/people"');
    expect(home).not.toContain('href="/app/reports/compliance"');
    expect((await worker.get('/app/cases/C-5004')).status).toBe(200);
    const other = await worker.get('/app/cases/C-6001');
    expect(other.status).toBe(403);
    const refused = await other.text();
    expect(refused).toContain('href="/app/cases/C-5001"');
    expect(refused).not.toContain('href="/app/people"');
    expect((await worker.get('/app/people')).status).toBe(403);
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
    // C-5004 has no LADO: its reminders reached nobody, and the page says whom to ask.
    const unrouted = section(html, 'unrouted');
    expect(unrouted).toContain('href="/app/cases/C-5004"');
    expect(unrouted).toContain('Nobody is recorded as the case’s LADO');
    expect(unrouted).toContain('Ask the case system to record the case’s LADO');
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
    // The report is not the EDT manager's: the navigation does not offer it.
    expect(edt).not.toContain('href="/app/reports/compliance"');
    expect(edt).toContain('href="/app/on-call"');
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
  it('starts with what needs doing, then the reminders, then the history folded, in words', async () => {
    const html = await text(await (await as('P-0100')).get('/app/cases/C-5001'));
    const words = visibleText(html);
    // The order a manager acts in.
    const order = ['What needs doing', 'Reminders', 'Everything that happened'].map((h) =>
      words.indexOf(h),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The concern of 8 June 09:00 BST was due 24 hours later, 9 June 09:00 BST: at 10:00 BST
    // that day it is an hour past, unmet.
    expect(words).toContain(
      'LADO notification Breached Urgent Breached 1 hour ago and not yet met',
    );
    expect(words).toContain('Due Wednesday 9 June 2027, 09:00 (BST)');
    expect(words).toContain('With Lado One (LADO)');
    expect(words).toContain('How the due time was worked out');
    // The history is folded, newest first.
    expect(html).toMatch(/<details[^>]*class="govuk-details"[\s\S]*Show the case’s history/);
    // No codes, no ISO instants: every time and label is in words.
    expect(words).not.toMatch(INTERNAL_CODES);
    expect(words).not.toMatch(ISO_INSTANT);
  });

  it('lists a clock no longer owed with why, among those met or closed', async () => {
    const words = visibleText(await text(await (await as('P-0200')).get('/app/cases/C-6001')));
    const done = words.slice(words.indexOf('Clocks met or closed'));
    expect(done).toContain(
      'No longer owed: Referral R-1 was decided: no further action. No assessment is owed.',
    );
    // The decision itself was made in time: met, not cancelled.
    expect(done).toMatch(/Referral decision.*Met/);
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
    expect(onCall).toContain('Edt Manager One');
    expect(onCall).toContain('Wednesday 9 June 2027, 17:00 (BST)');
    expect(onCall).toContain('C-6001');
    const people = await text(await edt.get('/app/people'));
    expect(people).toContain('covered by Manager North');
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

  it('refuses a kind of clock that is not one, in the words of the field the manager filled in', async () => {
    const manager = await as('P-0100');
    const answer = await manager.get(
      '/app/reports/compliance?from=2027-06&to=2027-06&rule=Not%20a%20clock!',
    );
    const page = visibleText(await answer.text());
    // The summary and the field both say it, as the field is labelled ("Clock")
    expect(page).toContain('There is a problem Select a kind of clock from the list');
    expect(page).toContain('Clock One kind of clock Error: Select a kind of clock from the list');
    expect(page).not.toMatch(/\brule\b/i);
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

  it('answers a bad filter with the form again: an error summary, the message by its field, the navigation', async () => {
    const manager = await as('P-0100');
    const page = await manager.get('/app/reports/compliance?from=2027-13&to=2027-06');
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toMatch(/<title>\s*Error: Compliance report/);
    expect(html).toContain('govuk-error-summary');
    expect(html).toContain('<a href="#from">From month must be a real month, like 2027-06</a>');
    // The field keeps what was typed, with the GOV.UK error message above it.
    expect(html).toMatch(
      /govuk-error-message">\s*<span class="govuk-visually-hidden">Error:<\/span> From month must be a real month, like 2027-06/,
    );
    expect(html).toMatch(/id="from" name="from" type="text" value="2027-13"/);
    expect(html).toContain('href="/app/on-call"');
    const order = await manager.get('/app/reports/compliance?from=2027-06&to=2027-01');
    expect(order.status).toBe(400);
    expect(await order.text()).toContain('From month must be the same as or before to month');
  });

  it('answers a script’s bad CSV request with a problem, and a browser’s with a page', async () => {
    const manager = await as('P-0100');
    const csv = await manager.get('/app/reports/compliance?from=2027-13&format=csv');
    expect(csv.status).toBe(400);
    expect(csv.headers.get('content-type')).toBe('application/problem+json');
    expect(((await csv.json()) as { errors: unknown }).errors).toEqual([
      { field: 'from', message: 'From month must be a real month, like 2027-06' },
    ]);
    const browser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const page = await manager.get('/app/reports/deadlines.csv?to=2027-99', browser);
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(visibleText(await page.text())).toContain('To month must be a real month, like 2027-06');
    const edt = await as('P-0300');
    const refused = await edt.get('/app/reports/deadlines.csv', browser);
    expect(refused.status).toBe(403);
    const html = await refused.text();
    expect(visibleText(html)).toContain('The compliance report is for team managers');
    expect(html).not.toContain('href="/app/reports/compliance"');
  });

  it('is not for an EDT manager alone', async () => {
    expect((await (await as('P-0300')).get('/app/reports/compliance')).status).toBe(403);
  });

  it('says a page is not found in the layout, with the navigation', async () => {
    const answer = await (await as('P-0100')).get('/app/cases/C-0404');
    expect(answer.status).toBe(404);
    const html = await answer.text();
    expect(visibleText(html)).toContain('There is no case C-0404 in Timescales.');
    expect(html).toContain('class="govuk-service-navigation');
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

/**
 * The README's worked example, run as a newcomer runs it: `npm start` in a child process on a
 * free PORT with a fresh DATA_DIR, then every shell block marked `<!-- worked-example -->`,
 * verbatim and in order, in one bash with `set -e` and that PORT exported.
 *
 * What the outbox must hold is worked by hand from docs/reminders.md and the calendar, not
 * read back from the code: a concern at 16:30 BST on Friday 24 May 2030 starts a 24-elapsed-
 * hour LADO notification clock, due 16:30 BST (15:30Z) on Saturday, with reminders at 50 %
 * (04:30 BST, 03:30Z) and 75 % (10:30 BST, 09:30Z). All are urgent and out of hours, so each
 * goes at once to the EDT manager on the rota, by SMS and email; at 16:30 BST the clock breaches
 * and the breach step (standing for the at-due one) tells the EDT manager it BREACHED. Each
 * alert asks to be acknowledged; nobody does and nobody is on call at tier 2, so 30 minutes
 * after the first alert of each phase (05:00 BST, 04:00Z; after the breach 17:00 BST, 16:00Z)
 * the duty inbox (timescales.config.json's fallback contact, email only) is told. Monday
 * 27 May 2030 is the Spring bank holiday, so the day team's digest goes at the next opening,
 * 09:00 BST (08:00Z) on Tuesday 28 May, to the case's team manager; at that opening the breach
 * of this safeguarding clock is repeated to the LADO (in hours: by email).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '#functions/local/outbox.js';
import { freePort } from '#functions/local/standins.js';
import { Session } from '#test/web/support.js';
import { childEnv, type Finished, ROOT, run, startLocal, stop, waitForLine } from './support.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The body of every fenced block of `language` that follows `marker`, in order. */
function markedBlocks(markdown: string, marker: string, language: string): string[] {
  const pattern = new RegExp(`${marker}\\s*\\n\`\`\`${language}\\n([\\s\\S]*?)\\n\`\`\``, 'g');
  return [...markdown.matchAll(pattern)].map((match) => match[1] as string);
}

const EDT_PHONE = '+447700900005';
const EDT_EMAIL = 'edt.one@example.gov.uk';
const LADO_EMAIL = 'lado.one@example.gov.uk';
const MANAGER_EMAIL = 'manager.one@example.gov.uk';
/** timescales.config.json's fallback contact, which local mode uses. */
const DUTY_EMAIL = 'childrens-duty@example.gov.uk';

describe("the README's worked example, pasted into a shell against a fresh npm start", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'timescales-readme-'));
  let server: ChildProcess | undefined;
  let port: number;
  let example: Finished;
  let outbox: OutboxEntry[];

  beforeAll(async () => {
    // Prepare: npm start on a free port with an empty data directory.
    port = await freePort();
    server = startLocal(childEnv({ PORT: String(port), DATA_DIR: dataDir }));
    await waitForLine(server, 'Timescales (local) on');

    // Act: the marked blocks, as pasted.
    const blocks = markedBlocks(README, '<!-- worked-example -->', 'sh');
    example = await run('bash', ['-c', ['set -e', ...blocks].join('\n')], {
      env: childEnv({ PORT: String(port) }),
      timeoutMs: 120_000,
    });
    outbox = (await (await fetch(`http://127.0.0.1:${port}/local/outbox`)).json()) as OutboxEntry[];
  }, 240_000);

  afterAll(async () => {
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('has three marked shell blocks, and they run to the end', () => {
    expect(markedBlocks(README, '<!-- worked-example -->', 'sh')).toHaveLength(3);
    expect(example.stderr + example.stdout).toContain('6 event(s) accepted');
    expect(example.code, example.stderr).toBe(0);
  });

  it('alerts the EDT manager on the rota by SMS and email at 04:30, 10:30 and 16:30 BST on Saturday', () => {
    // Assess
    const edt = outbox
      .filter((m) => m.to === EDT_PHONE || m.to === EDT_EMAIL)
      .map((m) => `${m.sentAt.slice(0, 16)} ${m.channel} ${m.to} ${m.rule} ${m.caseId}`)
      .sort();
    expect(edt).toEqual([
      `2030-05-25T03:30 email ${EDT_EMAIL} lado-notification C-1001`,
      `2030-05-25T03:30 sms ${EDT_PHONE} lado-notification C-1001`,
      `2030-05-25T09:30 email ${EDT_EMAIL} lado-notification C-1001`,
      `2030-05-25T09:30 sms ${EDT_PHONE} lado-notification C-1001`,
      `2030-05-25T15:30 email ${EDT_EMAIL} lado-notification C-1001`,
      `2030-05-25T15:30 sms ${EDT_PHONE} lado-notification C-1001`,
    ]);
  });

  it('says BREACHED at 16:30 BST on Saturday', () => {
    const breach = outbox.filter((m) => m.sentAt.startsWith('2030-05-25T15:30'));
    expect(breach.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
    for (const m of breach) expect(m.body).toContain('LADO notification BREACHED');
  });

  it('gives the team manager the digest at 09:00 BST on Tuesday after the bank-holiday Monday, and the LADO the breach again', () => {
    // Assess
    const manager = outbox.filter((m) => m.to === MANAGER_EMAIL);
    expect(manager.map((m) => [m.sentAt.slice(0, 16), m.channel, m.rule, m.subject])).toEqual([
      ['2030-05-28T08:00', 'email', 'digest', 'Bank holiday weekend EDT alerts for north: 1 clock'],
    ]);
    expect(manager[0]?.body).toContain('C-1001: LADO notification — BREACHED');
    const lado = outbox.filter((m) => m.to === LADO_EMAIL);
    expect(lado.map((m) => [m.sentAt.slice(0, 16), m.channel, m.rule])).toEqual([
      ['2030-05-28T08:00', 'email', 'lado-notification'],
    ]);
    expect(lado[0]?.subject).toContain('BREACHED, 2 days late');
  });

  it('tells the duty inbox, 30 minutes after the first alert and after the breach alert, that nobody acknowledged', () => {
    const duty = outbox.filter((m) => m.to === DUTY_EMAIL);
    expect(duty.map((m) => [m.sentAt.slice(0, 16), m.channel, m.subject?.slice(0, 18)])).toEqual([
      ['2030-05-25T04:00', 'email', 'NOT ACKNOWLEDGED: '],
      ['2030-05-25T16:00', 'email', 'NOT ACKNOWLEDGED: '],
    ]);
    expect(duty[1]?.body).toContain('BREACHED');
  });

  it('sends nothing else', () => {
    expect(outbox).toHaveLength(10);
  });

  it("links every email to the case, and every SMS to its ack link, on the server's own address and port", () => {
    for (const message of outbox) {
      // An alert's SMS has room for one link (160 characters): the one that acknowledges it.
      const link = message.channel === 'sms' ? '/a/' : '/app/cases/C-1001';
      expect(message.body).toContain(`http://127.0.0.1:${port}${link}`);
    }
  });

  it('prints the outbox lines the README shows, in the same order', () => {
    // Assess: line for line, unsorted — within a minute by clock (the digest before the LADO
    // notification), then texts before emails.
    const shown = markedBlocks(README, '<!-- worked-example-output -->', 'text');
    expect(shown).toHaveLength(1);
    const printed = example.stdout.split('\n').filter((line) => /^\d{4}-\d\d-\d\dT/.test(line));
    expect(printed).toEqual((shown[0] as string).split('\n'));
  });

  it('names the council in every message: the short name in texts, the full name in emails', () => {
    // timescales.config.json: "Example Borough Council", short name "Example BC".
    for (const m of outbox)
      if (m.channel === 'sms') expect(m.body.startsWith('Example BC. ')).toBe(true);
      else expect(m.body).toContain('Sent by Timescales for Example Borough Council.');
  });

  it("gives the case's team manager its team's deadlines and report row, and the LADO the case's page", async () => {
    const base = `http://127.0.0.1:${port}`;
    const manager = await new Session(base).signIn('P-0002');
    const home = await manager.get('/app');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('href="/app/cases/C-1001"');
    const report = await manager.get(
      '/app/reports/compliance?from=2030-05&to=2030-05&rule=lado-notification&format=csv',
    );
    // One LADO notification of team north fell due in May 2030, breached and not met.
    expect((await report.text()).split('\r\n')[1]).toBe(
      'lado-notification,north,2030-05,1,0,0,1,0,0.0,,,hours',
    );
    const lado = await new Session(base).signIn('P-0004');
    expect((await lado.get('/app/cases/C-1001')).status).toBe(200);
  });

  it("the emails' case link opens the case's page for EDT Manager One, as the README says", async () => {
    const signedOut = await new Session(`http://127.0.0.1:${port}`).get('/app/cases/C-1001');
    expect(signedOut.status).toBe(303);
    const edt = await new Session(`http://127.0.0.1:${port}`).signIn('P-0005');
    const page = await edt.get('/app/cases/C-1001');
    expect(page.status).toBe(200);
    const html = await page.text();
    // The LADO notification clock was due 16:30 BST on Saturday and never met: breached.
    expect(html).toContain('Saturday 25 May 2030, 16:30 (BST)');
    expect(html).toMatch(/LADO notification[\s\S]*Breached/);
  });
});

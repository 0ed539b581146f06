import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalServer } from '#functions/local/server.js';
import { makeWebHandler, type WebHandler } from '#functions/web/app.js';
import { type CognitoAuth, cognitoAuth, groupsOf } from '#functions/web/auth.js';
import { webDeps } from '#functions/web/wiring.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { AUTHORITY, apiEvent, freshTable, TEST_SECRET } from '#test/api/support.js';

const POOL = 'eu-west-2_Example1';
const CLIENT = 'example-client-id';
const ISSUER = `https://cognito-idp.eu-west-2.amazonaws.com/${POOL}`;
const DOMAIN = 'https://example-borough-timescales.auth.eu-west-2.amazoncognito.com';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const NOW = Math.floor(Date.now() / 1000);

/** An ID token as Cognito would issue it, signed with the test key (or `key`). */
function idToken(claims: Record<string, unknown>, key: KeyObject = privateKey): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'RS256', kid: 'test-key', typ: 'JWT' })}.${part({
    iss: ISSUER,
    aud: CLIENT,
    token_use: 'id',
    sub: 'sub-1',
    iat: NOW,
    exp: NOW + 3600,
    auth_time: NOW,
    ...claims,
  })}`;
  return `${body}.${sign('sha256', Buffer.from(body), key).toString('base64url')}`;
}

function verifier() {
  const v = CognitoJwtVerifier.create({ userPoolId: POOL, tokenUse: 'id', clientId: CLIENT });
  v.cacheJwks({
    keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' }],
  } as never);
  return v as unknown as { verify(t: string): Promise<Record<string, unknown>> };
}

const posted: { url: string; body: string }[] = [];
const fakeFetch = (async (url: string, init: RequestInit) => {
  posted.push({ url, body: String(init.body) });
  return new Response(
    JSON.stringify({
      id_token: idToken({
        email: 'Manager.North@example.gov.uk',
        'cognito:groups': ['timescales-team-managers'],
      }),
    }),
    {
      status: 200,
      headers: { 'content-type': 'application/json' },
    },
  );
}) as unknown as typeof fetch;

let auth: CognitoAuth;
let handler: WebHandler;

beforeAll(async () => {
  auth = cognitoAuth(
    { userPoolId: POOL, clientId: CLIENT, domain: DOMAIN, identityProvider: 'EntraID' },
    { verifier: verifier(), fetcher: fakeFetch },
  );
  const table = await freshTable(inject('dynamoEndpoint'), 'cognito');
  const directory = new DynamoDirectory(table.client, table.tableName);
  const event = (eventId: string) => ({
    eventId,
    type: 'person.upserted',
    caseId: null,
    bodyHash: 'h',
    answer: { statusCode: 202, body: {} },
    receivedAt: new Date().toISOString(),
  });
  await directory.upsertPerson(
    {
      personId: 'P-0100',
      name: 'Manager North',
      email: 'manager.north@example.gov.uk',
      team: 'north',
      updatedAt: '2027-01-01T00:00:00Z',
    },
    event('c-1'),
  );
  handler = makeWebHandler(
    webDeps({
      client: table.client,
      tableName: table.tableName,
      engine: makeCaseEngine(AUTHORITY),
      authority: AUTHORITY,
      auth,
      secureCookies: true,
    }),
  );
});

const get = (path: string, cookies: string[] = [], query: Record<string, string> = {}) => {
  const route =
    path === '/app/sign-in'
      ? 'GET /app/sign-in'
      : path === '/app/auth/callback'
        ? 'GET /app/auth/callback'
        : `GET ${path}`;
  return handler(
    apiEvent(route, path, {
      cookies,
      queryStringParameters: query,
      rawQueryString: new URLSearchParams(query).toString(),
      requestContext: { ...apiEvent(route, path).requestContext, domainName: 'api.example.gov.uk' },
    }),
  );
};

describe('ID tokens in the session cookie (aws-jwt-verify)', () => {
  it('accepts the pool’s token for this client, with the email and every group', async () => {
    const signedIn = await auth.identify(
      idToken({
        email: 'a@example.gov.uk',
        'cognito:groups': ['timescales-edt'],
        'custom:groups': '["g-1","g-2"]',
      }),
      new Date(),
    );
    expect(signedIn).toEqual({
      email: 'a@example.gov.uk',
      groups: ['timescales-edt', 'g-1', 'g-2'],
    });
  });

  it('refuses an expired token, another client’s, an access token and one signed by another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    for (const token of [
      idToken({ exp: NOW - 10 }),
      idToken({ aud: 'another-client' }),
      idToken({ token_use: 'access' }),
      idToken({}, other),
      'not-a-token',
    ])
      expect(await auth.identify(token, new Date())).toBeUndefined();
  });

  it('reads the provider’s groups whether mapped as a JSON list or a comma-separated one', () => {
    expect(groupsOf({ 'custom:groups': '[a, b]' })).toEqual(['a', 'b']);
    expect(groupsOf({ 'custom:groups': 'a,b' })).toEqual(['a', 'b']);
    expect(groupsOf({})).toEqual([]);
  });
});

describe('sign-in with Cognito', () => {
  it('sends the browser to the provider with PKCE, and keeps state and verifier in a Secure cookie', async () => {
    const answer = await get('/app/sign-in', [], { next: '/app/people' });
    expect(answer.statusCode).toBe(303);
    const location = new URL(answer.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${DOMAIN}/oauth2/authorize`);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT,
      redirect_uri: 'https://api.example.gov.uk/app/auth/callback',
      code_challenge_method: 'S256',
      identity_provider: 'EntraID',
    });
    expect(answer.cookies?.[0]).toMatch(
      /^ts_oauth=.+; Path=\/app\/auth; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/,
    );
  });

  it('on the callback exchanges the code with the verifier and sets the session; a wrong state is refused', async () => {
    const start = await get('/app/sign-in', [], { next: '/app/people' });
    const state = new URL(start.headers.location as string).searchParams.get('state') as string;
    const oauth = String(start.cookies?.[0]).split(';')[0] as string;
    expect(
      (await get('/app/auth/callback', [oauth], { code: 'c', state: 'other' })).statusCode,
    ).toBe(403);
    const done = await get('/app/auth/callback', [oauth], { code: 'the-code', state });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/app/people');
    const body = new URLSearchParams(posted.at(-1)?.body);
    expect(posted.at(-1)?.url).toBe(`${DOMAIN}/oauth2/token`);
    expect(body.get('code')).toBe('the-code');
    expect(body.get('code_verifier')).toBe(oauth.split('=')[1]?.split('.')[1]);
    const session = done.cookies?.find((c) => c.startsWith('ts_session=')) as string;
    expect(session).toMatch(/; Path=\/app; Max-Age=28800; HttpOnly; SameSite=Lax; Secure$/);
    // The session opens the pages as the directory's person with that email, a team manager.
    const page = await get('/app/people', [session.split(';')[0] as string]);
    expect(page.statusCode).toBe(200);
    expect(Buffer.from(page.body, 'base64').toString()).toContain(
      'Signed in as Manager North (Team manager)',
    );
  });

  it('refuses the local sign-in (no such page) whenever Cognito is configured', async () => {
    const answer = await handler(
      apiEvent('POST /app/sign-in', '/app/sign-in', { body: 'personId=P-0100&csrf=x' }),
    );
    expect(answer.statusCode).toBe(404);
  });

  it('local mode will not start with the Cognito variables set', async () => {
    await expect(
      startLocalServer({
        port: 0,
        dynamoEndpoint: inject('dynamoEndpoint'),
        tableName: 'unused',
        webhookSecret: TEST_SECRET,
        engine: makeCaseEngine(AUTHORITY),
        env: { COGNITO_USER_POOL_ID: POOL },
      }),
    ).rejects.toThrow(/refuses to start with COGNITO_\* variables set/);
  });
});

/**
 * Who is signed in. Two modes, never both:
 *
 * - `cognito` (AWS): the council's identity provider (OIDC or SAML, e.g. Entra ID) federated
 *   through a Cognito user pool. `/app/sign-in` sends the browser to Cognito's authorize
 *   endpoint (authorization code with PKCE, straight to the configured provider); the callback
 *   exchanges the code for tokens and keeps the ID token in the session cookie. Every request
 *   verifies it with aws-jwt-verify against the pool's keys: signature, issuer, audience (the
 *   app client), `token_use` id, expiry — the checks API Gateway's JWT authoriser would make,
 *   which cannot read a cookie.
 * - `local` (`npm start` only): `POST /app/sign-in` with a person id from the directory, no
 *   password; refused wherever the Cognito configuration is present.
 */
import { createHash } from 'node:crypto';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { type LocalSessions, randomToken } from './session.js';

/** What a verified session says about the person. */
export interface SignedIn {
  /** Local mode: the directory id signed in as. */
  personId?: string;
  /** Cognito: the identity provider's email, matched to the directory. */
  email?: string;
  /** Cognito: groups (Cognito's and the provider's mapped `custom:groups`). */
  groups: string[];
}

export interface LocalAuth {
  readonly mode: 'local';
  readonly sessions: LocalSessions;
  identify(session: string | undefined, now: Date): Promise<SignedIn | undefined>;
}

export function localAuth(sessions: LocalSessions): LocalAuth {
  return {
    mode: 'local',
    sessions,
    identify: async (session, now) => {
      const personId = sessions.read(session, now);
      return personId === undefined ? undefined : { personId, groups: [] };
    },
  };
}

export interface CognitoSettings {
  userPoolId: string;
  clientId: string;
  /** The pool's domain, e.g. `https://example-borough.auth.eu-west-2.amazoncognito.com`. */
  domain: string;
  /** The provider's name in the pool: Cognito sends the browser straight to it. */
  identityProvider?: string | undefined;
}

export interface CognitoAuth {
  readonly mode: 'cognito';
  readonly settings: CognitoSettings;
  identify(session: string | undefined, now: Date): Promise<SignedIn | undefined>;
  /** Where to send the browser to sign in, and the state and PKCE verifier to keep for the callback. */
  startSignIn(redirectUri: string): { url: string; state: string; verifier: string };
  /** The callback's code exchanged for the ID token (undefined if Cognito refuses it). */
  finishSignIn(code: string, verifier: string, redirectUri: string): Promise<string | undefined>;
  signOutUrl(logoutUri: string): string;
}

type Verifier = { verify(token: string): Promise<Record<string, unknown>> };

/**
 * @param fetcher the token endpoint's HTTP client (tests pass a fake). @default fetch
 * @param verifier @default aws-jwt-verify's verifier for the pool's ID tokens
 */
export function cognitoAuth(
  settings: CognitoSettings,
  options: { fetcher?: typeof fetch; verifier?: Verifier } = {},
): CognitoAuth {
  const verifier: Verifier =
    options.verifier ??
    (CognitoJwtVerifier.create({
      userPoolId: settings.userPoolId,
      tokenUse: 'id',
      clientId: settings.clientId,
    }) as unknown as Verifier);
  const fetcher = options.fetcher ?? fetch;
  return {
    mode: 'cognito',
    settings,
    identify: async (session) => {
      if (session === undefined || session === '') return undefined;
      let claims: Record<string, unknown>;
      try {
        claims = await verifier.verify(session);
      } catch {
        return undefined;
      }
      const email = typeof claims.email === 'string' ? claims.email : undefined;
      return { ...(email === undefined ? {} : { email }), groups: groupsOf(claims) };
    },
    startSignIn: (redirectUri) => {
      const state = randomToken(16);
      const verifierText = randomToken(32);
      const challenge = createHash('sha256').update(verifierText).digest('base64url');
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: settings.clientId,
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...(settings.identityProvider === undefined
          ? {}
          : { identity_provider: settings.identityProvider }),
      });
      return {
        url: `${settings.domain}/oauth2/authorize?${query}`,
        state,
        verifier: verifierText,
      };
    },
    finishSignIn: async (code, verifierText, redirectUri) => {
      const response = await fetcher(`${settings.domain}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: settings.clientId,
          code,
          redirect_uri: redirectUri,
          code_verifier: verifierText,
        }).toString(),
      });
      if (!response.ok) return undefined;
      const tokens = (await response.json()) as { id_token?: unknown };
      return typeof tokens.id_token === 'string' ? tokens.id_token : undefined;
    },
    signOutUrl: (logoutUri) =>
      `${settings.domain}/logout?${new URLSearchParams({ client_id: settings.clientId, logout_uri: logoutUri })}`,
  };
}

/**
 * Cognito's groups (`cognito:groups`) and the provider's, mapped into `custom:groups` (Entra
 * ID sends group ids as a JSON array or a comma-separated list, depending on the mapping).
 */
export function groupsOf(claims: Record<string, unknown>): string[] {
  const groups = new Set<string>();
  const cognito = claims['cognito:groups'];
  if (Array.isArray(cognito)) for (const g of cognito) if (typeof g === 'string') groups.add(g);
  const custom = claims['custom:groups'];
  if (typeof custom === 'string' && custom !== '') {
    let list: unknown;
    try {
      list = JSON.parse(custom);
    } catch {
      list = custom.replace(/^\[|\]$/g, '').split(',');
    }
    for (const g of Array.isArray(list) ? list : [list])
      if (typeof g === 'string' && g.trim() !== '') groups.add(g.trim());
  }
  return [...groups];
}

export type WebAuth = LocalAuth | CognitoAuth;

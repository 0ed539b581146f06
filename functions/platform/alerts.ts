/**
 * What raising and acknowledging out-of-hours alerts share in every Lambda that does either
 * (the timer Lambda raises and escalates them, the alerts Lambda acknowledges them): the
 * alert-token key, the ack links it signs, and how long an alert waits to be acknowledged.
 */
import type { AlertDeps } from '#kernel/ports.js';
import { type AuthorityConfig, DEFAULT_ACK_WITHIN_MINUTES } from '#schemas/authority.js';
import { type AlertTokens, makeAlertTokens } from './alert-token.js';
import { secretString } from './aws.js';
import type { Config } from './config.js';

/** The alert-token key: from the environment (local mode), else from Secrets Manager. */
export async function alertTokenKey(
  cfg: Pick<Config, 'alertTokenKey' | 'alertTokenKeyArn'>,
): Promise<string | undefined> {
  if (cfg.alertTokenKey !== undefined) return cfg.alertTokenKey;
  return cfg.alertTokenKeyArn === undefined ? undefined : secretString(cfg.alertTokenKeyArn);
}

/** The ack-link tokens, when the authority has an ack base URL and there is a key. */
export function alertTokens(
  authority: { links?: { ackBaseUrl?: string | undefined } | undefined },
  key: string | undefined,
): AlertTokens | undefined {
  const baseUrl = authority.links?.ackBaseUrl;
  return baseUrl === undefined || key === undefined ? undefined : makeAlertTokens({ key, baseUrl });
}

/**
 * How the fire path raises and escalates alerts: the links, the authority's escalation period,
 * whether SMS replies reach us. (The alerts and clocks themselves are written with the sends'
 * claims, through the fire path's own store.)
 */
export function alertTracking(wiring: {
  authority: AuthorityConfig;
  tokenKey: string | undefined;
  /** Two-way SMS configured: alert SMS say "Reply YES to acknowledge". */
  replyYes: boolean;
}): Omit<AlertDeps, 'store'> {
  const minutes = wiring.authority.ackWithinMinutes ?? DEFAULT_ACK_WITHIN_MINUTES;
  return {
    links: alertTokens(wiring.authority, wiring.tokenKey),
    ackWithinMs: minutes * 60_000,
    replyYes: wiring.replyYes,
  };
}

/**
 * Parts of the schema of `timescales.config.json` (`lib/config.ts`): opening hours, dates, and
 * the `web` section — the managers' pages' sign-in through the council's identity provider
 * (OIDC or SAML), federated by a Cognito user pool.
 */
import * as z from 'zod';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const dayHours = z
  .object({
    open: z.string().regex(HHMM, 'must be a 24-hour local time "HH:MM", e.g. "09:00"'),
    close: z.string().regex(HHMM, 'must be a 24-hour local time "HH:MM", e.g. "17:00"'),
  })
  .strict()
  .refine((h) => h.open < h.close, { message: 'open must be earlier than close' });

/** ISO weekday keys ("1" = Monday … "7" = Sunday); an absent day is closed. */
export const weeklyHours = z.record(z.string(), dayHours).superRefine((hours, ctx) => {
  for (const key of Object.keys(hours)) {
    if (!/^[1-7]$/.test(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `"${key}" is not an ISO weekday: use "1" (Monday) to "7" (Sunday)`,
      });
    }
  }
});

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date "YYYY-MM-DD"')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
      new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: 'is not a real calendar date',
    },
  );

const https = z.url({ protocol: /^https$/, message: 'must be an https URL' });
/** Cognito's rule for a provider's name, narrowed to what reads well in a URL. */
const providerName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,32}$/, 'must be 1–32 letters, digits, . _ or -, e.g. "EntraID"')
  .refine((n) => n.toLowerCase() !== 'cognito', { message: 'must not be "Cognito"' });
const groupList = z.array(z.string().min(1)).min(1, 'name at least one group');

/** The `web` section. */
export const webSchema = z
  .object({
    /** `https://<domainPrefix>.auth.<region>.amazoncognito.com`: Cognito's sign-in domain. */
    domainPrefix: z
      .string()
      .regex(
        /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
        'must be lower-case letters, digits and hyphens (1–63), e.g. "example-borough-timescales"',
      )
      .refine((p) => !/aws|amazon|cognito/.test(p), {
        message: 'must not contain "aws", "amazon" or "cognito" (Cognito refuses them)',
      }),
    /** The council's identity provider (e.g. Entra ID), by OIDC or SAML. */
    identityProvider: z.discriminatedUnion('type', [
      z
        .object({
          type: z.literal('oidc'),
          name: providerName,
          /** e.g. `https://login.microsoftonline.com/<tenant id>/v2.0` */
          issuerUrl: https,
          clientId: z.string().min(1),
          /** A Secrets Manager secret holding the client secret (only a reference is deployed). */
          clientSecretArn: z
            .string()
            .regex(
              /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/,
              'must be a Secrets Manager secret ARN',
            ),
          /** The token claim holding the person's groups. */
          groupsClaim: z.string().min(1).default('groups'),
        })
        .strict(),
      z
        .object({
          type: z.literal('saml'),
          name: providerName,
          /** The provider's federation metadata document. */
          metadataUrl: https,
          emailAttribute: z
            .string()
            .default('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'),
          groupsAttribute: z
            .string()
            .default('http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'),
        })
        .strict(),
    ]),
    /**
     * The groups (Cognito group names or the provider's group ids) that give each role.
     * @default the Cognito groups timescales-team-managers, -heads-of-service, -edt
     */
    groups: z
      .object({
        'team-manager': groupList,
        'head-of-service': groupList,
        edt: groupList,
      })
      .strict()
      .optional(),
    /** Other origins the pages are served from (a custom domain in front of the API). */
    extraOrigins: z.array(https).default([]),
  })
  .strict();

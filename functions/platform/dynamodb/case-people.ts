/**
 * Who is named on which open case: an item per person and case (`PERSON#<id>` /
 * `CASE#<caseId>`: the case's team and the person's roles on it), written by the case's own
 * commits (`casePeopleWrites`, beside the deadline projections) and read by the managers'
 * pages (`DynamoCasePeople`): a case's team manager manages its team, and anyone named on a
 * case may open its page. A closed case keeps no links: its page is checked against the case
 * itself.
 *
 * Cases last changed before these items existed have none until their next change.
 */
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CaseLink } from '#kernel/access.js';
import type { CaseAggregate } from '#kernel/model.js';
import type { CaseCommit } from '#kernel/ports.js';
import * as keys from './keys.js';
import { queryUpTo } from './query.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The most cases a person's links are read for: more than any one person works on. */
const MOST_CASES = 2_000;

/** Each person named on the case, with their roles (sorted), while the case is open. */
function linksOf(aggregate: CaseAggregate | undefined): Map<string, CaseLink> {
  const links = new Map<string, CaseLink>();
  if (aggregate === undefined || aggregate.status !== 'open') return links;
  for (const w of aggregate.workers) {
    const link = links.get(w.personId) ?? {
      caseId: aggregate.caseId,
      team: aggregate.team,
      roles: [],
    };
    if (!link.roles.includes(w.role)) link.roles = [...link.roles, w.role].sort();
    links.set(w.personId, link);
  }
  return links;
}

/** The link items a commit changes: puts for new or changed ones, deletes for gone ones. */
export function casePeopleWrites(
  tableName: string,
  commit: Pick<CaseCommit, 'caseId' | 'before' | 'after'>,
): TransactItem[] {
  const before = linksOf(commit.before);
  const after = linksOf(commit.after);
  const writes: TransactItem[] = [];
  for (const [personId, link] of after) {
    const was = before.get(personId);
    if (was !== undefined && JSON.stringify(was) === JSON.stringify(link)) continue;
    writes.push({
      Put: {
        TableName: tableName,
        Item: {
          ...keys.casePerson(personId, commit.caseId),
          entity: 'case-person',
          personId,
          ...link,
        },
      },
    });
  }
  for (const personId of before.keys()) {
    if (!after.has(personId))
      writes.push({
        Delete: { TableName: tableName, Key: keys.casePerson(personId, commit.caseId) },
      });
  }
  return writes;
}

/** A person's open cases, as the managers' pages read them. */
export class DynamoCasePeople {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async casesOf(personId: string): Promise<CaseLink[]> {
    const { items } = await queryUpTo(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.casePerson(personId, '').pk,
          ':prefix': keys.casePersonPrefix,
        },
        ProjectionExpression: 'caseId, team, #roles',
        ExpressionAttributeNames: { '#roles': 'roles' },
      },
      MOST_CASES,
    );
    return items.map((i) => ({
      caseId: i.caseId as string,
      team: i.team as string,
      roles: i.roles as CaseLink['roles'],
    }));
  }
}

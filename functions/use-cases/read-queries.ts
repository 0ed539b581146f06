/**
 * Read queries behind `GET /v1/...`. Input: validated ids / query; output: the response
 * bodies of `schemas/responses.ts`. An unknown case is a `NotFoundError`.
 */
import type {
  AuditList,
  CaseView,
  DeadlineList,
  DeadlineQuery,
  DeadlineView,
} from '../../schemas/responses.js';
import { NotFoundError } from '../commons/errors.js';
import type { CaseStore, DeadlineRecord } from './ports.js';

export interface ReadDeps {
  store: CaseStore;
}

export async function getCase(caseId: string, deps: ReadDeps): Promise<CaseView> {
  const stored = await deps.store.loadCase(caseId);
  if (stored === undefined) throw notFound(caseId);
  const { deadlines: _deadlines, ...facts } = stored.aggregate as unknown as Record<
    string,
    unknown
  >;
  return {
    caseId,
    version: stored.version,
    updatedAt: stored.updatedAt,
    // Dates become ISO strings, as everywhere at the edge.
    facts: JSON.parse(JSON.stringify(facts)) as Record<string, unknown>,
  };
}

export async function getCaseDeadlines(caseId: string, deps: ReadDeps): Promise<DeadlineList> {
  const deadlines = await deps.store.listDeadlines(caseId);
  if (deadlines.length === 0 && (await deps.store.loadCase(caseId)) === undefined)
    throw notFound(caseId);
  return { deadlines: deadlines.map(toView) };
}

export async function listDeadlines(query: DeadlineQuery, deps: ReadDeps): Promise<DeadlineList> {
  const page = await deps.store.queryDeadlines({
    status: query.status,
    dueBefore: query.dueBefore === undefined ? undefined : new Date(query.dueBefore),
    team: query.team,
    limit: query.limit,
    cursor: query.cursor,
  });
  return {
    deadlines: page.deadlines.map(toView),
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  };
}

export async function getAudit(caseId: string, deps: ReadDeps): Promise<AuditList> {
  const entries = await deps.store.listAudit(caseId);
  if (entries.length === 0 && (await deps.store.loadCase(caseId)) === undefined)
    throw notFound(caseId);
  return { caseId, entries };
}

function toView(d: DeadlineRecord): DeadlineView {
  const { ruleVersion: _r, calendarVersion: _c, ...view } = d;
  return view;
}

function notFound(caseId: string): NotFoundError {
  return new NotFoundError(`no case ${caseId}`, {
    errors: [{ field: 'caseId', message: 'unknown case' }],
  });
}

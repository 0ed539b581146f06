import type { Construct } from 'constructs';
import { Feature, FeatureFunction, type Shared } from './feature.js';

/** The read API (`GET /v1/…`): read models for case systems and reports, from the table alone. */
export class Read extends Feature {
  readonly function: FeatureFunction;

  constructor(scope: Construct, id: string, shared: Shared) {
    super(scope, id);
    this.function = new FeatureFunction(this, 'Read', shared, {
      entry: 'read',
      description: 'GET /v1/cases/…, /v1/deadlines: read models for case systems and reports',
      serviceName: 'timescales-read',
      table: 'read',
      environment: { ...shared.env.table, ...shared.env.authority },
    });
    shared.api.serve('read', this.function.function);
  }
}

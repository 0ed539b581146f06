/**
 * The App stack's resources keep the logical ids they were deployed with. A logical id is a
 * resource's identity in CloudFormation: under a new one the webhook secret and the alert-token
 * key would be generated afresh, the schedule group (with every pending timer) and the user
 * pool replaced, the fixed-name functions would clash with themselves and the retained log
 * groups be orphaned. Only Lambda permissions are left out: one is recreated before the old is
 * removed, and nothing is lost.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import deployed from './fixtures/stateless-logical-ids.json' with { type: 'json' };
import { EXAMPLE_WEB, synthStacks } from './helpers.js';

describe('logical ids', () => {
  it('every resource deployed keeps its logical id and type (the managers’ pages included)', () => {
    // Prepare
    const { stateless } = synthStacks({ web: EXAMPLE_WEB });
    // Act
    const resources = Template.fromStack(stateless).toJSON().Resources as Record<
      string,
      { Type: string }
    >;
    // Assess
    const moved = Object.entries(deployed as Record<string, string>)
      .filter(([id, type]) => resources[id]?.Type !== type)
      .map(([id, type]) => `${id} (${type})`);
    expect(moved).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { whyOneInstance } from '../../../harness/checks/instance.js';
import { TargetSpecSchema } from '../../../harness/schema/target.js';
import { referenceGatewayTarget } from '../../../mocks/patterns/gateway/target.js';

/** A second SUT instance only when the harness starts it at a fresh port, behind a fleet of its own. */
describe('whyOneInstance', () => {
  const launched = TargetSpecSchema.parse(referenceGatewayTarget());

  it('a launched SUT whose endpoint takes {port}, with the run’s own fleet: two instances', () => {
    expect(whyOneInstance(launched, undefined)).toBeUndefined();
  });

  it('a fleet that runs elsewhere, a SUT not launched, or a fixed address: one instance, with the reason', () => {
    expect(whyOneInstance(launched, 'http://127.0.0.1:9000')).toMatch(/fleet runs elsewhere/);
    const { launch: _, ...reached } = referenceGatewayTarget();
    expect(whyOneInstance(TargetSpecSchema.parse(reached), undefined)).toMatch(/not launched/);
    const fixed = TargetSpecSchema.parse({
      ...referenceGatewayTarget(),
      endpoint: { transport: 'http', url: 'http://127.0.0.1:8811/mcp' },
    });
    expect(whyOneInstance(fixed, undefined)).toMatch(/fixed address/);
  });
});

import { planBatches } from './mail-batches';
import type { QueuedMail } from './mail-queue';

const row = (n: number, to: string, template = 'invitation', deployment = 'd1'): QueuedMail => ({
  event_id: `e${n}`,
  template,
  recipient: to,
  deployment_id: deployment,
  invitation_id: null,
  link_kind: null,
  link_id: null,
  nonce: null,
  expires_at: null,
  attempts: 0,
});
const ids = (batches: ReturnType<typeof planBatches>) => batches.map((b) => b.rows.map((r) => r.event_id));

describe('mail batch planner', () => {
  it('never puts one address twice in a batch, nor more than the transport takes', () => {
    const rows = [
      row(1, 'a'),
      row(2, 'b'),
      row(3, 'a'),
      row(4, 'c'),
      row(5, 'd', 'reminder'),
      row(6, 'e', 'invitation', 'd2'),
    ];
    expect(ids(planBatches(rows, 2))).toEqual([['e1', 'e2'], ['e3', 'e4'], ['e5'], ['e6']]);
  });

  it('gives each template and deployment its own batches, named after them', () => {
    const batches = planBatches([row(1, 'a', 'reminder', 'd2'), row(2, 'b', 'invitation', 'd1')], 1000);
    expect(batches.map(({ template, deploymentId }) => ({ template, deploymentId }))).toEqual([
      { template: 'reminder', deploymentId: 'd2' },
      { template: 'invitation', deploymentId: 'd1' },
    ]);
  });

  it('fills an earlier batch that still has room before starting a new one', () => {
    expect(ids(planBatches([row(1, 'a'), row(2, 'a'), row(3, 'b')], 1000))).toEqual([['e1', 'e3'], ['e2']]);
  });

  it('plans nothing for nothing', () => expect(planBatches([], 10)).toEqual([]));
});

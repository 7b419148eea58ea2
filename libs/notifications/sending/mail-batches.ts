import type { QueuedMail } from './mail-queue';

export interface PlannedBatch {
  template: string;
  deploymentId: string;
  rows: QueuedMail[];
}

/**
 * Groups by template and deployment (one body per batch) and splits so no batch is larger than the
 * transport takes or names one address twice (recipient variables are keyed by address).
 */
export function planBatches(rows: readonly QueuedMail[], maxBatch: number): PlannedBatch[] {
  const groups = new Map<string, (PlannedBatch & { to: Set<string> })[]>();
  for (const row of rows) {
    const key = `${row.template}\u0000${row.deployment_id}`;
    const batches = groups.get(key) ?? [];
    groups.set(key, batches);
    let batch = batches.find((b) => b.rows.length < maxBatch && !b.to.has(row.recipient));
    if (!batch) {
      batch = { template: row.template, deploymentId: row.deployment_id, rows: [], to: new Set() };
      batches.push(batch);
    }
    batch.rows.push(row);
    batch.to.add(row.recipient);
  }
  return [...groups.values()]
    .flat()
    .map(({ template, deploymentId, rows: batchRows }) => ({ template, deploymentId, rows: batchRows }));
}

import { addressEraser } from '@app/personal-data';

/** Answers kept for a retry (24 hours at most) that name an erased person are forgotten. */
export const IdempotencyEraser = addressEraser('idempotency', async (tx, address) => {
  // Answers are JSON: the address appears as it was answered, lower-cased like every stored address.
  await tx.execute(`DELETE FROM idempotency_keys WHERE body LIKE $1 ESCAPE '\\'`, [
    `%${address.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
  ]);
});

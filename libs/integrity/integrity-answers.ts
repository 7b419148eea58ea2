import { type AnswerSchemas, instant, integer, object, text } from '@app/problem-details';

export const INTEGRITY_ANSWERS: AnswerSchemas = {
  ChainAnchor: object({
    seq: integer,
    position: text('The log position of the event at this place in the chain'),
    hash: text('SHA-256, hex: commits to this event and every event before it'),
    signedAt: instant,
    algorithm: text('Ed25519'),
    publicKey: text('The raw public key, base64url: check it against the one published'),
    signature: text('Over the anchor message (docs/compliance.md), base64url'),
  }),
};

export const INTEGRITY_PROBLEM_STATUS: Record<string, number> = { chain_empty: 404 };

import { ANY, NO_STREAM, START, STREAM_EXISTS } from '@eventstore/db-client';
import { InvalidPositionError, WrongExpectedRevisionError } from '../errors';
import {
  assertCategoryName,
  decodeEsdbPosition,
  encodeEsdbPosition,
  fromEsdbEvent,
  fromEsdbExpectedRevision,
  fromEsdbMetadata,
  matchesFilter,
  streamPrefixes,
  toEsdbExpectedRevision,
  toEsdbMetadata,
  toWrongExpectedRevision,
} from './eventstoredb-mapping';

describe('EventStoreDB mappings', () => {
  it.each([
    ['any', ANY],
    ['no_stream', NO_STREAM],
    ['stream_exists', STREAM_EXISTS],
    [0n, 0n],
    [41n, 41n],
  ] as const)('maps expected revision %p one-to-one and back', (ours, theirs) => {
    expect(toEsdbExpectedRevision(ours)).toBe(theirs);
    expect(fromEsdbExpectedRevision(theirs)).toBe(ours);
  });

  it('turns WrongExpectedVersionError into the port\'s typed error', () => {
    const missing = toWrongExpectedRevision({ streamName: 'invitation-1', expectedVersion: 3n, actualVersion: NO_STREAM });
    expect(missing).toBeInstanceOf(WrongExpectedRevisionError);
    expect(missing).toMatchObject({ stream: 'invitation-1', expected: 3n, actual: 'no_stream' });
    expect(toWrongExpectedRevision({ streamName: 's-1', expectedVersion: NO_STREAM, actualVersion: 7n })).toMatchObject({ expected: 'no_stream', actual: 7n });
  });

  it('encodes positions so string order is log order, and decodes them back', () => {
    const positions = [
      { commit: 0n, prepare: 0n },
      { commit: 15n, prepare: 15n },
      { commit: 16n, prepare: 2n },
      { commit: 2n ** 40n, prepare: 2n ** 40n - 1n },
      { commit: 2n ** 62n, prepare: 0n },
    ];
    const encoded = positions.map(encodeEsdbPosition);
    expect([...encoded].sort()).toEqual(encoded);
    expect(encoded.map(decodeEsdbPosition)).toEqual(positions);
    expect(decodeEsdbPosition(undefined)).toBe(START);
    expect(decodeEsdbPosition('')).toBe(START);
    expect(() => decodeEsdbPosition('xyz')).toThrow(InvalidPositionError);
  });

  it('carries correlation and causation under the keys EventStoreDB projections read, and back', () => {
    const ours = { actor: { type: 'staff', id: 's1' }, correlationId: 'c1', causationId: 'k1', occurredAt: '2030-01-01T00:00:00.000Z' };
    const theirs = toEsdbMetadata(ours, 2);
    expect(theirs).toEqual({ actor: { type: 'staff', id: 's1' }, occurredAt: '2030-01-01T00:00:00.000Z', $correlationId: 'c1', $causationId: 'k1', $schemaVersion: 2 });
    expect(fromEsdbMetadata(theirs)).toEqual({ metadata: ours, schemaVersion: 2 });
    expect(fromEsdbMetadata(undefined)).toEqual({ metadata: {}, schemaVersion: 1 });
  });

  it('maps a recorded event, passing the event id through', () => {
    const created = new Date('2030-01-02T03:04:05.000Z');
    const event = fromEsdbEvent({
      streamId: 'invitation-9',
      id: '7e1b0c8a-3d7e-4f6a-9a43-3b3c1c0e9f10',
      revision: 4n,
      type: 'InvitationIssued',
      created,
      data: { email: 'a@example.org' },
      metadata: { $correlationId: 'c', $schemaVersion: 1 },
      position: { commit: 10n, prepare: 9n },
    });
    expect(event).toEqual({
      id: '7e1b0c8a-3d7e-4f6a-9a43-3b3c1c0e9f10',
      streamId: 'invitation-9',
      type: 'InvitationIssued',
      schemaVersion: 1,
      revision: 4n,
      position: encodeEsdbPosition({ commit: 10n, prepare: 9n }),
      data: { email: 'a@example.org' },
      metadata: { correlationId: 'c' },
      recordedAt: created,
    });
  });

  it('filters by category prefix and leaves system events out', () => {
    expect(streamPrefixes({ categories: ['invitation', 'mail'] })).toEqual(['invitation-', 'mail-']);
    expect(streamPrefixes(undefined)).toEqual([]);
    expect(matchesFilter('invitation-1', 'InvitationIssued', { categories: ['invitation'] })).toBe(true);
    expect(matchesFilter('invitationLink-1', 'InvitationLinkGenerated', { categories: ['invitation'] })).toBe(false);
    expect(matchesFilter('$stats-127.0.0.1:2113', '$statsCollected', undefined)).toBe(false);
    expect(matchesFilter('invitation-1', '$metadata', undefined)).toBe(false);
    expect(matchesFilter('mail-1', 'MailSent', { types: ['MailFailed'] })).toBe(false);
    expect(() => assertCategoryName('invitation-link')).toThrow();
    expect(() => assertCategoryName('invitationLink')).not.toThrow();
  });
});

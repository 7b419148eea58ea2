import { ANY, NO_STREAM, START, STREAM_EXISTS } from '@kurrent/kurrentdb-client';
import { InvalidPositionError, WrongExpectedRevisionError } from '@app/event-store';
import {
  assertCategoryName,
  decodeEsdbPosition,
  encodeEsdbPosition,
  EsdbStreamNames,
  fromEsdbEvent,
  fromEsdbExpectedRevision,
  fromEsdbMetadata,
  toEsdbExpectedRevision,
  toEsdbMetadata,
  toWrongExpectedRevision,
} from './eventstoredb-mapping';

const plain = new EsdbStreamNames();
const spaced = new EsdbStreamNames('run42');

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

  it("turns WrongExpectedVersionError into the port's typed error, with the port's stream name", () => {
    const missing = toWrongExpectedRevision(
      { streamName: 'invitation-1', expectedState: 3n, actualState: NO_STREAM },
      plain,
      'unused',
    );
    expect(missing).toBeInstanceOf(WrongExpectedRevisionError);
    expect(missing).toMatchObject({ stream: 'invitation-1', expected: 3n, actual: 'no_stream' });
    expect(
      toWrongExpectedRevision({ streamName: 'run42_s-1', expectedState: NO_STREAM, actualState: 7n }, spaced, 'unused'),
    ).toMatchObject({
      stream: 's-1',
      expected: 'no_stream',
      actual: 7n,
    });
    // Built from the server's trailers, the error carries the wire's numbers.
    expect(
      toWrongExpectedRevision({ streamName: 'run42_s-3', expectedState: -1n, actualState: 0n }, spaced, 'unused'),
    ).toMatchObject({
      stream: 's-3',
      expected: 'no_stream',
      actual: 0n,
    });
    expect(
      toWrongExpectedRevision({ streamName: 's-4', expectedState: -4n, actualState: -1n }, plain, 'unused'),
    ).toMatchObject({
      expected: 'stream_exists',
      actual: 'no_stream',
    });
    expect(fromEsdbExpectedRevision(-2n)).toBe('any');
    expect(
      toWrongExpectedRevision({ expectedState: STREAM_EXISTS, actualState: NO_STREAM }, spaced, 's-2'),
    ).toMatchObject({
      stream: 's-2',
      expected: 'stream_exists',
      actual: 'no_stream',
    });
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
    expect(() => decodeEsdbPosition('0000000000000001000000000000000G')).toThrow(InvalidPositionError);
  });

  it("writes string-only metadata: correlation, causation under the server's keys, the rest as JSON", () => {
    const metadata = {
      actor: { type: 'staff', id: 's1' },
      correlationId: 'c1',
      causationId: 'k1',
      occurredAt: '2030-01-01T00:00:00.000Z',
    };
    const recordedAt = new Date('2031-02-03T04:05:06.789Z');
    const theirs = toEsdbMetadata({ id: 'x', type: 'T', data: {}, schemaVersion: 2, metadata }, recordedAt);
    expect(theirs).toEqual({
      $correlationId: 'c1',
      $causationId: 'k1',
      schemaVersion: '2',
      recordedAt: '2031-02-03T04:05:06.789Z',
      metadata: JSON.stringify(metadata),
    });
    expect(Object.values(theirs).every((v) => typeof v === 'string')).toBe(true);
    const created = new Date('2040-01-01T00:00:00Z');
    // Keys the server adds of its own are left alone.
    expect(fromEsdbMetadata({ ...theirs, '$schema.name': 'T' }, created)).toEqual({
      metadata,
      schemaVersion: 2,
      recordedAt,
    });
  });

  it('reads metadata it did not write as empty, version 1, recorded when the server says', () => {
    const created = new Date('2040-01-01T00:00:00Z');
    expect(fromEsdbMetadata(undefined, created)).toEqual({ metadata: {}, schemaVersion: 1, recordedAt: created });
    expect(fromEsdbMetadata(new Uint8Array([1, 2]), created)).toEqual({
      metadata: {},
      schemaVersion: 1,
      recordedAt: created,
    });
    expect(fromEsdbMetadata({ schemaVersion: 'x', recordedAt: 'never' }, created)).toEqual({
      metadata: {},
      schemaVersion: 1,
      recordedAt: created,
    });
    const noIds = toEsdbMetadata({ id: 'x', type: 'T', data: {} }, created);
    expect(noIds).toEqual({ schemaVersion: '1', recordedAt: created.toISOString(), metadata: '{}' });
  });

  it('maps a recorded event, passing the event id through and taking the namespace off', () => {
    const recordedAt = new Date('2030-01-02T03:04:05.000Z');
    const event = fromEsdbEvent(
      {
        streamId: 'run42.invitation-9',
        id: '7e1b0c8a-3d7e-4f6a-9a43-3b3c1c0e9f10',
        revision: 4n,
        type: 'InvitationIssued',
        created: new Date('2030-01-02T03:04:06.000Z'),
        data: { email: 'a@example.org' },
        metadata: toEsdbMetadata({ id: 'x', type: 'T', data: {}, metadata: { correlationId: 'c' } }, recordedAt),
        position: { commit: 10n, prepare: 9n },
      },
      spaced,
    );
    expect(event).toEqual({
      id: '7e1b0c8a-3d7e-4f6a-9a43-3b3c1c0e9f10',
      streamId: 'invitation-9',
      type: 'InvitationIssued',
      schemaVersion: 1,
      revision: 4n,
      position: encodeEsdbPosition({ commit: 10n, prepare: 9n }),
      data: { email: 'a@example.org' },
      metadata: { correlationId: 'c' },
      recordedAt,
    });
  });

  it('filters the log by stream-name regex on the server: categories within the namespace, no system streams', () => {
    const regexOf = (names: EsdbStreamNames, filter?: Parameters<EsdbStreamNames['serverFilter']>[0]) => {
      const f = names.serverFilter(filter) as { filterOn: string; regex: string };
      expect(f.filterOn).toBe('streamName');
      return new RegExp(f.regex);
    };
    const categories = regexOf(plain, { categories: ['invitation', 'settings'] });
    for (const stream of ['invitation-1', 'settings', 'settings-2']) expect(categories.test(stream)).toBe(true);
    for (const stream of ['invitationLink-1', 'settingsArchive', '$ce-invitation', 'run42.invitation-1'])
      expect(categories.test(stream)).toBe(false);
    const scoped = regexOf(spaced, { categories: ['invitation'] });
    expect(scoped.test('run42.invitation-1')).toBe(true);
    expect(scoped.test('run42_x.invitation-1')).toBe(false);
    expect(scoped.test('invitation-1')).toBe(false);
    const everything = regexOf(plain);
    for (const stream of ['invitation-1', 'settings', 'mail-abc.def']) expect(everything.test(stream)).toBe(true);
    for (const stream of ['$ce-invitation', '$stats-127.0.0.1:2113', 'run42.invitation-1'])
      expect(everything.test(stream)).toBe(false);
    expect(() => plain.serverFilter({ categories: ['invitation-link'] })).toThrow(/contains '-'/);
  });

  it('applies the same filter to each event, so a prefix never lets a longer category in', () => {
    expect(plain.matches('invitation-1', 'InvitationIssued', { categories: ['invitation'] })).toBe(true);
    expect(plain.matches('invitationLink-1', 'InvitationLinkGenerated', { categories: ['invitation'] })).toBe(false);
    expect(plain.matches('$stats-127.0.0.1:2113', '$statsCollected', undefined)).toBe(false);
    expect(plain.matches('invitation-1', '$metadata', undefined)).toBe(false);
    expect(plain.matches('mail-1', 'MailSent', { types: ['MailFailed'] })).toBe(false);
    expect(spaced.matches('invitation-1', 'InvitationIssued', undefined)).toBe(false);
    expect(spaced.matches('run42.invitation-1', 'InvitationIssued', { categories: ['invitation'] })).toBe(true);
    expect(plain.matches('run42.invitation-1', 'InvitationIssued', undefined)).toBe(false);
    expect(() => new EsdbStreamNames('bad-namespace')).toThrow();
    expect(() => assertCategoryName('invitationLink')).not.toThrow();
  });
});

import { type JsonObject, metadataEnvelope, requestContext, systemContext, toNewEvents } from '@app/event-store';

const fromParsed = (metadata: JsonObject) => {
  const actor = (metadata.actor ?? {}) as JsonObject;
  const fields = {
    actorType: actor.type,
    actorId: actor.id,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    occurredAt: metadata.occurredAt,
    deploymentId: metadata.deploymentId,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => typeof value === 'string'));
};

const now = new Date('2026-12-03T02:00:00.000Z');
const staff = requestContext({ type: 'staff', id: 'b3f1c1de-0000-4000-8000-000000000001' }, 'request-1', now);
const written = (context: Parameters<typeof toNewEvents>[1]) =>
  toNewEvents([{ type: 'Something', data: {} }], context)[0].metadata!;

describe("an event's envelope read from its metadata's text", () => {
  it.each<[string, JsonObject]>([
    ['as written for a request', written(staff)],
    ['as written in a deployment', written({ ...staff, deploymentId: 'deployment-7' })],
    ['as written by the system', written(systemContext(now, 'c0ffee00-0000-4000-8000-000000000002'))],
    ['with letters beyond ASCII', written({ ...staff, correlationId: 'zoë-山田' })],
    ['with an escaped quote in a value', written({ ...staff, correlationId: 'say "hi"' })],
    ['with a backslash in a value', written({ ...staff, correlationId: 'C:\\path' })],
    ['with a key added', { ...written(staff), reason: 'imported' }],
    ['in another order', { occurredAt: '2026-12-01T00:00:00.000Z', actor: { id: 'x', type: 'patient' } }],
    ['without a time', { actor: { type: 'service', id: 'svc' }, correlationId: 'c', causationId: 'c' }],
    ['with values that are not strings', { actor: 'nobody', occurredAt: 5, deploymentId: null }],
    ['empty', {}],
    ['a look-alike nested deeper', { note: { actor: { type: 'staff', id: 'inner' }, occurredAt: 'inner' } }],
  ])('is what the parsed metadata says: %s', (_, metadata) => {
    expect(metadataEnvelope(JSON.stringify(metadata))).toEqual(fromParsed(metadata));
  });

  it('reads the values themselves, escapes decoded', () => {
    const metadata = written({ ...staff, correlationId: 'say "hi"\n' });
    expect(metadataEnvelope(JSON.stringify(metadata)).correlationId).toBe('say "hi"\n');
  });
});

describe('metadata as toNewEvents writes it', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is read without being parsed', () => {
    const text = JSON.stringify(written({ ...staff, deploymentId: 'deployment-7' }));
    const parse = jest.spyOn(JSON, 'parse');
    expect(metadataEnvelope(text).deploymentId).toBe('deployment-7');
    expect(parse).not.toHaveBeenCalled();
  });
});

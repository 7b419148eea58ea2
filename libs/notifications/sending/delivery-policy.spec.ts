import { INTERRUPTED, outcomeEvent, outcomeOf, type RetryPolicy } from './delivery-policy';
import type { QueuedMail } from './mail-queue';

const policy: RetryPolicy = { maxAttempts: 4, baseBackoffMs: 1000, maxBackoffMs: 3000 };
const now = new Date('2031-01-01T00:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const middle = () => 0.5;

describe('delivery policy', () => {
  it('settles what the transport settled', () => {
    expect(outcomeOf({ status: 'sent', messageId: 'm1' }, 0, policy, now)).toEqual({ status: 'sent', messageId: 'm1' });
    expect(outcomeOf({ status: 'failed', reason: 'bad address' }, 0, policy, now)).toEqual({
      status: 'failed',
      reason: 'bad address',
    });
  });

  it('fails an email the transport said nothing about, rather than sending it twice', () => {
    expect(outcomeOf(undefined, 0, policy, now)).toEqual({
      status: 'failed',
      reason: 'the transport gave no answer for this email',
    });
  });

  it('backs off exponentially up to the ceiling', () => {
    const retry = { status: 'retry', reason: 'busy' } as const;
    expect([0, 1, 2].map((before) => outcomeOf(retry, before, { ...policy, maxAttempts: 9 }, now, middle))).toEqual([
      { status: 'retry', reason: 'busy', at: later(1000) },
      { status: 'retry', reason: 'busy', at: later(2000) },
      { status: 'retry', reason: 'busy', at: later(3000) },
    ]);
  });

  it('jitters the wait by at most a fifth either way', () => {
    const retry = { status: 'retry', reason: 'busy' } as const;
    expect(outcomeOf(retry, 1, policy, now, () => 0)).toEqual({ status: 'retry', reason: 'busy', at: later(1600) });
    const highest = outcomeOf(retry, 1, policy, now, () => 0.999999);
    expect(highest.status === 'retry' && highest.at.getTime()).toBeGreaterThanOrEqual(later(2399).getTime());
    expect(highest.status === 'retry' && highest.at.getTime()).toBeLessThanOrEqual(later(2400).getTime());
  });

  it("waits at least as long as the provider's Retry-After", () => {
    expect(outcomeOf({ status: 'retry', reason: 'slow down', retryAfterMs: 60_000 }, 0, policy, now, middle)).toEqual({
      status: 'retry',
      reason: 'slow down',
      at: later(60_000),
    });
  });

  it('gives up on the last attempt with the last reason', () => {
    expect(outcomeOf({ status: 'retry', reason: 'busy' }, 3, policy, now)).toEqual({
      status: 'failed',
      reason: 'gave up after 4 attempts: busy',
    });
  });

  describe('audit events', () => {
    const row: QueuedMail = {
      event_id: 'e1',
      template: 'invitation',
      recipient: 'p@example.org',
      deployment_id: 'd1',
      invitation_id: 'i1',
      link_kind: 'invitation',
      link_id: 'i1',
      nonce: 'n1',
      expires_at: null,
      attempts: 0,
    };
    const about = { mailId: 'e1', invitationId: 'i1', template: 'invitation', transport: 'mailgun' };

    it('records each settled outcome, never the address or the link', () => {
      expect(outcomeEvent(row, { status: 'sent', messageId: 'm1' }, 'mailgun')).toEqual({
        type: 'MailSent',
        data: { ...about, messageId: 'm1' },
      });
      expect(outcomeEvent(row, INTERRUPTED, 'mailgun')).toEqual({
        type: 'MailFailed',
        data: { ...about, reason: INTERRUPTED.status === 'failed' ? INTERRUPTED.reason : '' },
      });
      expect(outcomeEvent(row, { status: 'skipped', reason: 'changed' }, 'mailgun')).toEqual({
        type: 'MailSkipped',
        data: { ...about, reason: 'changed' },
      });
    });

    it('records nothing for a retry: the email is still in the queue', () => {
      expect(outcomeEvent(row, { status: 'retry', reason: 'busy', at: now }, 'mailgun')).toBeNull();
    });
  });
});

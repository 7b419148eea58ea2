import { Drawer, Loader, Text, Timeline } from '@mantine/core';
import { memo } from 'react';
import { formatDateTime } from '../shared/api';
import { type Invitation, useHistory } from './queries';

const WHAT: Record<string, string> = {
  InvitationIssued: 'Invited',
  InvitationResent: 'Re-sent with a new link',
  InvitationEmailRequested: 'Email requested',
  InvitationReminderDue: 'Reminder due',
  InvitationRedeemed: 'Account created',
  InvitationRevoked: 'Deleted',
  InvitationExpired: 'Expired',
  MailSent: 'Email sent',
  MailFailed: 'Email failed',
  MailSkipped: 'Email not sent (the link had changed)',
  MailBounced: "Email refused by the patient's mail server",
  MailComplained: 'Email reported as spam',
};

/** Who did what, when, and what became of each email: read from the streams, so always current. */
export const HistoryDrawer = memo(function HistoryDrawer({
  invitation,
  timeZone,
  onClose,
}: {
  invitation: Invitation | null;
  timeZone: string | undefined;
  onClose: () => void;
}) {
  const history = useHistory(invitation?.id ?? null);
  return (
    <Drawer
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened={invitation !== null}
      onClose={onClose}
      position="right"
      title={invitation ? `History of ${invitation.email}` : ''}
    >
      {history.isLoading && <Loader size="sm" aria-label="Loading the history" />}
      {history.data && (
        <Timeline bulletSize={14} lineWidth={2}>
          {history.data.map((event) => (
            <Timeline.Item key={event.id} title={WHAT[event.type] ?? event.type}>
              {typeof event.data.reason === 'string' && <Text size="sm">{event.data.reason}</Text>}
              <Text size="xs" c="dimmed">
                {formatDateTime(event.occurredAt, undefined, timeZone)} ·{' '}
                {event.actor ? (event.actor.name ?? `${event.actor.type} ${event.actor.id.slice(0, 8)}`) : 'unknown'}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Drawer>
  );
});

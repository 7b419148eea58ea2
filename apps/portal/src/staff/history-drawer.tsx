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
};

/** Who did what, when: read from the invitation's own stream, so always current. */
export const HistoryDrawer = memo(function HistoryDrawer({
  invitation,
  onClose,
}: {
  invitation: Invitation | null;
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
              <Text size="xs" c="dimmed">
                {formatDateTime(event.occurredAt)} ·{' '}
                {event.actor ? (event.actor.name ?? `${event.actor.type} ${event.actor.id.slice(0, 8)}`) : 'unknown'}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Drawer>
  );
});

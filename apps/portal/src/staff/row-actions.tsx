import { ActionIcon, Alert, Button, Group, Menu, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { EXPIRY_CHOICES, type ExpiresIn, type Invitation, useResend, useRevoke } from './queries';

/** The menu at the end of a row: re-send with a new expiry, or delete after a confirmation. */
export function RowActions({ invitation, onHistory }: { invitation: Invitation; onHistory: () => void }) {
  const [dialog, setDialog] = useState<'resend' | 'delete' | null>(null);
  const [expiresIn, setExpiresIn] = useState<ExpiresIn>(invitation.expiresIn);
  const resend = useResend(invitation.deploymentId);
  const revoke = useRevoke(invitation.deploymentId);
  const resendable = invitation.status === 'pending' || invitation.status === 'expired';
  const close = () => {
    setDialog(null);
    resend.reset();
    revoke.reset();
  };
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" aria-label={`Actions for ${invitation.email}`}>
            ⋮
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={onHistory}>History</Menu.Item>
          {resendable && <Menu.Item onClick={() => setDialog('resend')}>Re-send invitation</Menu.Item>}
          {invitation.status !== 'redeemed' && invitation.status !== 'revoked' && (
            <Menu.Item color="red" onClick={() => setDialog('delete')}>
              Delete
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={dialog === 'resend'} onClose={close} closeButtonProps={{ "aria-label": "Close" }} title="Re-send invitation">
        <Stack>
          <Text size="sm">
            {invitation.email} gets a new email with a new link. The link sent before stops working.
          </Text>
          <Select label="Invitation expires in" data={EXPIRY_CHOICES} value={expiresIn} onChange={(v) => v && setExpiresIn(v as ExpiresIn)} allowDeselect={false} comboboxProps={{ withinPortal: false }} />
          {resend.error && <Alert color="red">{resend.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button loading={resend.isPending} onClick={() => resend.mutate({ id: invitation.id, expiresIn }, { onSuccess: close })}>
              Re-send
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={dialog === 'delete'} onClose={close} closeButtonProps={{ "aria-label": "Close" }} title="Delete invitation">
        <Stack>
          <Text size="sm">
            Delete the invitation for {invitation.email}? The link in their email will stop working at once.
          </Text>
          {revoke.error && <Alert color="red">{revoke.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate(invitation.id, { onSuccess: close })}>
              Delete invitation
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

import { Alert, Button, Group, Menu, Modal, Stack, Text } from '@mantine/core';
import { memo, useEffect, useState } from 'react';
import { ExpirySelect } from './expiry-select';
import { type ExpiresIn, type Invitation, useResend, useRevoke } from './queries';

export interface ActionsTarget {
  invitation: Invitation;
  /** The row's button: the menu opens at it, and focus returns to it. */
  anchor: HTMLElement;
}

/**
 * One menu and one pair of dialogs for the whole list, opened at the row whose button was pressed:
 * re-send with a new expiry, delete after a confirmation, or the history.
 */
export const RowActions = memo(function RowActions({
  target,
  onClose,
  onHistory,
}: {
  target: ActionsTarget | null;
  onClose: () => void;
  onHistory: (invitation: Invitation) => void;
}) {
  const [dialog, setDialog] = useState<{ kind: 'resend' | 'delete'; invitation: Invitation } | null>(null);
  const [expiresIn, setExpiresIn] = useState<ExpiresIn>('7d');
  const deploymentId = (dialog?.invitation ?? target?.invitation)?.deploymentId ?? '';
  const resend = useResend(deploymentId);
  const revoke = useRevoke(deploymentId);
  useEffect(() => {
    if (target) setExpiresIn(target.invitation.expiresIn);
  }, [target]);
  const open = (kind: 'resend' | 'delete') => {
    if (target) setDialog({ kind, invitation: target.invitation });
    onClose();
  };
  const closeDialog = () => {
    setDialog(null);
    resend.reset();
    revoke.reset();
  };
  const invitation = target?.invitation;
  const resendable = invitation && (invitation.status === 'pending' || invitation.status === 'expired');
  const deletable = invitation && invitation.status !== 'redeemed' && invitation.status !== 'revoked';
  return (
    <>
      <Menu opened={target !== null} onChange={(opened) => !opened && onClose()} position="bottom-end" returnFocus>
        <Menu.Target refProp="ref">
          <AnchorAt element={target?.anchor ?? null} />
        </Menu.Target>
        <Menu.Dropdown aria-label={invitation ? `Actions for ${invitation.email}` : undefined}>
          <Menu.Item
            onClick={() => {
              if (invitation) onHistory(invitation);
              onClose();
            }}
          >
            History
          </Menu.Item>
          {resendable && <Menu.Item onClick={() => open('resend')}>Re-send invitation</Menu.Item>}
          {deletable && (
            <Menu.Item color="red" onClick={() => open('delete')}>
              Delete
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={dialog?.kind === 'resend'}
        onClose={closeDialog}
        title="Re-send invitation"
      >
        <Stack>
          <Text size="sm">
            {dialog?.invitation.email} gets a new email with a new link. The link sent before stops working.
          </Text>
          <ExpirySelect label="Invitation expires in" value={expiresIn} onChange={setExpiresIn} />
          {resend.error && <Alert color="red">{resend.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={closeDialog}>
              Cancel
            </Button>
            <Button
              loading={resend.isPending}
              onClick={() =>
                dialog && resend.mutate({ id: dialog.invitation.id, expiresIn }, { onSuccess: closeDialog })
              }
            >
              Re-send
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={dialog?.kind === 'delete'}
        onClose={closeDialog}
        title="Delete invitation"
      >
        <Stack>
          <Text size="sm">
            Delete the invitation for {dialog?.invitation.email}? The link in their email will stop working at once.
          </Text>
          {revoke.error && <Alert color="red">{revoke.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={closeDialog}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => dialog && revoke.mutate(dialog.invitation.id, { onSuccess: closeDialog })}
            >
              Delete invitation
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
});

/** An invisible box over the row's button, so the one menu opens where the row's button is. */
const AnchorAt = ({ element, ref }: { element: HTMLElement | null; ref?: React.Ref<HTMLSpanElement> }) => {
  const box = element?.getBoundingClientRect();
  return (
    <span
      ref={ref}
      aria-hidden="true"
      style={{
        position: 'fixed',
        left: box?.left ?? 0,
        top: box?.top ?? 0,
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        pointerEvents: 'none',
      }}
    />
  );
};

import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { memo, useState } from 'react';
import { useResendMany } from './queries';

const WHAT = {
  expired: { button: 'Re-send all expired', about: 'every expired invitation' },
  failed: { button: 'Re-send all failed', about: 'every invitation whose last email failed' },
};

/** The list's bulk actions: one request re-sends every expired, or every failed, invitation, after a confirmation. */
export const BulkResend = memo(function BulkResend({ deploymentId }: { deploymentId: string }) {
  const [which, setWhich] = useState<'expired' | 'failed' | null>(null);
  const resend = useResendMany(deploymentId);
  const close = () => {
    setWhich(null);
    resend.reset();
  };
  const result = resend.data;
  return (
    <Group gap="xs">
      <Button variant="default" size="xs" onClick={() => setWhich('expired')}>
        {WHAT.expired.button}
      </Button>
      <Button variant="default" size="xs" onClick={() => setWhich('failed')}>
        {WHAT.failed.button}
      </Button>
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={which !== null}
        onClose={close}
        title={which ? WHAT[which].button : ''}
      >
        <Stack>
          {result ? (
            <Text size="sm" role="status">
              Re-sent {result.resent.length} invitation{result.resent.length === 1 ? '' : 's'}
              {result.skipped.length ? `; ${result.skipped.length} could no longer be re-sent` : ''}.
              {result.hasMore ? ' There are more: re-send again for the next ones.' : ''}
            </Text>
          ) : (
            <Text size="sm">
              Re-send {which ? WHAT[which].about : ''} in this deployment? Each patient gets a new email with a new
              link, valid for the same time as before; links sent earlier stop working.
            </Text>
          )}
          {resend.error && <Alert color="red">{resend.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {result ? 'Close' : 'Cancel'}
            </Button>
            {!result && (
              <Button loading={resend.isPending} onClick={() => which && resend.mutate(which)}>
                Re-send
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
});

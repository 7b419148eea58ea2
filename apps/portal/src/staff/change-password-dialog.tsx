import { Alert, Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { session, staffRequest } from './session';
import { useSubmit } from './use-submit';

const MESSAGES: Record<string, string> = {
  wrong_password: 'The current password is not right.',
  weak_password: 'Choose a longer password that is not a common one (at least 10 characters).',
};

/** A new password, the current one required; other sessions end, this one goes on. */
export function ChangePasswordDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, setError, run } = useSubmit(MESSAGES);
  const close = () => {
    setCurrent('');
    setNext('');
    setError(null);
    setDone(false);
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { accessToken } = await staffRequest<{ accessToken: string }>('/api/me/password', {
        method: 'POST',
        body: { currentPassword: current, newPassword: next },
      });
      session.start(accessToken);
      setDone(true);
    });
  };
  return (
    <Modal opened={opened} onClose={close} closeButtonProps={{ 'aria-label': 'Close' }} title="Change password">
      {done ? (
        <Stack>
          <Alert color="green" role="status">
            Your password is changed. You stay signed in here; everywhere else you sign in again.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <PasswordInput
              label="Current password"
              value={current}
              onChange={(e) => setCurrent(e.currentTarget.value)}
              autoComplete="current-password"
              required
            />
            <PasswordInput
              label="New password"
              description="At least 10 characters, not a common password"
              value={next}
              onChange={(e) => setNext(e.currentTarget.value)}
              autoComplete="new-password"
              required
            />
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={busy}>
                Change password
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { RoleFields, useScopedDeployments } from './role-fields';
import { staffRequest } from './session';
import { useSubmit } from './use-submit';

const MESSAGES: Record<string, string> = {
  cannot_grant_role: 'You cannot give this role: it carries more than you hold.',
  invalid_deployment_scope: 'Choose at least one deployment for this role, and only deployments you work in.',
  staff_email_taken: 'Someone on the staff already has this email address.',
  invalid_email: 'That is not an email address.',
};

/** Invite a member of staff: they get an email to choose their own password; the role is given now. */
export function InviteStaffDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<string | null>(null);
  const [deploymentIds, setDeploymentIds] = useState<string[]>([]);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, error, setError, run } = useSubmit(MESSAGES);
  const scoped = useScopedDeployments(role, deploymentIds);
  const close = () => {
    setEmail('');
    setName('');
    setRole(null);
    setDeploymentIds([]);
    setError(null);
    setSentTo(null);
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const body = { email, ...(name.trim() ? { name } : {}), role, ...(scoped ? { deploymentIds: scoped } : {}) };
      const sent = await staffRequest<{ email: string }>('/api/staff/invitations', { method: 'POST', body });
      setSentTo(sent.email);
    });
  };
  return (
    <Modal opened={opened} onClose={close} closeButtonProps={{ 'aria-label': 'Close' }} title="Invite staff">
      {sentTo ? (
        <Stack>
          <Alert color="green" role="status">
            Invitation sent to {sentTo}. They choose their own password from the email.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label="Email"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              required
            />
            <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={100} />
            <RoleFields role={role} onRole={setRole} deploymentIds={deploymentIds} onDeploymentIds={setDeploymentIds} />
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={busy} disabled={!email.trim() || !role}>
                Send invitation
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

import { Alert, Button, Group, Modal, MultiSelect, Select, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ApiProblem } from '../shared/api';
import { useDeployments, useRoles } from './queries';
import { staffRequest } from './session';

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
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const roles = useRoles(opened);
  const deployments = useDeployments();
  const scope = roles.data?.find((r) => r.name === role)?.scope;
  const close = () => {
    setEmail('');
    setName('');
    setRole(null);
    setDeploymentIds([]);
    setError(null);
    setSentTo(null);
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        email,
        ...(name.trim() ? { name } : {}),
        role,
        ...(scope === 'deployments' ? { deploymentIds } : {}),
      };
      const sent = await staffRequest<{ email: string }>('/api/staff/invitations', { method: 'POST', body });
      setSentTo(sent.email);
    } catch (e) {
      setError(e instanceof ApiProblem ? (MESSAGES[e.code] ?? e.message) : (e as Error).message);
    } finally {
      setBusy(false);
    }
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
            <Select
              label="Role"
              data={(roles.data ?? []).map((r) => r.name)}
              value={role}
              onChange={setRole}
              required
            />
            {scope === 'deployments' && (
              <MultiSelect
                label="Deployments"
                data={(deployments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
                value={deploymentIds}
                onChange={setDeploymentIds}
              />
            )}
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

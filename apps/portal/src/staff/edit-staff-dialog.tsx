import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { type StaffMember, useStaffChange } from './queries';
import { RoleFields, useScopedDeployments } from './role-fields';
import { useSubmit } from './use-submit';

const MESSAGES: Record<string, string> = {
  cannot_grant_role: 'You cannot give this role: it carries more than you hold.',
  invalid_deployment_scope: 'Choose at least one deployment for this role, and only deployments you work in.',
};

/** A new name, role or deployments for a member of staff, within what the manager may grant. */
export function EditStaffDialog({ member, onClose }: { member: StaffMember; onClose: () => void }) {
  const current = member.roles[0];
  const [name, setName] = useState(member.name ?? '');
  const [role, setRole] = useState<string | null>(current?.name ?? null);
  const [deploymentIds, setDeploymentIds] = useState<string[]>(current?.deploymentIds ?? []);
  const change = useStaffChange();
  const { busy, error, run } = useSubmit(MESSAGES);
  const scoped = useScopedDeployments(role, deploymentIds);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const body = { ...(name.trim() ? { name } : {}), role, ...(scoped ? { deploymentIds: scoped } : {}) };
      await change.mutateAsync({ id: member.id, action: 'edit', body });
      onClose();
    });
  };
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={`Edit ${member.email}`}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={100} />
          <RoleFields role={role} onRole={setRole} deploymentIds={deploymentIds} onDeploymentIds={setDeploymentIds} />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { Alert, Button, Group, Modal, MultiSelect, Select, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ApiProblem } from '../shared/api';
import { type StaffMember, useDeployments, useRoles, useStaffChange } from './queries';

const MESSAGES: Record<string, string> = {
  cannot_grant_role: 'You cannot give this role: it carries more than you hold.',
  invalid_deployment_scope: 'Choose at least one deployment for this role, and only deployments you work in.',
};

/** A new name, role or deployments for a member of staff, within what the manager may grant. */
export function EditStaffDialog({ member, onClose }: { member: StaffMember; onClose: () => void }) {
  const current = member.roles[0];
  const [name, setName] = useState(member.name ?? '');
  const [role, setRole] = useState(current?.name ?? '');
  const [deploymentIds, setDeploymentIds] = useState<string[]>(current?.deploymentIds ?? []);
  const [error, setError] = useState<string | null>(null);
  const roles = useRoles(true);
  const deployments = useDeployments();
  const change = useStaffChange();
  const scope = roles.data?.find((r) => r.name === role)?.scope ?? current?.scope;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const body = {
        ...(name.trim() ? { name } : {}),
        role,
        deploymentIds: scope === 'organisation' ? [] : deploymentIds,
      };
      await change.mutateAsync({ id: member.id, action: 'edit', body });
      onClose();
    } catch (e) {
      setError(e instanceof ApiProblem ? (MESSAGES[e.code] ?? e.message) : (e as Error).message);
    }
  };
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={`Edit ${member.email}`}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={100} />
          <Select
            label="Role"
            data={(roles.data ?? []).map((r) => r.name)}
            value={role}
            onChange={(v) => v && setRole(v)}
            allowDeselect={false}
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
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={change.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { MultiSelect, Select } from '@mantine/core';
import { useDeployments, useRoles } from './queries';

/** A role, and the deployments it acts in when it is a deployment-scoped one. */
export function RoleFields({
  role,
  onRole,
  deploymentIds,
  onDeploymentIds,
}: {
  role: string | null;
  onRole: (role: string) => void;
  deploymentIds: string[];
  onDeploymentIds: (ids: string[]) => void;
}) {
  const roles = useRoles(true);
  const deployments = useDeployments();
  const scope = roles.data?.find((r) => r.name === role)?.scope;
  return (
    <>
      <Select
        label="Role"
        data={(roles.data ?? []).map((r) => r.name)}
        value={role}
        onChange={(v) => v && onRole(v)}
        allowDeselect={false}
        required
      />
      {scope === 'deployments' && (
        <MultiSelect
          label="Deployments"
          data={(deployments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
          value={deploymentIds}
          onChange={onDeploymentIds}
        />
      )}
    </>
  );
}

/** The deployments to send for a role: none for an organisation-wide one. */
export function useScopedDeployments(role: string | null, deploymentIds: string[]): string[] | undefined {
  const roles = useRoles(true);
  const scope = roles.data?.find((r) => r.name === role)?.scope;
  return scope === 'deployments' ? deploymentIds : scope === 'organisation' ? [] : undefined;
}

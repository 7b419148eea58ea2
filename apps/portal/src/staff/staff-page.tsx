import { Badge, Button, Group, Menu, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { EditStaffDialog } from './edit-staff-dialog';
import { InviteStaffDialog } from './invite-staff-dialog';
import { type StaffMember, useDeployments, useStaff, useStaffChange } from './queries';

/** The staff directory for managers: who works here, in which role and deployments; edit, switch off and on. */
export function StaffPage({ myId }: { myId: string }) {
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<StaffMember | null>(null);
  const [inviting, setInviting] = useState(false);
  const staff = useStaff(q);
  const deployments = useDeployments();
  const change = useStaffChange();
  const names = new Map((deployments.data ?? []).map((d) => [d.id, d.name]));
  const members = staff.data?.pages.flatMap((p) => p.items) ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQ(search.trim());
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Staff
        </Title>
        <Button onClick={() => setInviting(true)}>Invite staff</Button>
      </Group>
      <form onSubmit={submit}>
        <Group align="end">
          <TextInput label="Name or email" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={320} />
          <Button type="submit" variant="default">
            Search
          </Button>
        </Group>
      </form>
      {change.error && (
        <Text c="red" role="alert">
          {change.error.message}
        </Text>
      )}
      <Table striped aria-label="Staff">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Deployments</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.map((member) => {
            const role = member.roles[0];
            const self = member.id === myId;
            return (
              <Table.Tr key={member.id}>
                <Table.Td>{member.name ?? '—'}</Table.Td>
                <Table.Td>{member.email}</Table.Td>
                <Table.Td>{role?.name}</Table.Td>
                <Table.Td>
                  {role?.scope === 'organisation'
                    ? 'All'
                    : role?.deploymentIds.map((id) => names.get(id) ?? id.slice(0, 8)).join(', ')}
                </Table.Td>
                <Table.Td>
                  <Badge color={member.status === 'active' ? 'green' : 'gray'} variant="light">
                    {member.status === 'active' ? 'Active' : 'Deactivated'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {!self && (
                    <Menu position="bottom-end">
                      <Menu.Target>
                        <Button variant="subtle" size="xs" aria-label={`Actions for ${member.email}`}>
                          ⋯
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item onClick={() => setEditing(member)}>Edit</Menu.Item>
                        {member.status === 'active' ? (
                          <Menu.Item color="red" onClick={() => change.mutate({ id: member.id, action: 'deactivate' })}>
                            Deactivate
                          </Menu.Item>
                        ) : (
                          <Menu.Item onClick={() => change.mutate({ id: member.id, action: 'reactivate' })}>
                            Reactivate
                          </Menu.Item>
                        )}
                      </Menu.Dropdown>
                    </Menu>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {staff.isLoading && <Text>Loading…</Text>}
      {!staff.isLoading && members.length === 0 && <Text>No staff match.</Text>}
      {staff.hasNextPage && (
        <Button variant="default" onClick={() => void staff.fetchNextPage()} loading={staff.isFetchingNextPage}>
          Show more
        </Button>
      )}
      {editing && <EditStaffDialog member={editing} onClose={() => setEditing(null)} />}
      <InviteStaffDialog opened={inviting} onClose={() => setInviting(false)} />
    </Stack>
  );
}

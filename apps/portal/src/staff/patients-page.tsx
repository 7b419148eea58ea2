import { Alert, Badge, Button, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useMemo, useState } from 'react';
import { formatDateTime } from '../shared/api';
import { HistoryDrawer } from './history-drawer';
import { type Invitation, type InvitationStatus, useCounts, useInvitations } from './queries';
import { RowActions } from './row-actions';

const PATIENT_TYPES = [
  { value: 'pending', label: 'Pending patient invitations' },
  { value: 'all', label: 'All patient invitations' },
];
const STATUS_CHOICES = [
  { value: 'any', label: 'Any status' },
  { value: 'pending', label: 'Pending' },
  { value: 'expired', label: 'Expired' },
  { value: 'redeemed', label: 'Redeemed' },
  { value: 'revoked', label: 'Deleted' },
];
const STATUS_COLORS: Record<InvitationStatus, string> = { pending: 'blue', expired: 'orange', redeemed: 'green', revoked: 'gray' };
const STATUS_WORDS: Record<InvitationStatus, string> = { pending: 'pending', expired: 'expired', redeemed: 'redeemed', revoked: 'deleted' };

function statusesFor(type: string, status: string): InvitationStatus[] {
  const base: InvitationStatus[] = type === 'pending' ? ['pending', 'expired'] : ['pending', 'expired', 'redeemed', 'revoked'];
  return status === 'any' ? base : base.filter((s) => s === status);
}

/** The deployment's invitations: counts per status, filters, newest first, more by cursor. */
export function PatientsPage({ deploymentId, canManage }: { deploymentId: string; canManage: boolean }) {
  const [type, setType] = useState('pending');
  const [status, setStatus] = useState('any');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [historyOf, setHistoryOf] = useState<Invitation | null>(null);
  const statuses = statusesFor(type, status);
  const counts = useCounts(deploymentId);
  const list = useInvitations(deploymentId, { statuses: statuses.length ? statuses : ['pending'], q });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQ(search.trim());
  };
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Patients
      </Title>
      <Group gap="lg" aria-label="Invitations per status" role="group">
        {(['pending', 'expired', 'redeemed', 'revoked'] as InvitationStatus[]).map((s) => (
          <Text key={s} size="sm" data-testid={`count-${s}`}>
            <strong>{counts.data?.[s] ?? '…'}</strong> {STATUS_WORDS[s]}
          </Text>
        ))}
      </Group>
      <form onSubmit={submit}>
        <Group align="end">
          <Select label="Patient type" data={PATIENT_TYPES} value={type} onChange={(v) => v && setType(v)} allowDeselect={false} />
          <Select label="Status" data={STATUS_CHOICES.filter((c) => c.value === 'any' || statusesFor(type, 'any').includes(c.value as InvitationStatus))} value={status} onChange={(v) => v && setStatus(v)} allowDeselect={false} />
          <TextInput label="Email" placeholder="Part of an address" value={search} onChange={(e) => setSearch(e.target.value)} />
          <Button type="submit">Search</Button>
        </Group>
      </form>
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover aria-label="Patient invitations" aria-busy={list.isFetching}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Email</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Issued</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Times sent</Table.Th>
              <Table.Th>Email delivery</Table.Th>
              <Table.Th>Issued by</Table.Th>
              <Table.Th>
                <span className="visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((invitation) => (
              <InvitationRow key={invitation.id} invitation={invitation} canManage={canManage} onHistory={() => setHistoryOf(invitation)} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {list.isLoading && <Loader size="sm" aria-label="Loading invitations" />}
      {!list.isLoading && rows.length === 0 && <Text c="dimmed">No invitations match.</Text>}
      {list.hasNextPage && (
        <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          Load more
        </Button>
      )}
      <HistoryDrawer invitation={historyOf} onClose={() => setHistoryOf(null)} />
    </Stack>
  );
}

function InvitationRow({ invitation, canManage, onHistory }: { invitation: Invitation; canManage: boolean; onHistory: () => void }) {
  return (
    <Table.Tr>
      <Table.Td>{invitation.email}</Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLORS[invitation.status]} variant="light">
          {STATUS_WORDS[invitation.status]}
        </Badge>
      </Table.Td>
      <Table.Td>{formatDateTime(invitation.issuedAt)}</Table.Td>
      <Table.Td>{formatDateTime(invitation.expiresAt)}</Table.Td>
      <Table.Td>{invitation.sendCount}</Table.Td>
      <Table.Td>{invitation.emailStatus}</Table.Td>
      <Table.Td>{invitation.issuedBy.slice(0, 8)}</Table.Td>
      <Table.Td>{canManage && <RowActions invitation={invitation} onHistory={onHistory} />}</Table.Td>
    </Table.Tr>
  );
}

import { Alert, Button, Group, Loader, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, memo, useCallback, useMemo, useRef, useState } from 'react';
import { formatDateTime } from '../shared/api';
import { HistoryDrawer } from './history-drawer';
import { BulkResend } from './bulk-resend';
import {
  type EmailStatus,
  type Invitation,
  type InvitationStatus,
  useCounts,
  useInvitations,
  useResend,
  useSettings,
} from './queries';
import { type ActionsTarget, RowActions } from './row-actions';

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
const EMAIL_CHOICES = [
  { value: 'any', label: 'Any email status' },
  { value: 'failed', label: 'Failed' },
  { value: 'complained', label: 'Reported as spam' },
  { value: 'sent', label: 'Sent' },
  { value: 'queued', label: 'Queued' },
];
const EMAIL_WORDS: Record<EmailStatus, string> = {
  queued: 'queued',
  sent: 'sent',
  failed: 'failed',
  complained: 'reported as spam',
};
const STATUS_WORDS: Record<InvitationStatus, string> = {
  pending: 'pending',
  expired: 'expired',
  redeemed: 'redeemed',
  revoked: 'deleted',
};

function statusesFor(type: string, status: string): InvitationStatus[] {
  const base: InvitationStatus[] =
    type === 'pending' ? ['pending', 'expired'] : ['pending', 'expired', 'redeemed', 'revoked'];
  return status === 'any' ? base : base.filter((s) => s === status);
}

interface Filter {
  type: string;
  status: string;
  email: string;
  q: string;
}

const Counts = memo(function Counts({ deploymentId }: { deploymentId: string }) {
  const counts = useCounts(deploymentId);
  return (
    <Group gap="lg" aria-label="Invitations per status" role="group">
      {(['pending', 'expired', 'redeemed', 'revoked'] as InvitationStatus[]).map((s) => (
        <Text key={s} size="sm" data-testid={`count-${s}`}>
          <strong>{counts.data?.[s] ?? '…'}</strong> {STATUS_WORDS[s]}
        </Text>
      ))}
    </Group>
  );
});

/** Its own component: the list's data arriving does not redraw the filters (their selects are the costly part). */
const Filters = memo(function Filters({ onSearch }: { onSearch: (filter: Filter) => void }) {
  const [type, setType] = useState('pending');
  const [status, setStatus] = useState('any');
  const [emailStatus, setEmailStatus] = useState('any');
  const [search, setSearch] = useState('');
  const statusChoices = useMemo(
    () =>
      STATUS_CHOICES.filter((c) => c.value === 'any' || statusesFor(type, 'any').includes(c.value as InvitationStatus)),
    [type],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch({ type, status, email: emailStatus, q: search.trim() });
  };
  return (
    <form onSubmit={submit}>
      <Group align="end">
        <Select
          label="Patient type"
          data={PATIENT_TYPES}
          value={type}
          onChange={(v) => v && setType(v)}
          allowDeselect={false}
        />
        <Select
          label="Status"
          data={statusChoices}
          value={status}
          onChange={(v) => v && setStatus(v)}
          allowDeselect={false}
        />
        <Select
          label="Email delivery"
          data={EMAIL_CHOICES}
          value={emailStatus}
          onChange={(v) => v && setEmailStatus(v)}
          allowDeselect={false}
        />
        <TextInput
          label="Email"
          placeholder="Part of an address"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <Button type="submit">Search</Button>
      </Group>
    </form>
  );
});

/** The deployment's invitations: counts per status, filters, newest first, more by cursor. */
export function PatientsPage({ deploymentId, canManage }: { deploymentId: string; canManage: boolean }) {
  const [filter, setFilter] = useState<Filter>({ type: 'pending', status: 'any', email: 'any', q: '' });
  const timeZone = useSettings(deploymentId).data?.timeZone;
  const resend = useResend(deploymentId);
  const [historyOf, setHistoryOf] = useState<Invitation | null>(null);
  const [actionsFor, setActionsFor] = useState<ActionsTarget | null>(null);
  const openActions = useCallback((target: ActionsTarget) => setActionsFor(target), []);
  const actionsRef = useRef(actionsFor);
  actionsRef.current = actionsFor;
  // Stable, so the shared menu and dialogs do not redraw when the list's data arrives.
  const closeActions = useCallback(() => {
    actionsRef.current?.anchor.focus();
    setActionsFor(null);
  }, []);
  const closeHistory = useCallback(() => setHistoryOf(null), []);
  const statuses = statusesFor(filter.type, filter.status);
  const list = useInvitations(deploymentId, {
    statuses: statuses.length ? statuses : ['pending'],
    q: filter.q,
    emailStatuses: filter.email === 'any' ? [] : [filter.email as EmailStatus],
  });
  // Stable: a row's one-click re-send of a failed email, with the window it had.
  const resendMutate = resend.mutate;
  const resendFailed = useCallback(
    (invitation: Invitation) => resendMutate({ id: invitation.id, expiresIn: invitation.expiresIn }),
    [resendMutate],
  );
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Patients
      </Title>
      <Group justify="space-between" align="end">
        <Counts deploymentId={deploymentId} />
        {canManage && <BulkResend deploymentId={deploymentId} />}
      </Group>
      <Filters onSearch={setFilter} />
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      {resend.error && <Alert color="red">{resend.error.message}</Alert>}
      <div className="list-scroll">
        <table className="list" aria-label="Patient invitations" aria-busy={list.isFetching}>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Status</th>
              <th scope="col">Issued</th>
              <th scope="col">Expires</th>
              <th scope="col">Times sent</th>
              <th scope="col">Email delivery</th>
              <th scope="col">Issued by</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((invitation) => (
              <InvitationRow
                key={invitation.id}
                invitation={invitation}
                canManage={canManage}
                timeZone={timeZone}
                onActions={openActions}
                onResend={resendFailed}
              />
            ))}
          </tbody>
        </table>
      </div>
      <RowActions target={actionsFor} onClose={closeActions} onHistory={setHistoryOf} />
      {list.isLoading && <Loader size="sm" aria-label="Loading invitations" />}
      {!list.isLoading && rows.length === 0 && <Text c="dimmed">No invitations match.</Text>}
      {list.hasNextPage && (
        <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          Load more
        </Button>
      )}
      <HistoryDrawer invitation={historyOf} timeZone={timeZone} onClose={closeHistory} />
    </Stack>
  );
}

/** Plain cells: 50 rows of components with style props cost more than the data takes to arrive. */
const InvitationRow = memo(function InvitationRow({
  invitation,
  canManage,
  timeZone,
  onActions,
  onResend,
}: {
  invitation: Invitation;
  canManage: boolean;
  timeZone: string | undefined;
  onActions: (target: ActionsTarget) => void;
  onResend: (invitation: Invitation) => void;
}) {
  const failed = invitation.emailStatus === 'failed' || invitation.emailStatus === 'complained';
  const resendable = invitation.status === 'pending' || invitation.status === 'expired';
  return (
    <tr>
      <td>{invitation.email}</td>
      <td>
        <span className={`status status-${invitation.status}`}>{STATUS_WORDS[invitation.status]}</span>
      </td>
      <td>{formatDateTime(invitation.issuedAt, undefined, timeZone)}</td>
      <td>{formatDateTime(invitation.expiresAt, undefined, timeZone)}</td>
      <td>{invitation.sendCount}</td>
      <td>
        <span className={failed ? 'email-failed' : undefined}>{EMAIL_WORDS[invitation.emailStatus]}</span>
        {invitation.emailFailure && <div className="email-failure">{invitation.emailFailure}</div>}
        {failed && canManage && resendable && (
          <button type="button" className="link-button" onClick={() => onResend(invitation)}>
            Re-send
          </button>
        )}
      </td>
      <td>{invitation.issuedByName ?? invitation.issuedBy.slice(0, 8)}</td>
      <td>
        {canManage && (
          <button
            type="button"
            className="row-menu"
            aria-label={`Actions for ${invitation.email}`}
            aria-haspopup="menu"
            onClick={(e) => onActions({ invitation, anchor: e.currentTarget })}
          >
            ⋮
          </button>
        )}
      </td>
    </tr>
  );
});

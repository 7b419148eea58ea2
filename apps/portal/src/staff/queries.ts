import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { staffRequest } from './session';

export type ExpiresIn = '24h' | '48h' | '7d' | '1y';
export type InvitationStatus = 'pending' | 'expired' | 'redeemed' | 'revoked';

export const EXPIRY_CHOICES: { value: ExpiresIn; label: string }[] = [
  { value: '24h', label: '24 hours' },
  { value: '48h', label: '48 hours' },
  { value: '7d', label: '7 days' },
  { value: '1y', label: '1 year' },
];

export interface Me {
  id: string;
  email: string;
  kind: 'staff' | 'patient';
  roles: string[];
  permissions: string[];
  deploymentIds: string[];
}

export interface Invitation {
  id: string;
  deploymentId: string;
  email: string;
  status: InvitationStatus;
  channel: 'email' | 'link';
  issuedAt: string;
  issuedBy: string;
  issuedByName?: string | null;
  expiresAt: string;
  expiresIn: ExpiresIn;
  sendCount: number;
  lastSentAt: string;
  emailStatus: EmailStatus;
  /** Why the latest email failed, in words. */
  emailFailure?: string;
}

export type EmailStatus = 'queued' | 'sent' | 'failed' | 'complained';

export type Language = 'en' | 'de' | 'fr' | 'es';

export interface DeploymentSettings {
  language: Language;
  timeZone: string;
  senderName: string | null;
  replyTo: string | null;
  defaultExpiresIn: ExpiresIn;
  remindPersonalInvitations: boolean;
  emailIntro: string | null;
  emailSignOff: string | null;
  /** Days an ended invitation keeps the patient's address; null: kept. */
  personalDataRetentionDays: number | null;
}

export interface ListFilter {
  statuses: InvitationStatus[];
  q: string;
  emailStatuses: EmailStatus[];
}

export interface ShareableLink {
  id: string;
  url: string;
  expiresAt: string;
  status: 'active' | 'expired' | 'revoked';
  signUps: number;
  redeemed: number;
}

export interface HistoryEvent {
  id: string;
  stream: string;
  type: string;
  revision: number;
  occurredAt: string;
  actor: { type: string; id: string; name?: string | null } | null;
  data: Record<string, unknown>;
}

export const useMe = () => useQuery({ queryKey: ['me'], queryFn: () => staffRequest<Me>('/api/me') });

export const useDeployments = () =>
  useQuery({
    queryKey: ['deployments'],
    queryFn: () => staffRequest<{ items: { id: string; name: string }[] }>('/api/deployments').then((r) => r.items),
  });

export function useInvitations(deploymentId: string, filter: ListFilter) {
  return useInfiniteQuery({
    queryKey: ['invitations', deploymentId, filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ status: filter.statuses.join(','), limit: '50' });
      if (filter.q) query.set('q', filter.q);
      if (filter.emailStatuses.length) query.set('emailStatus', filter.emailStatuses.join(','));
      if (pageParam) query.set('cursor', pageParam);
      return staffRequest<{ items: Invitation[]; nextCursor: string | null }>(
        `/api/deployments/${deploymentId}/invitations?${query}`,
      );
    },
    getNextPageParam: (page) => page.nextCursor,
  });
}

export const useCounts = (deploymentId: string) =>
  useQuery({
    queryKey: ['invitations', deploymentId, 'counts'],
    queryFn: () =>
      staffRequest<Record<InvitationStatus, number>>(`/api/deployments/${deploymentId}/invitations/counts`),
  });

export const useHistory = (invitationId: string | null) =>
  useQuery({
    queryKey: ['history', invitationId],
    enabled: invitationId !== null,
    queryFn: () =>
      staffRequest<{ events: HistoryEvent[] }>(`/api/invitations/${invitationId}/history`).then((r) => r.events),
  });

export const useLinks = (deploymentId: string, enabled: boolean) =>
  useQuery({
    queryKey: ['links', deploymentId],
    enabled,
    queryFn: () =>
      staffRequest<{ items: ShareableLink[] }>(`/api/deployments/${deploymentId}/invitation-links`).then(
        (r) => r.items,
      ),
  });

/** After any write: the list, its counts and the links read again (the read model follows within moments). */
export function useInvalidate(deploymentId: string) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['invitations', deploymentId] });
    void client.invalidateQueries({ queryKey: ['links', deploymentId] });
    void client.invalidateQueries({ queryKey: ['history'] });
  };
}

export function useResend(deploymentId: string) {
  const invalidate = useInvalidate(deploymentId);
  return useMutation({
    mutationFn: ({ id, expiresIn }: { id: string; expiresIn: ExpiresIn }) =>
      staffRequest<Invitation>(`/api/invitations/${id}/resend`, { method: 'POST', body: { expiresIn } }),
    onSuccess: invalidate,
  });
}

export interface BulkResendResult {
  resent: Invitation[];
  skipped: { id: string; reason: string }[];
  hasMore: boolean;
}

/** "Re-send all expired" / "re-send all failed": one request for the whole deployment. */
export function useResendMany(deploymentId: string) {
  const invalidate = useInvalidate(deploymentId);
  return useMutation({
    mutationFn: (which: 'expired' | 'failed') =>
      staffRequest<BulkResendResult>(`/api/deployments/${deploymentId}/invitations/resend`, {
        method: 'POST',
        body: { which },
      }),
    onSuccess: invalidate,
  });
}

const settingsQuery = (deploymentId: string) => ({
  queryKey: ['settings', deploymentId],
  queryFn: () => staffRequest<DeploymentSettings>(`/api/deployments/${deploymentId}/settings`),
});

export const useSettings = (deploymentId: string) => useQuery(settingsQuery(deploymentId));

/**
 * Each time a dialog opens, its expiry starts at the deployment's default. Read when it opens, not
 * watched: a closed dialog does not redraw when the settings arrive (the list is drawing then).
 */
export function useDefaultExpiry(deploymentId: string, opened: boolean, set: (value: ExpiresIn) => void) {
  const client = useQueryClient();
  useEffect(() => {
    if (!opened) return;
    let open = true;
    client.ensureQueryData(settingsQuery(deploymentId)).then(
      (settings) => open && set(settings.defaultExpiresIn),
      () => undefined, // the dialog keeps its own default
    );
    return () => {
      open = false;
    };
  }, [client, deploymentId, opened, set]);
}

export function useChangeSettings(deploymentId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: Partial<DeploymentSettings>) =>
      staffRequest<DeploymentSettings>(`/api/deployments/${deploymentId}/settings`, { method: 'PATCH', body: change }),
    onSuccess: (settings) => client.setQueryData(['settings', deploymentId], settings),
  });
}

export function useRevoke(deploymentId: string) {
  const invalidate = useInvalidate(deploymentId);
  return useMutation({
    mutationFn: (id: string) => staffRequest<void>(`/api/invitations/${id}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

export type RoleScope = 'organisation' | 'deployments';

export interface StaffMember {
  id: string;
  email: string;
  name: string | null;
  roles: { name: string; scope: RoleScope; deploymentIds: string[] }[];
  status: 'active' | 'deactivated';
}

export interface Role {
  name: string;
  permissions: string[];
  builtIn: boolean;
  scope: RoleScope;
}

export function useStaff(q: string) {
  return useInfiniteQuery({
    queryKey: ['staff', q],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ limit: '50' });
      if (q) query.set('q', q);
      if (pageParam) query.set('cursor', pageParam);
      return staffRequest<{ items: StaffMember[]; nextCursor: string | null }>(`/api/staff?${query}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

export const useRoles = (enabled: boolean) =>
  useQuery({
    queryKey: ['roles'],
    enabled,
    queryFn: () => staffRequest<{ items: Role[] }>('/api/roles').then((r) => r.items),
  });

/** A change to a member of staff, then the directory read again. */
export function useStaffChange() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, body }: { id: string; action: 'edit' | 'deactivate' | 'reactivate'; body?: unknown }) =>
      action === 'edit'
        ? staffRequest<StaffMember>(`/api/staff/${id}`, { method: 'PATCH', body })
        : staffRequest<StaffMember>(`/api/staff/${id}/${action}`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['staff'] }),
  });
}

import { Inject, Injectable } from '@nestjs/common';
import { categoryOf, EVENT_STORE, type EventStore, type RecordedEvent } from '@app/event-store';
import { PersonalDataVault } from '@app/personal-data';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import {
  type AccountKind,
  evolveDeployment,
  evolvePatient,
  evolveRole,
  evolveStaff,
  reservedAccountId,
  streams,
} from '../domain/identity-events';
import type { Principal, ServicePrincipal } from '../domain/principal';
import { evolveServiceAccount, type ServiceAccountState } from '../domain/service-account';
import { CurrentStates } from './current-states';
import { allDeploymentIds, customRoles, deploymentsOf } from '../read-model/identity-directory.query';
import { staffNames } from '../read-model/staff-directory.query';
import { BUILT_IN_ROLES, builtInRole, type Permission, type RoleDefinition, type RoleScope } from '../domain/roles';

const SERVICE_ACCOUNT_CATEGORY = categoryOf(streams.serviceAccount('x'));

/**
 * Identity look-ups. Whatever decides access (accounts, roles, deployments, who owns an address) is
 * read from the streams, so it is current the moment it is written; lists come from the read model.
 */
@Injectable()
export class IdentityDirectory {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly vault: PersonalDataVault,
  ) {
    this.current = new CurrentStates(store);
  }

  /** Accounts, roles and deployments as their streams stand now, without folding them again when unchanged. */
  private readonly current: CurrentStates;

  staff(id: string) {
    return this.fold(streams.staff(id), evolveStaff);
  }

  patient(id: string) {
    return this.fold(streams.patient(id), evolvePatient);
  }

  deployment(id: string) {
    return this.fold(streams.deployment(id), evolveDeployment);
  }

  customRole(id: string) {
    return this.fold(streams.role(id), evolveRole);
  }

  serviceAccount(id: string) {
    return this.fold(streams.serviceAccount(id), evolveServiceAccount);
  }

  /** The organisation's service accounts, revoked ones too, oldest first: read from their streams' category. */
  async serviceAccounts(organisationId: string): Promise<ServiceAccountState[]> {
    const accounts = new Map<string, ServiceAccountState | null>();
    for await (const event of this.store.readAll({ filter: { categories: [SERVICE_ACCOUNT_CATEGORY] } }))
      accounts.set(event.streamId, evolveServiceAccount(accounts.get(event.streamId) ?? null, event));
    return [...accounts.values()].filter(
      (account): account is ServiceAccountState => account?.organisationId === organisationId,
    );
  }

  /** A service account's token holder, while the account is in use; its scopes decide what it may call. */
  async servicePrincipal(id: string): Promise<ServicePrincipal | null> {
    const account = await this.serviceAccount(id);
    if (!account?.active) return null;
    return {
      kind: 'service',
      id: account.id,
      name: account.name,
      organisationId: account.organisationId,
      scopes: account.scopes,
      scope: account.deploymentIds.length ? 'deployments' : 'organisation',
      deploymentIds: account.deploymentIds,
      credentialId: account.credentialId,
    };
  }

  async accountIdByEmail(kind: AccountKind, email: string): Promise<string | null> {
    return (await this.reservationOf(kind, email)).accountId;
  }

  /**
   * Who holds an address now, the stream a reservation of it goes to, and the revision that stream is
   * at (null: nothing there yet). A patient's reservation made before keyed names still counts until
   * the keyed stream holds anything, which then decides.
   */
  async reservationOf(
    kind: AccountKind,
    email: string,
  ): Promise<{ accountId: string | null; stream: string; revision: bigint | null }> {
    const [stream, ...older] = this.reservationStreams(kind, email);
    const latest = await this.lastOf(stream);
    const decisive = latest.length ? latest : older.length ? await this.lastOf(older[0]) : [];
    return { accountId: reservedAccountId(decisive), stream, revision: latest[0]?.revision ?? null };
  }

  /** Where an address's reservation is: the stream written now first, then the one it had before, if any. */
  reservationStreams(kind: AccountKind, email: string): string[] {
    const plain = streams.emailReservation(kind, email);
    return kind === 'patient'
      ? [streams.patientEmailReservation(this.vault.nameFor(`patient:${email}`)), plain]
      : [plain];
  }

  /** The stream's latest event, if it has one. */
  private async lastOf(stream: string): Promise<RecordedEvent[]> {
    const last = [];
    for await (const event of this.store.readStream(stream, { direction: 'backwards', maxCount: 1 })) last.push(event);
    return last;
  }

  customRoleIdByName(name: string): Promise<string | null> {
    return this.reservation(streams.roleName(name));
  }

  /** Who holds a name: the latest event of its reservation stream says. */
  private async reservation(stream: string): Promise<string | null> {
    return reservedAccountId(await this.lastOf(stream));
  }

  /** A built-in role, or a custom role's current permissions (deployment-scoped, like DeploymentStaff). */
  async role(name: string, roleId?: string | null): Promise<(RoleDefinition & { id: string | null }) | null> {
    const builtIn = builtInRole(name);
    if (builtIn) return { ...builtIn, id: null };
    const id = roleId ?? (await this.customRoleIdByName(name));
    const custom = id ? await this.customRole(id) : null;
    return (
      custom && {
        name: custom.name,
        permissions: custom.permissions,
        scope: 'deployments',
        builtIn: false,
        id: custom.id,
      }
    );
  }

  /** The caller a token names, as the account stands now; null when it no longer exists or is closed. */
  async principal(kind: AccountKind | 'service', id: string): Promise<Principal | null> {
    if (kind === 'service') return this.servicePrincipal(id);
    if (kind === 'patient') {
      const patient = await this.patient(id);
      return (
        patient && {
          kind: 'patient',
          id: patient.id,
          email: patient.email,
          deploymentIds: patient.deploymentIds,
          credentialId: patient.credentialId,
        }
      );
    }
    const staff = await this.staff(id);
    // Deactivated: every token they hold is refused from the next request on, on every instance.
    if (!staff?.active) return null;
    const role = await this.role(staff.role, staff.roleId);
    return {
      kind: 'staff',
      id: staff.id,
      email: staff.email,
      organisationId: staff.organisationId,
      role: staff.role,
      permissions: role?.permissions ?? ([] as Permission[]),
      scope: staff.scope,
      deploymentIds: staff.scope === 'organisation' ? [] : staff.deploymentIds,
      credentialId: staff.credentialId,
    };
  }

  listDeployments(organisationId: string): Promise<{ id: string; name: string }[]> {
    return deploymentsOf(this.db, organisationId);
  }

  /** The deployments that keep personal data for a limited time, with their retention, settings as written now. */
  async retentionPolicies(): Promise<{ deploymentId: string; retentionDays: number }[]> {
    const policies: { deploymentId: string; retentionDays: number }[] = [];
    for (const id of await allDeploymentIds(this.db)) {
      const days = (await this.deployment(id))?.settings.personalDataRetentionDays ?? null;
      if (days !== null) policies.push({ deploymentId: id, retentionDays: days });
    }
    return policies;
  }

  /** Every role, with where it acts: built-in ones as API.md says, custom ones in their deployments. */
  async listRoles(): Promise<{ name: string; permissions: Permission[]; builtIn: boolean; scope: RoleScope }[]> {
    return [
      ...BUILT_IN_ROLES.map((r) => ({ name: r.name, permissions: [...r.permissions], builtIn: true, scope: r.scope })),
      ...(await customRoles(this.db)).map((r) => ({ ...r, builtIn: false, scope: 'deployments' as const })),
    ];
  }

  /**
   * The password hash of an account: a staff account's by its id, a patient's by the credential its account
   * event names.
   */
  /** Display names of staff for showing who did what (the directory's, a moment behind): name, else address. */
  staffNames(ids: readonly string[]): Promise<Map<string, string>> {
    return staffNames(this.db, ids);
  }

  async credentialOf(kind: AccountKind, accountId: string): Promise<string | null> {
    const key =
      kind === 'staff' ? (await this.staff(accountId))?.credentialId : (await this.patient(accountId))?.credentialId;
    return key ? this.credential(key) : null;
  }

  async credential(accountId: string): Promise<string | null> {
    const rows = await this.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM identity_credentials WHERE account_id = $1',
      [accountId],
    );
    return rows[0]?.password_hash ?? null;
  }

  /** Only the first hash for an account is kept: a retried or raced creation cannot replace it. */
  async storeCredential(accountId: string, passwordHash: string, at: Date): Promise<void> {
    await this.db.execute(
      'INSERT INTO identity_credentials (account_id, password_hash, updated_at) VALUES ($1, $2, $3) ON ' +
        'CONFLICT (account_id) DO NOTHING',
      [accountId, passwordHash, at.toISOString()],
    );
  }

  async dropCredential(accountId: string): Promise<void> {
    await this.db.execute('DELETE FROM identity_credentials WHERE account_id = $1', [accountId]);
  }

  private fold<S>(stream: string, evolve: (s: S | null, e: RecordedEvent) => S | null): Promise<S | null> {
    return this.current.fold(stream, evolve);
  }
}

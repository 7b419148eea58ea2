import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isUUID } from 'class-validator';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventStore, foldStream, handleCommand, requestContext, toNewEvents } from '@app/event-store';
import { IdentityError } from '../../domain/identity-error';
import { streams } from '../../domain/identity-events';
import { actorOf, type StaffPrincipal } from '../../domain/principal';
import type { ServiceScope } from '../../domain/roles';
import {
  createServiceAccount,
  evolveServiceAccount,
  revokeServiceAccount,
  rotateServiceAccountSecret,
  type ServiceAccountState,
} from '../../domain/service-account';
import { DeploymentAccess } from '../deployment-access';
import { IdentityDirectory } from '../identity-directory';
import { ACCESS_TOKEN_SECONDS, type AccessTokenClaims } from '../login.service';
import { newStreamAppends } from '../new-stream-appends';

export interface ServiceAccountInput {
  name: string;
  scopes: string[];
  deploymentIds?: string[];
}

/** A service account as its managers see it: never its secret. */
export interface ServiceAccountView {
  id: string;
  clientId: string;
  name: string;
  scopes: ServiceScope[];
  deploymentIds: string[];
  status: 'active' | 'revoked';
  createdAt: string;
  secretRotatedAt: string | null;
  revokedAt: string | null;
}

/** The client secret, shown once: when the account is made and when it is rotated. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** An OAuth 2.0 access token response (RFC 6749, section 5.1). */
export interface ServiceAccessToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

const SECRET_PREFIX = 'svcsec_';

/**
 * Machine clients of the organisation. A secret is 256 random bits; only its SHA-256 is stored (a
 * slow password hash adds nothing to a secret nobody chose, and each token exchange verifies one), so
 * a leaked table reveals no secret. Every token carries the id of the secret it was issued under:
 * rotating or revoking refuses the tokens issued before on their next use, on every instance.
 */
@Injectable()
export class ServiceAccounts {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: IdentityDirectory,
    private readonly access: DeploymentAccess,
    private readonly jwt: JwtService,
  ) {}

  async create(
    creator: StaffPrincipal,
    input: ServiceAccountInput,
    correlationId: string,
  ): Promise<ServiceAccountView & ClientCredentials> {
    const deploymentIds = input.deploymentIds ?? [];
    const knownDeployments = new Set<string>();
    for (const id of new Set(deploymentIds)) if (await this.access.canActIn(creator, id)) knownDeployments.add(id);
    const serviceAccountId = randomUUID();
    const credentialId = randomUUID();
    const decided = createServiceAccount(creator, {
      serviceAccountId,
      credentialId,
      name: input.name,
      scopes: input.scopes,
      deploymentIds,
      knownDeployments,
    });
    const now = this.clock.now();
    const clientSecret = await this.storeNewSecret(credentialId);
    await handleCommand(this.store, async () => ({
      appends: newStreamAppends(decided, requestContext(actorOf(creator), correlationId, now)),
      result: undefined,
    }));
    const created = await this.load(serviceAccountId);
    return { ...view(created.state!), clientSecret };
  }

  async list(manager: StaffPrincipal): Promise<ServiceAccountView[]> {
    return (await this.directory.serviceAccounts(manager.organisationId)).map(view);
  }

  async rotate(manager: StaffPrincipal, id: string, correlationId: string): Promise<ClientCredentials> {
    const credentialId = randomUUID();
    const clientSecret = await this.storeNewSecret(credentialId);
    await this.decide(manager, id, correlationId, (state) => rotateServiceAccountSecret(state, credentialId));
    return { clientId: id, clientSecret };
  }

  async revoke(manager: StaffPrincipal, id: string, correlationId: string): Promise<void> {
    await this.decide(manager, id, correlationId, revokeServiceAccount);
  }

  /**
   * The client credentials grant (RFC 6749, section 4.4): a token for an active account whose secret
   * matches, with the scopes asked for (all of the account's when none are), none beyond them.
   */
  async issueToken(clientId: string, clientSecret: string, requested?: string): Promise<ServiceAccessToken> {
    const account = isUUID(clientId) ? await this.directory.servicePrincipal(clientId) : null;
    const stored = account ? await this.directory.credential(account.credentialId!) : null;
    if (!account || !secretMatches(clientSecret, stored))
      throw new IdentityError('invalid_client', 'The client id or the client secret is wrong');
    const asked = requested?.trim() ? [...new Set(requested.trim().split(/\s+/))] : [...account.scopes];
    if (asked.some((scope) => !account.scopes.includes(scope as ServiceScope)))
      throw new IdentityError('invalid_scopes', `This client may ask for: ${account.scopes.join(' ')}`, 'scope');
    const claims: AccessTokenClaims & { scope: string } = {
      sub: account.id,
      kind: 'service',
      cred: account.credentialId!,
      scope: asked.join(' '),
    };
    return {
      access_token: this.jwt.sign(claims, { expiresIn: ACCESS_TOKEN_SECONDS }),
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      scope: claims.scope,
    };
  }

  private async decide(
    manager: StaffPrincipal,
    id: string,
    correlationId: string,
    decision: (state: ServiceAccountState | null) => ReturnType<typeof revokeServiceAccount>,
  ): Promise<void> {
    await handleCommand(this.store, async () => {
      const { state, revision } = await this.load(id);
      const mine = state?.organisationId === manager.organisationId ? state : null;
      const events = decision(mine);
      const context = requestContext(actorOf(manager), correlationId, this.clock.now());
      return {
        appends: [
          { stream: streams.serviceAccount(id), expectedRevision: revision!, events: toNewEvents(events, context) },
        ],
        result: undefined,
      };
    });
  }

  private async storeNewSecret(credentialId: string): Promise<string> {
    const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
    await this.directory.storeCredential(credentialId, digest(secret), this.clock.now());
    return secret;
  }

  private load(id: string) {
    return foldStream<ServiceAccountState | null>(this.store, streams.serviceAccount(id), null, evolveServiceAccount);
  }
}

function view(account: ServiceAccountState): ServiceAccountView {
  return {
    id: account.id,
    clientId: account.id,
    name: account.name,
    scopes: account.scopes,
    deploymentIds: account.deploymentIds,
    status: account.active ? 'active' : 'revoked',
    createdAt: account.createdAt,
    secretRotatedAt: account.secretRotatedAt,
    revokedAt: account.revokedAt,
  };
}

function digest(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex')}`;
}

function secretMatches(secret: string, stored: string | null): boolean {
  const given = Buffer.from(digest(secret));
  const expected = Buffer.from(stored ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

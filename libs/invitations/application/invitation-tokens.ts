import { Inject, Injectable } from '@nestjs/common';
import { effectiveStatus, type Invitation } from '../domain/invitation';
import { InvitationError } from '../domain/invitation-error';
import type { InvitationLink } from '../domain/invitation-link';
import { parseToken, signToken, type TokenKey, tokenMatches } from '@app/link-tokens';
import { InvitationRepository, type Loaded } from './invitation-repository';

export interface TokenSettings {
  keys: TokenKey[];
  appBaseUrl: string;
}
export const TOKEN_SETTINGS = Symbol('TokenSettings');

/** Builds links from events (for the mail sender) and resolves tokens back to aggregates. */
@Injectable()
export class InvitationTokens {
  private readonly keys: Map<string, TokenKey>;

  constructor(
    @Inject(TOKEN_SETTINGS) private readonly settings: TokenSettings,
    private readonly repository: InvitationRepository,
  ) {
    this.keys = new Map(settings.keys.map((k) => [k.id, k]));
  }

  personalUrl(invitationId: string, nonce: string): string {
    return `${this.settings.appBaseUrl}/invite/${signToken('invitation', this.settings.keys[0], invitationId, nonce)}`;
  }

  shareableUrl(linkId: string, nonce: string): string {
    return `${this.settings.appBaseUrl}/join/${signToken('invitation-link', this.settings.keys[0], linkId, nonce)}`;
  }

  /**
   * Whether a personal link built on this nonce still works (the mail sender skips dead ones). The
   * address is not needed for that, so it stays sealed.
   */
  async isLive(invitationId: string, nonce: string, now: Date): Promise<boolean> {
    const loaded = await this.repository.invitation(invitationId, { sealed: true });
    return loaded !== null && loaded.state.nonce === nonce && effectiveStatus(loaded.state, now) === 'pending';
  }

  /** A token's invitation, and whether it matched the current link or one a resend replaced. */
  async invitation(raw: string): Promise<Loaded<Invitation> & { matched: 'current' | 'previous' }> {
    const token = parseToken(raw);
    const key = token && this.keys.get(token.keyId);
    const loaded = token && key ? await this.repository.invitation(token.subjectId) : null;
    if (!token || !key || !loaded) throw invalidToken();
    if (tokenMatches('invitation', key, token, loaded.state.nonce)) return { ...loaded, matched: 'current' };
    if (loaded.state.previousNonces.some((n) => tokenMatches('invitation', key, token, n)))
      return { ...loaded, matched: 'previous' };
    throw invalidToken();
  }

  async link(raw: string): Promise<Loaded<InvitationLink>> {
    const token = parseToken(raw);
    const key = token && this.keys.get(token.keyId);
    const loaded = token && key ? await this.repository.link(token.subjectId) : null;
    if (!token || !key || !loaded || !tokenMatches('invitation-link', key, token, loaded.state.nonce))
      throw invalidToken();
    return loaded;
  }
}

function invalidToken(): InvitationError {
  return new InvitationError('invalid_token', 'This link is not valid');
}

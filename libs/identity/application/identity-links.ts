import { Inject, Injectable } from '@nestjs/common';
import { type ParsedToken, parseToken, signToken, type TokenKey, type TokenPurpose } from '@app/link-tokens';

export interface IdentityLinkSettings {
  keys: TokenKey[];
  appBaseUrl: string;
}
export const IDENTITY_LINK_SETTINGS = Symbol('IdentityLinkSettings');

/** The links identity emails (staff invitations, password resets): signed like invitation links, never stored. */
@Injectable()
export class IdentityLinks {
  private readonly keys: Map<string, TokenKey>;

  constructor(@Inject(IDENTITY_LINK_SETTINGS) private readonly settings: IdentityLinkSettings) {
    this.keys = new Map(settings.keys.map((k) => [k.id, k]));
  }

  /** `<base>/<page>/<token>`, signed with the newest key. */
  url(page: string, purpose: TokenPurpose, subjectId: string, nonce: string): string {
    return `${this.settings.appBaseUrl}/${page}/${signToken(purpose, this.settings.keys[0], subjectId, nonce)}`;
  }

  /** A well-formed token under a key we hold, or null. */
  read(raw: string): { token: ParsedToken; key: TokenKey } | null {
    const token = parseToken(raw);
    const key = token && this.keys.get(token.keyId);
    return token && key ? { token, key } : null;
  }
}

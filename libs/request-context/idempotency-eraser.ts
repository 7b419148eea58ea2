import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type AddressEraser, PersonalDataErasers } from '@app/personal-data';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';

/** Answers kept for a retry (24 hours at most) that name an erased person are forgotten. */
@Injectable()
export class IdempotencyEraser implements AddressEraser, OnModuleInit {
  readonly name = 'idempotency';

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly erasers: PersonalDataErasers,
  ) {}

  onModuleInit(): void {
    this.erasers.register(this);
  }

  async eraseAddress(address: string): Promise<void> {
    // Answers are JSON: the address appears as it was answered, lower-cased like every stored address.
    await this.db.execute(`DELETE FROM idempotency_keys WHERE body LIKE $1`, [`%${likeEscaped(address)}%`]);
  }
}

function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

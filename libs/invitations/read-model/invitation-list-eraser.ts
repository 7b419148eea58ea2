import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type AddressEraser, ERASED, PersonalDataErasers } from '@app/personal-data';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';

/** An erased person's address leaves the invitation list and every past version of it. */
@Injectable()
export class InvitationListEraser implements AddressEraser, OnModuleInit {
  readonly name = 'invitation lists';

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly erasers: PersonalDataErasers,
  ) {}

  onModuleInit(): void {
    this.erasers.register(this);
  }

  async eraseAddress(address: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.execute('UPDATE invitation_list SET email = $2 WHERE email = $1', [address, ERASED]);
      await tx.execute('UPDATE invitation_list_versions SET email = $2 WHERE email = $1', [address, ERASED]);
    });
  }
}

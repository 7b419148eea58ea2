import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type AddressEraser, ERASED, PersonalDataErasers } from '@app/personal-data';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';

/**
 * An erased person's address leaves the mail tables: what was waiting for them is never sent (the row
 * stays, as the mark that its event was handled), the development outbox forgets them.
 */
@Injectable()
export class MailAddressEraser implements AddressEraser, OnModuleInit {
  readonly name = 'mail';

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly erasers: PersonalDataErasers,
  ) {}

  onModuleInit(): void {
    this.erasers.register(this);
  }

  async eraseAddress(address: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.execute('DELETE FROM mail_recipients WHERE email = $1', [address]);
      await tx.execute(
        `UPDATE mail_queue SET recipient = $2, last_error = NULL,
           status = CASE WHEN status = 'sent' THEN status ELSE 'erased' END
         WHERE recipient = $1`,
        [address, ERASED],
      );
      await tx.execute('DELETE FROM outbox_messages WHERE recipient = $1', [address]);
    });
  }
}

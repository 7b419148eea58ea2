import { Inject, Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { SQL_DATABASE, type SqlDatabase, type SqlExecutor } from '@app/sql';
import { PersonalDataErasers } from './personal-data-erasers';

/**
 * A provider that, when its module starts, registers how its context removes an erased person's
 * address from its tables: `erase` runs in one transaction. Every context's eraser is made the same way.
 */
export function addressEraser(
  name: string,
  erase: (tx: SqlExecutor, address: string) => Promise<void>,
): Type<OnModuleInit> {
  @Injectable()
  class SqlAddressEraser implements OnModuleInit {
    readonly name = name;

    constructor(
      @Inject(SQL_DATABASE) readonly db: SqlDatabase,
      readonly erasers: PersonalDataErasers,
    ) {}

    onModuleInit(): void {
      this.erasers.register({ name, eraseAddress: (address) => this.db.transaction((tx) => erase(tx, address)) });
    }
  }
  Object.defineProperty(SqlAddressEraser, 'name', { value: `${name.replace(/\W/g, '')}AddressEraser` });
  return SqlAddressEraser;
}

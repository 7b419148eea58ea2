import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import type { StaffPrincipal } from '../../domain/principal';
import { listStaff } from '../../read-model/staff-directory.query';
import type { StaffView } from './staff-view';

export interface StaffPage {
  items: StaffView[];
  nextCursor: string | null;
}

export class ListStaff extends Query<StaffPage> {
  constructor(
    readonly manager: StaffPrincipal,
    readonly filter: { q?: string; limit: number; cursor?: string },
  ) {
    super();
  }
}

/** The staff directory a manager may see, from the read model (a moment behind the streams). */
@QueryHandler(ListStaff)
export class ListStaffHandler implements IQueryHandler<ListStaff> {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async execute({ manager, filter }: ListStaff): Promise<StaffPage> {
    const within = manager.scope === 'organisation' ? null : manager.deploymentIds;
    const { rows, next } = await listStaff(this.db, { ...filter, within });
    return {
      items: rows.map((row) => ({
        id: row.id,
        email: row.email,
        name: row.name,
        roles: [{ name: row.role, scope: row.scope, deploymentIds: row.deployment_ids }],
        status: row.status,
      })),
      nextCursor: next,
    };
  }
}

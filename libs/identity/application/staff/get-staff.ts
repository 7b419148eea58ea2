import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { StaffPrincipal } from '../../domain/principal';
import { StaffAccess } from './staff-access';
import { staffView, type StaffView } from './staff-view';

export class GetStaff extends Query<StaffView> {
  constructor(
    readonly manager: StaffPrincipal,
    readonly staffId: string,
  ) {
    super();
  }
}

/** One member, read from their stream: current the moment a change is written. */
@QueryHandler(GetStaff)
export class GetStaffHandler implements IQueryHandler<GetStaff> {
  constructor(private readonly staff: StaffAccess) {}

  async execute({ manager, staffId }: GetStaff): Promise<StaffView> {
    return staffView((await this.staff.load(manager, staffId)).state);
  }
}

import { Injectable } from '@nestjs/common';
import { IdentityDirectory } from '@app/identity';

/** Who did what, by name: staff names from the identity context's directory, next to their ids. */
@Injectable()
export class ActorNames {
  constructor(private readonly directory: IdentityDirectory) {}

  /** A name for each staff id among these (unknown ids, patients and the system have none). */
  of(ids: readonly string[]): Promise<Map<string, string>> {
    return this.directory.staffNames(ids);
  }

  /** Each view with `issuedByName` beside `issuedBy`. */
  async onViews<V extends { issuedBy: string }>(views: V[]): Promise<(V & { issuedByName: string | null })[]> {
    const names = await this.of(views.map((v) => v.issuedBy));
    return views.map((view) => ({ ...view, issuedByName: names.get(view.issuedBy) ?? null }));
  }
}

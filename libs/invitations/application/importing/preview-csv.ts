import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EMAIL_PROBLEM_TEXT, EmailAddress } from '@app/email-address';
import { CLOCK, type Clock } from '@app/clock';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { PATIENT_ACCOUNTS, type PatientAccounts } from '@app/identity';
import { InvitationError } from '../../domain/invitation-error';
import { pendingAmong } from '../../read-model/invitation-list.query';
import { type CsvLimits, readCsv } from './csv-reader';

export type LineStatus = 'ready' | 'invalid' | 'duplicate' | 'already_pending' | 'already_registered';

export interface PreviewLine {
  line: number;
  value: string;
  status: LineStatus;
  reason?: string;
}

export interface CsvPreview {
  /** The ready addresses, normalised, in file order. */
  emails: string[];
  invalid: { line: number; value: string; reason?: string }[];
  duplicates: { line: number; value: string }[];
  total: number;
  header: { line: number; value: string } | null;
  lines: PreviewLine[];
}

export class PreviewCsv extends Query<CsvPreview> {
  constructor(
    readonly deploymentId: string,
    readonly source: AsyncIterable<Buffer | string>,
    readonly limits: CsvLimits,
  ) {
    super();
  }
}

/** Shown back as typed, but bounded: one hostile cell does not make a huge answer. */
const shown = (value: string) => (value.length > 320 ? `${value.slice(0, 320)}…` : value);

/**
 * The import is a preview: every line of the file classified, nothing sent. Addresses come from the
 * first column; the first non-blank row is a header when its first cell is not an address.
 */
@QueryHandler(PreviewCsv)
export class PreviewCsvHandler implements IQueryHandler<PreviewCsv> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PATIENT_ACCOUNTS) private readonly patients: PatientAccounts,
  ) {}

  async execute({ deploymentId, source, limits }: PreviewCsv): Promise<CsvPreview> {
    const { lines, header, emails } = await classifyLines(source, limits);
    const { enrolled, elsewhere } = await this.patients.enrolmentAmong(deploymentId, emails);
    const pending = await pendingAmong(this.db, deploymentId, emails, this.clock.now());
    for (const l of lines) {
      if (l.status !== 'ready') continue;
      if (enrolled.has(l.value))
        Object.assign(l, { status: 'already_registered', reason: 'a patient with this address is in this deployment' });
      else if (elsewhere.has(l.value))
        l.reason = 'has a patient account from another deployment: accepting adds this one to it';
      else if (pending.has(l.value))
        Object.assign(l, { status: 'already_pending', reason: 'a pending invitation for this address exists' });
    }
    return {
      emails,
      invalid: lines.filter((l) => l.status === 'invalid').map(({ line, value, reason }) => ({ line, value, reason })),
      duplicates: lines.filter((l) => l.status === 'duplicate').map(({ line, value }) => ({ line, value })),
      total: lines.length,
      header,
      lines,
    };
  }
}

/**
 * Each line of the file as an address: ready, invalid or a repeat; a first line that is not an address is the
 * header.
 */
async function classifyLines(
  source: AsyncIterable<Buffer | string>,
  limits: CsvLimits,
): Promise<{ lines: PreviewLine[]; header: CsvPreview['header']; emails: string[] }> {
  const lines: PreviewLine[] = [];
  const firstLineOf = new Map<string, number>();
  let header: CsvPreview['header'] = null;
  let seenData = false;
  let records = 0;
  for await (const { line, cells } of readCsv(source, limits)) {
    // Blank lines count too (a header does not): a file of newlines costs no more than a file of addresses.
    if (++records - (header ? 1 : 0) > limits.maxRows)
      throw new InvitationError('too_many_rows', `A file holds at most ${limits.maxRows} rows, blank lines included`);
    if (cells.every((c) => c.trim() === '')) continue;
    const value = (cells[0] ?? '').trim();
    const checked = EmailAddress.check(value);
    if (!seenData && !header && typeof checked === 'string') {
      header = { line, value: shown(value) };
      continue;
    }
    seenData = true;
    if (typeof checked === 'string')
      lines.push({ line, value: shown(value), status: 'invalid', reason: EMAIL_PROBLEM_TEXT[checked] });
    else if (firstLineOf.has(checked.value))
      lines.push({
        line,
        value: shown(value),
        status: 'duplicate',
        reason: `repeats line ${firstLineOf.get(checked.value)}`,
      });
    else {
      firstLineOf.set(checked.value, line);
      lines.push({ line, value: checked.value, status: 'ready' });
    }
  }
  return { lines, header, emails: [...firstLineOf.keys()] };
}

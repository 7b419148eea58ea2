import {
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable, of } from 'rxjs';
import { CLOCK, type Clock } from '@app/clock';
import { type Migration, SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { ProblemException } from '@app/problem-details';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY = /^[\x21-\x7e]{1,255}$/;
/** How long an answer is kept for a retry with the same key. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const EXEMPT = 'idempotency:exempt';
const REPLAY_WITHOUT = 'idempotency:replay-without';

/**
 * The key is accepted and ignored: for requests that change nothing (a CSV preview, whose body is a
 * stream the key could not cover) or whose answer is a secret that must never be stored (a login).
 */
export const IdempotencyExempt = () =>
  applyDecorators(SetMetadata(EXEMPT, true), ApiExtension('x-idempotency-key', 'ignored'));

/** The first answer is stored and replayed without these fields (secrets such as an access token). */
export const ReplayWithout = (...fields: string[]) => SetMetadata(REPLAY_WITHOUT, fields);

export const idempotencyMigrations: Migration[] = [
  {
    version: 1,
    name: 'idempotency keys',
    sqlite: [
      `CREATE TABLE idempotency_keys (caller TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
        status INTEGER,
        body TEXT, created_at TEXT NOT NULL, PRIMARY KEY (caller, key))`,
    ],
    postgres: [
      `CREATE TABLE idempotency_keys (caller TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
        status INTEGER,
        body TEXT, created_at TEXT NOT NULL, PRIMARY KEY (caller, key))`,
    ],
  },
];

interface KeyRow {
  request_hash: string;
  status: number | null;
  body: string | null;
  created_at: string;
}

/**
 * `Idempotency-Key` on write endpoints, scoped to the caller: the same key and body within 24 h
 * answer the first response again and do nothing; the same key with another body is refused (422);
 * a key whose first request is still running is refused (409). Failed requests free their key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request & { user?: { kind: string; id: string } }>();
    // Read from the raw headers (Node joins a repeated one), not Express's helper: the same on any platform.
    const key = request.headers['idempotency-key'] as string | undefined;
    if (key === undefined || !WRITE_METHODS.has(request.method)) return next.handle();
    if (this.reflector.get<boolean | undefined>(EXEMPT, context.getHandler())) return next.handle();
    const secretFields = this.reflector.get<string[] | undefined>(REPLAY_WITHOUT, context.getHandler()) ?? [];
    if (!KEY.test(key))
      throw new ProblemException(
        400,
        'invalid_idempotency_key',
        'Idempotency-Key is 1 to 255 visible ASCII characters',
      );
    const caller = request.user ? `${request.user.kind}:${request.user.id}` : `ip:${request.ip}`;
    const hash = createHash('sha256')
      .update(canonical([request.method, request.originalUrl, request.body ?? null]))
      .digest('hex');
    const now = this.clock.now();
    const previous = await this.claim(caller, key, hash, now);
    const response = context.switchToHttp().getResponse<Response>();
    if (previous) {
      if (previous.request_hash !== hash)
        throw new ProblemException(422, 'idempotency_key_reused', 'This Idempotency-Key was used with another request');
      if (previous.status === null)
        throw new ProblemException(
          409,
          'idempotency_key_in_use',
          'The first request with this Idempotency-Key is still running',
        );
      response.status(previous.status);
      return of(previous.body === null ? undefined : JSON.parse(previous.body));
    }
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    return next.handle().pipe(
      mergeMap((body) =>
        from(this.complete(caller, key, status, withoutFields(body, secretFields))).pipe(mergeMap(() => of(body))),
      ),
      catchError((error) => from(this.release(caller, key)).pipe(mergeMap(() => Promise.reject(error)))),
    );
  }

  /** Takes the key, or returns what holds it. An entry older than 24 h is forgotten first. */
  private async claim(caller: string, key: string, hash: string, now: Date): Promise<KeyRow | null> {
    return this.db.transaction(async (tx) => {
      await tx.execute('DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND created_at < $3', [
        caller,
        key,
        new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString(),
      ]);
      const taken = await tx.execute(
        'INSERT INTO idempotency_keys (caller, key, request_hash, created_at) VALUES ($1, $2, $3, $4) ON ' +
          'CONFLICT (caller, key) DO NOTHING',
        [caller, key, hash, now.toISOString()],
      );
      if (taken === 1) return null;
      return (
        await tx.query<KeyRow>(
          'SELECT request_hash, status, body, created_at FROM idempotency_keys WHERE caller = $1 AND key = $2',
          [caller, key],
        )
      )[0];
    });
  }

  private async complete(caller: string, key: string, status: number, body: unknown): Promise<void> {
    await this.db.execute('UPDATE idempotency_keys SET status = $3, body = $4 WHERE caller = $1 AND key = $2', [
      caller,
      key,
      status,
      body === undefined ? null : JSON.stringify(body),
    ]);
  }

  private async release(caller: string, key: string): Promise<void> {
    await this.db.execute('DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND status IS NULL', [
      caller,
      key,
    ]);
  }
}

function withoutFields(body: unknown, fields: readonly string[]): unknown {
  if (!fields.length || !body || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([name]) => !fields.includes(name)));
}

/** JSON with object keys sorted, so the same body in another key order is the same request. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { type ProblemDetails, ProblemException, problemType } from './problem';

/** Codes for Nest's own HTTP exceptions, by status, when no layer of ours chose one. */
const CODES_BY_STATUS: Record<number, string> = {
  // Every 400 of ours is a ProblemException; one from Nest itself means the body could not be parsed.
  400: 'malformed_body',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'rate_limited',
};

/** The one place errors become RFC 9457 problem details; nothing else reaches a client. */
/** Turns a context's own typed errors into problems; each context exports one. */
export type ProblemMapper = (error: unknown) => ProblemException | undefined;

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');

  constructor(private readonly mappers: readonly ProblemMapper[] = []) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    const exception =
      this.mappers.reduce<ProblemException | undefined>((found, map) => found ?? map(thrown), undefined) ?? thrown;
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const problem = this.toProblem(exception);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, method: request.method }, 'Request failed');
    }
    if (exception instanceof ProblemException) {
      for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    }
    if (response.headersSent) return;
    // The rest of an oversized body is not read: close instead of draining it.
    if (problem.status === 413) response.setHeader('Connection', 'close');
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof ProblemException) {
      return {
        ...problem(exception.getStatus(), exception.code, exception.message, exception.errors),
        ...exception.extensions,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      // Nest's own 404 names the URL, which can hold a token; say nothing of it.
      const detail =
        status === 404
          ? 'There is nothing at this path'
          : typeof body === 'string'
            ? body
            : (messageOf(body) ?? exception.message);
      return problem(status, CODES_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'), detail);
    }
    if (isClientHttpError(exception)) {
      if (exception.type === 'entity.too.large')
        return problem(413, 'payload_too_large', 'The request body is larger than this endpoint accepts');
      if (exception.type === 'charset.unsupported') return problem(415, 'unsupported_charset', 'Send JSON as UTF-8');
      if (exception.type === 'encoding.unsupported')
        return problem(415, 'unsupported_content_encoding', 'Send request bodies uncompressed');
      if (exception.status === 400 || exception.type?.startsWith('entity.') || exception.type?.startsWith('request.')) {
        return problem(400, 'malformed_body', 'The request body could not be read as the declared content type');
      }
      return problem(
        exception.status,
        CODES_BY_STATUS[exception.status] ?? 'bad_request',
        'The request could not be read',
      );
    }
    return problem(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'internal_error',
      'Something went wrong on our side; it has been logged',
    );
  }
}

export function problem(
  status: number,
  code: string,
  detail: string,
  errors?: ProblemDetails['errors'],
): ProblemDetails {
  return {
    type: problemType(code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

function messageOf(body: object): string | undefined {
  const message = (body as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return undefined;
}

/** Errors the HTTP plumbing (body-parser, raw-body) raises for a bad request: http-errors with a 4xx status. */
function isClientHttpError(error: unknown): error is { type?: string; status: number } {
  const e = error as { type?: unknown; status?: unknown } | null;
  return (
    typeof e?.status === 'number' &&
    e.status >= 400 &&
    e.status < 500 &&
    (e.type === undefined || typeof e.type === 'string')
  );
}

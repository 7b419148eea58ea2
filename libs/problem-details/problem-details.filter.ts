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
    const exception = this.mappers.reduce<ProblemException | undefined>((found, map) => found ?? map(thrown), undefined) ?? thrown;
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
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof ProblemException) {
      return problem(exception.getStatus(), exception.code, exception.message, exception.errors);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      // Nest's own 404 names the URL, which can hold a token; say nothing of it.
      const detail =
        status === 404 ? 'There is nothing at this path' : typeof body === 'string' ? body : messageOf(body) ?? exception.message;
      return problem(status, CODES_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'), detail);
    }
    if (isBodyParserError(exception)) {
      return exception.type === 'entity.too.large'
        ? problem(413, 'payload_too_large', 'The request body is larger than this endpoint accepts')
        : problem(400, 'malformed_body', 'The request body could not be read as the declared content type');
    }
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error', 'Something went wrong on our side; it has been logged');
  }
}

export function problem(status: number, code: string, detail: string, errors?: ProblemDetails['errors']): ProblemDetails {
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

function isBodyParserError(error: unknown): error is { type: string; status: number } {
  const e = error as { type?: unknown; status?: unknown } | null;
  return typeof e?.type === 'string' && typeof e.status === 'number' && e.type.startsWith('entity.');
}

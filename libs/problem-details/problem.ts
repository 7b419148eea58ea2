import { HttpException } from '@nestjs/common';

/** One entry of a validation problem's `errors`. */
export interface ProblemFieldError {
  field?: string;
  index?: number;
  line?: number;
  value?: unknown;
  reason: string;
}

/** An RFC 9457 problem: every error the API answers with is one of these, with a stable `code`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

/** Thrown by HTTP layers to answer with a problem; the global filter renders it. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    detail: string,
    readonly errors?: ProblemFieldError[],
    readonly headers: Record<string, string> = {},
    /** Members a protocol needs beside ours (OAuth's `error`), as RFC 9457 extension members. */
    readonly extensions: Record<string, string> = {},
  ) {
    super(detail, status);
  }
}

export function problemType(code: string): string {
  return `https://docs.patient-invitations.example/problems/${code.replace(/_/g, '-')}`;
}

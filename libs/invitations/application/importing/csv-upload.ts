import busboy from 'busboy';
import type { Request } from 'express';
import { PassThrough, type Readable } from 'node:stream';
import { ProblemException } from '@app/problem-details';
import { InvitationError } from '../../domain/invitation-error';

const CSV_TYPES = [
  'text/csv',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'text/tab-separated-values',
];

/**
 * The uploaded file as a stream: a `text/csv` body, or the `file` field of a multipart form. A declared
 * Content-Length over the limit never gets here (the app refuses it before reading the body); what
 * streams in is counted against `maxBytes` as it is read.
 */
export async function csvUpload(req: Request, maxBytes: number): Promise<Readable> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (CSV_TYPES.includes(type)) return req;
  if (type === 'multipart/form-data') return multipartFile(req, maxBytes);
  throw new ProblemException(
    415,
    'unsupported_media_type',
    'Send the file as text/csv, or as the "file" field of multipart/form-data',
  );
}

function multipartFile(req: Request, maxBytes: number): Promise<Readable> {
  return new Promise((resolve, reject) => {
    let parser;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes + 1, fields: 20, parts: 40 } });
    } catch {
      reject(
        new InvitationError('invalid_csv', 'The multipart form is malformed', [
          { reason: 'malformed multipart/form-data' },
        ]),
      );
      return;
    }
    let file: PassThrough | null = null;
    const malformed = () =>
      new InvitationError('invalid_csv', 'The multipart form is malformed or cut short', [
        { reason: 'malformed multipart/form-data' },
      ]);
    parser.on('file', (name, stream) => {
      if (name !== 'file' || file) return stream.resume();
      // The reader sees the file through this, so a form cut short reaches it as the same clear error.
      const out = (file = new PassThrough());
      out.on('error', () => undefined); // the reader gets it through its iterator; nobody reading is no crash
      stream.on('error', () => out.destroy(malformed()));
      stream.pipe(out);
      resolve(out);
    });
    parser.on('close', () => {
      if (!file)
        reject(new InvitationError('invalid_csv', 'The form has no "file" field', [{ reason: 'no "file" field' }]));
    });
    parser.on('error', () => {
      if (file) (file as PassThrough).destroy(malformed());
      else reject(malformed());
    });
    req.pipe(parser);
  });
}

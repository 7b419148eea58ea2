import type { NextFunction, Request, Response } from 'express';
import type { ForegroundWork } from '@app/event-processing';

/**
 * Every request is foreground work from its arrival until its answer is written or its connection
 * closes: background batches give way to it (see ForegroundWork).
 */
export function foregroundRequests(work: ForegroundWork) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const end = work.begin();
    res.once('finish', end);
    res.once('close', end);
    next();
  };
}

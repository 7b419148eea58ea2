import type { NextFunction, Request, Response } from 'express';
import type { ForegroundWork } from '@app/event-processing';

/**
 * Every request is foreground work from its arrival until its answer is written or its connection
 * closes: background batches give way to it (see ForegroundWork). Not a live event stream: it stays
 * open for hours, and the background would be held back all that time.
 */
export function foregroundRequests(work: ForegroundWork, longLived: (req: Request) => boolean = () => false) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (longLived(req)) return next();
    const end = work.begin();
    res.once('finish', end);
    res.once('close', end);
    next();
  };
}

/** Time, as a port: the domain never reads the system clock; tests move a controllable one. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** Starts at the system time (or a given instant) and moves only when told. */
export class ControllableClock implements Clock {
  private current: number;

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(seconds: number): Date {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('The clock only moves forward');
    this.current += seconds * 1000;
    return this.now();
  }

  set(instant: Date): void {
    if (instant.getTime() < this.current) throw new RangeError('The clock only moves forward');
    this.current = instant.getTime();
  }
}

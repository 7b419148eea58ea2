/**
 * What a context does when a person is erased: removes their address from what it keeps outside the
 * log (read models, queues, caches of answers). The log itself needs nothing: deleting the person's
 * keys makes it unreadable.
 */
export interface AddressEraser {
  readonly name: string;
  eraseAddress(address: string): Promise<void>;
}

/** Every context's eraser, registered as the contexts start; erasure runs them all. */
export class PersonalDataErasers {
  private readonly erasers: AddressEraser[] = [];

  register(eraser: AddressEraser): void {
    this.erasers.push(eraser);
  }

  all(): readonly AddressEraser[] {
    return this.erasers;
  }
}

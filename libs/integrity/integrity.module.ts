import { type DynamicModule, Module } from '@nestjs/common';
import { readModelSetup } from '@app/event-processing';
import { AnchorController } from './anchor.controller';
import { AnchorSigner } from './chain-anchor';
import { eventChainMigrations } from './event-chain-schema';
import { EventChainKeeper } from './event-chain-keeper';

export interface IntegrityOptions {
  /** AUDIT_SIGNING_KEY: the secret the anchors' Ed25519 key is derived from. */
  signingSecret: string;
}

/** The hash chain over the log, kept by a processor in SQL for every store, and its signed anchors. */
@Module({})
export class IntegrityModule {
  static forRoot(options: IntegrityOptions): DynamicModule {
    return {
      module: IntegrityModule,
      controllers: [AnchorController],
      providers: [
        { provide: AnchorSigner, useValue: new AnchorSigner(options.signingSecret) },
        readModelSetup('integrity', eventChainMigrations, () => [new EventChainKeeper()]),
      ],
      exports: [AnchorSigner],
    };
  }
}

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomBytes, randomUUID } from 'node:crypto';
import { EmailAddress } from '@app/email-address';
import { SYSTEM_ACTOR } from '@app/event-store';
import { IdentityDirectory, Passwords } from '@app/identity';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/app-config';
import { withServiceSecrets } from './secrets/service-secrets';

const USAGE = 'Usage: npm run admin -- reset-password EMAIL';

/**
 * npm run admin -- reset-password EMAIL: for the operator who lost the first Admin's password (or
 * any staff member's): sets a new random password, ends every session of the account, and prints
 * the password once. Recorded as PasswordChanged (operator_reset) by the system.
 */
async function main(args: string[]): Promise<void> {
  const [command, email] = args;
  const address = email ? EmailAddress.check(email) : 'missing';
  if (command !== 'reset-password' || typeof address === 'string') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const config = { ...loadConfig(process.env), logLevel: process.env.LOG_LEVEL ?? 'warn' };
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(await withServiceSecrets(config), { replay: true }),
    { logger: ['error', 'warn'] },
  );
  try {
    const staffId = await app.get(IdentityDirectory).accountIdByEmail('staff', address.value);
    if (!staffId) {
      process.stderr.write(`No staff account has the address ${address.value}\n`);
      process.exitCode = 1;
      return;
    }
    const password = randomBytes(18).toString('base64url');
    await app.get(Passwords).set({
      kind: 'staff',
      accountId: staffId,
      password,
      reason: 'operator_reset',
      actor: SYSTEM_ACTOR,
      correlationId: randomUUID(),
    });
    process.stdout.write(
      `New password for ${address.value}: ${password}\n` +
        'It is shown once; sign in with it and change it (Profile → Change password).\n',
    );
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `Admin command failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

import { Alert, Anchor, Button, Card, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ApiProblem, request } from '../shared/api';
import { session } from './session';

/** Sign in; the page that was open stays in the address bar, so staff land back on it. */
export function SignInPage({ expired }: { expired: boolean }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { accessToken } = await request<{ accessToken: string }>('/api/auth/login', {
        method: 'POST',
        body: { email, password },
      });
      session.start(accessToken);
    } catch (e) {
      setError(
        e instanceof ApiProblem && e.code === 'invalid_credentials'
          ? 'The email address or the password is wrong.'
          : (e as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <Card withBorder shadow="sm" padding="xl" maw={420} mx="auto" mt="10vh">
        <form onSubmit={submit}>
          <Stack>
            <Title order={1} size="h2">
              Care Portal
            </Title>
            {expired && (
              <Alert color="yellow" title="Your session ended">
                Sign in again to continue where you were.
              </Alert>
            )}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
            <Anchor href="/forgot-password" size="sm">
              Forgot your password?
            </Anchor>
          </Stack>
        </form>
      </Card>
    </main>
  );
}

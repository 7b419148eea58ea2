import { ActionIcon, Alert, Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '../shared/api';
import { ExpirySelect } from './expiry-select';
import { type ExpiresIn, useDefaultExpiry, useInvalidate, useLinks } from './queries';
import { staffRequest } from './session';

/** A deployment sign-up link: choose how long it works, copy it, share it; see and delete the ones made before. */
export function GetLinkDialog({
  deploymentId,
  opened,
  onClose,
}: {
  deploymentId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const [expiresIn, setExpiresIn] = useState<ExpiresIn>('7d');
  useDefaultExpiry(deploymentId, opened, setExpiresIn);
  const [copied, setCopied] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const links = useLinks(deploymentId, opened);
  const invalidate = useInvalidate(deploymentId);

  const copy = async () => {
    setBusy(true);
    setError(null);
    try {
      const link = await staffRequest<{ url: string }>(`/api/deployments/${deploymentId}/invitation-links`, {
        method: 'POST',
        body: { expiresIn },
      });
      await navigator.clipboard.writeText(link.url).catch(() => undefined);
      setCopied(link.url);
      invalidate();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    await staffRequest(`/api/invitation-links/${id}`, { method: 'DELETE' });
    invalidate();
  };

  return (
    <Modal opened={opened} onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title="Get Link" size="lg">
      <Stack gap="md">
        <Text size="sm">
          Anyone with this link can ask for an invitation to this deployment with their email address.
        </Text>
        <Group align="end">
          <ExpirySelect label="Link expires in" value={expiresIn} onChange={setExpiresIn} />
          <Button onClick={copy} loading={busy}>
            Copy link
          </Button>
        </Group>
        <div aria-live="polite">
          {copied && (
            <Alert color="green" title="Link copied">
              <Text size="sm" style={{ wordBreak: 'break-all' }} data-testid="copied-link">
                {copied}
              </Text>
            </Alert>
          )}
          {error && <Alert color="red">{error}</Alert>}
        </div>
        <Table fz="sm" aria-label="Sign-up links of this deployment">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Sign-ups</Table.Th>
              <Table.Th>Accounts</Table.Th>
              <Table.Th>
                <span className="visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(links.data ?? []).map((link) => (
              <Table.Tr key={link.id}>
                <Table.Td>{formatDateTime(link.expiresAt)}</Table.Td>
                <Table.Td>
                  <Badge color={link.status === 'active' ? 'green' : 'gray'} variant="light">
                    {link.status}
                  </Badge>
                </Table.Td>
                <Table.Td>{link.signUps}</Table.Td>
                <Table.Td>{link.redeemed}</Table.Td>
                <Table.Td>
                  {link.status === 'active' && (
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Delete the link that expires ${formatDateTime(link.expiresAt)}`}
                      onClick={() => remove(link.id)}
                    >
                      ✕
                    </ActionIcon>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Modal>
  );
}

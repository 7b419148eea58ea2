import { Alert, Anchor, Button, FileButton, Group, List, Modal, Progress, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { ApiProblem } from '../shared/api';
import { type Chip, addChips } from './email-chips';
import { EmailChipsInput } from './email-chips-input';
import { ExpirySelect } from './expiry-select';
import { type ExpiresIn, type Invitation, useDefaultExpiry, useInvalidate } from './queries';
import { staffRequest } from './session';

/** Addresses per request: the API takes 10,000, but smaller requests let the dialog show progress. */
const PER_REQUEST = 1000;

type Skipped = { email: string; reason: string };
type Summary = { issued: number; skipped: Skipped[]; failed: string | null };
type PreviewLine = {
  line: number;
  value: string;
  status: 'ready' | 'invalid' | 'duplicate' | 'already_pending' | 'already_registered';
  reason?: string;
};

const FINDINGS: Record<PreviewLine['status'], string> = {
  ready: 'ready',
  invalid: 'invalid',
  duplicate: 'duplicate',
  already_pending: 'already pending',
  already_registered: 'already a patient here',
};

const SKIP_REASONS: Record<string, string> = {
  duplicate_in_request: 'listed twice',
  already_pending: 'already has a pending invitation',
  already_registered: 'already a patient here',
};

export function InviteDialog({
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
  const [chips, setChips] = useState<Chip[]>([]);
  const [preview, setPreview] = useState<PreviewLine[] | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const invalidate = useInvalidate(deploymentId);
  const ready = chips.filter((c) => !c.problem);
  const invalid = chips.length - ready.length;

  const close = () => {
    setChips([]);
    setPreview(null);
    setImportError(null);
    setSummary(null);
    setProgress(null);
    onClose();
  };

  const importCsv = async (file: File | null) => {
    if (!file) return;
    setImportError(null);
    try {
      const result = await staffRequest<{ lines: PreviewLine[] }>(
        `/api/deployments/${deploymentId}/invitations/csv-preview`,
        {
          method: 'POST',
          rawBody: file,
          contentType: 'text/csv',
        },
      );
      setPreview(result.lines);
      setChips((current) =>
        addChips(
          current,
          result.lines.filter((l) => l.status === 'ready').map((l) => l.value),
        ),
      );
    } catch (error) {
      setImportError(error instanceof ApiProblem ? error.message : 'The file could not be read');
    }
  };

  const send = async () => {
    const emails = ready.map((c) => c.value);
    const result: Summary = { issued: 0, skipped: [], failed: null };
    setProgress(0);
    for (let i = 0; i < emails.length; i += PER_REQUEST) {
      try {
        const answer = await staffRequest<{ issued: Invitation[]; skipped: Skipped[] }>(
          `/api/deployments/${deploymentId}/invitations`,
          {
            method: 'POST',
            body: { emails: emails.slice(i, i + PER_REQUEST), expiresIn },
          },
        );
        result.issued += answer.issued.length;
        result.skipped.push(...answer.skipped);
      } catch (error) {
        result.failed = `${(error as Error).message} (${emails.length - i} addresses were not sent)`;
        break;
      }
      setProgress(Math.min(emails.length, i + PER_REQUEST) / emails.length);
    }
    setProgress(null);
    setSummary(result);
    invalidate();
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      closeButtonProps={{ 'aria-label': 'Close' }}
      title="Invite Patients"
      size="lg"
    >
      {summary ? (
        <SummaryView summary={summary} onDone={close} />
      ) : (
        <Stack gap="md">
          <ExpirySelect label="Invitation expires in" value={expiresIn} onChange={setExpiresIn} />
          <EmailChipsInput chips={chips} onChange={setChips} />
          <Group justify="space-between">
            <FileButton onChange={importCsv} accept=".csv,text/csv,text/plain">
              {(props) => (
                <Anchor component="button" type="button" {...props}>
                  Import csv file
                </Anchor>
              )}
            </FileButton>
          </Group>
          {importError && (
            <Alert color="red" title="The file could not be imported">
              {importError}
            </Alert>
          )}
          {preview && <PreviewTable lines={preview} />}
          {progress !== null && <Progress value={progress * 100} aria-label="Sending invitations" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              onClick={send}
              disabled={!ready.length || invalid > 0 || progress !== null}
              loading={progress !== null}
            >
              Send invites
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function PreviewTable({ lines }: { lines: PreviewLine[] }) {
  const counts = lines.reduce<Record<string, number>>((n, l) => ({ ...n, [l.status]: (n[l.status] ?? 0) + 1 }), {});
  const notReady = lines.filter((l) => l.status !== 'ready');
  return (
    <Stack gap="xs" aria-label="What the file holds">
      <Text size="sm">
        From the file:{' '}
        {Object.entries(counts)
          .map(([status, n]) => `${n} ${FINDINGS[status as PreviewLine['status']]}`)
          .join(', ')}
        . The ready addresses are in the field above.
      </Text>
      {notReady.length > 0 && (
        <Table.ScrollContainer minWidth={400} mah={200}>
          <Table striped fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Line</Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th>Finding</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {notReady.slice(0, 200).map((l) => (
                <Table.Tr key={l.line}>
                  <Table.Td>{l.line}</Table.Td>
                  <Table.Td>{l.value}</Table.Td>
                  <Table.Td>
                    {FINDINGS[l.status]}
                    {l.reason ? `: ${l.reason}` : ''}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function SummaryView({ summary, onDone }: { summary: Summary; onDone: () => void }) {
  const byReason = summary.skipped.reduce<Record<string, string[]>>(
    (groups, s) => ({ ...groups, [s.reason]: [...(groups[s.reason] ?? []), s.email] }),
    {},
  );
  return (
    <Stack gap="md" aria-live="polite">
      <Text fw={600}>{summary.issued.toLocaleString()} invitations sent</Text>
      {Object.entries(byReason).map(([reason, emails]) => (
        <div key={reason}>
          <Text size="sm">
            {emails.length.toLocaleString()} skipped: {SKIP_REASONS[reason] ?? reason}
          </Text>
          <List size="sm">
            {emails.slice(0, 20).map((e) => (
              <List.Item key={e}>{e}</List.Item>
            ))}
          </List>
        </div>
      ))}
      {summary.failed && (
        <Alert color="red" title="Sending stopped">
          {summary.failed}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}

import {
  Alert,
  Button,
  Checkbox,
  Group,
  Loader,
  NumberInput,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { ApiProblem } from '../shared/api';
import { ExpirySelect } from './expiry-select';
import { type DeploymentSettings, type Language, useChangeSettings, useSettings } from './queries';

const LANGUAGES: { value: Language; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'de', label: 'Deutsch' },
  { value: 'fr', label: 'Français' },
  { value: 'es', label: 'Español' },
];

/** Every IANA zone the browser knows (the service checks the name again). */
function timeZones(current: string): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return [...new Set(['UTC', current, ...zones])];
}

/**
 * How the deployment talks to its patients: the language and time zone of emails and pages, who the
 * emails come from, the default expiry, reminders, the invitation email's own opening and closing, and
 * how long ended invitations keep patients' addresses.
 */
export function SettingsPage({ deploymentId, deploymentName }: { deploymentId: string; deploymentName: string }) {
  const settings = useSettings(deploymentId);
  const change = useChangeSettings(deploymentId);
  const [draft, setDraft] = useState<DeploymentSettings | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (settings.data) setDraft(settings.data);
  }, [settings.data]);
  const zones = useMemo(() => timeZones(draft?.timeZone ?? 'UTC'), [draft?.timeZone]);
  if (settings.error) return <Alert color="red">{settings.error.message}</Alert>;
  if (!draft) return <Loader size="sm" aria-label="Loading the settings" />;
  const set = <K extends keyof DeploymentSettings>(key: K, value: DeploymentSettings[K]) => {
    setSaved(false);
    setDraft({ ...draft, [key]: value });
  };
  const problem = change.error instanceof ApiProblem ? change.error : null;
  const fieldError = (field: keyof DeploymentSettings) =>
    problem?.errors.find((e) => e.field === field)?.reason ?? undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(draft, { onSuccess: () => setSaved(true) });
  };
  return (
    <Stack maw={640}>
      <Title order={1} size="h2">
        Settings of {deploymentName}
      </Title>
      <form onSubmit={submit} aria-label="Deployment settings" noValidate>
        <Stack>
          <Select
            label="Language of emails and patient pages"
            data={LANGUAGES}
            value={draft.language}
            onChange={(v) => v && set('language', v as Language)}
            allowDeselect={false}
          />
          <Select
            label="Time zone"
            description="Dates in emails and in the portal are shown in it"
            data={zones}
            value={draft.timeZone}
            onChange={(v) => v && set('timeZone', v)}
            searchable
            allowDeselect={false}
            error={fieldError('timeZone')}
          />
          <TextInput
            label="Sender name"
            description="The name patients see as the sender; empty: the service's own"
            value={draft.senderName ?? ''}
            maxLength={100}
            onChange={(e) => set('senderName', e.currentTarget.value || null)}
            error={fieldError('senderName')}
          />
          <TextInput
            label="Reply-to address"
            description="Where patients' replies go; empty: replies are not expected"
            type="email"
            value={draft.replyTo ?? ''}
            onChange={(e) => set('replyTo', e.currentTarget.value || null)}
            error={fieldError('replyTo')}
          />
          <ExpirySelect
            label="Invitations and links expire in, unless chosen otherwise"
            value={draft.defaultExpiresIn}
            onChange={(v) => set('defaultExpiresIn', v)}
          />
          <Checkbox
            label="Remind patients 24 hours before a personal invitation expires"
            checked={draft.remindPersonalInvitations}
            onChange={(e) => set('remindPersonalInvitations', e.currentTarget.checked)}
          />
          <Textarea
            label="Opening paragraph of the invitation email"
            description="Plain text, up to 500 characters"
            autosize
            minRows={2}
            maxLength={500}
            value={draft.emailIntro ?? ''}
            onChange={(e) => set('emailIntro', e.currentTarget.value || null)}
            error={fieldError('emailIntro')}
          />
          <Textarea
            label="Sign-off of the invitation email"
            description="Plain text, up to 200 characters"
            autosize
            minRows={1}
            maxLength={200}
            value={draft.emailSignOff ?? ''}
            onChange={(e) => set('emailSignOff', e.currentTarget.value || null)}
            error={fieldError('emailSignOff')}
          />
          <NumberInput
            label="Remove patients' addresses from ended invitations after (days)"
            description="Counted from when an invitation was used, deleted or expired; empty: kept until a patient is erased"
            min={1}
            max={3650}
            allowDecimal={false}
            allowNegative={false}
            value={draft.personalDataRetentionDays ?? ''}
            onChange={(v) => set('personalDataRetentionDays', typeof v === 'number' ? v : null)}
            error={fieldError('personalDataRetentionDays')}
          />
          {change.error && !problem?.errors.length && <Alert color="red">{change.error.message}</Alert>}
          <Group>
            <Button type="submit" loading={change.isPending}>
              Save settings
            </Button>
            {saved && (
              <Text size="sm" role="status">
                Saved. The next emails use these settings.
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

import { CloseButton, Group, Text } from '@mantine/core';
import { type ClipboardEvent, type KeyboardEvent, memo, useState } from 'react';
import { addChips, type Chip, splitAddresses } from './email-chips';

/** How many valid chips are drawn; the rest are counted. Invalid ones are always drawn: they need fixing. */
const DRAWN = 200;

interface Props {
  chips: Chip[];
  onChange: (chips: Chip[]) => void;
}

/**
 * Typed or pasted addresses become chips; invalid ones are marked with the reason. 10,000 pasted
 * addresses are one state change, and only a bounded number of chips is drawn, so the dialog stays
 * responsive however many there are.
 */
export function EmailChipsInput({ chips, onChange }: Props) {
  const [draft, setDraft] = useState('');
  const commit = (text: string) => {
    const addresses = splitAddresses(text);
    if (addresses.length) onChange(addChips(chips, addresses));
    setDraft('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if ((event.key === 'Enter' || event.key === ',' || event.key === ';') && draft.trim()) {
      event.preventDefault();
      commit(draft);
    } else if (event.key === 'Backspace' && !draft && chips.length) {
      onChange(chips.slice(0, -1));
    }
  };
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    event.preventDefault();
    commit(draft + ' ' + event.clipboardData.getData('text'));
  };
  const invalid = chips.filter((c) => c.problem);
  const valid = chips.filter((c) => !c.problem);
  const remove = (value: string) => onChange(chips.filter((c) => c.value !== value));
  return (
    <div>
      <label htmlFor="invite-emails" className="field-label">
        Email addresses
      </label>
      <div className="chips" role="list" aria-label="Addresses to invite">
        {invalid.map((chip) => (
          <ChipView key={chip.value} chip={chip} onRemove={remove} />
        ))}
        {valid.slice(0, DRAWN).map((chip) => (
          <ChipView key={chip.value} chip={chip} onRemove={remove} />
        ))}
        {valid.length > DRAWN && (
          <Text size="sm" c="dimmed" role="listitem">
            and {(valid.length - DRAWN).toLocaleString()} more
          </Text>
        )}
      </div>
      <textarea
        id="invite-emails"
        className="chips-entry"
        rows={2}
        value={draft}
        placeholder="Type or paste addresses, then press Enter"
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        onBlur={() => draft.trim() && commit(draft)}
        aria-describedby="invite-emails-summary"
      />
      <Group id="invite-emails-summary" gap="md" aria-live="polite">
        <Text size="sm">{valid.length.toLocaleString()} ready</Text>
        {invalid.length > 0 && (
          <Text size="sm" c="red.8">
            {invalid.length.toLocaleString()} not valid: fix or remove them to send
          </Text>
        )}
      </Group>
    </div>
  );
}

const ChipView = memo(function ChipView({ chip, onRemove }: { chip: Chip; onRemove: (value: string) => void }) {
  return (
    <span role="listitem" className={chip.problem ? 'chip chip-invalid' : 'chip'} title={chip.problem ?? undefined}>
      {chip.value}
      {chip.problem && <span className="visually-hidden">: not valid, {chip.problem}</span>}
      <CloseButton size="xs" aria-label={`Remove ${chip.value}`} onClick={() => onRemove(chip.value)} />
    </span>
  );
});

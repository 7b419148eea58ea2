import { Select } from '@mantine/core';
import { EXPIRY_CHOICES, type ExpiresIn } from './queries';

/** The four expiry windows, in words, wherever staff choose one (invite, re-send, shareable link). */
export function ExpirySelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: ExpiresIn;
  onChange: (value: ExpiresIn) => void;
}) {
  return (
    <Select
      label={label}
      data={EXPIRY_CHOICES}
      value={value}
      onChange={(v) => v && onChange(v as ExpiresIn)}
      allowDeselect={false}
      comboboxProps={{ withinPortal: false }}
    />
  );
}

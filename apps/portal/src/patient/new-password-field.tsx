/** A new password with the reason it was refused, read out when it changes. */
export function NewPasswordField({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | null;
}) {
  return (
    <>
      <label htmlFor="password">{label}</label>
      <input
        id="password"
        type="password"
        autoComplete="new-password"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby="password-error"
        aria-invalid={error ? true : undefined}
      />
      <p id="password-error" className="error" role="alert">
        {error}
      </p>
    </>
  );
}

import { Outcome } from './outcome-pages';

/** Shown when the service has no store address for the app (APP_DOWNLOAD_URL left at its default). */
export function DownloadPage() {
  return (
    <Outcome title="Get the patient app">
      <p>Your care team will tell you where to download the patient app for your phone.</p>
      <p>Once it is installed, come back to the link in your invitation email to create your account.</p>
    </Outcome>
  );
}

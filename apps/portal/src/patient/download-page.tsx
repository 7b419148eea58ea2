import { useT } from './i18n';
import { Outcome } from './outcome-pages';

/** Shown when the service has no store address for the app (APP_DOWNLOAD_URL left at its default). */
export function DownloadPage() {
  const { t } = useT();
  return (
    <Outcome title={t('download.title')}>
      <p>{t('download.where')}</p>
      <p>{t('download.then')}</p>
    </Outcome>
  );
}

import { DEFAULT_DEPLOYMENT_SETTINGS, type DeploymentSettings, type Language } from '@app/identity';

export interface PublicDeployment {
  deploymentName: string;
  /** The patient pages' language when the browser asks for none they are written in. */
  language: Language;
  /** Dates on the patient pages are shown in it. */
  timeZone: string;
}

/** What a patient page shows of a deployment: its name, and the language and zone of its words and dates. */
export function publicDeployment(deployment: { name: string; settings: DeploymentSettings } | null): PublicDeployment {
  const settings = deployment?.settings ?? DEFAULT_DEPLOYMENT_SETTINGS;
  return { deploymentName: deployment?.name ?? '', language: settings.language, timeZone: settings.timeZone };
}

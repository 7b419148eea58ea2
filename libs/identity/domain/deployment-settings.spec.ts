import { specification } from '@app/event-store/testing/given-when-then';
import {
  changeDeploymentSettings,
  DEFAULT_DEPLOYMENT_SETTINGS,
  type DeploymentSettingsChange,
} from './deployment-settings';
import { type DeploymentState, evolveDeployment } from './identity-events';

const given = specification<DeploymentState>(evolveDeployment, {
  stream: 'deployment-d1',
  start: new Date('2026-12-01T09:00:00Z'),
});
const created = { type: 'DeploymentCreated', data: { deploymentId: 'd1', organisationId: 'o1', name: 'Ward 7' } };
const changed = (changes: DeploymentSettingsChange) => ({
  type: 'DeploymentSettingsChanged',
  data: { deploymentId: 'd1', changes },
});
const change = (patch: Parameters<typeof changeDeploymentSettings>[2]) => (state: DeploymentState) =>
  changeDeploymentSettings('d1', state.settings, patch);

describe('deployment settings', () => {
  it('starts from the defaults: English, UTC, seven days, personal reminders on, no texts of its own, data kept', () => {
    expect(given(created).state.settings).toEqual({
      language: 'en',
      timeZone: 'UTC',
      senderName: null,
      replyTo: null,
      defaultExpiresIn: '7d',
      remindPersonalInvitations: true,
      emailIntro: null,
      emailSignOff: null,
      personalDataRetentionDays: null,
    });
    expect(DEFAULT_DEPLOYMENT_SETTINGS.language).toBe('en');
  });

  it('keeps personal data for a whole number of days from 1 to 3650, or until erasure (null)', () => {
    given(created)
      .when(change({ personalDataRetentionDays: 90 }))
      .then(changed({ personalDataRetentionDays: 90 }));
    given(created, changed({ personalDataRetentionDays: 90 }))
      .when(change({ personalDataRetentionDays: null }))
      .then(changed({ personalDataRetentionDays: null }));
    for (const days of [0, -1, 1.5, 3651, Number.NaN])
      given(created)
        .when(change({ personalDataRetentionDays: days }))
        .thenFails('invalid_settings');
  });

  it('records only what changes, each value in its canonical form', () => {
    given(created)
      .when(
        change({
          language: 'de',
          timeZone: 'europe/berlin',
          replyTo: ' Team@Example.org ',
          senderName: ' Station 7 ',
          defaultExpiresIn: '7d',
          emailIntro: ' Liebe Patientin, lieber Patient,\r\nwillkommen. ',
        }),
      )
      .then(
        changed({
          language: 'de',
          timeZone: 'Europe/Berlin',
          replyTo: 'team@example.org',
          senderName: 'Station 7',
          emailIntro: 'Liebe Patientin, lieber Patient,\nwillkommen.',
        }),
      );
  });

  it('folds changes over earlier ones', () => {
    const state = given(
      created,
      changed({ language: 'fr', emailSignOff: 'À bientôt' }),
      changed({ language: 'es' }),
    ).state;
    expect(state.settings).toMatchObject({ language: 'es', emailSignOff: 'À bientôt', timeZone: 'UTC' });
  });

  it('records nothing when every value is the one already set', () => {
    given(created, changed({ language: 'fr' }))
      .when(change({ language: 'fr', remindPersonalInvitations: true, emailIntro: '  ' }))
      .then();
  });

  it('clears an optional text with null or blanks', () => {
    given(created, changed({ senderName: 'Ward 7', emailSignOff: 'Bye' }))
      .when(change({ senderName: null, emailSignOff: ' ' }))
      .then(changed({ senderName: null, emailSignOff: null }));
  });

  it.each([
    [{ language: 'it' }, 'language'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ timeZone: '' }, 'timeZone'],
    [{ replyTo: 'not an address' }, 'replyTo'],
    [{ defaultExpiresIn: '3d' }, 'defaultExpiresIn'],
    [{ senderName: 'x'.repeat(101) }, 'senderName'],
    [{ senderName: 'Ward 7\r\nBcc: everyone@example.org' }, 'senderName'],
    [{ emailIntro: 'x'.repeat(501) }, 'emailIntro'],
    [{ emailSignOff: 'bye\u0007' }, 'emailSignOff'],
  ])('refuses %j as invalid_settings, naming %s', (patch, field) => {
    given(created)
      .when(change(patch as never))
      .thenFails('invalid_settings');
    expect(() => changeDeploymentSettings('d1', DEFAULT_DEPLOYMENT_SETTINGS, patch as never)).toThrow(
      expect.objectContaining({ field }),
    );
  });
});

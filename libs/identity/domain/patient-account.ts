import { streams } from './identity-events';
import type { NewStream } from './new-streams';

export interface PatientAccountRequest {
  patientId: string;
  /** Already validated and normalised (the invitation holds it). */
  email: string;
  displayName: string | null;
  invitationId: string;
  deploymentId: string;
  /** Which stored password hash is the account's. */
  credentialId: string;
}

/** A patient's account, redeemed from an invitation; the address is reserved with it. */
export function registerPatientAccount(request: PatientAccountRequest): NewStream[] {
  return [
    {
      stream: streams.emailReservation('patient', request.email),
      events: [{ type: 'EmailAddressReserved', data: { accountId: request.patientId, kind: 'patient' } }],
    },
    { stream: streams.patient(request.patientId), events: [{ type: 'PatientAccountCreated', data: { ...request } }] },
  ];
}

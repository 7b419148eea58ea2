import { type IdentityEvent, type PatientAccountCreatedData, type PatientState, streams } from './identity-events';
import type { NewStream } from './new-streams';

/** A patient's account, as its creation event records it: the address is already validated and normalised. */
export type PatientAccountRequest = PatientAccountCreatedData;

/** A patient's account, redeemed from an invitation; the address is reserved with it, on `reservation`. */
export function registerPatientAccount(request: PatientAccountRequest, reservation: string): NewStream[] {
  return [
    {
      stream: reservation,
      events: [{ type: 'EmailAddressReserved', data: { accountId: request.patientId, kind: 'patient' } }],
    },
    { stream: streams.patient(request.patientId), events: [{ type: 'PatientAccountCreated', data: { ...request } }] },
  ];
}

/** An existing account joins a deployment through its invitation; already enrolled there, nothing changes. */
export function enrolPatient(patient: PatientState, deploymentId: string, invitationId: string): IdentityEvent[] {
  if (patient.deploymentIds.includes(deploymentId)) return [];
  return [{ type: 'PatientEnrolled', data: { patientId: patient.id, deploymentId, invitationId } }];
}

/**
 * A patient is erased: the account closes for good (no token or session of it is accepted again) and
 * its address is released, so the address can be invited and register again as a new person.
 */
export function erasePatientAccount(patient: PatientState, reservation: string): NewStream[] {
  return [
    {
      stream: streams.patient(patient.id),
      events: [{ type: 'PatientAccountErased', data: { patientId: patient.id } }],
    },
    {
      stream: reservation,
      events: [{ type: 'EmailAddressReleased', data: { accountId: patient.id, kind: 'patient' } }],
    },
  ];
}

import type { ClientDataView, Disclosed, Entitlement } from '@ketenlink/disclosure';
import type { Agreement } from '../domain/agreement';
import type { Incident, Notification, Violation } from '../domain/records';
import {
  AGREEMENT_VIEW,
  agreementBody,
  INCIDENT_VIEW,
  incidentBody,
  NOTIFICATION_VIEW,
  notificationBody,
  VIOLATION_VIEW,
  violationBody,
} from './views';
import { OWN_AGREEMENT_VIEW, ownAgreementBody } from './own-view';

/** Builds a gate projection: the body cut by the view to the reader's entitlement. */
export const projectWith =
  <S>(view: ClientDataView, body: (s: S) => Record<string, unknown>) =>
  (s: S, e: Entitlement): Disclosed<object> => {
    const { data, withheld, categories } = view.filter(body(s), e.permitted);
    return { body: { ...data, withheld }, categories };
  };

export const agreementProjection = projectWith<Agreement>(AGREEMENT_VIEW, agreementBody);
export const ownAgreementProjection = projectWith<Agreement>(OWN_AGREEMENT_VIEW, ownAgreementBody);
export const notificationProjection = projectWith<Notification>(
  NOTIFICATION_VIEW,
  notificationBody,
);
export const violationProjection = projectWith<Violation>(VIOLATION_VIEW, violationBody);
export const incidentProjection = projectWith<Incident>(INCIDENT_VIEW, incidentBody);

export const notificationRecorded = (n: Notification) => ({
  id: n.id,
  trajectoryId: n.trajectoryId,
  by: n.raisedBy,
  at: n.raisedAt,
});
export const violationRecorded = (v: Violation) => ({
  id: v.id,
  trajectoryId: v.trajectoryId,
  by: v.recordedBy,
  at: v.recordedAt,
});
export const incidentRecorded = (i: Incident) => ({
  id: i.id,
  trajectoryId: i.trajectoryId,
  by: i.recordedBy,
  at: i.recordedAt,
});

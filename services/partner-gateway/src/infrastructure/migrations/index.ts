import { MESSAGING_MIGRATIONS } from '@ketenlink/messaging';
import { TRAJECTORY_FACTS_MIGRATIONS } from '@ketenlink/trajectory-facts';
import { Partners1765000000100 } from './1765000000100-partners';
import { WebhookSendTime1765000000200 } from './1765000000200-webhook-send-time';
import { ReferralGrants1765000000300 } from './1765000000300-referral-grants';

export const PARTNER_GATEWAY_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  ...TRAJECTORY_FACTS_MIGRATIONS,
  Partners1765000000100,
  WebhookSendTime1765000000200,
  ReferralGrants1765000000300,
];

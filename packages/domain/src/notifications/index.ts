export {
  deliverPendingEmails,
  defaultDeliveryPolicy,
  notificationsDeliverJob,
} from './delivery.ts';
export { DevMailbox, type MailMessage, type MailTransport } from './mailer.ts';
export {
  loadOrCreateVapidKeys,
  WebPushSender,
  type PushSender,
  type VapidConfig,
} from './push.ts';
export { deliverPendingPushes } from './push-delivery.ts';
export { SmtpTransport, smtpConfigFromEnv, type SmtpConfig } from './smtp.ts';
export { escrowReminderJob, sendEscrowReminder } from './reminders.ts';
export { outboxPublishJob, publishOutbox } from './relay.ts';

export { PartnerApiTransferAdapter, partnerApiConfigFromEnv } from './partner-api.ts';
export { runPartnerTransfer } from './orchestrator.ts';
export { transfersRunJob } from './schedule.ts';

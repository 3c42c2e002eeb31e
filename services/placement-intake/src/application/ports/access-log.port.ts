/**
 * placement-intake's access log is the disclosure gate's port (libs/disclosure `AccessLogPort`,
 * token ACCESS_LOG_PORT), bound in app.module.ts to infrastructure/access-log.ts.
 */
export { ACCESS_LOG_PORT, type AccessLogPort } from '@ketenlink/disclosure';

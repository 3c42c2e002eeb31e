/**
 * @ketenlink/access-log: a service's own append-only access log for the disclosure gate
 * (libs/disclosure AccessLogPort): the migration that creates it and the SQL adapter.
 */
export { AccessLog1764600000000 } from './access-log.migration';
export { SqlAccessLog } from './sql-access-log';

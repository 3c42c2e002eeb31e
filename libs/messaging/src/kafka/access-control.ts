import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { alterUserScramCredentialsV0, Connection } from '@platformatic/kafka';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';
import { brokersFromEnv } from './kafkajs.adapter';

/** What a partner system gets to read its own topic (shown once; Kafka keeps only the hash). */
export interface ConsumerCredentials {
  readonly mechanism: 'scram-sha-512';
  readonly username: string;
  readonly password: string;
  readonly topic: string;
  /** Consumer group ids it may use: this one, and any starting with it and a dot. */
  readonly group: string;
}

/**
 * Kafka access control for partner systems (docs/partner-gateway.md, ADR 0031): a SCRAM-SHA-512
 * user per partner (AlterUserScramCredentials, sent over the internal listener whose clients are
 * super users) and ACLs that let it read and describe only its own topic and use only its own
 * consumer groups. kafkajs has no SCRAM admin API: that one request goes through
 * @platformatic/kafka's protocol layer (the other Kafka client the project ships).
 */
export class KafkaAccessControl {
  private readonly brokers: string[];

  constructor(brokers: readonly string[] = brokersFromEnv()) {
    this.brokers = [...brokers];
  }

  /** Creates or replaces the user's SCRAM-SHA-512 credential and its consumer ACLs. */
  async grantConsumer(
    username: string,
    topic: string,
    group: string,
  ): Promise<ConsumerCredentials> {
    const password = randomBytes(24).toString('base64url');
    await this.upsertScram(username, password);
    const kafka = new Kafka({
      clientId: 'ketenlink-access-control',
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const principal = `User:${username}`;
      const allow = {
        principal,
        host: '*',
        permissionType: AclPermissionTypes.ALLOW,
      };
      await admin.createAcls({
        acl: [
          ...[AclOperationTypes.READ, AclOperationTypes.DESCRIBE].map((operation) => ({
            ...allow,
            resourceType: AclResourceTypes.TOPIC,
            resourceName: topic,
            resourcePatternType: ResourcePatternTypes.LITERAL,
            operation,
          })),
          {
            ...allow,
            resourceType: AclResourceTypes.GROUP,
            resourceName: group,
            resourcePatternType: ResourcePatternTypes.LITERAL,
            operation: AclOperationTypes.READ,
          },
          {
            ...allow,
            resourceType: AclResourceTypes.GROUP,
            resourceName: `${group}.`,
            resourcePatternType: ResourcePatternTypes.PREFIXED,
            operation: AclOperationTypes.READ,
          },
        ],
      });
    } finally {
      await admin.disconnect();
    }
    return { mechanism: 'scram-sha-512', username, password, topic, group };
  }

  private async upsertScram(username: string, password: string): Promise<void> {
    const iterations = 8192;
    const salt = randomBytes(32);
    // RFC 5802 SaltedPassword = Hi(password, salt, i) = PBKDF2-HMAC-SHA-512 for SCRAM-SHA-512.
    const saltedPassword = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
    const [host, port] = this.brokers[0]!.split(':');
    const connection = new Connection('ketenlink-access-control');
    await connection.connect(host!, Number(port));
    try {
      const res = await alterUserScramCredentialsV0.api.async(
        connection,
        [],
        // mechanism 2 = SCRAM-SHA-512 (1 = SCRAM-SHA-256)
        [{ name: username, mechanism: 2, iterations, salt, saltedPassword }],
      );
      const failed = res.results.find((r) => r.errorCode !== 0);
      if (failed) {
        throw new Error(
          `SCRAM credential for ${failed.user} refused: ${failed.errorMessage ?? failed.errorCode}`,
        );
      }
    } finally {
      await connection.close();
    }
  }
}

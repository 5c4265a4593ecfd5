import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StartupError } from '@onecard/kernel';
import { PICKUP_CODE_RECENT_DAYS } from './pickup-code';
import { PickupCodeHasher } from './pickup-code-hash';

/**
 * Start-up check of PICKUP_CODE_KEY against the codes that can still get someone a card (a
 * pending order's code before it expires, or after it for the kiosk holding the claim): one hashed
 * under a key not listed would only ever answer "wrong", counting failures and locking the
 * cardholder's phone. So start-up stops, naming the variable and the missing key's fingerprint, as
 * it does for sealing keys. Also says when an older listed key is no longer needed.
 */
@Injectable()
export class PickupKeyCheck implements OnModuleInit {
  private readonly logger = new Logger('pickup-code-key');

  constructor(
    private readonly db: DataSource,
    private readonly hasher: PickupCodeHasher,
  ) {}

  async onModuleInit(): Promise<void> {
    const rows: Array<{ fingerprint: string; orders: number }> = await this.db.query(
      `SELECT split_part(pickup_code_hash, '$', 2) AS fingerprint, count(*)::int AS orders FROM card_order
        WHERE status = 'PENDING' AND pickup_code_hash LIKE 'hmac-sha256$%'
          AND pickup_expires_at > now() - $1 * interval '1 day' AND (pickup_expires_at > now() OR claimed_machine_no IS NOT NULL)
        GROUP BY 1`,
      [PICKUP_CODE_RECENT_DAYS],
    );
    const [newest, ...older] = this.hasher.fingerprints;
    const unknown = rows.filter((r) => !this.hasher.fingerprints.includes(r.fingerprint));
    if (unknown.length > 0) {
      // Start-up fails: the pool must not keep the process alive (as the platform's sealing check does).
      await this.db.destroy().catch(() => undefined);
      const list = unknown.map((r) => `${r.orders} under key ${r.fingerprint}`).join(', ');
      throw new StartupError(
        'PICKUP_CODE_KEY',
        `PICKUP_CODE_KEY: pending orders' pickup codes were hashed with a key not configured (${list}; configured: ${this.hasher.fingerprints.join(', ')}); ` +
          'list that key after the newest ("new,old") until those codes are used or expire, or issue new codes',
      );
    }
    for (const old of older) {
      if (!rows.some((r) => r.fingerprint === old)) this.logger.log(`PICKUP_CODE_KEY: no pending code needs key ${old} any more; it may be dropped (newest ${newest})`);
    }
  }
}

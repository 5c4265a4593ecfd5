import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { hashSecret, verifySecret } from '@onecard/platform';
import { wireTime } from '../common/wire-format';
import { CampusCardConfig } from '../config';
import { CardErrorCode } from './card.errors';

/**
 * A card's query password (查询密码), stored as a scrypt hash. QUERY_PASSWORD_MAX_FAILURES wrong
 * ones in a row lock it for QUERY_PASSWORD_LOCK_MINUTES, the right one included; a right one
 * resets the count. Counts live on the account row (shared by replicas) and are written in
 * their own statement, so a refused request still counts.
 */
@Injectable()
export class QueryPasswords {
  constructor(
    private readonly db: DataSource,
    private readonly config: CampusCardConfig,
  ) {}

  /** Resolves when `password` is the card's query password; throws 422 wrong / 423 locked otherwise. */
  async verify(cardNo: string, password: string): Promise<void> {
    const [row] = await this.db.query(
      `SELECT query_password_hash, query_password_failures, query_password_locked_until,
              query_password_locked_until > now() AS locked
         FROM card_account WHERE card_no = $1`,
      [cardNo],
    );
    if (!row) throw new Error(`query password of unknown card ${cardNo}`);
    if (row.locked) throw this.locked(row.query_password_locked_until);
    if (await verifySecret(password, row.query_password_hash)) {
      if (row.query_password_failures > 0 || row.query_password_locked_until) {
        await this.db.query(`UPDATE card_account SET query_password_failures = 0, query_password_locked_until = NULL WHERE card_no = $1`, [cardNo]);
      }
      return;
    }
    // Reached only while unlocked: a lock still on the row has run out, so counting starts again.
    const [[counted]] = await this.db.query(
      `UPDATE card_account SET
          query_password_failures = CASE WHEN query_password_locked_until IS NOT NULL THEN 1 ELSE query_password_failures + 1 END,
          query_password_locked_until = CASE
            WHEN (CASE WHEN query_password_locked_until IS NOT NULL THEN 1 ELSE query_password_failures + 1 END) >= $2
            THEN now() + $3 * interval '1 minute' END
        WHERE card_no = $1
        RETURNING query_password_failures AS failures, query_password_locked_until AS locked_until`,
      [cardNo, this.config.QUERY_PASSWORD_MAX_FAILURES, this.config.QUERY_PASSWORD_LOCK_MINUTES],
    );
    if (counted.locked_until) throw this.locked(counted.locked_until);
    const left = this.config.QUERY_PASSWORD_MAX_FAILURES - counted.failures;
    throw new AppError(
      ErrorKind.UNPROCESSABLE,
      CardErrorCode.QUERY_PASSWORD_WRONG,
      `queryPassword: wrong query password; ${left} more wrong attempt${left === 1 ? '' : 's'} lock it for ${this.config.QUERY_PASSWORD_LOCK_MINUTES} minutes`,
      'queryPassword',
    );
  }

  async change(cardNo: string, newPassword: string): Promise<void> {
    const hash = await hashSecret(newPassword);
    await this.db.query(`UPDATE card_account SET query_password_hash = $2, query_password_failures = 0, query_password_locked_until = NULL, updated_at = now() WHERE card_no = $1`, [cardNo, hash]);
  }

  private locked(until: Date): AppError {
    return new AppError(
      ErrorKind.UNPROCESSABLE,
      CardErrorCode.QUERY_PASSWORD_LOCKED,
      `queryPassword: locked after ${this.config.QUERY_PASSWORD_MAX_FAILURES} wrong attempts until ${wireTime(until, this.config.WIRE_TIME_ZONE)}`,
      'queryPassword',
    );
  }
}

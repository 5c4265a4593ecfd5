import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { hashSecret, verifySecret } from '@onecard/platform';
import { isUniqueViolation, wireTime } from '../common/wire-format';
import { CampusCardConfig } from '../config';
import { CreateUserDto } from './dto/user-admin.dto';
import { UserErrorCode } from './user.errors';

export interface CampusUser {
  userCode: string;
  name: string;
  organize: string;
  userType: string;
}

interface UserRow {
  user_code: string;
  name: string;
  organize: string;
  user_type: string;
}

const toUser = (row: UserRow): CampusUser => ({ userCode: row.user_code, name: row.name, organize: row.organize, userType: row.user_type });

/** Cardholders: who may log in (authorization code grant) and own card accounts. */
@Injectable()
export class UsersService {
  // A fixed hash to verify against when the user is unknown, so both answers take as long.
  private readonly decoy = hashSecret('decoy password, never matches');

  constructor(
    private readonly db: DataSource,
    private readonly config: CampusCardConfig,
  ) {}

  async create(dto: CreateUserDto): Promise<object> {
    const [passwordHash, queryPasswordHash] = await Promise.all([dto.password ? hashSecret(dto.password) : null, hashSecret(dto.queryPassword)]);
    try {
      await this.db.query(
        `INSERT INTO campus_user (user_code, name, organize, user_type, password_hash, query_password_hash) VALUES ($1, $2, $3, $4, $5, $6)`,
        [dto.userCode, dto.name, dto.organize ?? '', dto.userType ?? '', passwordHash, queryPasswordHash],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorKind.CONFLICT, UserErrorCode.USER_EXISTS, `userCode: user ${dto.userCode} already exists`, 'userCode');
      throw error;
    }
    return this.adminView(dto.userCode);
  }

  async find(userCode: string, manager: EntityManager | DataSource = this.db): Promise<CampusUser | undefined> {
    const [row]: UserRow[] = await manager.query(`SELECT user_code, name, organize, user_type FROM campus_user WHERE user_code = $1`, [userCode]);
    return row ? toUser(row) : undefined;
  }

  async get(userCode: string, manager: EntityManager | DataSource = this.db): Promise<CampusUser> {
    const user = await this.find(userCode, manager);
    if (!user) throw this.notFound(userCode);
    return user;
  }

  /**
   * The user when `password` is theirs; `locked` (with until when) after LOGIN_MAX_FAILURES wrong
   * ones in a row, the right one included, for LOGIN_LOCK_MINUTES; undefined otherwise (unknown
   * user, no password, wrong one). Counted on the user row (shared by replicas), in its own
   * statement, so a refused login still counts; a right one resets the count.
   */
  async verifyLogin(userCode: string, password: string): Promise<CampusUser | { lockedUntil: string } | undefined> {
    const [row]: Array<UserRow & { password_hash: string | null; login_failures: number; login_locked_until: Date | null; locked: boolean }> = await this.db.query(
      `SELECT user_code, name, organize, user_type, password_hash, login_failures, login_locked_until, login_locked_until > now() AS locked
         FROM campus_user WHERE user_code = $1`,
      [userCode],
    );
    if (row?.locked) return { lockedUntil: wireTime(row.login_locked_until as Date, this.config.WIRE_TIME_ZONE) };
    const ok = await verifySecret(password, row?.password_hash ?? (await this.decoy));
    if (!row?.password_hash) return undefined;
    if (ok) {
      if (row.login_failures > 0 || row.login_locked_until) {
        await this.db.query(`UPDATE campus_user SET login_failures = 0, login_locked_until = NULL WHERE user_code = $1`, [userCode]);
      }
      return toUser(row);
    }
    // Reached only while unlocked: a lock still on the row has run out, so counting starts again.
    const [[counted]] = await this.db.query(
      `UPDATE campus_user SET
          login_failures = CASE WHEN login_locked_until IS NOT NULL THEN 1 ELSE login_failures + 1 END,
          login_locked_until = CASE
            WHEN (CASE WHEN login_locked_until IS NOT NULL THEN 1 ELSE login_failures + 1 END) >= $2
            THEN now() + $3 * interval '1 minute' END
        WHERE user_code = $1
        RETURNING login_locked_until AS locked_until`,
      [userCode, this.config.LOGIN_MAX_FAILURES, this.config.LOGIN_LOCK_MINUTES],
    );
    return counted?.locked_until ? { lockedUntil: wireTime(counted.locked_until, this.config.WIRE_TIME_ZONE) } : undefined;
  }

  /** Operators' view: the user and their cards (no password material). */
  async adminView(userCode: string): Promise<object> {
    const user = await this.get(userCode);
    const cards = await this.db.query(
      `SELECT card_no, card_type, card_id, balance_fen, lost, frozen, opened_at FROM card_account WHERE user_code = $1 ORDER BY opened_at, card_no`,
      [userCode],
    );
    const [photo] = await this.db.query(`SELECT format, octet_length(photo) AS bytes, updated_at FROM user_photo WHERE user_code = $1`, [userCode]);
    const zone = this.config.WIRE_TIME_ZONE;
    return {
      ...user,
      photo: photo ? { format: photo.format, bytes: Number(photo.bytes), updatedAt: wireTime(photo.updated_at, zone) } : null,
      cards: cards.map((c: Record<string, unknown>) => ({
        cardNo: c.card_no,
        cardType: c.card_type,
        cardId: c.card_id ?? '',
        cardBalance: Number(c.balance_fen) / 100,
        lost: c.lost,
        frozen: c.frozen,
        openedAt: wireTime(c.opened_at as Date, zone),
      })),
    };
  }

  notFound(userCode: string, field = 'userCode'): AppError {
    return new AppError(ErrorKind.NOT_FOUND, UserErrorCode.USER_NOT_FOUND, `${field}: no user ${userCode}`, field);
  }
}

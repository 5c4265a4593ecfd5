import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InvalidInputError } from '@onecard/kernel';
import { TuyaBridgeConfig } from '../config';
import { encryptCardPassword } from '../tuya-api/card-password-cipher';
import { PersonnelCardsApi } from '../tuya-api/personnel-cards.api';
import { TuyaNotConfigured } from '../tuya-api/tuya-api.errors';
import { EditPasswordParams } from './dto/personnel-cards.params';
import { PersonnelQueries } from './personnel-queries.service';

/**
 * Sets or clears a person's card password in Tuya. Forwarded at once (never queued: a password
 * must not wait anywhere); the clear password is encrypted here and lives only for this call.
 * The stored copy's contain_password follows Tuya's answer, ahead of the next sync.
 */
@Injectable()
export class CardPasswordService {
  constructor(
    private readonly api: PersonnelCardsApi,
    private readonly queries: PersonnelQueries,
    private readonly config: TuyaBridgeConfig,
    private readonly db: DataSource,
  ) {}

  async edit(params: EditPasswordParams): Promise<boolean> {
    this.queries.assertSynced(params.projectId);
    if (!this.config.tuyaConfigured) throw new TuyaNotConfigured();
    if (params.password !== undefined && params.encryptPassword !== undefined) {
      throw new InvalidInputError('password', 'password: give password or encryptPassword, not both');
    }
    if (!params.clearPassword && !params.password && !params.encryptPassword) {
      throw new InvalidInputError('encryptPassword', 'encryptPassword (or password) is required unless clearPassword is true');
    }
    const encryptPassword = params.clearPassword
      ? (params.encryptPassword ?? '')
      : (params.encryptPassword ?? encryptCardPassword(params.password as string, this.config.TUYA_CLIENT_SECRET as string));
    const done = await this.api.editPassword({ projectId: params.projectId, personId: params.personId, clearPassword: params.clearPassword, encryptPassword });
    if (done) {
      const contains = params.clearPassword ? 0 : 1;
      await this.db.query(`UPDATE person SET contain_password = $3 WHERE project_id = $1 AND person_id = $2`, [params.projectId, params.personId, contains]);
      await this.db.query(`UPDATE person_card SET contain_password = $3 WHERE project_id = $1 AND person_id = $2`, [params.projectId, params.personId, contains]);
    }
    return done;
  }
}
